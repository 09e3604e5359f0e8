//! The words on screen: one catalogue per language, keyed like the model's
//! error codes. English is compiled in and is the fallback for any key;
//! every other language is one file next to the module, loaded only for its
//! readers, by a function the loader hands over (it knows whether the host's
//! CSP allows a fetch or only a script).

use crate::browser;
use accredit_model::messages::Catalogue;
use accredit_model::{Date, EventConfig, ValidationError};
use std::cell::RefCell;
use std::sync::Arc;

const UI_ENGLISH: &str = include_str!("i18n/en.json");

thread_local! {
    /// The languages the loader has catalogues for, and how it loads one.
    static CATALOGUES: RefCell<(Vec<String>, Option<js_sys::Function>)> =
        const { RefCell::new((Vec::new(), None)) };
}

/// Records the loader's languages and its catalogue-loading function.
pub fn configure(languages: &str, load: js_sys::Function) {
    let languages = languages
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    CATALOGUES.with(|c| *c.borrow_mut() = (languages, Some(load)));
}

/// Whether the widget can speak `lang`.
pub fn is_available(lang: &str) -> bool {
    lang == "en" || CATALOGUES.with(|c| c.borrow().0.iter().any(|l| l == lang))
}

/// `fr-CH` → `fr`, `zh-Hans-CN` → `zh`: catalogues are per language.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .trim()
        .to_ascii_lowercase()
}

/// The language to speak: the first of the host's requests that the event
/// offers and the widget has, else the event's default language, else
/// English.
pub fn choose(requested: &[String], event: &EventConfig) -> String {
    requested
        .iter()
        .map(|t| primary(t))
        .find(|l| event.offers_language(l) && is_available(l))
        .or_else(|| {
            let default = primary(event.default_language());
            is_available(&default).then_some(default)
        })
        .unwrap_or_else(|| "en".into())
}

/// The catalogue for `lang`, through the loader; English when it cannot be had.
pub async fn load(lang: &str) -> I18n {
    if lang == "en" || !is_available(lang) {
        return I18n::english();
    }
    let Some(loader) = CATALOGUES.with(|c| c.borrow().1.clone()) else {
        return I18n::english();
    };
    let Ok(promise) = loader.call1(&wasm_bindgen::JsValue::NULL, &lang.into()) else {
        return I18n::english_instead_of(lang);
    };
    // The loader refuses a catalogue that did not arrive or does not match
    // its pinned hash; the form then speaks English and says why.
    let text = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await;
    text.ok()
        .and_then(|t| t.as_string())
        .and_then(|json| I18n::with_catalogue(lang, &json))
        .unwrap_or_else(|| I18n::english_instead_of(lang))
}

/// A language's catalogue plus what formats dates and names in it.
#[derive(Clone)]
pub struct I18n {
    pub lang: String,
    /// The language asked for whose catalogue could not be had (English is
    /// spoken instead).
    pub unavailable: Option<String>,
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
            unavailable: None,
            catalogue: Arc::new(catalogue),
        }
    }

    /// English, standing in for `lang`, whose catalogue could not be had.
    fn english_instead_of(lang: &str) -> I18n {
        I18n {
            unavailable: Some(lang.to_string()),
            ..I18n::english()
        }
    }

    /// English overlaid with `lang`'s catalogue (English fills any gap).
    pub fn with_catalogue(lang: &str, json: &str) -> Option<I18n> {
        let mut i18n = I18n::english();
        let mut catalogue = (*i18n.catalogue).clone();
        catalogue.extend(Catalogue::from_json(json).ok()?);
        i18n.catalogue = Arc::new(catalogue);
        i18n.lang = lang.to_string();
        Some(i18n)
    }

    /// Right-to-left scripts among the languages offered.
    pub fn dir(&self) -> &'static str {
        if matches!(self.lang.as_str(), "ar" | "fa" | "he" | "ur") {
            "rtl"
        } else {
            "ltr"
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
