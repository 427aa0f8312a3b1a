//! Finding a guest again by what they type at the kiosk (a phone number or an
//! e-mail address) or by their check-out link. A kiosk asks with its `Scope`, so it
//! finds only its own location's guests.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::hosts::{get_host, host_with_location};
use super::visits::{by_checkout_link, link_works};
use crate::error::FieldError;
use crate::ssr::auth::caller::Scope;
use crate::ssr::domain::{EmailAddress, PhoneNumber, Region};
use crate::ssr::entities::visit;
use crate::ssr::time::{local_time, tz};
use crate::types::{GuestDetails, GuestLink, OwnVisit};

/// Seconds after a check-in that the kiosk's done screen can show it: the screen's
/// own time, and a margin for a slow tablet.
pub const RECEIPT_SECONDS: i64 = 90;

/// A phone number or an e-mail address, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestKey {
    Phone(PhoneNumber),
    Email(EmailAddress),
}

impl GuestKey {
    pub fn parse(input: &str, region: Region) -> Result<Self, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new(
                "contact",
                "Enter your mobile number or e-mail address.",
            ));
        }
        if input.contains('@') {
            EmailAddress::parse(input)
                .map(Self::Email)
                .map_err(|m| FieldError::new("contact", m))
        } else {
            PhoneNumber::parse(input, region)
                .map(Self::Phone)
                .map_err(|m| FieldError::new("contact", m))
        }
    }

    fn condition(&self) -> sea_orm::Condition {
        let c = sea_orm::Condition::all();
        match self {
            Self::Phone(p) => c.add(visit::Column::GuestPhone.eq(p.as_str())),
            Self::Email(e) => c.add(visit::Column::GuestEmail.eq(e.as_str())),
        }
    }
}

/// The details screen's starting values: a returning guest's last details (as far
/// as `scope` sees), found by the phone number they typed; else what they typed.
pub async fn prefill(
    db: &impl ConnectionTrait,
    scope: Scope,
    phone: &str,
    region: Region,
) -> Result<GuestDetails, sea_orm::DbErr> {
    let typed = GuestDetails {
        phone: phone.trim().to_string(),
        ..Default::default()
    };
    // A number we cannot parse is simply not found; the form says what is wrong on submit.
    let Ok(key) = GuestKey::parse(phone, region) else {
        return Ok(typed);
    };
    let last = scope
        .visits(visit::Entity::find())
        .filter(key.condition())
        .order_by_desc(visit::Column::Id)
        .one(db)
        .await?;
    Ok(match last {
        Some(v) => GuestDetails {
            name: v.guest_name,
            email: v.guest_email,
            phone: v.guest_phone,
            returning: true,
        },
        None => typed,
    })
}

/// The guest's running visit (as far as `scope` sees), for checking out at the kiosk.
pub async fn running_visit(
    db: &impl ConnectionTrait,
    scope: Scope,
    key: &GuestKey,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    scope
        .visits(visit::Entity::find())
        .filter(visit::Column::CheckedOutAt.is_null())
        .filter(key.condition())
        .one(db)
        .await
}

/// The visit of a check-out link as the kiosk that made it sees it, with its host's
/// name (the done screen).
pub async fn receipt(
    db: &impl ConnectionTrait,
    scope: Scope,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(visit::Model, String)>, anyhow::Error> {
    let Some(visit) = scope.visits(by_checkout_link(token)).one(db).await? else {
        return Ok(None);
    };
    // The next guest at the tablet must not bring it back (Back, history).
    if now - visit.checked_in_at > chrono::Duration::seconds(RECEIPT_SECONDS) {
        return Ok(None);
    }
    let host_name = get_host(db, visit.host_id)
        .await?
        .map(|h| h.name)
        .unwrap_or_default();
    Ok(Some((visit, host_name)))
}

/// What a check-out link shows its holder: their running visit, host, location
/// and time of arrival; only that it expired once the visit is closed or a day old.
/// `None`: no such link.
pub async fn own_visit(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<GuestLink>, anyhow::Error> {
    let Some(visit) = by_checkout_link(token).one(db).await? else {
        return Ok(None);
    };
    if !link_works(&visit, chrono::Utc::now()) {
        return Ok(Some(GuestLink::Expired));
    }
    let (_, user, location) = host_with_location(db, visit.host_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("visit {} has no host", visit.id))?;
    let zone = tz(&location.time_zone);
    Ok(Some(GuestLink::Open(OwnVisit {
        guest_name: visit.guest_name,
        host_name: user.name,
        location_name: location.name,
        checked_in_at: local_time(visit.checked_in_at, zone),
    })))
}
