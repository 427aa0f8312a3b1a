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
    pub host_name: String,
    pub location_name: String,
    pub running: bool,
    /// In the location's time zone.
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
    rows_of(&state.db, page.items).await.map_err(internal)
}

/// `t` as people at the location read it, e.g. "Sun 29 Nov 2026, 16:05 CET".
#[cfg(feature = "ssr")]
pub fn local_time(t: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> String {
    t.with_timezone(&zone)
        .format("%a %-d %b %Y, %H:%M %Z")
        .to_string()
}

/// Rows for a page: host and location names and local times, in one query
/// whatever the number of visits.
#[cfg(feature = "ssr")]
pub async fn rows_of(
    db: &impl sea_orm::ConnectionTrait,
    visits: Vec<crate::ssr::services::visits::Visit>,
) -> Result<Vec<VisitRow>, anyhow::Error> {
    use crate::ssr::services::labels::labels_of;
    use crate::ssr::services::visits::{tz, VisitStatus};
    let labels = labels_of(db, visits.iter().map(|v| v.id).collect()).await?;
    Ok(visits
        .into_iter()
        .map(|v| {
            let label = labels.get(&v.id);
            let zone = tz(label.map_or("UTC", |l| l.time_zone.as_str()));
            VisitRow {
                id: v.id,
                guest_name: v.name,
                host_id: v.host_id,
                host_name: label.map(|l| l.host_name.clone()).unwrap_or_default(),
                location_name: label.map(|l| l.location_name.clone()).unwrap_or_default(),
                running: v.status == VisitStatus::Running,
                checked_in_at: local_time(v.checked_in_at, zone),
                checked_out_at: v.checked_out_at.map(|t| local_time(t, zone)),
            }
        })
        .collect())
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
    let email = visit.email.clone();
    let phone = visit.phone.clone();
    let checked_out_by = visit.checked_out_by.clone();
    let row = rows_of(&state.db, vec![visit])
        .await
        .map_err(internal)?
        .pop()
        .ok_or_else(|| internal("visit row vanished"))?;
    Ok(VisitEntry {
        email,
        phone,
        checked_out_by,
        deliveries,
        row,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// Short weekday and day, e.g. "Mon 23".
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableHost {
    pub name: String,
    pub location_name: String,
}

/// A visitor's dashboard: whom they can visit, and their visits over the past week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorSummary {
    pub hosts: Vec<AvailableHost>,
    /// Seven days, oldest first, ending today (UTC days).
    pub week: Vec<DayCount>,
}

#[server(endpoint = "visitor_overview")]
pub async fn visitor_overview() -> Result<VisitorSummary, AppError> {
    use crate::ssr::request::{internal, require};
    use crate::ssr::services::accounts::Role;
    use crate::ssr::services::visits::{self, VisitFilter};
    use crate::ssr::services::{hosts, locations};
    let (state, account) = require(&[Role::Visitor]).await?;
    let mine = visits::list_all(
        &state.db,
        VisitFilter {
            scope: Some(account.caller().scope),
            ..Default::default()
        },
    )
    .await
    .map_err(internal)?;
    // "Their locations": where they have visited.
    let mut location_ids: Vec<i32> = mine.iter().map(|v| v.location_id).collect();
    location_ids.sort_unstable();
    location_ids.dedup();
    let locations = locations::list_locations(&state.db)
        .await
        .map_err(internal)?;
    let active = hosts::list_hosts(
        &state.db,
        hosts::HostFilter {
            location_id: None,
            active: Some(true),
        },
    )
    .await
    .map_err(internal)?;
    let hosts = active
        .into_iter()
        .filter(|h| location_ids.contains(&h.location_id))
        .filter_map(|h| {
            let location = locations
                .iter()
                .find(|l| l.id == h.location_id && l.active)?;
            Some(AvailableHost {
                name: h.name,
                location_name: location.name.clone(),
            })
        })
        .collect();
    let today = chrono::Utc::now().date_naive();
    let week = (0..7)
        .rev()
        .map(|ago| {
            let day = today - chrono::Duration::days(ago);
            DayCount {
                label: day.format("%a %-d").to_string(),
                count: mine
                    .iter()
                    .filter(|v| v.checked_in_at.date_naive() == day)
                    .count() as u32,
            }
        })
        .collect();
    Ok(VisitorSummary { hosts, week })
}
