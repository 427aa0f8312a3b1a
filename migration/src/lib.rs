//! Schema migrations: one file per change, never edited once released.
//! Migrations describe tables with sea-query only; they never import entities.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_locations;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261126_000001_create_locations::Migration)]
    }
}
