//! tower-sessions' store on our own database (SQLite or PostgreSQL through sea-orm),
//! so that any instance can serve any request. Rows are keyed by the SHA-256 of the
//! session id, so a copy of the table logs nobody in.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::ssr::entities::session;
use crate::ssr::services::{is_unique_violation, secret_hash};

/// The session key holding who is logged in (`auth::session`); the store copies its
/// `user_id` into a column, so one account's sessions can be found and ended.
pub const AUTH_KEY: &str = "auth";

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Removes sessions past their expiry; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn expiry(record: &Record) -> Result<DateTime<Utc>, session_store::Error> {
    let at = record.expiry_date;
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond())
        .ok_or_else(|| session_store::Error::Encode("expiry out of range".into()))
}

/// The row key of a session id.
fn key(id: &Id) -> String {
    secret_hash(&id.to_string())
}

fn row(record: &Record) -> Result<session::ActiveModel, session_store::Error> {
    // Copied out of the data so one account's sessions can be found (and ended) at once.
    let user_id = record
        .data
        .get(AUTH_KEY)
        .and_then(|auth| auth.get("user_id"))
        .and_then(|id| id.as_i64())
        .and_then(|id| i32::try_from(id).ok());
    Ok(session::ActiveModel {
        id: Set(key(&record.id)),
        user_id: Set(user_id),
        data: Set(serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?),
        expires_at: Set(expiry(record)?),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id should never collide; if it does, draw another.
        loop {
            match session::Entity::insert(row(record)?).exec(&self.db).await {
                Ok(_) => return Ok(()),
                Err(e) if is_unique_violation(&e) => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
    }

    /// Updates a session that still exists, and only then: a request still running
    /// when its session was deleted (log-out, deactivation, password change) must not
    /// write it back. New sessions come through `create`.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut row = row(record)?;
        row.id = sea_orm::ActiveValue::NotSet;
        session::Entity::update_many()
            .set(row)
            .filter(session::Column::Id.eq(key(&record.id)))
            .exec(&self.db)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let found = session::Entity::find_by_id(key(id))
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(found) = found else {
            return Ok(None);
        };
        let data = serde_json::from_str(&found.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(found.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map(|_| ())
            .map_err(backend)
    }
}

/// Ends every session of one account (deactivation), or all but `keep` (password change).
pub async fn end_sessions_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    keep: Option<&Id>,
) -> Result<u64, sea_orm::DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(key(keep)));
    }
    Ok(query.exec(db).await?.rows_affected)
}
