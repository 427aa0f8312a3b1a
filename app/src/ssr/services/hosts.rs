use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::json;

use super::events::{self, EventTx, NewEvent};
use super::{audit, is_unique_violation};
use crate::error::FieldError;
use crate::ssr::auth::caller::Actor;
use crate::ssr::auth::store::end_sessions_of;
use crate::ssr::domain::{Contact, EmailAddress, PersonName, PhoneNumber, Region};
use crate::ssr::entities::{host, location, user};

pub const ROLE_HOST: &str = "host";

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Host {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub location_id: i32,
    /// Only active hosts can be picked at check-in.
    pub active: bool,
    /// Signed up and waiting for an admin's approval.
    pub pending: bool,
    /// The host's account.
    pub user_id: i32,
    pub created_at: DateTime<Utc>,
}

impl Host {
    fn from_parts(host: host::Model, user: user::Model) -> Self {
        Self {
            id: host.id,
            name: user.name,
            email: user.email,
            phone: user.phone,
            location_id: host.location_id,
            active: user.active,
            pending: user.pending,
            user_id: user.id,
            created_at: host.created_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewHost {
    pub contact: Contact,
    pub location_id: i32,
    /// Set when the host signed up; hosts an admin adds have none until they set one.
    pub password_hash: Option<String>,
    /// Waits for an admin's approval (sign-up from a domain not on the allowed list).
    pub pending: bool,
}

impl NewHost {
    pub fn parse(
        name: &str,
        email: &str,
        phone: &str,
        location_id: i32,
        region: Region,
    ) -> Result<Self, FieldError> {
        Ok(Self {
            contact: Contact::parse(name, email, phone, region)?,
            location_id,
            password_hash: None,
            pending: false,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HostWriteError {
    #[error("There is no host with id {0}.")]
    NotFound(i32),
    #[error("There is no active location with id {0}.")]
    UnknownLocation(i32),
    #[error("An account with the email {0} already exists.")]
    EmailTaken(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(HostWriteError);

async fn require_active_location(db: &impl ConnectionTrait, id: i32) -> Result<(), HostWriteError> {
    match location::Entity::find_by_id(id).one(db).await? {
        Some(location) if location.active => Ok(()),
        _ => Err(HostWriteError::UnknownLocation(id)),
    }
}

fn host_event(host: &Host) -> NewEvent<'static> {
    NewEvent {
        kind: events::HOST_UPDATED,
        visit_id: None,
        host_id: Some(host.id),
        location_id: Some(host.location_id),
        payload: json!({ "host": host }),
    }
}

#[tracing::instrument(skip_all)]
pub async fn create_host(
    db: &impl TransactionTrait,
    new: NewHost,
    actor: &Actor,
) -> Result<Host, HostWriteError> {
    let mut tx = EventTx::begin(db).await?;
    require_active_location(&*tx, new.location_id).await?;
    let now = Utc::now();
    let user = user::ActiveModel {
        email: Set(new.contact.email.as_str().to_string()),
        password_hash: Set(new.password_hash),
        role: Set(ROLE_HOST.to_string()),
        name: Set(new.contact.name.as_str().to_string()),
        phone: Set(Some(new.contact.phone.as_str().to_string())),
        active: Set(!new.pending),
        pending: Set(new.pending),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| match is_unique_violation(&e) {
        true => HostWriteError::EmailTaken(new.contact.email.as_str().to_string()),
        false => e.into(),
    })?;
    let host = host::ActiveModel {
        user_id: Set(user.id),
        location_id: Set(new.location_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let host = Host::from_parts(host, user);
    tx.append(host_event(&host), now).await?;
    audit::record(
        &*tx,
        actor,
        "host.create",
        ("host", host.id),
        json!({ "host": host }),
    )
    .await?;
    tx.commit().await?;
    Ok(host)
}

#[derive(Debug, Clone, Default)]
pub struct HostFilter {
    pub location_id: Option<i32>,
    pub active: Option<bool>,
    /// Signed up and waiting for approval.
    pub pending: Option<bool>,
}

pub async fn list_hosts(
    db: &impl ConnectionTrait,
    filter: HostFilter,
) -> Result<Vec<Host>, anyhow::Error> {
    let mut query = host::Entity::find()
        .find_also_related(user::Entity)
        .order_by_asc(user::Column::Name);
    if let Some(location_id) = filter.location_id {
        query = query.filter(host::Column::LocationId.eq(location_id));
    }
    if let Some(active) = filter.active {
        query = query.filter(user::Column::Active.eq(active));
    }
    if let Some(pending) = filter.pending {
        query = query.filter(user::Column::Pending.eq(pending));
    }
    let rows = query.all(db).await?;
    let mut hosts: Vec<Host> = rows
        .into_iter()
        .filter_map(|(host, user)| user.map(|user| Host::from_parts(host, user)))
        .collect();
    // By name as people read it: the databases' collations differ (SQLite: bytes).
    hosts.sort_by_key(|h| h.name.to_lowercase());
    Ok(hosts)
}

pub async fn get_host(db: &impl ConnectionTrait, id: i32) -> Result<Option<Host>, anyhow::Error> {
    let row = host::Entity::find_by_id(id)
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    Ok(row.and_then(|(host, user)| user.map(|user| Host::from_parts(host, user))))
}

#[derive(Debug, Clone, Default)]
pub struct HostUpdate {
    pub name: Option<PersonName>,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub location_id: Option<i32>,
    pub active: Option<bool>,
}

/// Edits a host; `active: false` deactivates it (it can no longer be picked).
#[tracing::instrument(skip(db, update, actor))]
pub async fn update_host(
    db: &impl TransactionTrait,
    id: i32,
    update: HostUpdate,
    actor: &Actor,
) -> Result<Host, HostWriteError> {
    let mut tx = EventTx::begin(db).await?;
    let (host, user) = host::Entity::find_by_id(id)
        .find_also_related(user::Entity)
        .one(&*tx)
        .await?
        .and_then(|(h, u)| u.map(|u| (h, u)))
        .ok_or(HostWriteError::NotFound(id))?;
    let mut host: host::ActiveModel = host.into();
    let mut user: user::ActiveModel = user.into();
    if let Some(location_id) = update.location_id {
        require_active_location(&*tx, location_id).await?;
        host.location_id = Set(location_id);
    }
    if let Some(name) = update.name {
        user.name = Set(name.as_str().to_string());
    }
    if let Some(phone) = update.phone {
        user.phone = Set(Some(phone.as_str().to_string()));
    }
    if let Some(active) = update.active {
        user.active = Set(active);
        if active {
            // Activating a pending host is approving it.
            user.pending = Set(false);
        }
    }
    let email = update.email.map(|e| e.as_str().to_string());
    if let Some(email) = &email {
        user.email = Set(email.clone());
    }
    let user = user
        .update(&*tx)
        .await
        .map_err(|e| match (is_unique_violation(&e), &email) {
            (true, Some(email)) => HostWriteError::EmailTaken(email.clone()),
            _ => e.into(),
        })?;
    let host = host.update(&*tx).await?;
    if !user.active {
        // Deactivation takes effect at once: the account's sessions end with it.
        end_sessions_of(&*tx, user.id, None).await?;
    }
    let host = Host::from_parts(host, user);
    tx.append(host_event(&host), Utc::now()).await?;
    audit::record(
        &*tx,
        actor,
        "host.update",
        ("host", host.id),
        json!({ "host": host }),
    )
    .await?;
    tx.commit().await?;
    Ok(host)
}

/// A host with its account and location: what check-in and messages need.
pub async fn host_with_location(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(host::Model, user::Model, location::Model)>, sea_orm::DbErr> {
    let Some((host, Some(user))) = host::Entity::find_by_id(id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let location = location::Entity::find_by_id(host.location_id)
        .one(db)
        .await?;
    Ok(location.map(|location| (host, user, location)))
}
