//! The outbox worker: claims due notification rows, sends them, records the outcome.
//! Several may run (on several instances); claims never overlap while a lease holds.

mod backoff;
mod config;
mod smtp;
mod twilio;

use std::time::Duration;

use app::ssr::entities::notification;
use app::ssr::services::outbox::{self, Outcome};
use sea_orm::DatabaseConnection;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use config::transports;
pub use smtp::SmtpMailer;
pub use twilio::{Sender, TwilioClient};

/// Messages are not retried forever: after this many attempts (well over half a
/// day with the backoff's one-hour cap) a row is failed permanently and shown to admins.
pub const MAX_ATTEMPTS: i32 = 30;
const IDLE_POLL: Duration = Duration::from_millis(250);
const BATCH: u64 = 16;

/// Where email and SMS go. `None`: the dev mailbox (stored, shown, not delivered).
#[derive(Clone, Default)]
pub struct Transports {
    pub email: Option<SmtpMailer>,
    pub sms: Option<TwilioClient>,
}

pub const DEV_MAILBOX: &str = "dev-mailbox";

/// Runs the worker until `stop`. `lease`: how long a claimed row is ours; it must
/// exceed the slowest send (SMTP 20 s, Twilio 15 s), since a batch is sent at once.
pub fn spawn(
    db: DatabaseConnection,
    transports: Transports,
    lease: Duration,
    stop: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let sent = match run_once(&db, &transports, lease).await {
                Ok(n) => n,
                Err(error) => {
                    tracing::warn!(%error, "outbox: cannot claim messages");
                    0
                }
            };
            if sent == 0 {
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                }
            } else if stop.is_cancelled() {
                return;
            }
        }
    })
}

/// Claims one batch and sends it; returns how many rows it handled.
pub async fn run_once(
    db: &DatabaseConnection,
    transports: &Transports,
    lease: Duration,
) -> Result<usize, sea_orm::DbErr> {
    let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let rows = outbox::claim_due(db, BATCH, lease).await?;
    let count = rows.len();
    // Sent concurrently: one slow peer must not hold the rest of the batch past its lease.
    let results = futures::future::join_all(rows.iter().map(|row| async move {
        let outcome = deliver(db, transports, row).await;
        match &outcome {
            Outcome::Sent { .. } => {
                tracing::info!(id = row.id, channel = %row.channel, "message sent")
            }
            Outcome::Retry { error, at } => {
                tracing::warn!(id = row.id, %error, retry_at = %at, "message will be retried")
            }
            Outcome::Failed { error } => {
                tracing::warn!(id = row.id, %error, "message failed permanently")
            }
        }
        outbox::record(db, row.id, &outcome).await
    }))
    .await;
    results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(count)
}

#[tracing::instrument(skip_all, fields(id = row.id, channel = %row.channel, attempt = row.attempts))]
async fn deliver(
    db: &DatabaseConnection,
    transports: &Transports,
    row: &notification::Model,
) -> Outcome {
    let outcome = match row.channel.as_str() {
        "email" => match &transports.email {
            Some(mailer) => mailer.send(row).await,
            None => Outcome::Sent {
                provider_id: DEV_MAILBOX.into(),
            },
        },
        "sms" => match outbox::is_opted_out(db, &row.recipient).await {
            Ok(true) => Outcome::Failed {
                error: "The recipient opted out of SMS (replied STOP).".into(),
            },
            Err(error) => {
                backoff::retry(row.attempts, format!("cannot check SMS opt-outs: {error}"))
            }
            Ok(false) => match &transports.sms {
                Some(client) => client.send(db, row).await,
                None => Outcome::Sent {
                    provider_id: DEV_MAILBOX.into(),
                },
            },
        },
        other => Outcome::Failed {
            error: format!("unknown channel {other}"),
        },
    };
    match outcome {
        Outcome::Retry { error, .. } if row.attempts >= MAX_ATTEMPTS => Outcome::Failed {
            error: format!("gave up after {} attempts: {error}", row.attempts),
        },
        other => other,
    }
}
