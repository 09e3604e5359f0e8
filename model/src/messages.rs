//! Messages for validation errors, in any language, from the error codes.
//!
//! A catalogue is a flat JSON object: `error.<code>` → a template with
//! `{param}` placeholders, plus the words some params are translated with
//! (`field.<name>`, `document_kind.<kind>`, `subject.<date>`). English is built in; other
//! languages are catalogues of the same keys, loaded by whoever needs them.
//! Both the widget and the server render messages through this module, so a
//! user reads the same sentence whichever side found the problem.

use crate::codes;
use crate::error::ValidationError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The English catalogue, shipped inside the crate.
pub const ENGLISH_JSON: &str = include_str!("../messages/en.json");

/// Params whose value is a key into the catalogue rather than text to show.
const TRANSLATED_PARAMS: &[&str] = &["field", "document_kind", "subject"];

/// One language's messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Catalogue {
    entries: BTreeMap<String, String>,
}

impl Catalogue {
    /// Parses a catalogue from its JSON object.
    pub fn from_json(json: &str) -> Result<Catalogue, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The built-in English catalogue.
    pub fn english() -> Catalogue {
        Catalogue::from_json(ENGLISH_JSON).expect("the English catalogue is valid JSON")
    }

    /// The text for `key`, if the catalogue has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// Adds every entry of `other`, replacing entries with the same key.
    pub fn extend(&mut self, other: Catalogue) {
        self.entries.extend(other.entries);
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The sentence for `error`. `format_param(name, value)` may render a
    /// param itself (dates in the reader's locale, category labels from the
    /// event); otherwise translated params come from this catalogue and the
    /// rest are shown as they are.
    pub fn message(
        &self,
        error: &ValidationError,
        format_param: &dyn Fn(&str, &str) -> Option<String>,
    ) -> String {
        let Some(template) = self.get(&format!("error.{}", error.code)) else {
            // A catalogue that lacks a code fails its completeness test; at
            // run time the code is still better than nothing.
            return error.code.to_string();
        };
        fill(template, |name| {
            let value = error.param(name)?;
            format_param(name, value).or_else(|| {
                if TRANSLATED_PARAMS.contains(&name) {
                    self.get(&format!("{name}.{value}")).map(str::to_string)
                } else {
                    Some(value.to_string())
                }
            })
        })
    }

    /// Keys `reference` has that this catalogue lacks (for completeness tests).
    pub fn missing_keys(&self, reference: &Catalogue) -> Vec<String> {
        reference
            .keys()
            .filter(|k| self.get(k).is_none())
            .map(str::to_string)
            .collect()
    }
}

/// The key of every error code's message, which every catalogue must have.
pub fn required_keys() -> impl Iterator<Item = String> {
    codes::ALL.iter().map(|code| format!("error.{code}"))
}

/// Replaces each `{name}` in `template` with `value(name)`; an unknown
/// placeholder is left as written so a mistake shows rather than vanishes.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[start..start + end + 2]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Violation;

    fn plain(_: &str, _: &str) -> Option<String> {
        None
    }

    #[test]
    fn english_has_a_message_for_every_code() {
        let en = Catalogue::english();
        let missing: Vec<_> = required_keys().filter(|k| en.get(k).is_none()).collect();
        assert!(missing.is_empty(), "English lacks {missing:?}");
    }

    #[test]
    fn every_language_has_a_message_for_every_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("messages");
        for lang in ["fr", "es", "ru", "zh", "ar"] {
            let text = std::fs::read_to_string(dir.join(format!("{lang}.json"))).unwrap();
            let catalogue = Catalogue::from_json(&text).unwrap();
            let missing = catalogue.missing_keys(&Catalogue::english());
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        }
    }

    #[test]
    fn every_english_message_is_specific() {
        for key in required_keys() {
            let text = Catalogue::english().get(&key).unwrap().to_lowercase();
            assert!(
                !text.contains("invalid")
                    && text != "required"
                    && text.split_whitespace().count() >= 3,
                "{key} is too vague: {text:?}"
            );
        }
    }

    #[test]
    fn params_fill_the_template() {
        let err = Violation::new(codes::NAME_TOO_LONG)
            .with("max", 100)
            .at("members[0].given_names");
        assert_eq!(
            Catalogue::english().message(&err, &plain),
            "Names must be 100 characters or fewer"
        );
    }

    #[test]
    fn translated_params_use_the_catalogue_and_callers_format_dates() {
        let err = Violation::new(codes::IDENTITY_DOCUMENT_EXPIRES_TOO_SOON)
            .with("min", "2027-10-22")
            .with("document_kind", "passport")
            .at("members[0].identity_document.expires_on");
        let date = |name: &str, value: &str| (name == "min").then(|| format!("<{value}>"));
        assert_eq!(
            Catalogue::english().message(&err, &date),
            "The passport must be valid until at least <2027-10-22>"
        );
    }

    #[test]
    fn unknown_codes_and_placeholders_stay_visible() {
        let err = ValidationError {
            path: "x".into(),
            code: "no.such.code".into(),
            params: BTreeMap::new(),
        };
        assert_eq!(Catalogue::english().message(&err, &plain), "no.such.code");
        assert_eq!(fill("a {b} c {", |_| None), "a {b} c {");
        assert_eq!(fill("{x}{x}", |_| Some("y".into())), "yy");
    }

    #[test]
    fn missing_keys_are_reported() {
        let small = Catalogue::from_json(r#"{"error.email.invalid": "x"}"#).unwrap();
        let missing = small.missing_keys(&Catalogue::english());
        assert!(missing.contains(&"error.email.required".to_string()));
        assert!(!missing.contains(&"error.email.invalid".to_string()));
    }
}
