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

/// Where the check-in under way on this tablet stands, for the details screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInStep {
    /// Nothing under way (never started, finished, or left idle): start again.
    NotStarted,
    /// The number is a returning guest's: they confirm who they are before
    /// anything of theirs is shown, since anyone can type anyone's number.
    Confirm(ReturningHint),
    /// The form's starting values.
    Details(GuestDetails),
    /// A confirmed returning guest who never checked out: offered that instead.
    AlreadyHere { first_name: String, since: String },
}

/// All a phone number alone reveals of a returning guest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturningHint {
    pub first_name: String,
    /// Like `r•••@e•••.com`.
    pub email_hint: String,
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
