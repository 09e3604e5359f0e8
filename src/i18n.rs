//! The words on screen: one catalogue per language, keyed like the model's
//! error codes. English is compiled in; it is also the fallback for any key
//! another language lacks.

use crate::browser;
use accredit_model::messages::Catalogue;
use accredit_model::{Date, EventConfig, ValidationError};
use std::sync::Arc;

const UI_ENGLISH: &str = include_str!("i18n/en.json");

/// A language's catalogue plus what formats dates and names in it.
#[derive(Clone)]
pub struct I18n {
    pub lang: String,
    catalogue: Arc<Catalogue>,
}

impl I18n {
    pub fn english() -> I18n {
        let mut catalogue = Catalogue::english();
        catalogue.extend(
            Catalogue::from_json(UI_ENGLISH).expect("the English UI catalogue is valid JSON"),
        );
        I18n {
            lang: "en".into(),
            catalogue: Arc::new(catalogue),
        }
    }

    /// The text for `key`; the key itself if missing, so a gap is visible.
    pub fn t(&self, key: &str) -> String {
        self.catalogue.get(key).unwrap_or(key).to_string()
    }

    /// The text for `key` with `{name}` placeholders filled.
    pub fn tf(&self, key: &str, params: &[(&str, String)]) -> String {
        let template = self.catalogue.get(key).unwrap_or(key);
        accredit_model::messages::fill(template, |name| {
            params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        })
    }

    pub fn date(&self, date: Date) -> String {
        browser::format_date(date, &self.lang)
    }

    /// The message for a validation error: dates in the reader's locale,
    /// categories by their label in the event.
    pub fn error(&self, error: &ValidationError, event: &EventConfig) -> String {
        let format = |name: &str, value: &str| -> Option<String> {
            if let Ok(date) = Date::parse(value) {
                return Some(self.date(date));
            }
            (name == "category")
                .then(|| {
                    event
                        .category(value)
                        .map(|c| c.label.get(&self.lang).to_string())
                })
                .flatten()
        };
        self.catalogue.message(error, &format)
    }
}
