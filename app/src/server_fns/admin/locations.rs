//! The admin's locations page.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    request::require,
    services::locations::{self, LocationUpdate, NewLocation},
};
use crate::types::LocationRow;

#[server(endpoint = "admin_locations")]
pub async fn admin_locations() -> Result<Vec<LocationRow>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let list = locations::list_locations(&state.db).await?;
    Ok(list
        .into_iter()
        .map(|l| LocationRow {
            id: l.id,
            name: l.name,
            address: l.address,
            time_zone: l.time_zone,
            active: l.active,
        })
        .collect())
}

#[server(endpoint = "admin_add_location")]
pub async fn admin_add_location(
    name: String,
    address: String,
    time_zone: String,
) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let new = NewLocation::parse(&name, &address, &time_zone)?;
    locations::create_location(&state.db, new, &account.caller().actor).await?;
    Ok(())
}

/// Edits a location; `active` is a checkbox (present = on).
#[server(endpoint = "admin_edit_location")]
pub async fn admin_edit_location(
    id: i32,
    name: String,
    address: String,
    time_zone: String,
    active: Option<String>,
) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let parsed = NewLocation::parse(&name, &address, &time_zone)?;
    let update = LocationUpdate {
        name: Some(parsed.name),
        address: Some(parsed.address),
        time_zone: Some(parsed.time_zone),
        active: Some(active.is_some()),
    };
    locations::update_location(&state.db, id, update, &account.caller().actor).await?;
    Ok(())
}
