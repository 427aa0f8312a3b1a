use app::ssr::services::regions::region_of_host;
use app::ssr::services::visits::{
    self, NewVisit, Visit, VisitFilter, VisitRef, VisitSource, VisitStatus,
};
use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::auth::ApiCaller;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    /// The guest's name.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 40)]
    pub phone: String,
    pub host_id: i32,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusFilter {
    Running,
    Past,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    pub status: Option<StatusFilter>,
    pub host_id: Option<i32>,
    pub location_id: Option<i32>,
    /// The `next` of the previous page.
    pub cursor: Option<i32>,
    /// Visits per page, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VisitList {
    pub items: Vec<Visit>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/visits", tag = "visits", operation_id = "check_in", request_body = VisitInput,
    responses((status = 201, body = Visit), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn check_in(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<VisitInput>,
) -> Result<(StatusCode, Json<Visit>), ApiError> {
    let fallback = state.config.default_region;
    let region = region_of_host(&state.db, input.host_id, fallback).await?;
    let new = NewVisit::parse(
        &input.name,
        &input.email,
        &input.phone,
        input.host_id,
        region,
        VisitSource::Api,
    )?;
    // Integrations with a token may import in bulk; people and kiosks may not.
    if !caller.by_token() {
        let (email, phone) = (new.guest.email.as_str(), new.guest.phone.as_str());
        state.limits.check_check_in(&caller.actor.0, email, phone)?;
    }
    let (visit, _) = visits::check_in(&state.db, new, &state.config.public_url, &caller).await?;
    Ok((StatusCode::CREATED, Json(visit)))
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/checkout", tag = "visits", operation_id = "check_out", params(("id" = i32, Path)),
    responses((status = 200, body = Visit), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn check_out(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Visit>, ApiError> {
    let visit = visits::check_out(&state.db, VisitRef::Id(id, caller.scope), &caller.actor).await?;
    Ok(Json(visit))
}

#[utoipa::path(get, path = "/api/v1/visits", tag = "visits", operation_id = "list_visits", params(VisitQuery),
    responses((status = 200, body = VisitList), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<VisitQuery>,
) -> Result<Json<VisitList>, ApiError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "Ask for 1 to 200 visits per page.",
        ));
    }
    let filter = VisitFilter {
        scope: Some(caller.scope),
        status: query.status.map(|s| match s {
            StatusFilter::Running => VisitStatus::Running,
            StatusFilter::Past => VisitStatus::CheckedOut,
        }),
        host_id: query.host_id,
        location_id: query.location_id,
        from: None,
        until: None,
        before: query.cursor,
        limit,
    };
    let page = visits::list_visits(&state.db, filter).await?;
    Ok(Json(VisitList {
        items: page.items,
        next: page.next,
    }))
}

#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "visits", operation_id = "get_visit", params(("id" = i32, Path)),
    responses((status = 200, body = Visit), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Visit>, ApiError> {
    // Another host's visit answers exactly like one that does not exist.
    visits::get_visit(&state.db, id, caller.scope)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("There is no visit with id {id}.")))
}
