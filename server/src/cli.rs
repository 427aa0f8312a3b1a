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
    /// Fill an empty database with a demo office (one location, six hosts, a
    /// visitor, a kiosk pairing code, a week of visits) and print the log-ins.
    Demo,
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
        /// What the token is for, e.g. "door badge sync".
        #[arg(long)]
        name: String,
    },
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
    use super::one_line;

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
