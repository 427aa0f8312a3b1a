use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Frontdesk: self-hosted visitor management.
#[derive(Debug, Parser)]
#[command(name = "frontdesk", version, about)]
pub struct Cli {
    /// Settings file (TOML). Default: ./frontdesk.toml when it exists.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Default, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    #[default]
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage API tokens (admin scope).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage hosts.
    Host {
        #[command(subcommand)]
        command: HostCommand,
    },
    /// Fill an empty database with a demo office (one location, six hosts, a
    /// visitor, a kiosk pairing code, a week of visits) and print the log-ins.
    Demo,
}

#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Add a host and e-mail them an invitation to set a password (7 days). Guests
    /// can pick them at once: whoever runs this vouches for the address.
    Invite {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Mobile number for SMS; without a country code, FRONTDESK_DEFAULT_REGION's.
        #[arg(long)]
        phone: String,
        /// The location's id, as `GET /api/v1/locations` lists it.
        #[arg(long)]
        location_id: i32,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin, or reset an admin's password. The password is read from
    /// FRONTDESK_ADMIN_PASSWORD or, if unset, from the first line of stdin.
    Create {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (shown once; only its hash is stored).
    Create {
        /// What the token is for, e.g. "door badge sync". Unique among live tokens.
        #[arg(long)]
        name: String,
        /// Days until the token stops working (1 to 3650). Default: never.
        #[arg(long, value_name = "DAYS")]
        expires_in: Option<u32>,
    },
    /// List every token: name, created, last used, expiry and state (no secrets).
    List,
    /// Revoke the live token with this name: its next request gets 401.
    Revoke {
        /// The token's name, as `frontdesk token list` shows it.
        name: String,
    },
}

/// `frontdesk token list`'s table: one row per token, times in UTC, never a secret.
pub fn token_table(tokens: &[app::ssr::services::tokens::TokenInfo]) -> String {
    if tokens.is_empty() {
        return "No API tokens. Create one with `frontdesk token create --name NAME`.\n".into();
    }
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut rows = vec![["NAME", "CREATED", "LAST USED", "EXPIRES", "STATE"].map(String::from)];
    rows.extend(tokens.iter().map(|t| {
        [
            t.name.clone(),
            time(t.created_at),
            t.last_used_at.map_or_else(|| "never".into(), time),
            t.expires_at.map_or_else(|| "never".into(), time),
            t.state.to_string(),
        ]
    }));
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut table = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        table.push_str(cells.join("  ").trim_end());
        table.push('\n');
    }
    table
}

/// The error and its causes on one line, each cause once: many errors repeat their
/// source in their own message, which `{:#}` would print twice.
pub fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::{one_line, token_table};
    use app::ssr::services::tokens::{TokenInfo, TokenState};
    use chrono::TimeZone;

    #[test]
    fn the_token_table_lines_up_its_columns_and_says_never_for_missing_times() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
        let tokens = [
            TokenInfo {
                id: 2,
                name: "badge sync".into(),
                created_at: at,
                last_used_at: Some(at),
                expires_at: Some(at),
                revoked_at: None,
                state: TokenState::Expired,
            },
            TokenInfo {
                id: 1,
                name: "ci".into(),
                created_at: at,
                last_used_at: None,
                expires_at: None,
                revoked_at: Some(at),
                state: TokenState::Revoked,
            },
        ];
        let table = token_table(&tokens);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        assert!(lines[0].starts_with("NAME        CREATED"), "{table}");
        assert_eq!(
            lines[2],
            "ci          2026-12-01 09:30 UTC  never                 never                 revoked"
        );
        assert!(lines[1].ends_with("expired"), "{table}");
    }

    #[derive(Debug, thiserror::Error)]
    #[error("cannot open the database: {0}")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn causes_already_in_the_message_are_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let error = anyhow::Error::new(Outer(io)).context("starting up");
        assert_eq!(
            one_line(&error),
            "starting up: cannot open the database: Connection refused"
        );
    }
}
