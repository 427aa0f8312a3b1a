//! The authorization matrix: every private read and write, tried by someone who
//! must not: host A on host B's visits, a visitor on another visitor's, anonymous
//! on everything. All refused, and the database is unchanged.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::{Browser, PASSWORD};
use crate::helpers::{arrive_as, guest, spawn_app_with, TestApp};

/// The id of the visit made last.
async fn newest_visit(app: &TestApp) -> i64 {
    let list: serde_json::Value = app
        .get_json("/api/v1/visits?limit=1")
        .await
        .json()
        .await
        .unwrap();
    list["items"][0]["id"].as_i64().unwrap()
}

struct World {
    app: TestApp,
    location_id: i64,
    host_b: i64,
    /// A kiosk/API check-in for host B.
    b_visit: i64,
    /// Visitor 2 checked in with host B from their own account.
    v2_visit: i64,
    host_a: Browser,
    visitor_1: Browser,
}

async fn world() -> World {
    let app = spawn_app_with(|s| s.allowed_host_domains = Some("example.com".into())).await;
    let (location_id, _) = app.location_and_host().await;
    let (host_a, _) = app.host_account("Host Alpha", location_id).await;
    let (_, host_b) = app.host_account("Host Bravo", location_id).await;
    let visitor_1 = app.sign_up("visitor", "Visitor One", None).await.browser;
    let visitor_2 = app.sign_up("visitor", "Visitor Two", None).await;
    app.confirm_address(&visitor_2.email).await;
    let mut visitor_2 = visitor_2.browser;

    let mut body = guest(1);
    body["host_id"] = json!(host_b);
    let response = app.post_json("/api/v1/visits", body).await;
    assert_eq!(response.status(), 201);
    let b_visit = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    let response = arrive_as(&app, &mut visitor_2, location_id, host_b, 2).await;
    assert!(
        response.status().is_success(),
        "a visitor checks in at the lobby"
    );
    let v2_visit = newest_visit(&app).await;

    World {
        app,
        location_id,
        host_b,
        b_visit,
        v2_visit,
        host_a: host_a.browser,
        visitor_1,
    }
}

/// Every private route with a body that would succeed for someone allowed.
fn private_routes(w: &World) -> Vec<(Method, String, Option<serde_json::Value>)> {
    let mut checkin = guest(9);
    checkin["host_id"] = json!(w.host_b);
    vec![
        (Method::GET, format!("/api/v1/visits/{}", w.b_visit), None),
        (Method::GET, format!("/api/v1/visits/{}", w.v2_visit), None),
        (
            Method::POST,
            format!("/api/v1/visits/{}/checkout", w.b_visit),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/visits/{}/checkout", w.v2_visit),
            None,
        ),
        (Method::GET, "/api/v1/hosts".into(), None),
        (Method::GET, format!("/api/v1/hosts/{}", w.host_b), None),
        (
            Method::PATCH,
            format!("/api/v1/hosts/{}", w.host_b),
            Some(json!({"active": false})),
        ),
        (
            Method::POST,
            "/api/v1/hosts".into(),
            Some(
                json!({"name": "New Host", "email": "new.host@example.com", "phone": "+1 415 555 0199", "location_id": w.location_id}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/locations".into(),
            Some(json!({"name": "Annex", "address": "2 Side St", "time_zone": "UTC"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/locations/{}", w.location_id),
            Some(json!({"name": "Renamed"})),
        ),
    ]
}

fn refused(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    )
}

async fn visit_ids(browser: &mut Browser) -> Vec<i64> {
    let response = browser.api(Method::GET, "/api/v1/visits", None).await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect()
}

async fn my_visit_ids(browser: &mut Browser) -> Vec<i64> {
    let response = browser.post_form("/api/my_visits", &[]).await;
    assert_eq!(response.status(), 200);
    let rows: serde_json::Value = response.json().await.unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn nobody_reads_or_changes_what_is_not_theirs_and_the_database_is_unchanged() {
    let mut w = world().await;
    let before = w.app.row_counts().await;
    let anonymous = w.app.browser();
    let routes = private_routes(&w);

    for (who, mut browser, checkin_allowed) in [
        ("host A", w.host_a.clone(), false),
        ("visitor 1", w.visitor_1.clone(), false),
        ("anonymous", anonymous.clone(), false),
    ] {
        for (method, path, body) in &routes {
            let status = browser
                .api(method.clone(), path, body.clone())
                .await
                .status();
            assert!(refused(status), "{who}: {method} {path} answered {status}");
        }
        // Checking a guest in with someone else's host: nobody may (visitors check
        // in only at a lobby, with its poster's code).
        let mut body = guest(7);
        body["host_id"] = json!(w.host_b);
        if !checkin_allowed {
            let status = browser
                .api(Method::POST, "/api/v1/visits", Some(body))
                .await
                .status();
            assert!(
                refused(status),
                "{who}: check-in for host B answered {status}"
            );
        }
        // Server functions behind the pages.
        for id in [w.b_visit, w.v2_visit] {
            let status = browser
                .post_form("/api/check_out_visit", &[("id", &id.to_string())])
                .await
                .status();
            assert!(
                refused(status),
                "{who}: check_out_visit {id} answered {status}"
            );
        }
        for (path, form) in [
            ("/api/pending_hosts", vec![]),
            (
                "/api/admin_set_host_active",
                vec![("id", w.host_b.to_string()), ("active", "true".into())],
            ),
            ("/api/admin_hosts", vec![]),
            ("/api/admin_locations", vec![]),
            ("/api/admin_kiosks", vec![]),
            ("/api/admin_on_site", vec![]),
            ("/api/admin_entries", vec![("query[status]", String::new())]),
            (
                "/api/admin_set_host_active",
                vec![("id", w.host_b.to_string()), ("active", "false".into())],
            ),
            (
                "/api/admin_add_kiosk",
                vec![("location_id", "1".into()), ("name", "Lobby".into())],
            ),
            ("/api/admin_revoke_kiosk", vec![("id", "1".into())]),
            (
                "/api/admin_add_location",
                vec![
                    ("name", "X".into()),
                    ("address", "Y".into()),
                    ("time_zone", "UTC".into()),
                ],
            ),
        ] {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let status = browser.post_form(path, &form).await.status();
            assert!(refused(status), "{who}: {path} answered {status}");
        }
    }

    // Lists show only what is one's own.
    assert!(visit_ids(&mut w.host_a).await.is_empty());
    assert!(visit_ids(&mut w.visitor_1).await.is_empty());
    assert!(my_visit_ids(&mut w.host_a).await.is_empty());
    assert!(my_visit_ids(&mut w.visitor_1).await.is_empty());
    let mut anonymous = anonymous;
    assert_eq!(anonymous.visits_status().await, 401);
    assert_eq!(
        anonymous.post_form("/api/my_visits", &[]).await.status(),
        401
    );

    // Private pages send the anonymous to log in, and other roles away.
    for page in ["/host", "/visitor", "/admin", "/settings"] {
        let response = anonymous.get(page).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{page}");
        let back = format!("/login?next={}", page.replace('/', "%2F"));
        assert_eq!(response.headers()["location"], back.as_str(), "{page}");
    }
    assert_eq!(w.host_a.get("/admin").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        w.visitor_1.get("/admin").await.status(),
        StatusCode::FORBIDDEN
    );

    assert_eq!(w.app.row_counts().await, before, "nothing changed");
    let visit: serde_json::Value = w
        .app
        .get_json(&format!("/api/v1/visits/{}", w.b_visit))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(visit["status"], "running");
}

#[tokio::test]
async fn owners_can_do_what_strangers_cannot() {
    let w = world().await;
    let (mut host_b, _) = (w.app.browser(), ());
    host_b
        .log_in("host", "host.bravo@example.com", PASSWORD)
        .await;
    let mut visitor_2 = w.app.browser();
    visitor_2
        .log_in("visitor", "visitor.two@example.com", PASSWORD)
        .await;

    // Host B sees both visits; visitor 2 only their own.
    let mut seen = visit_ids(&mut host_b).await;
    seen.sort();
    assert_eq!(seen, vec![w.b_visit, w.v2_visit]);
    assert_eq!(visit_ids(&mut visitor_2).await, vec![w.v2_visit]);
    assert_eq!(my_visit_ids(&mut visitor_2).await, vec![w.v2_visit]);

    // The visitor checks themselves out; the host checks the other guest out.
    let response = visitor_2
        .post_form("/api/check_out_visit", &[("id", &w.v2_visit.to_string())])
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let response = host_b
        .api(
            Method::POST,
            &format!("/api/v1/visits/{}/checkout", w.b_visit),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let closed: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        closed["checked_out_by"],
        "host Host Bravo (host.bravo@example.com)"
    );
}

/// Everything a visitor's API calls answer about one of their visits, as text.
async fn visitor_views(visitor: &mut Browser, visit_id: i64) -> String {
    let mut seen = String::new();
    for path in [
        format!("/api/v1/visits/{visit_id}"),
        "/api/v1/visits".to_string(),
    ] {
        let response = visitor.api(Method::GET, &path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        seen.push_str(&response.text().await.unwrap());
    }
    // And the visit's page.
    let page = visitor
        .post_form("/api/visit_details", &[("id", &visit_id.to_string())])
        .await;
    assert_eq!(page.status(), 200);
    seen.push_str(&page.text().await.unwrap());
    seen
}

#[tokio::test]
async fn a_visitor_never_sees_their_hosts_e_mail_or_mobile_and_may_pick_only_active_hosts() {
    let app = spawn_app_with(|s| s.allowed_host_domains = Some("example.com".into())).await;
    let (location_id, _) = app.location_and_host().await;
    let (host, host_id) = app.host_account("Hana Host", location_id).await;
    let host_mobile = "+14155550100";
    let visitor = app.sign_up("visitor", "Vic Visitor", None).await;
    app.confirm_address(&visitor.email).await;
    let (email, mut visitor) = (visitor.email, visitor.browser);
    // The visitor's own number differs from the host's, so the check below means something.
    let profile = [("name", "Vic Visitor"), ("phone", "+1 415 555 0177")];
    let saved = visitor.post_form("/api/update_profile", &profile).await;
    assert!(saved.status().is_success(), "{}", saved.status());

    let response = arrive_as(&app, &mut visitor, location_id, host_id, 3).await;
    assert!(response.status().is_success(), "{}", response.status());
    let answer = String::new();
    let visit_id = newest_visit(&app).await;
    // Staff see whom the app told; the visitor sees neither address.
    let staff = app
        .get_json(&format!("/api/v1/visits/{visit_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        staff.contains(&host.email) && staff.contains(host_mobile),
        "{staff}"
    );
    let mut host_browser = host.browser.clone();
    let out = host_browser
        .api(
            Method::POST,
            &format!("/api/v1/visits/{visit_id}/checkout"),
            None,
        )
        .await;
    assert_eq!(out.status(), 200);
    let seen = answer + &visitor_views(&mut visitor, visit_id).await;
    assert!(!seen.contains(&host.email), "{seen}");
    assert!(!seen.contains(host_mobile), "{seen}");
    assert!(
        seen.contains("host Hana Host"),
        "who checked out, by name: {seen}"
    );
    assert!(seen.contains(&email), "the visitor's own details: {seen}");

    // A pending host (another domain) and a deactivated one cannot be picked.
    let pending = app
        .browser()
        .post_form(
            "/api/sign_up",
            &[
                ("door", "host"),
                ("name", "Pat Pending"),
                ("email", "pat@elsewhere.org"),
                ("phone", "+1 415 555 0101"),
                ("password", PASSWORD),
                ("location_id", &location_id.to_string()),
            ],
        )
        .await;
    assert!(pending.status().is_success() || pending.status().is_redirection());
    let hosts: serde_json::Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    let pending_id = hosts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["email"] == "pat@elsewhere.org")
        .map(|h| h["id"].as_i64().unwrap())
        .expect("the pending host exists");
    let deactivate = app
        .api(
            Method::PATCH,
            &format!("/api/v1/hosts/{host_id}"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(deactivate.status(), 200);
    let before = app.row_counts().await;
    for (n, id) in [(4, pending_id), (5, host_id)] {
        let status = arrive_as(&app, &mut visitor, location_id, id, n)
            .await
            .status();
        assert!(status.is_client_error(), "host {id}: {status}");
    }
    assert_eq!(app.row_counts().await, before);
}
