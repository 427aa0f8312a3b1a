use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lower-cased: the unique index is case-insensitive through it.
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub active: bool,
    /// A signed-up host waiting for an admin's approval.
    pub pending: bool,
    pub created_at: DateTimeUtc,
    /// When the address became trusted (a link followed, or an admin vouched).
    pub email_verified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// A host account's host row, so the account and its host id are one query.
impl Related<super::host::Entity> for Entity {
    fn to() -> RelationDef {
        super::host::Relation::User.def().rev()
    }
}

impl ActiveModelBehavior for ActiveModel {}
