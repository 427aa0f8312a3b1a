//! The append-only event log that live dashboards follow.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};
use serde_json::Value;

use super::accounts::Scope;
use crate::ssr::entities::event;

pub const VISIT_CHECKED_IN: &str = "visit_checked_in";
pub const VISIT_CHECKED_OUT: &str = "visit_checked_out";
pub const HOST_UPDATED: &str = "host_updated";

/// Rung after a transaction with an event commits, so this process's live hub reads
/// the log at once; other instances find the event on their next poll.
static COMMITTED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Call right after committing a transaction that appended an event.
pub fn committed() {
    // A stored permit: a hub busy reading the log still wakes once more after.
    COMMITTED.notify_one();
}

/// Resolves at the next `committed()` (or at once for one made while not waiting).
pub async fn next_commit() {
    COMMITTED.notified().await;
}

/// Takes the next sequence number. Call it FIRST in a write transaction: the counter
/// row stays locked until commit (PostgreSQL row lock; on SQLite the write lock), so
/// events commit in sequence order with no gaps, and on SQLite the transaction holds
/// the write lock before it reads anything (no SQLITE_BUSY on lock upgrade).
pub async fn next_seq(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "UPDATE counters SET value = value + 1 WHERE name = 'events' RETURNING value",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the events counter row is missing".into()))?;
    row.try_get("", "value")
}

pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub visit_id: Option<i32>,
    pub host_id: Option<i32>,
    pub location_id: Option<i32>,
    pub payload: Value,
}

pub async fn append(
    db: &impl ConnectionTrait,
    seq: i64,
    event: NewEvent<'_>,
    at: DateTime<Utc>,
) -> Result<event::Model, DbErr> {
    event::ActiveModel {
        seq: Set(seq),
        kind: Set(event.kind.to_string()),
        visit_id: Set(event.visit_id),
        host_id: Set(event.host_id),
        location_id: Set(event.location_id),
        payload: Set(event.payload.to_string()),
        created_at: Set(at),
    }
    .insert(db)
    .await
}

/// Events after `after`, oldest first, that `scope` may see: a host those about
/// their own visitors and themselves, an admin all (or one location's). Visitors follow
/// no live stream.
pub async fn after(
    db: &impl ConnectionTrait,
    after: i64,
    scope: Scope,
    location_id: Option<i32>,
    limit: u64,
) -> Result<Vec<event::Model>, DbErr> {
    let mut query = event::Entity::find()
        .filter(event::Column::Seq.gt(after))
        .order_by_asc(event::Column::Seq)
        .limit(limit);
    query = match scope {
        Scope::Admin => query,
        Scope::Host { host_id } => query.filter(event::Column::HostId.eq(host_id)),
        Scope::Visitor { .. } => return Ok(Vec::new()),
    };
    if let Some(location_id) = location_id {
        query = query.filter(event::Column::LocationId.eq(location_id));
    }
    query.all(db).await
}

/// The rule of `after` for one event already read (the live hub reads each event
/// once and every socket picks what it may see).
pub fn visible(event: &event::Model, scope: Scope, location_id: Option<i32>) -> bool {
    let by_scope = match scope {
        Scope::Admin => true,
        Scope::Host { host_id } => event.host_id == Some(host_id),
        Scope::Visitor { .. } => false,
    };
    by_scope && location_id.is_none_or(|l| event.location_id == Some(l))
}

/// The newest sequence number committed (0 before the first event).
pub async fn latest(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(seq), 0) AS seq FROM events",
        ))
        .await?;
    match row {
        Some(row) => row.try_get("", "seq"),
        None => Ok(0),
    }
}
