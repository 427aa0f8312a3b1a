use std::str::FromStr;

use phonenumber::country;

/// The region assumed for numbers typed without a country code (`FRONTDESK_DEFAULT_REGION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(country::Id);

impl Region {
    pub fn parse(code: &str) -> Result<Self, String> {
        country::Id::from_str(&code.trim().to_uppercase())
            .map(Self)
            .map_err(|_| {
                format!("\"{code}\" is not a two-letter region code such as US, GB or IN.")
            })
    }
}

impl Region {
    /// A mobile number of the region as it is written there (`090-1234-5678` in
    /// JP), for messages; None where the metadata has no example.
    pub fn example(self) -> Option<String> {
        let metadata = phonenumber::metadata::DATABASE.by_id(self.0.as_ref())?;
        let digits = metadata.descriptors().mobile()?.example()?;
        let number = phonenumber::parse(Some(self.0), digits).ok()?;
        Some(
            number
                .format()
                .mode(phonenumber::Mode::National)
                .to_string(),
        )
    }
}

impl Default for Region {
    fn default() -> Self {
        Self(country::Id::US)
    }
}

/// A phone number that can receive calls or SMS, normalised to E.164 (`+14155550123`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str, region: Region) -> Result<Self, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Enter a phone number.".into());
        }
        // The parser's own limit is generous; anything this long is not a phone number.
        if trimmed.chars().count() > 40 {
            return Err("Use a phone number of at most 40 characters.".into());
        }
        let invalid = || {
            match region.example() {
            Some(local) => format!(
                "\"{trimmed}\" is not a valid phone number. Here one is written like {local}; \
                 from another country, start with + and its code, like +44 20 7946 0958."
            ),
            None => format!(
                "\"{trimmed}\" is not a valid phone number; include the country code, like +44 20 7946 0958."
            ),
        }
        };
        let number = phonenumber::parse(Some(region.0), trimmed).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        Ok(Self(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn us() -> Region {
        Region::parse("US").unwrap()
    }

    #[test]
    fn numbers_are_normalised_to_e164() {
        assert_eq!(
            PhoneNumber::parse("+44 20 7946 0958", us())
                .unwrap()
                .as_str(),
            "+442079460958"
        );
        assert_eq!(
            PhoneNumber::parse("(415) 555-2671", us()).unwrap().as_str(),
            "+14155552671"
        );
    }

    #[test]
    fn a_refused_number_is_answered_with_an_example_from_the_region_it_was_read_in() {
        let japan = Region::parse("JP").unwrap();
        let error = PhoneNumber::parse("12", japan).unwrap_err();
        let local = japan.example().expect("JP has an example mobile number");
        assert!(PhoneNumber::parse(&local, japan).is_ok(), "{local}");
        assert!(!local.starts_with('+'), "{local}");
        assert!(
            error.contains(&local) && error.contains("start with +"),
            "{error}"
        );
        let india = Region::parse("IN").unwrap().example().unwrap();
        assert_ne!(india, local, "each region its own example");
    }

    #[test]
    fn the_default_region_applies_to_numbers_without_a_country_code() {
        let india = Region::parse("in").unwrap();
        assert_eq!(
            PhoneNumber::parse("098765 43210", india).unwrap().as_str(),
            "+919876543210"
        );
    }

    #[test]
    fn short_and_nonsense_numbers_are_refused() {
        for bad in ["", "12", "phone", "+1 555", "+999 1234 5678"] {
            assert!(PhoneNumber::parse(bad, us()).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn unknown_regions_are_refused() {
        assert!(Region::parse("XX").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_numbers_round_trip(input in any::<String>()) {
            if let Ok(phone) = PhoneNumber::parse(&input, us()) {
                prop_assert!(phone.as_str().starts_with('+'));
                prop_assert_eq!(PhoneNumber::parse(phone.as_str(), us()).unwrap(), phone);
            }
        }

        #[test]
        fn digit_strings_never_panic(digits in "\\+?[0-9 ()-]{0,30}") {
            if let Ok(phone) = PhoneNumber::parse(&digits, us()) {
                prop_assert_eq!(PhoneNumber::parse(phone.as_str(), us()).unwrap(), phone);
            }
        }
    }
}
