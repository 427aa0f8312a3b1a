//! Domain types, parsed at the edge: code behind the edge never re-validates.
//! Each `parse` returns a message a person can act on; callers add the field name.

mod contact;
mod country;
mod email;
mod name;
mod phone;
mod text;
mod time_zone;

pub use contact::Contact;
pub use country::Country;
pub use email::EmailAddress;
pub use name::PersonName;
pub use phone::{PhoneNumber, Region};
pub use text::{Address, LocationName};
pub use time_zone::TimeZone;
