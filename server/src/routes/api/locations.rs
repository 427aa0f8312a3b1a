use app::ssr::domain::{Address, Country, LocationName, TimeZone};
use app::ssr::services::locations::{self, Location, LocationUpdate, NewLocation};
use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::auth::{ApiAdmin, ApiCaller};
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(min_length = 1, max_length = 500)]
    pub address: String,
    /// IANA name, e.g. "Asia/Kolkata".
    #[schema(min_length = 1, max_length = 64)]
    pub time_zone: String,
    /// ISO 3166-1 alpha-2, e.g. "IN".
    #[serde(default)]
    #[schema(min_length = 2, max_length = 2)]
    pub country: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    pub address: Option<String>,
    #[schema(min_length = 1, max_length = 64)]
    pub time_zone: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. "IN".
    #[schema(min_length = 2, max_length = 2)]
    pub country: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LocationList {
    pub items: Vec<Location>,
    pub next: Option<i32>,
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "locations", operation_id = "list_locations",
    responses((status = 200, body = LocationList)),
    security(("bearer" = [])))]
pub async fn list(
    _caller: ApiCaller,
    State(state): State<AppState>,
) -> Result<Json<LocationList>, ApiError> {
    let items = locations::list_locations(&state.db).await?;
    Ok(Json(LocationList { items, next: None }))
}

#[utoipa::path(post, path = "/api/v1/locations", tag = "locations", operation_id = "create_location", request_body = LocationInput,
    responses((status = 201, body = Location)),
    security(("bearer" = [])))]
pub async fn create(
    caller: ApiAdmin,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<LocationInput>,
) -> Result<(StatusCode, Json<Location>), ApiError> {
    let mut new = NewLocation::parse(&input.name, &input.address, &input.time_zone)?;
    if let Some(country) = &input.country {
        new = new.in_country("country", country)?;
    }
    let location = locations::create_location(&state.db, new, &caller.actor).await?;
    Ok((StatusCode::CREATED, Json(location)))
}

#[utoipa::path(patch, path = "/api/v1/locations/{id}", tag = "locations", operation_id = "update_location", request_body = LocationPatch,
    params(("id" = i32, Path)),
    responses((status = 200, body = Location), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    caller: ApiAdmin,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiJson(patch): ApiJson<LocationPatch>,
) -> Result<Json<Location>, ApiError> {
    let update = LocationUpdate {
        name: patch
            .name
            .as_deref()
            .map(LocationName::parse)
            .transpose()
            .map_err(|m| ApiError::invalid("name", m))?,
        address: patch
            .address
            .as_deref()
            .map(Address::parse)
            .transpose()
            .map_err(|m| ApiError::invalid("address", m))?,
        time_zone: patch
            .time_zone
            .as_deref()
            .map(TimeZone::parse)
            .transpose()
            .map_err(|m| ApiError::invalid("time_zone", m))?,
        country: patch
            .country
            .as_deref()
            .map(Country::parse)
            .transpose()
            .map_err(|m| ApiError::invalid("country", m))?,
        active: patch.active,
    };
    let location = locations::update_location(&state.db, id, update, &caller.actor).await?;
    Ok(Json(location))
}
