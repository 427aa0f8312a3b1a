//! The home page.

use leptos::prelude::*;

use crate::error::AppError;

/// True while no admin exists: the home page then says how to set up.
#[server(endpoint = "setup_pending")]
pub async fn setup_pending() -> Result<bool, AppError> {
    let state = crate::ssr::state::app_state()?;
    Ok(!crate::ssr::services::accounts::has_admin(&state.db).await?)
}
