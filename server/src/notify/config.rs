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
