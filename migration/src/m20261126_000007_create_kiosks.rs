use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Kiosks::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Kiosks::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Kiosks::LocationId).integer().not_null())
                    .col(ColumnDef::new(Kiosks::Name).string_len(100).not_null())
                    // SHA-256 of the pairing code / kiosk session secret, never the secret.
                    .col(
                        ColumnDef::new(Kiosks::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Kiosks::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Kiosks::PairedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Kiosks::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Kiosks::LastSeenAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Kiosks::Table, Kiosks::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Kiosks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Kiosks {
    Table,
    Id,
    LocationId,
    Name,
    TokenHash,
    CreatedAt,
    PairedAt,
    RevokedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
}
