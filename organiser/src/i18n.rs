//! The organiser view's words, in the six official languages of the United
//! Nations. English is compiled in and fills any gap; every other language
//! is one JSON file in `dist/`, fetched only when an organiser reads it (the
//! loader hands over the function that fetches it).
//!
//! Only the interface follows the organiser's language: badges are printed
//! in the event's badge language (`EventConfig::badge_language`).

use crate::browser::{self, Collator, CountryNames};
use accredit_model::messages::Catalogue;
use accredit_model::{Date, DelegationKind, EventConfig, review::Status};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

const ENGLISH: &str = include_str!("../i18n/en.json");

/// The languages the organiser view speaks, in the order its switcher
/// lists them (the UN's: Arabic, Chinese, English, French, Russian,
/// Spanish).
pub const LANGUAGES: [(&str, &str); 6] = [
    ("ar", "العربية"),
    ("zh", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
];

thread_local! {
    /// The loader's catalogue-fetching function (`lang` → Promise of JSON text).
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

pub fn configure(load: js_sys::Function) {
    LOADER.with(|l| *l.borrow_mut() = Some(load));
}

/// `fr-CH` → `fr`, `zh-Hans-CN` → `zh`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .trim()
        .to_ascii_lowercase()
}

pub fn is_spoken(lang: &str) -> bool {
    LANGUAGES.iter().any(|(l, _)| *l == lang)
}

/// The first of `requested` (the element's `lang`, then the page's, then
/// the browser's) that the view speaks; English otherwise.
pub fn choose<'a>(requested: impl IntoIterator<Item = &'a str>) -> String {
    requested
        .into_iter()
        .map(primary)
        .find(|l| is_spoken(l))
        .unwrap_or_else(|| "en".into())
}

/// `lang`'s catalogue through the loader; English when it cannot be had.
pub async fn load(lang: &str) -> I18n {
    if lang == "en" || !is_spoken(lang) {
        return I18n::english();
    }
    let Some(loader) = LOADER.with(|l| l.borrow().clone()) else {
        return I18n::english();
    };
    let Ok(promise) = loader.call1(&wasm_bindgen::JsValue::NULL, &lang.into()) else {
        return I18n::english();
    };
    let text = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await;
    text.ok()
        .and_then(|t| t.as_string())
        .and_then(|json| I18n::with_catalogue(lang, &json))
        .unwrap_or_else(I18n::english)
}

/// One language's words and formatters. Cheap to clone.
#[derive(Clone)]
pub struct I18n {
    pub lang: String,
    catalogue: Rc<Catalogue>,
    // Built when first used: `Intl` objects cost more than most views need.
    countries: Rc<OnceCell<CountryNames>>,
    collator: Rc<OnceCell<Collator>>,
}

impl I18n {
    pub fn english() -> I18n {
        I18n::build(
            "en",
            Catalogue::from_json(ENGLISH).expect("the English catalogue is valid JSON"),
        )
    }

    /// English overlaid with `lang`'s catalogue.
    pub fn with_catalogue(lang: &str, json: &str) -> Option<I18n> {
        let mut catalogue =
            Catalogue::from_json(ENGLISH).expect("the English catalogue is valid JSON");
        catalogue.extend(Catalogue::from_json(json).ok()?);
        Some(I18n::build(lang, catalogue))
    }

    fn build(lang: &str, catalogue: Catalogue) -> I18n {
        I18n {
            lang: lang.to_owned(),
            catalogue: Rc::new(catalogue),
            countries: Rc::default(),
            collator: Rc::default(),
        }
    }

    pub fn dir(&self) -> &'static str {
        if self.lang == "ar" { "rtl" } else { "ltr" }
    }

    /// The text for `key`; the key itself if missing, so a gap shows.
    pub fn t(&self, key: &str) -> String {
        self.catalogue.get(key).unwrap_or(key).to_owned()
    }

    /// The text for `key` with its `{placeholders}` filled.
    pub fn tf(&self, key: &str, params: &[(&str, &str)]) -> String {
        let template = self.catalogue.get(key).unwrap_or(key);
        accredit_model::messages::fill(template, |name| {
            params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    /// `key.one` or `key.other` by `n`, with `{n}` in the view's digits.
    pub fn count(&self, key: &str, n: usize) -> String {
        let form = browser::plural_category(&self.lang, n);
        let specific = format!("{key}.{form}");
        let key = if self.catalogue.get(&specific).is_some() {
            specific
        } else {
            format!("{key}.other")
        };
        self.tf(&key, &[("n", &self.number(n))])
    }

    pub fn number(&self, n: usize) -> String {
        browser::format_number(n, &self.lang)
    }

    pub fn date(&self, date: Date) -> String {
        browser::format_date(date, &self.lang)
    }

    pub fn timestamp(&self, rfc3339: &str) -> String {
        browser::format_timestamp(rfc3339, &self.lang)
    }

    pub fn status(&self, status: Status) -> String {
        self.t(&format!("org.status.{}", status.as_str()))
    }

    pub fn kind(&self, kind: DelegationKind) -> String {
        self.t(&format!("org.kind.{}", kind.as_str()))
    }

    /// A country by its ISO code, in this language (the browser's CLDR
    /// names), the model's English name when the browser has none.
    pub fn country(&self, code: &str) -> String {
        country_name(self.countries(), code)
    }

    pub fn category(&self, event: &EventConfig, id: &str) -> String {
        event
            .categories
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| c.label.get(&self.lang).to_owned())
    }

    fn countries(&self) -> &CountryNames {
        self.countries.get_or_init(|| CountryNames::new(&self.lang))
    }

    /// The delegation's name in this language.
    pub fn delegation(&self, event: &EventConfig, d: &accredit_model::Delegation) -> String {
        delegation_name(event, d, self.countries(), &self.lang)
    }

    /// Orders names as readers of this language expect.
    pub fn compare(&self, a: &str, b: &str) -> std::cmp::Ordering {
        self.collator
            .get_or_init(|| Collator::new(&self.lang))
            .compare(a, b)
    }
}

fn country_name(names: &CountryNames, code: &str) -> String {
    names.name(code).unwrap_or_else(|| {
        accredit_model::country::english_name(code)
            .unwrap_or(code)
            .to_owned()
    })
}

/// The delegation's name in `lang`: a country through the browser's names,
/// an organisation of the event by its label in `lang`, anything else as
/// the delegation wrote it.
pub fn delegation_name(
    event: &EventConfig,
    delegation: &accredit_model::Delegation,
    names: &CountryNames,
    lang: &str,
) -> String {
    if let Some(code) = delegation.country.as_deref().filter(|c| !c.is_empty()) {
        return country_name(names, code);
    }
    let typed = delegation.organisation.as_deref().unwrap_or_default();
    event
        .organisations
        .iter()
        .find(|o| o.name.get("en") == typed)
        .map_or_else(|| typed.to_owned(), |o| o.name.get(lang).to_owned())
}
