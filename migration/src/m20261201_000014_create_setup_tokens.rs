use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One-time first-run links (`/setup?token=`), kept as SHA-256 only. Every start
/// without an admin adds one, in the database so any instance accepts it; setting
/// up deletes them all.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SetupTokens::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(SetupTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SetupTokens::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SetupTokens::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SetupTokens {
    Table,
    TokenHash,
    CreatedAt,
}
