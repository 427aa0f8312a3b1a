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

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }
}

/// The built site (wasm, JS, CSS) at the workspace's target/site, if it was built.
pub static SITE_ROOT: LazyLock<PathBuf> =
    LazyLock::new(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"));

pub async fn spawn_app() -> TestApp {
    let database = TestDatabase::fresh().await;
    let mut settings = Settings::defaults().expect("default settings are valid");
    settings.addr = "127.0.0.1:0".parse().expect("socket address");
    settings.database_url = SecretString::from(database.url.clone());
    settings.site_root = SITE_ROOT.display().to_string();

    let app = Application::build(&settings).await.expect("the app builds");
    let port = app.port();
    let db = app.db().clone();
    tokio::spawn(app.run_until(std::future::pending()));

    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db,
        database,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
    }
}
