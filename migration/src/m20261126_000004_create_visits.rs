use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Visits::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Visits::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Visits::GuestName).string_len(100).not_null())
                    .col(
                        ColumnDef::new(Visits::GuestEmail)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Visits::GuestPhone).string_len(20).not_null())
                    .col(ColumnDef::new(Visits::HostId).integer().not_null())
                    .col(ColumnDef::new(Visits::LocationId).integer().not_null())
                    .col(
                        ColumnDef::new(Visits::CheckedInAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Visits::CheckedOutAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Visits::CheckedOutBy).string_len(100).null())
                    .col(
                        ColumnDef::new(Visits::CheckoutToken)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Visits::Table, Visits::HostId)
                            .to(Hosts::Table, Hosts::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Visits::Table, Visits::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("idx_visits_host_checked_in")
                .table(Visits::Table)
                .col(Visits::HostId)
                .col(Visits::CheckedInAt)
                .to_owned(),
            Index::create()
                .name("idx_visits_location_checked_in")
                .table(Visits::Table)
                .col(Visits::LocationId)
                .col(Visits::CheckedInAt)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }
        // A guest is checked in at most once at a time per location: partial unique
        // indexes make the database refuse the second one, whatever the race.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_visits_running_phone ON visits (location_id, guest_phone) \
             WHERE checked_out_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_visits_running_email ON visits (location_id, guest_email) \
             WHERE checked_out_at IS NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Visits::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    GuestName,
    GuestEmail,
    GuestPhone,
    HostId,
    LocationId,
    CheckedInAt,
    CheckedOutAt,
    CheckedOutBy,
    CheckoutToken,
}

#[derive(DeriveIden)]
enum Hosts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
}
