//! The transactional outbox: messages are rows written with the change that causes them.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::ssr::entities::notification;

pub const QUEUED: &str = "queued";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

pub struct Message {
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    visit_id: Option<i32>,
    message: Message,
    now: DateTime<Utc>,
) -> Result<notification::Model, DbErr> {
    notification::ActiveModel {
        visit_id: Set(visit_id),
        channel: Set(message.channel.as_str().to_string()),
        recipient: Set(message.recipient),
        subject: Set(message.subject),
        body: Set(message.body),
        html_body: Set(None),
        status: Set(QUEUED.to_string()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        leased_until: Set(None),
        last_error: Set(None),
        provider_id: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}
