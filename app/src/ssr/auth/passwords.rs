//! Passwords: argon2id with OWASP's parameters, hashed off the async runtime.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::OnceCell;

use super::hashers::Hashers;

use crate::error::FieldError;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// A password as typed: long enough, not absurdly long, no composition rules (NIST 800-63B).
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let chars = input.chars().count();
        if chars < MIN_LEN {
            return Err(FieldError::new(
                field,
                format!("Use at least {MIN_LEN} characters (a short sentence works well)."),
            ));
        }
        if chars > MAX_LEN {
            return Err(FieldError::new(
                field,
                format!("Use at most {MAX_LEN} characters."),
            ));
        }
        Ok(Self(input.to_string()))
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// argon2id, m=19456 KiB, t=2, p=1: OWASP's recommendation, and argon2's defaults.
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

fn hash_now(password: &str) -> Result<String, anyhow::Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness from the OS: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    Ok(hash.to_string())
}

fn verify_now(password: &str, stored: &str) -> bool {
    // The parameters come from the stored string, so old hashes keep verifying.
    PasswordHash::new(stored)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashes and verifies on low-priority threads (see `hashers`): a
/// burst of log-ins queues there and uses only CPU that requests leave idle.
#[derive(Clone)]
pub struct Passwords {
    hashers: Hashers,
    /// Verified against when the account does not exist, so that answer takes as long.
    dummy: Arc<OnceCell<String>>,
}

impl Default for Passwords {
    fn default() -> Self {
        Self {
            hashers: Hashers::start(Hashers::all_cores_but_one()),
            dummy: Arc::new(OnceCell::new()),
        }
    }
}

impl Passwords {
    pub async fn hash(&self, password: &Password) -> Result<String, anyhow::Error> {
        let password = password.0.clone();
        self.hashers.run(move || hash_now(&password)).await?
    }

    /// True when `password` matches `stored`. With no stored hash (unknown account, or
    /// one without a password) it still does the work of one verification, then says no.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> Result<bool, anyhow::Error> {
        let (target, real) = match stored {
            Some(hash) => (hash.to_string(), true),
            None => (self.dummy_hash().await?, false),
        };
        let password = password.to_string();
        let matched = self
            .hashers
            .run(move || verify_now(&password, &target))
            .await?;
        Ok(real && matched)
    }

    async fn dummy_hash(&self) -> Result<String, anyhow::Error> {
        self.dummy
            .get_or_try_init(|| async {
                let throwaway = crate::ssr::services::random_secret()?;
                self.hashers.run(move || hash_now(&throwaway)).await?
            })
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_shorter_than_eight_characters_are_refused_with_the_minimum() {
        let error = Password::parse("password", "seven77").unwrap_err();
        assert_eq!(error.field, "password");
        assert!(error.message.contains("at least 8"), "{}", error.message);
        assert!(Password::parse("password", "eight888").is_ok());
    }

    #[test]
    fn long_passphrases_up_to_the_maximum_are_accepted_and_longer_refused() {
        assert!(Password::parse("p", &"é".repeat(MAX_LEN)).is_ok());
        assert!(Password::parse("p", &"x".repeat(MAX_LEN + 1)).is_err());
        // No composition rules: only letters and spaces is fine.
        assert!(Password::parse("p", "correct horse battery staple").is_ok());
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let password = Password::parse("p", "hunter2hunter2").unwrap();
        assert!(!format!("{password:?}").contains("hunter2"));
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_now("correct horse").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_now("correct horse", &hash));
        assert!(!verify_now("correct horsE", &hash));
        assert!(!verify_now("correct horse", "not a phc string"));
    }

    #[test]
    fn the_same_password_gets_a_different_salt_each_time() {
        assert_ne!(
            hash_now("same same").unwrap(),
            hash_now("same same").unwrap()
        );
    }
}
