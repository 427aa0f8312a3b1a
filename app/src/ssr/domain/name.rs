/// A person's display name: trimmed, 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

pub const MAX_NAME_CHARS: usize = 100;

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        let chars = trimmed.chars().count();
        if chars == 0 {
            return Err("Enter a name.".into());
        }
        if chars > MAX_NAME_CHARS {
            return Err(format!(
                "Use at most {MAX_NAME_CHARS} characters (this has {chars})."
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("Remove line breaks and other control characters.".into());
        }
        Ok(Self(trimmed.to_string()))
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
    fn names_are_trimmed() {
        assert_eq!(
            PersonName::parse("  Ada Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn empty_and_blank_names_are_refused() {
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse("   \t").is_err());
    }

    #[test]
    fn a_hundred_characters_pass_and_a_hundred_and_one_do_not() {
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        let err = PersonName::parse(&"a".repeat(101)).unwrap_err();
        assert!(err.contains("at most 100"), "{err}");
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(PersonName::parse("Ada\nLovelace").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_names_round_trip(input in any::<String>()) {
            if let Ok(name) = PersonName::parse(&input) {
                prop_assert_eq!(PersonName::parse(name.as_str()).unwrap(), name.clone());
                prop_assert!(name.as_str().chars().count() <= MAX_NAME_CHARS);
                prop_assert_eq!(name.as_str().trim(), name.as_str());
            }
        }
    }
}
