//! A visitor's own dashboard: whom they can visit again, and their past week.

use sea_orm::ConnectionTrait;

use super::hosts::{self, HostFilter};
use super::locations;
use super::visits::{self, VisitFilter};
use crate::ssr::auth::caller::Scope;
use crate::types::{AvailableHost, DayCount, VisitorSummary};

/// The hosts they have visited who can be visited again, and their past week.
/// Only hosts of their own visits: an account is free to make, so listing everyone
/// at a location they visited once would hand out its whole staff.
pub async fn overview(
    db: &impl ConnectionTrait,
    scope: Scope,
) -> Result<VisitorSummary, anyhow::Error> {
    let mine = visits::list_all(
        db,
        VisitFilter {
            scope: Some(scope),
            ..Default::default()
        },
    )
    .await?;
    let locations = locations::list_locations(db).await?;
    let active = hosts::list_hosts(db, HostFilter::choosable_at(None)).await?;
    let hosts = active
        .into_iter()
        .filter(|h| mine.iter().any(|v| v.host_id == h.id))
        .filter_map(|h| {
            let location = locations
                .iter()
                .find(|l| l.id == h.location_id && l.active)?;
            Some(AvailableHost {
                id: h.id,
                name: h.name,
                location_id: location.id,
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
