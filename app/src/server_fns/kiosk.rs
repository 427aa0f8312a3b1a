//! The lobby tablet. A kiosk acts for its one location, by the secret in its cookie:
//! its `Scope::Kiosk` narrows every query, so it never sees other locations.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{GuestDetails, HostChoice, PairedKiosk, Receipt};
#[cfg(feature = "ssr")]
use crate::{
    error::FieldError,
    ssr::{
        kiosk_cookie::{current_kiosk, require_kiosk, set_cookie},
        qr::qr,
        request::{client_address, fail, internal, keep_out_of_caches},
        services::arrivals,
        services::guests::{self, GuestKey},
        services::hosts,
        services::kiosks,
        services::regions::region_at,
        services::visits::{self, CheckOutError, NewVisit, VisitRef, VisitSource},
        state::app_state,
    },
};

#[server(endpoint = "kiosk_info")]
pub async fn kiosk_info() -> Result<Option<PairedKiosk>, AppError> {
    let (state, kiosk) = current_kiosk().await?;
    keep_out_of_caches();
    let Some(k) = kiosk else { return Ok(None) };
    let url = &state.config.public_url;
    let arrival = arrivals::todays_link(&state.db, k.location_id, url).await?;
    Ok(Some(PairedKiosk {
        name: k.name,
        location_name: k.location_name,
        arrival: arrival.map(|today| today.link),
    }))
}

/// Pairs this tablet with the kiosk the code belongs to.
#[server(endpoint = "pair_kiosk")]
pub async fn pair_kiosk(code: String) -> Result<(), AppError> {
    let state = app_state()?;
    let ip = client_address(&state).await?;
    state.limits.check_pairing(ip)?;
    let (_, secret) = kiosks::pair(&state.db, &code).await?;
    set_cookie(&secret, state.config.sessions.secure)?;
    leptos_axum::redirect("/kiosk");
    Ok(())
}

/// The details screen's starting values: a returning guest's last details at this
/// location, found by the phone number they typed.
#[server(endpoint = "kiosk_guest")]
pub async fn kiosk_guest(phone: String) -> Result<GuestDetails, AppError> {
    let (state, kiosk) = require_kiosk().await?;
    keep_out_of_caches();
    let region = region_at(&state.db, kiosk.location_id, state.config.default_region).await?;
    Ok(guests::prefill(&state.db, kiosk.caller().scope, &phone, region).await?)
}

/// The hosts guests may pick at the kiosk's location, by name.
#[server(endpoint = "kiosk_hosts")]
pub async fn kiosk_hosts() -> Result<Vec<HostChoice>, AppError> {
    let (state, kiosk) = require_kiosk().await?;
    Ok(hosts::choices_at(&state.db, kiosk.location_id).await?)
}

#[server(endpoint = "kiosk_check_in")]
pub async fn kiosk_check_in(
    name: String,
    email: String,
    phone: String,
    host_id: Option<i32>,
) -> Result<(), AppError> {
    let (state, kiosk) = require_kiosk().await?;
    let host_id =
        host_id.ok_or_else(|| FieldError::new("host_id", "Pick the person you are visiting."))?;
    let region = region_at(&state.db, kiosk.location_id, state.config.default_region).await?;
    let new = NewVisit::parse(&name, &email, &phone, host_id, region, VisitSource::Kiosk)?;
    let (email, phone) = (new.guest.email.as_str(), new.guest.phone.as_str());
    state
        .limits
        .check_check_in(&format!("kiosk {}", kiosk.id), email, phone)?;
    let url = &state.config.public_url;
    let (_, token) = visits::check_in(&state.db, new, url, &kiosk.caller()).await?;
    leptos_axum::redirect(&format!("/kiosk/done/{token}"));
    Ok(())
}

/// The done screen: whom we told, and the guest's own check-out link.
#[server(endpoint = "kiosk_receipt")]
pub async fn kiosk_receipt(token: String) -> Result<Receipt, AppError> {
    let (state, kiosk) = require_kiosk().await?;
    keep_out_of_caches();
    let now = chrono::Utc::now();
    let (visit, host_name) = guests::receipt(&state.db, kiosk.caller().scope, &token, now)
        .await?
        .ok_or_else(|| fail(AppError::NotFound))?;
    let checkout_url = format!("{}/checkout/{token}", state.config.public_url);
    Ok(Receipt {
        qr: qr(&checkout_url).map_err(internal)?,
        guest_name: visit.guest_name,
        host_name,
        checkout_url,
    })
}

/// Checks a guest out at the kiosk by the phone number or e-mail they checked in with.
#[server(endpoint = "kiosk_check_out")]
pub async fn kiosk_check_out(contact: String) -> Result<(), AppError> {
    let (state, kiosk) = require_kiosk().await?;
    let caller = kiosk.caller();
    let region = region_at(&state.db, kiosk.location_id, state.config.default_region).await?;
    let key = GuestKey::parse(&contact, region)?;
    let running = guests::running_visit(&state.db, caller.scope, &key)
        .await?
        .ok_or_else(|| FieldError::new("contact", "Nobody with that number or address is checked in here. Check what you typed, or ask at the desk."))?;
    match visits::check_out(
        &state.db,
        VisitRef::Id(running.id, caller.scope),
        &caller.actor,
    )
    .await
    {
        // Checked out by someone else a moment ago: the guest is out all the same.
        Ok(_) | Err(CheckOutError::AlreadyCheckedOut) => {
            leptos_axum::redirect("/kiosk?bye=1");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
