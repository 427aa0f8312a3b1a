//! Server functions behind the dashboards. The visits a caller gets are decided by
//! the services from the caller's account, never by parameters.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRow {
    pub id: i32,
    pub guest_name: String,
    pub host_id: i32,
    pub running: bool,
    pub checked_in_at: String,
    pub checked_out_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingHost {
    pub id: i32,
    pub name: String,
    pub email: String,
}

#[server(endpoint = "my_visits")]
pub async fn my_visits() -> Result<Vec<VisitRow>, AppError> {
    use crate::ssr::request::{internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::visits::{self, VisitFilter};
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let page = visits::list_visits(
        &state.db,
        VisitFilter {
            scope: Some(account.caller().scope),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .map_err(internal)?;
    Ok(page.items.into_iter().map(row_of).collect())
}

#[cfg(feature = "ssr")]
fn row_of(v: crate::ssr::services::visits::Visit) -> VisitRow {
    use crate::ssr::services::visits::VisitStatus;
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    VisitRow {
        id: v.id,
        guest_name: v.name,
        host_id: v.host_id,
        running: v.status == VisitStatus::Running,
        checked_in_at: time(v.checked_in_at),
        checked_out_at: v.checked_out_at.map(time),
    }
}

/// Checks out a visit the caller may see (a host their visitor, a visitor
/// themselves, an admin anyone); any other id answers "not found".
#[server(endpoint = "check_out_visit")]
pub async fn check_out_visit(id: i32) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::visits::{self, CheckOutError, VisitRef};
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let caller = account.caller();
    match visits::check_out(&state.db, VisitRef::Id(id, caller.scope), &caller.actor).await {
        Ok(_) => Ok(()),
        Err(CheckOutError::UnknownVisit(_) | CheckOutError::UnknownToken) => {
            Err(fail(AppError::NotFound))
        }
        Err(e @ CheckOutError::AlreadyCheckedOut) => Err(fail(AppError::Refused(e.to_string()))),
        Err(CheckOutError::Unexpected(e)) => Err(internal(e)),
    }
}

#[server(endpoint = "pending_hosts")]
pub async fn pending_hosts() -> Result<Vec<PendingHost>, AppError> {
    use crate::ssr::request::{internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::hosts::{self, HostFilter};
    let (state, _) = require(&[Role::Admin]).await?;
    let all = hosts::list_hosts(&state.db, HostFilter::default())
        .await
        .map_err(internal)?;
    Ok(all
        .into_iter()
        .filter(|h| h.pending)
        .map(|h| PendingHost {
            id: h.id,
            name: h.name,
            email: h.email,
        })
        .collect())
}

#[server(endpoint = "approve_host")]
pub async fn approve_host(id: i32) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::hosts::{self, HostUpdate, HostWriteError};
    let (state, account) = require(&[Role::Admin]).await?;
    let update = HostUpdate {
        active: Some(true),
        ..Default::default()
    };
    match hosts::update_host(&state.db, id, update, &account.caller().actor).await {
        Ok(_) => Ok(()),
        Err(HostWriteError::NotFound(_)) => Err(fail(AppError::NotFound)),
        Err(e) => Err(internal(e)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitEntry {
    pub row: VisitRow,
    pub email: String,
    pub phone: String,
    pub checked_out_by: Option<String>,
    pub deliveries: Vec<Delivery>,
}

/// One visit with the delivery of its messages, if the caller may see it.
#[server(endpoint = "visit_details")]
pub async fn visit_details(id: i32) -> Result<VisitEntry, AppError> {
    use crate::ssr::request::{fail, internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::visits;
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let visit = visits::get_visit(&state.db, id, account.caller().scope)
        .await
        .map_err(internal)?
        .ok_or_else(|| fail(AppError::NotFound))?;
    let deliveries = visit
        .notifications
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|d| Delivery {
            channel: d.channel,
            recipient: d.recipient,
            status: d.status,
            last_error: d.last_error,
        })
        .collect();
    Ok(VisitEntry {
        email: visit.email.clone(),
        phone: visit.phone.clone(),
        checked_out_by: visit.checked_out_by.clone(),
        deliveries,
        row: row_of(visit),
    })
}
