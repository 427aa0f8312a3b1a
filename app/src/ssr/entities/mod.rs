//! sea-orm entities: one per table. Migrations never import these.

pub mod account_link;
pub mod api_token;
pub mod audit_entry;
pub mod event;
pub mod host;
pub mod kiosk;
pub mod location;
pub mod notification;
pub mod server_key;
pub mod session;
pub mod setup_token;
pub mod user;
pub mod visit;
