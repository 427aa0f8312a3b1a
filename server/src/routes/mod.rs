//! The HTTP surface: Leptos pages and server functions, plus plain axum routes.

pub mod api;
mod form_errors;
mod health;
pub mod live;
pub mod security;
pub mod site;

use std::sync::Arc;

use app::ssr::auth::store::DbSessionStore;
use app::ssr::state::AppState;
use app::{shell, App};
use std::future::Future;
use std::pin::Pin;

use axum::body::Body;
use axum::http::Request;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{time, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

use form_errors::FormErrors;
use security::OriginPolicy;
use site::Site;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "frontdesk_session";

/// Every route, with the layers every request passes. `form_key` signs the errors
/// of forms posted without JS (see `form_errors`).
pub fn router(
    state: AppState,
    stop: CancellationToken,
    site: Site,
    form_key: &[u8; 32],
    request_timeout: std::time::Duration,
) -> Result<Router, hmac::digest::InvalidLength> {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let policy = Arc::new(OriginPolicy::from_public_url(&state.config.public_url));
    let form_errors = Arc::new(FormErrors::new(form_key, policy.clone())?);
    let hub = live::LiveHub::start(state.db.clone(), policy.clone(), stop);
    let sessions = &state.config.sessions;
    let idle = time::Duration::seconds(i64::try_from(sessions.idle.as_secs()).unwrap_or(i64::MAX));
    let session_layer = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(sessions.secure)
        .with_expiry(Expiry::OnInactivity(idle));
    Ok(Router::new()
        .route("/health", get(health::health))
        .route(
            "/api/v1/events",
            get(live::events).layer(axum::Extension(hub)),
        )
        .merge(api::router())
        // Also registers every server function, with AppState in its context.
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        .fallback(files_or_not_found(&state, site))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(from_fn_with_state(
                    policy.clone(),
                    security::security_headers,
                ))
                .layer(TimeoutLayer::with_status_code(
                    http::StatusCode::REQUEST_TIMEOUT,
                    request_timeout,
                ))
                // Before the session is read: a refused request touches nothing.
                .layer(from_fn_with_state(policy, security::refuse_cross_site))
                .layer(axum::middleware::from_fn(security::limit_body))
                .layer(from_fn_with_state(
                    form_errors,
                    form_errors::sign_form_errors,
                ))
                .layer(session_layer)
                .layer(axum::middleware::from_fn(
                    app::ssr::request::with_request_cache,
                )),
        )
        .with_state(state))
}

/// Whatever no route matched: a file of the site, else the app's own 404 page.
fn files_or_not_found(
    state: &AppState,
    site: Site,
) -> impl Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>>
       + Clone
       + Send
       + Sync
       + 'static {
    let site = Arc::new(site);
    let state = state.clone();
    move |request: Request<Body>| {
        let site = site.clone();
        let state = state.clone();
        Box::pin(async move {
            let path = request.uri().path().trim_start_matches('/');
            if let Some(response) = site.respond(request.method(), path, request.headers()) {
                return response;
            }
            let options = state.leptos_options.clone();
            let render = leptos_axum::render_app_async_with_context(
                move || provide_context(state.clone()),
                move || shell(options.clone()),
            );
            render(request).await
        })
    }
}

/// Pages whose last path segment is a secret (a guest's check-out link, the kiosk's
/// done screen); the log shows `:token` instead.
const SECRET_PATHS: [&str; 2] = ["/checkout/", "/kiosk/done/"];

/// The path as logged: secrets in it replaced.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    // The poster's link: the location is no secret, its code for the day is.
    if let Some((location, _code)) = path
        .strip_prefix("/arrive/")
        .and_then(|rest| rest.split_once('/'))
    {
        return format!("/arrive/{location}/:code").into();
    }
    match SECRET_PATHS
        .iter()
        .find(|prefix| path.starts_with(**prefix))
    {
        Some(prefix) => format!("{prefix}:token").into(),
        None => path.into(),
    }
}

/// One span per request. Only the path is recorded, without secrets: query strings
/// and some paths carry tokens.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
        request_id = %request_id,
    )
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn secrets_in_paths_are_not_logged_and_other_paths_are() {
        assert_eq!(loggable_path("/checkout/s3cr3t"), "/checkout/:token");
        assert_eq!(loggable_path("/kiosk/done/s3cr3t/x"), "/kiosk/done/:token");
        assert_eq!(loggable_path("/kiosk/check-in"), "/kiosk/check-in");
        assert_eq!(loggable_path("/arrive/3/abcd2345"), "/arrive/3/:code");
        assert_eq!(loggable_path("/arrive/3"), "/arrive/3");
        assert_eq!(loggable_path("/api/v1/visits/7"), "/api/v1/visits/7");
    }
}
