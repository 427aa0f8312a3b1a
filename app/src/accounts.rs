//! Server functions for accounts: sign-up, log-in, log-out, settings.
//! Each checks who is asking itself; hiding a link is never the protection.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The logged-in account, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// `admin`, `host` or `visitor`.
    pub role: String,
}

impl Me {
    /// Where this account starts after logging in.
    pub fn home(&self) -> &'static str {
        home_of(&self.role)
    }
}

pub fn home_of(role: &str) -> &'static str {
    match role {
        "admin" => "/admin",
        "host" => "/host",
        _ => "/visitor",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationChoice {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignUpOutcome {
    LoggedIn,
    /// A host account that waits for an admin's approval.
    AwaitingApproval,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::error::AppError;
    use crate::ssr::auth::limits::client_ip;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::accounts::Door;
    use crate::ssr::state::AppState;

    pub fn door(value: &str) -> Result<Door, AppError> {
        match value {
            "visitor" => Ok(Door::Visitor),
            "host" => Ok(Door::Host),
            _ => Err(fail(AppError::Refused(
                "Unknown door: use the visitor or the host log-in page.".into(),
            ))),
        }
    }

    pub async fn ip(state: &AppState) -> Result<std::net::IpAddr, AppError> {
        let parts: http::request::Parts = leptos_axum::extract().await.map_err(internal)?;
        Ok(client_ip(&parts, state.config.client_ip_header.as_deref()))
    }

    pub fn me(account: &crate::ssr::services::accounts::Account) -> super::Me {
        super::Me {
            name: account.name.clone(),
            email: account.email.clone(),
            phone: account.phone.clone(),
            role: account.role.as_str().to_string(),
        }
    }
}

#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    let account = crate::ssr::request::current_account().await?;
    Ok(account.as_ref().map(server::me))
}

/// The logged-in account for the settings page; anonymous callers go to log in.
#[server(endpoint = "my_account")]
pub async fn my_account() -> Result<Me, AppError> {
    use crate::ssr::services::accounts::Role;
    let (_, account) =
        crate::ssr::request::require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    Ok(server::me(&account))
}

#[server(endpoint = "log_in")]
pub async fn log_in(door: String, email: String, password: String) -> Result<(), AppError> {
    use crate::ssr::auth::session;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::accounts::{self, LogInError};

    let state = crate::ssr::state::app_state()?;
    let door = server::door(&door)?;
    let ip = server::ip(&state).await?;
    state
        .limits
        .check_login(ip, &email)
        .map_err(|t| fail(AppError::TooManyAttempts(t.retry_after_secs)))?;
    let account = match accounts::log_in(&state.db, &state.passwords, door, &email, &password).await
    {
        Ok(account) => account,
        Err(LogInError::Unexpected(e)) => return Err(internal(e)),
        Err(e) => return Err(fail(AppError::Refused(e.to_string()))),
    };
    let session = crate::ssr::request::session().await?;
    session::begin(&session, &account).await.map_err(internal)?;
    crate::ssr::request::forget_account().await;
    leptos_axum::redirect(home_of(account.role.as_str()));
    Ok(())
}

#[server(endpoint = "sign_up")]
pub async fn sign_up(
    door: String,
    name: String,
    email: String,
    phone: String,
    password: String,
    #[server(default)] location_id: Option<String>,
) -> Result<SignUpOutcome, AppError> {
    use crate::error::FieldError;
    use crate::ssr::auth::session;
    use crate::ssr::request::{fail, internal};
    use crate::ssr::services::accounts::{self, SignUp, SignUpError};

    let state = crate::ssr::state::app_state()?;
    let door = server::door(&door)?;
    let location_id = match location_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(id.parse::<i32>().map_err(|_| {
            fail(AppError::Invalid(FieldError::new(
                "location_id",
                "Choose a location from the list.",
            )))
        })?),
    };
    let form = SignUp::parse(
        door,
        &name,
        &email,
        &phone,
        &password,
        location_id,
        state.config.default_region,
    )
    .map_err(|e| fail(e.into()))?;
    let ip = server::ip(&state).await?;
    state
        .limits
        .check_signup(ip)
        .map_err(|t| fail(AppError::TooManyAttempts(t.retry_after_secs)))?;
    let signed_up = match accounts::sign_up(
        &state.db,
        &state.passwords,
        door,
        form,
        &state.config.allowed_host_domains,
    )
    .await
    {
        Ok(done) => done,
        Err(e @ SignUpError::EmailTaken(_)) => {
            return Err(fail(AppError::Invalid(FieldError::new(
                "email",
                e.to_string(),
            ))))
        }
        Err(e @ SignUpError::UnknownLocation(_)) => {
            return Err(fail(AppError::Invalid(FieldError::new(
                "location_id",
                e.to_string(),
            ))))
        }
        Err(SignUpError::Unexpected(e)) => return Err(internal(e)),
    };
    if signed_up.pending {
        // Only host accounts wait for approval. The page says so from the URL, so
        // the message shows with JS and without.
        leptos_axum::redirect("/host/signup?awaiting=1");
        return Ok(SignUpOutcome::AwaitingApproval);
    }
    let account = accounts::active_account(&state.db, signed_up.user_id)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal("a new account cannot log in"))?;
    let session = crate::ssr::request::session().await?;
    session::begin(&session, &account).await.map_err(internal)?;
    crate::ssr::request::forget_account().await;
    leptos_axum::redirect(home_of(account.role.as_str()));
    Ok(SignUpOutcome::LoggedIn)
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::ssr::request::internal;
    let session = crate::ssr::request::session().await?;
    crate::ssr::auth::session::end(&session)
        .await
        .map_err(internal)?;
    crate::ssr::request::forget_account().await;
    leptos_axum::redirect("/");
    Ok(())
}

/// Locations a host may sign up for.
#[server(endpoint = "signup_locations")]
pub async fn signup_locations() -> Result<Vec<LocationChoice>, AppError> {
    use crate::ssr::request::internal;
    use crate::ssr::services::locations;
    let state = crate::ssr::state::app_state()?;
    let all = locations::list_locations(&state.db)
        .await
        .map_err(internal)?;
    Ok(all
        .into_iter()
        .filter(|l| l.active)
        .map(|l| LocationChoice {
            id: l.id,
            name: l.name,
        })
        .collect())
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, phone: String) -> Result<(), AppError> {
    use crate::ssr::request::{fail, internal, require};
    use crate::ssr::services::accounts::{self, Profile, Role};
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let profile =
        Profile::parse(&name, &phone, state.config.default_region).map_err(|e| fail(e.into()))?;
    accounts::update_profile(&state.db, &account, profile)
        .await
        .map_err(internal)?;
    leptos_axum::redirect("/settings?saved=profile");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use crate::ssr::auth::passwords::Password;
    use crate::ssr::request::{fail, internal, require};
    use crate::ssr::services::accounts::{self, PasswordChangeError, Role};
    let (state, account) = require(&[Role::Admin, Role::Host, Role::Visitor]).await?;
    let new = Password::parse("new", &new).map_err(|e| fail(e.into()))?;
    let session = crate::ssr::request::session().await?;
    match accounts::change_password(
        &state.db,
        &state.passwords,
        &account,
        &current,
        &new,
        session.id().as_ref(),
    )
    .await
    {
        Ok(()) => {
            leptos_axum::redirect("/settings?saved=password");
            Ok(())
        }
        Err(e @ PasswordChangeError::WrongCurrent) => Err(fail(AppError::Invalid(
            crate::error::FieldError::new("current", e.to_string()),
        ))),
        Err(PasswordChangeError::Unexpected(e)) => Err(internal(e)),
    }
}
