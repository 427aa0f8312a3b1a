use std::path::PathBuf;
use std::sync::LazyLock;

use frontdesk::settings::Settings;
use frontdesk::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::SecretString;

/// Set to a PostgreSQL server URL (any database) to run the suite on PostgreSQL.
pub const PG_ENV: &str = "FRONTDESK_TEST_DATABASE_URL";

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    pub database: TestDatabase,
    pub client: reqwest::Client,
    /// An admin-scope API token.
    pub token: String,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request reaches the app")
    }
}

/// A database no other test uses. The SQLite file lives in a temp dir removed on drop.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn fresh() -> Self {
        match std::env::var(PG_ENV) {
            Ok(server_url) if !server_url.is_empty() => Self::postgres(&server_url).await,
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("frontdesk.db").display());
                Self {
                    url,
                    _dir: Some(dir),
                }
            }
        }
    }

    async fn postgres(server_url: &str) -> Self {
        let mut url = url::Url::parse(server_url).expect("FRONTDESK_TEST_DATABASE_URL is a URL");
        let name = format!("frontdesk_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(server_url)
            .await
            .expect("PostgreSQL test server answers");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
        let _ = admin.close().await;
        url.set_path(&name);
        Self {
            url: url.to_string(),
            _dir: None,
        }
    }

    /// Another handle on a database some other test app owns (removed with that one).
    pub fn shared(url: &str) -> Self {
        Self {
            url: url.to_string(),
            _dir: None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }
}

/// The built site (wasm, JS, CSS) at the workspace's target/site, if it was built.
pub static SITE_ROOT: LazyLock<PathBuf> =
    LazyLock::new(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"));

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with settings changed by `configure` (SMTP, Twilio, ...).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_on(TestDatabase::fresh().await, configure).await
}

/// The app on a database made beforehand (e.g. by a CLI command).
pub async fn spawn_app_on(
    database: TestDatabase,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings::defaults().expect("default settings are valid");
    settings.addr = "127.0.0.1:0".parse().expect("socket address");
    settings.database_url = SecretString::from(database.url.clone());
    configure(&mut settings);

    let app = Application::build(&settings).await.expect("the app builds");
    let port = app.port();
    let db = app.db().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    // Live token names are unique: a second app on the same database names its own.
    let tokens = app::ssr::services::tokens::list_tokens(&db)
        .await
        .expect("tokens");
    let name = match tokens.is_empty() {
        true => "tests".to_string(),
        false => format!("tests {port}"),
    };
    let (_, token) = app::ssr::services::tokens::create_token(&db, &name, None)
        .await
        .expect("token");

    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db,
        database,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        token,
    }
}

impl TestApp {
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.address, path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request reaches the app")
    }

    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.api(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn get_json(&self, path: &str) -> reqwest::Response {
        self.api(reqwest::Method::GET, path, None).await
    }

    /// A new location; its id.
    pub async fn new_location(&self, name: &str, time_zone: &str) -> i64 {
        let location = self
            .post_json(
                "/api/v1/locations",
                serde_json::json!({"name": name, "address": "1 Main St, Springfield", "time_zone": time_zone}),
            )
            .await;
        assert_eq!(location.status(), 201);
        location.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// A location and an active host there (with a phone, so check-ins queue email + SMS).
    pub async fn location_and_host(&self) -> (i64, i64) {
        let location_id = self.new_location("HQ", "Asia/Kolkata").await;
        let host_id = self.new_host("Grace Hopper", location_id).await;
        (location_id, host_id)
    }

    /// A host at `location_id`, by the API: e-mail `first@example.com`.
    pub async fn new_host(&self, name: &str, location_id: i64) -> i64 {
        let first = name.split(' ').next().unwrap_or(name).to_lowercase();
        let host = self
            .post_json(
                "/api/v1/hosts",
                serde_json::json!({"name": name, "email": format!("{first}@example.com"),
                                   "phone": "+1 415 555 2671", "location_id": location_id}),
            )
            .await;
        assert_eq!(host.status(), 201);
        host.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// Row counts of every table a write may touch, to prove a refused request changed nothing.
    pub async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        let mut counts = Vec::new();
        for table in [
            "locations",
            "users",
            "hosts",
            "visits",
            "notifications",
            "events",
            "audit_log",
        ] {
            let row = self
                .db
                .query_one(sea_orm::Statement::from_string(
                    self.db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table}"),
                ))
                .await
                .unwrap()
                .unwrap();
            counts.push((table, row.try_get::<i64>("", "n").unwrap()));
        }
        counts
    }
}

pub fn guest(n: usize) -> serde_json::Value {
    serde_json::json!({"name": format!("Guest {n}"), "email": format!("guest{n}@example.com"),
                       "phone": format!("+1 415 555 {:04}", 1000 + n)})
}

/// Checks `guest(n)` in with `host_id` through the API; returns the visit's id.
pub async fn check_in(app: &TestApp, host_id: i64, n: usize) -> i64 {
    let mut body = guest(n);
    body["host_id"] = serde_json::json!(host_id);
    let response = app.post_json("/api/v1/visits", body).await;
    assert_eq!(response.status(), 201);
    response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Today's lobby poster code of a location, worked out as the server does.
pub async fn arrival_code(app: &TestApp, location_id: i64) -> String {
    let (_, code, _) = app::ssr::services::arrival_codes::todays_code(
        &app.db,
        location_id as i32,
        chrono::Utc::now(),
    )
    .await
    .expect("the code is worked out")
    .expect("the location exists");
    code
}

/// `browser`'s visitor checks in with `host_id` from the poster link of `location_id`
/// (as themselves when their address is confirmed, else with `guest(n)`'s details).
pub async fn arrive_as(
    app: &TestApp,
    browser: &mut crate::browser::Browser,
    location_id: i64,
    host_id: i64,
    n: usize,
) -> reqwest::Response {
    let code = arrival_code(app, location_id).await;
    let details = guest(n);
    let text = |k: &str| details[k].as_str().unwrap_or_default().to_string();
    let form = [
        ("location_id", location_id.to_string()),
        ("code", code),
        ("host_id", host_id.to_string()),
        ("name", text("name")),
        ("email", text("email")),
        ("phone", text("phone")),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post_form("/api/arrival_check_in", &form).await
}
