//! The lobby poster's daily code: an HMAC of the location's secret and its local
//! date, so nothing is stored per day, every instance computes the same code, a
//! link proves its holder saw the poster today, and rotating the secret ends it at once.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use sha2::Sha256;

use super::locations::UpdateLocationError;
use super::{audit, random_secret};
use crate::ssr::auth::caller::Actor;
use crate::ssr::entities::location;
use crate::ssr::time::tz;

/// Bytes of the HMAC in a code: 40 bits, 8 base32 characters to type.
const CODE_BYTES: usize = 5;
/// How far back an old code is recognised as one (to say so, instead of "wrong").
const OLD_DAYS: i64 = 30;

/// Why a poster link does not open.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error(
        "This check-in link is not valid. Scan the QR code on the poster in the lobby again, \
         or type the code printed under it."
    )]
    Invalid,
    #[error(
        "This check-in link was for {0}; every day has its own. Scan the QR code on the poster \
         in the lobby again."
    )]
    Old(String),
    #[error("{0} is not taking check-ins at the moment. Please ask at the desk.")]
    Closed(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(CodeError);

/// The code of `day` under `secret`, as printed: lower-case base32.
pub fn code_on(secret: &str, day: NaiveDate) -> Result<String, anyhow::Error> {
    let tag = mac_of(secret, day)?.finalize().into_bytes();
    Ok(data_encoding::BASE32_NOPAD
        .encode(&tag[..CODE_BYTES])
        .to_lowercase())
}

fn mac_of(secret: &str, day: NaiveDate) -> Result<Hmac<Sha256>, anyhow::Error> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|e| anyhow::anyhow!("arrival secret: {e}"))?;
    mac.update(format!("arrival {day}").as_bytes());
    Ok(mac)
}

/// Whether `typed` is `day`'s code, compared in constant time.
fn is_code_of(typed: &[u8], secret: &str, day: NaiveDate) -> Result<bool, anyhow::Error> {
    Ok(mac_of(secret, day)?.verify_truncated_left(typed).is_ok())
}

/// The code as typed (any case, spaces or dashes), as bytes; None if it cannot be one.
fn decode(code: &str) -> Option<Vec<u8>> {
    let cleaned: String = code
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .take(32)
        .collect::<String>()
        .to_uppercase();
    data_encoding::BASE32_NOPAD
        .decode(cleaned.as_bytes())
        .ok()
        .filter(|b| b.len() == CODE_BYTES)
}

/// The location and its secret, made now if it has none yet.
async fn with_secret(
    db: &impl ConnectionTrait,
    location_id: i32,
) -> Result<Option<(location::Model, String)>, anyhow::Error> {
    let Some(found) = location::Entity::find_by_id(location_id).one(db).await? else {
        return Ok(None);
    };
    if let Some(secret) = found.arrival_secret.clone() {
        return Ok(Some((found, secret)));
    }
    // Two instances at once: the conditional update lets one win; both read it.
    location::Entity::update_many()
        .col_expr(
            location::Column::ArrivalSecret,
            Expr::value(random_secret()?),
        )
        .filter(location::Column::Id.eq(location_id))
        .filter(location::Column::ArrivalSecret.is_null())
        .exec(db)
        .await?;
    let found = location::Entity::find_by_id(location_id).one(db).await?;
    Ok(found.and_then(|l| l.arrival_secret.clone().map(|s| (l, s))))
}

/// A location's local date at `now`.
fn local_day(location: &location::Model, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz(&location.time_zone)).date_naive()
}

/// Today's code at a location (for its poster and kiosk), with the local date.
pub async fn todays_code(
    db: &impl ConnectionTrait,
    location_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<(location::Model, String, NaiveDate)>, anyhow::Error> {
    let Some((location, secret)) = with_secret(db, location_id).await? else {
        return Ok(None);
    };
    let day = local_day(&location, now);
    let code = code_on(&secret, day)?;
    Ok(Some((location, code, day)))
}

/// The location whose poster link this is, if `code` is its code today (or
/// yesterday's, until `grace` after local midnight) and it takes check-ins.
pub async fn open(
    db: &impl ConnectionTrait,
    location_id: i32,
    code: &str,
    now: DateTime<Utc>,
    grace: Duration,
) -> Result<location::Model, CodeError> {
    let typed = decode(code).ok_or(CodeError::Invalid)?;
    let (location, secret) = with_secret(db, location_id)
        .await?
        .ok_or(CodeError::Invalid)?;
    let today = local_day(&location, now);
    let since_midnight =
        now.with_timezone(&tz(&location.time_zone)).time() - chrono::NaiveTime::MIN;
    let yesterday = today - Duration::days(1);
    let valid = is_code_of(&typed, &secret, today)?
        || (since_midnight < grace && is_code_of(&typed, &secret, yesterday)?);
    if !valid {
        for ago in 1..=OLD_DAYS {
            let day = today - Duration::days(ago);
            if is_code_of(&typed, &secret, day)? {
                return Err(CodeError::Old(day.format("%A %-d %B").to_string()));
            }
        }
        return Err(CodeError::Invalid);
    }
    if !location.active {
        return Err(CodeError::Closed(location.name));
    }
    Ok(location)
}

/// A new secret for the location: every code made with the old one stops at once.
pub async fn rotate(
    db: &impl TransactionTrait,
    location_id: i32,
    actor: &Actor,
) -> Result<(), UpdateLocationError> {
    let tx = super::begin_write(db).await?;
    let changed = location::Entity::update_many()
        .col_expr(
            location::Column::ArrivalSecret,
            Expr::value(random_secret()?),
        )
        .filter(location::Column::Id.eq(location_id))
        .exec(&tx)
        .await?;
    if changed.rows_affected == 0 {
        return Err(UpdateLocationError::NotFound(location_id));
    }
    let subject = ("location", location_id);
    audit::record(
        &tx,
        actor,
        "location.rotate_arrival_code",
        subject,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_eight_letters_that_change_every_day_and_with_the_secret() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let code = code_on("secret one", day).unwrap();
        assert_eq!(code.len(), 8);
        assert!(code
            .chars()
            .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c)));
        assert_ne!(
            code,
            code_on("secret one", day.succ_opt().unwrap()).unwrap()
        );
        assert_ne!(code, code_on("secret two", day).unwrap());
    }

    #[test]
    fn a_code_is_recognised_however_it_is_typed_and_nothing_else_is() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let code = code_on("s", day).unwrap();
        let shouted = format!("{}-{}", &code[..4], &code[4..]).to_uppercase();
        for typed in [code.clone(), shouted, format!(" {code} ")] {
            let bytes = decode(&typed).expect("decodes");
            assert!(is_code_of(&bytes, "s", day).unwrap(), "{typed}");
        }
        assert!(decode("short").is_none());
        assert!(decode("abcdefgh1").is_none());
        let other = decode(&code_on("s", day.pred_opt().unwrap()).unwrap()).unwrap();
        assert!(!is_code_of(&other, "s", day).unwrap());
    }
}
