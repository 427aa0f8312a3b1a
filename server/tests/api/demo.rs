//! `frontdesk demo`: a believable office in an empty database, and only there.

use std::process::{Command, Output};

use crate::browser::Browser;
use crate::helpers::{spawn_app_on, TestDatabase};

fn demo(database_url: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("demo")
        .current_dir(dir.path())
        .env_clear()
        .env("DATABASE_URL", database_url)
        .output()
        .expect("frontdesk runs")
}

#[tokio::test]
async fn the_demo_fills_an_empty_database_whose_dashboards_then_show_it_and_refuses_a_second_time()
{
    let database = TestDatabase::fresh().await;
    let output = demo(&database.url);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout).to_string();
    let password = printed
        .lines()
        .find_map(|l| l.strip_prefix("Every demo account's password: "))
        .expect("the password is printed")
        .to_string();
    assert_eq!(
        printed.lines().filter(|l| l.starts_with("Host ")).count(),
        6,
        "{printed}"
    );
    assert!(printed.contains("/kiosk/pair?code="), "{printed}");

    let again = demo(&database.url);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one line says why: {stderr}");
    assert!(errors[0].contains("already holds data"), "{stderr}");

    let url = database.url.clone();
    let app = spawn_app_on(database, |_| {}).await;
    let visits: serde_json::Value = app
        .get_json("/api/v1/visits?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let items = visits["items"].as_array().unwrap();
    assert_eq!(items.len(), 42, "{url}");
    assert_eq!(
        items
            .iter()
            .filter(|v| v["checked_out_at"].is_null())
            .count(),
        2
    );

    let mut host = Browser::at(&app.address);
    host.log_in("host", "meena.iyer@example.com", &password)
        .await;
    let html = host.get("/host").await.text().await.unwrap();
    assert!(
        html.contains("Diego Alvarez") || html.contains("Ravi Kumar"),
        "{html}"
    );

    let mut visitor = Browser::at(&app.address);
    visitor
        .log_in("visitor", "ravi.kumar@example.net", &password)
        .await;
    let html = visitor.get("/visitor").await.text().await.unwrap();
    assert!(html.contains(r#"data-testid="week-chart""#), "{html}");
    let bars = html.matches(r#"class="chart-count""#).count();
    assert_eq!(bars, 7, "{html}");
    assert!(
        html.contains("Meena Iyer") || html.contains("Tom Becker"),
        "hosts to visit: {html}"
    );
}
