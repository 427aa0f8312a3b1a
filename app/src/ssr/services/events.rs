//! The append-only event log that live dashboards follow.

use std::ops::Deref;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement, TransactionTrait,
};
use serde_json::Value;

use crate::ssr::auth::caller::Scope;
use crate::ssr::entities::event;

pub const VISIT_CHECKED_IN: &str = "visit_checked_in";
pub const VISIT_CHECKED_OUT: &str = "visit_checked_out";
pub const HOST_UPDATED: &str = "host_updated";

/// Rung after a transaction with an event commits, so this process's live hub reads
/// the log at once; other instances find the event on their next poll.
static COMMITTED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Rung by `EventTx::commit`.
fn committed() {
    // A stored permit: a hub busy reading the log still wakes once more after.
    COMMITTED.notify_one();
}

/// Resolves at the next `committed()` (or at once for one made while not waiting).
pub async fn next_commit() {
    COMMITTED.notified().await;
}

/// A write transaction that may append one event, in the order the live stream
/// needs: `begin` takes the next sequence number FIRST, so the counter row stays
/// locked until commit (PostgreSQL row lock; on SQLite the write lock) and events
/// commit in sequence order with no gaps; on SQLite the transaction also holds the
/// write lock before it reads anything (no SQLITE_BUSY on lock upgrade). `commit`
/// wakes this process's live hub after the commit, never before it.
pub struct EventTx {
    tx: DatabaseTransaction,
    seq: i64,
    appended: bool,
}

impl EventTx {
    pub async fn begin(db: &impl TransactionTrait) -> Result<Self, DbErr> {
        let tx = db.begin().await?;
        let seq = next_seq(&tx).await?;
        Ok(Self {
            tx,
            seq,
            appended: false,
        })
    }

    /// Appends this transaction's event (one per transaction: one sequence number).
    pub async fn append(&mut self, event: NewEvent<'_>, at: DateTime<Utc>) -> Result<(), DbErr> {
        if self.appended {
            return Err(DbErr::Custom("one event per transaction".into()));
        }
        event::ActiveModel {
            seq: Set(self.seq),
            kind: Set(event.kind.to_string()),
            visit_id: Set(event.visit_id),
            host_id: Set(event.host_id),
            location_id: Set(event.location_id),
            payload: Set(event.payload.to_string()),
            created_at: Set(at),
        }
        .insert(&self.tx)
        .await?;
        self.appended = true;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        let appended = self.appended;
        self.tx.commit().await?;
        if appended {
            committed();
        }
        Ok(())
    }
}

/// Reads and writes go through the transaction (`&*tx`).
impl Deref for EventTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

async fn next_seq(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
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

/// Events after `after`, oldest first, that `scope` may see (`Scope::events`), of
/// one location if `location_id` is given.
pub async fn after(
    db: &impl ConnectionTrait,
    after: i64,
    scope: Scope,
    location_id: Option<i32>,
    limit: u64,
) -> Result<Vec<event::Model>, DbErr> {
    let query = event::Entity::find()
        .filter(event::Column::Seq.gt(after))
        .order_by_asc(event::Column::Seq)
        .limit(limit);
    let Some(mut query) = scope.events(query) else {
        return Ok(Vec::new());
    };
    if let Some(location_id) = location_id {
        query = query.filter(event::Column::LocationId.eq(location_id));
    }
    query.all(db).await
}

/// The rule of `after` for one event already read (the live hub reads each event
/// once and every socket picks what it may see).
pub fn visible(event: &event::Model, scope: Scope, location_id: Option<i32>) -> bool {
    scope.sees_event(event) && location_id.is_none_or(|l| event.location_id == Some(l))
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
