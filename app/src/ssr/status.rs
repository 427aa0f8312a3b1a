use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::error::AppError;
use crate::types::StatusReport;

#[tracing::instrument(skip(db))]
pub async fn status_report(db: &DatabaseConnection) -> Result<StatusReport, AppError> {
    let backend = db.get_database_backend();
    let row = db
        .query_one(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS applied, MAX(version) AS latest FROM seaql_migrations",
        ))
        .await
        .and_then(|row| {
            let row = row.ok_or_else(|| sea_orm::DbErr::RecordNotFound("no row".into()))?;
            Ok((
                row.try_get::<i64>("", "applied")?,
                row.try_get::<Option<String>>("", "latest")?,
            ))
        });
    let (applied, latest) = row.map_err(|error| {
        tracing::error!(error = %error, "status query failed");
        AppError::DatabaseUnavailable
    })?;
    Ok(StatusReport {
        database: backend_name(backend).to_string(),
        migrations_applied: applied.max(0) as u64,
        latest_migration: latest,
        checked_at: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S%.3f UTC")
            .to_string(),
    })
}

pub fn backend_name(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Sqlite => "SQLite",
        DatabaseBackend::Postgres => "PostgreSQL",
        DatabaseBackend::MySql => "MySQL",
    }
}
