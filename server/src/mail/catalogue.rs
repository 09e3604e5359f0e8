//! The words of the e-mails: one catalogue per language, compiled in.
//!
//! Each catalogue is a flat JSON object of `{placeholder}` templates
//! (`server/mail/<lang>.json`). Every language has exactly the keys English
//! has, and each of its texts has the same set of placeholders as the
//! English one; a test fails otherwise (the check the widget's build makes
//! of its own catalogues). Dates are written with the catalogue's month
//! names and `date` template, so no locale data is needed.

use accredit_model::Date;
use accredit_model::messages::{Catalogue, fill};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The languages e-mails are written in, English first (the fallback).
pub const LANGUAGES: [&str; 6] = ["en", "fr", "es", "ru", "zh", "ar"];

/// Each language's catalogue source, in the order of [`LANGUAGES`].
const SOURCES: [&str; 6] = [
    include_str!("../../mail/en.json"),
    include_str!("../../mail/fr.json"),
    include_str!("../../mail/es.json"),
    include_str!("../../mail/ru.json"),
    include_str!("../../mail/zh.json"),
    include_str!("../../mail/ar.json"),
];

/// Languages written right to left.
const RIGHT_TO_LEFT: &[&str] = &["ar", "fa", "he", "ur"];

fn parsed() -> &'static [Catalogue] {
    static PARSED: OnceLock<Vec<Catalogue>> = OnceLock::new();
    PARSED.get_or_init(|| {
        SOURCES
            .iter()
            .map(|json| Catalogue::from_json(json).expect("the mail catalogues are valid JSON"))
            .collect()
    })
}

/// The JSON source of a language's catalogue, if there is one.
pub fn source(language: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .position(|l| *l == language)
        .map(|i| SOURCES[i])
}

/// The words of one language, with English behind them.
#[derive(Clone, Copy, Debug)]
pub struct Words {
    language: &'static str,
    own: &'static Catalogue,
    english: &'static Catalogue,
}

/// The words for `language`; English when there is no catalogue for it.
pub fn words(language: &str) -> Words {
    let all = parsed();
    let index = LANGUAGES.iter().position(|l| *l == language).unwrap_or(0);
    Words {
        language: LANGUAGES[index],
        own: &all[index],
        english: &all[0],
    }
}

impl Words {
    /// The language these words are in (a tag of [`LANGUAGES`]).
    pub fn language(&self) -> &'static str {
        self.language
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        RIGHT_TO_LEFT.contains(&self.language)
    }

    /// The text for `key`, in this language or else in English.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.own.get(key).or_else(|| self.english.get(key))
    }

    /// The text for `key`; the key itself when no catalogue has it (a
    /// mistake the completeness test catches, shown rather than hidden).
    pub fn text<'k>(&self, key: &'k str) -> &'k str {
        self.get(key).unwrap_or(key)
    }

    /// The template `key` with its placeholders filled from `params`.
    pub fn fill(&self, key: &str, params: &[(&str, &str)]) -> String {
        fill(self.text(key), |name| {
            params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    /// A date as the reader writes it: `20 April 2027`, `1er mai 2027`,
    /// `2027年4月20日`.
    pub fn date(&self, date: Date) -> String {
        let day = if date.day() == 1 {
            self.text("date.day_one").to_owned()
        } else {
            date.day().to_string()
        };
        let month = self.text(&format!("month.{}", date.month())).to_owned();
        let year = date.year().to_string();
        self.fill("date", &[("day", &day), ("month", &month), ("year", &year)])
    }

    /// The days from `start` to `end` (one date when they are the same).
    pub fn dates(&self, start: Date, end: Date) -> String {
        if start == end {
            return self.date(start);
        }
        self.fill(
            "dates.range",
            &[("start", &self.date(start)), ("end", &self.date(end))],
        )
    }

    /// Several items as one phrase: `e-mail address, function`.
    pub fn join(&self, items: &[String]) -> String {
        items.join(self.text("list.separator"))
    }
}

/// Every problem of `catalogue` measured against `english`: keys it lacks,
/// keys English lacks, texts whose placeholders differ, values that are not
/// strings.
pub fn problems(
    language: &str,
    english: &Map<String, Value>,
    catalogue: &Map<String, Value>,
) -> Vec<String> {
    let mut found = Vec::new();
    for (key, en) in english {
        match catalogue.get(key) {
            None => found.push(format!("{language}: missing {key}")),
            Some(Value::String(text)) => {
                let want = placeholders(en.as_str().unwrap_or_default());
                let got = placeholders(text);
                if want != got {
                    found.push(format!(
                        "{language}: {key} has placeholders {got:?}, English has {want:?}"
                    ));
                }
            }
            Some(_) => found.push(format!("{language}: {key} is not a string")),
        }
    }
    for key in catalogue.keys().filter(|k| !english.contains_key(*k)) {
        found.push(format!("{language}: {key} is not an English key"));
    }
    found
}

/// The `{names}` a template uses.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        found.insert(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> Map<String, Value> {
        match serde_json::from_str(json).unwrap() {
            Value::Object(map) => map,
            _ => panic!("not a JSON object"),
        }
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn every_language_has_the_english_keys_and_placeholders() {
        let english = object(SOURCES[0]);
        assert!(english.len() > 50, "the English catalogue looks truncated");
        let mut all = Vec::new();
        for language in LANGUAGES {
            all.extend(problems(
                language,
                &english,
                &object(source(language).unwrap()),
            ));
        }
        assert!(all.is_empty(), "{all:#?}");
    }

    #[test]
    fn the_check_finds_missing_extra_and_changed_placeholders() {
        let english = object(r#"{"a": "Hello {name}", "b": "Plain", "c": "{x} and {y}"}"#);
        let other = object(r#"{"a": "Bonjour {nom}", "c": "{y} et {x}", "d": "En trop"}"#);
        let found = problems("fr", &english, &other);
        assert_eq!(
            found,
            [
                r#"fr: a has placeholders {"nom"}, English has {"name"}"#,
                "fr: missing b",
                "fr: d is not an English key",
            ]
        );
        assert_eq!(
            problems("fr", &english, &english),
            Vec::<String>::new(),
            "order of placeholders does not matter, nor does a text equal to English"
        );
    }

    #[test]
    fn placeholders_are_read_like_the_filler_reads_them() {
        let names: Vec<_> = placeholders("{a} x {b}{a} {unclosed").into_iter().collect();
        assert_eq!(names, ["a", "b"]);
        assert!(placeholders("no braces").is_empty());
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert_eq!(words("de").language(), "en");
        assert_eq!(words("").language(), "en");
        assert_eq!(words("zh").language(), "zh");
        assert_eq!(words("de").text("title.received"), "Registration received");
        assert_eq!(words("fr").text("no.such.key"), "no.such.key");
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        let rtl: Vec<_> = LANGUAGES
            .into_iter()
            .filter(|l| words(l).is_rtl())
            .collect();
        assert_eq!(rtl, ["ar"]);
    }

    #[test]
    fn dates_in_each_language() {
        let d = date("2027-04-20");
        let expected = [
            ("en", "20 April 2027"),
            ("fr", "20 avril 2027"),
            ("es", "20 de abril de 2027"),
            ("ru", "20 апреля 2027 г."),
            ("zh", "2027年4月20日"),
            ("ar", "20 نيسان/أبريل 2027"),
        ];
        for (language, text) in expected {
            assert_eq!(words(language).date(d), text, "{language}");
        }
        assert_eq!(words("fr").date(date("2027-05-01")), "1er mai 2027");
        assert_eq!(words("en").date(date("2027-12-01")), "1 December 2027");
        assert_eq!(words("zh").date(date("2028-02-29")), "2028年2月29日");
    }

    #[test]
    fn date_ranges_in_each_language() {
        let (start, end) = (date("2027-04-20"), date("2027-04-22"));
        let expected = [
            ("en", "20 April 2027 to 22 April 2027"),
            ("fr", "du 20 avril 2027 au 22 avril 2027"),
            ("es", "del 20 de abril de 2027 al 22 de abril de 2027"),
            ("ru", "с 20 апреля 2027 г. по 22 апреля 2027 г."),
            ("zh", "2027年4月20日至2027年4月22日"),
            ("ar", "من 20 نيسان/أبريل 2027 إلى 22 نيسان/أبريل 2027"),
        ];
        for (language, text) in expected {
            assert_eq!(words(language).dates(start, end), text, "{language}");
        }
        assert_eq!(words("en").dates(start, start), "20 April 2027");
    }

    #[test]
    fn lists_use_the_language_separator() {
        let items = ["a".to_owned(), "b".to_owned()];
        assert_eq!(words("en").join(&items), "a, b");
        assert_eq!(words("zh").join(&items), "a、b");
        assert_eq!(words("ar").join(&items), "a، b");
    }
}
