//! Checking in on one's own phone from the lobby poster. Its link carries the
//! location's code for the day: an HMAC of the location's secret and its local
//! date, so nothing is stored per day, every instance computes the same code, the
//! link proves its holder saw the poster today, and rotating the secret ends it at once.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use sha2::Sha256;

use super::hosts::{self, HostFilter};
use super::locations::UpdateLocationError;
use super::visits::{self, CheckInError, NewVisit, VisitSource};
use super::{audit, random_secret};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Account, Actor, Caller, Role};
use crate::ssr::auth::limits::{network, RateLimits, Throttled};
use crate::ssr::domain::{Contact, Region};
use crate::ssr::entities::location;
use crate::ssr::qr::qr;
use crate::ssr::time::tz;
use crate::types::{ArrivalLink, ArrivalPage, Arriver, HostChoice, Poster};

/// Bytes of the HMAC in a code: 40 bits, 8 base32 characters to type.
const CODE_BYTES: usize = 5;
/// How far back an old code is recognised as one (to say so, instead of "wrong").
const OLD_DAYS: i64 = 30;
/// The most hosts one search shows: enough to find someone, too few to list everyone.
pub const MOST_HOSTS: usize = 10;
/// Letters a search needs before it shows anyone.
pub const LEAST_LETTERS: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum ArrivalError {
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
    CheckIn(#[from] CheckInError),
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("Too many attempts. Try again in {} s.", .0.retry_after_secs)]
    Throttled(Throttled),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(ArrivalError);

impl From<Throttled> for ArrivalError {
    fn from(t: Throttled) -> Self {
        Self::Throttled(t)
    }
}

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
) -> Result<location::Model, ArrivalError> {
    let typed = decode(code).ok_or(ArrivalError::Invalid)?;
    let (location, secret) = with_secret(db, location_id)
        .await?
        .ok_or(ArrivalError::Invalid)?;
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
                return Err(ArrivalError::Old(day.format("%A %-d %B").to_string()));
            }
        }
        return Err(ArrivalError::Invalid);
    }
    if !location.active {
        return Err(ArrivalError::Closed(location.name));
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

/// Hosts at the location whose name contains `search` (at least `LEAST_LETTERS`
/// letters), at most `MOST_HOSTS`, by name. The link is semi-public (a poster), so
/// it finds people one names, and never lists the whole staff.
pub async fn find_hosts(
    db: &impl ConnectionTrait,
    location_id: i32,
    search: &str,
) -> Result<Vec<HostChoice>, anyhow::Error> {
    let wanted = search.trim().to_lowercase();
    if wanted.chars().count() < LEAST_LETTERS {
        return Ok(vec![]);
    }
    let here = hosts::list_hosts(db, HostFilter::choosable_at(Some(location_id))).await?;
    Ok(here
        .into_iter()
        .filter(|h| h.name.to_lowercase().contains(&wanted))
        .take(MOST_HOSTS)
        .map(|h| HostChoice {
            id: h.id,
            name: h.name,
        })
        .collect())
}

/// One host at the location by id, if guests may pick them ("Check in again").
pub async fn host_here(
    db: &impl ConnectionTrait,
    location_id: i32,
    host_id: i32,
) -> Result<Option<HostChoice>, anyhow::Error> {
    let here = hosts::list_hosts(db, HostFilter::choosable_at(Some(location_id))).await?;
    Ok(here
        .into_iter()
        .find(|h| h.id == host_id)
        .map(|h| HostChoice {
            id: h.id,
            name: h.name,
        }))
}

/// Today's link at a location, as a URL and a QR code.
pub async fn todays_link(
    db: &impl ConnectionTrait,
    location_id: i32,
    public_url: &str,
) -> Result<Option<(location::Model, ArrivalLink, NaiveDate)>, anyhow::Error> {
    let Some((location, code, day)) = todays_code(db, location_id, Utc::now()).await? else {
        return Ok(None);
    };
    let url = format!("{public_url}/arrive/{location_id}/{code}");
    let qr = qr(&url).map_err(|e| anyhow::anyhow!("QR code of the arrival link: {e}"))?;
    Ok(Some((location, ArrivalLink { url, qr }, day)))
}

/// The lobby poster of a location: today's link, big.
pub async fn poster(
    db: &impl ConnectionTrait,
    location_id: i32,
    public_url: &str,
) -> Result<Option<Poster>, anyhow::Error> {
    let Some((location, link, day)) = todays_link(db, location_id, public_url).await? else {
        return Ok(None);
    };
    let code = link.url.rsplit('/').next().unwrap_or_default().to_string();
    Ok(Some(Poster {
        location_id,
        location_name: location.name,
        address: location.address,
        url: link.url,
        code,
        valid_on: day.format("%A %-d %B %Y").to_string(),
        qr: link.qr,
    }))
}

/// The page a working link opens, for `account` (None: nobody logged in), with
/// the hosts `search` finds or the one `chosen` ("Check in again").
pub async fn page(
    db: &impl ConnectionTrait,
    location_id: i32,
    code: &str,
    account: Option<&Account>,
    (search, chosen): (&str, Option<i32>),
    grace: Duration,
) -> Result<ArrivalPage, ArrivalError> {
    let place = open(db, location_id, code, Utc::now(), grace).await?;
    // A host by id only for "Check in again" on a visitor's dashboard: by id, a
    // stranger with the day's code could list every host of the location.
    let chosen = chosen.filter(|_| checks_in_as_account(account).is_some());
    let hosts = match (search.trim().is_empty(), chosen) {
        (true, Some(id)) => host_here(db, place.id, id).await?.into_iter().collect(),
        _ => find_hosts(db, place.id, search).await?,
    };
    let chosen = chosen.filter(|id| hosts.iter().any(|h| h.id == *id));
    Ok(ArrivalPage {
        location_id: place.id,
        location_name: place.name,
        code: code.trim().to_string(),
        arriver: arriver_of(account),
        search: search.trim().to_string(),
        hosts,
        chosen,
    })
}

fn arriver_of(account: Option<&Account>) -> Arriver {
    match account {
        None => Arriver::Guest,
        Some(a) if a.role != Role::Visitor => Arriver::Staff,
        Some(a) if a.email_verified => Arriver::Account {
            name: a.name.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
        },
        Some(a) => Arriver::Unconfirmed {
            name: a.name.clone(),
            email: a.email.clone(),
        },
    }
}

/// Whom the page checks in: a visitor account with a confirmed address checks in
/// as itself; anyone else (nobody logged in, staff, an unconfirmed address) as a guest.
pub fn checks_in_as_account(account: Option<&Account>) -> Option<&Account> {
    account.filter(|a| a.role == Role::Visitor && a.email_verified)
}

/// What the arrival form sends.
pub struct ArrivalForm<'a> {
    pub location_id: i32,
    pub code: &'a str,
    pub host_id: Option<i32>,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
}

/// Where the check-in happens: settings, limits and the asking client.
pub struct ArrivalSite<'a> {
    pub public_url: &'a str,
    pub region: Region,
    pub grace: Duration,
    pub limits: &'a RateLimits,
    pub client: std::net::IpAddr,
}

/// Checks in from the poster's link: as the logged-in visitor (linked to the
/// account, with its name and address) or as a guest with what they typed. The
/// host must be at the link's location. Returns the guest's check-out link secret.
pub async fn check_in(
    db: &(impl TransactionTrait + ConnectionTrait),
    form: ArrivalForm<'_>,
    account: Option<&Account>,
    site: &ArrivalSite<'_>,
) -> Result<String, ArrivalError> {
    site.limits.check_arrival(site.client)?;
    let place = open(db, form.location_id, form.code, Utc::now(), site.grace).await?;
    let host_id = form
        .host_id
        .ok_or_else(|| FieldError::new("host_id", "Pick the person you are visiting."))?;
    // Numbers typed without a country code are read as the location's country's.
    let region = (place.country.as_deref())
        .and_then(|c| Region::parse(c).ok())
        .unwrap_or(site.region);
    let (guest, caller, budget) = match checks_in_as_account(account) {
        Some(a) => {
            // The account's own phone, or the one typed where it has none.
            let phone = a.phone.as_deref().unwrap_or(form.phone);
            let guest = Contact::parse(&a.name, &a.email, phone, region)?;
            (guest, a.caller(), format!("account {}", a.id))
        }
        None => {
            let guest = Contact::parse(form.name, form.email, form.phone, region)?;
            let caller = Caller::arrival(place.id);
            (
                guest,
                caller,
                format!("arrival page {}", network(site.client)),
            )
        }
    };
    let (email, phone) = (guest.email.as_str(), guest.phone.as_str());
    site.limits.check_check_in(&budget, email, phone)?;
    let new = NewVisit {
        guest,
        host_id,
        source: VisitSource::Arrival,
        at: Some(place.id),
    };
    let (_, token) = visits::check_in(db, new, site.public_url, &caller).await?;
    Ok(token)
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
