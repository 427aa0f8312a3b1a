//! The outbox worker: claims due notification rows, sends them, records the outcome.
//! Several may run (on several instances); claims never overlap while a lease holds.

mod backoff;
mod config;
mod smtp;
mod twilio;

use std::sync::Arc;
use std::time::Duration;

use app::ssr::entities::notification;
use app::ssr::services::outbox::{self, Outcome};
use sea_orm::DatabaseConnection;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

pub use config::transports;
pub use smtp::SmtpMailer;
pub use twilio::{Sender, TwilioClient};

/// Messages are not retried forever: after this many attempts (well over half a
/// day with the backoff's one-hour cap) a row is failed permanently and shown to admins.
pub const MAX_ATTEMPTS: i32 = 30;
const IDLE_POLL: Duration = Duration::from_millis(250);
const BATCH: usize = 16;

/// Where email and SMS go. `None`: the dev mailbox (stored, shown, not delivered).
#[derive(Clone, Default)]
pub struct Transports {
    pub email: Option<SmtpMailer>,
    pub sms: Option<TwilioClient>,
}

pub use app::ssr::services::outbox::DEV_MAILBOX;

/// How many messages one worker sends at a time. Each is its own task, so one slow
/// peer (a Twilio request hanging until its timeout) never holds the others back.
const MAX_IN_FLIGHT: usize = 32;

/// Runs the worker until `stop`. `lease`: how long a claimed row is ours; it must
/// exceed the slowest send (SMTP 20 s, Twilio 15 s).
pub fn spawn(
    db: DatabaseConnection,
    transports: Transports,
    lease: Duration,
    stop: CancellationToken,
) -> JoinHandle<()> {
    let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let transports = Arc::new(transports);
    tokio::spawn(async move {
        let mut in_flight = JoinSet::new();
        loop {
            while let Some(done) = in_flight.try_join_next() {
                log_join(done);
            }
            if stop.is_cancelled() {
                // The messages in hand are finished; unclaimed rows wait for the next start.
                while let Some(done) = in_flight.join_next().await {
                    log_join(done);
                }
                return;
            }
            let room = MAX_IN_FLIGHT.saturating_sub(in_flight.len()).min(BATCH);
            let claimed = match room {
                0 => Vec::new(),
                n => outbox::claim_due(&db, n as u64, lease)
                    .await
                    .unwrap_or_else(|error| {
                        tracing::warn!(%error, "outbox: cannot claim messages");
                        Vec::new()
                    }),
            };
            if claimed.is_empty() {
                tokio::select! {
                    _ = stop.cancelled() => {}
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    Some(done) = in_flight.join_next(), if !in_flight.is_empty() => log_join(done),
                }
            }
            for row in claimed {
                let (db, transports) = (db.clone(), transports.clone());
                in_flight.spawn(async move { send_and_record(&db, &transports, &row).await });
            }
        }
    })
}

fn log_join(done: Result<Result<(), sea_orm::DbErr>, tokio::task::JoinError>) {
    match done {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "outbox: cannot record an outcome"),
        Err(error) => tracing::error!(%error, "outbox: a send task failed"),
    }
}

/// Sends one claimed row and records how it went.
async fn send_and_record(
    db: &DatabaseConnection,
    transports: &Transports,
    row: &notification::Model,
) -> Result<(), sea_orm::DbErr> {
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
    outbox::record(db, row.id, &outcome).await?;
    // `attempts` counts this one: above 1, the channel failed before and works again.
    if matches!(outcome, Outcome::Sent { .. }) && row.attempts > 1 {
        let woken = outbox::retry_now(db, &row.channel).await?;
        if woken > 0 {
            tracing::info!(channel = %row.channel, woken, "channel back: retrying its queued messages now");
        }
    }
    Ok(())
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
