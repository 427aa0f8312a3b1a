use serde::{Deserialize, Serialize};

/// What the status page shows about this server and its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    pub database: String,
    pub migrations_applied: u64,
    pub latest_migration: Option<String>,
    pub checked_at: String,
}
