//! The words of every message. Plain text for now; the notifications work adds HTML.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::outbox::{Channel, Message};

/// A time as people at the location read it, e.g. "Thu 26 Nov 2026, 14:05 IST".
pub fn local_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%a %d %b %Y, %H:%M %Z")
        .to_string()
}

pub struct Arrival<'a> {
    pub guest_name: &'a str,
    pub guest_email: &'a str,
    pub guest_phone: &'a str,
    pub host_name: &'a str,
    pub location_name: &'a str,
    pub checked_in_at: DateTime<Utc>,
    pub tz: Tz,
    pub entry_url: &'a str,
}

pub fn host_email(a: &Arrival<'_>, recipient: &str) -> Message {
    let time = local_time(a.checked_in_at, a.tz);
    Message {
        channel: Channel::Email,
        recipient: recipient.to_string(),
        subject: Some(format!("{} is here to see you", a.guest_name)),
        body: format!(
            "Hello {host},\n\n{guest} checked in at {location} to see you.\n\n\
             Name: {guest}\nEmail: {email}\nPhone: {phone}\nChecked in: {time}\n\n\
             Entry details: {url}\n",
            host = a.host_name,
            guest = a.guest_name,
            location = a.location_name,
            email = a.guest_email,
            phone = a.guest_phone,
            url = a.entry_url,
        ),
    }
}

pub fn host_sms(a: &Arrival<'_>, recipient: &str) -> Message {
    let time = a.checked_in_at.with_timezone(&a.tz).format("%H:%M");
    Message {
        channel: Channel::Sms,
        recipient: recipient.to_string(),
        subject: None,
        body: format!(
            "Frontdesk: {} ({}) is at {} to see you since {time}. {}",
            a.guest_name, a.guest_phone, a.location_name, a.entry_url
        ),
    }
}

pub struct Departure<'a> {
    pub guest_name: &'a str,
    pub guest_phone: &'a str,
    pub host_name: &'a str,
    pub location_name: &'a str,
    pub address: &'a str,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: DateTime<Utc>,
    pub tz: Tz,
}

/// The guest's summary at check-out: the fields the original app promised.
pub fn guest_summary_email(d: &Departure<'_>, recipient: &str) -> Message {
    Message {
        channel: Channel::Email,
        recipient: recipient.to_string(),
        subject: Some(format!("Your visit to {}", d.location_name)),
        body: format!(
            "Thank you for visiting, {name}.\n\n\
             Name: {name}\nPhone: {phone}\nCheck-in time: {checked_in}\n\
             Check-out time: {checked_out}\nHost name: {host}\nAddress visited: {address}\n",
            name = d.guest_name,
            phone = d.guest_phone,
            checked_in = local_time(d.checked_in_at, d.tz),
            checked_out = local_time(d.checked_out_at, d.tz),
            host = d.host_name,
            address = d.address,
        ),
    }
}
