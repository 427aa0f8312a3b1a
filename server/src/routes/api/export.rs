//! The entries log as a CSV download (admins and API tokens).

use app::ssr::services::export;
use app::ssr::state::AppState;
use app::types::EntryQuery;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::auth::ApiAdmin;
use super::error::ApiError;
use super::extract::ApiQuery;

/// One row per visit matching the filters (all of them, not one page), oldest last.
#[utoipa::path(get, path = "/api/v1/visits.csv", tag = "visits", operation_id = "export_visits_csv", params(EntryQuery),
    responses(
        (status = 200, description = "RFC 4180 CSV, UTF-8 with a byte-order mark", content_type = "text/csv")),
    security(("bearer" = [])))]
pub async fn visits_csv(
    caller: ApiAdmin,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<EntryQuery>,
) -> Result<Response, ApiError> {
    let filter = export::filter_of(&state.db, &query, caller.scope).await?;
    let body = export::csv(&state.db, filter).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"frontdesk-entries.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
