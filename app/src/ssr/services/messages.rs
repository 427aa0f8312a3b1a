//! The words of every message. Emails are described once (intro, fields, link) and
//! rendered to both plain text and HTML, so the two parts never disagree.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::outbox::{Channel, Message};
use crate::ssr::time::{local_clock, local_time};

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

/// An email as data: rendered to text and HTML by `render`.
pub(super) struct Email<'a> {
    pub subject: String,
    pub intro: String,
    pub fields: Vec<(&'a str, String)>,
    pub link: Option<(&'a str, &'a str)>,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(email: Email<'_>, recipient: &str) -> Message {
    let mut text = format!("{}\n\n", email.intro);
    let mut html = format!(
        "<!DOCTYPE html><html><body style=\"font-family:system-ui,sans-serif;color:#14181f\">\
         <p>{}</p><table style=\"border-collapse:collapse\">",
        escape(&email.intro)
    );
    for (label, value) in &email.fields {
        text.push_str(&format!("{label}: {value}\n"));
        html.push_str(&format!(
            "<tr><th style=\"text-align:left;padding:4px 16px 4px 0;color:#4a5363\">{}</th><td>{}</td></tr>",
            escape(label),
            escape(value)
        ));
    }
    html.push_str("</table>");
    if let Some((label, url)) = email.link {
        text.push_str(&format!("\n{label}: {url}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }
    html.push_str("</body></html>");
    Message {
        channel: Channel::Email,
        recipient: recipient.to_string(),
        subject: Some(email.subject),
        body: text,
        html: Some(html),
    }
}

pub fn host_email(a: &Arrival<'_>, recipient: &str) -> Message {
    render(
        Email {
            subject: format!("{} is here to see you", a.guest_name),
            intro: format!(
                "Hello {}, {} checked in at {} to see you.",
                a.host_name, a.guest_name, a.location_name
            ),
            fields: vec![
                ("Name", a.guest_name.to_string()),
                ("Email", a.guest_email.to_string()),
                ("Phone", a.guest_phone.to_string()),
                ("Checked in", local_time(a.checked_in_at, a.tz)),
            ],
            link: Some(("Entry details", a.entry_url)),
        },
        recipient,
    )
}

/// Longest SMS we send: two segments. Typical names fit one GSM-7 segment (160).
pub const SMS_MAX_CHARS: usize = 320;

/// Cuts `text` to `max` characters, marking the cut with GSM-7 dots (an ellipsis
/// character would switch the whole SMS to UCS-2 and shrink its segments to 70).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(3)).collect();
    cut.push_str("...");
    cut
}

pub fn host_sms(a: &Arrival<'_>, recipient: &str) -> Message {
    let time = local_clock(a.checked_in_at, a.tz);
    let body = format!(
        "Frontdesk: {} ({}) is at {} to see you since {time}. {}",
        shorten(a.guest_name, 40),
        a.guest_phone,
        shorten(a.location_name, 40),
        a.entry_url
    );
    Message {
        channel: Channel::Sms,
        recipient: recipient.to_string(),
        subject: None,
        body: shorten(&body, SMS_MAX_CHARS),
        html: None,
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
    render(
        Email {
            subject: format!("Your visit to {}", d.location_name),
            intro: format!("Thank you for visiting, {}.", d.guest_name),
            fields: vec![
                ("Name", d.guest_name.to_string()),
                ("Phone", d.guest_phone.to_string()),
                ("Check-in time", local_time(d.checked_in_at, d.tz)),
                ("Check-out time", local_time(d.checked_out_at, d.tz)),
                ("Host name", d.host_name.to_string()),
                ("Address visited", d.address.to_string()),
            ],
            link: None,
        },
        recipient,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrival<'a>(guest: &'a str, location: &'a str, url: &'a str) -> Arrival<'a> {
        Arrival {
            guest_name: guest,
            guest_email: "ada@example.com",
            guest_phone: "+14155550199",
            host_name: "Grace Hopper",
            location_name: location,
            checked_in_at: Utc::now(),
            tz: chrono_tz::Asia::Kolkata,
            entry_url: url,
        }
    }

    #[test]
    fn emails_carry_the_same_fields_in_text_and_escaped_html() {
        let email = host_email(
            &arrival("Ada <script>", "HQ", "https://desk.example.com/visits/1"),
            "g@x.com",
        );
        let html = email.html.unwrap();
        assert!(
            email.body.contains("Name: Ada <script>\n"),
            "{}",
            email.body
        );
        assert!(
            html.contains("<td>Ada &lt;script&gt;</td>") && !html.contains("<script>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://desk.example.com/visits/1\">Entry details</a>"),
            "{html}"
        );
    }

    #[test]
    fn a_typical_arrival_sms_fits_one_segment() {
        let sms = host_sms(
            &arrival("Ada Lovelace", "HQ", "https://desk.example.com/visits/123"),
            "+1",
        );
        assert!(sms.body.chars().count() <= 160, "{}", sms.body);
        assert!(
            sms.body.contains("Ada Lovelace (+14155550199) is at HQ"),
            "{}",
            sms.body
        );
    }

    #[test]
    fn long_names_and_links_never_exceed_two_segments() {
        let name = "N".repeat(100);
        let location = "L".repeat(100);
        let url = format!("https://desk.example.com/{}", "x".repeat(300));
        let sms = host_sms(&arrival(&name, &location, &url), "+1");
        assert!(sms.body.chars().count() <= SMS_MAX_CHARS);
        assert!(
            sms.body.contains(&format!("{}...", "N".repeat(37))),
            "{}",
            sms.body
        );
        assert!(sms.body.is_ascii(), "stays GSM-7: {}", sms.body);
    }
}
