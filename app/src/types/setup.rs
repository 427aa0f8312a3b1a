use serde::{Deserialize, Serialize};

/// What the first-run setup form offers to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupChoices {
    /// IANA names.
    pub time_zones: Vec<String>,
    /// (ISO 3166-1 alpha-2, name), by name.
    pub countries: Vec<(String, String)>,
}
