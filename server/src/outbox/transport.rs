//! How messages leave: SMTP through `lettre`, or `.eml` files in a folder.
//!
//! `--smtp-url` takes `smtp://host:port` (plain: a local relay, a test
//! sink), `smtp+starttls://host:port` (STARTTLS required) or
//! `smtps://host:port` (TLS from the first byte), with credentials as
//! `user:password@` in the URL. Without one, every message is written as an
//! `.eml` file under `{data-dir}/outbox/`, so a demo or a development
//! server shows exactly what would have been sent. The files hold names
//! and addresses, so they are written 0600 (whatever the umask), named
//! after the message's id: a message delivered twice is one file.

use crate::storage::NewMessage;
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one SMTP conversation may take before it counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Why a delivery failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub permanent: bool,
    pub text: String,
}

impl Transport {
    /// The transport for `--smtp-url`, or the outbox folder without one.
    pub fn new(smtp_url: Option<&str>, data_dir: &Path) -> Result<Transport, String> {
        match smtp_url {
            Some(url) => smtp(url).map(Transport::Smtp),
            None => {
                let dir = data_dir.join("outbox");
                crate::private_files::folder(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Transport::Files(dir))
            }
        }
    }

    /// Delivers one message.
    pub async fn send(&self, from: &Mailbox, message: &NewMessage) -> Result<(), SendError> {
        let email = build(from, message)?;
        match self {
            Transport::Smtp(smtp) => smtp.send(email).await.map(drop).map_err(|e| SendError {
                permanent: e.is_permanent(),
                text: e.to_string(),
            }),
            Transport::Files(dir) => write_file(dir, &message.id, &email.formatted())
                .await
                .map_err(|e| SendError {
                    permanent: false,
                    text: format!("cannot write to {}: {e}", dir.display()),
                }),
        }
    }

    /// Where `.eml` files go, for the files transport.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Transport::Files(dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }
}

/// Writes `{dir}/{id}.eml`, created 0600: first under a temporary name,
/// then renamed, so a reader of the folder never sees half a message.
async fn write_file(dir: &Path, id: &str, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    // Ids are the server's own; anything else in one is no file name.
    let name: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let partial = dir.join(format!(".{name}.eml.partial"));
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(&partial).await?;
    file.write_all(bytes).await?;
    file.sync_all().await?;
    drop(file);
    tokio::fs::rename(&partial, dir.join(format!("{name}.eml"))).await
}

fn smtp(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    // lettre's own URL form says STARTTLS with a query parameter.
    let lettre_url = match url.strip_prefix("smtp+starttls://") {
        Some(rest) => format!("smtp://{rest}?tls=required"),
        None if url.starts_with("smtp://") || url.starts_with("smtps://") => url.to_owned(),
        None => {
            return Err(format!(
                "--smtp-url must start with smtp://, smtp+starttls:// or smtps:// (got `{}`)",
                url.split("://").next().unwrap_or(url)
            ));
        }
    };
    AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url)
        .map(|builder| builder.timeout(Some(SMTP_TIMEOUT)).build())
        .map_err(|e| format!("--smtp-url is not usable: {e}"))
}

/// The sender address of `--mail-from`.
pub fn mailbox(from: &str) -> Result<Mailbox, String> {
    from.parse::<Mailbox>()
        .map_err(|e| format!("--mail-from `{from}` is not an e-mail address: {e}"))
}

/// The RFC 5322 message: plain text with an HTML alternative, the stored
/// `Message-ID` on every attempt.
fn build(from: &Mailbox, m: &NewMessage) -> Result<Message, SendError> {
    let permanent = |text: String| SendError {
        permanent: true,
        text,
    };
    let address: Address = m
        .to_email
        .parse()
        .map_err(|e| permanent(format!("the address `{}` is not usable: {e}", m.to_email)))?;
    let name = Some(m.to_name.clone()).filter(|n| !n.trim().is_empty());
    Message::builder()
        .from(from.clone())
        .to(Mailbox::new(name, address))
        .subject(m.subject.clone())
        .message_id(Some(m.message_id.clone()))
        .header(ContentLanguage(m.language.clone()))
        .multipart(MultiPart::alternative_plain_html(
            m.text.clone(),
            m.html.clone(),
        ))
        .map_err(|e| permanent(format!("the message cannot be built: {e}")))
}

/// `Content-Language`, so mail clients offer the right spelling and voice.
#[derive(Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_checked() {
        assert!(smtp("smtp://127.0.0.1:2525").is_ok());
        assert!(smtp("smtp+starttls://user:secret@mail.example.org:587").is_ok());
        assert!(smtp("smtps://mail.example.org:465").is_ok());
        assert!(
            smtp("http://mail.example.org")
                .unwrap_err()
                .contains("must start with")
        );
        assert!(mailbox("Accreditation <accreditation@example.org>").is_ok());
        assert!(mailbox("not an address").is_err());
    }
}
