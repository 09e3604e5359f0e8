//! The single entry point, [`validate`], and the per-step helpers the
//! widget uses to check one step of the form at a time.
//!
//! `validate` is exactly the union of [`validate_registration_open`],
//! [`validate_delegation_step`], [`validate_member`] for every member,
//! [`validate_composition`] and [`validate_consent_step`], sorted into form
//! order; so an error the widget shows on a step is the error the server
//! would return, and vice versa.
//!
//! Nothing here normalises Unicode: the server calls
//! [`crate::Registration::normalised`] first, the widget relies on the
//! browser (`String.prototype.normalize`).

use validator::Validate;

use crate::config::EventConfig;
use crate::date::Date;
use crate::error::ValidationErrors;
use crate::payload::{Member, Registration};
use crate::rules::{delegation, event as event_rules, fields, member};

/// Every problem with `registration` for `event` on `today`, in form
/// order; `Ok(())` when it can be accepted.
pub fn validate(
    registration: &Registration,
    event: &EventConfig,
    today: Date,
) -> Result<(), ValidationErrors> {
    let mut errors = validate_registration_open(event, today);
    if let Err(more) = validate_contents(registration, event, today) {
        errors.extend(more);
    }
    errors.sort_form_order();
    errors.into_result()
}

/// Every rule but the registration deadline: what an amendment through
/// the manage link must pass (amendments have their own deadline,
/// [`EventConfig::amendments_open`]).
pub fn validate_contents(
    registration: &Registration,
    event: &EventConfig,
    today: Date,
) -> Result<(), ValidationErrors> {
    let mut errors = validate_delegation_step(registration, event);
    for (index, member) in registration.members.iter().enumerate() {
        errors.extend(validate_member(member, index, event, today));
    }
    errors.extend(validate_composition(registration, event));
    errors.extend(validate_consent_step(registration));
    errors.sort_form_order();
    errors.into_result()
}

/// `registration.closed` (path `event`) once the closing day has passed.
pub fn validate_registration_open(event: &EventConfig, today: Date) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    errors.check("event", event_rules::check_open(event, today));
    errors
}

/// The first step: event and language, the delegation, the focal point.
pub fn validate_delegation_step(
    registration: &Registration,
    event: &EventConfig,
) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    errors.check(
        "event",
        event_rules::check_event_id(&registration.event, event),
    );
    errors.check(
        "language",
        event_rules::check_language(&registration.language, event),
    );
    errors.extend(derived("delegation", registration.delegation.validate()));
    delegation::check_delegation(&registration.delegation, event, &mut errors);
    fields::check_delegation_fields(&registration.delegation, event, &mut errors);
    errors.extend(derived("focal_point", registration.focal_point.validate()));
    fields::check_focal_point_fields(&registration.focal_point, event, &mut errors);
    errors.sort_form_order();
    errors
}

/// One member, as if at position `index` (paths are `members[index]…`).
/// Rules across members are in [`validate_composition`].
pub fn validate_member(
    member: &Member,
    index: usize,
    event: &EventConfig,
    today: Date,
) -> ValidationErrors {
    let mut errors = derived(&format!("members[{index}]"), member.validate());
    member::check_member(member, index, event, today, &mut errors);
    errors.sort_form_order();
    errors
}

/// Rules across members: size, head of delegation, category limits,
/// duplicate e-mail addresses and documents.
pub fn validate_composition(registration: &Registration, event: &EventConfig) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    delegation::check_composition(
        registration.delegation.kind,
        &registration.members,
        event,
        &mut errors,
    );
    errors.sort_form_order();
    errors
}

/// The last step: consent to data processing.
pub fn validate_consent_step(registration: &Registration) -> ValidationErrors {
    derived("consent", registration.consent.validate())
}

fn derived(prefix: &str, result: Result<(), validator::ValidationErrors>) -> ValidationErrors {
    match result {
        Ok(()) => ValidationErrors::new(),
        Err(errors) => ValidationErrors::from_validator(prefix, &errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use crate::config::DelegationKind;
    use crate::payload::IdentityDocument;
    use crate::test_support::{date, event, expect, member, pairs, registration, today};

    fn errors_of(registration: &Registration) -> Vec<(String, String)> {
        match validate(registration, &event(), today()) {
            Ok(()) => Vec::new(),
            Err(errors) => pairs(&errors),
        }
    }

    #[test]
    fn a_valid_registration_passes() {
        assert_eq!(validate(&registration(), &event(), today()), Ok(()));
    }

    #[test]
    fn an_empty_form_lists_every_missing_answer_in_form_order() {
        let found = errors_of(&Registration::default());
        assert_eq!(
            found,
            expect(&[
                ("event", codes::EVENT_MISMATCH),
                ("language", codes::LANGUAGE_UNSUPPORTED),
                ("delegation.country", codes::COUNTRY_REQUIRED),
                ("focal_point.given_names", codes::GIVEN_NAMES_REQUIRED),
                ("focal_point.email", codes::EMAIL_REQUIRED),
                ("focal_point.phone", codes::PHONE_REQUIRED),
                ("members", codes::MEMBERS_TOO_FEW),
                (
                    "consent.data_processing",
                    codes::CONSENT_DATA_PROCESSING_REQUIRED
                ),
            ])
        );
    }

    #[test]
    fn reports_every_error_of_a_member_field_by_field() {
        let mut r = registration();
        let m = &mut r.members[1];
        m.given_names = "J0hn".into();
        m.badge_name = "Джон".into();
        m.email = "john@".into();
        m.phone = "0300 1234567".into();
        m.nationality = "xx".into();
        m.category = String::new();
        m.identity_document = Some(IdentityDocument {
            number: "12".into(),
            ..Default::default()
        });
        m.dietary = "a\u{7}".into();
        let found = errors_of(&r);
        assert_eq!(
            found,
            expect(&[
                ("members[1].given_names", codes::NAME_INVALID_CHARACTERS),
                ("members[1].badge_name", codes::BADGE_NAME_NOT_LATIN),
                ("members[1].nationality", codes::COUNTRY_UNKNOWN),
                ("members[1].email", codes::EMAIL_INVALID),
                ("members[1].phone", codes::PHONE_INVALID),
                ("members[1].category", codes::CATEGORY_REQUIRED),
                (
                    "members[1].identity_document.number",
                    codes::IDENTITY_DOCUMENT_NUMBER_INVALID
                ),
                (
                    "members[1].identity_document.issuing_country",
                    codes::COUNTRY_REQUIRED
                ),
                (
                    "members[1].identity_document.expires_on",
                    codes::IDENTITY_DOCUMENT_EXPIRY_REQUIRED
                ),
                ("members[1].dietary", codes::TEXT_CONTROL_CHARACTERS),
            ])
        );
    }

    #[test]
    fn params_survive_the_validator_round_trip() {
        let mut r = registration();
        r.members[0].function = "x".repeat(201);
        r.members[0].given_names = "Ana!".into();
        let errors = validate(&r, &event(), today()).unwrap_err();
        let too_long = errors.for_path("members[0].function").next().unwrap();
        assert_eq!(too_long.code, codes::TEXT_TOO_LONG);
        assert_eq!(
            too_long.params,
            [("max".to_string(), "200".to_string())].into()
        );
        let name = errors.for_path("members[0].given_names").next().unwrap();
        assert_eq!(name.param("character"), Some("!"));
        assert_eq!(name.param("value"), None, "typed values are never echoed");
    }

    #[test]
    fn names_in_every_script_pass_at_every_path() {
        let cases: [(&str, &str, &str); 8] = [
            ("عبد الله", "", "Abdullah"),
            ("محمد بن سلمان", "آل سعود", "Mohammed Al Saud"),
            ("สมชาย", "ใจดี", "Somchai Jaidee"),
            ("明", "李", "Li Ming"),
            ("Сергей", "Лавров", "Sergey Lavrov"),
            ("Αλέξανδρος", "Παπαδόπουλος", "Alexandros Papadopoulos"),
            ("Sukarno", "", ""),
            ("Jean-François", "O’Brien Al-Hassan", ""),
        ];
        for (given, family, badge) in cases {
            let mut r = registration();
            r.focal_point.given_names = given.into();
            r.focal_point.family_name = family.into();
            r.members[1].given_names = given.into();
            r.members[1].family_name = family.into();
            r.members[1].badge_name = badge.into();
            assert_eq!(errors_of(&r), Vec::new(), "{given} {family}");
        }
    }

    #[test]
    fn name_errors_are_reported_at_their_paths() {
        let mut r = registration();
        r.focal_point.given_names = "J0hn".into();
        r.focal_point.family_name = "<script>".into();
        r.members[0].given_names = "  ".into();
        r.members[0].family_name = "Bob!".into();
        r.members[0].badge_name = "Ana 😀".into();
        r.members[1].given_names = "Ana\u{0}".into();
        r.members[1].family_name = "x".repeat(101);
        r.members[1].badge_name = "A".repeat(41);
        assert_eq!(
            errors_of(&r),
            expect(&[
                ("focal_point.given_names", codes::NAME_INVALID_CHARACTERS),
                ("focal_point.family_name", codes::NAME_INVALID_CHARACTERS),
                ("members[0].given_names", codes::GIVEN_NAMES_REQUIRED),
                ("members[0].family_name", codes::NAME_INVALID_CHARACTERS),
                ("members[0].badge_name", codes::NAME_INVALID_CHARACTERS),
                ("members[1].given_names", codes::NAME_INVALID_CHARACTERS),
                ("members[1].family_name", codes::NAME_TOO_LONG),
                ("members[1].badge_name", codes::BADGE_NAME_TOO_LONG),
            ])
        );
    }

    #[test]
    fn contact_errors_are_reported_at_their_paths() {
        let mut r = registration();
        r.focal_point.email = "a@-b.c".into();
        r.focal_point.phone = "0300 1234567".into();
        r.members[0].email.clear();
        r.members[1].email = "A..B@example.org".into();
        r.members[1].phone = "+43 (1) 26060-0".into();
        assert_eq!(
            errors_of(&r),
            expect(&[
                ("focal_point.email", codes::EMAIL_INVALID),
                ("focal_point.phone", codes::PHONE_INVALID),
                ("members[0].email", codes::EMAIL_REQUIRED),
            ])
        );
    }

    #[test]
    fn closed_registration_is_reported_on_event() {
        let errors = validate(&registration(), &event(), date("2027-04-07")).unwrap_err();
        assert_eq!(
            pairs(&errors),
            expect(&[("event", codes::REGISTRATION_CLOSED)])
        );
        assert_eq!(errors.as_slice()[0].param("closes_on"), Some("2027-04-06"));
    }

    #[test]
    fn organisation_delegations() {
        let mut r = registration();
        r.delegation.kind = DelegationKind::UnEntity;
        r.delegation.country = None;
        assert_eq!(
            errors_of(&r),
            expect(&[("delegation.organisation", codes::ORGANISATION_REQUIRED)])
        );
        r.delegation.organisation = Some("UNODC".into());
        assert_eq!(errors_of(&r), Vec::new());
        r.delegation.organisation = Some("x".repeat(201));
        assert_eq!(
            errors_of(&r),
            expect(&[("delegation.organisation", codes::TEXT_TOO_LONG)])
        );
    }

    #[test]
    fn validate_is_the_union_of_the_steps() {
        let mut r = registration();
        r.event = "other".into();
        r.focal_point.email = "nope".into();
        r.members
            .push(member("Anna", "head_of_delegation", "P1234567"));
        r.members[1].email = "x@y".into();
        r.consent.data_processing = false;
        let day = date("2027-04-10");
        let mut union = validate_registration_open(&event(), day);
        union.extend(validate_delegation_step(&r, &event()));
        for (index, m) in r.members.iter().enumerate() {
            union.extend(validate_member(m, index, &event(), day));
        }
        union.extend(validate_composition(&r, &event()));
        union.extend(validate_consent_step(&r));
        union.sort_form_order();
        assert_eq!(validate(&r, &event(), day), Err(union.clone()));
        assert!(union.contains("members[2].category", codes::DELEGATION_HEAD_TOO_MANY));
        assert!(union.contains("members[2].email", codes::EMAIL_DUPLICATE));
        assert!(union.contains(
            "members[2].identity_document.number",
            codes::IDENTITY_DOCUMENT_NUMBER_DUPLICATE
        ));
    }

    #[test]
    fn derive_rules_are_part_of_validate() {
        let mut r = Registration::default();
        r.members.push(Member {
            given_names: "<script>".into(),
            ..Default::default()
        });
        let derived_only = derived("", r.validate());
        let all = validate(&r, &event(), today()).unwrap_err();
        assert!(!derived_only.is_empty());
        for error in &derived_only {
            assert!(all.contains(&error.path, &error.code), "{error}");
        }
    }
}
