//! Who is asking, and what they may see. Every query that reads or writes visits or
//! events is narrowed by a `Scope` here, so the rule lives in this one file: a host
//! sees their own visitors, a visitor their own visits, a kiosk its location's, an
//! admin (or an API token) everything. A leaf: it imports no service.

use sea_orm::{ColumnTrait, QueryFilter, Select};

use crate::ssr::entities::{event, visit};
pub use crate::types::Role;

/// Who did something, as recorded in `checked_out_by` and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn api_token(name: &str) -> Self {
        Self(format!("api token \"{name}\""))
    }

    pub fn guest() -> Self {
        Self("guest (self check-out)".into())
    }

    pub fn kiosk(name: &str) -> Self {
        Self(format!("kiosk \"{name}\""))
    }

    pub fn arrival_page() -> Self {
        Self("guest (arrival page)".into())
    }

    /// An account's actor: role, name and e-mail, for the audit log and staff.
    fn account(account: &Account) -> Self {
        Self(format!(
            "{} {} ({})",
            account.role, account.name, account.email
        ))
    }

    /// A recorded actor as guests may see it: an account's e-mail left out.
    pub fn without_contact(recorded: &str) -> String {
        match recorded.rsplit_once(" (") {
            Some((who, rest)) if rest.ends_with(')') && rest.contains('@') => who.to_string(),
            _ => recorded.to_string(),
        }
    }
}

/// A logged-in account, as the rest of the app sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: Role,
    /// For hosts: their `hosts.id`.
    pub host_id: Option<i32>,
    /// The owner confirmed the address (or an admin vouched for it).
    pub email_verified: bool,
}

/// Who is asking, and so what they may see and change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Admins and API tokens: everything.
    Admin,
    Host {
        host_id: i32,
    },
    Visitor {
        user_id: i32,
    },
    /// A paired lobby tablet, or a guest on the lobby poster's link: one location,
    /// and no live stream.
    Kiosk {
        location_id: i32,
    },
}

impl Caller {
    pub fn api_token(name: &str) -> Self {
        Self {
            actor: Actor::api_token(name),
            scope: Scope::Admin,
        }
    }

    pub fn kiosk(name: &str, location_id: i32) -> Self {
        Self {
            actor: Actor::kiosk(name),
            scope: Scope::Kiosk { location_id },
        }
    }

    /// A guest without an account on the poster's link: acts at that location only.
    pub fn arrival(location_id: i32) -> Self {
        Self {
            actor: Actor::arrival_page(),
            scope: Scope::Kiosk { location_id },
        }
    }
}

impl Account {
    pub fn caller(&self) -> Caller {
        let actor = Actor::account(self);
        let scope = match (self.role, self.host_id) {
            (Role::Admin, _) => Scope::Admin,
            (Role::Host, Some(host_id)) => Scope::Host { host_id },
            // A host row is created with every host account; without one, see nothing.
            (Role::Host, None) => Scope::Visitor { user_id: self.id },
            (Role::Visitor, _) => Scope::Visitor { user_id: self.id },
        };
        Caller { actor, scope }
    }
}

impl Scope {
    /// Narrows a query to the visits this scope may see.
    pub fn visits(self, query: Select<visit::Entity>) -> Select<visit::Entity> {
        match self {
            Scope::Admin => query,
            Scope::Host { host_id } => query.filter(visit::Column::HostId.eq(host_id)),
            Scope::Visitor { user_id } => query.filter(visit::Column::VisitorId.eq(user_id)),
            Scope::Kiosk { location_id } => query.filter(visit::Column::LocationId.eq(location_id)),
        }
    }

    /// Narrows a query to the live events this scope may follow; `None`: none at all
    /// (visitors and kiosks follow no live stream).
    pub fn events(self, query: Select<event::Entity>) -> Option<Select<event::Entity>> {
        match self {
            Scope::Admin => Some(query),
            Scope::Host { host_id } => Some(query.filter(event::Column::HostId.eq(host_id))),
            Scope::Visitor { .. } | Scope::Kiosk { .. } => None,
        }
    }

    /// The rule of `events` for one event already read (the live hub reads each
    /// event once and every socket picks what it may see).
    pub fn sees_event(self, event: &event::Model) -> bool {
        match self {
            Scope::Admin => true,
            Scope::Host { host_id } => event.host_id == Some(host_id),
            Scope::Visitor { .. } | Scope::Kiosk { .. } => false,
        }
    }

    /// Guests' views (a visitor's account, a kiosk, a check-out link) show no staff
    /// member's contact details.
    pub fn sees_staff_contacts(self) -> bool {
        matches!(self, Scope::Admin | Scope::Host { .. })
    }

    /// Whether a check-in by this scope may name `host_id` at `location_id`. `at`:
    /// the lobby whose poster code the guest showed (an arrival); the host must be there.
    pub fn may_check_in_to(self, host_id: i32, location_id: i32, at: Option<i32>) -> bool {
        if at.is_some_and(|at| at != location_id) {
            return false;
        }
        match self {
            Scope::Admin => true,
            // In person only: a visitor checks in at a lobby, by its poster's code.
            Scope::Visitor { .. } => at.is_some(),
            Scope::Host { host_id: own } => own == host_id,
            Scope::Kiosk { location_id: own } => own == location_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kiosk_may_check_in_only_to_hosts_of_its_own_location() {
        let kiosk = Scope::Kiosk { location_id: 1 };
        assert!(kiosk.may_check_in_to(7, 1, None));
        assert!(!kiosk.may_check_in_to(7, 2, None));
        assert!(Scope::Host { host_id: 7 }.may_check_in_to(7, 2, None));
        assert!(!Scope::Host { host_id: 7 }.may_check_in_to(8, 2, None));
    }

    #[test]
    fn a_visitor_checks_in_only_at_the_lobby_whose_code_they_showed() {
        let visitor = Scope::Visitor { user_id: 3 };
        assert!(!visitor.may_check_in_to(7, 1, None));
        assert!(visitor.may_check_in_to(7, 1, Some(1)));
        assert!(!visitor.may_check_in_to(7, 2, Some(1)));
        assert!(!Scope::Admin.may_check_in_to(7, 2, Some(1)));
    }

    #[test]
    fn guests_see_who_checked_them_out_without_an_e_mail_address() {
        let account = Account {
            id: 1,
            email: "meena@example.com".into(),
            name: "Meena (HQ)".into(),
            phone: None,
            role: Role::Host,
            host_id: Some(1),
            email_verified: true,
        };
        let recorded = account.caller().actor.0;
        assert!(recorded.contains("meena@example.com"), "{recorded}");
        assert_eq!(Actor::without_contact(&recorded), "host Meena (HQ)");
        assert_eq!(
            Actor::without_contact(&Actor::guest().0),
            "guest (self check-out)"
        );
    }

    #[test]
    fn kiosks_and_visitors_follow_no_live_events() {
        let event = event::Model {
            seq: 1,
            kind: "visit_checked_in".into(),
            visit_id: Some(1),
            host_id: Some(7),
            location_id: Some(1),
            payload: "{}".into(),
            created_at: chrono::Utc::now(),
        };
        assert!(!Scope::Kiosk { location_id: 1 }.sees_event(&event));
        assert!(!Scope::Visitor { user_id: 3 }.sees_event(&event));
        assert!(Scope::Host { host_id: 7 }.sees_event(&event));
        assert!(!Scope::Host { host_id: 8 }.sees_event(&event));
        assert!(Scope::Admin.sees_event(&event));
    }
}
