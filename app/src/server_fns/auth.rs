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
        services::accounts::{self, Door, SignUp as SignUpForm, SignUpSite},
        services::locations,
        services::regions::region_at,
        state::{app_state, AppState},
    },
    types::{home_of, same_site_path},
};

#[cfg(feature = "ssr")]
pub(crate) fn parse_door(value: &str) -> Result<Door, AppError> {
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
        email_verified: account.email_verified,
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

/// Logs in, then goes back to the page that asked for it (`next`, a path on this
/// site), or to the account's start page.
#[server(endpoint = "log_in")]
pub async fn log_in(
    door: String,
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let door = parse_door(&door)?;
    let ip = client_address(&state).await?;
    state.limits.check_login(ip, &email)?;
    let account = accounts::log_in(&state.db, &state.passwords, door, &email, &password).await?;
    let to = next.as_deref().and_then(same_site_path);
    begin_session(&account, to.unwrap_or(home_of(account.role))).await
}

/// Signs up; the page then says to follow the e-mailed link (and, for a host from
/// a domain not on the allowed list, to wait for an admin), by the URL, so it shows
/// with JS and without. A taken address gets the same answer; its owner an e-mail.
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
    let region = match location_id {
        Some(id) => region_at(&state.db, id, state.config.default_region).await?,
        None => state.config.default_region,
    };
    let form = SignUpForm::parse(door, &name, &email, &phone, &password, location_id, region)?;
    let client = client_address(&state).await?;
    state.limits.check_signup(client)?;
    let site = sign_up_site(&state, client);
    let next = accounts::what_next(door, &form.contact.email, site.allowed_domains);
    accounts::sign_up(&state.db, &state.passwords, door, form, &site).await?;
    let page = format!("/{}/signup?sent={}", door.as_str(), next.as_query());
    leptos_axum::redirect(&page);
    Ok(next)
}

#[cfg(feature = "ssr")]
fn sign_up_site(state: &AppState, client: std::net::IpAddr) -> SignUpSite<'_> {
    SignUpSite {
        base_url: &state.config.public_url,
        allowed_domains: &state.config.allowed_host_domains,
        limits: &state.limits,
        client,
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
