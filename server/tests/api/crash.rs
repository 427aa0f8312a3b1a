//! A server killed with SIGKILL while its worker is sending loses no message.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestDatabase;
use crate::servers::free_port;

const SID: &str = "AC0123456789abcdef0123456789abcdef";

fn start(database_url: &str, port: u16, twilio: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("FRONTDESK_ADDR", format!("127.0.0.1:{port}"))
        .env("FRONTDESK_TWILIO_ACCOUNT_SID", SID)
        .env("FRONTDESK_TWILIO_AUTH_TOKEN", "test-auth-token")
        .env("FRONTDESK_TWILIO_FROM", "+14155550000")
        .env("FRONTDESK_TWILIO_BASE_URL", twilio)
        .env("FRONTDESK_OUTBOX_LEASE_SECS", "2")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("frontdesk starts")
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let start = Instant::now();
    while client
        .get(format!("{base}/health"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "frontdesk did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn statuses(db: &DatabaseConnection) -> Vec<(String, String)> {
    let rows = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT channel, status FROM notifications WHERE visit_id IS NOT NULL ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "channel").unwrap(),
                r.try_get("", "status").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_server_killed_while_sending_delivers_everything_after_a_restart() {
    let database = TestDatabase::fresh().await;
    let token = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["token", "create", "--name", "crash test"])
        .env_clear()
        .env("DATABASE_URL", &database.url)
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    // Twilio that never answers in time: the worker is mid-send when the server dies.
    let hanging = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(60)))
        .mount(&hanging)
        .await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start(&database.url, port, &hanging.uri());
    wait_healthy(&client, &base).await;

    let api = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let location: Value = api(
        "/api/v1/locations",
        json!({"name": "HQ", "address": "1 Main St", "time_zone": "UTC"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let host: Value = api("/api/v1/hosts", json!({"name": "Grace", "email": "grace@example.com", "phone": "+14155552671", "location_id": location["id"]}))
        .await.unwrap().json().await.unwrap();
    let visit = api("/api/v1/visits", json!({"name": "Ada", "email": "ada@example.com", "phone": "+14155550100", "host_id": host["id"]}))
        .await.unwrap();
    assert_eq!(visit.status(), 201);

    let db = Database::connect(&database.url).await.unwrap();
    let start_wait = Instant::now();
    while hanging.received_requests().await.unwrap().is_empty() {
        assert!(
            start_wait.elapsed() < Duration::from_secs(10),
            "the SMS was never attempted"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(statuses(&db)
        .await
        .contains(&("sms".into(), "sending".into())));
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();

    let answering = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"sid": "SMabc", "status": "queued"})),
        )
        .mount(&answering)
        .await;
    let mut server = start(&database.url, port, &answering.uri());
    wait_healthy(&client, &base).await;
    let start_wait = Instant::now();
    let settled = loop {
        let now = statuses(&db).await;
        if now
            .iter()
            .all(|(_, s)| s == "sent" || s == "failed_permanently")
            || start_wait.elapsed() > Duration::from_secs(15)
        {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    server.kill().unwrap();
    server.wait().unwrap();

    assert_eq!(
        settled,
        vec![
            ("email".to_string(), "sent".to_string()),
            ("sms".to_string(), "sent".to_string())
        ]
    );
    assert_eq!(answering.received_requests().await.unwrap().len(), 1);
}
