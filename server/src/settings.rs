//! Typed settings, layered: built-in defaults → `frontdesk.toml` (or `--config PATH`)
//! → environment (`FRONTDESK_*`, plus `DATABASE_URL`). Secrets are `SecretString`s,
//! so `Debug` and logs show `[REDACTED]`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;

use app::ssr::domain::Region;
use config::{Config, Environment, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub const DEFAULT_CONFIG_FILE: &str = "frontdesk.toml";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `FRONTDESK_ADDR`: where the server listens.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://PATH` or `postgres://...`. May hold a password.
    pub database_url: SecretString,
    /// `FRONTDESK_PUBLIC_URL`: how people reach this server (links in messages).
    pub public_url: Option<String>,
    /// `FRONTDESK_SITE_ROOT`: a built site (wasm, JS, CSS, assets) to serve instead of
    /// the one embedded in the binary (development).
    pub site_root: Option<String>,
    /// `FRONTDESK_LOG`: a tracing filter, e.g. `info` or `frontdesk=debug,info`.
    pub log: String,
    /// `FRONTDESK_LOG_FORMAT`: `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// `FRONTDESK_DEFAULT_REGION`: two-letter region for phone numbers typed without
    /// a country code (e.g. `US`, `GB`, `IN`).
    pub default_region: String,
    /// `FRONTDESK_OUTBOX_LEASE_SECS`: how long a worker owns a message it claimed; a
    /// message left `sending` by a crashed worker is sent again after this.
    pub outbox_lease_secs: u64,
    pub smtp_url: Option<SecretString>,
    pub mail_from: Option<String>,
    pub twilio_account_sid: Option<String>,
    pub twilio_auth_token: Option<SecretString>,
    pub twilio_from: Option<String>,
    pub twilio_messaging_service_sid: Option<String>,
    pub twilio_base_url: String,
    /// `FRONTDESK_ADMIN_EMAIL` / `_PASSWORD`: the first admin, created when no admin exists.
    pub admin_email: Option<String>,
    pub admin_password: Option<SecretString>,
    /// `FRONTDESK_ALLOWED_HOST_DOMAINS`: comma-separated e-mail domains whose hosts
    /// are active at sign-up; everyone else waits for an admin's approval.
    pub allowed_host_domains: Option<String>,
    /// `FRONTDESK_SESSION_IDLE_MINUTES`: a session unused this long ends.
    pub session_idle_minutes: u64,
    /// `FRONTDESK_SESSION_MAX_HOURS`: a session ends this long after log-in.
    pub session_max_hours: u64,
    /// `FRONTDESK_CLIENT_IP_HEADER`: behind a proxy, the header it sets to the
    /// client's address (`X-Forwarded-For`); rate limits then count per client.
    pub client_ip_header: Option<String>,
    pub login_attempts_per_minute_per_ip: u32,
    pub login_attempts_per_minute_per_account: u32,
    pub signups_per_hour_per_ip: u32,
    pub pairings_per_minute_per_ip: u32,
    /// Per kiosk or per logged-in account; API tokens are not limited.
    pub check_ins_per_minute_per_caller: u32,
    /// Per guest e-mail address and per guest phone number.
    pub check_ins_per_hour_per_guest: u32,
    /// E-mails about one account address (reset links, sign-up notices, links sent again).
    pub account_mails_per_hour_per_address: u32,
    /// Requests to the lobby poster's check-in page per client address.
    pub arrivals_per_minute_per_ip: u32,
    /// Guest look-ups (number typed, confirmation, check-out) per kiosk.
    pub kiosk_lookups_per_minute: u32,
    /// `FRONTDESK_ARRIVAL_GRACE_MINUTES`: yesterday's poster code still works this long
    /// after local midnight (a guest who opened the page just before).
    pub arrival_grace_minutes: u32,
    /// `FRONTDESK_HEADER_READ_TIMEOUT_SECS`: a client must send a request's headers
    /// within this time (also how long an idle keep-alive connection stays open).
    pub header_read_timeout_secs: u64,
    /// `FRONTDESK_REQUEST_TIMEOUT_SECS`: a request answered in no more than this (408).
    pub request_timeout_secs: u64,
    /// `FRONTDESK_MAX_CONNECTIONS`: open connections at once; more are closed at once.
    pub max_connections: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid settings: {0}")]
    Invalid(#[from] config::ConfigError),
    #[error("invalid settings: {0}")]
    Rule(String),
}

impl Settings {
    /// Settings from `path` (or `./frontdesk.toml` if present) and the process environment.
    pub fn load(path: Option<&Path>) -> Result<Self, SettingsError> {
        Self::from_sources(
            Some(path.unwrap_or(Path::new(DEFAULT_CONFIG_FILE))),
            std::env::vars(),
        )
    }

    /// The built-in defaults alone, as a fresh install sees them.
    pub fn defaults() -> Result<Self, SettingsError> {
        Self::from_sources(None, std::iter::empty())
    }

    /// `file`: a settings file, required unless it is the default `frontdesk.toml`.
    pub fn from_sources(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, SettingsError> {
        let env: HashMap<String, String> = env.into_iter().collect();
        let file = file.map(|path| {
            File::from(path)
                .format(FileFormat::Toml)
                .required(path != Path::new(DEFAULT_CONFIG_FILE))
        });
        let frontdesk_env: config::Map<String, String> = env
            .iter()
            .filter(|(key, _)| key.starts_with("FRONTDESK_"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut builder = Config::builder()
            .set_default("addr", "127.0.0.1:3000")?
            .set_default("database_url", "sqlite://data/frontdesk.db")?
            .set_default("log", "info,sqlx=warn,sea_orm=warn")?
            .set_default("log_format", "pretty")?
            .set_default("default_region", "US")?
            .set_default("outbox_lease_secs", 60)?
            .set_default("twilio_base_url", "https://api.twilio.com")?
            .set_default("session_idle_minutes", 120)?
            .set_default("session_max_hours", 12)?
            .set_default("login_attempts_per_minute_per_ip", 30)?
            .set_default("login_attempts_per_minute_per_account", 10)?
            .set_default("signups_per_hour_per_ip", 20)?
            .set_default("pairings_per_minute_per_ip", 10)?
            .set_default("check_ins_per_minute_per_caller", 20)?
            .set_default("check_ins_per_hour_per_guest", 10)?
            .set_default("account_mails_per_hour_per_address", 5)?
            .set_default("arrivals_per_minute_per_ip", 300)?
            .set_default("kiosk_lookups_per_minute", 10)?
            .set_default("arrival_grace_minutes", 60)?
            .set_default("header_read_timeout_secs", 10)?
            .set_default("request_timeout_secs", 30)?
            .set_default("max_connections", 1024)?;
        if let Some(file) = file {
            builder = builder.add_source(file);
        }
        let settings: Settings = builder
            .add_source(
                Environment::with_prefix("FRONTDESK")
                    .prefix_separator("_")
                    .source(Some(frontdesk_env)),
            )
            .set_override_option("database_url", env.get("DATABASE_URL").cloned())?
            .build()?
            .try_deserialize()?;
        settings.validated()
    }

    fn validated(self) -> Result<Self, SettingsError> {
        if let Some(public_url) = &self.public_url {
            let url = url::Url::parse(public_url).map_err(|e| {
                SettingsError::Rule(format!(
                    "FRONTDESK_PUBLIC_URL \"{public_url}\" is not a URL: {e}"
                ))
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(SettingsError::Rule(format!(
                    "FRONTDESK_PUBLIC_URL must start with http:// or https:// (got \"{public_url}\")"
                )));
            }
        }
        self.region()?;
        if self.session_idle_minutes == 0 || self.session_max_hours == 0 {
            return Err(SettingsError::Rule(
                "FRONTDESK_SESSION_IDLE_MINUTES and FRONTDESK_SESSION_MAX_HOURS must be at least 1"
                    .into(),
            ));
        }
        if self.admin_email.is_some() && self.admin_password.is_none() {
            return Err(SettingsError::Rule(
                "FRONTDESK_ADMIN_EMAIL needs FRONTDESK_ADMIN_PASSWORD too".into(),
            ));
        }
        if self.outbox_lease_secs == 0 {
            return Err(SettingsError::Rule(
                "FRONTDESK_OUTBOX_LEASE_SECS must be at least 1".into(),
            ));
        }
        if self.twilio_messaging_service_sid.is_some() && self.twilio_from.is_some() {
            return Err(SettingsError::Rule(
                "set FRONTDESK_TWILIO_FROM or FRONTDESK_TWILIO_MESSAGING_SERVICE_SID, not both"
                    .into(),
            ));
        }
        Ok(self)
    }

    pub fn region(&self) -> Result<Region, SettingsError> {
        Region::parse(&self.default_region)
            .map_err(|m| SettingsError::Rule(format!("FRONTDESK_DEFAULT_REGION: {m}")))
    }

    pub fn allowed_host_domains(&self) -> Vec<String> {
        self.allowed_host_domains
            .iter()
            .flat_map(|list| list.split(','))
            .map(|domain| domain.trim().trim_start_matches('@').to_lowercase())
            .filter(|domain| !domain.is_empty())
            .collect()
    }

    pub fn limits(&self) -> app::ssr::auth::limits::LimitsConfig {
        app::ssr::auth::limits::LimitsConfig {
            login_per_minute_per_ip: self.login_attempts_per_minute_per_ip,
            login_per_minute_per_account: self.login_attempts_per_minute_per_account,
            signups_per_hour_per_ip: self.signups_per_hour_per_ip,
            pairings_per_minute_per_ip: self.pairings_per_minute_per_ip,
            check_ins_per_minute_per_caller: self.check_ins_per_minute_per_caller,
            check_ins_per_hour_per_guest: self.check_ins_per_hour_per_guest,
            account_mails_per_hour_per_address: self.account_mails_per_hour_per_address,
            arrivals_per_minute_per_ip: self.arrivals_per_minute_per_ip,
            lookups_per_minute_per_kiosk: self.kiosk_lookups_per_minute,
            ..Default::default()
        }
    }

    pub fn http_limits(&self) -> crate::serve::HttpLimits {
        crate::serve::HttpLimits {
            header_read: std::time::Duration::from_secs(self.header_read_timeout_secs.max(1)),
            request: std::time::Duration::from_secs(self.request_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
        }
    }

    /// The public URL, defaulting to `bound` (the real address when listening on port 0).
    pub fn public_url_or(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{bound}"),
        }
    }
}

/// A database URL with its password masked, safe for logs and error messages.
pub fn redacted_url(url: &SecretString) -> String {
    match url::Url::parse(url.expose_secret()) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        // Unparseable: show only the scheme, in case a password sits in the rest.
        Err(_) => match url.expose_secret().split_once("://") {
            Some((scheme, _)) => format!("{scheme}://…"),
            None => "(unrecognised)".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_listen_on_localhost_3000_with_sqlite_under_data() {
        let s = Settings::defaults().unwrap();
        assert_eq!(s.addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(s.database_url.expose_secret(), "sqlite://data/frontdesk.db");
        assert_eq!(s.public_url_or(s.addr), "http://127.0.0.1:3000");
        assert!(s.smtp_url.is_none() && s.twilio_account_sid.is_none());
    }

    #[test]
    fn environment_overrides_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frontdesk.toml");
        std::fs::write(
            &path,
            "addr = \"0.0.0.0:8080\"\nmail_from = \"desk@file.example\"\n",
        )
        .unwrap();
        let s = Settings::from_sources(
            Some(&path),
            env(&[
                ("FRONTDESK_MAIL_FROM", "desk@env.example"),
                ("FRONTDESK_TWILIO_ACCOUNT_SID", "AC123"),
                ("DATABASE_URL", "postgres://u:p@db/frontdesk"),
            ]),
        )
        .unwrap();
        assert_eq!(s.addr, "0.0.0.0:8080".parse().unwrap());
        assert_eq!(s.mail_from.as_deref(), Some("desk@env.example"));
        assert_eq!(s.twilio_account_sid.as_deref(), Some("AC123"));
        assert_eq!(
            s.database_url.expose_secret(),
            "postgres://u:p@db/frontdesk"
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let s = Settings::from_sources(
            None,
            env(&[
                ("FRONTDESK_TWILIO_AUTH_TOKEN", "tok-supersecret"),
                ("FRONTDESK_SMTP_URL", "smtp://me:pw-supersecret@mail"),
                ("DATABASE_URL", "postgres://u:db-supersecret@db/x"),
            ]),
        )
        .unwrap();
        let debug = format!("{s:?}");
        assert!(!debug.contains("supersecret"), "{debug}");
    }

    #[test]
    fn a_bad_address_is_a_clear_error() {
        let err = Settings::from_sources(None, env(&[("FRONTDESK_ADDR", "nowhere")])).unwrap_err();
        assert!(err.to_string().contains("addr"), "{err}");
    }

    #[test]
    fn an_unknown_default_region_is_a_clear_error() {
        let err =
            Settings::from_sources(None, env(&[("FRONTDESK_DEFAULT_REGION", "XX")])).unwrap_err();
        assert!(
            err.to_string().contains("FRONTDESK_DEFAULT_REGION"),
            "{err}"
        );
    }

    #[test]
    fn a_public_url_must_be_http_or_https() {
        let err =
            Settings::from_sources(None, env(&[("FRONTDESK_PUBLIC_URL", "ftp://x")])).unwrap_err();
        assert!(err.to_string().contains("FRONTDESK_PUBLIC_URL"), "{err}");
    }

    #[test]
    fn allowed_host_domains_are_a_trimmed_lowercase_list() {
        let s = Settings::from_sources(
            None,
            env(&[(
                "FRONTDESK_ALLOWED_HOST_DOMAINS",
                " Example.com, @corp.io ,,",
            )]),
        )
        .unwrap();
        assert_eq!(s.allowed_host_domains(), vec!["example.com", "corp.io"]);
        assert!(Settings::defaults()
            .unwrap()
            .allowed_host_domains()
            .is_empty());
    }

    #[test]
    fn an_admin_email_without_a_password_is_a_clear_error() {
        let err = Settings::from_sources(None, env(&[("FRONTDESK_ADMIN_EMAIL", "a@b.example")]))
            .unwrap_err();
        assert!(
            err.to_string().contains("FRONTDESK_ADMIN_PASSWORD"),
            "{err}"
        );
    }

    #[test]
    fn redacted_urls_hide_passwords() {
        let url = SecretString::from("postgres://admin:hunter2@db:5432/frontdesk");
        assert_eq!(redacted_url(&url), "postgres://admin:***@db:5432/frontdesk");
        let broken = SecretString::from("postgres://admin:hunter2@[db");
        assert_eq!(redacted_url(&broken), "postgres://…");
    }
}
