use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedKiosk {
    pub name: String,
    pub location_name: String,
    /// Today's link for checking in on one's own phone.
    pub arrival: Option<super::ArrivalLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostChoice {
    pub id: i32,
    pub name: String,
}

/// What the details screen starts with: what the guest typed, and what we knew.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestDetails {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Seen here before: the details came from their last visit.
    pub returning: bool,
}

/// A QR code as one SVG path over a `size`×`size` grid (quiet zone included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrCode {
    pub size: u32,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub guest_name: String,
    pub host_name: String,
    pub checkout_url: String,
    pub qr: QrCode,
}

/// The cookie a paired tablet keeps its secret in.
pub const KIOSK_COOKIE: &str = "frontdesk_kiosk";
