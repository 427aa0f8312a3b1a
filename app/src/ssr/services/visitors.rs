//! A visitor's own dashboard: whom they can visit again, and their past week.

use sea_orm::ConnectionTrait;

use super::hosts::{self, HostFilter};
use super::locations;
use super::visits::{self, VisitFilter};
use crate::ssr::auth::caller::Scope;
use crate::types::{AvailableHost, DayCount, VisitorSummary};

/// "Their locations" are where they have visited; the hosts there who are active.
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
    let mut location_ids: Vec<i32> = mine.iter().map(|v| v.location_id).collect();
    location_ids.sort_unstable();
    location_ids.dedup();
    let locations = locations::list_locations(db).await?;
    let active = hosts::list_hosts(db, HostFilter::choosable_at(None)).await?;
    let hosts = active
        .into_iter()
        .filter(|h| location_ids.contains(&h.location_id))
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
