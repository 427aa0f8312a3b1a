//! The server under test: the release `frontdesk` binary on a fresh SQLite database,
//! and the accounts the benchmarks need, made through the same doors people use.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};

pub const PASSWORD: &str = "bench passphrase";

pub struct Target {
    pub base: String,
    pub token: String,
    /// The server's database, read to follow the links it e-mails (dev mailbox).
    pub db_url: String,
    pub client: reqwest::Client,
    pub pid: u32,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Target {
    /// Starts the release build with limits raised out of the benchmarks' way (the
    /// log-in storm must measure hashing, not the rate limiter).
    pub async fn start() -> anyhow::Result<Self> {
        let binary = root().join("target/release/frontdesk");
        if !binary.exists() {
            bail!(
                "{} is missing: run `cargo leptos build --release` first",
                binary.display()
            );
        }
        let dir = tempfile::tempdir()?;
        let db = format!("sqlite://{}", dir.path().join("bench.db").display());
        let port = free_port()?;
        let env = [
            ("DATABASE_URL", db.as_str()),
            ("FRONTDESK_ADDR", &format!("127.0.0.1:{port}")),
            (
                "FRONTDESK_SITE_ROOT",
                &root().join("target/site").display().to_string(),
            ),
            ("FRONTDESK_LOG", "warn"),
            ("FRONTDESK_ALLOWED_HOST_DOMAINS", "example.com"),
            ("FRONTDESK_SIGNUPS_PER_HOUR_PER_IP", "100000"),
            ("FRONTDESK_LOGIN_ATTEMPTS_PER_MINUTE_PER_IP", "100000"),
            ("FRONTDESK_LOGIN_ATTEMPTS_PER_MINUTE_PER_ACCOUNT", "100000"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let token = Command::new(&binary)
            .args(["token", "create", "--name", "bench"])
            .envs(env.clone())
            .output()
            .context("frontdesk token create")?;
        if !token.status.success() {
            bail!("token create: {}", String::from_utf8_lossy(&token.stderr));
        }
        let token = String::from_utf8(token.stdout)?.trim().to_string();
        let child = Command::new(&binary)
            .arg("serve")
            .envs(env)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start frontdesk")?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(256)
            .build()?;
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if client
                .get(format!("{base}/health"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                let pid = child.id();
                return Ok(Self {
                    base,
                    token,
                    db_url: db.clone(),
                    client,
                    pid,
                    child,
                    _dir: dir,
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("frontdesk did not answer /health within 10 s")
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let body: serde_json::Value = response.json().await?;
        if !status.is_success() {
            bail!("{path}: {status} {body}");
        }
        Ok(body)
    }

    pub async fn location(&self) -> anyhow::Result<i64> {
        let l = self
            .post_json(
                "/api/v1/locations",
                serde_json::json!({"name": "Bench HQ", "address": "1 Loop St", "time_zone": "UTC"}),
            )
            .await?;
        l["id"].as_i64().context("location id")
    }

    /// A host signed up through the host door: (session cookie, host id).
    pub async fn host(&self, n: usize, location_id: i64) -> anyhow::Result<(String, i64)> {
        let email = format!("host{n}@example.com");
        let response = self
            .client
            .post(format!("{}/api/sign_up", self.base))
            .form(&[
                ("door", "host"),
                ("name", &format!("Host {n}")),
                ("email", &email),
                ("phone", &format!("+1 415 555 {:04}", 1000 + n)),
                ("password", PASSWORD),
                ("location_id", &location_id.to_string()),
            ])
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "sign-up: {}",
            response.status()
        );
        // Guests can pick the host once the address is confirmed.
        let token = self.link_sent_to(&email, "/account/confirm?token=").await?;
        self.client
            .post(format!("{}/api/confirm_email", self.base))
            .form(&[("token", token.as_str()), ("password", PASSWORD)])
            .send()
            .await?
            .error_for_status()?;
        let response = self
            .client
            .post(format!("{}/api/log_in", self.base))
            .form(&[("door", "host"), ("email", &email), ("password", PASSWORD)])
            .send()
            .await?;
        let cookie = session_cookie(&response).context("log-in sets a session cookie")?;
        let hosts: serde_json::Value = self
            .client
            .get(format!(
                "{}/api/v1/hosts?location_id={location_id}",
                self.base
            ))
            .bearer_auth(&self.token)
            .send()
            .await?
            .json()
            .await?;
        let id = hosts["items"]
            .as_array()
            .and_then(|items| items.iter().find(|h| h["email"] == email.as_str()))
            .and_then(|h| h["id"].as_i64())
            .context("the host exists")?;
        Ok((cookie, id))
    }

    /// The secret after `marker` in the newest message to `email`.
    async fn link_sent_to(&self, email: &str, marker: &str) -> anyhow::Result<String> {
        use app::ssr::entities::notification;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let db = sea_orm::Database::connect(&self.db_url).await?;
        let sent = notification::Entity::find()
            .filter(notification::Column::Recipient.eq(email))
            .order_by_desc(notification::Column::Id)
            .all(&db)
            .await?;
        sent.iter()
            .find_map(|n| {
                let start = n.body.find(marker)? + marker.len();
                let token: String = n.body[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                (!token.is_empty()).then_some(token)
            })
            .context("no link e-mailed")
    }

    /// Resident set size of the server process, in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("VmRSS")
    }
}

pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("frontdesk_session="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

/// A guest nobody else uses: check-ins never collide on "already checked in".
pub fn guest(i: usize, host_id: i64) -> serde_json::Value {
    serde_json::json!({
        "name": format!("Guest {i}"),
        "email": format!("g{i}@bench.example"),
        "phone": format!("+1 212 {:03} {:04}", 200 + (i / 10000) % 800, i % 10000),
        "host_id": host_id,
    })
}
