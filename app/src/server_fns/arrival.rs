//! Checking in on one's own phone from the lobby poster (`/arrive/{location}/{code}`),
//! and the poster itself. The code in the link is checked on every request.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    request::{client_address, current_account, fail, keep_out_of_caches, require},
    services::arrival_codes,
    services::arrivals::{self, ArrivalForm, ArrivalSite},
    state::{app_state, AppState},
};
use crate::types::{ArrivalPage, HostChoice, Poster};

/// The page a poster link opens: where, as whom, and the hosts `search` finds (or
/// the `host` a visitor's "Check in again" named).
#[server(endpoint = "open_arrival")]
pub async fn open_arrival(
    location_id: i32,
    code: String,
    #[server(default)] search: String,
    #[server(default)] host: Option<i32>,
) -> Result<ArrivalPage, AppError> {
    let state = app_state()?;
    keep_out_of_caches();
    state.limits.check_arrival(client_address(&state).await?)?;
    let account = current_account().await?;
    let grace = state.config.arrival_grace;
    let wanted = (search.as_str(), host);
    Ok(arrivals::page(
        &state.db,
        location_id,
        &code,
        account.as_ref(),
        wanted,
        grace,
    )
    .await?)
}

/// Hosts at the link's location whose name holds `search` (the page's type-ahead).
#[server(endpoint = "arrival_hosts")]
pub async fn arrival_hosts(
    location_id: i32,
    code: String,
    search: String,
) -> Result<Vec<HostChoice>, AppError> {
    let state = app_state()?;
    state.limits.check_arrival(client_address(&state).await?)?;
    let now = chrono::Utc::now();
    let place = arrival_codes::open(
        &state.db,
        location_id,
        &code,
        now,
        state.config.arrival_grace,
    )
    .await?;
    Ok(arrivals::find_hosts(&state.db, place.id, &search).await?)
}

/// Checks in and opens the guest's own check-out page, which says who was told.
#[server(endpoint = "arrival_check_in")]
pub async fn arrival_check_in(
    location_id: i32,
    code: String,
    host_id: Option<i32>,
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let site = arrival_site(&state, client_address(&state).await?);
    let (name, email, phone) = (&name[..], &email[..], &phone[..]);
    let (code, host) = (&code[..], host_id);
    let form = ArrivalForm {
        location_id,
        code,
        host_id: host,
        name,
        email,
        phone,
    };
    let account = current_account().await?;
    let token = arrivals::check_in(&state.db, form, account.as_ref(), &site).await?;
    leptos_axum::redirect(&format!("/checkout/{token}?arrived=1"));
    Ok(())
}

#[cfg(feature = "ssr")]
fn arrival_site(state: &AppState, client: std::net::IpAddr) -> ArrivalSite<'_> {
    ArrivalSite {
        public_url: &state.config.public_url,
        region: state.config.default_region,
        grace: state.config.arrival_grace,
        limits: &state.limits,
        client,
    }
}

/// A location's lobby poster: today's link and QR code (admins).
#[server(endpoint = "arrival_poster")]
pub async fn arrival_poster(location_id: i32) -> Result<Poster, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    arrivals::poster(&state.db, location_id, &state.config.public_url)
        .await?
        .ok_or_else(|| fail(AppError::NotFound))
}

/// A new secret for the location's codes: today's poster link stops working at once.
#[server(endpoint = "rotate_arrival_code")]
pub async fn rotate_arrival_code(location_id: i32) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    arrival_codes::rotate(&state.db, location_id, &account.caller().actor).await?;
    leptos_axum::redirect(&format!("/admin/locations/{location_id}/poster?rotated=1"));
    Ok(())
}
