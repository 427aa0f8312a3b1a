use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Phones whose owner replied STOP (Twilio error 21610): no SMS is attempted to them.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SmsOptOuts::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(SmsOptOuts::Phone)
                            .string_len(20)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SmsOptOuts::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SmsOptOuts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SmsOptOuts {
    Table,
    Phone,
    At,
}
