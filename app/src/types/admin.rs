use serde::{Deserialize, Serialize};

use super::VisitRow;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRow {
    pub id: i32,
    pub name: String,
    pub address: String,
    pub time_zone: String,
    /// ISO 3166-1 alpha-2: the country local phone numbers typed there are read in.
    pub country: Option<String>,
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
    pub status: HostStatus,
}

/// Where a host's account stands, as the admin's list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostStatus {
    /// Added by an admin, has not set a password yet (guests can pick them).
    Invited,
    /// Signed up, has not confirmed the address (guests cannot pick them yet).
    Unconfirmed,
    Active,
    /// Signed up from another domain; an admin decides.
    Pending,
    Deactivated,
}

impl HostStatus {
    pub fn of(active: bool, pending: bool, email_verified: bool, invited: bool) -> Self {
        match (active, pending) {
            (_, true) => Self::Pending,
            (false, false) => Self::Deactivated,
            (true, false) if invited => Self::Invited,
            (true, false) if !email_verified => Self::Unconfirmed,
            (true, false) => Self::Active,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Unconfirmed => "e-mail not confirmed",
            Self::Active => "active",
            Self::Pending => "waiting for approval",
            Self::Deactivated => "deactivated",
        }
    }
}

/// A host sign-up waiting for an admin's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingHost {
    pub id: i32,
    pub name: String,
    pub email: String,
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
            .map(|(k, v)| format!("{k}={}", super::url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The entries page lists at most this many visits (newest first).
pub const ENTRIES_SHOWN: usize = 200;

/// Guests on site at one location, for the evacuation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSite {
    pub location_name: String,
    pub rows: Vec<VisitRow>,
}

/// An API token as the admin's tokens page lists it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i32,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
    /// None: never expires.
    pub expires: Option<String>,
    /// "live", "expired" or "revoked".
    pub state: String,
}
