//! One visit's page: its guest, times and the delivery of its messages.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    request::{fail, internal, require},
    rows::rows_of,
    services::visits,
};
use crate::types::VisitEntry;

/// One visit with the delivery of its messages, if the caller may see it.
#[server(endpoint = "visit_details")]
pub async fn visit_details(id: i32) -> Result<VisitEntry, AppError> {
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let visit = visits::get_visit(&state.db, id, account.caller().scope)
        .await?
        .ok_or_else(|| fail(AppError::NotFound))?;
    let deliveries = visit.notifications.clone().unwrap_or_default();
    let (email, phone) = (visit.email.clone(), visit.phone.clone());
    let checked_out_by = visit.checked_out_by.clone();
    let row = rows_of(&state.db, vec![visit])
        .await?
        .pop()
        .ok_or_else(|| internal(anyhow::anyhow!("visit {id}'s row vanished")))?;
    Ok(VisitEntry {
        email,
        phone,
        checked_out_by,
        deliveries,
        row,
    })
}
