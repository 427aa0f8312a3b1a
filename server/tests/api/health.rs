use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;

    let response = app.get("/health").await;

    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
}

#[tokio::test]
async fn health_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    // The app shares this pool: closing it takes the database away from the server.
    app.db.clone().close().await.unwrap();

    let response = app.get("/health").await;

    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;

    let first = app.get("/health").await;
    let second = app.get("/health").await;

    let id = |r: &reqwest::Response| {
        r.headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(id(&first).len(), 36);
    assert_ne!(id(&first), id(&second));
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_and_its_journal_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = crate::helpers::spawn_app().await;
    let Some(path) = app.database.url.strip_prefix("sqlite://") else {
        return; // PostgreSQL: the server's own files.
    };
    // A write, so the WAL and shared-memory files exist.
    crate::helpers::check_in(&app, app.location_and_host().await.1, 1).await;
    for file in [
        path.to_string(),
        format!("{path}-wal"),
        format!("{path}-shm"),
    ] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file} is {mode:o}");
    }
}
