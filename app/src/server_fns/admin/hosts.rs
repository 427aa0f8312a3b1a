//! The admin's hosts page (and approving sign-ups on the overview).

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::HostRow;
#[cfg(feature = "ssr")]
use crate::{
    error::FieldError,
    ssr::{
        auth::caller::Role,
        request::require,
        rows::host_rows,
        services::hosts::{self, HostUpdate, NewHost},
    },
};

#[server(endpoint = "admin_hosts")]
pub async fn admin_hosts() -> Result<Vec<HostRow>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    Ok(host_rows(&state.db).await?)
}

#[server(endpoint = "admin_add_host")]
pub async fn admin_add_host(
    name: String,
    email: String,
    phone: String,
    location_id: Option<i32>,
) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let location_id =
        location_id.ok_or_else(|| FieldError::new("location_id", "Pick a location."))?;
    let region = state.config.default_region;
    let new = NewHost::parse(&name, &email, &phone, location_id, region)?;
    hosts::create_host(&state.db, new, &account.caller().actor).await?;
    Ok(())
}

/// Deactivates a host (they can no longer be picked or log in) or activates one
/// again; activating a pending sign-up approves it.
#[server(endpoint = "admin_set_host_active")]
pub async fn admin_set_host_active(id: i32, active: bool) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let update = HostUpdate {
        active: Some(active),
        ..Default::default()
    };
    hosts::update_host(&state.db, id, update, &account.caller().actor).await?;
    Ok(())
}
