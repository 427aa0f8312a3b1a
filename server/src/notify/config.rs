use secrecy::ExposeSecret;

use super::twilio::Sender;
use super::{SmtpMailer, Transports, TwilioClient};
use crate::settings::{Settings, SettingsError};

/// Real delivery where it is configured, the dev mailbox elsewhere.
pub fn transports(settings: &Settings) -> Result<Transports, SettingsError> {
    let email = match &settings.smtp_url {
        None => None,
        Some(url) => {
            let from = settings.mail_from.as_deref().ok_or_else(|| {
                SettingsError::Rule("FRONTDESK_SMTP_URL is set: set FRONTDESK_MAIL_FROM too".into())
            })?;
            Some(SmtpMailer::new(url.expose_secret(), from).map_err(SettingsError::Rule)?)
        }
    };
    let sms = match &settings.twilio_account_sid {
        None => None,
        Some(sid) => {
            let token = settings.twilio_auth_token.clone().ok_or_else(|| {
                SettingsError::Rule(
                    "FRONTDESK_TWILIO_ACCOUNT_SID is set: set FRONTDESK_TWILIO_AUTH_TOKEN too"
                        .into(),
                )
            })?;
            let sender = match (
                &settings.twilio_from,
                &settings.twilio_messaging_service_sid,
            ) {
                (Some(from), None) => Sender::From(from.clone()),
                (None, Some(service)) => Sender::MessagingService(service.clone()),
                _ => return Err(SettingsError::Rule(
                    "set one of FRONTDESK_TWILIO_FROM or FRONTDESK_TWILIO_MESSAGING_SERVICE_SID"
                        .into(),
                )),
            };
            Some(
                TwilioClient::new(&settings.twilio_base_url, sid, token, sender)
                    .map_err(SettingsError::Rule)?,
            )
        }
    };
    Ok(Transports { email, sms })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        Settings::from_sources(
            None,
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap()
    }

    #[test]
    fn without_settings_both_channels_use_the_dev_mailbox() {
        let t = transports(&settings(&[])).unwrap();
        assert!(t.email.is_none() && t.sms.is_none());
    }

    // lettre's connection pool lives on the Tokio runtime.
    #[tokio::test]
    async fn an_smtp_url_needs_a_sender_address() {
        let err = transports(&settings(&[("FRONTDESK_SMTP_URL", "smtp://mail:25")]))
            .err()
            .unwrap();
        assert!(err.to_string().contains("FRONTDESK_MAIL_FROM"), "{err}");
        let ok = settings(&[
            ("FRONTDESK_SMTP_URL", "smtp://mail:25?tls=starttls"),
            ("FRONTDESK_MAIL_FROM", "desk@example.com"),
        ]);
        assert!(transports(&ok).unwrap().email.is_some());
    }

    #[test]
    fn twilio_needs_a_token_and_exactly_one_sender() {
        let sid = ("FRONTDESK_TWILIO_ACCOUNT_SID", "AC123");
        let token = ("FRONTDESK_TWILIO_AUTH_TOKEN", "secret-token");
        let err = transports(&settings(&[sid])).err().unwrap();
        assert!(
            err.to_string().contains("FRONTDESK_TWILIO_AUTH_TOKEN"),
            "{err}"
        );
        let err = transports(&settings(&[sid, token])).err().unwrap();
        assert!(err.to_string().contains("FRONTDESK_TWILIO_FROM"), "{err}");
        assert!(!err.to_string().contains("secret-token"));
        let ok = settings(&[
            sid,
            token,
            ("FRONTDESK_TWILIO_MESSAGING_SERVICE_SID", "MG1"),
        ]);
        assert!(transports(&ok).unwrap().sms.is_some());
    }
}
