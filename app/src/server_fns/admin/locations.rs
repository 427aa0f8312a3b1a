//! The admin's locations page.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    domain::Country,
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
            country: l.country,
            active: l.active,
        })
        .collect())
}

/// Every country as (code, name), for the locations' country pickers.
#[server(endpoint = "admin_countries")]
pub async fn admin_countries() -> Result<Vec<(String, String)>, AppError> {
    require(&[Role::Admin]).await?;
    Ok(Country::choices())
}

/// `country` may be left out (API callers of old): local numbers there are then
/// read in `FRONTDESK_DEFAULT_REGION`.
#[server(endpoint = "admin_add_location")]
pub async fn admin_add_location(
    name: String,
    address: String,
    time_zone: String,
    #[server(default)] country: String,
) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let mut new = NewLocation::parse(&name, &address, &time_zone)?;
    if !country.trim().is_empty() {
        new = new.in_country("country", &country)?;
    }
    locations::create_location(&state.db, new, &account.caller().actor).await?;
    Ok(())
}

/// Edits a location; `active` is a checkbox (present = on); an empty `country`
/// leaves it as it is.
#[server(endpoint = "admin_edit_location")]
pub async fn admin_edit_location(
    id: i32,
    name: String,
    address: String,
    time_zone: String,
    #[server(default)] country: String,
    active: Option<String>,
) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let mut parsed = NewLocation::parse(&name, &address, &time_zone)?;
    if !country.trim().is_empty() {
        parsed = parsed.in_country("country", &country)?;
    }
    let update = LocationUpdate {
        name: Some(parsed.name),
        address: Some(parsed.address),
        time_zone: Some(parsed.time_zone),
        country: parsed.country,
        active: Some(active.is_some()),
    };
    locations::update_location(&state.db, id, update, &account.caller().actor).await?;
    Ok(())
}
