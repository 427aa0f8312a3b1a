//! Cross-site request refusal (CSRF) and the security headers every response carries.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api::error::ApiError;

/// What a same-site request may name as its `Origin`.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// The public URL's origin, e.g. `https://desk.example.com`.
    pub public_origin: String,
    /// The public URL's scheme, for origins built from the `Host` header.
    pub scheme: String,
    pub https: bool,
}

impl OriginPolicy {
    pub fn from_public_url(public_url: &str) -> Self {
        let parsed = url::Url::parse(public_url).ok();
        let scheme = parsed
            .as_ref()
            .map_or("http".to_string(), |u| u.scheme().to_string());
        Self {
            public_origin: parsed.map_or_else(
                || public_url.trim_end_matches('/').to_string(),
                |u| u.origin().ascii_serialization(),
            ),
            https: scheme == "https",
            scheme,
        }
    }
}

impl OriginPolicy {
    /// Whether a browser `Origin` is this site: the public URL's origin, or the
    /// origin of the `Host` the request was sent to.
    pub fn allows(&self, origin: &str, host: Option<&str>) -> bool {
        let own = host.map(|host| format!("{}://{host}", self.scheme));
        origin == self.public_origin || Some(origin) == own.as_deref()
    }
}

/// Refuses a state-changing request that a browser says came from another site.
/// Browsers send `Sec-Fetch-Site` and `Origin` on such requests and pages cannot
/// forge them; clients that send neither (scripts with a token) are not browsers
/// riding on a cookie, so they pass.
pub async fn refuse_cross_site(
    State(policy): State<Arc<OriginPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return refused();
        }
    }
    if let Some(origin) = text("origin") {
        if !policy.allows(origin, text("host")) {
            return refused();
        }
    }
    next.run(request).await
}

fn refused() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "cross_site",
        "This request came from another site and was refused. Use Frontdesk's own pages.",
    )
    .into_response()
}

/// The largest request body: every form and JSON body here is a few KB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A body longer than `MAX_BODY_BYTES` is answered 413 before anything reads it:
/// at once when its length is announced, else once that much has arrived (a few
/// KB are read into memory here, which every handler would do anyway).
pub async fn limit_body(request: Request, next: Next) -> Response {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The request body is larger than 64 KiB.",
        )
        .into_response()
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        // Longer than the limit, or the client stopped sending: nothing to serve.
        return too_large();
    };
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// Headers for every response. Pages set their own CSP (with the script nonce) while
/// rendering; everything else gets one that allows nothing.
pub async fn security_headers(
    State(policy): State<Arc<OriginPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        ));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if policy.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_origin_drops_path_and_default_port() {
        let policy = OriginPolicy::from_public_url("https://desk.example.com:443/app/");
        assert_eq!(policy.public_origin, "https://desk.example.com");
        assert!(policy.https);
        let local = OriginPolicy::from_public_url("http://127.0.0.1:3000");
        assert_eq!(local.public_origin, "http://127.0.0.1:3000");
        assert!(!local.https);
    }
}
