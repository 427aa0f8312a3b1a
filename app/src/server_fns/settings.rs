//! The settings page: the account's own profile and password.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    auth::passwords::Password,
    request::{require, session},
    services::accounts::{self, Profile},
};
use crate::types::Me;

#[cfg(feature = "ssr")]
const ANYONE: &[Role] = &[Role::Admin, Role::Host, Role::Visitor];

/// The logged-in account for the settings page; anonymous callers go to log in.
#[server(endpoint = "my_account")]
pub async fn my_account() -> Result<Me, AppError> {
    let (_, account) = require(ANYONE).await?;
    Ok(super::auth::me(&account))
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, phone: String) -> Result<(), AppError> {
    let (state, account) = require(ANYONE).await?;
    let profile = Profile::parse(&name, &phone, state.config.default_region)?;
    accounts::update_profile(&state.db, &account, profile).await?;
    leptos_axum::redirect("/settings?saved=profile");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let (state, account) = require(ANYONE).await?;
    state.limits.check_password(&account.email)?;
    let new = Password::parse("new", &new, &[&account.name, &account.email])?;
    let session = session().await?;
    let keep = session.id();
    accounts::change_password(
        &state.db,
        &state.passwords,
        &account,
        &current,
        &new,
        keep.as_ref(),
    )
    .await?;
    leptos_axum::redirect("/settings?saved=password");
    Ok(())
}
