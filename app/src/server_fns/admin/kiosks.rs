//! The admin's kiosks page: adding one (a pairing code, shown once) and revoking.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{KioskRow, PairingCode};
#[cfg(feature = "ssr")]
use crate::{
    error::FieldError,
    ssr::{auth::caller::Role, request::require, rows::kiosk_row, services::kiosks},
};

#[server(endpoint = "admin_kiosks")]
pub async fn admin_kiosks() -> Result<Vec<KioskRow>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let list = kiosks::list(&state.db).await?;
    Ok(list.into_iter().map(kiosk_row).collect())
}

#[server(endpoint = "admin_add_kiosk")]
pub async fn admin_add_kiosk(
    location_id: Option<i32>,
    name: String,
) -> Result<PairingCode, AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    let location_id =
        location_id.ok_or_else(|| FieldError::new("location_id", "Pick a location."))?;
    let name = kiosks::parse_name(&name)?;
    let (kiosk, code) =
        kiosks::create(&state.db, location_id, name, &account.caller().actor).await?;
    Ok(PairingCode {
        link: format!("{}/kiosk/pair?code={code}", state.config.public_url),
        kiosk_name: kiosk.name,
        code,
    })
}

#[server(endpoint = "admin_revoke_kiosk")]
pub async fn admin_revoke_kiosk(id: i32) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    kiosks::revoke(&state.db, id, &account.caller().actor).await?;
    Ok(())
}
