//! Lists the user chooses from, in the UI language.

use crate::browser::CountryNames;
use crate::form::Form;
use accredit_model::country;
use leptos::prelude::*;

/// (code, name) of every country the user may pick, sorted by name as the
/// reader's language sorts. `invited_only` narrows to the event's list.
pub fn countries(form: Form, invited_only: bool) -> Vec<(String, String)> {
    let lang = form.i18n.with_value(|i| i.lang.clone());
    let names = CountryNames::new(&lang);
    let invited = form.event.with_value(|e| e.invited_countries.clone());
    let codes: Vec<String> = if invited_only && !invited.is_empty() {
        invited
    } else {
        country::all().map(|(code, _)| code.to_string()).collect()
    };
    let mut list: Vec<(String, String)> = codes
        .into_iter()
        .map(|code| {
            let name = names.name(&code);
            (code, name)
        })
        .collect();
    let collator = crate::browser::Collator::new(&lang);
    list.sort_by(|a, b| collator.compare(&a.1, &b.1));
    list
}

/// (id, label) of the event's participation categories, in protocol order.
pub fn categories(form: Form) -> Vec<(String, String)> {
    let lang = form.i18n.with_value(|i| i.lang.clone());
    form.event.with_value(|e| {
        e.categories
            .iter()
            .map(|c| (c.id.clone(), c.label.get(&lang).to_string()))
            .collect()
    })
}

/// The event's upload limit as people read it: `5 MB`.
pub fn max_upload(form: Form) -> String {
    let bytes = form.event.with_value(|e| e.limits.attachment_max_bytes);
    format!("{} MB", bytes / (1024 * 1024))
}

/// "passport" → "Passport": catalogue words used on their own, not inside
/// a sentence (in scripts without case, unchanged).
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
