//! The first-run setup page (`/setup?token=…`).

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    domain::Country,
    request::keep_out_of_caches,
    services::setup::{self, FirstRun},
    state::app_state,
};
use crate::types::SetupChoices;

/// The choices for the form, if `token` opens the setup page.
#[server(endpoint = "setup_form")]
pub async fn setup_form(token: String) -> Result<SetupChoices, AppError> {
    let state = app_state()?;
    keep_out_of_caches();
    setup::check(&state.db, &token).await?;
    Ok(SetupChoices {
        time_zones: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name().to_string())
            .collect(),
        countries: Country::choices(),
    })
}

/// Creates the first admin and location, logs the admin in and shows the next steps.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "complete_setup")]
pub async fn complete_setup(
    token: String,
    name: String,
    email: String,
    password: String,
    location_name: String,
    location_address: String,
    location_time_zone: String,
    country: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    // Bad input with a wrong or used link says that first: nothing else can help.
    setup::check(&state.db, &token).await?;
    let form = FirstRun::parse(
        &name,
        &email,
        &password,
        &location_name,
        &location_address,
        &location_time_zone,
        &country,
    )?;
    let (account, _) = setup::complete(&state.db, &state.passwords, &token, form).await?;
    super::auth::begin_session(&account, "/admin?welcome=1").await
}
