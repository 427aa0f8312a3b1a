//! Finding a guest again by what they type at the kiosk (a phone number or an
//! e-mail address) or by their check-out link. A kiosk asks with its `Scope`, so it
//! finds only its own location's guests.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::hosts::{get_host, host_with_location};
use super::visits::{by_checkout_link, link_works};
use crate::error::FieldError;
use crate::ssr::auth::caller::Scope;
use crate::ssr::domain::{EmailAddress, PhoneNumber, Region};
use crate::ssr::entities::visit;
use crate::ssr::time::{local_time, tz};
use crate::types::{GuestDetails, GuestLink, OwnVisit, ReturningHint};

/// Seconds after a check-in that the kiosk's done screen can show it: the screen's
/// own time, and a margin for a slow tablet.
pub const RECEIPT_SECONDS: i64 = 90;

/// A phone number or an e-mail address, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestKey {
    Phone(PhoneNumber),
    Email(EmailAddress),
}

impl GuestKey {
    pub fn parse(input: &str, region: Region) -> Result<Self, FieldError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(FieldError::new(
                "contact",
                "Enter your mobile number or e-mail address.",
            ));
        }
        if input.contains('@') {
            EmailAddress::parse(input)
                .map(Self::Email)
                .map_err(|m| FieldError::new("contact", m))
        } else {
            PhoneNumber::parse(input, region)
                .map(Self::Phone)
                .map_err(|m| FieldError::new("contact", m))
        }
    }

    fn condition(&self) -> sea_orm::Condition {
        let c = sea_orm::Condition::all();
        match self {
            Self::Phone(p) => c.add(visit::Column::GuestPhone.eq(p.as_str())),
            Self::Email(e) => c.add(visit::Column::GuestEmail.eq(e.as_str())),
        }
    }
}

/// The last visit (as far as `scope` sees) of the guest with this number or address.
pub async fn last_visit(
    db: &impl ConnectionTrait,
    scope: Scope,
    key: &GuestKey,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    scope
        .visits(visit::Entity::find())
        .filter(key.condition())
        .order_by_desc(visit::Column::Id)
        .one(db)
        .await
}

/// Visit `id`, as far as `scope` sees it.
pub async fn visit_in(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: i32,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    scope.visits(visit::Entity::find_by_id(id)).one(db).await
}

/// A returning guest's details, once they have confirmed who they are.
pub fn details(visit: visit::Model) -> GuestDetails {
    GuestDetails {
        name: visit.guest_name,
        email: visit.guest_email,
        phone: visit.guest_phone,
        returning: true,
    }
}

/// All that a phone number alone shows of its guest.
pub fn hint(visit: &visit::Model) -> ReturningHint {
    ReturningHint {
        first_name: visit
            .guest_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
        email_hint: masked_email(&visit.guest_email),
    }
}

/// `ravi@example.com` as `r•••@e•••.com`: enough to recognise one's own address.
fn masked_email(email: &str) -> String {
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let (host, tld) = match domain.rsplit_once('.') {
        Some((host, tld)) => (host, format!(".{tld}")),
        None => (domain, String::new()),
    };
    format!("{}•••@{}•••{tld}", first(local), first(host))
}

/// Whether `typed` proves the guest of `visit` is the one typing: their surname or
/// full name; where the first name was shown (`hinted`), their e-mail address too,
/// and the name only if it is more than the first name. Case and spacing do not matter.
pub fn confirms(visit: &visit::Model, typed: &str, hinted: bool) -> bool {
    answer_matches(&visit.guest_name, &visit.guest_email, typed, hinted)
}

fn answer_matches(name: &str, email: &str, typed: &str, hinted: bool) -> bool {
    let typed = words(typed);
    let name = words(name);
    if typed.is_empty() {
        return false;
    }
    let name_counts = !hinted || name.len() > 1;
    let surname = name.last().is_some_and(|last| typed == [last.clone()]);
    let email = hinted && typed == [email.to_lowercase()];
    (name_counts && (surname || typed == name)) || email
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

/// The guest's running visit (as far as `scope` sees), for checking out at the kiosk.
pub async fn running_visit(
    db: &impl ConnectionTrait,
    scope: Scope,
    key: &GuestKey,
) -> Result<Option<visit::Model>, sea_orm::DbErr> {
    scope
        .visits(visit::Entity::find())
        .filter(visit::Column::CheckedOutAt.is_null())
        .filter(key.condition())
        .one(db)
        .await
}

/// The visit of a check-out link as the kiosk that made it sees it, with its host's
/// name (the done screen).
pub async fn receipt(
    db: &impl ConnectionTrait,
    scope: Scope,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(visit::Model, String)>, anyhow::Error> {
    let Some(visit) = scope.visits(by_checkout_link(token)).one(db).await? else {
        return Ok(None);
    };
    // The next guest at the tablet must not bring it back (Back, history).
    if now - visit.checked_in_at > chrono::Duration::seconds(RECEIPT_SECONDS) {
        return Ok(None);
    }
    let host_name = get_host(db, visit.host_id)
        .await?
        .map(|h| h.name)
        .unwrap_or_default();
    Ok(Some((visit, host_name)))
}

/// What a check-out link shows its holder: their running visit, host, location
/// and time of arrival; only that it expired once the visit is closed or a day old.
/// `None`: no such link.
pub async fn own_visit(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<GuestLink>, anyhow::Error> {
    let Some(visit) = by_checkout_link(token).one(db).await? else {
        return Ok(None);
    };
    if !link_works(&visit, chrono::Utc::now()) {
        return Ok(Some(GuestLink::Expired));
    }
    let (_, user, location) = host_with_location(db, visit.host_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("visit {} has no host", visit.id))?;
    let zone = tz(&location.time_zone);
    Ok(Some(GuestLink::Open(OwnVisit {
        guest_name: visit.guest_name,
        host_name: user.name,
        location_name: location.name,
        checked_in_at: local_time(visit.checked_in_at, zone),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_address_keeps_only_first_letters_and_the_ending() {
        assert_eq!(masked_email("ravi.kumar@example.com"), "r•••@e•••.com");
        assert_eq!(masked_email("zoë@mail.co.uk"), "z•••@m•••.uk");
        assert_eq!(masked_email("x@localhost"), "x•••@l•••");
    }

    #[test]
    fn a_surname_full_name_or_address_confirms_and_nothing_else_does() {
        let (name, email) = ("Ravi  Kumar", "Ravi@Example.com");
        assert!(answer_matches(name, email, " kumar ", false));
        assert!(answer_matches(name, email, "RAVI KUMAR", false));
        assert!(answer_matches(name, email, "ravi@example.com", true));
        assert!(!answer_matches(name, email, "ravi@example.com", false));
        assert!(
            !answer_matches(name, email, "Ravi", false),
            "a first name alone is not the surname"
        );
        assert!(!answer_matches(name, email, "", true));
        assert!(!answer_matches(name, email, "Kumar Ravi", true));
        assert!(!answer_matches(name, email, "kum", true));
    }

    #[test]
    fn a_one_word_name_shown_as_the_hint_does_not_confirm_itself() {
        assert!(!answer_matches("Cher", "cher@example.com", "cher", true));
        assert!(answer_matches(
            "Cher",
            "cher@example.com",
            "cher@example.com",
            true
        ));
        assert!(
            answer_matches("Cher", "cher@example.com", "Cher", false),
            "no hint at check-out"
        );
    }
}
