//! API tokens: shown once at creation, stored as a SHA-256 hash.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{random_secret, secret_hash};
use crate::ssr::domain::PersonName;
use crate::ssr::entities::api_token;

const PREFIX: &str = "fdk_";

/// Creates a token; returns it in clear text, the only time it exists as such.
pub async fn create_token(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<(api_token::Model, String), anyhow::Error> {
    let name = PersonName::parse(name).map_err(|m| anyhow::anyhow!("token name: {m}"))?;
    let token = format!("{PREFIX}{}", random_secret()?);
    let model = api_token::ActiveModel {
        name: Set(name.as_str().to_string()),
        token_hash: Set(secret_hash(&token)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((model, token))
}

/// Whether the token with this row id is still unrevoked.
pub async fn is_live(db: &impl ConnectionTrait, id: i32) -> Result<bool, sea_orm::DbErr> {
    Ok(api_token::Entity::find_by_id(id)
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some())
}

/// The live token matching `presented`, if any.
pub async fn verify_token(
    db: &impl ConnectionTrait,
    presented: &str,
) -> Result<Option<api_token::Model>, sea_orm::DbErr> {
    if !presented.starts_with(PREFIX) {
        return Ok(None);
    }
    api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(secret_hash(presented)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await
}
