//! Lobby tablets. An admin creates a kiosk for a location and gets a one-time pairing
//! code; the tablet trades the code for its own secret (kept in a cookie) and from
//! then on acts for that location only, until an admin revokes it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;

use super::{audit, random_secret, secret_hash};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Actor, Caller};
use crate::ssr::domain::LocationName;
use crate::ssr::entities::{kiosk, location};

/// A pairing code is typed on a tablet: short, no look-alike characters, and only
/// good for a day (guessing needs the code while it is fresh and unused).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 10;
const CODE_LIFETIME_HOURS: i64 = 24;
/// `last_seen_at` is written at most this often, not on every request.
const SEEN_RESOLUTION_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq)]
pub struct Kiosk {
    pub id: i32,
    pub name: String,
    pub location_id: i32,
    pub location_name: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    pub paired_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

impl Kiosk {
    /// A kiosk acts for its one location: `Scope::Kiosk` narrows every query.
    pub fn caller(&self) -> Caller {
        Caller::kiosk(&self.name, self.location_id)
    }

    fn from_parts(k: kiosk::Model, l: &location::Model) -> Self {
        Self {
            id: k.id,
            name: k.name,
            location_id: l.id,
            location_name: l.name.clone(),
            time_zone: l.time_zone.clone(),
            created_at: k.created_at,
            paired_at: k.paired_at,
            revoked_at: k.revoked_at,
            last_seen_at: k.last_seen_at,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    #[error("There is no active location with id {0}.")]
    UnknownLocation(i32),
    #[error("There is no kiosk with id {0}.")]
    NotFound(i32),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(KioskError);

pub fn parse_name(name: &str) -> Result<LocationName, FieldError> {
    LocationName::parse(name).map_err(|m| FieldError::new("name", m))
}

fn pairing_code() -> Result<String, anyhow::Error> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness from the OS: {e}"))?;
    // 32 symbols: each byte's low 5 bits pick one without bias.
    Ok(bytes
        .iter()
        .map(|b| CODE_ALPHABET[(*b & 31) as usize] as char)
        .collect())
}

/// What people type: case, spaces and dashes do not matter.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Creates a kiosk waiting to be paired; returns it with its pairing code, the only
/// time the code exists in clear text.
#[tracing::instrument(skip_all, fields(location_id))]
pub async fn create(
    db: &impl TransactionTrait,
    location_id: i32,
    name: LocationName,
    actor: &Actor,
) -> Result<(Kiosk, String), KioskError> {
    let tx = super::begin_write(db).await?;
    let location = location::Entity::find_by_id(location_id)
        .one(&tx)
        .await?
        .filter(|l| l.active)
        .ok_or(KioskError::UnknownLocation(location_id))?;
    let code = pairing_code()?;
    let model = kiosk::ActiveModel {
        location_id: Set(location.id),
        name: Set(name.as_str().to_string()),
        token_hash: Set(secret_hash(&code)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        actor,
        "kiosk.create",
        ("kiosk", model.id),
        json!({ "location_id": location.id }),
    )
    .await?;
    tx.commit().await?;
    Ok((Kiosk::from_parts(model, &location), code))
}

#[derive(Debug, thiserror::Error)]
pub enum PairError {
    #[error("This pairing code is not valid: it may be mistyped, used already, revoked or older than a day. Ask an admin for a new one.")]
    InvalidCode,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(PairError);

/// Trades a pairing code for the kiosk's secret. A code works once.
#[tracing::instrument(skip_all)]
pub async fn pair(db: &impl TransactionTrait, code: &str) -> Result<(Kiosk, String), PairError> {
    let code = normalize_code(code);
    let tx = super::begin_write(db).await?;
    let found = kiosk::Entity::find()
        .filter(kiosk::Column::TokenHash.eq(secret_hash(&code)))
        .filter(kiosk::Column::PairedAt.is_null())
        .filter(kiosk::Column::RevokedAt.is_null())
        .filter(kiosk::Column::CreatedAt.gt(Utc::now() - Duration::hours(CODE_LIFETIME_HOURS)))
        .one(&tx)
        .await?
        .ok_or(PairError::InvalidCode)?;
    let secret = random_secret()?;
    let now = Utc::now();
    // Conditional on still unpaired: of two tablets racing with one code, one wins.
    let paired = kiosk::Entity::update_many()
        .col_expr(kiosk::Column::TokenHash, Expr::value(secret_hash(&secret)))
        .col_expr(kiosk::Column::PairedAt, Expr::value(now))
        .col_expr(kiosk::Column::LastSeenAt, Expr::value(now))
        .filter(kiosk::Column::Id.eq(found.id))
        .filter(kiosk::Column::PairedAt.is_null())
        .exec(&tx)
        .await?;
    if paired.rows_affected == 0 {
        return Err(PairError::InvalidCode);
    }
    let location = location::Entity::find_by_id(found.location_id)
        .one(&tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("kiosk {} has no location", found.id))?;
    audit::record(
        &tx,
        &Actor(format!("kiosk \"{}\"", found.name)),
        "kiosk.pair",
        ("kiosk", found.id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    let mut model = found;
    model.paired_at = Some(now);
    model.last_seen_at = Some(now);
    Ok((Kiosk::from_parts(model, &location), secret))
}

/// The paired, unrevoked kiosk holding `secret`, at an active location.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    secret: &str,
) -> Result<Option<Kiosk>, sea_orm::DbErr> {
    let Some(found) = kiosk::Entity::find()
        .filter(kiosk::Column::TokenHash.eq(secret_hash(secret)))
        .filter(kiosk::Column::PairedAt.is_not_null())
        .filter(kiosk::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(location) = location::Entity::find_by_id(found.location_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !location.active {
        return Ok(None);
    }
    let now = Utc::now();
    if found
        .last_seen_at
        .is_none_or(|seen| now - seen > Duration::seconds(SEEN_RESOLUTION_SECS))
    {
        kiosk::Entity::update_many()
            .col_expr(kiosk::Column::LastSeenAt, Expr::value(now))
            .filter(kiosk::Column::Id.eq(found.id))
            .exec(db)
            .await?;
    }
    Ok(Some(Kiosk::from_parts(found, &location)))
}

/// Every kiosk, newest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Kiosk>, sea_orm::DbErr> {
    let kiosks = kiosk::Entity::find()
        .order_by_desc(kiosk::Column::Id)
        .all(db)
        .await?;
    let locations = location::Entity::find().all(db).await?;
    Ok(kiosks
        .into_iter()
        .filter_map(|k| {
            let l = locations.iter().find(|l| l.id == k.location_id)?;
            Some(Kiosk::from_parts(k, l))
        })
        .collect())
}

/// Ends a kiosk's session at once: its next request is refused.
#[tracing::instrument(skip_all, fields(id))]
pub async fn revoke(db: &impl TransactionTrait, id: i32, actor: &Actor) -> Result<(), KioskError> {
    let tx = super::begin_write(db).await?;
    let result = kiosk::Entity::update_many()
        .col_expr(kiosk::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(kiosk::Column::Id.eq(id))
        .filter(kiosk::Column::RevokedAt.is_null())
        .exec(&tx)
        .await?;
    if result.rows_affected == 0 {
        // Revoking twice is fine; an unknown id is not.
        if kiosk::Entity::find_by_id(id).one(&tx).await?.is_none() {
            return Err(KioskError::NotFound(id));
        }
        return Ok(());
    }
    audit::record(&tx, actor, "kiosk.revoke", ("kiosk", id), json!({})).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_codes_use_only_unambiguous_characters() {
        for _ in 0..100 {
            let code = pairing_code().unwrap();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
    }

    #[test]
    fn typed_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalize_code(" abcd-efgh 23 "), "ABCDEFGH23");
    }
}
