//! Admin accounts from outside the app: the first admin from the settings, the
//! first-run setup link, and `frontdesk admin create`.

use anyhow::Context;
use app::ssr::auth::passwords::{Password, Passwords};
use app::ssr::domain::EmailAddress;
use app::ssr::services::accounts::{self, AdminCreateError};
use app::ssr::state::AppState;
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;

use crate::settings::Settings;

/// Creates the admin named by FRONTDESK_ADMIN_EMAIL/_PASSWORD when no admin exists yet.
/// Later starts leave admins alone: the settings are a bootstrap, not a reset.
pub async fn first_admin(settings: &Settings, state: &AppState) -> anyhow::Result<()> {
    let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) else {
        return Ok(());
    };
    if accounts::has_admin(&state.db).await? {
        return Ok(());
    }
    let (email, password) = parse(email, password.expose_secret())
        .context("FRONTDESK_ADMIN_EMAIL / FRONTDESK_ADMIN_PASSWORD")?;
    create(&state.db, &state.passwords, &email, &password).await?;
    tracing::info!("created the first admin account from the settings");
    Ok(())
}

/// While no admin exists: a new one-time link to the first-run setup page, printed
/// on stderr (not logged: it is a secret until it is used).
pub async fn print_setup_link(state: &AppState) -> anyhow::Result<()> {
    if let Some(token) = app::ssr::services::setup::issue_token(&state.db).await? {
        eprintln!(
            "No admin account yet: set up Frontdesk at {}/setup?token={token}",
            state.config.public_url
        );
    }
    Ok(())
}

/// Checks an admin's e-mail and password before anything touches the database.
pub fn parse(email: &str, password: &str) -> anyhow::Result<(EmailAddress, Password)> {
    let email = EmailAddress::parse(email).map_err(|m| anyhow::anyhow!("email: {m}"))?;
    let password = Password::parse("password", password, &[email.as_str()])
        .map_err(|e| anyhow::anyhow!("password: {}", e.message))?;
    Ok((email, password))
}

/// Creates an admin or resets an existing admin's password. Returns whether it was new.
pub async fn create(
    db: &DatabaseConnection,
    passwords: &Passwords,
    email: &EmailAddress,
    password: &Password,
) -> anyhow::Result<bool> {
    match accounts::upsert_admin(db, passwords, email, password).await {
        Ok(created) => Ok(created),
        Err(e @ AdminCreateError::OtherRole(..)) => Err(anyhow::anyhow!(e.to_string())),
        Err(AdminCreateError::Unexpected(e)) => Err(e),
    }
}
