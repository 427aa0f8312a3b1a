//! Business rules as plain async functions on a connection or transaction.
//! Server functions, the JSON API, the CLI and tests all call these.

/// A database error inside an operation is its `Unexpected` case; one impl per
/// operation's error enum, written once here.
macro_rules! unexpected_from_db {
    ($($error:ty),+ $(,)?) => {$(
        impl From<sea_orm::DbErr> for $error {
            fn from(e: sea_orm::DbErr) -> Self {
                Self::Unexpected(e.into())
            }
        }
    )+};
}
pub(crate) use unexpected_from_db;

pub mod account_messages;
pub mod accounts;
pub mod arrival_codes;
pub mod arrivals;
pub mod audit;
pub mod events;
pub mod export;
pub mod guests;
pub mod hosts;
pub mod kiosks;
pub mod labels;
pub mod links;
pub mod locations;
pub mod messages;
pub mod outbox;
pub mod regions;
pub mod returning;
pub mod server_keys;
pub mod setup;
pub mod tokens;
pub mod visit_owners;
pub mod visitors;
pub mod visits;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, SqlErr, TransactionTrait};

/// Starts a transaction that will write. On SQLite it takes the write lock with its
/// first statement, as `BEGIN IMMEDIATE` would (sea-orm 1.1 cannot begin one): a
/// deferred transaction that reads first and writes later fails at once with
/// "database is locked" when another writer got in between, instead of waiting
/// within the busy timeout. PostgreSQL needs nothing: it has row locks.
pub async fn begin_write(db: &impl TransactionTrait) -> Result<DatabaseTransaction, DbErr> {
    let tx = db.begin().await?;
    if tx.get_database_backend() == DbBackend::Sqlite {
        // Matches no row, but any UPDATE takes the write lock before it runs.
        tx.execute_unprepared("UPDATE counters SET value = value WHERE 0")
            .await?;
    }
    Ok(tx)
}

pub(crate) fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// A random secret (256 bits), URL-safe, for tokens and links.
pub fn random_secret() -> Result<String, anyhow::Error> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness from the OS: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// SHA-256 (hex) of a secret: what we store instead of the secret.
pub fn secret_hash(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}
