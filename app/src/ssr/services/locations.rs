use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};
use serde_json::json;

use super::audit;
use crate::ssr::auth::caller::Actor;
use serde::Serialize;

use crate::error::FieldError;
use crate::ssr::domain::{Address, Country, LocationName, TimeZone};
use crate::ssr::entities::location;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Location {
    pub id: i32,
    pub name: String,
    pub address: String,
    /// IANA time zone name; times at this location are shown in it.
    pub time_zone: String,
    /// ISO 3166-1 alpha-2, when known.
    pub country: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<location::Model> for Location {
    fn from(m: location::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            address: m.address,
            time_zone: m.time_zone,
            country: m.country,
            active: m.active,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewLocation {
    pub name: LocationName,
    pub address: Address,
    pub time_zone: TimeZone,
    pub country: Option<Country>,
}

impl NewLocation {
    pub fn parse(name: &str, address: &str, time_zone: &str) -> Result<Self, FieldError> {
        Ok(Self {
            name: LocationName::parse(name).map_err(|m| FieldError::new("name", m))?,
            address: Address::parse(address).map_err(|m| FieldError::new("address", m))?,
            time_zone: TimeZone::parse(time_zone).map_err(|m| FieldError::new("time_zone", m))?,
            country: None,
        })
    }

    /// The same, with the country it is in (`field` names the form field).
    pub fn in_country(mut self, field: &str, code: &str) -> Result<Self, FieldError> {
        self.country = Some(Country::parse(code).map_err(|m| FieldError::new(field, m))?);
        Ok(self)
    }
}

#[tracing::instrument(skip_all)]
pub async fn create_location(
    db: &impl TransactionTrait,
    new: NewLocation,
    actor: &Actor,
) -> Result<Location, anyhow::Error> {
    let tx = super::begin_write(db).await?;
    let location = insert_location(&tx, new, actor).await?;
    tx.commit().await?;
    Ok(location)
}

/// The location row and its audit entry, inside the caller's transaction.
pub(crate) async fn insert_location(
    tx: &impl ConnectionTrait,
    new: NewLocation,
    actor: &Actor,
) -> Result<Location, sea_orm::DbErr> {
    let model = location::ActiveModel {
        name: Set(new.name.as_str().to_string()),
        address: Set(new.address.as_str().to_string()),
        time_zone: Set(new.time_zone.name().to_string()),
        country: Set(new.country.map(|c| c.code().to_string())),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let location = Location::from(model);
    audit::record(
        tx,
        actor,
        "location.create",
        ("location", location.id),
        json!({ "location": location }),
    )
    .await?;
    Ok(location)
}

pub async fn list_locations(db: &impl ConnectionTrait) -> Result<Vec<Location>, anyhow::Error> {
    let rows = location::Entity::find()
        .order_by_asc(location::Column::Name)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Location::from).collect())
}

#[derive(Debug, Clone, Default)]
pub struct LocationUpdate {
    pub name: Option<LocationName>,
    pub address: Option<Address>,
    pub time_zone: Option<TimeZone>,
    pub country: Option<Country>,
    pub active: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateLocationError {
    #[error("There is no location with id {0}.")]
    NotFound(i32),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(UpdateLocationError);

#[tracing::instrument(skip(db, update, actor))]
pub async fn update_location(
    db: &impl TransactionTrait,
    id: i32,
    update: LocationUpdate,
    actor: &Actor,
) -> Result<Location, UpdateLocationError> {
    let tx = super::begin_write(db).await?;
    let existing = location::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(UpdateLocationError::NotFound(id))?;
    let mut model: location::ActiveModel = existing.into();
    if let Some(name) = update.name {
        model.name = Set(name.as_str().to_string());
    }
    if let Some(address) = update.address {
        model.address = Set(address.as_str().to_string());
    }
    if let Some(time_zone) = update.time_zone {
        model.time_zone = Set(time_zone.name().to_string());
    }
    if let Some(country) = update.country {
        model.country = Set(Some(country.code().to_string()));
    }
    if let Some(active) = update.active {
        model.active = Set(active);
    }
    let location = Location::from(model.update(&tx).await?);
    audit::record(
        &tx,
        actor,
        "location.update",
        ("location", id),
        json!({ "location": location }),
    )
    .await?;
    tx.commit().await?;
    Ok(location)
}
