//! The lifecycle e-mails of a registration, in the reader's language.
//!
//! The words come from the catalogues in `server/mail/`, one flat JSON
//! object per language with the same keys and `{placeholders}`
//! ([`catalogue`]).

pub mod catalogue;

pub use catalogue::{LANGUAGES, Words, words};
