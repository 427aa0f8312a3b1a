use serde::{Deserialize, Serialize};

/// A message as admins read it (the dev mailbox, the failed messages).
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
