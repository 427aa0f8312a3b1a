//! The guest's own check-out link: no account, just the secret in the link. Opening
//! the link only shows the visit (link previews must not check anyone out); the
//! button checks out, once.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnVisit {
    pub guest_name: String,
    pub host_name: String,
    pub location_name: String,
    pub checked_in_at: String,
    pub checked_out_at: Option<String>,
}

#[server(endpoint = "guest_visit")]
pub async fn guest_visit(token: String) -> Result<OwnVisit, AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::{guests, hosts::host_with_location, visits::tz};
    let state = crate::ssr::state::app_state()?;
    let visit = guests::by_checkout_token(&state.db, &token)
        .await
        .map_err(internal)?
        .ok_or_else(|| fail(AppError::NotFound))?;
    let (_, user, location) = host_with_location(&state.db, visit.host_id)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal(format!("visit {} has no host", visit.id)))?;
    let zone = tz(&location.time_zone);
    Ok(OwnVisit {
        guest_name: visit.guest_name,
        host_name: user.name,
        location_name: location.name,
        checked_in_at: crate::dashboard::local_time(visit.checked_in_at, zone),
        checked_out_at: visit
            .checked_out_at
            .map(|t| crate::dashboard::local_time(t, zone)),
    })
}

#[server(endpoint = "guest_check_out")]
pub async fn guest_check_out(token: String) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::visits::{self, CheckOutError, VisitRef};
    use crate::ssr::services::Actor;
    let state = crate::ssr::state::app_state()?;
    match visits::check_out(&state.db, VisitRef::Token(&token), &Actor::guest()).await {
        Ok(_) => Ok(()),
        Err(CheckOutError::UnknownToken | CheckOutError::UnknownVisit(_)) => {
            Err(fail(AppError::NotFound))
        }
        Err(CheckOutError::AlreadyCheckedOut) => Err(fail(AppError::Refused(
            "This visit is already closed: you were checked out before.".into(),
        ))),
        Err(CheckOutError::Unexpected(e)) => Err(internal(e)),
    }
}
