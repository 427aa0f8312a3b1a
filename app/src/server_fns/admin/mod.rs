//! The admin console. Every server function here checks for an admin itself.

pub mod entries;
pub mod hosts;
pub mod kiosks;
pub mod locations;
pub mod tokens;
