//! The message catalogues: English is compiled into the widget; every other
//! language becomes one JSON file in `dist/` (interface strings and
//! validation messages together), fetched only by readers of that language.
//!
//! The build fails when a language lacks a key English has, has a key
//! English lacks, or changes a message's `{placeholders}`.

use crate::util::{Result, root};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// The UN official languages besides English, which the widget embeds.
pub const LANGUAGES: &[&str] = &["fr", "es", "ru", "zh", "ar"];

/// `src/i18n/<lang>.json` and `model/messages/<lang>.json` as one object.
pub fn merged(root: &Path, lang: &str) -> Result<Map<String, Value>> {
    let mut all = Map::new();
    for dir in ["src/i18n", "model/messages"] {
        let path = root.join(dir).join(format!("{lang}.json"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("missing catalogue {}: {e}", path.display()))?;
        let Value::Object(map) = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?
        else {
            return Err(format!("{} is not a JSON object", path.display()));
        };
        all.extend(map);
    }
    Ok(all)
}

/// Every problem of `catalogue` measured against `english`.
pub fn problems(
    lang: &str,
    english: &Map<String, Value>,
    catalogue: &Map<String, Value>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, en) in english {
        match catalogue.get(key).and_then(Value::as_str) {
            None => problems.push(format!("{lang}: missing {key}")),
            Some(text) => {
                let want = placeholders(en.as_str().unwrap_or_default());
                let got = placeholders(text);
                if want != got {
                    problems.push(format!(
                        "{lang}: {key} has placeholders {got:?}, English has {want:?}"
                    ));
                }
            }
        }
    }
    for key in catalogue.keys().filter(|k| !english.contains_key(*k)) {
        problems.push(format!("{lang}: {key} is not an English key"));
    }
    problems
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        found.insert(after[..end].to_string());
        rest = &after[end + 1..];
    }
    found
}

/// The organiser view's catalogue for `lang` (`organiser/i18n/<lang>.json`).
pub fn organiser(root: &Path, lang: &str) -> Result<Map<String, Value>> {
    let path = root.join("organiser/i18n").join(format!("{lang}.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("missing catalogue {}: {e}", path.display()))?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!("{} is not a JSON object", path.display())),
        Err(e) => Err(format!("{} is not valid JSON: {e}", path.display())),
    }
}

/// The plural forms of CLDR: a language has the ones its grammar needs.
const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// `key.few` → `key` when `key` is a plural base in `english` (it has
/// `key.other`).
fn plural_base<'a>(english: &Map<String, Value>, key: &'a str) -> Option<&'a str> {
    let (base, form) = key.rsplit_once('.')?;
    (PLURAL_FORMS.contains(&form) && english.contains_key(&format!("{base}.other"))).then_some(base)
}

/// Like [`problems`], but plurals follow each language's grammar: every
/// plural needs its `other` form, may have any CLDR form (Russian `few`,
/// Arabic `two`…), and a form may leave out `{n}` ("one participant" said
/// in words) but never use a placeholder English does not have.
pub fn organiser_problems(
    lang: &str,
    english: &Map<String, Value>,
    catalogue: &Map<String, Value>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, en) in english {
        let en = placeholders(en.as_str().unwrap_or_default());
        match (
            plural_base(english, key),
            catalogue.get(key).and_then(Value::as_str),
        ) {
            (Some(_), None) if !key.ends_with(".other") => {}
            (_, None) => problems.push(format!("{lang}: missing {key}")),
            (plural, Some(text)) => {
                let got = placeholders(text);
                let fits = if plural.is_some() {
                    got.is_subset(&en)
                } else {
                    got == en
                };
                if !fits {
                    problems.push(format!(
                        "{lang}: {key} has placeholders {got:?}, English has {en:?}"
                    ));
                }
            }
        }
    }
    for (key, text) in catalogue.iter().filter(|(k, _)| !english.contains_key(*k)) {
        match plural_base(english, key) {
            Some(base) => {
                let en = placeholders(
                    english[&format!("{base}.other")]
                        .as_str()
                        .unwrap_or_default(),
                );
                let got = placeholders(text.as_str().unwrap_or_default());
                if !got.is_subset(&en) {
                    problems.push(format!(
                        "{lang}: {key} has placeholders {got:?}, English has {en:?}"
                    ));
                }
            }
            None => problems.push(format!("{lang}: {key} is not an English key")),
        }
    }
    problems
}

/// The organiser view's catalogues as compact JSON, after checking them
/// all (English is compiled into the view and not among them).
pub fn build_organiser() -> Result<Vec<(&'static str, String)>> {
    let root = root();
    let english = organiser(&root, "en")?;
    let mut out = Vec::new();
    let mut all_problems = Vec::new();
    for lang in LANGUAGES {
        let catalogue = organiser(&root, lang)?;
        all_problems.extend(organiser_problems(lang, &english, &catalogue));
        out.push((*lang, Value::Object(catalogue).to_string()));
    }
    if all_problems.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "the organiser view's catalogues are incomplete:\n  {}",
            all_problems.join("\n  ")
        ))
    }
}

/// Each language's merged catalogue as compact JSON, after checking all of
/// them; every problem of every language is reported at once.
pub fn build() -> Result<Vec<(&'static str, String)>> {
    let root = root();
    let english = merged(&root, "en")?;
    let mut out = Vec::new();
    let mut all_problems = Vec::new();
    for lang in LANGUAGES {
        let catalogue = merged(&root, lang)?;
        all_problems.extend(problems(lang, &english, &catalogue));
        out.push((*lang, Value::Object(catalogue).to_string()));
    }
    if all_problems.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "message catalogues are incomplete:\n  {}",
            all_problems.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_complete_catalogue_has_no_problems() {
        let en = map(json!({"a": "Hello {name}", "b": "Bye"}));
        let fr = map(json!({"a": "Bonjour {name}", "b": "Au revoir"}));
        assert!(problems("fr", &en, &fr).is_empty());
    }

    #[test]
    fn missing_extra_and_changed_placeholders_are_reported() {
        let en = map(json!({"a": "Hello {name}", "b": "Bye"}));
        let fr = map(json!({"a": "Bonjour {nom}", "c": "?"}));
        let p = problems("fr", &en, &fr);
        assert!(p.iter().any(|p| p.contains("missing b")), "{p:?}");
        assert!(
            p.iter().any(|p| p.contains("c is not an English key")),
            "{p:?}"
        );
        assert!(p.iter().any(|p| p.contains("a has placeholders")), "{p:?}");
    }

    #[test]
    fn the_shipped_catalogues_are_complete() {
        build().expect("every language has every key");
    }

    #[test]
    fn organiser_plurals_follow_each_language() {
        let en = map(json!({"n.one": "{n} day", "n.other": "{n} days", "b": "Bye"}));
        // Russian: one, few, many, other; "one" may be said without {n}.
        let ru = map(
            json!({"n.one": "один день", "n.few": "{n} дня", "n.many": "{n} дней",
                            "n.other": "{n} дня", "b": "Пока"}),
        );
        assert!(organiser_problems("ru", &en, &ru).is_empty());
        // Chinese has only "other".
        let zh = map(json!({"n.other": "{n} 天", "b": "再见"}));
        assert!(organiser_problems("zh", &en, &zh).is_empty());
    }

    #[test]
    fn organiser_catalogues_fail_on_missing_extra_and_changed_placeholders() {
        let en =
            map(json!({"n.one": "{n} day", "n.other": "{n} days", "a": "Hi {name}", "b": "Bye"}));
        let fr = map(
            json!({"n.one": "{n} jour", "n.few": "{count} jours", "a": "Salut {nom}", "c": "?"}),
        );
        let p = organiser_problems("fr", &en, &fr);
        assert!(p.iter().any(|p| p.contains("missing n.other")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("missing b")), "{p:?}");
        assert!(
            p.iter().any(|p| p.contains("c is not an English key")),
            "{p:?}"
        );
        assert!(p.iter().any(|p| p.contains("a has placeholders")), "{p:?}");
        assert!(
            p.iter().any(|p| p.contains("n.few has placeholders")),
            "{p:?}"
        );
    }

    #[test]
    fn the_shipped_organiser_catalogues_are_complete() {
        build_organiser().expect("every language has every organiser key");
    }
}
