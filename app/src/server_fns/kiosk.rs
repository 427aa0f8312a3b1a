//! The lobby tablet. A kiosk acts for its one location, by the secret in its cookie:
//! its `Scope::Kiosk` narrows every query, so it never sees other locations.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{CheckInStep, HostChoice, PairedKiosk, Receipt};
#[cfg(feature = "ssr")]
use crate::{
    error::FieldError,
    ssr::{
        domain::PhoneNumber,
        kiosk_cookie::{current_kiosk, require_kiosk, set_cookie},
        kiosk_draft::{self, Draft},
        qr::qr,
        request::{client_address, fail, internal, keep_out_of_caches, session},
        services::arrivals,
        services::guests::{self, GuestKey},
        services::hosts,
        services::kiosks,
        services::regions::region_at,
        services::returning,
        services::visits::{self, CheckOutError, NewVisit, VisitRef, VisitSource},
        state::app_state,
        time::tz,
    },
};

#[server(endpoint = "kiosk_info")]
pub async fn kiosk_info() -> Result<Option<PairedKiosk>, AppError> {
    let (state, kiosk) = current_kiosk().await?;
    keep_out_of_caches();
    // Back at the welcome screen: whatever the last guest began is gone.
    kiosk_draft::clear(&session().await?).await?;
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

/// The first step: the guest's mobile number. A returning guest's details stay
/// on the server until they confirm who they are (`kiosk_confirm`).
#[server(endpoint = "kiosk_start")]
pub async fn kiosk_start(phone: String) -> Result<(), AppError> {
    let (state, kiosk) = require_kiosk().await?;
    let region = region_at(&state.db, kiosk.location_id, state.config.default_region).await?;
    let number = PhoneNumber::parse(&phone, region).map_err(|m| FieldError::new("phone", m))?;
    state.limits.check_lookup(kiosk.id)?;
    let scope = kiosk.caller().scope;
    let last = guests::last_visit(&state.db, scope, &GuestKey::Phone(number)).await?;
    let draft = Draft::new(kiosk.id, phone.trim().to_string(), last.map(|v| v.id));
    kiosk_draft::save(&session().await?, draft).await?;
    leptos_axum::redirect("/kiosk/check-in/details");
    Ok(())
}

/// Where the check-in under way on this tablet stands: what the details screen shows.
#[server(endpoint = "kiosk_guest")]
pub async fn kiosk_guest() -> Result<CheckInStep, AppError> {
    let (state, kiosk) = require_kiosk().await?;
    keep_out_of_caches();
    let Some(draft) = kiosk_draft::current(&session().await?, kiosk.id).await? else {
        return Ok(CheckInStep::NotStarted);
    };
    let zone = tz(&kiosk.time_zone);
    Ok(returning::step(&state.db, kiosk.caller().scope, &draft, zone).await?)
}

/// A returning guest proves who they are with their e-mail address or surname
/// (`answer`), or says the number is not theirs (`not_me`).
#[server(endpoint = "kiosk_confirm")]
pub async fn kiosk_confirm(answer: String, not_me: Option<String>) -> Result<(), AppError> {
    let (state, kiosk) = require_kiosk().await?;
    let session = session().await?;
    let Some(mut draft) = kiosk_draft::current(&session, kiosk.id).await? else {
        leptos_axum::redirect("/kiosk/check-in");
        return Ok(());
    };
    let checked = if not_me.is_some() {
        draft.returning = None;
        Ok(())
    } else {
        state.limits.check_lookup(kiosk.id)?;
        returning::answer(&state.db, kiosk.caller().scope, &mut draft, &answer).await
    };
    // A wrong answer counts, kept with the draft.
    kiosk_draft::save(&session, draft).await?;
    checked?;
    leptos_axum::redirect("/kiosk/check-in/details");
    Ok(())
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
    let (visit, token) = visits::check_in(&state.db, new, url, &kiosk.caller()).await?;
    kiosk_draft::finish(&session().await?, visit.id).await?;
    leptos_axum::redirect(&format!("/kiosk/done/{token}"));
    Ok(())
}

/// A confirmed returning guest still checked in leaves with one tap.
#[server(endpoint = "kiosk_leave")]
pub async fn kiosk_leave() -> Result<(), AppError> {
    let (state, kiosk) = require_kiosk().await?;
    let session = session().await?;
    let draft = kiosk_draft::current(&session, kiosk.id).await?;
    let Some(id) = draft.filter(|d| d.confirmed).and_then(|d| d.returning) else {
        leptos_axum::redirect("/kiosk/check-in");
        return Ok(());
    };
    let caller = kiosk.caller();
    match visits::check_out(&state.db, VisitRef::Id(id, caller.scope), &caller.actor).await {
        Ok(_) | Err(CheckOutError::AlreadyCheckedOut) => {
            kiosk_draft::clear(&session).await?;
            leptos_axum::redirect("/kiosk?bye=1");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The done screen: whom we told, and the guest's own check-out link.
#[server(endpoint = "kiosk_receipt")]
pub async fn kiosk_receipt(token: String) -> Result<Receipt, AppError> {
    let (state, kiosk) = require_kiosk().await?;
    keep_out_of_caches();
    let now = chrono::Utc::now();
    let shown = kiosk_draft::receipt(&session().await?).await?;
    let (visit, host_name) = guests::receipt(&state.db, kiosk.caller().scope, &token, now)
        .await?
        // Only the tablet's own last check-in, until it is back at the welcome.
        .filter(|(visit, _)| shown == Some(visit.id))
        .ok_or_else(|| fail(AppError::NotFound))?;
    let checkout_url = format!("{}/checkout/{token}", state.config.public_url);
    Ok(Receipt {
        qr: qr(&checkout_url).map_err(internal)?,
        guest_name: visit.guest_name,
        host_name,
        checkout_url,
    })
}

/// Checks a guest out at the kiosk by the phone number or e-mail they checked in
/// with, and their surname: anyone can type a number, fewer know the name with it.
#[server(endpoint = "kiosk_check_out")]
pub async fn kiosk_check_out(contact: String, surname: String) -> Result<(), AppError> {
    let (state, kiosk) = require_kiosk().await?;
    let caller = kiosk.caller();
    let region = region_at(&state.db, kiosk.location_id, state.config.default_region).await?;
    let key = GuestKey::parse(&contact, region)?;
    state.limits.check_lookup(kiosk.id)?;
    let running = returning::running_visit_named(&state.db, caller.scope, &key, &surname).await?;
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
