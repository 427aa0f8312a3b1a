//! Every service error as server functions answer it, mapped once. Each conversion
//! also sets the response status (`request::fail`), so a server function can just
//! use `?`. The JSON API has its own mapping (`server::routes::api::error`).

use crate::error::{AppError, FieldError};
use crate::ssr::auth::limits::Throttled;
use crate::ssr::request::{fail, fail_with, internal};
use crate::ssr::services::accounts::{
    EmailChangeError, LinkError, LogInError, PasswordChangeError, SignUpError,
};
use crate::ssr::services::arrival_codes::CodeError;
use crate::ssr::services::arrivals::ArrivalError;
use crate::ssr::services::export::FilterError;
use crate::ssr::services::hosts::{HostWriteError, ResendError};
use crate::ssr::services::kiosks::{KioskError, PairError};
use crate::ssr::services::locations::UpdateLocationError;
use crate::ssr::services::setup::SetupError;
use crate::ssr::services::visits::{CheckInError, CheckOutError};

fn invalid(field: &str, error: impl ToString) -> AppError {
    fail(AppError::Invalid(FieldError::new(field, error.to_string())))
}

fn refused(error: impl ToString) -> AppError {
    fail(AppError::Refused(error.to_string()))
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        internal(error)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        internal(error)
    }
}

impl From<Throttled> for AppError {
    fn from(t: Throttled) -> Self {
        fail(AppError::TooManyAttempts(t.retry_after_secs))
    }
}

impl From<SignUpError> for AppError {
    fn from(error: SignUpError) -> Self {
        match error {
            e @ SignUpError::UnknownLocation(_) => invalid("location_id", e),
            SignUpError::Unexpected(e) => internal(e),
        }
    }
}

impl From<LinkError> for AppError {
    fn from(error: LinkError) -> Self {
        match error {
            e @ LinkError::Stale => refused(e),
            e @ LinkError::EmailTaken(_) => refused(e),
            LinkError::Invalid(e) => fail(AppError::Invalid(e)),
            LinkError::Unexpected(e) => internal(e),
        }
    }
}

impl From<EmailChangeError> for AppError {
    fn from(error: EmailChangeError) -> Self {
        match error {
            e @ EmailChangeError::WrongCurrent => invalid("current", e),
            e @ EmailChangeError::Same => invalid("email", e),
            EmailChangeError::Unexpected(e) => internal(e),
        }
    }
}

impl From<ResendError> for AppError {
    fn from(error: ResendError) -> Self {
        match error {
            ResendError::NotFound(_) => fail(AppError::NotFound),
            e @ ResendError::NotInvited(_) => refused(e),
            ResendError::Unexpected(e) => internal(e),
        }
    }
}

impl From<LogInError> for AppError {
    fn from(error: LogInError) -> Self {
        match error {
            LogInError::Unexpected(e) => internal(e),
            e => refused(e),
        }
    }
}

impl From<PasswordChangeError> for AppError {
    fn from(error: PasswordChangeError) -> Self {
        match error {
            e @ PasswordChangeError::WrongCurrent => invalid("current", e),
            PasswordChangeError::Unexpected(e) => internal(e),
        }
    }
}

impl From<HostWriteError> for AppError {
    fn from(error: HostWriteError) -> Self {
        match error {
            HostWriteError::NotFound(_) => fail(AppError::NotFound),
            e @ HostWriteError::UnknownLocation(_) => invalid("location_id", e),
            e @ HostWriteError::EmailTaken(_) => invalid("email", e),
            HostWriteError::Unexpected(e) => internal(e),
        }
    }
}

impl From<CheckInError> for AppError {
    fn from(error: CheckInError) -> Self {
        match error {
            e @ (CheckInError::UnknownHost(_)
            | CheckInError::HostInactive(_)
            | CheckInError::NotHere) => invalid("host_id", e),
            e @ (CheckInError::AlreadyCheckedIn
            | CheckInError::Forbidden
            | CheckInError::InPersonOnly) => refused(e),
            CheckInError::Unexpected(e) => internal(e),
        }
    }
}

impl From<CheckOutError> for AppError {
    fn from(error: CheckOutError) -> Self {
        match error {
            // Another person's visit is "not found", never "forbidden".
            CheckOutError::UnknownVisit(_) | CheckOutError::UnknownToken => {
                fail(AppError::NotFound)
            }
            e @ (CheckOutError::AlreadyCheckedOut | CheckOutError::LinkExpired) => refused(e),
            CheckOutError::Unexpected(e) => internal(e),
        }
    }
}

impl From<KioskError> for AppError {
    fn from(error: KioskError) -> Self {
        match error {
            KioskError::NotFound(_) => fail(AppError::NotFound),
            e @ KioskError::UnknownLocation(_) => invalid("location_id", e),
            KioskError::Unexpected(e) => internal(e),
        }
    }
}

impl From<PairError> for AppError {
    fn from(error: PairError) -> Self {
        match error {
            e @ PairError::InvalidCode => invalid("code", e),
            PairError::Unexpected(e) => internal(e),
        }
    }
}

impl From<UpdateLocationError> for AppError {
    fn from(error: UpdateLocationError) -> Self {
        match error {
            UpdateLocationError::NotFound(_) => fail(AppError::NotFound),
            UpdateLocationError::Unexpected(e) => internal(e),
        }
    }
}

impl From<FilterError> for AppError {
    fn from(error: FilterError) -> Self {
        match error {
            FilterError::Invalid(e) => fail(AppError::Invalid(e)),
            FilterError::Unexpected(e) => internal(e),
        }
    }
}

impl From<SetupError> for AppError {
    fn from(error: SetupError) -> Self {
        match error {
            // Once an admin exists the page is gone (404); a wrong link is refused (403).
            SetupError::Done => fail(AppError::NotFound),
            e @ SetupError::WrongToken => fail_with(
                AppError::Refused(e.to_string()),
                http::StatusCode::FORBIDDEN,
            ),
            e @ SetupError::EmailTaken => invalid("email", e),
            SetupError::Unexpected(e) => internal(e),
        }
    }
}

impl From<CodeError> for AppError {
    fn from(error: CodeError) -> Self {
        match error {
            CodeError::Unexpected(e) => internal(e),
            e => refused(e),
        }
    }
}

impl From<ArrivalError> for AppError {
    fn from(error: ArrivalError) -> Self {
        match error {
            ArrivalError::Code(e) => e.into(),
            ArrivalError::CheckIn(e) => e.into(),
            ArrivalError::Field(e) => fail(AppError::Invalid(e)),
            ArrivalError::Throttled(t) => t.into(),
            ArrivalError::Unexpected(e) => internal(e),
        }
    }
}
