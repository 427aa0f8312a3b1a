use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each location's secret for its daily arrival code (the lobby poster's QR). Empty
/// until first used: the app makes one then, so this migration needs no randomness.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Locations::Table)
                    .add_column(
                        ColumnDef::new(Locations::ArrivalSecret)
                            .string_len(64)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Locations::Table)
                    .drop_column(Locations::ArrivalSecret)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    ArrivalSecret,
}
