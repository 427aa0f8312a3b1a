use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A visitor account has at most one running visit per location, whatever the race
/// and whichever address each visit was made with.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Visits made before this index may already break the rule (a visitor who
        // changed address between two check-ins): all but the newest are unlinked,
        // not closed, so the host still sees every guest in the building.
        db.execute_unprepared(
            "UPDATE visits SET visitor_id = NULL \
             WHERE checked_out_at IS NULL AND visitor_id IS NOT NULL AND id NOT IN ( \
               SELECT MAX(id) FROM visits WHERE checked_out_at IS NULL AND visitor_id IS NOT NULL \
               GROUP BY location_id, visitor_id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_visits_running_visitor ON visits (location_id, visitor_id) \
             WHERE checked_out_at IS NULL AND visitor_id IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX uq_visits_running_visitor")
            .await?;
        Ok(())
    }
}
