//! Finds mistakes in an event configuration before anyone registers.
//!
//! Each problem is an English sentence for the organiser who wrote the
//! file, naming the offending key. These are not user-facing validation
//! errors, so they are prose rather than codes.

use std::collections::BTreeSet;

use super::{EventConfig, FALLBACK_LANGUAGE, HEAD_OF_DELEGATION, Localised};
use crate::country::is_country;

pub(super) fn problems(event: &EventConfig) -> Vec<String> {
    let mut found = Vec::new();
    check_identity(event, &mut found);
    check_dates(event, &mut found);
    check_languages(event, &mut found);
    check_delegations(event, &mut found);
    check_organisations(event, &mut found);
    check_categories(event, &mut found);
    check_sessions(event, &mut found);
    check_fields(event, &mut found);
    check_limits(event, &mut found);
    check_lifecycle(event, &mut found);
    found
}

fn check_lifecycle(event: &EventConfig, found: &mut Vec<String>) {
    if let Some(page) = &event.manage_page {
        let scheme_ok = ["https://", "http://"]
            .iter()
            .any(|scheme| page.starts_with(scheme) && page.len() > scheme.len());
        if !scheme_ok || page.chars().any(char::is_whitespace) {
            found.push(
                "manage_page must be the absolute http:// or https:// address of the page that embeds the widget".into(),
            );
        }
    }
    if let Some(close) = event.amendments_close {
        if close > event.ends_on {
            found.push(format!(
                "amendments_close {close} is after the event ends ({})",
                event.ends_on
            ));
        }
        if close < event.registration_closes_on {
            found.push(format!(
                "amendments_close {close} is before registration closes ({})",
                event.registration_closes_on
            ));
        }
    }
    if !event.badge_collection.0.is_empty() {
        check_text(event, "badge_collection", &event.badge_collection, found);
    }
    // Badges are printed in one of the six languages the organiser view
    // has names for.
    if !["ar", "zh", "en", "fr", "ru", "es"].contains(&event.badge_language.as_str()) {
        found.push(format!(
            "badge_language {:?} is not one of ar, zh, en, fr, ru, es",
            event.badge_language
        ));
    }
}

/// Lowercase a–z, digits and inner hyphens: safe in URLs, file names and CSS.
pub(crate) fn is_slug(text: &str) -> bool {
    is_id_with(text, b'-')
}

/// Ids of categories, sessions and organisations: like a slug, and `_` is
/// also allowed (`head_of_delegation`), since they never appear in URLs.
pub(crate) fn is_identifier(text: &str) -> bool {
    is_id_with(text, b'_')
}

fn is_id_with(text: &str, extra: u8) -> bool {
    let inner = |b: u8| b == b'-' || b == extra;
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && !inner(bytes[0])
        && !inner(bytes[bytes.len() - 1])
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || inner(b))
}

const ID_RULE: &str = "id must use only a-z, 0-9 and inner hyphens or underscores";

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn duplicates<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    let mut repeated = Vec::new();
    for id in ids {
        if !seen.insert(id) && !repeated.contains(&id) {
            repeated.push(id);
        }
    }
    repeated
}

fn check_text(event: &EventConfig, key: &str, text: &Localised, found: &mut Vec<String>) {
    if !text.has(FALLBACK_LANGUAGE) {
        found.push(format!("{key} has no English (\"en\") text"));
    }
    for language in &event.languages {
        if language != FALLBACK_LANGUAGE && !text.has(language) {
            found.push(format!(
                "{key} has no \"{language}\" text although the event offers it"
            ));
        }
    }
}

fn check_identity(event: &EventConfig, found: &mut Vec<String>) {
    if !is_slug(&event.id) {
        found.push(format!(
            "id \"{}\" must use only a-z, 0-9 and inner hyphens",
            event.id
        ));
    }
    check_text(event, "name", &event.name, found);
    for (key, text) in [("venue", &event.venue), ("city", &event.city)] {
        if !text.0.is_empty() {
            check_text(event, key, text, found);
        }
    }
    if !is_country(&event.country) {
        found.push(format!(
            "country \"{}\" is not an ISO 3166-1 alpha-2 code",
            event.country
        ));
    }
}

fn check_dates(event: &EventConfig, found: &mut Vec<String>) {
    if event.ends_on < event.starts_on {
        found.push(format!(
            "ends_on {} is before starts_on {}",
            event.ends_on, event.starts_on
        ));
    }
    if event.registration_closes_on > event.ends_on {
        found.push(format!(
            "registration_closes_on {} is after the event ends ({})",
            event.registration_closes_on, event.ends_on
        ));
    }
}

fn check_languages(event: &EventConfig, found: &mut Vec<String>) {
    if !event.offers_language(FALLBACK_LANGUAGE) {
        found.push("languages must include \"en\" (the fallback for missing translations)".into());
    }
    for language in &event.languages {
        if !is_language_tag(language) {
            found.push(format!(
                "languages: \"{language}\" is not a language tag such as \"fr\""
            ));
        }
    }
    for language in duplicates(event.languages.iter().map(String::as_str)) {
        found.push(format!(
            "languages: \"{language}\" is listed more than once"
        ));
    }
}

fn check_delegations(event: &EventConfig, found: &mut Vec<String>) {
    if event.delegation_kinds.is_empty() {
        found.push("delegation_kinds is empty: nobody could register".into());
    }
    for kind in duplicates(event.delegation_kinds.iter().map(|k| k.as_str())) {
        found.push(format!(
            "delegation_kinds: \"{kind}\" is listed more than once"
        ));
    }
    for kind in &event.head_of_delegation_required_for {
        if !event.allows(*kind) {
            found.push(format!(
                "head_of_delegation_required_for lists \"{}\", which is not in delegation_kinds",
                kind.as_str()
            ));
        }
    }
    for code in &event.invited_countries {
        if !is_country(code) {
            found.push(format!(
                "invited_countries: \"{code}\" is not an ISO 3166-1 alpha-2 code"
            ));
        }
    }
    for code in duplicates(event.invited_countries.iter().map(String::as_str)) {
        found.push(format!(
            "invited_countries: \"{code}\" is listed more than once"
        ));
    }
}

fn check_organisations(event: &EventConfig, found: &mut Vec<String>) {
    for organisation in &event.organisations {
        let key = format!("organisations[{}]", organisation.id);
        if !is_identifier(&organisation.id) {
            found.push(format!("{key}: {ID_RULE}"));
        }
        if organisation.kind.is_state() {
            found.push(format!(
                "{key}: a State is not an organisation; list it in invited_countries"
            ));
        }
        check_text(event, &format!("{key}.name"), &organisation.name, found);
    }
    for id in duplicates(event.organisations.iter().map(|o| o.id.as_str())) {
        found.push(format!("organisations: id \"{id}\" is used more than once"));
    }
}

fn check_categories(event: &EventConfig, found: &mut Vec<String>) {
    if event.categories.is_empty() {
        found.push("categories is empty: members could not choose a category".into());
    }
    for category in &event.categories {
        check_category(event, category, found);
    }
    for id in duplicates(event.categories.iter().map(|c| c.id.as_str())) {
        found.push(format!("categories: id \"{id}\" is used more than once"));
    }
    for id in duplicates(event.categories.iter().map(|c| c.colour.as_str())) {
        found.push(format!(
            "categories: colour \"{id}\" is used more than once; badges would look alike"
        ));
    }
    if !event.head_of_delegation_required_for.is_empty()
        && event.category(HEAD_OF_DELEGATION).is_none()
    {
        found.push(format!(
            "categories must include \"{HEAD_OF_DELEGATION}\" because some delegations require a head"
        ));
    }
}

fn check_category(event: &EventConfig, category: &super::Category, found: &mut Vec<String>) {
    let key = format!("categories[{}]", category.id);
    if !is_identifier(&category.id) {
        found.push(format!("{key}: {ID_RULE}"));
    }
    check_text(event, &format!("{key}.label"), &category.label, found);
    if !is_colour(&category.colour) {
        found.push(format!(
            "{key}: colour \"{}\" must look like #1f4e79",
            category.colour
        ));
    }
    if category.max_per_delegation == Some(0) {
        found.push(format!(
            "{key}: max_per_delegation 0 makes the category unusable; remove it instead"
        ));
    }
    if category.id == HEAD_OF_DELEGATION && category.max_per_delegation.is_some_and(|max| max > 1) {
        found.push(format!(
            "{key}: a delegation has at most one head; max_per_delegation must be 1"
        ));
    }
}

fn check_sessions(event: &EventConfig, found: &mut Vec<String>) {
    for session in &event.sessions {
        let key = format!("sessions[{}]", session.id);
        if !is_identifier(&session.id) {
            found.push(format!("{key}: {ID_RULE}"));
        }
        check_text(event, &format!("{key}.label"), &session.label, found);
        if session.date < event.starts_on || session.date > event.ends_on {
            found.push(format!("{key}: date {} is outside the event", session.date));
        }
    }
    for id in duplicates(event.sessions.iter().map(|s| s.id.as_str())) {
        found.push(format!("sessions: id \"{id}\" is used more than once"));
    }
    if event.fields.sessions.is_required() && event.sessions.is_empty() {
        found.push("fields.sessions is required but the event lists no sessions".into());
    }
}

fn check_fields(event: &EventConfig, found: &mut Vec<String>) {
    let fields = &event.fields;
    if !fields.badge_name.is_collected() {
        found.push(
            "fields.badge_name cannot be hidden: names in non-Latin script need a badge name"
                .into(),
        );
    }
    if fields.visa_letter.is_collected() && !fields.travel.is_collected() {
        found.push("fields.travel cannot be hidden while visa letters are offered: letters need travel dates".into());
    }
}

fn check_limits(event: &EventConfig, found: &mut Vec<String>) {
    let limits = &event.limits;
    if limits.max_delegation_size == 0 {
        found.push("limits.max_delegation_size must be at least 1".into());
    }
    if limits.retention_days == 0 {
        found.push("limits.retention_days must be at least 1".into());
    }
    if limits.passport_validity_months > 120 {
        found.push("limits.passport_validity_months above 120 rejects every passport".into());
    }
    if limits.attachment_max_bytes == 0 {
        found.push("limits.attachment_max_bytes must be positive".into());
    }
    if !limits.privacy_notice_url.starts_with("https://")
        || limits.privacy_notice_url.len() <= "https://".len()
    {
        found.push(
            "limits.privacy_notice_url must be an https:// address of the privacy notice".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DelegationKind, EventConfig, FieldRule};
    use crate::date::Date;

    fn event() -> EventConfig {
        EventConfig::from_json_str(super::super::tests::minimal_json()).unwrap()
    }

    fn has(problems: &[String], needle: &str) -> bool {
        problems.iter().any(|p| p.contains(needle))
    }

    #[test]
    fn sound_configuration_has_no_problems() {
        assert!(event().check().is_empty());
    }

    #[test]
    fn reports_identity_mistakes() {
        let mut e = event();
        e.id = "Test Event".into();
        e.country = "XX".into();
        e.name.0.clear();
        let problems = e.check();
        assert!(has(&problems, "id \"Test Event\""));
        assert!(has(&problems, "country \"XX\""));
        assert!(has(&problems, "name has no English"));
    }

    #[test]
    fn reports_date_mistakes() {
        let mut e = event();
        e.ends_on = Date::parse("2027-04-19").unwrap();
        e.registration_closes_on = Date::parse("2027-05-01").unwrap();
        let problems = e.check();
        assert!(has(
            &problems,
            "ends_on 2027-04-19 is before starts_on 2027-04-20"
        ));
        assert!(has(&problems, "registration_closes_on 2027-05-01 is after"));
    }

    #[test]
    fn reports_language_mistakes() {
        let mut e = event();
        e.languages = vec!["fr".into(), "fr".into(), "French".into()];
        let problems = e.check();
        assert!(has(&problems, "languages must include \"en\""));
        assert!(has(&problems, "\"fr\" is listed more than once"));
        assert!(has(&problems, "\"French\" is not a language tag"));
        assert!(has(&problems, "name has no \"fr\" text"));
    }

    #[test]
    fn reports_duplicate_and_unknown_ids() {
        let mut e = event();
        e.categories.push(e.categories[1].clone());
        e.invited_countries = vec!["PK".into(), "PK".into(), "ZZ".into()];
        e.head_of_delegation_required_for
            .push(DelegationKind::Media);
        e.delegation_kinds.retain(|k| *k != DelegationKind::Media);
        let problems = e.check();
        assert!(has(
            &problems,
            "categories: id \"delegate\" is used more than once"
        ));
        assert!(has(
            &problems,
            "invited_countries: \"PK\" is listed more than once"
        ));
        assert!(has(&problems, "invited_countries: \"ZZ\" is not"));
        assert!(has(
            &problems,
            "lists \"media\", which is not in delegation_kinds"
        ));
    }

    #[test]
    fn reports_category_mistakes() {
        let mut e = event();
        e.categories[0].id = "chef".into();
        e.categories[1].colour = "green".into();
        e.categories[1].max_per_delegation = Some(0);
        let problems = e.check();
        assert!(has(&problems, "must include \"head_of_delegation\""));
        assert!(has(&problems, "colour \"green\""));
        assert!(has(&problems, "max_per_delegation 0"));
    }

    #[test]
    fn reports_field_and_limit_mistakes() {
        let mut e = event();
        e.fields.badge_name = FieldRule::Hidden;
        e.fields.travel = FieldRule::Hidden;
        e.limits.privacy_notice_url = "http://example.org".into();
        e.limits.max_delegation_size = 0;
        let problems = e.check();
        assert!(has(&problems, "fields.badge_name cannot be hidden"));
        assert!(has(&problems, "fields.travel cannot be hidden"));
        assert!(has(&problems, "privacy_notice_url"));
        assert!(has(&problems, "max_delegation_size"));
    }

    #[test]
    fn reports_sessions_outside_the_event() {
        let mut e = event();
        let json = r#"{"id": "opening", "label": {"en": "Opening"}, "date": "2027-04-25"}"#;
        e.sessions.push(serde_json::from_str(json).unwrap());
        assert!(has(
            &e.check(),
            "sessions[opening]: date 2027-04-25 is outside the event"
        ));
    }

    #[test]
    fn slugs_and_identifiers() {
        assert!(super::is_slug("islamabad-tip-som"));
        for bad in ["", "-a", "a-", "A", "a_b", "a b", "é"] {
            assert!(!super::is_slug(bad), "{bad}");
        }
        assert!(super::is_identifier("head_of_delegation"));
        assert!(super::is_identifier("trends-tip"));
        for bad in ["", "_a", "a_", "-a", "Head", "a b", "é"] {
            assert!(!super::is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn reports_bad_identifiers() {
        let mut e = event();
        e.categories[1].id = "Delegate".into();
        assert!(has(&e.check(), "categories[Delegate]: id must use only"));
    }

    #[test]
    fn lifecycle_settings_are_checked() {
        let mut e = event();
        e.manage_page = Some("https://conference.example.org/register".into());
        e.amendments_close = Some(e.registration_closes_on);
        assert_eq!(e.check(), Vec::<String>::new());
        assert_eq!(
            e.manage_link("tok").as_deref(),
            Some("https://conference.example.org/register#accredit-manage=tok")
        );
        e.manage_page = Some("conference.example.org/register".into());
        e.amendments_close = Some(e.ends_on.add_days(1));
        let problems = e.check();
        assert!(has(&problems, "manage_page must be"), "{problems:?}");
        assert!(has(&problems, "amendments_close"), "{problems:?}");
        e.amendments_close = None;
        assert_eq!(e.amendments_close_on(), e.starts_on);
        assert!(e.amendments_open(e.starts_on));
        assert!(!e.amendments_open(e.starts_on.add_days(1)));
    }
}
