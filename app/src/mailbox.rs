//! Messages for admins to read: the dev mailbox (kept instead of sent when no SMTP
//! or Twilio is set up) and the messages that failed permanently. Admins only:
//! messages carry guests' names, phones and check-out links.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxItem {
    pub id: i32,
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub at: String,
    /// Why it will not be sent (failed messages only).
    pub error: Option<String>,
    pub visit_id: Option<i32>,
}

#[cfg(feature = "ssr")]
impl From<crate::ssr::entities::notification::Model> for MailboxItem {
    fn from(n: crate::ssr::entities::notification::Model) -> Self {
        Self {
            id: n.id,
            channel: n.channel,
            recipient: n.recipient,
            subject: n.subject,
            body: n.body,
            at: n.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            error: n.last_error,
            visit_id: n.visit_id,
        }
    }
}

#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailboxItem>, AppError> {
    use crate::ssr::request::{internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::outbox;
    let (state, _) = require(&[Role::Admin]).await?;
    let rows = outbox::dev_mailbox(&state.db, 100)
        .await
        .map_err(internal)?;
    Ok(rows.into_iter().map(MailboxItem::from).collect())
}

/// Messages that failed permanently (bad number, opted out, refused by the mail server).
#[server(endpoint = "failed_messages")]
pub async fn failed_messages() -> Result<Vec<MailboxItem>, AppError> {
    use crate::ssr::request::{internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::outbox;
    let (state, _) = require(&[Role::Admin]).await?;
    let rows = outbox::failed(&state.db, 50).await.map_err(internal)?;
    Ok(rows.into_iter().map(MailboxItem::from).collect())
}
