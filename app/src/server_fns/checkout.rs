//! The guest's own check-out link: no account, just the secret in the link. Opening
//! the link only shows the visit (link previews must not check anyone out); the
//! button checks out, once.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Actor,
    request::fail,
    services::guests,
    services::visits::{self, CheckOutError, VisitRef},
    state::app_state,
};
use crate::types::OwnVisit;

#[server(endpoint = "guest_visit")]
pub async fn guest_visit(token: String) -> Result<OwnVisit, AppError> {
    let state = app_state()?;
    guests::own_visit(&state.db, &token)
        .await?
        .ok_or_else(|| fail(AppError::NotFound))
}

#[server(endpoint = "guest_check_out")]
pub async fn guest_check_out(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    match visits::check_out(&state.db, VisitRef::Token(&token), &Actor::guest()).await {
        Ok(_) => Ok(()),
        // Said to the guest in their own terms.
        Err(CheckOutError::AlreadyCheckedOut) => Err(fail(AppError::Refused(
            "This visit is already closed: you were checked out before.".into(),
        ))),
        Err(e) => Err(e.into()),
    }
}
