use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Random keys every instance shares (e.g. the one that signs form errors carried
/// in a URL), made by the first instance that needs one.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServerKeys::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ServerKeys::Name)
                            .string_len(32)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ServerKeys::Value).string_len(64).not_null())
                    .col(
                        ColumnDef::new(ServerKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServerKeys::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ServerKeys {
    Table,
    Name,
    Value,
    CreatedAt,
}
