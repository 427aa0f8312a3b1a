use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub guest_name: String,
    pub guest_email: String,
    pub guest_phone: String,
    pub host_id: i32,
    pub location_id: i32,
    pub checked_in_at: DateTimeUtc,
    pub checked_out_at: Option<DateTimeUtc>,
    pub checked_out_by: Option<String>,
    pub checkout_token: String,
    /// The visitor account the visit belongs to: the one that checked itself in, or
    /// the one whose confirmed address the guest gave.
    pub visitor_id: Option<i32>,
    /// How the visit was made: `kiosk`, `arrival`, `api`, ...
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::host::Entity",
        from = "Column::HostId",
        to = "super::host::Column::Id"
    )]
    Host,
    #[sea_orm(
        belongs_to = "super::location::Entity",
        from = "Column::LocationId",
        to = "super::location::Column::Id"
    )]
    Location,
}

impl ActiveModelBehavior for ActiveModel {}
