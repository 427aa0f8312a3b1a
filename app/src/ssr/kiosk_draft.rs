//! The check-in under way on a tablet, and the visit its done screen may show,
//! kept server-side in the tablet's session, never in the URL: once the tablet is
//! back at the welcome screen (or left idle), Back, history and the next guest
//! find nothing of the last one.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::AppError;
use crate::ssr::request::internal;

const KEY: &str = "kiosk_check_in";
const RECEIPT_KEY: &str = "kiosk_receipt";
/// A draft untouched this long is gone: the screens return to the welcome after a
/// minute idle, so only an abandoned tablet without JS gets this far.
const DRAFT_SECONDS: i64 = 300;
/// Wrong confirmations before the returning guest's details are out of reach.
pub const CONFIRM_TRIES: u8 = 3;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    kiosk_id: i32,
    /// What the guest typed (a returning guest's stored number is not shown).
    pub phone: String,
    /// The last visit of the guest this number belongs to, until confirmed or given up.
    pub returning: Option<i32>,
    pub confirmed: bool,
    pub wrong_answers: u8,
    at: i64,
}

impl Draft {
    pub fn new(kiosk_id: i32, phone: String, returning: Option<i32>) -> Self {
        Self {
            kiosk_id,
            phone,
            returning,
            confirmed: false,
            wrong_answers: 0,
            at: chrono::Utc::now().timestamp(),
        }
    }
}

/// This kiosk's draft on this session, if it is fresh.
pub async fn current(session: &Session, kiosk_id: i32) -> Result<Option<Draft>, AppError> {
    let draft: Option<Draft> = session.get(KEY).await.map_err(internal)?;
    let now = chrono::Utc::now().timestamp();
    Ok(draft.filter(|d| d.kiosk_id == kiosk_id && now - d.at <= DRAFT_SECONDS))
}

pub async fn save(session: &Session, mut draft: Draft) -> Result<(), AppError> {
    draft.at = chrono::Utc::now().timestamp();
    session.insert(KEY, draft).await.map_err(internal)
}

/// The check-in is done: its draft goes, and only visit `visit_id`'s done
/// screen may show, until the welcome screen.
pub async fn finish(session: &Session, visit_id: i32) -> Result<(), AppError> {
    session.remove::<Draft>(KEY).await.map_err(internal)?;
    session
        .insert(RECEIPT_KEY, visit_id)
        .await
        .map_err(internal)
}

/// The visit whose done screen this tablet may show.
pub async fn receipt(session: &Session) -> Result<Option<i32>, AppError> {
    session.get(RECEIPT_KEY).await.map_err(internal)
}

/// Back at the welcome screen: the check-in under way and the last done screen
/// are gone. A session holding neither is not written.
pub async fn clear(session: &Session) -> Result<(), AppError> {
    // Removing marks the session changed even when the key is absent: look first.
    let draft: Option<serde_json::Value> = session.get(KEY).await.map_err(internal)?;
    let receipt: Option<i32> = receipt(session).await?;
    if draft.is_some() {
        session.remove_value(KEY).await.map_err(internal)?;
    }
    if receipt.is_some() {
        session.remove_value(RECEIPT_KEY).await.map_err(internal)?;
    }
    Ok(())
}
