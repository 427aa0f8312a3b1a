//! First run: while no admin exists, each start issues a one-time link to
//! `/setup?token=…` whose page creates the first admin and the first location.

use chrono::Utc;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use super::accounts;
use super::locations::{self, Location, NewLocation};
use super::{is_unique_violation, random_secret, secret_hash};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Account, Actor};
use crate::ssr::auth::passwords::{Password, Passwords};
use crate::ssr::domain::{EmailAddress, PersonName};
use crate::ssr::entities::setup_token;

/// A new setup token, or `None` when an admin exists (and then no link works).
/// Only the token's hash is stored, in the database, so any instance accepts it.
pub async fn issue_token(db: &impl ConnectionTrait) -> Result<Option<String>, anyhow::Error> {
    if accounts::has_admin(db).await? {
        setup_token::Entity::delete_many().exec(db).await?;
        return Ok(None);
    }
    let token = random_secret()?;
    setup_token::ActiveModel {
        token_hash: Set(secret_hash(&token)),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(Some(token))
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// An admin exists: setup is over, and `/setup` is not found.
    #[error("Frontdesk is already set up.")]
    Done,
    #[error(
        "This setup link is not valid. Use the link the server printed when it started \
         (restarting the server prints a new one)."
    )]
    WrongToken,
    #[error("That e-mail already belongs to an account that is not an admin; use another.")]
    EmailTaken,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(SetupError);

/// Whether `token` opens the setup page now.
pub async fn check(db: &impl ConnectionTrait, token: &str) -> Result<(), SetupError> {
    if accounts::has_admin(db).await? {
        return Err(SetupError::Done);
    }
    let known = setup_token::Entity::find()
        .filter(setup_token::Column::TokenHash.eq(secret_hash(token)))
        .one(db)
        .await?;
    known.map(|_| ()).ok_or(SetupError::WrongToken)
}

/// What the setup form carries, parsed.
#[derive(Debug, Clone)]
pub struct FirstRun {
    pub name: PersonName,
    pub email: EmailAddress,
    pub password: Password,
    pub location: NewLocation,
}

impl FirstRun {
    /// Field names are the form's: the admin's, then the location's with `location_`.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        name: &str,
        email: &str,
        password: &str,
        location_name: &str,
        address: &str,
        time_zone: &str,
        country: &str,
    ) -> Result<Self, FieldError> {
        let location = NewLocation::parse(location_name, address, time_zone)
            .map_err(|e| FieldError::new(&format!("location_{}", e.field), e.message))?
            .in_country("country", country)?;
        Ok(Self {
            name: PersonName::parse(name).map_err(|m| FieldError::new("name", m))?,
            email: EmailAddress::parse(email).map_err(|m| FieldError::new("email", m))?,
            password: Password::parse("password", password, &[name, email])?,
            location,
        })
    }
}

/// Creates the first admin and location and uses up every setup link, all in one
/// transaction: of two submissions at once (same link or two), exactly one wins.
pub async fn complete(
    db: &impl TransactionTrait,
    passwords: &Passwords,
    token: &str,
    form: FirstRun,
) -> Result<(Account, Location), SetupError> {
    let hash = passwords.hash(&form.password).await?;
    let tx = super::begin_write(db).await?;
    // First statement, a write that deletes every token if this one is among them:
    // SQLite takes its write lock here and PostgreSQL locks the token rows, so a
    // concurrent setup waits for this one, then deletes nothing and sees the admin.
    let this_token = Query::select()
        .expr(Expr::val(1))
        .from(setup_token::Entity)
        .and_where(setup_token::Column::TokenHash.eq(secret_hash(token)))
        .to_owned();
    let used = setup_token::Entity::delete_many()
        .filter(Expr::exists(this_token))
        .exec(&tx)
        .await?
        .rows_affected;
    if accounts::has_admin(&tx).await? {
        return Err(SetupError::Done);
    }
    if used == 0 {
        return Err(SetupError::WrongToken);
    }
    let actor = Actor(format!("first-run setup ({})", form.email.as_str()));
    let user =
        match accounts::insert_admin(&tx, form.name.as_str(), &form.email, hash, &actor).await {
            Ok(user) => user,
            // A visitor or host may have signed up before the office was set up.
            Err(e) if is_unique_violation(&e) => return Err(SetupError::EmailTaken),
            Err(e) => return Err(e.into()),
        };
    let location = locations::insert_location(&tx, form.location, &actor).await?;
    let account = accounts::active_account(&tx, user.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the new admin cannot log in"))?;
    tx.commit().await?;
    Ok((account, location))
}
