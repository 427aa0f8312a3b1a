use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The country a location is in (ISO 3166-1 alpha-2), asked for when the first
/// location is set up; empty for locations made before.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Locations::Table)
                    .add_column(ColumnDef::new(Locations::Country).string_len(2).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Locations::Table)
                    .drop_column(Locations::Country)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Country,
}
