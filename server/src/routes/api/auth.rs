//! Bearer-token authentication for the JSON API. Tokens have admin scope.

use app::ssr::services::{tokens, Actor};
use app::ssr::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};

use super::error::ApiError;

/// The authenticated caller of an API route.
pub struct ApiCaller {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized =
            |message: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message);
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| {
                unauthorized("Send an API token: Authorization: Bearer <token> (create one with `frontdesk token create --name NAME`).")
            })?
            .to_str()
            .map_err(|_| unauthorized("The Authorization header is not readable text."))?;
        let token = header
            .strip_prefix("Bearer ")
            .ok_or_else(|| unauthorized("Use the Bearer scheme: Authorization: Bearer <token>."))?;
        match tokens::verify_token(&state.db, token.trim()).await {
            Ok(Some(found)) => Ok(Self {
                actor: Actor::api_token(&found.name),
            }),
            Ok(None) => Err(unauthorized(
                "This API token is not valid (unknown or revoked).",
            )),
            Err(error) => Err(ApiError::unexpected(error)),
        }
    }
}
