//! Times as people at a location read them: one format for pages and e-mails.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// A location's stored time zone. Names were parsed on the way in; UTC only if one
/// was edited by hand in the database.
pub fn tz(name: &str) -> Tz {
    Tz::from_str(name).unwrap_or(chrono_tz::UTC)
}

/// `t` as people at the location read it, e.g. "Sun 29 Nov 2026, 16:05 CET".
pub fn local_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%a %-d %b %Y, %H:%M %Z")
        .to_string()
}

/// Only the clock time, for texts that must stay short (SMS), e.g. "16:05".
pub fn local_clock(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_the_locations_zone_without_a_leading_zero_on_the_day() {
        let t = Utc.with_ymd_and_hms(2026, 11, 6, 15, 5, 0).unwrap();
        assert_eq!(
            local_time(t, tz("Europe/Berlin")),
            "Fri 6 Nov 2026, 16:05 CET"
        );
        assert_eq!(local_clock(t, tz("Asia/Kolkata")), "20:35");
        assert_eq!(local_time(t, tz("Not/AZone")), "Fri 6 Nov 2026, 15:05 UTC");
    }
}
