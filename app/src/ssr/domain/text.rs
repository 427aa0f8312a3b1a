/// Bounded, trimmed, single-line text: the shape of a location's name.
fn bounded(input: &str, what: &str, max: usize) -> Result<String, String> {
    let trimmed = input.trim();
    let chars = trimmed.chars().count();
    if chars == 0 {
        return Err(format!("Enter {what}."));
    }
    if chars > max {
        return Err(format!("Use at most {max} characters (this has {chars})."));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        return Err("Remove control characters.".into());
    }
    if trimmed.chars().any(super::name::is_hidden) {
        return Err("Remove invisible characters (such as direction marks).".into());
    }
    Ok(trimmed.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationName(String);

impl LocationName {
    pub fn parse(input: &str) -> Result<Self, String> {
        let name = bounded(input, "a name for the location", 100)?;
        if name.contains('\n') {
            return Err("Keep the name on one line.".into());
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A street address, as printed in the guest's check-out email. May span lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    pub fn parse(input: &str) -> Result<Self, String> {
        bounded(input, "the street address", 500).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_names_are_single_line_and_bounded() {
        assert_eq!(LocationName::parse(" HQ ").unwrap().as_str(), "HQ");
        assert!(LocationName::parse("").is_err());
        assert!(LocationName::parse("a\nb").is_err());
        assert!(LocationName::parse(&"x".repeat(101)).is_err());
        assert!(LocationName::parse("HQ \u{202E}A").is_err());
    }

    #[test]
    fn addresses_may_span_lines() {
        assert!(Address::parse("1 Main St\nSpringfield").is_ok());
        assert!(Address::parse(" ").is_err());
    }
}
