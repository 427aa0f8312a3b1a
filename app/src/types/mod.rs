//! Page-facing types: what server functions answer and pages show. Pages, server
//! functions and services all import these, so none of them imports another for a
//! type. Compiled for the browser too: no server-only crate in here.

mod account;
mod admin;
mod arrival;
mod kiosk;
mod mailbox;
mod setup;
mod status;
mod visit;

pub use account::{
    door_of, home_of, same_site_path, url_encode, LinkInfo, LinkKind, LocationChoice, Me, Role,
    SignUpOutcome,
};
pub use admin::{
    EntryQuery, HostRow, HostStatus, KioskRow, LocationRow, OnSite, PairingCode, PendingHost,
    TokenRow, ENTRIES_SHOWN,
};
pub use arrival::{ArrivalLink, ArrivalPage, Arriver, Poster};
pub use kiosk::{
    CheckInStep, GuestDetails, HostChoice, PairedKiosk, QrCode, Receipt, ReturningHint,
    KIOSK_COOKIE,
};
pub use mailbox::MailboxItem;
pub use setup::SetupChoices;
pub use status::StatusReport;
pub use visit::{
    AvailableHost, DayCount, Delivery, GuestLink, OwnVisit, VisitEntry, VisitRow, VisitorSummary,
};
