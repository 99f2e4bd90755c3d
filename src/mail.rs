//! Outgoing mail with lettre: `.eml` files in a folder by default (development, demos, tests),
//! SMTP when `DESSINE_MAIL` is an `smtp://` or `smtps://` URL. Every message has a French plain
//! text body and an HTML one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailTransport};

#[derive(Clone)]
pub enum Mailer {
    /// Each mail is a file named by the time it was sent and a counter, so that reading the
    /// folder in name order reads the mails in the order they were sent.
    Folder(PathBuf, Arc<AtomicU64>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Removes the files of `folder` last written more than `keep` ago; how many.
pub fn remove_older_than(folder: &std::path::Path, keep: std::time::Duration) -> u64 {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > keep);
        if old && entry.path().is_file() && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A message ready to send.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Files sent with the message (a calendar entry).
    pub attachments: Vec<Attachment>,
    /// Where an answer goes, when not to the portal (a visitor writing to a structure).
    pub reply_to: Option<String>,
    /// The one-click unsubscription address of a letter (`List-Unsubscribe`, RFC 8058).
    pub list_unsubscribe: Option<String>,
}

/// A file attached to a mail.
#[derive(Clone)]
pub struct Attachment {
    pub filename: String,
    /// For example `text/calendar; charset=utf-8; method=PUBLISH`.
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Mail {
    /// Answers go to `address` (a bare address, checked by whoever took it from a form).
    pub fn reply_to(mut self, address: &str) -> Mail {
        self.reply_to = Some(address.to_owned());
        self
    }

    pub fn attach(mut self, attachment: Attachment) -> Mail {
        self.attachments.push(attachment);
        self
    }
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
                Ok(Mailer::Folder(folder.clone(), Arc::default()))
            }
            MailTransport::Smtp(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Mailer::Smtp(builder.build()))
                .map_err(|e| format!("DESSINE_MAIL : URL SMTP incorrecte : {e}")),
        }
    }

    /// Sends `mail`; a failure is logged, not shown: the visitor's answer must not depend on it.
    /// Answers whether it left.
    pub async fn send(&self, from: &str, mail: Mail) -> bool {
        match self.try_send(from, mail).await {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, "mail not sent");
                false
            }
        }
    }

    async fn try_send(&self, from: &str, mail: Mail) -> Result<(), String> {
        let from: Mailbox = from.parse().map_err(|e| format!("from: {e}"))?;
        let to: Mailbox = mail.to.parse().map_err(|e| format!("to: {e}"))?;
        let body = MultiPart::alternative_plain_html(mail.text, mail.html);
        let body = if mail.attachments.is_empty() {
            body
        } else {
            let mut mixed = MultiPart::mixed().multipart(body);
            for file in mail.attachments {
                let content_type = ContentType::parse(&file.content_type)
                    .map_err(|e| format!("{}: {e}", file.filename))?;
                mixed = mixed.singlepart(
                    lettre::message::Attachment::new(file.filename).body(file.body, content_type),
                );
            }
            mixed
        };
        let mut builder = Message::builder().from(from).to(to);
        if let Some(reply_to) = &mail.reply_to {
            builder = builder.reply_to(reply_to.parse().map_err(|e| format!("reply-to: {e}"))?);
        }
        if let Some(url) = &mail.list_unsubscribe {
            use lettre::message::header::{HeaderName, HeaderValue};
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = builder
            .subject(mail.subject)
            .multipart(body)
            .map_err(|e| e.to_string())?;
        match self {
            Mailer::Folder(folder, counter) => {
                let micros = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_micros());
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let path = folder.join(format!("{micros:020}-{n:06}.eml"));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| format!("{}: {e}", path.display()))
            }
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Someone else's words in a portal letter (a buyer's message, an invitation's note, a name a
/// visitor typed): a paragraph of its own, in French quotes after `label`, never mixed into the
/// portal's sentences. `None` for an empty text.
pub fn quoted(label: &str, text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| format!("{label} : « {text} »"))
}

/// What a mail says before it is addressed: its subject, its paragraphs and an optional link
/// (label, URL). Every feature writes its letters as functions that answer one (in its
/// `mails.rs`); [`Letter::to`] addresses it to each person, greeted by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

impl Letter {
    pub fn new(subject: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> Letter {
        Letter {
            subject: subject.to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            link: link.map(|(label, url)| (label.to_owned(), url.to_owned())),
        }
    }

    /// The French mail to `to`: greeting, paragraphs, the link shown as a link and as plain
    /// text, and the signature. Every text is escaped in the HTML part.
    /// An empty `greeting_name` greets with « Bonjour, » alone.
    pub fn to(&self, to: &str, greeting_name: &str) -> Mail {
        let greeting = if greeting_name.trim().is_empty() {
            "Bonjour,".to_owned()
        } else {
            format!("Bonjour {greeting_name},")
        };
        let mut text = format!("{greeting}\n\n");
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
            escape(&greeting)
        );
        for paragraph in self.paragraphs.iter().filter(|p| !p.is_empty()) {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape(paragraph)));
        }
        if let Some((label, url)) = &self.link {
            text.push_str(&format!("{label} :\n{url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{0}\">{1}</a></p><p>Si le lien ne s'ouvre pas, copiez cette adresse dans votre navigateur :<br>{0}</p>",
                escape(url),
                escape(label)
            ));
        }
        text.push_str("L'équipe DESSINE\n");
        html.push_str("<p>L'équipe DESSINE</p></body></html>");
        Mail {
            to: to.to_owned(),
            subject: self.subject.clone(),
            text,
            html,
            attachments: Vec::new(),
            reply_to: None,
            list_unsubscribe: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_mail_files_go_and_recent_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.eml");
        let recent = dir.path().join("recent.eml");
        std::fs::write(&old, "x").unwrap();
        std::fs::write(&recent, "x").unwrap();
        let month_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(31 * 86_400);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(month_ago)
            .unwrap();
        let removed = remove_older_than(dir.path(), std::time::Duration::from_secs(30 * 86_400));
        assert_eq!(removed, 1);
        assert!(!old.exists() && recent.exists());
    }
}
