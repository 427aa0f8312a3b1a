use migration::MigratorTrait;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_is_server_rendered_and_loads_the_wasm_bundle() {
    let app = spawn_app().await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Welcome to Frontdesk</h1>"), "{html}");
    assert!(
        html.contains("<title>Welcome · Frontdesk</title>"),
        "{html}"
    );
    // Versioned names: /pkg/frontdesk.<version>.js (tests/api/site.rs).
    let bundle = |ext: &str| {
        html.split('"')
            .any(|part| part.starts_with("/pkg/frontdesk.") && part.ends_with(ext))
    };
    assert!(bundle(".js"), "hydration script missing: {html}");
    assert!(bundle(".wasm"), "wasm not referenced: {html}");
}

#[tokio::test]
async fn an_unknown_page_answers_404_with_the_not_found_page() {
    let app = spawn_app().await;

    let response = app.get("/no/such/page").await;

    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("We could not find that page"), "{html}");
    assert!(html.contains("Back to the start"), "{html}");
}

#[tokio::test]
async fn the_status_page_reports_the_database_and_its_migrations() {
    let app = spawn_app().await;

    let html = app.get("/status").await.text().await.unwrap();

    let backend = if app.database.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    assert!(
        html.contains(&format!(r#"<dd data-testid="database">{backend}</dd>"#)),
        "{html}"
    );
    let applied = migration::Migrator::migrations().len();
    assert!(
        html.contains(&format!(
            r#"<dd data-testid="migrations-applied">{applied}</dd>"#
        )),
        "{html}"
    );
}

#[tokio::test]
async fn a_server_function_error_is_rendered_by_the_error_template() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();

    let response = app.get("/status").await;

    let html = response.text().await.unwrap();
    assert!(html.contains(r#"role="alert""#), "{html}");
    assert!(html.contains("Service unavailable"), "{html}");
    assert!(
        html.contains("The database is not answering right now"),
        "{html}"
    );
    assert!(!html.contains(r#"data-testid="status-report""#), "{html}");
}
