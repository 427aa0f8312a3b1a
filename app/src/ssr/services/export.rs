//! The entries log as filters and as CSV: one parser for the admin page and the
//! export, so the download holds exactly the visits the page lists.

use chrono::{Datelike as _, NaiveDate, TimeZone as _, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::visits::{self, VisitFilter, VisitStatus};
use super::{hosts, locations};
use crate::error::FieldError;
use crate::ssr::auth::caller::Scope;
use crate::ssr::time::tz;
use crate::types::EntryQuery;

#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error(transparent)]
    Invalid(FieldError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn id(field: &str, value: &str) -> Result<Option<i32>, FilterError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    value.trim().parse().map(Some).map_err(|_| {
        FilterError::Invalid(FieldError::new(field, format!("\"{value}\" is not an id.")))
    })
}

/// Days the filter accepts. Beyond year 9999 timestamps print with a sign and
/// compare wrongly as text (SQLite), so the range stops far short of it.
const FIRST_YEAR: i32 = 1970;
const LAST_YEAR: i32 = 2999;

fn day(field: &str, value: &str) -> Result<Option<NaiveDate>, FilterError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let invalid = |message: String| FilterError::Invalid(FieldError::new(field, message));
    let day = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        invalid(format!(
            "\"{value}\" is not a date; use the form 2026-11-29."
        ))
    })?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        return Err(invalid(format!(
            "Pick a day between {FIRST_YEAR} and {LAST_YEAR}."
        )));
    }
    Ok(Some(day))
}

/// The visit filter `query` describes, within what `scope` may see. Days are read
/// in the chosen location's time zone (UTC when no location is chosen).
pub async fn filter_of(
    db: &impl ConnectionTrait,
    query: &EntryQuery,
    scope: Scope,
) -> Result<VisitFilter, FilterError> {
    let location_id = id("location_id", &query.location_id)?;
    let host_id = id("host_id", &query.host_id)?;
    let (from, to) = (day("from", &query.from)?, day("to", &query.to)?);
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(FilterError::Invalid(FieldError::new(
                "to",
                "The last day comes before the first day.",
            )));
        }
    }
    let status = match query.status.trim() {
        "" => None,
        "running" => Some(VisitStatus::Running),
        "past" => Some(VisitStatus::CheckedOut),
        other => {
            return Err(FilterError::Invalid(FieldError::new(
                "status",
                format!("\"{other}\" is not a status; use running or past."),
            )))
        }
    };
    let zone = match location_id {
        Some(id) => crate::ssr::entities::location::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(anyhow::Error::from)?
            .map(|l| tz(&l.time_zone))
            .unwrap_or(chrono_tz::UTC),
        None => chrono_tz::UTC,
    };
    let start_of = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        zone.from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            // A day that starts in a DST gap: its first hour is missing, not the day.
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
    };
    Ok(VisitFilter {
        scope: Some(scope),
        status,
        host_id,
        location_id,
        from: from.map(start_of),
        until: to.and_then(|d| d.succ_opt()).map(start_of),
        before: None,
        limit: 200,
    })
}

pub const CSV_HEADER: [&str; 12] = [
    "visit_id",
    "guest_name",
    "guest_email",
    "guest_phone",
    "host_name",
    "host_email",
    "location",
    "time_zone",
    "checked_in_at",
    "checked_out_at",
    "checked_out_by",
    "status",
];

/// Text typed by guests could start a spreadsheet formula (`=HYPERLINK(...)`): such
/// cells get a leading apostrophe, the usual defence. Phone numbers are validated
/// E.164 and keep their `+`.
fn cell(text: String) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}

/// Every visit matching `filter` as CSV: RFC 4180 (quoted where needed, CRLF), UTF-8
/// with a byte-order mark so spreadsheets do not guess another encoding. Times are
/// ISO 8601 with the location's offset.
pub async fn csv(db: &impl ConnectionTrait, filter: VisitFilter) -> Result<Vec<u8>, anyhow::Error> {
    let visits = visits::list_all(db, filter).await?;
    let hosts = hosts::list_hosts(db, hosts::HostFilter::default()).await?;
    let locations = locations::list_locations(db).await?;
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(CSV_HEADER)?;
    for v in visits {
        let host = hosts.iter().find(|h| h.id == v.host_id);
        let location = locations.iter().find(|l| l.id == v.location_id);
        let zone = tz(location.map_or("UTC", |l| l.time_zone.as_str()));
        let time = |t: chrono::DateTime<Utc>| t.with_timezone(&zone).to_rfc3339();
        out.write_record([
            v.id.to_string(),
            cell(v.name),
            cell(v.email),
            v.phone,
            cell(host.map(|h| h.name.clone()).unwrap_or_default()),
            cell(host.map(|h| h.email.clone()).unwrap_or_default()),
            cell(location.map(|l| l.name.clone()).unwrap_or_default()),
            zone.name().to_string(),
            time(v.checked_in_at),
            v.checked_out_at.map(time).unwrap_or_default(),
            cell(v.checked_out_by.unwrap_or_default()),
            match v.status {
                VisitStatus::Running => "running",
                VisitStatus::CheckedOut => "past",
            }
            .to_string(),
        ])?;
    }
    out.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_that_would_start_a_formula_are_defused() {
        assert_eq!(cell("=1+1".into()), "'=1+1");
        assert_eq!(cell("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(cell("Zoë O'Neil".into()), "Zoë O'Neil");
    }
}
