//! The organiser's session: the token, kept in sessionStorage only (gone
//! when the tab closes; never in a URL or localStorage), per endpoint and
//! event.

use crate::browser;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    key: String,
}

impl Session {
    pub fn new(endpoint: &str, event: &str) -> Session {
        Session {
            key: format!("accredit-organiser:{endpoint}:{event}"),
        }
    }

    pub fn token(&self) -> Option<String> {
        browser::session_get(&self.key).filter(|t| !t.is_empty())
    }

    pub fn keep(&self, token: &str) {
        browser::session_set(&self.key, token);
    }

    pub fn end(&self) {
        browser::session_remove(&self.key);
    }
}
