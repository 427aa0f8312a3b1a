//! Sign-up, log-in through the right door, sessions, settings, approval.

use std::time::Duration;

use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};

use crate::browser::{session_cookie, PASSWORD};
use crate::helpers::{spawn_app, spawn_app_with, TestApp};

async fn app_with_open_host_domain() -> TestApp {
    spawn_app_with(|s| s.allowed_host_domains = Some("example.com".into())).await
}

async fn location(app: &TestApp) -> i64 {
    app.new_location("HQ", "UTC").await
}

/// The message a page shows for a server function's error.
pub async fn error_message(response: reqwest::Response) -> String {
    let body = response.text().await.unwrap();
    serde_json::from_str::<app::error::AppError>(&body)
        .unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
        .to_string()
}

#[tokio::test]
async fn a_visitor_who_signs_up_is_logged_in_and_sees_their_dashboard() {
    let app = spawn_app().await;
    let mut visitor = app.sign_up("visitor", "Ada Lovelace", None).await.browser;
    assert!(
        visitor.cookie.is_some(),
        "the visitor logs in before confirming"
    );

    let page = visitor.get("/visitor").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Your visits"));
    let me: serde_json::Value = visitor
        .api(Method::POST, "/api/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "visitor");
    assert_eq!(me["email"], "ada.lovelace@example.com");
    assert_eq!(me["email_verified"], false);
    let page = visitor.get("/visitor").await.text().await.unwrap();
    assert!(
        page.contains("Please confirm your e-mail address"),
        "{page}"
    );
}

#[tokio::test]
async fn a_visitor_account_cannot_log_in_through_the_host_door_nor_a_host_through_the_visitor_door()
{
    let app = app_with_open_host_domain().await;
    let location_id = location(&app).await;
    let visitor = app.sign_up("visitor", "Vera Visitor", None).await;
    let (host, _) = app.host_account("Hal Host", location_id).await;

    let mut browser = app.browser();
    let wrong = browser.log_in("host", &visitor.email, PASSWORD).await;
    assert_eq!(wrong.status(), 409);
    assert!(error_message(wrong)
        .await
        .contains("do not match a host or admin account"));
    assert!(browser.cookie.is_none());
    let wrong = browser.log_in("visitor", &host.email, PASSWORD).await;
    assert_eq!(wrong.status(), 409);
    assert!(browser.cookie.is_none());

    let right_door = browser.log_in("visitor", &visitor.email, PASSWORD).await;
    assert_eq!(right_door.status(), 200);
    assert!(browser.cookie.is_some());
    let mut staff = app.browser();
    staff.log_in("host", &host.email, PASSWORD).await;
    assert!(staff.cookie.is_some());
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let visitor = app.sign_up("visitor", "Sam Same", None).await;
    let mut browser = app.browser();
    let wrong_password = browser
        .log_in("visitor", &visitor.email, "not the password")
        .await;
    let unknown = browser
        .log_in("visitor", "nobody@example.com", PASSWORD)
        .await;
    assert_eq!(wrong_password.status(), unknown.status());
    assert_eq!(
        error_message(wrong_password).await,
        error_message(unknown).await
    );
}

#[tokio::test]
async fn a_host_from_another_domain_waits_for_approval_then_can_log_in() {
    let app = spawn_app().await; // no allowed domains: every host waits
    let location_id = location(&app).await;
    let host = app.sign_up("host", "Pat Pending", Some(location_id)).await;
    assert!(
        host.browser.cookie.is_none(),
        "a pending host is not logged in"
    );

    let mut browser = app.browser();
    let refused = browser.log_in("host", &host.email, PASSWORD).await;
    assert_eq!(refused.status(), 409);
    assert!(error_message(refused)
        .await
        .contains("waiting for an admin"));
    // Not pickable at check-in while pending.
    let hosts: serde_json::Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    let entry = &hosts["items"][0];
    assert_eq!(entry["pending"], true);
    assert_eq!(entry["active"], false);

    let host_id = entry["id"].as_i64().unwrap();
    let approved = app
        .api(
            Method::PATCH,
            &format!("/api/v1/hosts/{host_id}"),
            Some(serde_json::json!({"active": true})),
        )
        .await;
    assert_eq!(approved.status(), 200);
    browser.log_in("host", &host.email, PASSWORD).await;
    assert!(browser.cookie.is_some());
    assert_eq!(browser.get("/host").await.status(), 200);
}

#[tokio::test]
async fn the_session_id_changes_at_log_in_and_the_old_id_stops_working() {
    let app = spawn_app().await;
    let account = app.sign_up("visitor", "Fixie Fixation", None).await;
    let mut browser = account.browser;
    let first = browser.cookie.clone().unwrap();

    // Logging in again on the same session issues a new id ...
    browser.log_in("visitor", &account.email, PASSWORD).await;
    let second = browser.cookie.clone().unwrap();
    assert_ne!(first, second);
    assert_eq!(browser.visits_status().await, 200);

    // ... and the old one is worth nothing.
    browser.cookie = Some(first);
    assert_eq!(browser.visits_status().await, 401);
}

#[tokio::test]
async fn log_out_deletes_the_session_so_a_copied_cookie_is_useless() {
    let app = spawn_app().await;
    let mut browser = app.sign_up("visitor", "Lou Logout", None).await.browser;
    let copied = browser.cookie.clone().unwrap();

    let out = browser.post_form("/api/log_out", &[]).await;
    assert!(
        out.status().is_success() || out.status().is_redirection(),
        "{}",
        out.status()
    );
    assert_eq!(
        session_cookie(&out).as_deref(),
        Some(""),
        "the cookie is cleared"
    );

    browser.cookie = Some(copied);
    assert_eq!(browser.visits_status().await, 401);
    let page = browser.get("/visitor").await;
    assert!(page.status().is_redirection());
    assert_eq!(page.headers()["location"], "/login?next=%2Fvisitor");
}

#[tokio::test]
async fn a_session_deleted_while_a_request_is_in_flight_stays_deleted() {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore as _;
    let app = spawn_app().await;
    let store = app::ssr::auth::store::DbSessionStore::new(app.db.clone());
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
            + tower_sessions::cookie::time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_some());
    // Log-out deletes it; the slower request that loaded it earlier now saves.
    store.delete(&record.id).await.unwrap();
    store.save(&record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_none());
    assert!(session_rows(&app).await.is_empty());
}

#[tokio::test]
async fn sessions_are_stored_by_a_hash_of_their_id_so_a_copy_of_the_table_logs_nobody_in() {
    let app = spawn_app().await;
    let browser = app.sign_up("visitor", "Hal Hash", None).await.browser;
    let cookie = browser.cookie.clone().unwrap();
    let rows = session_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].0, cookie);
    assert_eq!(rows[0].0, app::ssr::services::secret_hash(&cookie));
    // The stored key as a cookie is worth nothing.
    let mut thief = app.browser();
    thief.cookie = Some(rows[0].0.clone());
    assert_eq!(thief.visits_status().await, 401);
}

async fn session_rows(app: &TestApp) -> Vec<(String, i64)> {
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, expires_at FROM sessions",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            let at: chrono::DateTime<chrono::Utc> = row.try_get("", "expires_at").unwrap();
            (row.try_get("", "id").unwrap(), at.timestamp())
        })
        .collect()
}

#[tokio::test]
async fn an_idle_session_expires_after_the_idle_timeout() {
    let app = spawn_app_with(|s| s.session_idle_minutes = 30).await;
    let mut browser = app.sign_up("visitor", "Ida Idle", None).await.browser;

    let rows = session_rows(&app).await;
    assert_eq!(rows.len(), 1);
    let expires_in = rows[0].1 - chrono::Utc::now().timestamp();
    assert!(
        (29 * 60..=30 * 60).contains(&expires_in),
        "expires in {expires_in} s"
    );

    // Thirty idle minutes later (moved in the database rather than waited for):
    app.db
        .execute(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            "UPDATE sessions SET expires_at = $1",
            [(chrono::Utc::now() - chrono::Duration::seconds(1)).into()],
        ))
        .await
        .unwrap();
    assert_eq!(browser.visits_status().await, 401);
}

#[tokio::test]
async fn the_eleventh_failed_log_in_within_a_minute_is_throttled_and_the_right_password_works_later(
) {
    let app = spawn_app().await;
    let account = app.sign_up("visitor", "Tom Throttle", None).await;
    let mut attacker = app.browser();
    // The sign-up helper's log-in was the first of the account's ten checks.
    for attempt in 2..=10 {
        let response = attacker
            .log_in("visitor", &account.email, "wrong password")
            .await;
        assert_eq!(response.status(), 409, "attempt {attempt}");
    }
    let throttled = attacker
        .log_in("visitor", &account.email, "wrong password")
        .await;
    assert_eq!(throttled.status(), 429);
    let message = error_message(throttled).await;
    let wait: u64 = message
        .split("Try again in ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no wait time in {message}"));
    assert!((1..=6).contains(&wait), "{message}");
    // Even the right password waits: the limit is per account.
    let mut owner = app.browser();
    assert_eq!(
        owner
            .log_in("visitor", &account.email, PASSWORD)
            .await
            .status(),
        429
    );

    tokio::time::sleep(Duration::from_secs(wait)).await;
    owner.log_in("visitor", &account.email, PASSWORD).await;
    assert!(
        owner.cookie.is_some(),
        "the right password works after the wait"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let account = app.sign_up("visitor", "Cora Change", None).await;
    let mut here = account.browser;
    let mut elsewhere = app.browser();
    elsewhere.log_in("visitor", &account.email, PASSWORD).await;
    assert!(elsewhere.cookie.is_some());

    let wrong = here
        .post_form(
            "/api/change_password",
            &[
                ("current", "not it at all"),
                ("new", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(error_message(wrong).await.contains("current password"));
    let short = here
        .post_form(
            "/api/change_password",
            &[("current", PASSWORD), ("new", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);

    let changed = here
        .post_form(
            "/api/change_password",
            &[("current", PASSWORD), ("new", "a brand new passphrase")],
        )
        .await;
    assert!(changed.status().is_success(), "{}", changed.status());
    assert_eq!(here.visits_status().await, 200);
    assert_eq!(elsewhere.visits_status().await, 401);

    let mut again = app.browser();
    assert_eq!(
        again
            .log_in("visitor", &account.email, PASSWORD)
            .await
            .status(),
        409
    );
    again
        .log_in("visitor", &account.email, "a brand new passphrase")
        .await;
    assert!(again.cookie.is_some());
}

#[tokio::test]
async fn the_settings_page_changes_name_and_phone_and_refuses_a_bad_phone() {
    let app = spawn_app().await;
    let mut browser = app.sign_up("visitor", "Nora Name", None).await.browser;
    let bad = browser
        .post_form(
            "/api/update_profile",
            &[("name", "Nora New"), ("phone", "not a phone")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let ok = browser
        .post_form(
            "/api/update_profile",
            &[("name", "Nora New"), ("phone", "+44 20 7946 0958")],
        )
        .await;
    assert!(ok.status().is_success(), "{}", ok.status());
    let me: serde_json::Value = browser
        .api(Method::POST, "/api/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "Nora New");
    assert_eq!(me["phone"], "+442079460958");
    let page = browser.get("/settings").await;
    assert!(page.text().await.unwrap().contains("Nora New"));
}

#[tokio::test]
async fn deactivating_a_host_ends_their_sessions_at_once() {
    let app = app_with_open_host_domain().await;
    let location_id = location(&app).await;
    let (host, host_id) = app.host_account("Dee Active", location_id).await;
    let mut browser = host.browser;
    assert_eq!(browser.get("/host").await.status(), 200);

    let response = app
        .api(
            Method::PATCH,
            &format!("/api/v1/hosts/{host_id}"),
            Some(serde_json::json!({"active": false})),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(session_rows(&app).await.is_empty());
    assert_eq!(browser.visits_status().await, 401);
    let mut again = app.browser();
    let refused = again.log_in("host", &host.email, PASSWORD).await;
    assert!(error_message(refused).await.contains("deactivated"));
}

#[tokio::test]
async fn the_first_admin_comes_from_the_settings_and_logs_in_at_the_staff_door() {
    let app = spawn_app_with(|s| {
        s.admin_email = Some("Boss@Example.com".into());
        s.admin_password = Some("an admin passphrase".to_string().into());
    })
    .await;
    let mut admin = app.browser();
    let response = admin
        .log_in("host", "boss@example.com", "an admin passphrase")
        .await;
    assert!(admin.cookie.is_some(), "{}", response.status());
    assert_eq!(admin.get("/admin").await.status(), 200);
    // Admin scope over the API with the session alone.
    assert_eq!(
        admin.api(Method::GET, "/api/v1/hosts", None).await.status(),
        200
    );
    let mut wrong_door = app.browser();
    wrong_door
        .log_in("visitor", "boss@example.com", "an admin passphrase")
        .await;
    assert!(wrong_door.cookie.is_none());
}

#[tokio::test]
async fn sign_up_refuses_a_short_or_common_password_and_a_bad_email_and_creates_nothing() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    let mut browser = app.browser();
    for (email, password, field) in [
        ("new.person@example.com", "short", "password"),
        ("new.person@example.com", "password", "password"),
        ("new.person@example.com", "12345678", "password"),
        (
            "new.person@example.com",
            "new.person@example.com",
            "password",
        ),
        ("not an email", PASSWORD, "email"),
    ] {
        let response = browser
            .post_form(
                "/api/sign_up",
                &[
                    ("door", "visitor"),
                    ("name", "New Person"),
                    ("email", email),
                    ("phone", "+1 415 555 0100"),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(response.status(), 422, "{email} / {password}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["Invalid"]["field"], field, "{body}");
        if field == "password" && password.len() >= 8 {
            let message = body["Invalid"]["message"].as_str().unwrap();
            assert!(
                message.contains("too easy to guess"),
                "{password}: {message}"
            );
        }
    }
    assert_eq!(app.row_counts().await, before);
    assert!(browser.cookie.is_none());
}

#[tokio::test]
async fn a_session_ends_at_the_absolute_timeout_even_when_used() {
    let app = spawn_app_with(|s| s.session_max_hours = 1).await;
    let mut browser = app.sign_up("visitor", "Abe Absolute", None).await.browser;
    assert_eq!(browser.visits_status().await, 200);

    // Pretend the log-in happened two hours ago (the session is otherwise fresh).
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one(Statement::from_string(
            backend,
            "SELECT id, data FROM sessions",
        ))
        .await
        .unwrap()
        .unwrap();
    let id: String = row.try_get("", "id").unwrap();
    let mut data: serde_json::Value =
        serde_json::from_str(&row.try_get::<String>("", "data").unwrap()).unwrap();
    data["auth"]["since"] = serde_json::json!(chrono::Utc::now().timestamp() - 2 * 3600);
    app.db
        .execute(Statement::from_sql_and_values(
            backend,
            "UPDATE sessions SET data = $1 WHERE id = $2",
            [data.to_string().into(), id.into()],
        ))
        .await
        .unwrap();

    assert_eq!(browser.visits_status().await, 401);
    assert!(
        session_rows(&app).await.is_empty(),
        "the expired session is deleted"
    );
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited_with_a_clear_message() {
    let app = spawn_app_with(|s| s.signups_per_hour_per_ip = 2).await;
    app.sign_up("visitor", "First Person", None).await;
    app.sign_up("visitor", "Second Person", None).await;
    let before = app.row_counts().await;
    let response = app
        .browser()
        .post_form(
            "/api/sign_up",
            &[
                ("door", "visitor"),
                ("name", "Third Person"),
                ("email", "third@example.com"),
                ("phone", "+1 415 555 0100"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 429);
    assert!(error_message(response).await.contains("Try again in"));
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn password_changes_share_the_accounts_budget_of_password_checks() {
    let app = spawn_app().await;
    let mut account = app.sign_up("visitor", "Gus Guess", None).await;
    // The sign-up helper's log-in was the first of the account's ten checks.
    for attempt in 2..=10 {
        let response = account
            .browser
            .post_form(
                "/api/change_password",
                &[
                    ("current", "a guess at it"),
                    ("new", "a brand new passphrase"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            422,
            "attempt {attempt}: wrong current password"
        );
    }
    let throttled = account
        .browser
        .post_form(
            "/api/change_password",
            &[("current", PASSWORD), ("new", "a brand new passphrase")],
        )
        .await;
    assert_eq!(throttled.status(), 429);
    // The same budget as log-ins: they are throttled too now.
    let log_in = app
        .browser()
        .log_in("visitor", &account.email, PASSWORD)
        .await;
    assert_eq!(log_in.status(), 429);
}

#[tokio::test]
async fn one_guest_can_be_checked_in_ten_times_an_hour_then_waits() {
    // An admin's session is limited like any person's (a token is not).
    let (app, mut visitor) = crate::browser::spawn_app_with_admin(|_| {}).await;
    let (_, host_id) = app.location_and_host().await;
    let mut body = crate::helpers::guest(9);
    body["host_id"] = serde_json::json!(host_id);
    for attempt in 1..=10 {
        let status = visitor
            .api(Method::POST, "/api/v1/visits", Some(body.clone()))
            .await
            .status();
        assert!(
            [201, 409].contains(&status.as_u16()),
            "attempt {attempt}: {status}"
        );
    }
    let throttled = visitor
        .api(Method::POST, "/api/v1/visits", Some(body.clone()))
        .await;
    assert_eq!(throttled.status(), 429);
    assert!(throttled.headers().contains_key("retry-after"));
    let error: serde_json::Value = throttled.json().await.unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Try again in"),
        "{error}"
    );
    // Integrations with a token are not limited.
    assert_eq!(app.post_json("/api/v1/visits", body).await.status(), 409);
}
