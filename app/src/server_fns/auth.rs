//! The log-in and sign-up pages, and the nav's account menu.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{LocationChoice, Me, SignUpOutcome};
#[cfg(feature = "ssr")]
use crate::{
    error::FieldError,
    ssr::{
        auth::session,
        request::{client_address, current_account, fail, forget_account},
        services::accounts::{self, Door, SignUp as SignUpForm, SignedUp},
        services::locations,
        state::app_state,
    },
    types::home_of,
};

#[cfg(feature = "ssr")]
fn parse_door(value: &str) -> Result<Door, AppError> {
    match value {
        "visitor" => Ok(Door::Visitor),
        "host" => Ok(Door::Host),
        _ => Err(fail(AppError::Refused(
            "Unknown door: use the visitor or the host log-in page.".into(),
        ))),
    }
}

/// The logged-in account as pages show it.
#[cfg(feature = "ssr")]
pub(crate) fn me(account: &crate::ssr::auth::caller::Account) -> Me {
    Me {
        name: account.name.clone(),
        email: account.email.clone(),
        phone: account.phone.clone(),
        role: account.role,
    }
}

/// Logs `account` in on this request's session and sends it to its start page.
#[cfg(feature = "ssr")]
pub(crate) async fn begin_session(
    account: &crate::ssr::auth::caller::Account,
    to: &str,
) -> Result<(), AppError> {
    let session = crate::ssr::request::session().await?;
    session::begin(&session, account)
        .await
        .map_err(crate::ssr::request::internal)?;
    forget_account().await;
    leptos_axum::redirect(to);
    Ok(())
}

#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    Ok(current_account().await?.as_ref().map(me))
}

#[server(endpoint = "log_in")]
pub async fn log_in(door: String, email: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let door = parse_door(&door)?;
    let ip = client_address(&state).await?;
    state.limits.check_login(ip, &email)?;
    let account = accounts::log_in(&state.db, &state.passwords, door, &email, &password).await?;
    begin_session(&account, home_of(account.role)).await
}

/// Signs up and logs in, or (a host from a domain not on the allowed list) says the
/// account waits for approval: by the URL, so the page shows it with JS and without.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    door: String,
    name: String,
    email: String,
    phone: String,
    password: String,
    #[server(default)] location_id: Option<String>,
) -> Result<SignUpOutcome, AppError> {
    let (state, door) = (app_state()?, parse_door(&door)?);
    let location_id = parse_location_id(location_id.as_deref())?;
    let region = state.config.default_region;
    let form = SignUpForm::parse(door, &name, &email, &phone, &password, location_id, region)?;
    state.limits.check_signup(client_address(&state).await?)?;
    let domains = &state.config.allowed_host_domains;
    match accounts::sign_up(&state.db, &state.passwords, door, form, domains).await? {
        SignedUp::Active(account) => {
            begin_session(&account, home_of(account.role)).await?;
            Ok(SignUpOutcome::LoggedIn)
        }
        SignedUp::AwaitingApproval => {
            leptos_axum::redirect("/host/signup?awaiting=1");
            Ok(SignUpOutcome::AwaitingApproval)
        }
    }
}

/// The sign-up form's location: empty is none; anything else must be an id.
#[cfg(feature = "ssr")]
fn parse_location_id(value: Option<&str>) -> Result<Option<i32>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) => id
            .parse::<i32>()
            .map(Some)
            .map_err(|_| FieldError::new("location_id", "Choose a location from the list.").into()),
    }
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    let session = crate::ssr::request::session().await?;
    session::end(&session)
        .await
        .map_err(crate::ssr::request::internal)?;
    forget_account().await;
    leptos_axum::redirect("/");
    Ok(())
}

/// Locations a host may sign up for.
#[server(endpoint = "signup_locations")]
pub async fn signup_locations() -> Result<Vec<LocationChoice>, AppError> {
    let state = app_state()?;
    let all = locations::list_locations(&state.db).await?;
    Ok(all
        .into_iter()
        .filter(|l| l.active)
        .map(|l| LocationChoice {
            id: l.id,
            name: l.name,
        })
        .collect())
}
