use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::json;

use super::events::{self, EventTx, NewEvent};
use super::links::{self, Purpose};
use super::{account_messages, audit, is_unique_violation, outbox};
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
    /// The address is trusted (confirmed by its owner, or the host was added by an
    /// admin): only then can guests pick the host.
    pub email_verified: bool,
    /// Added by an admin and has not set a password yet.
    pub invited: bool,
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
            email_verified: user.email_verified_at.is_some(),
            invited: user.password_hash.is_none(),
            user_id: user.id,
            created_at: host.created_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewHost {
    pub contact: Contact,
    pub location_id: i32,
    pub joining: Joining,
}

/// How a host account comes to be, which decides what is trusted and who is e-mailed.
#[derive(Debug, Clone)]
pub enum Joining {
    /// An admin added them (console, API): the admin vouches for the address, so
    /// guests can pick them at once; they get an invitation to set a password.
    Invited,
    /// Signed up: guests can pick them once they confirm their address, and, when
    /// `pending` (a domain not on the allowed list), once an admin approves.
    SignedUp {
        password_hash: String,
        pending: bool,
    },
    /// The demo's made-up office: trusted, with a known password, and nobody to e-mail.
    Seeded { password_hash: String },
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
            joining: Joining::Invited,
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

async fn require_active_location(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<location::Model, HostWriteError> {
    match location::Entity::find_by_id(id).one(db).await? {
        Some(location) if location.active => Ok(location),
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
    base_url: &str,
) -> Result<Host, HostWriteError> {
    let mut tx = EventTx::begin(db).await?;
    let location = require_active_location(&*tx, new.location_id).await?;
    let now = Utc::now();
    let (password_hash, pending, trusted) = match &new.joining {
        Joining::Invited => (None, false, true),
        Joining::SignedUp {
            password_hash,
            pending,
        } => (Some(password_hash.clone()), *pending, false),
        Joining::Seeded { password_hash } => (Some(password_hash.clone()), false, true),
    };
    let user = user::ActiveModel {
        email: Set(new.contact.email.as_str().to_string()),
        password_hash: Set(password_hash),
        role: Set(ROLE_HOST.to_string()),
        name: Set(new.contact.name.as_str().to_string()),
        phone: Set(Some(new.contact.phone.as_str().to_string())),
        active: Set(!pending),
        pending: Set(pending),
        created_at: Set(now),
        email_verified_at: Set(trusted.then_some(now)),
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
    match new.joining {
        Joining::Invited => {
            let url =
                links::issue(&*tx, base_url, host.user_id, Purpose::Invite, None, now).await?;
            let mail = account_messages::invitation(&host.name, &location.name, &url, &host.email);
            outbox::enqueue(&*tx, None, mail, now).await?;
        }
        Joining::SignedUp { pending, .. } => {
            let url =
                links::issue(&*tx, base_url, host.user_id, Purpose::Verify, None, now).await?;
            let mail = account_messages::confirm_address(&url, &host.email);
            outbox::enqueue(&*tx, None, mail, now).await?;
            if pending {
                tell_admins_of(&*tx, &host, &location.name, base_url, now).await?;
            }
        }
        Joining::Seeded { .. } => {}
    }
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
    /// Only hosts guests may pick: active, approved, with a trusted address.
    pub choosable: bool,
}

impl HostFilter {
    /// The hosts a guest may pick at `location_id` (all locations: None).
    pub fn choosable_at(location_id: Option<i32>) -> Self {
        Self {
            location_id,
            choosable: true,
            ..Default::default()
        }
    }
}

/// Whether guests may pick this account as their host. The one rule, used by the
/// lists guests see and by check-in itself.
pub fn is_choosable(user: &user::Model) -> bool {
    user.active && !user.pending && user.email_verified_at.is_some()
}

/// The hosts guests may pick at `location_id`, as the kiosk and the poster page show them.
pub async fn choices_at(
    db: &impl ConnectionTrait,
    location_id: i32,
) -> Result<Vec<crate::types::HostChoice>, anyhow::Error> {
    let here = list_hosts(db, HostFilter::choosable_at(Some(location_id))).await?;
    Ok(here
        .into_iter()
        .map(|h| crate::types::HostChoice {
            id: h.id,
            name: h.name,
        })
        .collect())
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
        .filter_map(|(host, user)| user.map(|user| (host, user)))
        .filter(|(_, user)| !filter.choosable || is_choosable(user))
        .map(|(host, user)| Host::from_parts(host, user))
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
    /// Why a pending sign-up is rejected (`active: Some(false)`): told to the host.
    pub reason: Option<String>,
}

/// Edits a host; `active: false` deactivates it (it can no longer be picked).
/// For a sign-up waiting for approval, `active` is the decision, and the host hears
/// of it by e-mail. An e-mail address an admin sets is vouched for by them.
#[tracing::instrument(skip(db, update, actor, base_url))]
pub async fn update_host(
    db: &impl TransactionTrait,
    id: i32,
    update: HostUpdate,
    actor: &Actor,
    base_url: &str,
) -> Result<Host, HostWriteError> {
    let mut tx = EventTx::begin(db).await?;
    let (host, user) = host::Entity::find_by_id(id)
        .find_also_related(user::Entity)
        .one(&*tx)
        .await?
        .and_then(|(h, u)| u.map(|u| (h, u)))
        .ok_or(HostWriteError::NotFound(id))?;
    let was_pending = user.pending;
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
        } else if was_pending {
            // Rejected: no longer waiting, and not active.
            user.pending = Set(false);
        }
    }
    let now = Utc::now();
    let email = update.email.map(|e| e.as_str().to_string());
    if let Some(email) = &email {
        user.email = Set(email.clone());
        user.email_verified_at = Set(Some(now));
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
    let decision = match (was_pending, update.active) {
        (true, Some(true)) => {
            let login = format!("{}/host/login", base_url.trim_end_matches('/'));
            Some(account_messages::approved(&host.name, &login, &host.email))
        }
        (true, Some(false)) => {
            let reason = update
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty());
            Some(account_messages::rejected(&host.name, reason, &host.email))
        }
        _ => None,
    };
    if let Some(mail) = decision {
        outbox::enqueue(&*tx, None, mail, now).await?;
    }
    tx.append(host_event(&host), now).await?;
    let what = match (was_pending, update.active) {
        (true, Some(true)) => "host.approve",
        (true, Some(false)) => "host.reject",
        _ => "host.update",
    };
    audit::record(
        &*tx,
        actor,
        what,
        ("host", host.id),
        json!({ "host": host, "reason": update.reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(host)
}

/// Tells every active admin that `host` signed up and waits for a decision.
async fn tell_admins_of(
    tx: &impl ConnectionTrait,
    host: &Host,
    location: &str,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(crate::types::Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .all(tx)
        .await?;
    let url = format!("{}/admin/hosts", base_url.trim_end_matches('/'));
    let waiting = account_messages::Waiting {
        name: &host.name,
        email: &host.email,
        location,
    };
    for admin in admins {
        let mail = account_messages::host_waiting(&waiting, &url, &admin.email);
        outbox::enqueue(tx, None, mail, now).await?;
    }
    Ok(())
}

/// A host whose address moved outside the allowed domains waits for an admin again
/// (and cannot log in or be picked until then); the admins are told.
pub(super) async fn wait_for_approval(
    tx: &impl ConnectionTrait,
    user_id: i32,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let found = host::Entity::find()
        .filter(host::Column::UserId.eq(user_id))
        .find_also_related(user::Entity)
        .one(tx)
        .await?;
    let Some((host, Some(user))) = found else {
        return Ok(());
    };
    let mut waiting: user::ActiveModel = user.into();
    waiting.pending = Set(true);
    waiting.active = Set(false);
    let user = waiting.update(tx).await?;
    let location = location::Entity::find_by_id(host.location_id)
        .one(tx)
        .await?
        .map(|l| l.name)
        .unwrap_or_default();
    tell_admins_of(tx, &Host::from_parts(host, user), &location, base_url, now).await
}

#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error("There is no host with id {0}.")]
    NotFound(i32),
    #[error("{0} has set a password already: they can use \"Forgot your password?\" to get in.")]
    NotInvited(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(ResendError);

/// A new invitation for a host who has not set a password; the old link stops working.
pub async fn resend_invitation(
    db: &impl TransactionTrait,
    id: i32,
    actor: &Actor,
    base_url: &str,
) -> Result<(), ResendError> {
    let tx = super::begin_write(db).await?;
    let (host, user, location) = host_with_location(&tx, id)
        .await?
        .ok_or(ResendError::NotFound(id))?;
    if user.password_hash.is_some() {
        return Err(ResendError::NotInvited(user.name));
    }
    let now = Utc::now();
    let url = links::issue(&tx, base_url, user.id, Purpose::Invite, None, now).await?;
    let mail = account_messages::invitation(&user.name, &location.name, &url, &user.email);
    outbox::enqueue(&tx, None, mail, now).await?;
    audit::record(
        &tx,
        actor,
        "host.invite_again",
        ("host", host.id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
