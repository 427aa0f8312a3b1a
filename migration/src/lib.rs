//! Schema migrations: one file per change, never edited once released.
//! Migrations describe tables with sea-query only; they never import entities.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_locations;
mod m20261126_000002_create_users;
mod m20261126_000003_create_hosts;
mod m20261126_000004_create_visits;
mod m20261126_000005_create_notifications;
mod m20261126_000006_create_events;
mod m20261126_000007_create_kiosks;
mod m20261126_000008_create_audit_log;
mod m20261126_000009_create_api_tokens;
mod m20261126_000010_create_sms_opt_outs;
mod m20261129_000011_create_sessions;
mod m20261129_000012_add_visitor_to_visits;
mod m20261129_000013_add_pending_to_users;
mod m20261201_000014_create_setup_tokens;
mod m20261201_000015_add_country_to_locations;
mod m20261201_000016_hash_checkout_tokens;
mod m20261201_000017_create_server_keys;
mod m20261201_000018_add_email_verified_to_users;
mod m20261201_000019_create_account_links;
mod m20261201_000020_add_expiry_to_api_tokens;
mod m20261202_000021_add_arrival_secret_to_locations;
mod m20261202_000022_add_source_to_visits;
mod m20261202_000023_create_running_visitor_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_locations::Migration),
            Box::new(m20261126_000002_create_users::Migration),
            Box::new(m20261126_000003_create_hosts::Migration),
            Box::new(m20261126_000004_create_visits::Migration),
            Box::new(m20261126_000005_create_notifications::Migration),
            Box::new(m20261126_000006_create_events::Migration),
            Box::new(m20261126_000007_create_kiosks::Migration),
            Box::new(m20261126_000008_create_audit_log::Migration),
            Box::new(m20261126_000009_create_api_tokens::Migration),
            Box::new(m20261126_000010_create_sms_opt_outs::Migration),
            Box::new(m20261129_000011_create_sessions::Migration),
            Box::new(m20261129_000012_add_visitor_to_visits::Migration),
            Box::new(m20261129_000013_add_pending_to_users::Migration),
            Box::new(m20261201_000014_create_setup_tokens::Migration),
            Box::new(m20261201_000015_add_country_to_locations::Migration),
            Box::new(m20261201_000016_hash_checkout_tokens::Migration),
            Box::new(m20261201_000017_create_server_keys::Migration),
            Box::new(m20261201_000018_add_email_verified_to_users::Migration),
            Box::new(m20261201_000019_create_account_links::Migration),
            Box::new(m20261201_000020_add_expiry_to_api_tokens::Migration),
            Box::new(m20261202_000021_add_arrival_secret_to_locations::Migration),
            Box::new(m20261202_000022_add_source_to_visits::Migration),
            Box::new(m20261202_000023_create_running_visitor_index::Migration),
        ]
    }
}
