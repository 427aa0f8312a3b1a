use serde::{Deserialize, Serialize};

/// What an account is. Pages show it; `ssr::auth::caller` decides what it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Host,
    Visitor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Host => "host",
            Role::Visitor => "visitor",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "admin" => Some(Role::Admin),
            "host" => Some(Role::Host),
            "visitor" => Some(Role::Visitor),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The logged-in account, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub role: Role,
    /// The address is confirmed; until then pages ask for it (and guests cannot
    /// pick a host).
    pub email_verified: bool,
}

impl Me {
    /// Where this account starts after logging in.
    pub fn home(&self) -> &'static str {
        home_of(self.role)
    }
}

pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "/admin",
        Role::Host => "/host",
        Role::Visitor => "/visitor",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationChoice {
    pub id: i32,
    pub name: String,
}

/// What the sign-up page says next. Chosen from the form alone (the door and the
/// address's domain), never from whether the address already has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignUpOutcome {
    /// Follow the link we e-mailed.
    ConfirmEmail,
    /// Follow the link, and an admin approves the host account.
    ConfirmEmailAndWait,
}

impl SignUpOutcome {
    /// The value of the sign-up page's `?sent=`, with JS and without.
    pub fn as_query(self) -> &'static str {
        match self {
            SignUpOutcome::ConfirmEmail => "confirm",
            SignUpOutcome::ConfirmEmailAndWait => "approval",
        }
    }
}

/// What a one-time link's page shows before it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub name: String,
    /// Where the new password or address then logs in: "visitor" or "host".
    pub door: String,
    pub kind: LinkKind,
    /// For a change of address: the new one.
    pub new_email: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    ConfirmEmail,
    ChangeEmail,
    Invitation,
    Reset,
}

/// The log-in door of a role: visitors have theirs, staff the other.
pub fn door_of(role: Role) -> &'static str {
    match role {
        Role::Visitor => "visitor",
        Role::Host | Role::Admin => "host",
    }
}

/// `next` when it is a path on this site to return to after logging in: relative,
/// not `//host` or `/\host` (other sites to a browser), no control characters, not
/// an API or log-in URL.
pub fn same_site_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2000
        && !next.starts_with("/api/")
        && !next.contains("/login");
    ok.then_some(next)
}

/// Percent-encodes a query value (unreserved characters stay).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(same_site_path("/visits/12"), Some("/visits/12"));
        assert_eq!(
            same_site_path("/admin/entries?status=running"),
            Some("/admin/entries?status=running")
        );
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil",
            "",
            "/api/log_out",
            "/host/login",
            "/x\r\nSet-Cookie: a=b",
        ] {
            assert_eq!(same_site_path(evil), None, "{evil:?}");
        }
    }
}
