#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod form;
pub mod layout;
pub mod live;
pub mod qr;
