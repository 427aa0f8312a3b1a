//! One-time links (confirm an address, accept an invitation, reset a password) and
//! the requests that send them.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::LinkInfo;
#[cfg(feature = "ssr")]
use crate::{
    error::FieldError,
    server_fns::auth::parse_door,
    ssr::{
        auth::caller::Role,
        domain::EmailAddress,
        request::{client_address, fail, keep_out_of_caches, require},
        services::accounts::{self, ConfirmSite},
        state::app_state,
    },
    types::door_of,
};

#[cfg(feature = "ssr")]
const ANYONE: &[Role] = &[Role::Admin, Role::Host, Role::Visitor];

/// What the link's page shows: whom it is for and which form, or a refusal when the
/// link is unknown, used or expired (the page then offers a new one).
#[server(endpoint = "open_link")]
pub async fn open_link(token: String, page: String) -> Result<LinkInfo, AppError> {
    let state = app_state()?;
    keep_out_of_caches();
    accounts::link_info(&state.db, &token, &page)
        .await?
        .ok_or_else(|| fail(AppError::Refused(accounts::LinkError::Stale.to_string())))
}

/// Confirms an address with the account's password (see `accounts::confirm_address`).
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    state
        .limits
        .check_link_request(client_address(&state).await?)?;
    let site = ConfirmSite {
        base_url: &state.config.public_url,
        allowed_domains: &state.config.allowed_host_domains,
    };
    let done =
        accounts::confirm_address(&state.db, &state.passwords, &token, &password, &site).await?;
    let approval = if done.needs_approval {
        "&approval=1"
    } else {
        ""
    };
    leptos_axum::redirect(&format!(
        "/account/confirm?done={}{approval}",
        door_of(done.role)
    ));
    Ok(())
}

/// Sets the password from an invitation or reset link, then shows the log-in.
#[server(endpoint = "set_password")]
pub async fn set_password(token: String, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let role =
        accounts::set_password_by_link(&state.db, &state.passwords, &token, &password).await?;
    leptos_axum::redirect(&format!("/{}/login?password_set=1", door_of(role)));
    Ok(())
}

/// Forgot password. The answer is the same whether or not the address has an
/// account, and whether or not this address had its share of e-mails this hour;
/// the link is made after answering, so the answer takes as long either way too.
#[server(endpoint = "forgot_password")]
pub async fn forgot_password(door: String, email: String) -> Result<(), AppError> {
    let (state, door) = (app_state()?, parse_door(&door)?);
    let ip = client_address(&state).await?;
    state.limits.check_link_request(ip)?;
    let email = EmailAddress::parse(&email).map_err(|m| FieldError::new("email", m))?;
    if state.limits.check_account_mail(email.as_str(), ip).is_ok() {
        let (db, url) = (state.db.clone(), state.config.public_url.clone());
        tokio::spawn(async move { accounts::send_reset_link_logged(&db, &email, &url).await });
    }
    leptos_axum::redirect(&format!("/{}/forgot?sent=1", door.as_str()));
    Ok(())
}

/// The confirmation link again, for a logged-in account that has not confirmed.
#[server(endpoint = "resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    let (state, account) = require(ANYONE).await?;
    let ip = client_address(&state).await?;
    state.limits.check_account_mail(&account.email, ip)?;
    accounts::resend_confirmation(&state.db, &account, &state.config.public_url).await?;
    leptos_axum::redirect("/settings?saved=confirmation");
    Ok(())
}

/// Moves the account to a new address once the link sent there is followed.
#[server(endpoint = "change_email")]
pub async fn change_email(email: String, current: String) -> Result<(), AppError> {
    let (state, account) = require(ANYONE).await?;
    state.limits.check_password(&account.email)?;
    let email = EmailAddress::parse(&email).map_err(|m| FieldError::new("email", m))?;
    state
        .limits
        .check_account_mail(email.as_str(), client_address(&state).await?)?;
    let (db, passwords, url) = (&state.db, &state.passwords, &state.config.public_url);
    accounts::ask_email_change(db, passwords, &account, &email, &current, url).await?;
    leptos_axum::redirect("/settings?saved=email");
    Ok(())
}
