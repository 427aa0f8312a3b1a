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
        services::regions::region_at,
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
    let region = region_at(&state.db, location_id, state.config.default_region).await?;
    let new = NewHost::parse(&name, &email, &phone, location_id, region)?;
    let actor = account.caller().actor;
    hosts::create_host(&state.db, new, &actor, &state.config.public_url).await?;
    Ok(())
}

/// Deactivates a host (they can no longer be picked or log in) or activates one
/// again. For a pending sign-up it is the decision: `true` approves, `false`
/// rejects (with an optional `reason`); the host is told by e-mail.
#[server(endpoint = "admin_set_host_active")]
pub async fn admin_set_host_active(
    id: i32,
    active: bool,
    #[server(default)] reason: Option<String>,
) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let reason = reason.map(|r| r.trim().chars().take(500).collect::<String>());
    let update = HostUpdate {
        active: Some(active),
        reason: reason.filter(|r| !r.is_empty()),
        ..Default::default()
    };
    let actor = account.caller().actor;
    hosts::update_host(&state.db, id, update, &actor, &state.config.public_url).await?;
    Ok(())
}

/// A new invitation e-mail for a host who has not set a password yet.
#[server(endpoint = "admin_resend_invitation")]
pub async fn admin_resend_invitation(id: i32) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let actor = account.caller().actor;
    hosts::resend_invitation(&state.db, id, &actor, &state.config.public_url).await?;
    leptos_axum::redirect("/admin/hosts?invited=1");
    Ok(())
}
