//! Finding a guest again by what they type at the kiosk (a phone number or an
//! e-mail address) or by their check-out link. A kiosk asks with its `Scope`, so it
//! finds only its own location's guests.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::hosts::{get_host, host_with_location};
use crate::error::FieldError;
use crate::ssr::auth::caller::Scope;
use crate::ssr::domain::{EmailAddress, PhoneNumber, Region};
use crate::ssr::entities::visit;
use crate::ssr::time::{local_time, tz};
use crate::types::{GuestDetails, OwnVisit};

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
) -> Result<Option<(visit::Model, String)>, anyhow::Error> {
    let Some(visit) = scope
        .visits(visit::Entity::find())
        .filter(visit::Column::CheckoutToken.eq(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let host_name = get_host(db, visit.host_id)
        .await?
        .map(|h| h.name)
        .unwrap_or_default();
    Ok(Some((visit, host_name)))
}

/// The visit a self-check-out link belongs to: the secret link is the authority.
pub async fn by_checkout_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    visit::Entity::find()
        .filter(visit::Column::CheckoutToken.eq(token))
        .one(db)
        .await
}

/// The self-check-out token of a visit (kept out of `Visit`, which the API returns).
pub async fn checkout_token(
    db: &impl ConnectionTrait,
    visit_id: i32,
) -> Result<String, anyhow::Error> {
    visit::Entity::find_by_id(visit_id)
        .one(db)
        .await?
        .map(|v| v.checkout_token)
        .ok_or_else(|| anyhow::anyhow!("visit {visit_id} vanished"))
}

/// What a check-out link shows its holder: their visit, host, location and times.
pub async fn own_visit(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<OwnVisit>, anyhow::Error> {
    let Some(visit) = by_checkout_token(db, token).await? else {
        return Ok(None);
    };
    let (_, user, location) = host_with_location(db, visit.host_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("visit {} has no host", visit.id))?;
    let zone = tz(&location.time_zone);
    Ok(Some(OwnVisit {
        guest_name: visit.guest_name,
        host_name: user.name,
        location_name: location.name,
        checked_in_at: local_time(visit.checked_in_at, zone),
        checked_out_at: visit.checked_out_at.map(|t| local_time(t, zone)),
    }))
}
