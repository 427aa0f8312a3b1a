use std::str::FromStr;

/// An IANA time zone name such as `Asia/Kolkata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Enter a time zone, like Europe/London.".into());
        }
        chrono_tz::Tz::from_str(trimmed).map(Self).map_err(|_| {
            format!(
                "\"{trimmed}\" is not an IANA time zone name, like Europe/London or Asia/Kolkata."
            )
        })
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_parse_and_others_do_not() {
        assert_eq!(
            TimeZone::parse("Asia/Kolkata").unwrap().name(),
            "Asia/Kolkata"
        );
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        assert!(TimeZone::parse("").is_err());
    }
}
