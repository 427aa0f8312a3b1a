use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::ssr::auth::limits::RateLimits;
use crate::ssr::auth::passwords::Passwords;
use crate::ssr::domain::Region;

use crate::error::AppError;

/// Everything a request handler or server function may need, cloned cheaply per request.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub config: Arc<ServiceConfig>,
    pub passwords: Passwords,
    pub limits: Arc<RateLimits>,
}

/// The settings services need, parsed once at start-up.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Base of links in messages, without a trailing slash.
    pub public_url: String,
    /// Region for phone numbers typed without a country code.
    pub default_region: Region,
    /// Hosts signing up with an address in one of these domains need no approval.
    pub allowed_host_domains: Vec<String>,
    pub sessions: SessionConfig,
    /// A header a trusted proxy sets to the client's address (e.g. X-Forwarded-For).
    pub client_ip_header: Option<String>,
    /// Yesterday's arrival code works this long after a location's midnight.
    pub arrival_grace: chrono::Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct SessionConfig {
    /// A session unused this long ends.
    pub idle: std::time::Duration,
    /// A session ends this long after its log-in, used or not.
    pub absolute: std::time::Duration,
    /// Send the cookie with `Secure` (the public URL is https).
    pub secure: bool,
}

/// The state, inside a server function or a server-rendered component.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
