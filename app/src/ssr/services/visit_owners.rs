//! Which visitor account a visit belongs to: the visitor who checked in on their
//! own phone, or the one whose *confirmed* address the guest gave at a kiosk (or
//! through the API). The link is made once, by id, when the visit is made or when
//! the address is confirmed: an address that later changes hands takes no visits
//! with it. A leaf: it imports no other service.

use sea_orm::prelude::DateTimeUtc;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::ssr::entities::{user, visit};
use crate::types::Role;

/// The visitor account that has confirmed `email`, if any.
pub async fn confirmed_visitor(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<i32>, sea_orm::DbErr> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::Role.eq(Role::Visitor.as_str()))
        .filter(user::Column::EmailVerifiedAt.is_not_null())
        .into_tuple()
        .one(db)
        .await
}

/// Whether the visitor `user_id` has visited `host_id` before (any visit linked to them).
pub async fn has_visited(
    db: &impl ConnectionTrait,
    user_id: i32,
    host_id: i32,
) -> Result<bool, sea_orm::DbErr> {
    let found = visit::Entity::find()
        .filter(visit::Column::VisitorId.eq(user_id))
        .filter(visit::Column::HostId.eq(host_id))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Gives the visitor `user_id`, who has just confirmed `email`, the visits made
/// with that address since their account was made that belong to nobody yet:
/// older ones may be a former holder's of the address. A running one is left alone where
/// the visitor already has a running visit at its location (one at a time there).
pub async fn claim_visits(
    db: &impl ConnectionTrait,
    user_id: i32,
    email: &str,
) -> Result<u64, sea_orm::DbErr> {
    let running_at = Query::select()
        .column(visit::Column::LocationId)
        .from(visit::Entity)
        .and_where(visit::Column::VisitorId.eq(user_id))
        .and_where(visit::Column::CheckedOutAt.is_null())
        .to_owned();
    let made: Option<DateTimeUtc> = user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::CreatedAt)
        .into_tuple()
        .one(db)
        .await?;
    let Some(made) = made else { return Ok(0) };
    let claimed = visit::Entity::update_many()
        .col_expr(visit::Column::VisitorId, Expr::value(user_id))
        .filter(visit::Column::GuestEmail.eq(email))
        .filter(visit::Column::VisitorId.is_null())
        .filter(visit::Column::CheckedInAt.gte(made))
        .filter(
            Condition::any()
                .add(visit::Column::CheckedOutAt.is_not_null())
                .add(visit::Column::LocationId.not_in_subquery(running_at)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected)
}
