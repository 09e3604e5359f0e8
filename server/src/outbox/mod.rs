//! The transactional outbox: every message is written in the database
//! transaction of the change that causes it ([`compose`] builds the rows),
//! and a background [`sender`] delivers it through a [`transport`],
//! retrying with exponential backoff for up to 48 hours.
//!
//! A crash at any moment loses nothing: before the commit there is neither
//! change nor message, after it both are on disk, and a message is only
//! marked sent after the transport accepted it. The price is at-least-once
//! delivery (a crash between acceptance and marking sends it again), which
//! the stable `Message-ID` of each message makes recognisable.

pub mod sender;
pub mod transport;

use crate::mail::{self, Letter};
use crate::random;
use crate::storage::NewMessage;
use tokio::sync::Notify;

/// The outbox's share of the server state.
#[derive(Debug)]
pub struct Outbox {
    /// Wakes the sender when a change queued messages.
    wake: Notify,
    /// The domain of `Message-ID`s: the sender address's.
    domain: String,
}

impl Outbox {
    /// `from` is the sender address (`Name <user@domain>` or `user@domain`).
    pub fn new(from: &str) -> Outbox {
        let domain = from
            .rsplit('@')
            .next()
            .map(|d| d.trim_end_matches('>').trim())
            .filter(|d| !d.is_empty() && *d != from)
            .unwrap_or("accredit.invalid")
            .to_owned();
        Outbox {
            wake: Notify::new(),
            domain,
        }
    }

    /// Tells the sender there is something new to deliver.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }

    /// The rows for every message `letter` causes (the focal point's, and
    /// the members' own when the event notifies them), ready to be
    /// written with the change.
    pub fn compose(&self, letter: &Letter<'_>) -> Vec<NewMessage> {
        mail::messages_for(letter.kind, letter)
            .into_iter()
            .map(|(kind, composed)| {
                let id = random::uuid();
                NewMessage {
                    message_id: format!("<{id}@{}>", self.domain),
                    id,
                    kind,
                    to_name: composed.to_name,
                    to_email: composed.to_email,
                    language: composed.language,
                    subject: composed.subject,
                    text: composed.text,
                    html: composed.html,
                }
            })
            .collect()
    }
}

/// The messages `letter` causes, for the server's outbox.
pub fn compose(state: &crate::AppState, letter: &Letter<'_>) -> Vec<NewMessage> {
    state.outbox.compose(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_use_the_sender_domain() {
        assert_eq!(
            Outbox::new("Accreditation <accreditation@unodc.org>").domain,
            "unodc.org"
        );
        assert_eq!(Outbox::new("desk@example.org").domain, "example.org");
        assert_eq!(Outbox::new("nobody").domain, "accredit.invalid");
    }
}
