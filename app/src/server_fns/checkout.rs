//! The guest's own check-out link: no account, just the secret in the link. Opening
//! the link only shows the visit (link previews must not check anyone out); the
//! button checks out, once. After that, or a day after check-in, the link shows
//! only that it has expired.

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
use crate::types::GuestLink;

#[server(endpoint = "guest_visit")]
pub async fn guest_visit(token: String) -> Result<GuestLink, AppError> {
    let state = app_state()?;
    guests::own_visit(&state.db, &token)
        .await?
        .ok_or_else(|| fail(AppError::NotFound))
}

#[server(endpoint = "guest_check_out")]
pub async fn guest_check_out(token: String) -> Result<(), AppError> {
    let state = app_state()?;
    match visits::check_out(&state.db, VisitRef::Token(&token), &Actor::guest()).await {
        Ok(_) => {
            leptos_axum::redirect(&format!("/checkout/{token}?done=1"));
            Ok(())
        }
        // A lost race (two taps at once) is, to the guest, a used link.
        Err(CheckOutError::AlreadyCheckedOut) => Err(CheckOutError::LinkExpired.into()),
        Err(e) => Err(e.into()),
    }
}
