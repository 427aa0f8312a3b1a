use app::ssr::domain::{EmailAddress, PersonName, PhoneNumber};
use app::ssr::services::hosts::{self, Host, HostFilter, HostUpdate, NewHost};
use app::ssr::services::regions::{region_at, region_of_host};
use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::auth::ApiAdmin;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostInput {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// Any common format; stored as E.164. Without a country code the server's
    /// default region applies.
    #[schema(min_length = 1, max_length = 40)]
    pub phone: String,
    pub location_id: i32,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(min_length = 1, max_length = 40)]
    pub phone: Option<String>,
    pub location_id: Option<i32>,
    /// `false` deactivates the host: it can no longer be picked at check-in. For a
    /// sign-up waiting for approval it is the decision (`true` approves, `false`
    /// rejects), and the host is told by e-mail.
    pub active: Option<bool>,
    /// With `active: false` on a waiting sign-up: why, told to the host.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HostQuery {
    pub location_id: Option<i32>,
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HostList {
    pub items: Vec<Host>,
    pub next: Option<i32>,
}

#[utoipa::path(get, path = "/api/v1/hosts", tag = "hosts", operation_id = "list_hosts", params(HostQuery),
    responses((status = 200, body = HostList)),
    security(("bearer" = [])))]
pub async fn list(
    _caller: ApiAdmin,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<HostQuery>,
) -> Result<Json<HostList>, ApiError> {
    let filter = HostFilter {
        location_id: query.location_id,
        active: query.active,
        ..Default::default()
    };
    let items = hosts::list_hosts(&state.db, filter).await?;
    Ok(Json(HostList { items, next: None }))
}

#[utoipa::path(post, path = "/api/v1/hosts", tag = "hosts", operation_id = "create_host", request_body = HostInput,
    responses((status = 201, body = Host), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    caller: ApiAdmin,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<HostInput>,
) -> Result<(StatusCode, Json<Host>), ApiError> {
    let region = region_at(&state.db, input.location_id, state.config.default_region).await?;
    let new = NewHost::parse(
        &input.name,
        &input.email,
        &input.phone,
        input.location_id,
        region,
    )?;
    let base_url = &state.config.public_url;
    let host = hosts::create_host(&state.db, new, &caller.actor, base_url).await?;
    Ok((StatusCode::CREATED, Json(host)))
}

#[utoipa::path(get, path = "/api/v1/hosts/{id}", tag = "hosts", operation_id = "get_host", params(("id" = i32, Path)),
    responses((status = 200, body = Host), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    _caller: ApiAdmin,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Host>, ApiError> {
    hosts::get_host(&state.db, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("There is no host with id {id}.")))
}

#[utoipa::path(patch, path = "/api/v1/hosts/{id}", tag = "hosts", operation_id = "update_host", request_body = HostPatch, params(("id" = i32, Path)),
    responses((status = 200, body = Host), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    caller: ApiAdmin,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiJson(patch): ApiJson<HostPatch>,
) -> Result<Json<Host>, ApiError> {
    // A number typed with a move is read in the country moved to.
    let fallback = state.config.default_region;
    let region = match patch.location_id {
        Some(moved_to) => region_at(&state.db, moved_to, fallback).await?,
        None => region_of_host(&state.db, id, fallback).await?,
    };
    let update = HostUpdate {
        name: patch
            .name
            .as_deref()
            .map(PersonName::parse)
            .transpose()
            .map_err(|m| ApiError::invalid("name", m))?,
        email: patch
            .email
            .as_deref()
            .map(EmailAddress::parse)
            .transpose()
            .map_err(|m| ApiError::invalid("email", m))?,
        phone: patch
            .phone
            .as_deref()
            .map(|p| PhoneNumber::parse(p, region))
            .transpose()
            .map_err(|m| ApiError::invalid("phone", m))?,
        location_id: patch.location_id,
        active: patch.active,
        reason: patch.reason.map(|r| r.chars().take(500).collect()),
    };
    hosts::update_host(
        &state.db,
        id,
        update,
        &caller.actor,
        &state.config.public_url,
    )
    .await
    .map(Json)
    .map_err(ApiError::from)
}
