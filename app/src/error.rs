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
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Not found",
            AppError::DatabaseUnavailable => "Service unavailable",
            AppError::Internal => "Unexpected error",
            AppError::Transport(_) => "Connection problem",
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
