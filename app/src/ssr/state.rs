use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::ssr::domain::Region;

use crate::error::AppError;

/// Everything a request handler or server function may need, cloned cheaply per request.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub config: Arc<ServiceConfig>,
}

/// The settings services need, parsed once at start-up.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Base of links in messages, without a trailing slash.
    pub public_url: String,
    /// Region for phone numbers typed without a country code.
    pub default_region: Region,
}

/// The state, inside a server function or a server-rendered component.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
