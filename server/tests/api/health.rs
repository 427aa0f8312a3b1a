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
