//! Passwords: argon2id with OWASP's parameters, hashed off the async runtime.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::OnceCell;

use super::hashers::Hashers;

use crate::error::FieldError;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// zxcvbn's scale is 0–4; 3 is "safely unguessable: moderate protection from an
/// offline slow-hash scenario", what NIST 800-63B's blocklist check asks for.
pub const MIN_SCORE: u8 = 3;

/// A password as typed: 8–128 characters, no composition rules, and not common or
/// guessable (NIST 800-63B), as judged by the zxcvbn estimator.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// `about` is what the person told us of themselves (name, e-mail): a password
    /// built from it is guessable by anyone who knows them.
    pub fn parse(field: &str, input: &str, about: &[&str]) -> Result<Self, FieldError> {
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
        if let Some(why) = too_guessable(input, about) {
            return Err(FieldError::new(field, why));
        }
        Ok(Self(input.to_string()))
    }
}

/// Why zxcvbn would guess this password quickly, or None when it would not.
fn too_guessable(input: &str, about: &[&str]) -> Option<String> {
    // The e-mail's parts too: "ada.lovelace@example.com" gives "ada", "lovelace"...
    let mut inputs: Vec<&str> = Vec::new();
    for item in about {
        inputs.push(item);
        inputs.extend(
            item.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 2),
        );
    }
    let estimate = zxcvbn::zxcvbn(input, &inputs);
    if u8::from(estimate.score()) >= MIN_SCORE {
        return None;
    }
    let feedback = estimate.feedback();
    let warning = feedback
        .and_then(|f| f.warning())
        .map(|w| format!("{w} "))
        .unwrap_or_default();
    let suggestion = feedback
        .and_then(|f| f.suggestions().first())
        .map(|s| s.to_string())
        .unwrap_or_else(|| "Add another word or two; uncommon words are better.".into());
    Some(format!(
        "This password is too easy to guess. {warning}{suggestion}"
    ))
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
        let error = Password::parse("password", "seven77", &[]).unwrap_err();
        assert_eq!(error.field, "password");
        assert!(error.message.contains("at least 8"), "{}", error.message);
        assert!(Password::parse("password", "plum kite 1987 ox", &[]).is_ok());
    }

    #[test]
    fn long_passphrases_up_to_the_maximum_are_accepted_and_longer_refused() {
        let long: String = "ferny quokka vault "
            .repeat(7)
            .chars()
            .take(MAX_LEN)
            .collect();
        assert!(Password::parse("p", &long, &[]).is_ok());
        assert!(Password::parse("p", &format!("{long}x"), &[]).is_err());
        // No composition rules: only letters and spaces is fine.
        assert!(Password::parse("p", "correct horse battery staple", &[]).is_ok());
    }

    #[test]
    fn common_and_personal_passwords_are_refused_with_a_reason_for_the_field() {
        for weak in ["password", "12345678", "qwertyuiop", "iloveyou1"] {
            let error = Password::parse("password", weak, &[]).unwrap_err();
            assert_eq!(error.field, "password", "{weak}");
            assert!(
                error.message.contains("too easy to guess"),
                "{weak}: {}",
                error.message
            );
        }
        let me = ["Ada Lovelace", "ada.lovelace@example.com"];
        let own_email = Password::parse("new", "ada.lovelace@example.com", &me).unwrap_err();
        assert_eq!(own_email.field, "new");
        // Strong for a stranger, guessable for anyone who knows the person's name.
        assert!(Password::parse("new", "Ada Lovelace 1", &[]).is_ok());
        assert!(Password::parse("new", "Ada Lovelace 1", &me).is_err());
    }

    #[test]
    fn the_estimate_of_a_maximal_password_is_quick() {
        let start = std::time::Instant::now();
        let _ = Password::parse("p", &"a1!b2@c3#".repeat(15)[..MAX_LEN], &["Ada", "a@b.io"]);
        assert!(
            start.elapsed() < std::time::Duration::from_millis(500),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let password = Password::parse("p", "hunter2 is my cat's name", &[]).unwrap();
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
