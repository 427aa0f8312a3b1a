//! The JSON API for integrations, under /api/v1 (Bearer tokens, admin scope).

pub mod auth;
pub use auth::ApiCaller;
pub mod error;
mod export;
pub mod extract;
mod hosts;
mod locations;
pub mod openapi;
mod service_errors;
mod visits;

use app::ssr::state::AppState;
use axum::routing::{get, patch, post};
use axum::Router;

use error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route(
            "/api/v1/locations",
            get(locations::list).post(locations::create),
        )
        .route("/api/v1/locations/{id}", patch(locations::update))
        .route("/api/v1/hosts", get(hosts::list).post(hosts::create))
        .route("/api/v1/hosts/{id}", get(hosts::get).patch(hosts::update))
        .route("/api/v1/visits", get(visits::list).post(visits::check_in))
        .route("/api/v1/visits.csv", get(export::visits_csv))
        .route("/api/v1/visits/{id}", get(visits::get))
        .route("/api/v1/visits/{id}/checkout", post(visits::check_out))
        .route("/api/v1/{*rest}", axum::routing::any(unknown_route))
        .layer(axum::middleware::map_response(no_store))
}

/// Answers hold people's contact details, per caller: no cache may keep them.
async fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    response
        .headers_mut()
        .entry(axum::http::header::CACHE_CONTROL)
        .or_insert(axum::http::HeaderValue::from_static("no-store"));
    response
}

async fn unknown_route() -> ApiError {
    ApiError::not_found("There is no such API route; see /api/v1/openapi.json.")
}
