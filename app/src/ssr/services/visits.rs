//! Visits: check-in, check-out, reading and listing, each as far as the caller's
//! `Scope` reaches.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::events::{self, EventTx, NewEvent};
use super::hosts::host_with_location;
use super::messages::{self, Arrival, Departure};
use super::{audit, is_unique_violation, outbox, random_secret, secret_hash, visit_owners};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Actor, Caller, Scope};
use crate::ssr::domain::{Contact, Region};
use crate::ssr::entities::{notification, visit};
use crate::ssr::time::tz;
pub use crate::types::Delivery;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Running,
    CheckedOut,
}

/// How a visit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitSource {
    /// At a paired lobby tablet.
    Kiosk,
    /// On the guest's own phone, from the lobby poster's daily link.
    Arrival,
    /// Through the JSON API.
    Api,
}

impl VisitSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kiosk => "kiosk",
            Self::Arrival => "arrival",
            Self::Api => "api",
        }
    }

    /// As stored; a value this build does not know reads as a kiosk's.
    fn stored(value: &str) -> Self {
        match value {
            "arrival" => Self::Arrival,
            "api" => Self::Api,
            _ => Self::Kiosk,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Visit {
    pub id: i32,
    /// The guest's name.
    pub name: String,
    pub email: String,
    pub phone: String,
    pub host_id: i32,
    pub location_id: i32,
    pub status: VisitStatus,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub checked_out_by: Option<String>,
    pub source: VisitSource,
    /// Delivery of this visit's messages; left out of lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Vec<Delivery>>,
}

impl Visit {
    fn from_parts(v: visit::Model, notifications: Option<Vec<notification::Model>>) -> Self {
        Self {
            id: v.id,
            name: v.guest_name,
            email: v.guest_email,
            phone: v.guest_phone,
            host_id: v.host_id,
            location_id: v.location_id,
            status: match v.checked_out_at {
                Some(_) => VisitStatus::CheckedOut,
                None => VisitStatus::Running,
            },
            checked_in_at: v.checked_in_at,
            checked_out_at: v.checked_out_at,
            checked_out_by: v.checked_out_by,
            source: VisitSource::stored(&v.source),
            notifications: notifications.map(|list| {
                list.into_iter()
                    .map(|n| Delivery {
                        channel: n.channel,
                        recipient: n.recipient,
                        status: n.status,
                        last_error: n.last_error,
                    })
                    .collect()
            }),
        }
    }
}

impl Visit {
    /// This visit as `scope` (`None`: the guest's own link) may see it: in guests'
    /// views no staff contact details (no deliveries, no e-mail of who checked out).
    fn seen_by(mut self, scope: Option<Scope>) -> Self {
        if scope.is_some_and(Scope::sees_staff_contacts) {
            return self;
        }
        self.checked_out_by = self.checked_out_by.map(|by| Actor::without_contact(&by));
        // Any visit of a visitor's may have been made by whoever typed their address,
        // at a kiosk or on the poster page: the phone typed there is not theirs to
        // see, and their own is on their settings page.
        if matches!(scope, Some(Scope::Visitor { .. })) {
            self.phone.clear();
        }
        // No deliveries at all: keeping "the guest's own" would let a visitor who
        // types a host's address as theirs confirm that it is the host's.
        if let Some(list) = &mut self.notifications {
            list.clear();
        }
        self
    }
}

#[derive(Debug, Clone)]
pub struct NewVisit {
    pub guest: Contact,
    pub host_id: i32,
    pub source: VisitSource,
    /// The host must be at this location (a guest checking in at its lobby).
    pub at: Option<i32>,
}

impl NewVisit {
    pub fn parse(
        name: &str,
        email: &str,
        phone: &str,
        host_id: i32,
        region: Region,
        source: VisitSource,
    ) -> Result<Self, FieldError> {
        Ok(Self {
            guest: Contact::parse(name, email, phone, region)?,
            host_id,
            source,
            at: None,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckInError {
    #[error("There is no host with id {0}.")]
    UnknownHost(i32),
    #[error("{0} cannot receive visitors at the moment; pick another host.")]
    HostInactive(String),
    #[error("This guest is already checked in here; check the running visit out first.")]
    AlreadyCheckedIn,
    #[error("Hosts can only check guests in to themselves.")]
    Forbidden,
    #[error("Visitors check in at the lobby: scan the poster's QR code there.")]
    InPersonOnly,
    /// A kiosk names a host who is not at its location (or no host at all).
    #[error("That person is not a host here; pick someone from the list.")]
    NotHere,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(CheckInError);

/// How long a guest's check-out link works after check-in; never after check-out.
pub const CHECKOUT_LINK_HOURS: i64 = 24;

/// The visit a guest's check-out link names. The link holds the secret; the
/// database only its hash.
pub fn by_checkout_link(token: &str) -> Select<visit::Entity> {
    visit::Entity::find().filter(visit::Column::CheckoutToken.eq(secret_hash(token)))
}

/// Whether this visit's check-out link still works.
pub fn link_works(visit: &visit::Model, now: DateTime<Utc>) -> bool {
    visit.checked_out_at.is_none()
        && now - visit.checked_in_at < Duration::hours(CHECKOUT_LINK_HOURS)
}

/// Checks a guest in: the visit, its event and the host's email + SMS, in one
/// transaction. Returns the visit and the guest's check-out link secret, which
/// exists in clear only here.
#[tracing::instrument(skip_all, fields(host_id = new.host_id))]
pub async fn check_in(
    db: &impl TransactionTrait,
    new: NewVisit,
    public_url: &str,
    caller: &Caller,
) -> Result<(Visit, String), CheckInError> {
    let actor = &caller.actor;
    let mut tx = EventTx::begin(db).await?;
    let visitor_id = match caller.scope {
        Scope::Visitor { user_id } => Some(user_id),
        _ => visit_owners::confirmed_visitor(&*tx, new.guest.email.as_str()).await?,
    };
    let found = host_with_location(&*tx, new.host_id)
        .await?
        .filter(|(host, _, location)| (caller.scope).may_check_in_to(host.id, location.id, new.at));
    let Some((host, user, location)) = found else {
        // Who may name whom is `Scope::may_check_in_to`; here only how to say no.
        return Err(match caller.scope {
            _ if new.at.is_some() => CheckInError::NotHere,
            Scope::Visitor { .. } => CheckInError::InPersonOnly,
            Scope::Kiosk { .. } => CheckInError::NotHere,
            Scope::Host { .. } => CheckInError::Forbidden,
            _ => CheckInError::UnknownHost(new.host_id),
        });
    };
    if !super::hosts::is_choosable(&user) || !location.active {
        return Err(CheckInError::HostInactive(user.name));
    }
    let now = Utc::now();
    let checkout_token = random_secret()?;
    let visit = visit::ActiveModel {
        guest_name: Set(new.guest.name.as_str().to_string()),
        guest_email: Set(new.guest.email.as_str().to_string()),
        guest_phone: Set(new.guest.phone.as_str().to_string()),
        host_id: Set(host.id),
        location_id: Set(location.id),
        checked_in_at: Set(now),
        checked_out_at: Set(None),
        checked_out_by: Set(None),
        checkout_token: Set(secret_hash(&checkout_token)),
        visitor_id: Set(visitor_id),
        source: Set(new.source.as_str().to_string()),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| match is_unique_violation(&e) {
        true => CheckInError::AlreadyCheckedIn,
        false => e.into(),
    })?;

    let entry_url = format!("{public_url}/visits/{}", visit.id);
    let arrival = Arrival {
        guest_name: &visit.guest_name,
        guest_email: &visit.guest_email,
        guest_phone: &visit.guest_phone,
        host_name: &user.name,
        location_name: &location.name,
        checked_in_at: now,
        tz: tz(&location.time_zone),
        entry_url: &entry_url,
    };
    let mut notifications = vec![
        outbox::enqueue(
            &*tx,
            Some(visit.id),
            messages::host_email(&arrival, &user.email),
            now,
        )
        .await?,
    ];
    if let Some(phone) = &user.phone {
        notifications.push(
            outbox::enqueue(
                &*tx,
                Some(visit.id),
                messages::host_sms(&arrival, phone),
                now,
            )
            .await?,
        );
    }
    let view = Visit::from_parts(visit, Some(notifications));
    tx.append(visit_event(events::VISIT_CHECKED_IN, &view), now)
        .await?;
    audit::record(
        &*tx,
        actor,
        "visit.check_in",
        ("visit", view.id),
        json!({ "host_id": view.host_id, "source": view.source }),
    )
    .await?;
    tx.commit().await?;
    Ok((view.seen_by(Some(caller.scope)), checkout_token))
}

fn visit_event<'a>(kind: &'a str, visit: &Visit) -> NewEvent<'a> {
    NewEvent {
        kind,
        visit_id: Some(visit.id),
        host_id: Some(visit.host_id),
        location_id: Some(visit.location_id),
        payload: json!({ "visit": visit }),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckOutError {
    #[error("There is no visit with id {0}.")]
    UnknownVisit(i32),
    #[error("This visit was already checked out.")]
    AlreadyCheckedOut,
    #[error("This check-out link is not valid.")]
    UnknownToken,
    #[error(
        "This check-out link has expired: the visit is already closed, or more than a day old."
    )]
    LinkExpired,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(CheckOutError);

/// Which visit to check out: by id, as far as the caller may see it, or by the
/// guest's secret link.
pub enum VisitRef<'a> {
    Id(i32, Scope),
    Token(&'a str),
}

/// Checks a visit out: closes it, writes its event and the guest's summary email.
/// A second check-out is an error and changes nothing.
#[tracing::instrument(skip_all)]
pub async fn check_out(
    db: &impl TransactionTrait,
    which: VisitRef<'_>,
    by: &Actor,
) -> Result<Visit, CheckOutError> {
    let mut tx = EventTx::begin(db).await?;
    let seen_by = match which {
        VisitRef::Id(_, scope) => Some(scope),
        VisitRef::Token(_) => None,
    };
    let found = match which {
        VisitRef::Id(id, scope) => scope
            .visits(visit::Entity::find_by_id(id))
            .one(&*tx)
            .await?
            .ok_or(CheckOutError::UnknownVisit(id))?,
        VisitRef::Token(token) => by_checkout_link(token)
            .one(&*tx)
            .await?
            .ok_or(CheckOutError::UnknownToken)?,
    };
    let now = Utc::now();
    if seen_by.is_none() && !link_works(&found, now) {
        return Err(CheckOutError::LinkExpired);
    }
    // Conditional on still running: of two racing check-outs exactly one wins.
    let closed = visit::Entity::update_many()
        .col_expr(visit::Column::CheckedOutAt, Expr::value(now))
        .col_expr(visit::Column::CheckedOutBy, Expr::value(by.0.clone()))
        .filter(visit::Column::Id.eq(found.id))
        .filter(visit::Column::CheckedOutAt.is_null())
        .exec(&*tx)
        .await?;
    if closed.rows_affected == 0 {
        return Err(CheckOutError::AlreadyCheckedOut);
    }
    let (_, user, location) = host_with_location(&*tx, found.host_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("visit {} has no host", found.id))?;
    let departure = Departure {
        guest_name: &found.guest_name,
        guest_phone: &found.guest_phone,
        host_name: &user.name,
        location_name: &location.name,
        address: &location.address,
        checked_in_at: found.checked_in_at,
        checked_out_at: now,
        tz: tz(&location.time_zone),
    };
    let email = messages::guest_summary_email(&departure, &found.guest_email);
    outbox::enqueue(&*tx, Some(found.id), email, now).await?;
    let notifications = notifications_of(&*tx, found.id).await?;
    let mut closed_visit = found;
    closed_visit.checked_out_at = Some(now);
    closed_visit.checked_out_by = Some(by.0.clone());
    let view = Visit::from_parts(closed_visit, Some(notifications));
    tx.append(visit_event(events::VISIT_CHECKED_OUT, &view), now)
        .await?;
    audit::record(&*tx, by, "visit.check_out", ("visit", view.id), json!({})).await?;
    tx.commit().await?;
    Ok(view.seen_by(seen_by))
}

async fn notifications_of(
    db: &impl ConnectionTrait,
    visit_id: i32,
) -> Result<Vec<notification::Model>, sea_orm::DbErr> {
    notification::Entity::find()
        .filter(notification::Column::VisitId.eq(visit_id))
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await
}

/// A visit with its deliveries, if it exists and `scope` may see it.
pub async fn get_visit(
    db: &impl ConnectionTrait,
    id: i32,
    scope: Scope,
) -> Result<Option<Visit>, anyhow::Error> {
    let Some(found) = scope.visits(visit::Entity::find_by_id(id)).one(db).await? else {
        return Ok(None);
    };
    let notifications = notifications_of(db, id).await?;
    Ok(Some(
        Visit::from_parts(found, Some(notifications)).seen_by(Some(scope)),
    ))
}

#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    /// Applied before every other filter: what the caller may see at all.
    pub scope: Option<Scope>,
    pub status: Option<VisitStatus>,
    pub host_id: Option<i32>,
    pub location_id: Option<i32>,
    /// Checked in at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Checked in before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Return visits with an id below this (the previous page's `next`).
    pub before: Option<i32>,
    pub limit: u64,
}

pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<i32>,
}

/// Newest first. Deliveries are not loaded here, so a list stays one query.
pub async fn list_visits(
    db: &impl ConnectionTrait,
    filter: VisitFilter,
) -> Result<Page<Visit>, anyhow::Error> {
    let limit = filter.limit.clamp(1, 200);
    // No scope is no rows: forgetting to pass one must not show everything.
    let Some(scope) = filter.scope else {
        return Ok(Page {
            items: vec![],
            next: None,
        });
    };
    let mut query = scope
        .visits(visit::Entity::find())
        .order_by_desc(visit::Column::Id)
        .limit(limit + 1);
    query = match filter.status {
        Some(VisitStatus::Running) => query.filter(visit::Column::CheckedOutAt.is_null()),
        Some(VisitStatus::CheckedOut) => query.filter(visit::Column::CheckedOutAt.is_not_null()),
        None => query,
    };
    if let Some(host_id) = filter.host_id {
        query = query.filter(visit::Column::HostId.eq(host_id));
    }
    if let Some(location_id) = filter.location_id {
        query = query.filter(visit::Column::LocationId.eq(location_id));
    }
    if let Some(from) = filter.from {
        query = query.filter(visit::Column::CheckedInAt.gte(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(visit::Column::CheckedInAt.lt(until));
    }
    if let Some(before) = filter.before {
        query = query.filter(visit::Column::Id.lt(before));
    }
    let mut rows = query.all(db).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|v| v.id)
    } else {
        None
    };
    Ok(Page {
        items: rows
            .into_iter()
            .map(|v| Visit::from_parts(v, None).seen_by(Some(scope)))
            .collect(),
        next,
    })
}

/// Every visit matching `filter`, page by page (for exports and on-site lists).
pub async fn list_all(
    db: &impl ConnectionTrait,
    mut filter: VisitFilter,
) -> Result<Vec<Visit>, anyhow::Error> {
    filter.limit = 200;
    let mut all = Vec::new();
    loop {
        let page = list_visits(db, filter.clone()).await?;
        all.extend(page.items);
        match page.next {
            Some(next) => filter.before = Some(next),
            None => return Ok(all),
        }
    }
}
