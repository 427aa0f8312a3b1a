//! What the pages' lists show beside the services' records: host and location
//! names, local times, states in words.

use sea_orm::ConnectionTrait;

use crate::ssr::services::hosts::{self, HostFilter};
use crate::ssr::services::kiosks::Kiosk;
use crate::ssr::services::labels::labels_of;
use crate::ssr::services::locations;
use crate::ssr::services::visits::{Visit, VisitStatus};
use crate::ssr::time::{local_time, tz};
use crate::types::HostStatus;
use crate::types::{HostRow, KioskRow, OnSite, VisitRow};

/// Rows for a page: host and location names and local times, in one query
/// whatever the number of visits.
pub async fn rows_of(
    db: &impl ConnectionTrait,
    visits: Vec<Visit>,
) -> Result<Vec<VisitRow>, sea_orm::DbErr> {
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

/// The evacuation list: rows grouped by location (by name), guests by name.
pub fn by_location(rows: Vec<VisitRow>) -> Vec<OnSite> {
    let mut groups: Vec<OnSite> = Vec::new();
    for row in rows {
        match groups
            .iter_mut()
            .find(|o| o.location_name == row.location_name)
        {
            Some(group) => group.rows.push(row),
            None => groups.push(OnSite {
                location_name: row.location_name.clone(),
                rows: vec![row],
            }),
        }
    }
    groups.sort_by(|a, b| a.location_name.cmp(&b.location_name));
    for group in &mut groups {
        group.rows.sort_by_key(|r| r.guest_name.to_lowercase());
    }
    groups
}

/// Every host with its location's name (the admin's hosts page).
pub async fn host_rows(db: &impl ConnectionTrait) -> Result<Vec<HostRow>, anyhow::Error> {
    let all = hosts::list_hosts(db, HostFilter::default()).await?;
    let locations = locations::list_locations(db).await?;
    Ok(all
        .into_iter()
        .map(|h| HostRow {
            location_name: locations
                .iter()
                .find(|l| l.id == h.location_id)
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            id: h.id,
            name: h.name,
            email: h.email,
            phone: h.phone.unwrap_or_default(),
            location_id: h.location_id,
            status: HostStatus::of(h.active, h.pending, h.email_verified, h.invited),
            active: h.active,
            pending: h.pending,
        })
        .collect())
}

pub fn kiosk_row(k: Kiosk) -> KioskRow {
    KioskRow {
        state: match (k.revoked_at, k.paired_at) {
            (Some(_), _) => "revoked",
            (None, Some(_)) => "paired",
            (None, None) => "waiting for pairing",
        }
        .to_string(),
        last_seen: k.last_seen_at.map(|t| local_time(t, tz(&k.time_zone))),
        id: k.id,
        name: k.name,
        location_name: k.location_name,
    }
}
