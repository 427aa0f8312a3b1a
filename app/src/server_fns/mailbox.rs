//! Messages for admins to read: the dev mailbox (kept instead of sent when no SMTP
//! or Twilio is set up) and the messages that failed permanently. Admins only:
//! messages carry guests' names, phones and check-out links.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{auth::caller::Role, request::require, services::outbox};
use crate::types::MailboxItem;

#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailboxItem>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let rows = outbox::dev_mailbox(&state.db, 100).await?;
    Ok(rows.into_iter().map(outbox::mailbox_item).collect())
}

/// Messages that failed permanently (bad number, opted out, refused by the mail server).
#[server(endpoint = "failed_messages")]
pub async fn failed_messages() -> Result<Vec<MailboxItem>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let rows = outbox::failed(&state.db, 50).await?;
    Ok(rows.into_iter().map(outbox::mailbox_item).collect())
}
