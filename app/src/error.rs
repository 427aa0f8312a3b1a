//! The one error type server functions return, and the one template that renders it.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Bad input in one field: what to fix, next to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We could not find that page.")]
    NotFound,
    #[error("The database is not answering right now. Please try again in a moment.")]
    DatabaseUnavailable,
    #[error("Something went wrong on our side. It has been logged; please try again.")]
    Internal,
    /// The request never reached our code, or its answer never came back.
    #[error("Frontdesk could not be reached: {0}")]
    Transport(String),
    /// Bad input in one field; the form shows it next to that field.
    #[error("{}", .0.message)]
    Invalid(FieldError),
    /// A request we understood and refuse, with the reason in words for the user.
    #[error("{0}")]
    Refused(String),
    #[error("Too many attempts. Try again in {0} s.")]
    TooManyAttempts(u64),
    #[error("The server is busy right now. Please try again in a few seconds.")]
    Busy,
    #[error("Please log in to continue.")]
    LoginRequired,
    #[error("Your account may not do that.")]
    Forbidden,
}

/// On the server, like every conversion into `AppError` (`ssr::errors`), this also
/// sets the response status (422), so `?` on a parse result is all a server function
/// needs.
impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        let error = AppError::Invalid(error);
        #[cfg(feature = "ssr")]
        let error = crate::ssr::request::fail(error);
        error
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The form's fields could not be read (missing, doubled, not a number):
            // the sender's mistake, so a 4xx, never "our side failed".
            ServerFnErrorErr::Args(message) => FieldError::new(
                "form",
                format!("This form could not be read ({message}). Reload the page and try again."),
            )
            .into(),
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl AppError {
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Not found",
            AppError::DatabaseUnavailable => "Service unavailable",
            AppError::Internal => "Unexpected error",
            AppError::Transport(_) => "Connection problem",
            AppError::Invalid(_) => "Please check the form",
            AppError::Refused(_) => "Could not do that",
            AppError::TooManyAttempts(_) => "Slow down",
            AppError::Busy => "Busy",
            AppError::LoginRequired => "Log in required",
            AppError::Forbidden => "Not allowed",
        }
    }

    /// The field this error belongs to, if any (forms show it next to that field).
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid(error) => Some(&error.field),
            _ => None,
        }
    }
}

/// Renders whatever an `ErrorBoundary` caught. Errors that are not ours (they should
/// not happen) are shown by their message, never hidden.
#[component]
pub fn ErrorTemplate(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let list = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| {
                let (title, message) = match error.downcast_ref::<AppError>() {
                    Some(app) => (app.title().to_string(), app.to_string()),
                    None => ("Something went wrong".to_string(), error.to_string()),
                };
                view! {
                    <div class="alert alert-error" role="alert">
                        <strong class="alert-title">{title}</strong>
                        <p class="alert-message">{message}</p>
                    </div>
                }
            })
            .collect_view()
    };
    view! { <div class="error-list">{list}</div> }
}

/// One failed form submission: what went wrong, next to the form.
#[component]
pub fn FormError(error: AppError) -> impl IntoView {
    let field = error.field().map(str::to_string);
    view! {
        <div class="alert alert-error" role="alert" data-field=field>
            <strong class="alert-title">{error.title()}</strong>
            <p class="alert-message">{error.to_string()}</p>
        </div>
    }
}

/// A page whose heading comes from its data: when loading fails, the error gets a
/// heading of its own (every page has one `<h1>`).
#[component]
pub fn PageError(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <h1>"Not available"</h1>
        <ErrorTemplate errors/>
    }
}
