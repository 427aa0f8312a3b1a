//! Who is calling the JSON API: a Bearer token (admin scope), or the account logged
//! in on the browser's session (scoped to what that account may see).

use app::ssr::auth::caller::{Caller, Scope};
use app::ssr::auth::session;
use app::ssr::services::tokens;
use app::ssr::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use tower_sessions::session::Id;
use tower_sessions::Session;

use super::error::ApiError;

/// Any authenticated caller.
pub struct ApiCaller {
    caller: Caller,
    pub authority: Authority,
}

/// What a caller's right to ask rests on, to check again later (a live stream does,
/// every second).
#[derive(Debug, Clone)]
pub enum Authority {
    /// A person's log-in on this session, of this account.
    Session { id: Id, user_id: i32 },
    /// An integration's API token, by its row id.
    Token(i32),
}

impl ApiCaller {
    /// An integration with a token, not a person.
    pub fn by_token(&self) -> bool {
        matches!(self.authority, Authority::Token(_))
    }
}

/// A caller with admin scope (admins and API tokens); others get 403.
pub struct ApiAdmin(Caller);

impl std::ops::Deref for ApiCaller {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl std::ops::Deref for ApiAdmin {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts.headers.get(header::AUTHORIZATION) {
            Some(value) => bearer(value, state).await,
            None => from_session(parts, state).await,
        }
    }
}

impl FromRequestParts<AppState> for ApiAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiCaller { caller, .. } = ApiCaller::from_request_parts(parts, state).await?;
        match caller.scope {
            Scope::Admin => Ok(Self(caller)),
            _ => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Only admins and API tokens may do this.",
            )),
        }
    }
}

async fn bearer(value: &header::HeaderValue, state: &AppState) -> Result<ApiCaller, ApiError> {
    let value = value
        .to_str()
        .map_err(|_| unauthorized("The Authorization header is not readable text."))?;
    // RFC 9110 §11.1: the scheme name is case-insensitive.
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token)
        .ok_or_else(|| unauthorized("Use the Bearer scheme: Authorization: Bearer <token>."))?;
    match tokens::verify_token(&state.db, token.trim()).await {
        Ok(Some(found)) => Ok(ApiCaller {
            caller: Caller::api_token(&found.name),
            authority: Authority::Token(found.id),
        }),
        Ok(None) => Err(unauthorized(
            "This API token is not valid (unknown, revoked or expired).",
        )),
        Err(error) => Err(ApiError::unexpected(error)),
    }
}

async fn from_session(parts: &mut Parts, state: &AppState) -> Result<ApiCaller, ApiError> {
    let anonymous = || {
        unauthorized("Log in, or send an API token: Authorization: Bearer <token> (create one with `frontdesk token create --name NAME`).")
    };
    let Ok(session) = Session::from_request_parts(parts, state).await else {
        return Err(anonymous());
    };
    match session::account(&session, &state.db, state.config.sessions.absolute).await {
        Ok(Some(account)) => match session.id() {
            Some(id) => Ok(ApiCaller {
                caller: account.caller(),
                authority: Authority::Session {
                    id,
                    user_id: account.id,
                },
            }),
            // Logged in on a session not stored yet: cannot happen after a log-in.
            None => Err(anonymous()),
        },
        Ok(None) => Err(anonymous()),
        Err(error) => Err(ApiError::unexpected(error)),
    }
}
