//! Server-only code: state, database access and services. Never compiled to wasm.

pub mod state;
pub mod status;
