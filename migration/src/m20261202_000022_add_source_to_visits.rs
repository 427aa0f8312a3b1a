use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// How a visit was made: `kiosk`, `arrival` (a guest's own phone), `api`, ...
/// Earlier visits are told apart by their audit entry: every check-in not made by a
/// kiosk came through the API (the only other way there was).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Visits::Table)
                    .add_column(
                        ColumnDef::new(Visits::Source)
                            .string_len(20)
                            .not_null()
                            .default("kiosk"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE visits SET source = 'api' WHERE id IN (SELECT subject_id FROM audit_log \
                 WHERE action = 'visit.check_in' AND subject_type = 'visit' \
                 AND actor NOT LIKE 'kiosk %')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Visits::Table)
                    .drop_column(Visits::Source)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Source,
}
