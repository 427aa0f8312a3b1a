//! The admin's entries log and the on-site (evacuation) list.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{EntryQuery, OnSite, VisitRow};
#[cfg(feature = "ssr")]
use crate::{
    ssr::{
        auth::caller::{Role, Scope},
        request::require,
        rows::{by_location, rows_of},
        services::export,
        services::visits::{self, VisitFilter, VisitStatus},
    },
    types::ENTRIES_SHOWN,
};

/// The entries log, newest first (`ENTRIES_SHOWN` of them; the CSV has them all).
#[server(endpoint = "admin_entries")]
pub async fn admin_entries(query: EntryQuery) -> Result<Vec<VisitRow>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let mut filter = export::filter_of(&state.db, &query, Scope::Admin).await?;
    filter.limit = ENTRIES_SHOWN as u64;
    let page = visits::list_visits(&state.db, filter).await?;
    Ok(rows_of(&state.db, page.items).await?)
}

/// Everyone checked in and not out, per location: the evacuation list.
#[server(endpoint = "admin_on_site")]
pub async fn admin_on_site() -> Result<Vec<OnSite>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let filter = VisitFilter {
        scope: Some(Scope::Admin),
        status: Some(VisitStatus::Running),
        ..Default::default()
    };
    let running = visits::list_all(&state.db, filter).await?;
    Ok(by_location(rows_of(&state.db, running).await?))
}
