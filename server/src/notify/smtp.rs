use std::time::Duration;

use app::ssr::entities::notification;
use app::ssr::services::outbox::Outcome;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::backoff;

/// Email over SMTP (lettre, pooled connections, timeouts).
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `url`: `smtp://user:pass@host:port`, `smtps://...` (TLS), `...?tls=starttls`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        // Our documented `tls=starttls` is lettre's `tls=required`.
        let url = url.replace("tls=starttls", "tls=required");
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("FRONTDESK_SMTP_URL is not a usable SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("FRONTDESK_MAIL_FROM \"{from}\" is not an email address: {e}"))?;
        Ok(Self { transport, from })
    }

    pub async fn send(&self, row: &notification::Model) -> Outcome {
        let to = match row.recipient.parse::<Mailbox>() {
            Ok(to) => to,
            Err(e) => {
                return Outcome::Failed {
                    error: format!("bad recipient {}: {e}", row.recipient),
                }
            }
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone().unwrap_or_default());
        let message = match &row.html_body {
            Some(html) => message.multipart(MultiPart::alternative_plain_html(
                row.body.clone(),
                html.clone(),
            )),
            None => message
                .header(ContentType::TEXT_PLAIN)
                .body(row.body.clone()),
        };
        let message = match message {
            Ok(message) => message,
            Err(e) => {
                return Outcome::Failed {
                    error: format!("cannot build the email: {e}"),
                }
            }
        };
        match self.transport.send(message).await {
            Ok(response) => {
                let text: Vec<&str> = response.message().collect();
                let mut provider_id = format!("smtp {} {}", response.code(), text.join(" "));
                provider_id.truncate(100);
                Outcome::Sent { provider_id }
            }
            Err(e) if e.is_permanent() => Outcome::Failed {
                error: format!("SMTP refused the message: {e}"),
            },
            Err(e) => backoff::retry(row.attempts, format!("SMTP: {e}")),
        }
    }
}
