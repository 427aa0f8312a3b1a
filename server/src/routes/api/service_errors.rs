//! Every service error as the JSON API answers it, mapped once, so handlers use `?`.
//! The server functions' mapping is `app::ssr::errors`.

use axum::http::StatusCode;

use app::ssr::services::export::FilterError;
use app::ssr::services::hosts::HostWriteError;
use app::ssr::services::locations::UpdateLocationError;
use app::ssr::services::visits::{CheckInError, CheckOutError};

use super::error::ApiError;

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        Self::unexpected(error)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::unexpected(error)
    }
}

impl From<HostWriteError> for ApiError {
    fn from(error: HostWriteError) -> Self {
        match error {
            e @ HostWriteError::NotFound(_) => Self::not_found(e.to_string()),
            e @ HostWriteError::UnknownLocation(_) => Self::invalid("location_id", e.to_string()),
            e @ HostWriteError::EmailTaken(_) => Self::conflict(e.to_string()).field("email"),
            HostWriteError::Unexpected(e) => Self::unexpected(e),
        }
    }
}

impl From<CheckInError> for ApiError {
    fn from(error: CheckInError) -> Self {
        match error {
            e @ (CheckInError::UnknownHost(_)
            | CheckInError::HostInactive(_)
            | CheckInError::NotHere) => Self::invalid("host_id", e.to_string()),
            e @ CheckInError::AlreadyCheckedIn => Self::conflict(e.to_string()),
            e @ (CheckInError::Forbidden | CheckInError::InPersonOnly) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", e.to_string())
            }
            CheckInError::Unexpected(e) => Self::unexpected(e),
        }
    }
}

impl From<CheckOutError> for ApiError {
    fn from(error: CheckOutError) -> Self {
        match error {
            e @ (CheckOutError::UnknownVisit(_) | CheckOutError::UnknownToken) => {
                Self::not_found(e.to_string())
            }
            e @ (CheckOutError::AlreadyCheckedOut | CheckOutError::LinkExpired) => {
                Self::conflict(e.to_string())
            }
            CheckOutError::Unexpected(e) => Self::unexpected(e),
        }
    }
}

impl From<UpdateLocationError> for ApiError {
    fn from(error: UpdateLocationError) -> Self {
        match error {
            e @ UpdateLocationError::NotFound(_) => Self::not_found(e.to_string()),
            UpdateLocationError::Unexpected(e) => Self::unexpected(e),
        }
    }
}

impl From<FilterError> for ApiError {
    fn from(error: FilterError) -> Self {
        match error {
            FilterError::Invalid(field) => Self::from(field),
            FilterError::Unexpected(e) => Self::unexpected(e),
        }
    }
}
