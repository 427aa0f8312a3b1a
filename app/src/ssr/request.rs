//! What server functions ask of the request they serve: the session, the account
//! logged in on it, and an HTTP status that matches an error.

use std::sync::Arc;

use http::StatusCode;
use leptos::prelude::*;
use tower_sessions::Session;

use crate::error::AppError;
use crate::ssr::auth::caller::{Account, Role};
use crate::ssr::auth::hashers::Busy;
use crate::ssr::auth::limits::client_ip;
use crate::ssr::auth::session;
use crate::ssr::state::{app_state, AppState};

/// Sets the response status that fits `error` and hands it back, so that scripts
/// see a 4xx, not a 500. A plain HTML form post (no JS) keeps leptos_axum's
/// redirect back to the form instead: a 4xx there would show the browser raw JSON.
pub fn fail(error: AppError) -> AppError {
    let status = match &error {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Refused(_) => StatusCode::CONFLICT,
        AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
        // 429 with the other "try again soon" answers: the server is fine, just full.
        AppError::Busy => StatusCode::TOO_MANY_REQUESTS,
        AppError::LoginRequired => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
    };
    fail_with(error, status)
}

/// `fail` with a status of the caller's choosing.
pub fn fail_with(error: AppError, status: StatusCode) -> AppError {
    if is_plain_form_post() {
        return error;
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    error
}

fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Logs an unexpected failure with its whole chain of causes (never any of it to
/// the user) and returns `Internal`.
pub fn internal(error: impl Into<anyhow::Error>) -> AppError {
    let error = error.into();
    // Not a failure: the password-check queue is full for a moment.
    if error.chain().any(|cause| cause.is::<Busy>()) {
        tracing::warn!("refused a request: the password-check queue is full");
        return fail(AppError::Busy);
    }
    tracing::error!(error = %format!("{error:#}"), "request failed");
    fail(AppError::Internal)
}

/// For pages whose URL holds a one-time secret (setup, e-mailed links) and every
/// private page: no cache keeps them. (The referrer policy stays strict-origin-when-cross-origin: no other
/// site sees the path, and a refused form without JS finds its way back by the
/// Referer.)
pub fn keep_out_of_caches() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(internal)
}

/// The address the request came from (behind a proxy: `client_ip_header`).
pub async fn client_address(state: &AppState) -> Result<std::net::IpAddr, AppError> {
    let parts: http::request::Parts = leptos_axum::extract().await.map_err(internal)?;
    Ok(client_ip(&parts, state.config.client_ip_header.as_deref()))
}

/// What one HTTP request has already read, shared by everything that serves it:
/// the nav, the page's data and its server functions all ask for the account, and
/// each ask would otherwise be a query. `with_request_cache` puts a fresh one on
/// every request; leptos_axum hands the request's extensions to the context.
#[derive(Clone, Default)]
pub struct RequestCache {
    account: Arc<tokio::sync::Mutex<Option<Option<Account>>>>,
}

/// Middleware: a fresh `RequestCache` per request, so nothing outlives it.
pub async fn with_request_cache(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request.extensions_mut().insert(RequestCache::default());
    next.run(request).await
}

fn request_cache() -> Option<RequestCache> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestCache>().cloned())
}

/// The account logged in on this request's session, if any. Read once per request.
pub async fn current_account() -> Result<Option<Account>, AppError> {
    let Some(cache) = request_cache() else {
        return read_account().await;
    };
    // Held across the read: concurrent resources of one page wait for one query.
    let mut known = cache.account.lock().await;
    if let Some(account) = known.as_ref() {
        return Ok(account.clone());
    }
    let account = read_account().await?;
    *known = Some(account.clone());
    Ok(account)
}

/// After logging in or out: the account read earlier in this request is stale.
pub async fn forget_account() {
    if let Some(cache) = request_cache() {
        *cache.account.lock().await = None;
    }
}

async fn read_account() -> Result<Option<Account>, AppError> {
    let state = app_state()?;
    let session = session().await?;
    session::account(&session, &state.db, state.config.sessions.absolute)
        .await
        .map_err(internal)
}

/// The log-in chooser, with the page being loaded as `next` (not for server
/// function calls: their URL is no page to return to).
fn login_url() -> String {
    let page = use_context::<http::request::Parts>()
        .filter(|parts| parts.method == http::Method::GET)
        .and_then(|parts| parts.uri.path_and_query().map(|p| p.as_str().to_string()));
    match page.as_deref().and_then(crate::types::same_site_path) {
        Some(next) => format!("/login?next={}", crate::types::url_encode(next)),
        None => "/login".to_string(),
    }
}

/// The logged-in account, if its role is one of `roles`. Anonymous callers are sent
/// to the log-in chooser (a redirect for pages, 401 with a Location for scripts).
pub async fn require(roles: &[Role]) -> Result<(AppState, Account), AppError> {
    let state = app_state()?;
    // A private page must not outlive its session in a cache: after logging out,
    // Back would show the last person's visitors again (and bfcache skips no-store).
    keep_out_of_caches();
    match current_account().await? {
        Some(account) if roles.contains(&account.role) => Ok((state, account)),
        Some(_) => Err(fail(AppError::Forbidden)),
        None => {
            let error = fail(AppError::LoginRequired);
            // After `fail`: a page load (Accept: text/html) becomes a 302 to the log-in,
            // which returns to this page afterwards.
            leptos_axum::redirect(&login_url());
            Err(error)
        }
    }
}
