use serde::{Deserialize, Serialize};

/// One visit in a list, with its host's and location's names.
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

/// Where a message about this visit stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub channel: String,
    pub recipient: String,
    /// `queued`, `sending`, `sent` or `failed_permanently`.
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

/// What the guest's own check-out link shows while it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnVisit {
    pub guest_name: String,
    pub host_name: String,
    pub location_name: String,
    pub checked_in_at: String,
}

/// A guest's check-out link: their running visit, or, once the visit is closed or
/// the link a day old, nothing but that it has expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuestLink {
    Open(OwnVisit),
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// Short weekday and day, e.g. "Mon 23".
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableHost {
    pub id: i32,
    pub name: String,
    pub location_id: i32,
    pub location_name: String,
}

/// A visitor's dashboard: whom they can visit, and their visits over the past week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorSummary {
    pub hosts: Vec<AvailableHost>,
    /// Seven days, oldest first, ending today (UTC days).
    pub week: Vec<DayCount>,
}
