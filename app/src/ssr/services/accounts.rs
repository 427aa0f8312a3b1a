//! Accounts: sign-up and log-in through two doors, profile and password changes,
//! approval and deactivation. Who may see what is `ssr::auth::caller`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::hosts::{self, HostWriteError, Joining, NewHost};
use super::links::{self, Purpose};
use super::{account_messages, audit, is_unique_violation, outbox, visit_owners};
use crate::error::FieldError;
use crate::ssr::auth::caller::{Account, Actor, Role};
use crate::ssr::auth::limits::RateLimits;
use crate::ssr::auth::passwords::{Password, Passwords};
use crate::ssr::auth::store::end_sessions_of;
use crate::ssr::domain::{Contact, EmailAddress, PersonName, PhoneNumber, Region};
use crate::ssr::entities::{host, user};
use crate::types::{door_of, LinkInfo, LinkKind, SignUpOutcome};

/// The two log-in doors. Visitors use theirs; hosts and admins (staff) the other.
/// An account never gets in through the wrong door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Door {
    Visitor,
    Host,
}

impl Door {
    pub fn as_str(self) -> &'static str {
        match self {
            Door::Visitor => "visitor",
            Door::Host => "host",
        }
    }

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
        email_verified: user.email_verified_at.is_some(),
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
        let password = Password::parse("password", password, &[name, email])?;
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
    #[error("There is no active location with id {0}.")]
    UnknownLocation(i32),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(SignUpError);

/// What a sign-up did. The page says "check your e-mail" either way, so that an
/// address with an account looks like any other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedUp {
    /// A new account; a link to confirm the address is on its way to it.
    Created { user_id: i32 },
    /// The address has an account; its owner is told (`owner_told`), unless the
    /// address already got its share of such e-mails this hour.
    Taken { owner_told: bool },
}

/// Does this address belong to a domain whose hosts need no approval?
pub fn domain_allowed(email: &EmailAddress, allowed_domains: &[String]) -> bool {
    let domain = email.as_str().rsplit('@').next().unwrap_or_default();
    allowed_domains
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(domain))
}

/// What the sign-up page says next: from the door and the address's domain only.
pub fn what_next(door: Door, email: &EmailAddress, allowed_domains: &[String]) -> SignUpOutcome {
    match door {
        Door::Host if !domain_allowed(email, allowed_domains) => SignUpOutcome::ConfirmEmailAndWait,
        _ => SignUpOutcome::ConfirmEmail,
    }
}

/// Where the e-mails of a sign-up point, and which domains need no approval.
pub struct SignUpSite<'a> {
    pub base_url: &'a str,
    pub allowed_domains: &'a [String],
    pub limits: &'a RateLimits,
    /// Who is signing up, for the limit on e-mails to an address that has an account.
    pub client: std::net::IpAddr,
}

#[tracing::instrument(skip_all, fields(door = ?door))]
pub async fn sign_up(
    db: &(impl TransactionTrait + ConnectionTrait),
    passwords: &Passwords,
    door: Door,
    form: SignUp,
    site: &SignUpSite<'_>,
) -> Result<SignedUp, SignUpError> {
    // Hashed whether or not the address is taken: both answers take as long.
    let password_hash = passwords.hash(&form.password).await?;
    let email = form.contact.email.clone();
    let created = match (door, form.location_id) {
        (Door::Host, Some(location_id)) => {
            let pending = !domain_allowed(&email, site.allowed_domains);
            let new = NewHost {
                contact: form.contact,
                location_id,
                joining: Joining::SignedUp {
                    password_hash,
                    pending,
                },
            };
            let actor = Actor(format!("sign-up ({})", email.as_str()));
            match hosts::create_host(db, new, &actor, site.base_url).await {
                Ok(host) => Some(host.user_id),
                Err(HostWriteError::EmailTaken(_)) => None,
                Err(HostWriteError::UnknownLocation(id)) => {
                    return Err(SignUpError::UnknownLocation(id))
                }
                Err(e) => return Err(anyhow::Error::from(e).into()),
            }
        }
        _ => create_visitor(db, form.contact, password_hash, site.base_url).await?,
    };
    match created {
        Some(user_id) => Ok(SignedUp::Created { user_id }),
        None => {
            let owner_told = site
                .limits
                .check_account_mail(email.as_str(), site.client)
                .is_ok()
                && tell_owner_of_sign_up(db, &email, site.base_url).await?;
            Ok(SignedUp::Taken { owner_told })
        }
    }
}

/// A visitor's account and the e-mail to confirm it; None if the address is taken.
async fn create_visitor(
    db: &impl TransactionTrait,
    contact: Contact,
    password_hash: String,
    base_url: &str,
) -> Result<Option<i32>, SignUpError> {
    let email = contact.email.as_str().to_string();
    let tx = super::begin_write(db).await?;
    let now = Utc::now();
    let inserted = user::ActiveModel {
        email: Set(email.clone()),
        password_hash: Set(Some(password_hash)),
        role: Set(Role::Visitor.as_str().to_string()),
        name: Set(contact.name.as_str().to_string()),
        phone: Set(Some(contact.phone.as_str().to_string())),
        active: Set(true),
        pending: Set(false),
        created_at: Set(now),
        email_verified_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await;
    let user = match inserted {
        Ok(user) => user,
        Err(e) if is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let url = links::issue(&tx, base_url, user.id, Purpose::Verify, None, now).await?;
    let mail = account_messages::confirm_address(&url, &user.email);
    outbox::enqueue(&tx, None, mail, now).await?;
    let actor = Actor(format!("sign-up ({email})"));
    audit::record(&tx, &actor, "account.sign_up", ("user", user.id), json!({})).await?;
    tx.commit().await?;
    Ok(Some(user.id))
}

/// "Someone tried to sign up with your address": true when it was queued.
async fn tell_owner_of_sign_up(
    db: &(impl TransactionTrait + ConnectionTrait),
    email: &EmailAddress,
    base_url: &str,
) -> Result<bool, SignUpError> {
    let Some(owner) = user_by_email(db, email).await? else {
        return Ok(false);
    };
    let door = match Role::parse(&owner.role) {
        Some(Role::Visitor) => "visitor",
        _ => "host",
    };
    let login = format!("{}/{door}/login", base_url.trim_end_matches('/'));
    let mail = account_messages::sign_up_attempted(&owner.name, &login, &owner.email);
    outbox::enqueue(db, None, mail, Utc::now()).await?;
    Ok(true)
}

async fn user_by_email(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await
}

/// Marks an address as trusted without a link (the demo's made-up visitor).
pub async fn vouch_for(db: &impl ConnectionTrait, user_id: i32) -> Result<(), sea_orm::DbErr> {
    user::ActiveModel {
        id: Set(user_id),
        email_verified_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
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

/// Whether `password` is the account's (one argon2 verification either way).
async fn password_matches(
    db: &impl ConnectionTrait,
    passwords: &Passwords,
    user_id: i32,
    password: &str,
) -> Result<bool, anyhow::Error> {
    let stored = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|u| u.password_hash);
    passwords.verify(password, stored.as_deref()).await
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
    if !password_matches(db, passwords, account.id, current).await? {
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
    // A reset or invitation link e-mailed before must not undo this change.
    links::revoke_all(&tx, account.id).await?;
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
pub enum LinkError {
    #[error("This link has expired or was already used; ask for a new one.")]
    Stale,
    #[error("{0} belongs to another account now, so it cannot be yours; keep your address or ask again with another.")]
    EmailTaken(String),
    #[error("{}", .0.message)]
    Invalid(FieldError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(LinkError);

impl From<FieldError> for LinkError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(e)
    }
}

/// Whom a working link is for: its page greets them and shows the right form.
#[derive(Debug, Clone)]
pub struct LinkHolder {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub purpose: Purpose,
    pub new_email: Option<String>,
}

/// The holder of a working link of one of `purposes`, or None (unknown, used, expired).
pub async fn link_holder(
    db: &impl ConnectionTrait,
    secret: &str,
    purposes: &[Purpose],
) -> Result<Option<LinkHolder>, sea_orm::DbErr> {
    let Some(link) = links::find(db, secret, purposes, Utc::now()).await? else {
        return Ok(None);
    };
    let user = user::Entity::find_by_id(link.user_id).one(db).await?;
    Ok(user.filter(|u| u.active || u.pending).and_then(|u| {
        Some(LinkHolder {
            role: Role::parse(&u.role)?,
            name: u.name,
            email: u.email,
            purpose: link.purpose,
            new_email: link.new_email,
        })
    }))
}

/// What a link's page (`confirm` or `password`) shows, if the link works there.
pub async fn link_info(
    db: &impl ConnectionTrait,
    secret: &str,
    page: &str,
) -> Result<Option<LinkInfo>, sea_orm::DbErr> {
    let purposes: &[Purpose] = match page {
        "confirm" => &[Purpose::Verify, Purpose::ChangeEmail],
        "password" => &[Purpose::Invite, Purpose::Reset],
        _ => return Ok(None),
    };
    Ok(link_holder(db, secret, purposes).await?.map(|h| LinkInfo {
        name: h.name,
        door: door_of(h.role).to_string(),
        kind: match h.purpose {
            Purpose::Verify => LinkKind::ConfirmEmail,
            Purpose::ChangeEmail => LinkKind::ChangeEmail,
            Purpose::Invite => LinkKind::Invitation,
            Purpose::Reset => LinkKind::Reset,
        },
        new_email: h.new_email,
    }))
}

/// What following a confirmation link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmed {
    pub role: Role,
    /// A host moved to an address outside the allowed domains: an admin decides again.
    pub needs_approval: bool,
}

/// Where a confirmation's consequences point: the allowed domains, the links' base.
pub struct ConfirmSite<'a> {
    pub base_url: &'a str,
    pub allowed_domains: &'a [String],
}

/// Follows a link to confirm an address: the sign-up's, or a new one from settings.
/// It takes the account's password too: whoever signed up with someone else's
/// address cannot have its owner confirm the account for them (the owner, who does
/// not know that password, resets it instead, which ends the other's sessions).
pub async fn confirm_address(
    db: &(impl TransactionTrait + ConnectionTrait),
    passwords: &Passwords,
    secret: &str,
    password: &str,
    site: &ConfirmSite<'_>,
) -> Result<Confirmed, LinkError> {
    let purposes = [Purpose::Verify, Purpose::ChangeEmail];
    let now = Utc::now();
    let link = links::find(db, secret, &purposes, now)
        .await?
        .ok_or(LinkError::Stale)?;
    if !password_matches(db, passwords, link.user_id, password).await? {
        return Err(FieldError::new(
            "password",
            "That is not this account's password. If you did not sign up, do not confirm: \
             ignore the e-mail, or take the account over with \"Forgot your password?\".",
        )
        .into());
    }
    let tx = super::begin_write(db).await?;
    let link = links::redeem(&tx, secret, &purposes, now)
        .await?
        .ok_or(LinkError::Stale)?;
    let user = user::Entity::find_by_id(link.user_id)
        .one(&tx)
        .await?
        .filter(|u| u.active || u.pending)
        .ok_or(LinkError::Stale)?;
    let role = Role::parse(&user.role).ok_or(LinkError::Stale)?;
    let old_email = user.email.clone();
    let mut change: user::ActiveModel = user.into();
    change.email_verified_at = Set(Some(now));
    if let Some(new_email) = &link.new_email {
        change.email = Set(new_email.clone());
    }
    change
        .update(&tx)
        .await
        .map_err(|e| match (is_unique_violation(&e), &link.new_email) {
            (true, Some(taken)) => LinkError::EmailTaken(taken.clone()),
            _ => e.into(),
        })?;
    // A changed address brings no visits along: an address new to the account
    // may have been someone else's. Its visits from now on are linked as made.
    if role == Role::Visitor && link.new_email.is_none() {
        visit_owners::claim_visits(&tx, link.user_id, &old_email).await?;
    }
    // The allowed-domains rule follows the address: a host who moves outside them
    // waits for an admin, as a sign-up from there would.
    let outside = link
        .new_email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
        .is_some_and(|e| !domain_allowed(&e, site.allowed_domains));
    let needs_approval = role == Role::Host && outside;
    if needs_approval {
        hosts::wait_for_approval(&tx, link.user_id, site.base_url, now).await?;
        end_sessions_of(&tx, link.user_id, None).await?;
    }
    let what = match link.purpose {
        Purpose::ChangeEmail => "account.change_email",
        _ => "account.confirm_email",
    };
    let actor = Actor(format!(
        "link sent to {}",
        link.new_email.as_deref().unwrap_or(&old_email)
    ));
    let details =
        json!({ "from": old_email, "to": link.new_email, "needs_approval": needs_approval });
    audit::record(&tx, &actor, what, ("user", link.user_id), details).await?;
    tx.commit().await?;
    Ok(Confirmed {
        role,
        needs_approval,
    })
}

/// Follows an invitation or reset link with a new password. Every session of the
/// account ends and every other link stops working; having the link proves the
/// address, so it is confirmed too. Returns the role, for which log-in to show.
pub async fn set_password_by_link(
    db: &(impl TransactionTrait + ConnectionTrait),
    passwords: &Passwords,
    secret: &str,
    password: &str,
) -> Result<Role, LinkError> {
    let purposes = [Purpose::Invite, Purpose::Reset];
    let holder = link_holder(db, secret, &purposes)
        .await?
        .ok_or(LinkError::Stale)?;
    let password = Password::parse("password", password, &[&holder.name, &holder.email])?;
    let hash = passwords.hash(&password).await?;
    let tx = super::begin_write(db).await?;
    let now = Utc::now();
    // Again, inside the transaction: of two tabs sending the form, one wins.
    let link = links::redeem(&tx, secret, &purposes, now)
        .await?
        .ok_or(LinkError::Stale)?;
    user::ActiveModel {
        id: Set(link.user_id),
        password_hash: Set(Some(hash)),
        email_verified_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    end_sessions_of(&tx, link.user_id, None).await?;
    links::revoke_all(&tx, link.user_id).await?;
    if holder.role == Role::Visitor {
        visit_owners::claim_visits(&tx, link.user_id, &holder.email).await?;
    }
    let what = match link.purpose {
        Purpose::Invite => "account.accept_invitation",
        _ => "account.reset_password",
    };
    let actor = Actor(format!("link sent to {}", holder.email));
    audit::record(&tx, &actor, what, ("user", link.user_id), json!({})).await?;
    tx.commit().await?;
    Ok(holder.role)
}

/// Forgot password: e-mails a reset link if `email` has an account that may log in
/// (or waits for approval). Says nothing either way: the caller answers the same.
pub async fn send_reset_link(
    db: &(impl TransactionTrait + ConnectionTrait),
    email: &EmailAddress,
    base_url: &str,
) -> Result<(), anyhow::Error> {
    let Some(user) = user_by_email(db, email)
        .await?
        .filter(|u| u.active || u.pending)
    else {
        return Ok(());
    };
    let tx = super::begin_write(db).await?;
    let now = Utc::now();
    let url = links::issue(&tx, base_url, user.id, Purpose::Reset, None, now).await?;
    let mail = account_messages::password_reset(&user.name, &url, &user.email);
    outbox::enqueue(&tx, None, mail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// `send_reset_link` where nobody waits for the answer: a failure is logged (without
/// the address: it may be a stranger's), and the person can ask again.
pub async fn send_reset_link_logged(db: &DatabaseConnection, email: &EmailAddress, base_url: &str) {
    if let Err(error) = send_reset_link(db, email, base_url).await {
        tracing::error!(error = %format!("{error:#}"), "a password reset link was not made");
    }
}

/// The confirmation link again, for an account whose address is not confirmed.
/// False when there is nothing to confirm.
pub async fn resend_confirmation(
    db: &impl TransactionTrait,
    account: &Account,
    base_url: &str,
) -> Result<bool, anyhow::Error> {
    if account.email_verified {
        return Ok(false);
    }
    let tx = super::begin_write(db).await?;
    let now = Utc::now();
    let url = links::issue(&tx, base_url, account.id, Purpose::Verify, None, now).await?;
    let mail = account_messages::confirm_address(&url, &account.email);
    outbox::enqueue(&tx, None, mail, now).await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum EmailChangeError {
    #[error("The current password is not right.")]
    WrongCurrent,
    #[error("That is your address already.")]
    Same,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

super::unexpected_from_db!(EmailChangeError);

/// Asks to move the account to `new_email`: nothing changes until the link sent
/// there is followed. The old address is told. Whether `new_email` has an account
/// shows only to whoever follows the link, i.e. its owner.
pub async fn ask_email_change(
    db: &(impl TransactionTrait + ConnectionTrait),
    passwords: &Passwords,
    account: &Account,
    new_email: &EmailAddress,
    current: &str,
    base_url: &str,
) -> Result<(), EmailChangeError> {
    if !password_matches(db, passwords, account.id, current).await? {
        return Err(EmailChangeError::WrongCurrent);
    }
    if new_email.as_str() == account.email {
        return Err(EmailChangeError::Same);
    }
    let tx = super::begin_write(db).await?;
    let now = Utc::now();
    let purpose = Purpose::ChangeEmail;
    let url = links::issue(
        &tx,
        base_url,
        account.id,
        purpose,
        Some(new_email.as_str()),
        now,
    )
    .await?;
    let to_new = account_messages::confirm_new_address(&url, new_email.as_str());
    let to_old =
        account_messages::address_change_asked(&account.name, new_email.as_str(), &account.email);
    outbox::enqueue(&tx, None, to_new, now).await?;
    outbox::enqueue(&tx, None, to_old, now).await?;
    audit::record(
        &tx,
        &account.caller().actor,
        "account.ask_email_change",
        ("user", account.id),
        json!({ "to": new_email.as_str() }),
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
        // Whoever can run the CLI or the first-run setup owns the server.
        email_verified_at: Set(Some(Utc::now())),
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
