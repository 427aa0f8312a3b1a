//! API tokens: listed without secrets, revoked by name (CLI) or on the admin page,
//! and refused at once when revoked or expired, on the JSON API and the live stream.

use std::process::{Command, Output};
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use app::ssr::auth::caller::Actor;
use app::ssr::entities::{api_token, audit_entry};
use app::ssr::services::tokens::{self, TokenRef, TokenState};

use crate::browser::{spawn_app_with_admin, ADMIN_EMAIL};
use crate::helpers::{spawn_app, TestApp, TestDatabase};

const REFUSED: &str = "This API token is not valid (unknown, revoked or expired).";

fn frontdesk(args: &[&str], database_url: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(args)
        .current_dir(dir.path())
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("FRONTDESK_ADDR", "127.0.0.1:0")
        // Only errors on stderr: the INFO start-up lines (migrations) are not the point.
        .env("FRONTDESK_LOG", "warn")
        .output()
        .expect("frontdesk runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A command that must fail with one line on stderr containing `expected`.
fn assert_fails_with_one_line(output: &Output, expected: &str) {
    assert!(!output.status.success(), "{}", stdout(output));
    let lines = stderr_lines(output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("error: "), "{lines:?}");
    assert!(lines[0].contains(expected), "{lines:?}");
}

/// The status of listing visits with `token`, and the error message if refused.
async fn call_with(app: &TestApp, token: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(format!("{}/api/v1/visits", app.address))
        .bearer_auth(token)
        .send()
        .await
        .expect("request reaches the app");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let message = body["error"]["message"].as_str().unwrap_or_default();
    (status, message.to_string())
}

async fn token_named(app: &TestApp, name: &str) -> api_token::Model {
    api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the token exists")
}

/// The row of the token `spawn_app` made for this app (named after its port).
async fn own_token(app: &TestApp) -> api_token::Model {
    let hash = app::ssr::services::secret_hash(&app.token);
    api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the app's token exists")
}

/// Moves a token's expiry, straight in the database.
async fn set_expiry(app: &TestApp, name: &str, at: chrono::DateTime<Utc>) {
    let mut token: api_token::ActiveModel = token_named(app, name).await.into();
    token.expires_at = Set(Some(at));
    token.update(&app.db).await.unwrap();
}

async fn revocations(app: &TestApp) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("api_token.revoke"))
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once_and_the_revocation_is_audited() {
    let app = spawn_app().await;
    let (_, token) = tokens::create_token(&app.db, "door badges", None)
        .await
        .unwrap();
    assert_eq!(call_with(&app, &token).await.0, StatusCode::OK);

    let revoked = tokens::revoke_token(
        &app.db,
        TokenRef::Name("door badges"),
        &Actor("tester".into()),
    )
    .await
    .unwrap();

    assert_eq!(revoked, 1);
    assert_eq!(
        call_with(&app, &token).await,
        (StatusCode::UNAUTHORIZED, REFUSED.to_string())
    );
    assert_eq!(
        app.get_json("/api/v1/visits").await.status(),
        200,
        "others still work"
    );
    let audit = revocations(&app).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "tester");
    assert!(audit[0].details.contains("door badges"), "{audit:?}");
    let again = tokens::revoke_token(
        &app.db,
        TokenRef::Name("door badges"),
        &Actor("tester".into()),
    )
    .await
    .unwrap_err();
    assert!(
        again
            .to_string()
            .contains("no live token named \"door badges\""),
        "{again}"
    );
}

#[tokio::test]
async fn an_expired_token_is_refused_like_a_revoked_one_and_frees_its_name() {
    let app = spawn_app().await;
    let (created, token) = tokens::create_token(&app.db, "nightly export", Some(30))
        .await
        .unwrap();
    let expires = created.expires_at.expect("an expiry");
    let in_30_days = Utc::now() + chrono::Duration::days(30);
    assert!((in_30_days - expires).num_seconds().abs() < 60, "{expires}");
    assert_eq!(call_with(&app, &token).await.0, StatusCode::OK);

    set_expiry(
        &app,
        "nightly export",
        Utc::now() - chrono::Duration::seconds(1),
    )
    .await;

    assert_eq!(
        call_with(&app, &token).await,
        (StatusCode::UNAUTHORIZED, REFUSED.to_string())
    );
    assert!(!tokens::is_live(&app.db, created.id).await.unwrap());
    let listed = tokens::list_tokens(&app.db).await.unwrap();
    let listed = listed.iter().find(|t| t.id == created.id).unwrap();
    assert_eq!(listed.state, TokenState::Expired);
    // Only live tokens hold their name.
    tokens::create_token(&app.db, "nightly export", None)
        .await
        .expect("an expired token's name is free again");
}

#[tokio::test]
async fn an_expiry_must_be_1_to_3650_days_and_a_live_name_is_taken() {
    let app = spawn_app().await;
    for days in [0, 3651, u32::MAX] {
        let error = tokens::create_token(&app.db, "sync", Some(days))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("1 to 3650 days"), "{error}");
    }
    tokens::create_token(&app.db, "sync", Some(3650))
        .await
        .unwrap();
    let error = tokens::create_token(&app.db, " sync ", None)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("A live token named \"sync\" already exists"),
        "{error}"
    );
    let all = tokens::list_tokens(&app.db).await.unwrap();
    assert_eq!(all.iter().filter(|t| t.name == "sync").count(), 1);
}

#[tokio::test]
async fn a_token_notes_when_it_was_last_used_at_most_once_a_minute() {
    let app = spawn_app().await;
    let before = own_token(&app).await;
    assert_eq!(app.get_json("/api/v1/visits").await.status(), 200);
    let first = own_token(&app).await.last_used_at.expect("noted");
    assert!(before.last_used_at.is_none_or(|b| b <= first));

    assert_eq!(app.get_json("/api/v1/visits").await.status(), 200);
    assert_eq!(
        own_token(&app).await.last_used_at,
        Some(first),
        "not written again within a minute"
    );

    let mut token: api_token::ActiveModel = own_token(&app).await.into();
    let long_ago = Utc::now() - chrono::Duration::minutes(2);
    token.last_used_at = Set(Some(long_ago));
    token.update(&app.db).await.unwrap();
    assert_eq!(app.get_json("/api/v1/visits").await.status(), 200);
    let later = own_token(&app).await.last_used_at.unwrap();
    assert!(later > long_ago + chrono::Duration::seconds(60), "{later}");
}

#[tokio::test]
async fn token_list_on_the_command_line_shows_names_and_states_and_never_a_secret() {
    let database = TestDatabase::fresh().await;
    let create = |args: &[&str]| {
        let output = frontdesk(args, &database.url);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout(&output).trim().to_string()
    };
    let badge = create(&[
        "token",
        "create",
        "--name",
        "badge sync",
        "--expires-in",
        "30",
    ]);
    let ci = create(&["token", "create", "--name", "ci"]);
    let revoke = frontdesk(&["token", "revoke", "ci"], &database.url);
    assert!(revoke.status.success(), "{:?}", stderr_lines(&revoke));

    let output = frontdesk(&["token", "list"], &database.url);

    assert!(output.status.success(), "{:?}", stderr_lines(&output));
    let table = stdout(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    for header in ["NAME", "CREATED", "LAST USED", "EXPIRES", "STATE"] {
        assert!(lines[0].contains(header), "{table}");
    }
    let row = |name: &str| *lines.iter().find(|l| l.starts_with(name)).unwrap();
    assert!(row("badge sync").ends_with("live"), "{table}");
    assert!(row("badge sync").contains("never"), "never used: {table}");
    assert!(row("ci").ends_with("revoked"), "{table}");
    assert!(!table.contains(&badge) && !table.contains(&ci), "{table}");
    assert!(!table.contains("fdk_"), "{table}");
    let db = sea_orm::Database::connect(&database.url).await.unwrap();
    for token in api_token::Entity::find().all(&db).await.unwrap() {
        assert!(!table.contains(&token.token_hash), "hash shown: {table}");
    }

    // Mistakes end with one line that says what to do.
    let again = frontdesk(&["token", "revoke", "ci"], &database.url);
    assert_fails_with_one_line(&again, "There is no live token named \"ci\"");
    let taken = frontdesk(&["token", "create", "--name", "badge sync"], &database.url);
    assert_fails_with_one_line(&taken, "A live token named \"badge sync\" already exists");
    let zero = frontdesk(
        &["token", "create", "--name", "x", "--expires-in", "0"],
        &database.url,
    );
    assert_fails_with_one_line(&zero, "1 to 3650 days");
}

#[tokio::test]
async fn token_revoke_on_the_command_line_refuses_the_running_apps_token_at_once() {
    let app = spawn_app().await;
    assert_eq!(app.get_json("/api/v1/visits").await.status(), 200);

    let name = own_token(&app).await.name;

    let output = frontdesk(&["token", "revoke", &name], &app.database.url);

    assert!(output.status.success(), "{:?}", stderr_lines(&output));
    assert!(
        stdout(&output).contains(&format!("\"{name}\" revoked")),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        call_with(&app, &app.token).await,
        (StatusCode::UNAUTHORIZED, REFUSED.to_string())
    );
    let audit = revocations(&app).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "command line");
}

#[tokio::test]
async fn an_admin_revokes_a_token_on_the_tokens_page_and_a_host_is_refused() {
    let (app, mut admin) =
        spawn_app_with_admin(|s| s.allowed_host_domains = Some("example.com".into())).await;
    let location_id = app.new_location("HQ", "UTC").await;
    let (mut host, _) = app.host_account("Hank Host", location_id).await;
    let own = own_token(&app).await;
    let id = own.id.to_string();

    // A host sees neither the page nor the list, and cannot revoke.
    assert_eq!(
        host.browser.get("/admin/tokens").await.status(),
        StatusCode::FORBIDDEN
    );
    let list = host.browser.post_form("/api/admin_tokens", &[]).await;
    assert_eq!(list.status(), StatusCode::FORBIDDEN);
    let revoke = host
        .browser
        .post_form("/api/admin_revoke_token", &[("id", &id)])
        .await;
    assert_eq!(revoke.status(), StatusCode::FORBIDDEN);
    assert_eq!(call_with(&app, &app.token).await.0, StatusCode::OK);

    // The admin sees the token, without its secret.
    let page = admin.get("/admin/tokens").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("data-testid=\"tokens\""), "{page}");
    assert!(page.contains(&format!("<td>{}</td>", own.name)), "{page}");
    assert!(page.contains("<td>live</td>"), "{page}");
    assert!(page.contains(">Revoke<"), "{page}");
    assert!(page.contains("Create one with"), "{page}");
    assert!(
        page.contains("href=\"/admin/tokens\""),
        "in the admin nav: {page}"
    );
    assert!(!page.contains(&app.token), "secret shown: {page}");
    assert!(!page.contains(&own.token_hash), "hash shown: {page}");

    // Revoking there works without JS: back to the page, the token refused at once.
    let done = admin
        .post_form_without_js("/api/admin_revoke_token", &[("id", &id)], "/admin/tokens")
        .await;
    assert!(done.status().is_redirection(), "{}", done.status());
    let back = done.headers()[reqwest::header::LOCATION].to_str().unwrap();
    assert!(back.starts_with("/admin/tokens"), "{back}");
    assert_eq!(
        call_with(&app, &app.token).await,
        (StatusCode::UNAUTHORIZED, REFUSED.to_string())
    );
    let page = admin.get("/admin/tokens").await.text().await.unwrap();
    assert!(page.contains("<td>revoked</td>"), "{page}");
    assert!(!page.contains(">Revoke<"), "{page}");
    let audit = revocations(&app).await;
    assert_eq!(audit.len(), 1);
    assert!(audit[0].actor.contains(ADMIN_EMAIL), "{audit:?}");

    // The list answers scripts too; an unknown id is a 404.
    let rows: Value = admin
        .post_form("/api/admin_tokens", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows[0]["name"], own.name.as_str(), "{rows}");
    assert_eq!(rows[0]["state"], "revoked", "{rows}");
    assert!(!rows.to_string().contains("fdk_"), "{rows}");
    let unknown = admin
        .post_form("/api/admin_revoke_token", &[("id", "999999")])
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stream_held_by_a_token_closes_within_a_second_or_so_of_its_expiry() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/events", app.address.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", app.token).parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade accepted");

    let name = own_token(&app).await.name;
    set_expiry(&app, &name, Utc::now()).await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    let code = loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => break None,
            Ok(None) | Ok(Some(Err(_))) => break Some(1006),
            Ok(Some(Ok(Message::Close(frame)))) => {
                break Some(frame.map_or(1005, |f| u16::from(f.code)))
            }
            Ok(Some(Ok(_))) => {}
        }
    };
    assert_eq!(code, Some(4401));
}
