use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The visitor account that checked itself in, if any. Visits are tied to accounts
/// by this id, never by e-mail: e-mail addresses are not verified at sign-up.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Visits::Table)
                    .add_column(ColumnDef::new(Visits::VisitorId).integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_visits_visitor_id")
                    .table(Visits::Table)
                    .col(Visits::VisitorId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_visits_visitor_id").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Visits::Table)
                    .drop_column(Visits::VisitorId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    VisitorId,
}
