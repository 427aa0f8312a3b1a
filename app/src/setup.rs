//! Server functions of the first-run setup page (`/setup?token=…`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the setup form offers to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupChoices {
    /// IANA names.
    pub time_zones: Vec<String>,
    /// (ISO 3166-1 alpha-2, name), by name.
    pub countries: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
mod server {
    use crate::error::{AppError, FieldError};
    use crate::ssr::request::{fail, fail_with, internal};
    use crate::ssr::services::setup::SetupError;

    /// Once an admin exists the page is gone (404); a wrong link is refused (403).
    pub fn refusal(error: SetupError) -> AppError {
        match error {
            SetupError::Done => fail(AppError::NotFound),
            e @ SetupError::WrongToken => {
                fail_with(AppError::Refused(e.to_string()), http::StatusCode::FORBIDDEN)
            }
            e @ SetupError::EmailTaken => fail(AppError::Invalid(FieldError::new("email", e.to_string()))),
            SetupError::Unexpected(e) => internal(e),
        }
    }
}

/// The choices for the form, if `token` opens the setup page.
#[server(endpoint = "setup_form")]
pub async fn setup_form(token: String) -> Result<SetupChoices, AppError> {
    use crate::ssr::domain::Country;
    use crate::ssr::services::setup;
    let state = crate::ssr::state::app_state()?;
    // The page's URL holds the token: keep it out of every cache. (The referrer
    // policy stays strict-origin-when-cross-origin: no other site sees the path, and
    // a refused form without JS finds its way back by the Referer.)
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    setup::check(&state.db, &token).await.map_err(server::refusal)?;
    Ok(SetupChoices {
        time_zones: chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().to_string()).collect(),
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
    use crate::ssr::auth::session;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::setup::{self, FirstRun};
    let state = crate::ssr::state::app_state()?;
    // Bad input with a wrong or used link says that first: nothing else can help.
    setup::check(&state.db, &token).await.map_err(server::refusal)?;
    let form = FirstRun::parse(
        &name,
        &email,
        &password,
        &location_name,
        &location_address,
        &location_time_zone,
        &country,
    )
    .map_err(|e| fail(e.into()))?;
    let (account, _) = setup::complete(&state.db, &state.passwords, &token, form)
        .await
        .map_err(server::refusal)?;
    let session = crate::ssr::request::session().await?;
    session::begin(&session, &account).await.map_err(internal)?;
    crate::ssr::request::forget_account().await;
    leptos_axum::redirect("/admin?welcome=1");
    Ok(())
}

/// True while no admin exists: the home page then says how to set up.
#[server(endpoint = "setup_pending")]
pub async fn setup_pending() -> Result<bool, AppError> {
    use crate::ssr::request::internal;
    let state = crate::ssr::state::app_state()?;
    let has_admin = crate::ssr::services::accounts::has_admin(&state.db)
        .await
        .map_err(internal)?;
    Ok(!has_admin)
}
