//! Checking in on one's own phone from the lobby poster: the page its link opens,
//! the host search and the check-in. The link's daily code is `arrival_codes`'.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::arrival_codes::{open, todays_code, CodeError};
use super::hosts;
use super::regions;
use super::visit_owners;
use super::visits::{self, CheckInError, NewVisit, VisitSource};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Account, Caller, Role};
use crate::ssr::auth::limits::{network, RateLimits, Throttled};
use crate::ssr::domain::{Contact, Region};
use crate::ssr::entities::location;
use crate::ssr::qr::qr;
use crate::types::{ArrivalLink, ArrivalPage, Arriver, HostChoice, Poster};

/// The most hosts one search shows: enough to find someone, too few to list everyone.
pub const MOST_HOSTS: usize = 10;
/// Letters a search needs before it shows anyone.
pub const LEAST_LETTERS: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum ArrivalError {
    #[error(transparent)]
    Code(#[from] CodeError),
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
    Ok(hosts::choices_at(db, location_id)
        .await?
        .into_iter()
        .filter(|h| h.name.to_lowercase().contains(&wanted))
        .take(MOST_HOSTS)
        .collect())
}

/// One host at the location by id, if guests may pick them ("Check in again").
async fn host_here(
    db: &impl ConnectionTrait,
    location_id: i32,
    host_id: i32,
) -> Result<Option<HostChoice>, anyhow::Error> {
    Ok(hosts::choices_at(db, location_id)
        .await?
        .into_iter()
        .find(|h| h.id == host_id))
}

/// Today's link at a location: its code, and the code as a URL and a QR code.
pub struct TodaysLink {
    pub location: location::Model,
    pub code: String,
    pub day: NaiveDate,
    pub link: ArrivalLink,
}

pub async fn todays_link(
    db: &impl ConnectionTrait,
    location_id: i32,
    public_url: &str,
) -> Result<Option<TodaysLink>, anyhow::Error> {
    let Some((location, code, day)) = todays_code(db, location_id, Utc::now()).await? else {
        return Ok(None);
    };
    let url = format!("{public_url}/arrive/{location_id}/{code}");
    let qr = qr(&url).map_err(|e| anyhow::anyhow!("QR code of the arrival link: {e}"))?;
    let link = ArrivalLink { url, qr };
    Ok(Some(TodaysLink {
        location,
        code,
        day,
        link,
    }))
}

/// The lobby poster of a location: today's link, big.
pub async fn poster(
    db: &impl ConnectionTrait,
    location_id: i32,
    public_url: &str,
) -> Result<Option<Poster>, anyhow::Error> {
    let Some(today) = todays_link(db, location_id, public_url).await? else {
        return Ok(None);
    };
    Ok(Some(Poster {
        location_id,
        location_name: today.location.name,
        address: today.location.address,
        url: today.link.url,
        code: today.code,
        valid_on: today.day.format("%A %-d %B %Y").to_string(),
        qr: today.link.qr,
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
    // A host by id only for "Check in again": one the visitor has visited. By id,
    // a stranger (or a fresh account) with the day's code could list every host.
    let chosen = match (chosen, checks_in_as_account(account)) {
        (Some(id), Some(a)) => visit_owners::has_visited(db, a.id, id).await?.then_some(id),
        _ => None,
    };
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
    // Before any budget is spent: a made-up host must not use up a guest's check-ins
    // (theirs is keyed by e-mail and phone), nor name a host who is not to be picked.
    if host_here(db, place.id, host_id).await?.is_none() {
        return Err(CheckInError::NotHere.into());
    }
    // Numbers typed without a country code are read as the location's country's.
    let region = regions::region_of(&place, site.region);
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
