//! The paired tablet's cookie: which kiosk a request comes from.

use crate::error::AppError;
use crate::ssr::request::{fail, internal};
use crate::ssr::services::kiosks::{self, Kiosk};
use crate::ssr::state::{app_state, AppState};
use crate::types::KIOSK_COOKIE;

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
    let kiosk = kiosks::authenticate(&state.db, &secret).await?;
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
