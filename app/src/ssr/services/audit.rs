//! Who changed what: written in the same transaction as the change.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::Value;

use crate::ssr::auth::caller::Actor;
use crate::ssr::entities::audit_entry;

pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    subject: (&str, i32),
    details: Value,
) -> Result<(), DbErr> {
    audit_entry::ActiveModel {
        at: Set(Utc::now()),
        actor: Set(actor.0.clone()),
        action: Set(action.to_string()),
        subject_type: Set(subject.0.to_string()),
        subject_id: Set(Some(subject.1)),
        details: Set(details.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}
