//! Finding a guest again by what they type at the kiosk: a phone number or an
//! e-mail address. Only a location's own kiosk asks, and only about that location.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::FieldError;
use crate::ssr::domain::{EmailAddress, PhoneNumber, Region};
use crate::ssr::entities::visit;

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

/// The guest's latest visit at this location, for prefilling their details.
pub async fn last_visit(
    db: &impl ConnectionTrait,
    location_id: i32,
    key: &GuestKey,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    visit::Entity::find()
        .filter(visit::Column::LocationId.eq(location_id))
        .filter(key.condition())
        .order_by_desc(visit::Column::Id)
        .one(db)
        .await
}

/// The guest's running visit at this location, for checking out at the kiosk.
pub async fn running_visit(
    db: &impl ConnectionTrait,
    location_id: i32,
    key: &GuestKey,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    visit::Entity::find()
        .filter(visit::Column::LocationId.eq(location_id))
        .filter(visit::Column::CheckedOutAt.is_null())
        .filter(key.condition())
        .one(db)
        .await
}

/// The visit a self-check-out link belongs to.
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
