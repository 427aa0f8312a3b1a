//! Accounts: sign-up and log-in through two doors, profile and password changes,
//! approval and deactivation. Who may see what is `ssr::auth::caller`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::hosts::{self, HostWriteError, NewHost};
use super::{audit, is_unique_violation};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Account, Actor, Role};
use crate::ssr::auth::passwords::{Password, Passwords};
use crate::ssr::auth::store::end_sessions_of;
use crate::ssr::domain::{Contact, EmailAddress, PersonName, PhoneNumber, Region};
use crate::ssr::entities::{host, user};

/// The two log-in doors. Visitors use theirs; hosts and admins (staff) the other.
/// An account never gets in through the wrong door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Door {
    Visitor,
    Host,
}

impl Door {
    fn admits(self, role: Role) -> bool {
        match self {
            Door::Visitor => role == Role::Visitor,
            Door::Host => matches!(role, Role::Host | Role::Admin),
        }
    }
}

fn account_of(user: user::Model, host_id: Option<i32>) -> Option<Account> {
    let role = Role::parse(&user.role)?;
    Some(Account {
        id: user.id,
        email: user.email,
        name: user.name,
        phone: user.phone,
        role,
        host_id: host_id.filter(|_| role == Role::Host),
    })
}

/// The account behind a session, if it still may log in (active, not pending).
/// One query: it runs on every request of a logged-in user.
pub async fn active_account(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<Account>, sea_orm::DbErr> {
    match user::Entity::find_by_id(user_id)
        .find_also_related(host::Entity)
        .one(db)
        .await?
    {
        Some((user, host)) if user.active && !user.pending => {
            Ok(account_of(user, host.map(|h| h.id)))
        }
        _ => Ok(None),
    }
}

/// What a sign-up form carries, parsed.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub contact: Contact,
    pub password: Password,
    /// Hosts choose where they work; visitors leave it empty.
    pub location_id: Option<i32>,
}

impl SignUp {
    pub fn parse(
        door: Door,
        name: &str,
        email: &str,
        phone: &str,
        password: &str,
        location_id: Option<i32>,
        region: Region,
    ) -> Result<Self, FieldError> {
        let contact = Contact::parse(name, email, phone, region)?;
        let password = Password::parse("password", password)?;
        if door == Door::Host && location_id.is_none() {
            return Err(FieldError::new(
                "location_id",
                "Choose the location you work at.",
            ));
        }
        Ok(Self {
            contact,
            password,
            location_id,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("An account with the email {0} already exists; log in instead.")]
    EmailTaken(String),
    #[error("There is no active location with id {0}.")]
    UnknownLocation(i32),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(SignUpError);

/// The result of a sign-up: pending host accounts cannot log in yet.
#[derive(Debug, Clone)]
pub enum SignedUp {
    /// May log in at once.
    Active(Account),
    /// A host sign-up waiting for an admin's approval.
    AwaitingApproval,
}

/// Does this address belong to a domain whose hosts need no approval?
pub fn domain_allowed(email: &EmailAddress, allowed_domains: &[String]) -> bool {
    let domain = email.as_str().rsplit('@').next().unwrap_or_default();
    allowed_domains
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(domain))
}

#[tracing::instrument(skip_all, fields(door = ?door))]
pub async fn sign_up(
    db: &impl TransactionTrait,
    passwords: &Passwords,
    door: Door,
    form: SignUp,
    allowed_domains: &[String],
) -> Result<SignedUp, SignUpError> {
    let password_hash = passwords.hash(&form.password).await?;
    let email = form.contact.email.as_str().to_string();
    match (door, form.location_id) {
        (Door::Host, Some(location_id)) => {
            let pending = !domain_allowed(&form.contact.email, allowed_domains);
            let new = NewHost {
                contact: form.contact,
                location_id,
                password_hash: Some(password_hash),
                pending,
            };
            let actor = Actor(format!("sign-up ({email})"));
            match hosts::create_host(db, new, &actor).await {
                Ok(_) if pending => Ok(SignedUp::AwaitingApproval),
                Ok(host) => Ok(SignedUp::Active(Account {
                    id: host.user_id,
                    email: host.email,
                    name: host.name,
                    phone: host.phone,
                    role: Role::Host,
                    host_id: Some(host.id),
                })),
                Err(HostWriteError::EmailTaken(email)) => Err(SignUpError::EmailTaken(email)),
                Err(HostWriteError::UnknownLocation(id)) => Err(SignUpError::UnknownLocation(id)),
                Err(e) => Err(anyhow::Error::from(e).into()),
            }
        }
        _ => {
            let tx = super::begin_write(db).await?;
            let user = user::ActiveModel {
                email: Set(email.clone()),
                password_hash: Set(Some(password_hash)),
                role: Set(Role::Visitor.as_str().to_string()),
                name: Set(form.contact.name.as_str().to_string()),
                phone: Set(Some(form.contact.phone.as_str().to_string())),
                active: Set(true),
                pending: Set(false),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&tx)
            .await
            .map_err(|e| match is_unique_violation(&e) {
                true => SignUpError::EmailTaken(email.clone()),
                false => e.into(),
            })?;
            let actor = Actor(format!("sign-up ({email})"));
            audit::record(&tx, &actor, "account.sign_up", ("user", user.id), json!({})).await?;
            tx.commit().await?;
            let account = account_of(user, None)
                .ok_or_else(|| anyhow::anyhow!("a new visitor has no known role"))?;
            Ok(SignedUp::Active(account))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LogInError {
    /// Deliberately the same for an unknown email, a wrong password and the wrong door.
    #[error("That email and password do not match a {0} account.")]
    Invalid(&'static str),
    #[error("Your host account is waiting for an admin's approval.")]
    Pending,
    #[error("This account has been deactivated; ask an admin.")]
    Deactivated,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(LogInError);

#[tracing::instrument(skip_all, fields(door = ?door))]
pub async fn log_in(
    db: &impl ConnectionTrait,
    passwords: &Passwords,
    door: Door,
    email: &str,
    password: &str,
) -> Result<Account, LogInError> {
    let invalid = LogInError::Invalid(match door {
        Door::Visitor => "visitor",
        Door::Host => "host or admin",
    });
    // The user and their host row (if any) in one query.
    let found = match EmailAddress::parse(email) {
        Ok(email) => {
            user::Entity::find()
                .filter(user::Column::Email.eq(email.as_str()))
                .find_also_related(host::Entity)
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    // Always one verification, whether or not the account exists.
    let stored = found.as_ref().and_then(|(u, _)| u.password_hash.as_deref());
    let matched = passwords.verify(password, stored).await?;
    let Some((user, host)) = found.filter(|_| matched) else {
        return Err(invalid);
    };
    if !Role::parse(&user.role).is_some_and(|role| door.admits(role)) {
        return Err(invalid);
    }
    if user.pending {
        return Err(LogInError::Pending);
    }
    if !user.active {
        return Err(LogInError::Deactivated);
    }
    account_of(user, host.map(|h| h.id)).ok_or(invalid)
}

/// Name and phone, as changed on the settings page.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: PersonName,
    pub phone: PhoneNumber,
}

impl Profile {
    pub fn parse(name: &str, phone: &str, region: Region) -> Result<Self, FieldError> {
        Ok(Self {
            name: PersonName::parse(name).map_err(|m| FieldError::new("name", m))?,
            phone: PhoneNumber::parse(phone, region).map_err(|m| FieldError::new("phone", m))?,
        })
    }
}

pub async fn update_profile(
    db: &impl TransactionTrait,
    account: &Account,
    profile: Profile,
) -> Result<(), anyhow::Error> {
    let tx = super::begin_write(db).await?;
    user::ActiveModel {
        id: Set(account.id),
        name: Set(profile.name.as_str().to_string()),
        phone: Set(Some(profile.phone.as_str().to_string())),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    audit::record(
        &tx,
        &account.caller().actor,
        "account.update_profile",
        ("user", account.id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    #[error("The current password is not right.")]
    WrongCurrent,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(PasswordChangeError);

/// Changes the password after checking the current one, and ends every other
/// session of the account (`keep` is the session that asked).
pub async fn change_password(
    db: &(impl TransactionTrait + ConnectionTrait),
    passwords: &Passwords,
    account: &Account,
    current: &str,
    new: &Password,
    keep: Option<&tower_sessions::session::Id>,
) -> Result<(), PasswordChangeError> {
    let stored = user::Entity::find_by_id(account.id)
        .one(db)
        .await?
        .and_then(|u| u.password_hash);
    if !passwords.verify(current, stored.as_deref()).await? {
        return Err(PasswordChangeError::WrongCurrent);
    }
    let hash = passwords.hash(new).await?;
    let tx = super::begin_write(db).await?;
    user::ActiveModel {
        id: Set(account.id),
        password_hash: Set(Some(hash)),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    end_sessions_of(&tx, account.id, keep).await?;
    audit::record(
        &tx,
        &account.caller().actor,
        "account.change_password",
        ("user", account.id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum AdminCreateError {
    #[error("{0} is a {1} account; pick another email for the admin.")]
    OtherRole(String, String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Creates an admin, or resets the password of an existing admin (the CLI and the
/// first start with FRONTDESK_ADMIN_EMAIL). Returns whether it was created.
pub async fn upsert_admin(
    db: &impl TransactionTrait,
    passwords: &Passwords,
    email: &EmailAddress,
    password: &Password,
) -> Result<bool, AdminCreateError> {
    let hash = passwords.hash(password).await?;
    let tx = super::begin_write(db).await.map_err(anyhow::Error::from)?;
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&tx)
        .await
        .map_err(anyhow::Error::from)?;
    let actor = Actor("command line".into());
    let created = match existing {
        Some(user) if user.role != Role::Admin.as_str() => {
            return Err(AdminCreateError::OtherRole(user.email, user.role));
        }
        Some(user) => {
            let id = user.id;
            let mut user: user::ActiveModel = user.into();
            user.password_hash = Set(Some(hash));
            user.active = Set(true);
            user.update(&tx).await.map_err(anyhow::Error::from)?;
            end_sessions_of(&tx, id, None)
                .await
                .map_err(anyhow::Error::from)?;
            audit::record(&tx, &actor, "admin.reset_password", ("user", id), json!({}))
                .await
                .map_err(anyhow::Error::from)?;
            false
        }
        None => {
            let local = email.as_str().split('@').next().unwrap_or("admin");
            insert_admin(&tx, local, email, hash, &actor)
                .await
                .map_err(anyhow::Error::from)?;
            true
        }
    };
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(created)
}

/// A new admin's row and its audit entry, inside the caller's transaction (the CLI,
/// the settings and the first-run setup page all create admins through this).
pub(crate) async fn insert_admin(
    tx: &impl ConnectionTrait,
    name: &str,
    email: &EmailAddress,
    password_hash: String,
    actor: &Actor,
) -> Result<user::Model, sea_orm::DbErr> {
    let user = user::ActiveModel {
        email: Set(email.as_str().to_string()),
        password_hash: Set(Some(password_hash)),
        role: Set(Role::Admin.as_str().to_string()),
        name: Set(name.to_string()),
        phone: Set(None),
        active: Set(true),
        pending: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, actor, "admin.create", ("user", user.id), json!({})).await?;
    Ok(user)
}

/// Whether any admin exists (the first start creates one from the settings only then).
pub async fn has_admin(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .one(db)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visitor_door_admits_only_visitors_and_the_host_door_only_staff() {
        assert!(Door::Visitor.admits(Role::Visitor));
        assert!(!Door::Visitor.admits(Role::Host));
        assert!(!Door::Visitor.admits(Role::Admin));
        assert!(Door::Host.admits(Role::Host));
        assert!(Door::Host.admits(Role::Admin));
        assert!(!Door::Host.admits(Role::Visitor));
    }

    #[test]
    fn allowed_domains_match_the_whole_domain_case_insensitively() {
        let allowed = vec!["Example.com".to_string()];
        let email = |s| EmailAddress::parse(s).unwrap();
        assert!(domain_allowed(&email("ann@example.com"), &allowed));
        assert!(!domain_allowed(&email("ann@notexample.com"), &allowed));
        assert!(!domain_allowed(&email("ann@example.com.evil.io"), &allowed));
        assert!(!domain_allowed(&email("ann@example.com"), &[]));
    }
}
