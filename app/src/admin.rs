//! Server functions of the admin console: locations, hosts, kiosks, the log of
//! entries and who is on site now. Every one checks for an admin itself.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dashboard::VisitRow;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRow {
    pub id: i32,
    pub name: String,
    pub address: String,
    pub time_zone: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub location_id: i32,
    pub location_name: String,
    pub active: bool,
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskRow {
    pub id: i32,
    pub name: String,
    pub location_name: String,
    /// "waiting for pairing", "paired" or "revoked".
    pub state: String,
    pub last_seen: Option<String>,
}

/// A new kiosk's pairing code: shown once, to type on the tablet or open as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingCode {
    pub kiosk_name: String,
    pub code: String,
    pub link: String,
}

/// The entries log's filters, as the filter form and the CSV link send them (empty
/// means "any"). One type for the page and the export, so both list the same visits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct EntryQuery {
    /// A location id.
    #[serde(default)]
    pub location_id: String,
    /// A host id.
    #[serde(default)]
    pub host_id: String,
    /// First day (YYYY-MM-DD), in the location's time zone (UTC without a location).
    #[serde(default)]
    pub from: String,
    /// Last day, included.
    #[serde(default)]
    pub to: String,
    /// `running` or `past`.
    #[serde(default)]
    pub status: String,
}

impl EntryQuery {
    /// The same filters as a query string, for links (CSV export).
    pub fn to_query_string(&self) -> String {
        let pairs = [
            ("location_id", &self.location_id),
            ("host_id", &self.host_id),
            ("from", &self.from),
            ("to", &self.to),
            ("status", &self.status),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The entries page lists at most this many visits (newest first).
pub const ENTRIES_SHOWN: usize = 200;

/// Guests on site at one location, for the evacuation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSite {
    pub location_name: String,
    pub rows: Vec<VisitRow>,
}

#[cfg(feature = "ssr")]
mod server {
    use crate::error::{AppError, FieldError};
    use crate::ssr::request::{fail, require};
    use crate::ssr::services::accounts::{Account, Role};
    use crate::ssr::state::AppState;

    pub async fn admin() -> Result<(AppState, Account), AppError> {
        require(&[Role::Admin]).await
    }

    pub fn invalid(error: FieldError) -> AppError {
        fail(AppError::Invalid(error))
    }
}

#[server(endpoint = "admin_locations")]
pub async fn admin_locations() -> Result<Vec<LocationRow>, AppError> {
    use crate::ssr::request::internal;
    use crate::ssr::services::locations;
    let (state, _) = server::admin().await?;
    let list = locations::list_locations(&state.db)
        .await
        .map_err(internal)?;
    Ok(list
        .into_iter()
        .map(|l| LocationRow {
            id: l.id,
            name: l.name,
            address: l.address,
            time_zone: l.time_zone,
            active: l.active,
        })
        .collect())
}

#[server(endpoint = "admin_add_location")]
pub async fn admin_add_location(
    name: String,
    address: String,
    time_zone: String,
) -> Result<(), AppError> {
    use crate::ssr::request::internal;
    use crate::ssr::services::locations::{self, NewLocation};
    let (state, account) = server::admin().await?;
    let new = NewLocation::parse(&name, &address, &time_zone).map_err(server::invalid)?;
    locations::create_location(&state.db, new, &account.caller().actor)
        .await
        .map_err(internal)?;
    Ok(())
}

/// Edits a location; `active` is a checkbox (present = on).
#[server(endpoint = "admin_edit_location")]
pub async fn admin_edit_location(
    id: i32,
    name: String,
    address: String,
    time_zone: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::locations::{self, LocationUpdate, NewLocation, UpdateLocationError};
    let (state, account) = server::admin().await?;
    let parsed = NewLocation::parse(&name, &address, &time_zone).map_err(server::invalid)?;
    let update = LocationUpdate {
        name: Some(parsed.name),
        address: Some(parsed.address),
        time_zone: Some(parsed.time_zone),
        active: Some(active.is_some()),
    };
    match locations::update_location(&state.db, id, update, &account.caller().actor).await {
        Ok(_) => Ok(()),
        Err(UpdateLocationError::NotFound(_)) => Err(fail(AppError::NotFound)),
        Err(e) => Err(internal(e)),
    }
}

#[server(endpoint = "admin_hosts")]
pub async fn admin_hosts() -> Result<Vec<HostRow>, AppError> {
    use crate::ssr::request::internal;
    use crate::ssr::services::{hosts, locations};
    let (state, _) = server::admin().await?;
    let all = hosts::list_hosts(&state.db, hosts::HostFilter::default())
        .await
        .map_err(internal)?;
    let locations = locations::list_locations(&state.db)
        .await
        .map_err(internal)?;
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
            active: h.active,
            pending: h.pending,
        })
        .collect())
}

#[server(endpoint = "admin_add_host")]
pub async fn admin_add_host(
    name: String,
    email: String,
    phone: String,
    location_id: Option<i32>,
) -> Result<(), AppError> {
    use crate::error::FieldError;
    use crate::ssr::request::internal;
    use crate::ssr::services::hosts::{self, HostWriteError, NewHost};
    let (state, account) = server::admin().await?;
    let location_id = location_id
        .ok_or_else(|| server::invalid(FieldError::new("location_id", "Pick a location.")))?;
    let new = NewHost::parse(
        &name,
        &email,
        &phone,
        location_id,
        state.config.default_region,
    )
    .map_err(server::invalid)?;
    match hosts::create_host(&state.db, new, &account.caller().actor).await {
        Ok(_) => Ok(()),
        Err(e @ HostWriteError::EmailTaken(_)) => {
            Err(server::invalid(FieldError::new("email", e.to_string())))
        }
        Err(e @ HostWriteError::UnknownLocation(_)) => Err(server::invalid(FieldError::new(
            "location_id",
            e.to_string(),
        ))),
        Err(e) => Err(internal(e)),
    }
}

/// Deactivates a host (they can no longer be picked or log in) or activates one
/// again; activating a pending sign-up approves it.
#[server(endpoint = "admin_set_host_active")]
pub async fn admin_set_host_active(id: i32, active: bool) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::hosts::{self, HostUpdate, HostWriteError};
    let (state, account) = server::admin().await?;
    let update = HostUpdate {
        active: Some(active),
        ..Default::default()
    };
    match hosts::update_host(&state.db, id, update, &account.caller().actor).await {
        Ok(_) => Ok(()),
        Err(HostWriteError::NotFound(_)) => Err(fail(AppError::NotFound)),
        Err(e) => Err(internal(e)),
    }
}

#[server(endpoint = "admin_kiosks")]
pub async fn admin_kiosks() -> Result<Vec<KioskRow>, AppError> {
    use crate::dashboard::local_time;
    use crate::ssr::request::internal;
    use crate::ssr::services::{kiosks, visits::tz};
    let (state, _) = server::admin().await?;
    let list = kiosks::list(&state.db).await.map_err(internal)?;
    Ok(list
        .into_iter()
        .map(|k| KioskRow {
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
        })
        .collect())
}

#[server(endpoint = "admin_add_kiosk")]
pub async fn admin_add_kiosk(
    location_id: Option<i32>,
    name: String,
) -> Result<PairingCode, AppError> {
    use crate::error::FieldError;
    use crate::ssr::request::internal;
    use crate::ssr::services::kiosks::{self, KioskError};
    let (state, account) = server::admin().await?;
    let location_id = location_id
        .ok_or_else(|| server::invalid(FieldError::new("location_id", "Pick a location.")))?;
    let name = kiosks::parse_name(&name).map_err(server::invalid)?;
    match kiosks::create(&state.db, location_id, name, &account.caller().actor).await {
        Ok((kiosk, code)) => Ok(PairingCode {
            link: format!("{}/kiosk/pair?code={code}", state.config.public_url),
            kiosk_name: kiosk.name,
            code,
        }),
        Err(e @ KioskError::UnknownLocation(_)) => Err(server::invalid(FieldError::new(
            "location_id",
            e.to_string(),
        ))),
        Err(e) => Err(internal(e)),
    }
}

#[server(endpoint = "admin_revoke_kiosk")]
pub async fn admin_revoke_kiosk(id: i32) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::kiosks::{self, KioskError};
    let (state, account) = server::admin().await?;
    match kiosks::revoke(&state.db, id, &account.caller().actor).await {
        Ok(()) => Ok(()),
        Err(KioskError::NotFound(_)) => Err(fail(AppError::NotFound)),
        Err(e) => Err(internal(e)),
    }
}

/// The entries log, newest first (`ENTRIES_SHOWN` of them; the CSV has them all).
#[server(endpoint = "admin_entries")]
pub async fn admin_entries(query: EntryQuery) -> Result<Vec<VisitRow>, AppError> {
    use crate::dashboard::rows_of;
    use crate::ssr::request::internal;
    use crate::ssr::services::{accounts::Scope, export, visits};
    let (state, _) = server::admin().await?;
    let mut filter = export::filter_of(&state.db, &query, Scope::Admin)
        .await
        .map_err(|e| match e {
            export::FilterError::Invalid(e) => server::invalid(e),
            export::FilterError::Unexpected(e) => internal(e),
        })?;
    filter.limit = ENTRIES_SHOWN as u64;
    let page = visits::list_visits(&state.db, filter)
        .await
        .map_err(internal)?;
    rows_of(&state.db, page.items).await.map_err(internal)
}

/// Everyone checked in and not out, per location: the evacuation list.
#[server(endpoint = "admin_on_site")]
pub async fn admin_on_site() -> Result<Vec<OnSite>, AppError> {
    use crate::dashboard::rows_of;
    use crate::ssr::request::internal;
    use crate::ssr::services::accounts::Scope;
    use crate::ssr::services::visits::{self, VisitFilter, VisitStatus};
    let (state, _) = server::admin().await?;
    let running = visits::list_all(
        &state.db,
        VisitFilter {
            scope: Some(Scope::Admin),
            status: Some(VisitStatus::Running),
            ..Default::default()
        },
    )
    .await
    .map_err(internal)?;
    let rows = rows_of(&state.db, running).await.map_err(internal)?;
    let mut by_location: Vec<OnSite> = Vec::new();
    for row in rows {
        match by_location
            .iter_mut()
            .find(|o| o.location_name == row.location_name)
        {
            Some(group) => group.rows.push(row),
            None => by_location.push(OnSite {
                location_name: row.location_name.clone(),
                rows: vec![row],
            }),
        }
    }
    by_location.sort_by(|a, b| a.location_name.cmp(&b.location_name));
    for group in &mut by_location {
        group.rows.sort_by_key(|r| r.guest_name.to_lowercase());
    }
    Ok(by_location)
}
