use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sha2::{Digest, Sha256};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Guests' check-out link secrets were stored in clear; from now on only their
/// SHA-256 (hex, 64 characters: the column's width) is, as for every other secret.
/// Existing links keep working: each stored secret is replaced by its hash.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let rows = db
            .query_all(Statement::from_string(
                backend,
                "SELECT id, checkout_token FROM visits",
            ))
            .await?;
        for row in rows {
            let id: i32 = row.try_get("", "id")?;
            let token: String = row.try_get("", "checkout_token")?;
            let hash = hex::encode(Sha256::digest(token.as_bytes()));
            let update = Query::update()
                .table(Visits::Table)
                .value(Visits::CheckoutToken, hash)
                .and_where(Expr::col(Visits::Id).eq(id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }

    /// A hash cannot be turned back into its secret: going down leaves the hashes,
    /// and links made before this migration stop working.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    CheckoutToken,
}
