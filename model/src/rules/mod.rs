//! Every validation rule, one family per module.
//!
//! Pure `check_*` functions take plain values and return
//! `Result<(), Violation>`, so the widget can run a single rule as the user
//! types. The `check_*` functions that take a payload push
//! [`crate::ValidationError`]s with their paths. None of them normalises
//! Unicode (see [`crate::normalise`]): they trim and compare case-insensitively
//! where [`crate::Registration::normalised`] would trim or change case, so a
//! raw form gives the same verdict as its normalised copy.

pub mod attachment;
pub mod consent;
pub mod country;
pub mod dates;
pub mod delegation;
pub(crate) mod derive;
pub mod email;
pub mod event;
pub mod fields;
pub mod member;
pub mod names;
pub mod phone;
pub mod text;

/// Whether a form text counts as given: anything but blanks.
pub fn is_present(text: &str) -> bool {
    !text.trim().is_empty()
}

/// [`is_present`] for optional texts (attachment ids, organisation).
pub fn is_present_opt(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(is_present)
}
