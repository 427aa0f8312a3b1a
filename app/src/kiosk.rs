//! Server functions for the lobby tablet. A kiosk acts for its one location, by the
//! secret in its cookie; it never sees anything of other locations.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedKiosk {
    pub name: String,
    pub location_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostChoice {
    pub id: i32,
    pub name: String,
}

/// What the details screen starts with: what the guest typed, and what we knew.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestDetails {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Seen here before: the details came from their last visit.
    pub returning: bool,
}

/// A QR code as one SVG path over a `size`×`size` grid (quiet zone included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrCode {
    pub size: u32,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub guest_name: String,
    pub host_name: String,
    pub checkout_url: String,
    pub qr: QrCode,
}

/// The cookie a paired tablet keeps its secret in.
pub const KIOSK_COOKIE: &str = "frontdesk_kiosk";

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::KIOSK_COOKIE;
    use crate::error::AppError;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::kiosks::{self, Kiosk};
    use crate::ssr::state::{app_state, AppState};

    fn cookie_value(parts: &http::request::Parts) -> Option<String> {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == KIOSK_COOKIE)
            .map(|(_, value)| value.to_string())
    }

    /// The kiosk this request comes from, if the tablet is paired and not revoked.
    pub async fn current_kiosk() -> Result<(AppState, Option<Kiosk>), AppError> {
        let state = app_state()?;
        let parts: http::request::Parts = leptos_axum::extract().await.map_err(internal)?;
        let Some(secret) = cookie_value(&parts) else {
            return Ok((state, None));
        };
        let kiosk = kiosks::authenticate(&state.db, &secret)
            .await
            .map_err(internal)?;
        Ok((state, kiosk))
    }

    /// The kiosk, or off to the pairing screen.
    pub async fn require_kiosk() -> Result<(AppState, Kiosk), AppError> {
        match current_kiosk().await? {
            (state, Some(kiosk)) => Ok((state, kiosk)),
            (_, None) => {
                let error = fail(AppError::Refused(
                    "This tablet is not paired with a location (or was revoked). Ask an admin for a pairing code.".into(),
                ));
                leptos_axum::redirect("/kiosk/pair");
                Err(error)
            }
        }
    }

    pub fn set_cookie(secret: &str, secure: bool) -> Result<(), AppError> {
        let cookie = format!(
            "{KIOSK_COOKIE}={secret}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
            if secure { "; Secure" } else { "" }
        );
        let value = http::HeaderValue::from_str(&cookie).map_err(internal)?;
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.append_header(http::header::SET_COOKIE, value);
        }
        Ok(())
    }

    pub fn qr(data: &str) -> Result<super::QrCode, AppError> {
        const QUIET: usize = 4;
        let code = qrcode::QrCode::new(data.as_bytes()).map_err(internal)?;
        let width = code.width();
        let mut path = String::new();
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (x, y) = (i % width + QUIET, i / width + QUIET);
                path.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
        Ok(super::QrCode {
            size: (width + 2 * QUIET) as u32,
            path,
        })
    }
}

#[server(endpoint = "kiosk_info")]
pub async fn kiosk_info() -> Result<Option<PairedKiosk>, AppError> {
    let (_, kiosk) = server::current_kiosk().await?;
    Ok(kiosk.map(|k| PairedKiosk {
        name: k.name,
        location_name: k.location_name,
    }))
}

/// Pairs this tablet with the kiosk the code belongs to.
#[server(endpoint = "pair_kiosk")]
pub async fn pair_kiosk(code: String) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::kiosks::{self, PairError};
    let state = crate::ssr::state::app_state()?;
    let ip = crate::accounts::server::ip(&state).await?;
    state
        .limits
        .check_login(ip, "kiosk pairing")
        .map_err(|t| fail(AppError::TooManyAttempts(t.retry_after_secs)))?;
    match kiosks::pair(&state.db, &code).await {
        Ok((_, secret)) => {
            server::set_cookie(&secret, state.config.sessions.secure)?;
            leptos_axum::redirect("/kiosk");
            Ok(())
        }
        Err(e @ PairError::InvalidCode) => Err(fail(AppError::Invalid(
            crate::error::FieldError::new("code", e.to_string()),
        ))),
        Err(PairError::Unexpected(e)) => Err(internal(e)),
    }
}

/// The details screen's starting values: a returning guest's last details at this
/// location, found by the phone number they typed.
#[server(endpoint = "kiosk_guest")]
pub async fn kiosk_guest(phone: String) -> Result<GuestDetails, AppError> {
    use crate::ssr::request::internal;
    use crate::ssr::services::guests::{self, GuestKey};
    let (state, kiosk) = server::require_kiosk().await?;
    let typed = GuestDetails {
        phone: phone.trim().to_string(),
        ..Default::default()
    };
    // A number we cannot parse is simply not found; the form says what is wrong on submit.
    let Ok(key) = GuestKey::parse(&phone, state.config.default_region) else {
        return Ok(typed);
    };
    let found = guests::last_visit(&state.db, kiosk.location_id, &key)
        .await
        .map_err(internal)?;
    Ok(match found {
        Some(v) => GuestDetails {
            name: v.guest_name,
            email: v.guest_email,
            phone: v.guest_phone,
            returning: true,
        },
        None => typed,
    })
}

/// Active hosts of the kiosk's location, by name.
#[server(endpoint = "kiosk_hosts")]
pub async fn kiosk_hosts() -> Result<Vec<HostChoice>, AppError> {
    use crate::ssr::request::internal;
    use crate::ssr::services::hosts::{self, HostFilter};
    let (state, kiosk) = server::require_kiosk().await?;
    let mut list = hosts::list_hosts(
        &state.db,
        HostFilter {
            location_id: Some(kiosk.location_id),
            active: Some(true),
        },
    )
    .await
    .map_err(internal)?;
    list.sort_by_key(|h| h.name.to_lowercase());
    Ok(list
        .into_iter()
        .map(|h| HostChoice {
            id: h.id,
            name: h.name,
        })
        .collect())
}

#[server(endpoint = "kiosk_check_in")]
pub async fn kiosk_check_in(
    name: String,
    email: String,
    phone: String,
    host_id: Option<i32>,
) -> Result<(), AppError> {
    use crate::error::FieldError;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::accounts::{Caller, Scope};
    use crate::ssr::services::hosts;
    use crate::ssr::services::visits::{self, CheckInError, NewVisit};
    use crate::ssr::services::Actor;
    let (state, kiosk) = server::require_kiosk().await?;
    let host_id = host_id.ok_or_else(|| {
        fail(AppError::Invalid(FieldError::new(
            "host_id",
            "Pick the person you are visiting.",
        )))
    })?;
    let new = NewVisit::parse(&name, &email, &phone, host_id, state.config.default_region)
        .map_err(|e| fail(e.into()))?;
    // The kiosk checks guests in to its own location's hosts only.
    let host = hosts::get_host(&state.db, host_id)
        .await
        .map_err(internal)?;
    if host.is_none_or(|h| h.location_id != kiosk.location_id) {
        return Err(fail(AppError::Invalid(FieldError::new(
            "host_id",
            "That person is not a host here; pick someone from the list.",
        ))));
    }
    let caller = Caller {
        actor: Actor(format!("kiosk \"{}\"", kiosk.name)),
        scope: Scope::Admin,
    };
    match visits::check_in(&state.db, new, &state.config.public_url, &caller).await {
        Ok(visit) => {
            let token = crate::ssr::services::guests::checkout_token(&state.db, visit.id)
                .await
                .map_err(internal)?;
            leptos_axum::redirect(&format!("/kiosk/done/{token}"));
            Ok(())
        }
        Err(e @ (CheckInError::UnknownHost(_) | CheckInError::HostInactive(_))) => Err(fail(
            AppError::Invalid(FieldError::new("host_id", e.to_string())),
        )),
        Err(e @ (CheckInError::AlreadyCheckedIn | CheckInError::Forbidden)) => {
            Err(fail(AppError::Refused(e.to_string())))
        }
        Err(CheckInError::Unexpected(e)) => Err(internal(e)),
    }
}

/// The done screen: whom we told, and the guest's own check-out link.
#[server(endpoint = "kiosk_receipt")]
pub async fn kiosk_receipt(token: String) -> Result<Receipt, AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::{guests, hosts};
    let (state, kiosk) = server::require_kiosk().await?;
    let visit = guests::by_checkout_token(&state.db, &token)
        .await
        .map_err(internal)?
        .filter(|v| v.location_id == kiosk.location_id)
        .ok_or_else(|| fail(AppError::NotFound))?;
    let host_name = hosts::get_host(&state.db, visit.host_id)
        .await
        .map_err(internal)?
        .map(|h| h.name)
        .unwrap_or_default();
    let checkout_url = format!("{}/checkout/{token}", state.config.public_url);
    Ok(Receipt {
        qr: server::qr(&checkout_url)?,
        guest_name: visit.guest_name,
        host_name,
        checkout_url,
    })
}

/// Checks a guest out at the kiosk by the phone number or e-mail they checked in with.
#[server(endpoint = "kiosk_check_out")]
pub async fn kiosk_check_out(contact: String) -> Result<(), AppError> {
    use crate::error::FieldError;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::accounts::Scope;
    use crate::ssr::services::guests::{self, GuestKey};
    use crate::ssr::services::visits::{self, CheckOutError, VisitRef};
    use crate::ssr::services::Actor;
    let (state, kiosk) = server::require_kiosk().await?;
    let key = GuestKey::parse(&contact, state.config.default_region).map_err(|e| fail(e.into()))?;
    let running = guests::running_visit(&state.db, kiosk.location_id, &key)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            fail(AppError::Invalid(FieldError::new(
                "contact",
                "Nobody with that number or address is checked in here. Check what you typed, or ask at the desk.",
            )))
        })?;
    let by = Actor(format!("kiosk \"{}\"", kiosk.name));
    match visits::check_out(&state.db, VisitRef::Id(running.id, Scope::Admin), &by).await {
        Ok(_) | Err(CheckOutError::AlreadyCheckedOut) => {
            leptos_axum::redirect("/kiosk?bye=1");
            Ok(())
        }
        Err(e) => Err(internal(e)),
    }
}
