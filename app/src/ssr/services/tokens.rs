//! API tokens: shown once at creation, stored as a SHA-256 hash. A token may expire;
//! an expired token is refused like a revoked one. Listing never shows a secret.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;

use super::{audit, random_secret, secret_hash};
use crate::ssr::auth::caller::Actor;
use crate::ssr::domain::PersonName;
use crate::ssr::entities::api_token;

const PREFIX: &str = "fdk_";
/// The longest lifetime a token may be given, in days (about ten years).
pub const MAX_EXPIRY_DAYS: u32 = 3650;
/// `last_used_at` is written at most this often, not on every request.
const USED_RESOLUTION_SECS: i64 = 60;

/// Whether a token is accepted now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Live,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn of(token: &api_token::Model, now: DateTime<Utc>) -> Self {
        match (token.revoked_at, token.expires_at) {
            (Some(_), _) => Self::Revoked,
            (None, Some(expires)) if expires <= now => Self::Expired,
            _ => Self::Live,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

impl std::fmt::Display for TokenState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token as lists show it: everything but its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i32,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub state: TokenState,
}

impl TokenInfo {
    fn of(token: api_token::Model, now: DateTime<Utc>) -> Self {
        Self {
            state: TokenState::of(&token, now),
            id: token.id,
            name: token.name,
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
        }
    }
}

/// Which token(s) to revoke: the CLI names one, the admin page posts its row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRef<'a> {
    Id(i32),
    Name(&'a str),
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token name: {0}")]
    InvalidName(String),
    #[error("A token expires after 1 to {MAX_EXPIRY_DAYS} days, not {0}.")]
    InvalidExpiry(u32),
    #[error("A live token named \"{0}\" already exists: revoke it first, or pick another name.")]
    NameTaken(String),
    #[error("There is no live token named \"{0}\" (see `frontdesk token list`).")]
    NoLiveToken(String),
    #[error("There is no token with id {0}.")]
    NotFound(i32),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(TokenError);

/// Creates a token, live until revoked or, with `expires_in_days`, until then;
/// returns it in clear text, the only time it exists as such. Names of live tokens
/// are unique, so revoking by name is unambiguous.
#[tracing::instrument(skip_all)]
pub async fn create_token(
    db: &impl TransactionTrait,
    name: &str,
    expires_in_days: Option<u32>,
) -> Result<(api_token::Model, String), TokenError> {
    let name = PersonName::parse(name).map_err(TokenError::InvalidName)?;
    let now = Utc::now();
    let expires_at = match expires_in_days {
        None => None,
        Some(days @ 1..=MAX_EXPIRY_DAYS) => Some(now + Duration::days(days.into())),
        Some(days) => return Err(TokenError::InvalidExpiry(days)),
    };
    let token = format!("{PREFIX}{}", random_secret()?);
    let tx = super::begin_write(db).await?;
    if !live_named(&tx, name.as_str(), now).await?.is_empty() {
        return Err(TokenError::NameTaken(name.as_str().to_string()));
    }
    let model = api_token::ActiveModel {
        name: Set(name.as_str().to_string()),
        token_hash: Set(secret_hash(&token)),
        created_at: Set(now),
        revoked_at: Set(None),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok((model, token))
}

/// The live tokens named `name` (at most one, unless made before names were unique).
async fn live_named(
    db: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Vec<api_token::Model>, sea_orm::DbErr> {
    // Expiry is compared here, not in SQL: SQLite stores times as text.
    Ok(api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .filter(api_token::Column::RevokedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|t| TokenState::of(t, now) == TokenState::Live)
        .collect())
}

/// Every token, newest first, with no secret.
pub async fn list_tokens(db: &impl ConnectionTrait) -> Result<Vec<TokenInfo>, sea_orm::DbErr> {
    let now = Utc::now();
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TokenInfo::of(t, now))
        .collect())
}

/// Revokes a token at once: its next request gets 401 and a live stream it holds
/// closes. By name: every live token of that name (an error if there is none). By
/// id: that token unless it is revoked already (revoking twice is fine). Returns
/// how many were revoked.
#[tracing::instrument(skip_all)]
pub async fn revoke_token(
    db: &impl TransactionTrait,
    which: TokenRef<'_>,
    actor: &Actor,
) -> Result<usize, TokenError> {
    let now = Utc::now();
    let tx = super::begin_write(db).await?;
    let targets = match which {
        TokenRef::Name(name) => {
            let found = live_named(&tx, name.trim(), now).await?;
            if found.is_empty() {
                return Err(TokenError::NoLiveToken(name.trim().to_string()));
            }
            found
        }
        TokenRef::Id(id) => {
            let found = api_token::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or(TokenError::NotFound(id))?;
            if found.revoked_at.is_some() {
                return Ok(0);
            }
            vec![found]
        }
    };
    for token in &targets {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token.id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&tx)
            .await?;
        audit::record(
            &tx,
            actor,
            "api_token.revoke",
            ("api_token", token.id),
            json!({ "name": token.name }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(targets.len())
}

/// Whether the token with this row id is still accepted (neither revoked nor expired).
pub async fn is_live(db: &impl ConnectionTrait, id: i32) -> Result<bool, sea_orm::DbErr> {
    let now = Utc::now();
    Ok(api_token::Entity::find_by_id(id)
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some_and(|t| TokenState::of(&t, now) == TokenState::Live))
}

/// The live token matching `presented`, if any. Notes when it was used, at most
/// once a minute (SQLite has one writer at a time: not an UPDATE per request).
pub async fn verify_token(
    db: &impl ConnectionTrait,
    presented: &str,
) -> Result<Option<api_token::Model>, sea_orm::DbErr> {
    if !presented.starts_with(PREFIX) {
        return Ok(None);
    }
    let now = Utc::now();
    let Some(mut found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(secret_hash(presented)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .filter(|t| TokenState::of(t, now) == TokenState::Live)
    else {
        return Ok(None);
    };
    if found
        .last_used_at
        .is_none_or(|used| now - used >= Duration::seconds(USED_RESOLUTION_SECS))
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(found.id))
            .exec(db)
            .await?;
        found.last_used_at = Some(now);
    }
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(revoked: Option<i64>, expires: Option<i64>) -> api_token::Model {
        let at = |secs: i64| Utc::now() + Duration::seconds(secs);
        api_token::Model {
            id: 1,
            name: "t".into(),
            token_hash: String::new(),
            created_at: at(-100),
            revoked_at: revoked.map(at),
            expires_at: expires.map(at),
            last_used_at: None,
        }
    }

    #[test]
    fn a_token_is_live_until_revoked_or_past_its_expiry() {
        let now = Utc::now();
        assert_eq!(TokenState::of(&token(None, None), now), TokenState::Live);
        assert_eq!(
            TokenState::of(&token(None, Some(60)), now),
            TokenState::Live
        );
        assert_eq!(
            TokenState::of(&token(None, Some(-60)), now),
            TokenState::Expired
        );
        assert_eq!(
            TokenState::of(&token(Some(-10), Some(-60)), now),
            TokenState::Revoked
        );
    }
}
