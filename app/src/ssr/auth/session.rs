//! Who is logged in on a request's session.

use std::time::Duration;

use chrono::Utc;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::caller::Account;
use super::store::AUTH_KEY;
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
