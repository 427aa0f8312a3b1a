use super::{EmailAddress, PersonName, PhoneNumber, Region};
use crate::error::FieldError;

/// A person we can reach: a host or a guest, as typed into a form or the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: PersonName,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
}

impl Contact {
    /// Parses the three fields; the error names the first field at fault.
    pub fn parse(name: &str, email: &str, phone: &str, region: Region) -> Result<Self, FieldError> {
        Ok(Self {
            name: PersonName::parse(name).map_err(|m| FieldError::new("name", m))?,
            email: EmailAddress::parse(email).map_err(|m| FieldError::new("email", m))?,
            phone: PhoneNumber::parse(phone, region).map_err(|m| FieldError::new("phone", m))?,
        })
    }
}
