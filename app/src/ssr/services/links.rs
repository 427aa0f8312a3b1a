//! One-time links e-mailed to an account's owner. Each is 256 random bits, stored
//! only as its SHA-256, expires, and works once: following it deletes its row in the
//! transaction that acts on it, so two tabs racing get one success. Issuing a new
//! link of a purpose replaces the account's old ones; a password change removes all.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{random_secret, secret_hash};
use crate::ssr::entities::account_link;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirm the address given at sign-up.
    Verify,
    /// A host an admin added sets their first password.
    Invite,
    /// Forgot password.
    Reset,
    /// Confirm a new address before it replaces the old one.
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
            Purpose::ChangeEmail => "change_email",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        [Self::Verify, Self::Invite, Self::Reset, Self::ChangeEmail]
            .into_iter()
            .find(|p| p.as_str() == value)
    }

    /// How long a link works: a reset is an open door, so it is short.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Verify | Purpose::ChangeEmail => Duration::hours(48),
            Purpose::Invite => Duration::days(7),
            Purpose::Reset => Duration::minutes(30),
        }
    }

    /// The page the e-mailed link opens (the secret follows as `?token=`).
    pub fn page(self) -> &'static str {
        match self {
            Purpose::Verify | Purpose::ChangeEmail => "/account/confirm",
            Purpose::Invite | Purpose::Reset => "/account/password",
        }
    }
}

/// A link that still works, as found by its secret.
#[derive(Debug, Clone)]
pub struct Link {
    pub user_id: i32,
    pub purpose: Purpose,
    pub new_email: Option<String>,
}

/// Makes a link for `user_id`, replacing the account's earlier ones of this purpose.
/// Returns the full URL, which exists only in the e-mail built from it.
pub async fn issue(
    tx: &impl ConnectionTrait,
    base_url: &str,
    user_id: i32,
    purpose: Purpose,
    new_email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, anyhow::Error> {
    account_link::Entity::delete_many()
        .filter(account_link::Column::UserId.eq(user_id))
        .filter(account_link::Column::Purpose.eq(purpose.as_str()))
        .exec(tx)
        .await?;
    let secret = random_secret()?;
    account_link::ActiveModel {
        token_hash: Set(secret_hash(&secret)),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_string()),
        new_email: Set(new_email.map(str::to_string)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
    }
    .insert(tx)
    .await?;
    Ok(format!(
        "{}{}?token={secret}",
        base_url.trim_end_matches('/'),
        purpose.page()
    ))
}

/// The working link with this secret, if it is one of `purposes`; nothing changes.
/// Pages use it to show the right form, or say at once that a link is stale.
pub async fn find(
    db: &impl ConnectionTrait,
    secret: &str,
    purposes: &[Purpose],
    now: DateTime<Utc>,
) -> Result<Option<Link>, sea_orm::DbErr> {
    let Some(row) = account_link::Entity::find_by_id(secret_hash(secret.trim()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Purpose::parse(&row.purpose)
        .filter(|p| purposes.contains(p) && row.expires_at > now)
        .map(|purpose| Link {
            user_id: row.user_id,
            purpose,
            new_email: row.new_email,
        }))
}

/// Uses up the link: `find`, then delete it. Inside the caller's write transaction,
/// and the delete must remove the row, so of two concurrent uses only one acts.
pub async fn redeem(
    tx: &impl ConnectionTrait,
    secret: &str,
    purposes: &[Purpose],
    now: DateTime<Utc>,
) -> Result<Option<Link>, sea_orm::DbErr> {
    let Some(link) = find(tx, secret, purposes, now).await? else {
        return Ok(None);
    };
    let deleted = account_link::Entity::delete_by_id(secret_hash(secret.trim()))
        .exec(tx)
        .await?;
    Ok((deleted.rows_affected == 1).then_some(link))
}

/// After a password change or reset: no link made before it works any more.
pub async fn revoke_all(tx: &impl ConnectionTrait, user_id: i32) -> Result<(), sea_orm::DbErr> {
    account_link::Entity::delete_many()
        .filter(account_link::Column::UserId.eq(user_id))
        .exec(tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_round_trips_and_a_reset_lasts_half_an_hour() {
        for p in [
            Purpose::Verify,
            Purpose::Invite,
            Purpose::Reset,
            Purpose::ChangeEmail,
        ] {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(Purpose::parse("admin"), None);
        assert_eq!(Purpose::Reset.lifetime(), Duration::minutes(30));
        assert_eq!(Purpose::Invite.lifetime(), Duration::days(7));
    }
}
