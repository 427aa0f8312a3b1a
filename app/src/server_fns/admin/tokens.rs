//! The admin's API tokens page: listing (never a secret) and revoking. Tokens are
//! created on the command line only (`frontdesk token create`).

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    auth::caller::Role,
    request::{fail, internal, require},
    services::tokens::{self, TokenError, TokenInfo, TokenRef},
    time::local_time,
};
use crate::types::TokenRow;

#[server(endpoint = "admin_tokens")]
pub async fn admin_tokens() -> Result<Vec<TokenRow>, AppError> {
    let (state, _) = require(&[Role::Admin]).await?;
    let list = tokens::list_tokens(&state.db).await?;
    Ok(list.into_iter().map(token_row).collect())
}

#[server(endpoint = "admin_revoke_token")]
pub async fn admin_revoke_token(id: i32) -> Result<(), AppError> {
    let (state, account) = require(&[Role::Admin]).await?;
    tokens::revoke_token(&state.db, TokenRef::Id(id), &account.caller().actor).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn token_row(t: TokenInfo) -> TokenRow {
    let time = |at| local_time(at, chrono_tz::UTC);
    TokenRow {
        id: t.id,
        name: t.name,
        created: time(t.created_at),
        last_used: t.last_used_at.map(time),
        expires: t.expires_at.map(time),
        state: t.state.to_string(),
    }
}

#[cfg(feature = "ssr")]
impl From<TokenError> for AppError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::NotFound(_) => fail(AppError::NotFound),
            TokenError::Unexpected(e) => internal(e),
            e => fail(AppError::Refused(e.to_string())),
        }
    }
}
