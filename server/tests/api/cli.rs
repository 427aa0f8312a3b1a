//! The `frontdesk` binary itself: start-up failures and `frontdesk migrate`.

use std::process::{Command, Output};

use sea_orm::{ConnectionTrait, Database, Statement};

use migration::MigratorTrait;

use crate::helpers::TestDatabase;

fn frontdesk(args: &[&str], database_url: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(args)
        .current_dir(dir.path())
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("FRONTDESK_ADDR", "127.0.0.1:0")
        .output()
        .expect("frontdesk runs")
}

fn stderr_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn migrate_creates_the_schema_on_an_empty_database_and_exits_0() {
    let database = TestDatabase::fresh().await;

    let output = frontdesk(&["migrate"], &database.url);

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let db = Database::connect(&database.url).await.unwrap();
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let applied: i64 = row.try_get("", "n").unwrap();
    assert_eq!(applied as usize, migration::Migrator::migrations().len());
    // Tables exist: the first migration's table answers a query.
    db.execute_unprepared("SELECT id, name, address, time_zone FROM locations")
        .await
        .unwrap();
}

#[test]
fn a_malformed_database_url_stops_start_up_with_one_clear_line() {
    let output = frontdesk(&["serve"], "postgres://frontdesk:secret@[::1/frontdesk");

    assert!(!output.status.success());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("error: DATABASE_URL"), "{lines:?}");
    assert!(lines[0].contains("not a valid PostgreSQL URL"), "{lines:?}");
    assert!(!lines[0].contains("secret"), "password leaked: {lines:?}");
}

#[test]
fn an_unknown_database_scheme_stops_start_up_with_one_clear_line() {
    let output = frontdesk(&["serve"], "mysql://root@localhost/frontdesk");

    assert!(!output.status.success());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("must start with sqlite:// or postgres://"),
        "{lines:?}"
    );
}

#[test]
fn an_unreachable_postgres_stops_start_up_with_one_clear_line() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let output = frontdesk(
        &["serve"],
        "postgres://frontdesk:secret@127.0.0.1:1/frontdesk",
    );

    assert!(!output.status.success());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "error: cannot open the database postgres://frontdesk:***@127.0.0.1:1/frontdesk"
        ),
        "{lines:?}"
    );
    assert!(lines[0].to_lowercase().contains("refused"), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("panicked")), "{lines:?}");
}

#[tokio::test]
async fn token_create_prints_a_token_the_api_accepts_and_stores_only_its_hash() {
    let database = TestDatabase::fresh().await;

    let output = frontdesk(&["token", "create", "--name", "badge sync"], &database.url);

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("fdk_") && token.len() > 40, "{token}");
    let db = Database::connect(&database.url).await.unwrap();
    let found = app::ssr::services::tokens::verify_token(&db, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.name, "badge sync");
    assert_ne!(found.token_hash, token);
    assert!(app::ssr::services::tokens::verify_token(&db, "fdk_wrong")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn admin_create_makes_an_admin_then_resets_its_password_and_refuses_bad_input() {
    let database = TestDatabase::fresh().await;
    let run = |args: &[&str], password: &str| {
        let dir = tempfile::tempdir().unwrap();
        Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("DATABASE_URL", &database.url)
            .env("FRONTDESK_ADMIN_PASSWORD", password)
            .output()
            .expect("frontdesk runs")
    };

    let created = run(
        &["admin", "create", "--email", "Root@Example.com"],
        "first passphrase",
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("created"));
    let again = run(
        &["admin", "create", "--email", "root@example.com"],
        "second passphrase",
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("password reset"));

    let db = Database::connect(&database.url).await.unwrap();
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT email, role, password_hash FROM users",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.try_get::<String>("", "email").unwrap(),
        "root@example.com"
    );
    assert_eq!(row.try_get::<String>("", "role").unwrap(), "admin");
    let hash: String = row.try_get("", "password_hash").unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );

    let short = run(
        &["admin", "create", "--email", "other@example.com"],
        "short",
    );
    assert!(!short.status.success());
    let lines = stderr_lines(&short);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("at least 8"), "{lines:?}");
}

#[tokio::test]
async fn host_invite_adds_a_host_guests_can_pick_and_queues_their_invitation() {
    let database = TestDatabase::fresh().await;
    let url = database.url.clone();
    let app = crate::helpers::spawn_app_on(database, |_| {}).await;
    let location_id = app.new_location("HQ", "UTC").await.to_string();

    let output = frontdesk(
        &[
            "host",
            "invite",
            "--name",
            "Cy Cli",
            "--email",
            "cy@example.com",
            "--phone",
            "+1 415 555 0190",
            "--location-id",
            &location_id,
        ],
        &url,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hosts: serde_json::Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    let host = &hosts["items"][0];
    assert_eq!(host["email"], "cy@example.com");
    assert_eq!(
        (host["invited"].clone(), host["email_verified"].clone()),
        (true.into(), true.into())
    );
    assert!(app
        .link_sent_to("cy@example.com", "/account/password")
        .await
        .is_some());

    let bad = frontdesk(
        &[
            "host",
            "invite",
            "--name",
            "Cy Again",
            "--email",
            "cy@example.com",
            "--phone",
            "+1 415 555 0191",
            "--location-id",
            &location_id,
        ],
        &url,
    );
    assert!(!bad.status.success());
    let errors = stderr_lines(&bad);
    assert!(
        errors.iter().any(|l| l.contains("already exists")),
        "{errors:?}"
    );
}
