//! Who is logged in on a request's session.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};
use tower_sessions::session::Id;
use tower_sessions::{Session, SessionStore as _};

use super::caller::Account;
use super::store::{DbSessionStore, AUTH_KEY};
use crate::ssr::services::accounts::active_account;

#[derive(Debug, Serialize, Deserialize)]
struct SessionAuth {
    user_id: i32,
    /// Unix seconds of the log-in: the absolute timeout counts from here.
    since: i64,
    /// Unix seconds of the last request that extended the idle timeout.
    #[serde(default)]
    seen: i64,
}

/// The idle timeout is extended at most this often, so a busy page costs one
/// session write a minute, not one per request.
const TOUCH_EVERY_SECS: i64 = 60;

/// Logs `account` in on this session under a fresh id, so an id planted before the
/// log-in (session fixation) is worth nothing after it.
pub async fn begin(session: &Session, account: &Account) -> Result<(), anyhow::Error> {
    session.cycle_id().await?;
    session
        .insert(
            AUTH_KEY,
            SessionAuth {
                user_id: account.id,
                since: Utc::now().timestamp(),
                seen: Utc::now().timestamp(),
            },
        )
        .await?;
    Ok(())
}

/// Logs out: deletes the session server-side, so the cookie is worth nothing.
pub async fn end(session: &Session) -> Result<(), anyhow::Error> {
    session.flush().await?;
    Ok(())
}

/// Whether the log-in on session `id` still holds: stored and unexpired (idle and
/// absolute), its account still allowed in. A live stream asks every second, so it
/// ends within a second of a log-out, a deactivation, a password change elsewhere or
/// the session's end, whichever instance it runs on.
pub async fn still_logged_in(
    db: &DatabaseConnection,
    id: &Id,
    absolute: Duration,
) -> Result<bool, anyhow::Error> {
    let Some(record) = DbSessionStore::new(db.clone()).load(id).await? else {
        return Ok(false);
    };
    let Some(auth) = record
        .data
        .get(AUTH_KEY)
        .cloned()
        .and_then(|value| serde_json::from_value::<SessionAuth>(value).ok())
    else {
        return Ok(false);
    };
    let age = Utc::now().timestamp().saturating_sub(auth.since);
    if age > i64::try_from(absolute.as_secs()).unwrap_or(i64::MAX) {
        return Ok(false);
    }
    Ok(active_account(db, auth.user_id).await?.is_some())
}

/// The account logged in on this session, if the log-in is younger than `absolute`
/// and the account may still log in (active, approved). Ends the session otherwise.
pub async fn account(
    session: &Session,
    db: &impl ConnectionTrait,
    absolute: Duration,
) -> Result<Option<Account>, anyhow::Error> {
    let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Ok(None);
    };
    let now = Utc::now().timestamp();
    let age = now.saturating_sub(auth.since);
    if age > i64::try_from(absolute.as_secs()).unwrap_or(i64::MAX) {
        session.flush().await?;
        return Ok(None);
    }
    match active_account(db, auth.user_id).await? {
        Some(account) => {
            if now.saturating_sub(auth.seen) >= TOUCH_EVERY_SECS {
                // A changed value makes the layer save the session with a new expiry.
                auth.seen = now;
                session.insert(AUTH_KEY, auth).await?;
            }
            Ok(Some(account))
        }
        None => {
            session.flush().await?;
            Ok(None)
        }
    }
}
