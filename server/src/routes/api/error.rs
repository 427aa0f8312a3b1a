//! The API's one error shape: `{"error": {"code", "message", "field"}}` with a 4xx/5xx.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use app::error::FieldError;
use app::ssr::auth::hashers::Busy;
use app::ssr::auth::limits::Throttled;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `invalid`, `not_found`, `conflict`, `unauthorized`, ...
    pub code: &'static str,
    /// What went wrong and what to do about it, for people.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
    /// For 429: sent as `Retry-After`.
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            detail: ErrorDetail {
                code,
                message: message.into(),
                field: None,
            },
            retry_after_secs: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.detail.field = Some(field.into());
        self
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).field(field)
    }

    /// Logs the cause; the caller learns only that it was our fault.
    pub fn unexpected(error: impl Into<anyhow::Error>) -> Self {
        let error = error.into();
        if error.chain().any(|cause| cause.is::<Busy>()) {
            let mut busy = Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "busy",
                "The server is busy right now. Please try again in a few seconds.",
            );
            busy.retry_after_secs = Some(2);
            return busy;
        }
        tracing::error!(error = %format!("{error:#}"), "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. It has been logged; please try again.",
        )
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::invalid(&e.field, e.message)
    }
}

impl From<Throttled> for ApiError {
    fn from(t: Throttled) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            format!("Too many attempts. Try again in {} s.", t.retry_after_secs),
        );
        error.retry_after_secs = Some(t.retry_after_secs);
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.detail })).into_response();
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with the header Content-Type: application/json.",
            ),
            JsonRejection::JsonSyntaxError(e) => Self::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!(
                    "The body is not valid JSON: {}",
                    serde_cause(&e.body_text())
                ),
            ),
            JsonRejection::JsonDataError(e) => {
                let cause = serde_cause(&e.body_text());
                let error = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    format!("The body does not fit: {cause}"),
                );
                match field_of(&cause) {
                    Some(field) => error.field(field),
                    None => error,
                }
            }
            other => Self::new(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No such resource: {}", rejection.body_text()),
        )
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        let cause = serde_cause(&rejection.body_text());
        let error = Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("The query string does not fit: {cause}"),
        );
        match field_of(&cause) {
            Some(field) => error.field(field),
            None => error,
        }
    }
}

/// axum prefixes serde's message with its own sentence; keep serde's part.
fn serde_cause(text: &str) -> String {
    match text.split_once(": ") {
        Some((prefix, rest)) if prefix.starts_with("Failed to") => rest.to_string(),
        _ => text.to_string(),
    }
}

/// The field serde complained about: "missing field `x`", "unknown field `x`", or a
/// path prefix "x: invalid type ...".
fn field_of(cause: &str) -> Option<String> {
    for marker in ["missing field `", "unknown field `"] {
        if let Some(rest) = cause.split(marker).nth(1) {
            return rest.split('`').next().map(str::to_string);
        }
    }
    let (path, _) = cause.split_once(": ")?;
    let plausible = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c));
    plausible.then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn the_field_is_found_in_serde_messages() {
        assert_eq!(
            field_of("missing field `name` at line 1 column 2").as_deref(),
            Some("name")
        );
        assert_eq!(
            field_of("unknown field `nmae`, expected one of ...").as_deref(),
            Some("nmae")
        );
        assert_eq!(
            field_of("host_id: invalid type: string \"x\", expected i32").as_deref(),
            Some("host_id")
        );
        assert_eq!(field_of("expected value at line 1 column 1"), None);
    }
}
