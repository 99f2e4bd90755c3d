//! Outgoing mail with lettre: `.eml` files in a folder by default (development, demos, tests),
//! SMTP when `DESSINE_MAIL` is an `smtp://` or `smtps://` URL. Every message has a French plain
//! text body and an HTML one.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::file::AsyncFileTransport;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailTransport};

#[derive(Clone)]
pub enum Mailer {
    Folder(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// A message ready to send.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self, String> {
        match &config.mail {
            MailTransport::Folder(folder) => {
                std::fs::create_dir_all(folder).map_err(|e| {
                    format!(
                        "DESSINE_MAIL : impossible de créer {} : {e}",
                        folder.display()
                    )
                })?;
                Ok(Mailer::Folder(AsyncFileTransport::new(folder)))
            }
            MailTransport::Smtp(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Mailer::Smtp(builder.build()))
                .map_err(|e| format!("DESSINE_MAIL : URL SMTP incorrecte : {e}")),
        }
    }

    /// Sends `mail`; a failure is logged, not shown: the visitor's answer must not depend on it.
    pub async fn send(&self, from: &str, mail: Mail) {
        if let Err(error) = self.try_send(from, mail).await {
            tracing::error!(%error, "mail not sent");
        }
    }

    async fn try_send(&self, from: &str, mail: Mail) -> Result<(), String> {
        let from: Mailbox = from.parse().map_err(|e| format!("from: {e}"))?;
        let to: Mailbox = mail.to.parse().map_err(|e| format!("to: {e}"))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| e.to_string())?;
        match self {
            Mailer::Folder(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}
