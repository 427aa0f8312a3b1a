use std::str::FromStr;

/// A country by its ISO 3166-1 alpha-2 code (`IN`, `US`), as a location is in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(&'static str);

impl Country {
    pub fn parse(input: &str) -> Result<Self, String> {
        let code = input.trim();
        if code.is_empty() {
            return Err("Choose the country the location is in.".into());
        }
        // Only the two-letter code: celes also reads names and aliases, which a
        // form never sends and an API caller should not rely on.
        match celes::Country::from_alpha2(code) {
            Ok(country) if code.len() == 2 => Ok(Self(country.alpha2)),
            _ => Err(format!(
                "\"{code}\" is not a two-letter country code such as IN, US or GB."
            )),
        }
    }

    pub fn code(&self) -> &'static str {
        self.0
    }

    /// Every country as (code, name), by name: the choices a form offers.
    pub fn choices() -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = celes::Country::get_countries()
            .iter()
            .map(|c| {
                let name = c.long_name.strip_prefix("The ").unwrap_or(c.long_name);
                (c.alpha2.to_string(), name.to_string())
            })
            .collect();
        all.sort_by(|a, b| a.1.cmp(&b.1));
        all
    }
}

impl FromStr for Country {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_letter_codes_parse_in_any_case_and_names_do_not() {
        assert_eq!(Country::parse("in").unwrap().code(), "IN");
        assert_eq!(Country::parse(" US ").unwrap().code(), "US");
        assert!(Country::parse("India").is_err());
        assert!(Country::parse("XX").is_err());
        assert!(Country::parse("").is_err());
    }

    #[test]
    fn the_choices_are_named_and_sorted_by_name() {
        let choices = Country::choices();
        assert_eq!(choices.len(), 250);
        assert!(choices.contains(&("IN".into(), "India".into())));
        assert!(choices.contains(&("US".into(), "United States Of America".into())));
        assert!(choices.windows(2).all(|w| w[0].1 <= w[1].1));
    }
}
