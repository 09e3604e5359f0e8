//! The lifecycle e-mails of a registration, composed in the reader's
//! language: received, amended, approved, changes requested, rejected,
//! withdrawn, a new manage link, and a member's own accreditation.
//!
//! [`compose`] turns one [`Letter`] into a plain-text message with an HTML
//! alternative; [`messages_for`] gives every message one lifecycle step
//! causes. The words come from the catalogues in `server/mail/`, one flat
//! JSON object per language with the same keys and `{placeholders}`
//! ([`catalogue`]). Nothing here sends anything: the outbox stores and
//! delivers what is composed.
//!
//! A message only ever carries the registration it is about, and never an
//! identity-document number or a date of birth.

pub mod catalogue;
pub mod compose;

pub use catalogue::{LANGUAGES, Words, words};
pub use compose::{Composed, Letter, compose, messages_for};
