//! Server-only code: state, database access and services. Never compiled to wasm.

pub mod auth;
pub mod domain;
pub mod entities;
pub mod errors;
pub mod kiosk_cookie;
pub mod kiosk_draft;
pub mod qr;
pub mod request;
pub mod rows;
pub mod security;
pub mod services;
pub mod state;
pub mod status;
pub mod time;
