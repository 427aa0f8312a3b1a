use std::time::Duration;

use app::ssr::entities::notification;
use app::ssr::services::outbox::{self, Outcome};
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::backoff;

/// Who the SMS comes from: a number, or a Twilio messaging service.
#[derive(Clone, Debug)]
pub enum Sender {
    From(String),
    MessagingService(String),
}

/// SMS through Twilio's REST API (`POST .../Accounts/{sid}/Messages.json`).
#[derive(Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base_url: String,
    account_sid: String,
    auth_token: SecretString,
    sender: Sender,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

#[derive(Deserialize)]
struct TwilioError {
    code: Option<i64>,
    message: Option<String>,
}

/// Twilio error codes that mean "try later"; everything else in a 4xx is final.
const RETRYABLE: [i64; 1] = [20429];
const OPTED_OUT: i64 = 21610;

impl TwilioClient {
    pub fn new(
        base_url: &str,
        account_sid: &str,
        auth_token: SecretString,
        sender: Sender,
    ) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            account_sid: account_sid.to_string(),
            auth_token,
            sender,
        })
    }

    pub async fn send(&self, db: &DatabaseConnection, row: &notification::Model) -> Outcome {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base_url, self.account_sid
        );
        let (sender_field, sender) = match &self.sender {
            Sender::From(number) => ("From", number.as_str()),
            Sender::MessagingService(sid) => ("MessagingServiceSid", sid.as_str()),
        };
        let form = [
            ("To", row.recipient.as_str()),
            (sender_field, sender),
            ("Body", row.body.as_str()),
        ];
        let response = self
            .http
            .post(&url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .form(&form)
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            // Connection refused, timeout, reset: Twilio may or may not have it; retrying
            // risks a rare duplicate, not retrying risks a silent lobby.
            Err(e) => {
                return backoff::retry(
                    row.attempts,
                    format!("Twilio unreachable: {}", without_url(&e)),
                )
            }
        };
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if status.is_success() {
            return match serde_json::from_str::<Created>(&body) {
                Ok(created) => Outcome::Sent {
                    provider_id: created.sid,
                },
                Err(_) => Outcome::Sent {
                    provider_id: "twilio (no sid in answer)".into(),
                },
            };
        }
        let error: TwilioError = serde_json::from_str(&body).unwrap_or(TwilioError {
            code: None,
            message: None,
        });
        let described = format!(
            "Twilio {}{}: {}",
            status.as_u16(),
            error
                .code
                .map(|c| format!(" error {c}"))
                .unwrap_or_default(),
            error.message.as_deref().unwrap_or("no details")
        );
        if status.as_u16() == 429
            || status.is_server_error()
            || error.code.is_some_and(|c| RETRYABLE.contains(&c))
        {
            return backoff::retry(row.attempts, described);
        }
        if error.code == Some(OPTED_OUT) {
            if let Err(e) = outbox::opt_out(db, &row.recipient).await {
                tracing::error!(error = %e, "cannot record an SMS opt-out");
            }
        }
        Outcome::Failed { error: described }
    }
}

/// reqwest errors print the URL, which holds the account SID; keep the cause only.
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    match std::error::Error::source(error) {
        Some(source) => format!("{kind}: {source}"),
        None => kind.to_string(),
    }
}
