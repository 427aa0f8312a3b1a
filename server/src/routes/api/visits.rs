use app::ssr::services::visits::{self, NewVisit, Visit, VisitFilter, VisitRef, VisitStatus};
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
    pub name: String,
    pub email: String,
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
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    pub status: Option<StatusFilter>,
    pub host_id: Option<i32>,
    pub location_id: Option<i32>,
    /// The `next` of the previous page.
    pub cursor: Option<i32>,
    /// 1–200, default 50.
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VisitList {
    pub items: Vec<Visit>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/visits", tag = "visits", request_body = VisitInput,
    responses((status = 201, body = Visit), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn check_in(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<VisitInput>,
) -> Result<(StatusCode, Json<Visit>), ApiError> {
    let new = NewVisit::parse(
        &input.name,
        &input.email,
        &input.phone,
        input.host_id,
        state.config.default_region,
    )?;
    let visit = visits::check_in(&state.db, new, &state.config.public_url, &caller).await?;
    Ok((StatusCode::CREATED, Json(visit)))
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/checkout", tag = "visits", params(("id" = i32, Path)),
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

#[utoipa::path(get, path = "/api/v1/visits", tag = "visits", params(VisitQuery),
    responses((status = 200, body = VisitList), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<VisitQuery>,
) -> Result<Json<VisitList>, ApiError> {
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
        limit: query.limit.unwrap_or(50),
    };
    let page = visits::list_visits(&state.db, filter).await?;
    Ok(Json(VisitList {
        items: page.items,
        next: page.next,
    }))
}

#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "visits", params(("id" = i32, Path)),
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
