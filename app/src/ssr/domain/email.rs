use std::str::FromStr;

/// An email address, lower-cased so that lookups and uniqueness ignore case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Enter an email address.".into());
        }
        if trimmed.len() > 254 {
            return Err("Use an email address of at most 254 characters.".into());
        }
        let parsed = email_address::EmailAddress::from_str(trimmed).map_err(|_| {
            format!("\"{trimmed}\" is not an email address (like name@example.com).")
        })?;
        // Display names ("Ada <ada@x>") and domain-less forms are not addresses we can mail.
        if parsed.email() != trimmed || !parsed.domain().contains('.') {
            return Err(format!(
                "\"{trimmed}\" is not an email address (like name@example.com)."
            ));
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn addresses_are_lower_cased_and_trimmed() {
        assert_eq!(
            EmailAddress::parse(" Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "Ada <ada@example.com>",
            "a b@c.de",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_addresses_round_trip(input in any::<String>()) {
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(EmailAddress::parse(email.as_str()).unwrap(), email);
            }
        }

        #[test]
        fn plausible_addresses_round_trip(local in "[a-z0-9._%+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let input = format!("{local}@{domain}");
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(email.as_str(), input.as_str());
            }
        }
    }
}
