//! Rules about one member that need the event or several fields:
//! category, badge name, identity document, dates and sessions.

use crate::codes;
use crate::config::{Category, EventConfig, FieldRule};
use crate::date::Date;
use crate::error::{ValidationErrors, Violation};
use crate::payload::Member;
use crate::rules::{dates, fields, is_present, names};

/// The member's category must be chosen and exist in the event.
pub fn check_category<'e>(
    category: &str,
    event: &'e EventConfig,
) -> Result<&'e Category, Violation> {
    let id = category.trim();
    if id.is_empty() {
        return Err(Violation::new(codes::CATEGORY_REQUIRED));
    }
    event
        .category(id)
        .ok_or_else(|| Violation::new(codes::CATEGORY_UNKNOWN).with("category", id))
}

/// The badge name is required when the names are not in Latin script, or
/// when the event requires it; and it must not be sent when hidden.
pub fn check_badge_requirement(member: &Member, rule: FieldRule) -> Result<(), Violation> {
    let given = is_present(&member.badge_name);
    if !given
        && rule.is_collected()
        && names::badge_name_needed(&member.given_names, &member.family_name)
    {
        return Err(Violation::new(codes::BADGE_NAME_REQUIRED_NON_LATIN));
    }
    fields::check_field(rule, "badge_name", given)
}

/// Applies every single-member rule that needs context to member `index`.
/// Rules that need only the field itself are in the payload's
/// `#[validate]` attributes.
pub fn check_member(
    member: &Member,
    index: usize,
    event: &EventConfig,
    today: Date,
    errors: &mut ValidationErrors,
) {
    let at = |field: &str| format!("members[{index}].{field}");
    errors.check(
        at("badge_name"),
        check_badge_requirement(member, event.fields.badge_name),
    );
    let category = check_category(&member.category, event);
    let needs_document = category.as_ref().is_ok_and(|c| c.needs_identity_document);
    if let Err(violation) = category {
        errors.add(at("category"), violation);
    }
    fields::check_member_fields(member, index, event, needs_document, errors);
    check_identity_document(member, index, event, needs_document, errors);
    if let (Some(born), true) = (
        member.date_of_birth,
        event.fields.date_of_birth.is_collected(),
    ) {
        errors.check(at("date_of_birth"), dates::check_date_of_birth(born, today));
    }
    check_travel(member, index, event, errors);
    check_sessions(member, index, event, errors);
}

/// A member whose category needs a document must have one; a document
/// that was started (whatever the category) must be complete: number,
/// issuing country and an expiry late enough.
fn check_identity_document(
    member: &Member,
    index: usize,
    event: &EventConfig,
    needs_document: bool,
    errors: &mut ValidationErrors,
) {
    let at = |field: &str| format!("members[{index}].identity_document{field}");
    let document = match &member.identity_document {
        None if needs_document => {
            return errors.add(at(""), Violation::new(codes::IDENTITY_DOCUMENT_REQUIRED));
        }
        Some(document) if needs_document || !document.is_blank() => document,
        _ => return,
    };
    if !is_present(&document.number) {
        errors.add(
            at(".number"),
            Violation::new(codes::IDENTITY_DOCUMENT_NUMBER_REQUIRED),
        );
    }
    if !is_present(&document.issuing_country) {
        errors.add(
            at(".issuing_country"),
            Violation::new(codes::COUNTRY_REQUIRED),
        );
    }
    let expiry = dates::check_document_expiry(
        document.kind,
        document.expires_on,
        event.earliest_valid_expiry(),
    );
    errors.check(at(".expires_on"), expiry);
}

fn check_travel(member: &Member, index: usize, event: &EventConfig, errors: &mut ValidationErrors) {
    if !event.fields.travel.is_collected() {
        return;
    }
    if let Some(arrival) = member.arrival_date {
        let result = dates::check_arrival(arrival, member.departure_date, event.earliest_arrival());
        errors.check(format!("members[{index}].arrival_date"), result);
    }
    if let Some(departure) = member.departure_date {
        let result = dates::check_departure(departure, event.latest_departure());
        errors.check(format!("members[{index}].departure_date"), result);
    }
}

fn check_sessions(
    member: &Member,
    index: usize,
    event: &EventConfig,
    errors: &mut ValidationErrors,
) {
    if !event.fields.sessions.is_collected() {
        return;
    }
    for (position, session) in member.sessions.iter().enumerate() {
        let id = session.trim();
        if !id.is_empty() && event.session(id).is_none() {
            let violation = Violation::new(codes::SESSION_UNKNOWN).with("session", id);
            errors.add(format!("members[{index}].sessions[{position}]"), violation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::{DocumentKind, IdentityDocument};
    use crate::test_support::{date, event, expect, member, pairs, today};

    fn run(member: &Member, event: &EventConfig) -> Vec<(String, String)> {
        let mut errors = ValidationErrors::new();
        check_member(member, 1, event, today(), &mut errors);
        pairs(&errors)
    }

    #[test]
    fn a_complete_member_passes() {
        assert!(run(&member("Anna", "delegate", "P1234567"), &event()).is_empty());
        let mut observer = member("Olga", "observer", "");
        observer.identity_document = None;
        observer.date_of_birth = None;
        assert!(run(&observer, &event()).is_empty());
    }

    #[test]
    fn category_required_and_known() {
        let e = event();
        assert_eq!(
            check_category("", &e).unwrap_err().code,
            codes::CATEGORY_REQUIRED
        );
        assert_eq!(check_category(" delegate ", &e).unwrap().id, "delegate");
        assert_eq!(
            check_category("minister", &e).unwrap_err(),
            Violation::new(codes::CATEGORY_UNKNOWN).with("category", "minister")
        );
        let m = member("Anna", "minister", "P1234567");
        assert_eq!(
            run(&m, &e),
            expect(&[("members[1].category", codes::CATEGORY_UNKNOWN)])
        );
    }

    #[test]
    fn badge_name_required_for_non_latin_names() {
        let mut m = member("عبد الله", "delegate", "P1234567");
        m.family_name = "السعود".into();
        assert_eq!(
            run(&m, &event()),
            expect(&[(
                "members[1].badge_name",
                codes::BADGE_NAME_REQUIRED_NON_LATIN
            )])
        );
        m.badge_name = "Abdullah Al-Saud".into();
        assert!(run(&m, &event()).is_empty());
        let mut thai = member("สมชาย", "delegate", "P1234567");
        thai.family_name = "ใจดี".into();
        assert_eq!(
            check_badge_requirement(&thai, FieldRule::Optional)
                .unwrap_err()
                .code,
            codes::BADGE_NAME_REQUIRED_NON_LATIN
        );
    }

    #[test]
    fn badge_name_follows_its_field_rule() {
        let m = member("Anna", "delegate", "P1234567");
        assert_eq!(check_badge_requirement(&m, FieldRule::Optional), Ok(()));
        assert_eq!(
            check_badge_requirement(&m, FieldRule::Required),
            Err(Violation::new(codes::FIELD_REQUIRED).with("field", "badge_name"))
        );
        let with_badge = Member {
            badge_name: "Anna T.".into(),
            ..m
        };
        assert_eq!(
            check_badge_requirement(&with_badge, FieldRule::Hidden)
                .unwrap_err()
                .code,
            codes::FIELD_NOT_COLLECTED
        );
    }

    #[test]
    fn identity_document_required_for_accredited_categories() {
        let mut m = member("Anna", "delegate", "P1234567");
        m.identity_document = None;
        assert_eq!(
            run(&m, &event()),
            expect(&[(
                "members[1].identity_document",
                codes::IDENTITY_DOCUMENT_REQUIRED
            )])
        );
        m.category = "observer".into();
        assert!(run(&m, &event()).is_empty());
    }

    #[test]
    fn identity_document_must_be_complete() {
        let mut m = member("Anna", "delegate", "");
        m.identity_document = Some(IdentityDocument::default());
        assert_eq!(
            run(&m, &event()),
            expect(&[
                (
                    "members[1].identity_document.number",
                    codes::IDENTITY_DOCUMENT_NUMBER_REQUIRED
                ),
                (
                    "members[1].identity_document.issuing_country",
                    codes::COUNTRY_REQUIRED
                ),
                (
                    "members[1].identity_document.expires_on",
                    codes::IDENTITY_DOCUMENT_EXPIRY_REQUIRED
                ),
            ])
        );
        m.category = "observer".into();
        assert!(
            run(&m, &event()).is_empty(),
            "a blank document of an observer is ignored"
        );
        m.identity_document = Some(IdentityDocument {
            number: "X12345".into(),
            ..Default::default()
        });
        assert_eq!(
            run(&m, &event()).len(),
            2,
            "a started document must be completed"
        );
    }

    #[test]
    fn identity_document_expiry_margin() {
        let mut m = member("Anna", "delegate", "P1234567");
        let document = m.identity_document.as_mut().unwrap();
        document.kind = DocumentKind::DiplomaticPassport;
        document.expires_on = Some(date("2027-10-21"));
        let mut errors = ValidationErrors::new();
        check_member(&m, 0, &event(), today(), &mut errors);
        let error = &errors.as_slice()[0];
        assert_eq!(error.path, "members[0].identity_document.expires_on");
        assert_eq!(error.code, codes::IDENTITY_DOCUMENT_EXPIRES_TOO_SOON);
        assert_eq!(error.param("min"), Some("2027-10-22"));
        assert_eq!(error.param("document_kind"), Some("diplomatic_passport"));
        m.identity_document.as_mut().unwrap().expires_on = Some(date("2027-10-22"));
        assert!(run(&m, &event()).is_empty());
    }

    #[test]
    fn date_of_birth_rules() {
        let mut m = member("Anna", "delegate", "P1234567");
        m.date_of_birth = Some(today());
        assert_eq!(
            run(&m, &event()),
            expect(&[("members[1].date_of_birth", codes::DATE_OF_BIRTH_IN_FUTURE)])
        );
        m.date_of_birth = Some(date("1899-12-31"));
        assert_eq!(
            run(&m, &event()),
            expect(&[("members[1].date_of_birth", codes::DATE_OF_BIRTH_TOO_EARLY)])
        );
        m.date_of_birth = None;
        assert_eq!(
            run(&m, &event()),
            expect(&[("members[1].date_of_birth", codes::DATE_OF_BIRTH_REQUIRED)])
        );
    }

    #[test]
    fn travel_dates_within_the_window() {
        let mut m = member("Anna", "delegate", "P1234567");
        m.arrival_date = Some(date("2027-04-05"));
        m.departure_date = Some(date("2027-05-07"));
        assert_eq!(
            run(&m, &event()),
            expect(&[
                ("members[1].arrival_date", codes::ARRIVAL_TOO_EARLY),
                ("members[1].departure_date", codes::DEPARTURE_TOO_LATE),
            ])
        );
        m.arrival_date = Some(date("2027-04-23"));
        m.departure_date = Some(date("2027-04-21"));
        assert_eq!(
            run(&m, &event()),
            expect(&[("members[1].arrival_date", codes::ARRIVAL_AFTER_DEPARTURE)])
        );
        m.arrival_date = Some(date("2027-04-06"));
        m.departure_date = Some(date("2027-05-06"));
        assert!(run(&m, &event()).is_empty());
    }

    #[test]
    fn sessions_must_exist() {
        let mut m = member("Anna", "delegate", "P1234567");
        m.sessions = vec!["opening".into(), "gala-dinner".into(), " closing ".into()];
        let mut errors = ValidationErrors::new();
        check_member(&m, 1, &event(), today(), &mut errors);
        assert_eq!(
            pairs(&errors),
            expect(&[("members[1].sessions[1]", codes::SESSION_UNKNOWN)])
        );
        assert_eq!(errors.as_slice()[0].param("session"), Some("gala-dinner"));
    }
}
