pub mod auth;
pub mod dashboard;
pub mod home;
pub mod mailbox;
pub mod not_found;
pub mod settings;
pub mod status;
pub mod visit;
