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

pub mod accounts;
pub mod audit;
pub mod events;
pub mod export;
pub mod guests;
pub mod hosts;
pub mod kiosks;
pub mod labels;
pub mod locations;
pub mod messages;
pub mod outbox;
pub mod setup;
pub mod tokens;
pub mod visitors;
pub mod visits;

use sea_orm::{DbErr, SqlErr};

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
