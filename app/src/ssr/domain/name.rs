use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A person's display name: trimmed, 1–100 characters, with a letter or digit, and
/// nothing that changes how the rest is shown (control and format characters, line
/// separators): with bidi overrides or invisible characters one host could look like
/// another in the kiosk's list.
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
        if let Some(c) = trimmed.chars().find(|c| is_hidden(*c)) {
            return Err(format!(
                "Remove the invisible character U+{:04X}; names may hold only visible characters.",
                u32::from(c)
            ));
        }
        if !trimmed.chars().any(char::is_alphanumeric) {
            return Err("Enter a name with at least one letter.".into());
        }
        Ok(Self(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Format characters (bidi overrides and isolates, zero-width space, BOM, soft
/// hyphen...) and line/paragraph separators. The zero-width joiner and non-joiner
/// stay allowed: Persian and Indic names need them.
pub(super) fn is_hidden(c: char) -> bool {
    if matches!(c, '\u{200C}' | '\u{200D}') {
        return false;
    }
    // Letters and marks that render as nothing: Hangul fillers, the Braille blank,
    // the combining grapheme joiner. A name of them alone would look empty.
    if matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{034F}'
    ) {
        return true;
    }
    matches!(
        c.general_category(),
        GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
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

    #[test]
    fn bidi_overrides_separators_and_invisible_characters_are_refused() {
        for name in [
            "Ada \u{202E}ecalevol",
            "Ada\u{2066}Lovelace\u{2069}",
            "Ada\u{2028}Lovelace",
            "Ada\u{200B}Lovelace",
            "\u{FEFF}Ada",
            "Ada\u{00AD}Lovelace",
            "\u{3164}",
            "Ada\u{2800}",
            "A\u{034F}da",
        ] {
            let err = PersonName::parse(name).unwrap_err();
            assert!(err.contains("invisible character U+"), "{name:?}: {err}");
        }
        assert!(PersonName::parse("\u{200D}").is_err(), "nothing visible");
        assert!(PersonName::parse("...").is_err(), "no letter");
    }

    #[test]
    fn names_in_other_scripts_pass_even_with_joiners() {
        for name in ["محمد‌رضا", "राज्‍य", "Zoë Ng", "李小龍", "O'Brien-Smith"]
        {
            assert!(PersonName::parse(name).is_ok(), "{name:?}");
        }
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
