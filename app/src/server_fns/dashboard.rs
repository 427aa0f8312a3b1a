//! The dashboards (host, visitor, admin overview). The visits a caller gets are
//! decided by their `Scope`, never by parameters.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    request::require,
    rows::rows_of,
    services::hosts::{self, HostFilter},
    services::visitors,
    services::visits::{self, VisitFilter, VisitRef},
};
use crate::types::{PendingHost, VisitRow, VisitorSummary};

#[server(endpoint = "my_visits")]
pub async fn my_visits() -> Result<Vec<VisitRow>, AppError> {
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let filter = VisitFilter {
        scope: Some(account.caller().scope),
        limit: 100,
        ..Default::default()
    };
    let page = visits::list_visits(&state.db, filter).await?;
    Ok(rows_of(&state.db, page.items).await?)
}

/// Checks out a visit the caller may see (a host their visitor, a visitor
/// themselves, an admin anyone); any other id answers "not found".
#[server(endpoint = "check_out_visit")]
pub async fn check_out_visit(id: i32) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let caller = account.caller();
    visits::check_out(&state.db, VisitRef::Id(id, caller.scope), &caller.actor).await?;
    Ok(())
}

/// Host sign-ups waiting for approval (approving is `admin_set_host_active`).
#[server(endpoint = "pending_hosts")]
pub async fn pending_hosts() -> Result<Vec<PendingHost>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let filter = HostFilter {
        pending: Some(true),
        ..Default::default()
    };
    let pending = hosts::list_hosts(&state.db, filter).await?;
    Ok(pending
        .into_iter()
        .map(|h| PendingHost {
            id: h.id,
            name: h.name,
            email: h.email,
        })
        .collect())
}

#[server(endpoint = "visitor_overview")]
pub async fn visitor_overview() -> Result<VisitorSummary, AppError> {
    let (state, account) = require(&[Role::Visitor]).await?;
    Ok(visitors::overview(&state.db, account.caller().scope).await?)
}
