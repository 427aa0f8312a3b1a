use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The transactional outbox: one row per message, written with the change that causes it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Notifications::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Notifications::VisitId).integer().null())
                    .col(
                        ColumnDef::new(Notifications::Channel)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::Recipient)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::Subject)
                            .string_len(200)
                            .null(),
                    )
                    .col(ColumnDef::new(Notifications::Body).text().not_null())
                    .col(ColumnDef::new(Notifications::HtmlBody).text().null())
                    .col(
                        ColumnDef::new(Notifications::Status)
                            .string_len(24)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Notifications::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::LeasedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Notifications::LastError).text().null())
                    .col(
                        ColumnDef::new(Notifications::ProviderId)
                            .string_len(100)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::VisitId)
                            .to(Visits::Table, Visits::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            // The worker's claim query: due rows by status and time.
            Index::create()
                .name("idx_notifications_due")
                .table(Notifications::Table)
                .col(Notifications::Status)
                .col(Notifications::NextAttemptAt)
                .to_owned(),
            Index::create()
                .name("idx_notifications_visit")
                .table(Notifications::Table)
                .col(Notifications::VisitId)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    VisitId,
    Channel,
    Recipient,
    Subject,
    Body,
    HtmlBody,
    Status,
    Attempts,
    NextAttemptAt,
    LeasedUntil,
    LastError,
    ProviderId,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
}
