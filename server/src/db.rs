//! Opening the database named by `DATABASE_URL` and bringing its schema up to date.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{DatabaseConnection, DbErr, SqlxPostgresConnector, SqlxSqliteConnector};
use secrecy::{ExposeSecret, SecretString};

use crate::settings::redacted_url;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0})")]
    UnsupportedScheme(String),
    #[error("DATABASE_URL {url} is not a valid {kind} URL: {source}")]
    Malformed {
        url: String,
        kind: &'static str,
        source: sqlx::Error,
    },
    #[error("cannot create the directory {} for the SQLite database: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot make the SQLite database {} readable by its owner only: {source}", path.display())]
    Permissions {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error("cannot open the database {url}: no answer within {} s", CONNECT_TIMEOUT.as_secs())]
    Timeout { url: String },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[source] DbErr),
}

/// Opens a connection pool: SQLite (WAL, created if missing) or PostgreSQL.
#[tracing::instrument(skip_all, fields(url = %redacted_url(url)))]
pub async fn connect(url: &SecretString) -> Result<DatabaseConnection, DbError> {
    let raw = url.expose_secret();
    let shown = redacted_url(url);
    if raw.starts_with("sqlite:") {
        connect_sqlite(raw, shown).await
    } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        connect_postgres(raw, shown).await
    } else {
        Err(DbError::UnsupportedScheme(shown))
    }
}

async fn connect_sqlite(raw: &str, shown: String) -> Result<DatabaseConnection, DbError> {
    let options = SqliteConnectOptions::from_str(raw)
        .map_err(|source| DbError::Malformed {
            url: shown.clone(),
            kind: "SQLite",
            source,
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true)
        .disable_statement_logging();
    let file = options.get_filename().to_path_buf();
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    let in_memory = raw.contains(":memory:") || raw.contains("mode=memory");
    if !in_memory {
        owner_only(&file)?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Unreachable { url: shown, source })?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn connect_postgres(raw: &str, shown: String) -> Result<DatabaseConnection, DbError> {
    let options = PgConnectOptions::from_str(raw)
        .map_err(|source| DbError::Malformed {
            url: shown.clone(),
            kind: "PostgreSQL",
            source,
        })?
        .disable_statement_logging();
    // One direct connection first: a pool would retry until its timeout and then
    // report only "timed out", hiding the real reason (refused, bad password, ...).
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => return Err(DbError::Timeout { url: shown }),
        Ok(Err(source)) => return Err(DbError::Unreachable { url: shown, source }),
        Ok(Ok(probe)) => {
            let _ = probe.close().await;
        }
    }
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Unreachable { url: shown, source })?;
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

/// The database file readable by its owner only: it holds guests' contact data and
/// password hashes. SQLite gives its -wal and -shm files the main file's mode.
fn owner_only(file: &Path) -> Result<(), DbError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        let error = |source| DbError::Permissions {
            path: file.to_path_buf(),
            source,
        };
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(file)
            .map_err(error)?;
        for path in [
            file.to_path_buf(),
            suffixed(file, "-wal"),
            suffixed(file, "-shm"),
        ] {
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .map_err(error)?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn suffixed(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn create_dir(dir: &Path) -> Result<(), DbError> {
    std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })
}

/// Applies pending migrations; returns how many are applied in all.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> Result<usize, DbError> {
    Migrator::up(db, None).await.map_err(DbError::Migrate)?;
    let applied = Migrator::get_applied_migrations(db)
        .await
        .map_err(DbError::Migrate)?;
    tracing::info!(applied = applied.len(), "database schema is up to date");
    Ok(applied.len())
}

pub async fn connect_and_migrate(
    url: &SecretString,
) -> Result<(DatabaseConnection, usize), DbError> {
    let db = connect(url).await?;
    let applied = migrate(&db).await?;
    Ok((db, applied))
}
