//! Server functions, one file per page area (mirroring `pages/`). Each is a thin
//! adapter: check who is asking, parse, call one service, map the answer. The rules
//! live in `ssr::services`; the error mapping in `ssr::errors`; who may see what in
//! `ssr::auth::caller`.

pub mod account;
pub mod admin;
pub mod arrival;
pub mod auth;
pub mod checkout;
pub mod dashboard;
pub mod home;
pub mod kiosk;
pub mod mailbox;
pub mod settings;
pub mod setup;
pub mod status;
pub mod visit;
