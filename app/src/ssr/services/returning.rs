//! A returning guest at a kiosk: what the tablet may show of them before and after
//! they prove who they are, since anyone can type anyone's phone number.

use chrono_tz::Tz;
use sea_orm::ConnectionTrait;

use super::guests::{self, GuestKey};
use crate::error::{AppError, FieldError};
use crate::ssr::auth::caller::Scope;
use crate::ssr::entities::visit;
use crate::ssr::kiosk_draft::{Draft, CONFIRM_TRIES};
use crate::ssr::time::local_clock;
use crate::types::{CheckInStep, GuestDetails};

/// What the details screen shows for the check-in under way.
pub async fn step(
    db: &impl ConnectionTrait,
    scope: Scope,
    draft: &Draft,
    zone: Tz,
) -> Result<CheckInStep, sea_orm::DbErr> {
    let visit = match draft.returning {
        Some(id) => guests::visit_in(db, scope, id).await?,
        None => None,
    };
    Ok(match visit {
        Some(visit) if draft.confirmed && visit.checked_out_at.is_none() => {
            CheckInStep::AlreadyHere {
                first_name: guests::hint(&visit).first_name,
                since: local_clock(visit.checked_in_at, zone),
            }
        }
        Some(visit) if draft.confirmed => CheckInStep::Details(guests::details(visit)),
        Some(visit) => CheckInStep::Confirm(guests::hint(&visit)),
        None => CheckInStep::Details(GuestDetails {
            phone: draft.phone.clone(),
            ..Default::default()
        }),
    })
}

/// Checks the returning guest's answer (their surname or e-mail address) and
/// records it in `draft`, which the caller keeps whatever the outcome. A wrong
/// answer is an error on the field while tries are left; after the last one the
/// guest goes on as a new guest, with an empty form.
pub async fn answer(
    db: &impl ConnectionTrait,
    scope: Scope,
    draft: &mut Draft,
    typed: &str,
) -> Result<(), AppError> {
    let Some(id) = draft.returning else {
        return Ok(());
    };
    let visit = guests::visit_in(db, scope, id).await?;
    if visit.is_some_and(|v| guests::confirms(&v, typed, true)) {
        draft.confirmed = true;
        return Ok(());
    }
    draft.wrong_answers += 1;
    if draft.wrong_answers >= CONFIRM_TRIES {
        draft.returning = None;
        return Ok(());
    }
    Err(FieldError::new(
        "answer",
        "That is not what we have. Check the spelling, or choose \"Not me\".",
    )
    .into())
}

/// The running visit of the guest who typed their number or address (`key`) and
/// surname at a kiosk. A wrong surname reads as nobody at all: it tells nothing.
pub async fn running_visit_named(
    db: &impl ConnectionTrait,
    scope: Scope,
    key: &GuestKey,
    surname: &str,
) -> Result<visit::Model, AppError> {
    if surname.trim().is_empty() {
        return Err(FieldError::new("surname", "Enter your surname (family name).").into());
    }
    guests::running_visit(db, scope, key)
        .await?
        .filter(|v| guests::confirms(v, surname, false))
        .ok_or_else(|| {
            FieldError::new(
                "contact",
                "Nobody with that number or address and surname is checked in here. \
                 Check what you typed, or ask at the desk.",
            )
            .into()
        })
}
