//! What a list of visits shows beside each: its host's and location's names and the
//! location's time zone, read for just those visits in one query.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect,
    RelationTrait,
};

use crate::ssr::entities::{host, location, user, visit};

#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct VisitLabels {
    pub id: i32,
    pub host_name: String,
    pub location_name: String,
    pub time_zone: String,
}

/// Labels by visit id; ids of visits that do not exist are left out.
pub async fn labels_of(
    db: &impl ConnectionTrait,
    visit_ids: Vec<i32>,
) -> Result<HashMap<i32, VisitLabels>, sea_orm::DbErr> {
    if visit_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = visit::Entity::find()
        .select_only()
        .column(visit::Column::Id)
        .column_as(user::Column::Name, "host_name")
        .column_as(location::Column::Name, "location_name")
        .column_as(location::Column::TimeZone, "time_zone")
        .join(JoinType::InnerJoin, visit::Relation::Host.def())
        .join(JoinType::InnerJoin, host::Relation::User.def())
        .join(JoinType::InnerJoin, visit::Relation::Location.def())
        .filter(visit::Column::Id.is_in(visit_ids))
        .into_model::<VisitLabels>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|l| (l.id, l)).collect())
}
