//! Cross-site requests: a page on another site posting with the victim's cookie.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::{spawn_app_with_admin, Browser, COOKIE};
use crate::helpers::{guest, TestApp};

const EVIL: &str = "https://evil.example";

async fn admin_app() -> (TestApp, Browser) {
    spawn_app_with_admin(|_| {}).await
}

/// Every state-changing route, as (method, path, JSON body or form).
enum Body {
    Json(serde_json::Value),
    Form(Vec<(&'static str, String)>),
}

fn routes(location_id: i64, host_id: i64, visit_id: i64) -> Vec<(Method, String, Body)> {
    let mut checkin = guest(5);
    checkin["host_id"] = json!(host_id);
    let form = |pairs: &[(&'static str, &str)]| {
        Body::Form(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
    };
    vec![
        (
            Method::POST,
            "/api/v1/locations".into(),
            Body::Json(json!({"name": "Annex", "address": "2 Side St", "time_zone": "UTC"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/locations/{location_id}"),
            Body::Json(json!({"name": "Renamed"})),
        ),
        (
            Method::POST,
            "/api/v1/hosts".into(),
            Body::Json(
                json!({"name": "New Host", "email": "nh@example.com", "phone": "+1 415 555 0199", "location_id": location_id}),
            ),
        ),
        (
            Method::PATCH,
            format!("/api/v1/hosts/{host_id}"),
            Body::Json(json!({"active": false})),
        ),
        (Method::POST, "/api/v1/visits".into(), Body::Json(checkin)),
        (
            Method::POST,
            format!("/api/v1/visits/{visit_id}/checkout"),
            Body::Json(json!({})),
        ),
        (
            Method::POST,
            "/api/check_out_visit".into(),
            form(&[("id", &visit_id.to_string())]),
        ),
        (
            Method::POST,
            "/api/admin_set_host_active".into(),
            form(&[("id", host_id.to_string().as_str()), ("active", "true")]),
        ),
        (
            Method::POST,
            "/api/update_profile".into(),
            form(&[("name", "Evil Name"), ("phone", "+1 415 555 0666")]),
        ),
        (
            Method::POST,
            "/api/change_password".into(),
            form(&[
                ("current", "an admin passphrase"),
                ("new", "evil passphrase"),
            ]),
        ),
        (Method::POST, "/api/log_out".into(), form(&[])),
        (
            Method::POST,
            "/api/log_in".into(),
            form(&[
                ("door", "host"),
                ("email", "admin@example.com"),
                ("password", "an admin passphrase"),
            ]),
        ),
        (
            Method::POST,
            "/api/sign_up".into(),
            form(&[
                ("door", "visitor"),
                ("name", "Evil"),
                ("email", "evil@example.com"),
                ("phone", "+1 415 555 0666"),
                ("password", "evil passphrase"),
            ]),
        ),
    ]
}

async fn send(
    app: &TestApp,
    cookie: &str,
    (method, path, body): &(Method, String, Body),
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method.clone(), format!("{}{}", app.address, path))
        .header(reqwest::header::COOKIE, format!("{COOKIE}={cookie}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request = match body {
        Body::Json(value) => request.json(value),
        Body::Form(pairs) => request.form(pairs),
    };
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_on_every_state_changing_route() {
    let (app, admin) = admin_app().await;
    let (location_id, host_id) = app.location_and_host().await;
    let mut body = guest(1);
    body["host_id"] = json!(host_id);
    let visit: serde_json::Value = app
        .post_json("/api/v1/visits", body)
        .await
        .json()
        .await
        .unwrap();
    let visit_id = visit["id"].as_i64().unwrap();
    let cookie = admin.cookie.clone().unwrap();
    let before = app.row_counts().await;

    for route in routes(location_id, host_id, visit_id) {
        for headers in [
            vec![("origin", EVIL)],
            vec![("origin", EVIL), ("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "cross-site")],
            vec![("origin", "null")],
        ] {
            let response = send(&app, &cookie, &route, &headers).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{} {} with {headers:?}",
                route.0,
                route.1
            );
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "cross_site");
        }
    }
    assert_eq!(app.row_counts().await, before, "nothing changed");
    // The admin is still logged in: the cross-site log-out did nothing.
    let mut admin = admin;
    assert_eq!(
        admin.api(Method::GET, "/api/v1/hosts", None).await.status(),
        200
    );
}

#[tokio::test]
async fn the_same_request_from_our_own_pages_goes_through() {
    let (app, admin) = admin_app().await;
    let cookie = admin.cookie.clone().unwrap();
    let route = (
        Method::POST,
        "/api/v1/locations".to_string(),
        Body::Json(json!({"name": "Annex", "address": "2 Side St", "time_zone": "UTC"})),
    );
    let origin = app.address.clone();
    let response = send(
        &app,
        &cookie,
        &route,
        &[("origin", &origin), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
