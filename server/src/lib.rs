//! The `frontdesk` server: settings, start-up, the routes that are not server
//! functions, and the command line.

pub mod admin_accounts;
pub mod cli;
pub mod db;
pub mod demo;
pub mod notify;
pub mod routes;
pub mod serve;
pub mod settings;
pub mod startup;
pub mod telemetry;
