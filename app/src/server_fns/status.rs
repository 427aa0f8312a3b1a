//! The system status page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::StatusReport;

#[server(endpoint = "get_status_report")]
pub async fn get_status_report() -> Result<StatusReport, AppError> {
    let state = crate::ssr::state::app_state()?;
    crate::ssr::status::status_report(&state.db).await
}
