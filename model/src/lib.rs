//! # accredit-model
//!
//! The single source of truth shared by the accredit registration widget
//! (Leptos, wasm32) and its server (axum): the event configuration, the
//! registration payload, and every validation rule.
//!
//! ```
//! use accredit_model::{validate, Date, EventConfig, Registration};
//!
//! # fn demo(event: &EventConfig, json: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let registration: Registration = serde_json::from_str(json)?;
//! // The server normalises first; the widget validates what the browser
//! // already normalised (see the `normalise` module).
//! let registration = registration.normalised();
//! let today = Date::from_unix_days(20_000).expect("a date in range");
//! if let Err(errors) = validate(&registration, event, today) {
//!     for error in &errors {
//!         println!("{} {} {:?}", error.path, error.code, error.params);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## Layout
//! - [`date`]: a civil date; "today" is always passed in, never read.
//! - [`date_parts`]: a date typed as day, month and year, and what is wrong with it.
//! - [`country`]: ISO 3166-1 alpha-2 codes and English names.
//! - [`config`]: [`EventConfig`] and [`EventConfig::check`].
//! - [`payload`]: [`Registration`] and its parts.
//! - [`normalise`]: [`Registration::normalised`] (links the NFC tables).
//! - [`rules`]: every rule, as small functions usable on their own.
//! - [`validate()`]: the entry point, plus per-step helpers.
//! - [`error`] and [`codes`]: the flat error list and its stable codes.
//! - [`review`]: review status, protocol order, the organisers' filters and
//!   what changed between two versions.
//! - [`mask`]: identity-document numbers as a manage link shows them.
//! - [`api`]: the bodies of the HTTP API, shared by server and clients.
//! - [`demo`]: the Islamabad TIP/SOM demonstration event.

#![warn(missing_docs)]

pub mod api;
pub mod codes;
pub mod config;
pub mod country;
pub mod date;
pub mod date_parts;
pub mod demo;
pub mod digits;
pub mod error;
pub mod mask;
pub mod messages;
pub mod normalise;
pub mod payload;
pub mod review;
pub mod rules;
pub mod validate;

#[cfg(test)]
mod test_support;

pub use config::{
    Category, DelegationKind, EventConfig, FALLBACK_LANGUAGE, FieldRule, FieldRules,
    HEAD_OF_DELEGATION, Limits, Localised, MANAGE_FRAGMENT, Organisation, Session,
};
pub use date::{Date, DateParseError};
pub use error::{ValidationError, ValidationErrors, Violation};
pub use payload::{
    Consent, Delegation, DocumentKind, FocalPoint, HONORIFICS, IdentityDocument, Member,
    Registration,
};
pub use validate::{
    validate, validate_composition, validate_consent_step, validate_contents,
    validate_delegation_step, validate_member, validate_registration_open,
};
