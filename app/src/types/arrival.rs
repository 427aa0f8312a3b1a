use serde::{Deserialize, Serialize};

use super::{HostChoice, QrCode};

/// Who the arrival page checks in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arriver {
    /// A visitor account with a confirmed address: one tap, as itself. `phone` is
    /// None when the account has none (the page then asks for one).
    Account {
        name: String,
        email: String,
        phone: Option<String>,
    },
    /// A visitor account whose address is not confirmed yet: a guest, for now.
    Unconfirmed { name: String, email: String },
    /// A host or admin logged in on this browser: checks in a guest.
    Staff,
    /// Nobody logged in.
    Guest,
}

/// The arrival page of a working link: where, as whom, and the hosts found so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalPage {
    pub location_id: i32,
    pub location_name: String,
    /// The code as the link has it (to send back with the form).
    pub code: String,
    pub arriver: Arriver,
    /// The search typed so far, and what it found (or the host "Check in again" chose).
    pub search: String,
    pub hosts: Vec<HostChoice>,
    /// The host to start with picked, if any.
    pub chosen: Option<i32>,
}

/// The lobby poster: today's link as a QR code and as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poster {
    pub location_id: i32,
    pub location_name: String,
    pub address: String,
    pub url: String,
    pub code: String,
    /// The local date the code works on, e.g. "Wednesday 2 December 2026".
    pub valid_on: String,
    pub qr: QrCode,
}

/// Today's arrival link as the kiosk's welcome screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalLink {
    pub url: String,
    pub qr: QrCode,
}
