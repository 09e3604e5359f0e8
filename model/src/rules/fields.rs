//! The event's [`FieldRules`]: required fields must be answered, hidden
//! fields must stay empty.
//!
//! Two fields depend on more than their rule:
//! - `date_of_birth` is asked only for categories that need an identity
//!   document, so it is required only for those (and when its rule says so);
//! - travel dates (`arrival_date`, `departure_date`) are required when the
//!   `travel` rule says so, and also for a member who asks for a visa
//!   letter, since the letter states the dates of stay.
//!
//! `visa_letter` is a yes/no question that always has an answer, so only
//! "hidden" matters for it. The badge name is handled in [`super::member`].

use crate::codes;
use crate::config::{EventConfig, FieldRule, FieldRules};
use crate::error::{ValidationErrors, Violation};
use crate::payload::{Delegation, FocalPoint, Member};
use crate::rules::{is_present, is_present_opt};

/// The code for a missing answer: specific where one exists, otherwise
/// `field.required` with the field name.
fn missing(field: &'static str) -> Violation {
    match field {
        "email" => Violation::new(codes::EMAIL_REQUIRED),
        "phone" => Violation::new(codes::PHONE_REQUIRED),
        "date_of_birth" => Violation::new(codes::DATE_OF_BIRTH_REQUIRED),
        _ => Violation::new(codes::FIELD_REQUIRED).with("field", field),
    }
}

/// Applies one rule to one field (`field` is its JSON name).
pub fn check_field(rule: FieldRule, field: &'static str, present: bool) -> Result<(), Violation> {
    match rule {
        FieldRule::Required if !present => Err(missing(field)),
        FieldRule::Hidden if present => {
            Err(Violation::new(codes::FIELD_NOT_COLLECTED).with("field", field))
        }
        _ => Ok(()),
    }
}

/// `rule`, but never stricter than optional when `applies` is false.
fn only_if(rule: FieldRule, applies: bool) -> FieldRule {
    if rule.is_required() && !applies {
        FieldRule::Optional
    } else {
        rule
    }
}

/// `rule`, but required when `forced` (unless hidden).
fn required_if(rule: FieldRule, forced: bool) -> FieldRule {
    if forced && rule.is_collected() {
        FieldRule::Required
    } else {
        rule
    }
}

fn member_fields(
    member: &Member,
    rules: &FieldRules,
    needs_identity_document: bool,
) -> [(&'static str, FieldRule, bool); 14] {
    let wants_letter = member.visa_letter && rules.visa_letter.is_collected();
    let travel = required_if(rules.travel, wants_letter);
    [
        ("honorific", rules.honorific, is_present(&member.honorific)),
        ("function", rules.function, is_present(&member.function)),
        (
            "institution",
            rules.institution,
            is_present(&member.institution),
        ),
        (
            "nationality",
            rules.nationality,
            is_present(&member.nationality),
        ),
        ("email", rules.email, is_present(&member.email)),
        ("phone", rules.phone, is_present(&member.phone)),
        (
            "date_of_birth",
            only_if(rules.date_of_birth, needs_identity_document),
            member.date_of_birth.is_some(),
        ),
        ("photo", rules.photo, is_present_opt(&member.photo)),
        (
            "sessions",
            rules.sessions,
            member.sessions.iter().any(|s| is_present(s)),
        ),
        ("arrival_date", travel, member.arrival_date.is_some()),
        ("departure_date", travel, member.departure_date.is_some()),
        (
            "visa_letter",
            only_if(rules.visa_letter, false),
            member.visa_letter,
        ),
        ("dietary", rules.dietary, is_present(&member.dietary)),
        (
            "accessibility",
            rules.accessibility,
            is_present(&member.accessibility),
        ),
    ]
}

/// Applies the field rules to member `index`.
pub fn check_member_fields(
    member: &Member,
    index: usize,
    event: &EventConfig,
    needs_identity_document: bool,
    errors: &mut ValidationErrors,
) {
    for (field, rule, present) in member_fields(member, &event.fields, needs_identity_document) {
        errors.check(
            format!("members[{index}].{field}"),
            check_field(rule, field, present),
        );
    }
}

/// Applies the delegation-level rule (`credentials_letter`).
pub fn check_delegation_fields(
    delegation: &Delegation,
    event: &EventConfig,
    errors: &mut ValidationErrors,
) {
    let present = is_present_opt(&delegation.credentials_letter);
    let result = check_field(
        event.fields.credentials_letter,
        "credentials_letter",
        present,
    );
    errors.check("delegation.credentials_letter", result);
}

/// Applies the focal point rule (`focal_point_phone`).
pub fn check_focal_point_fields(
    focal_point: &FocalPoint,
    event: &EventConfig,
    errors: &mut ValidationErrors,
) {
    let result = check_field(
        event.fields.focal_point_phone,
        "phone",
        is_present(&focal_point.phone),
    );
    errors.check("focal_point.phone", result);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{date, event, expect, member, pairs, registration};

    fn run(member: &Member, event: &EventConfig, needs_document: bool) -> Vec<(String, String)> {
        let mut errors = ValidationErrors::new();
        check_member_fields(member, 3, event, needs_document, &mut errors);
        pairs(&errors)
    }

    #[test]
    fn check_field_by_rule() {
        assert_eq!(check_field(FieldRule::Required, "photo", true), Ok(()));
        assert_eq!(
            check_field(FieldRule::Required, "photo", false),
            Err(Violation::new(codes::FIELD_REQUIRED).with("field", "photo"))
        );
        assert_eq!(check_field(FieldRule::Optional, "photo", false), Ok(()));
        assert_eq!(check_field(FieldRule::Hidden, "photo", false), Ok(()));
        assert_eq!(
            check_field(FieldRule::Hidden, "photo", true),
            Err(Violation::new(codes::FIELD_NOT_COLLECTED).with("field", "photo"))
        );
        assert_eq!(
            check_field(FieldRule::Required, "email", false)
                .unwrap_err()
                .code,
            codes::EMAIL_REQUIRED
        );
        assert_eq!(
            check_field(FieldRule::Required, "phone", false)
                .unwrap_err()
                .code,
            codes::PHONE_REQUIRED
        );
    }

    #[test]
    fn defaults_require_function_nationality_email_and_date_of_birth() {
        let blank = Member::default();
        assert_eq!(
            run(&blank, &event(), true),
            expect(&[
                ("members[3].function", codes::FIELD_REQUIRED),
                ("members[3].nationality", codes::FIELD_REQUIRED),
                ("members[3].email", codes::EMAIL_REQUIRED),
                ("members[3].date_of_birth", codes::DATE_OF_BIRTH_REQUIRED),
            ])
        );
        assert_eq!(
            run(&blank, &event(), false).len(),
            3,
            "no date of birth without identity document"
        );
        assert!(run(&member("Anna", "delegate", "P1234567"), &event(), true).is_empty());
    }

    #[test]
    fn hidden_fields_must_stay_empty() {
        let mut e = event();
        e.fields.dietary = FieldRule::Hidden;
        e.fields.sessions = FieldRule::Hidden;
        e.fields.date_of_birth = FieldRule::Hidden;
        let mut m = member("Anna", "delegate", "P1234567");
        m.dietary = "Vegetarian".into();
        m.sessions = vec!["opening".into()];
        assert_eq!(
            run(&m, &e, true),
            expect(&[
                ("members[3].date_of_birth", codes::FIELD_NOT_COLLECTED),
                ("members[3].sessions", codes::FIELD_NOT_COLLECTED),
                ("members[3].dietary", codes::FIELD_NOT_COLLECTED),
            ])
        );
        m.dietary = "   ".into();
        m.sessions = vec![" ".into()];
        m.date_of_birth = None;
        assert!(run(&m, &e, true).is_empty(), "blanks are not values");
    }

    #[test]
    fn visa_letter_requires_travel_dates() {
        let mut m = member("Anna", "delegate", "P1234567");
        m.visa_letter = true;
        assert_eq!(
            run(&m, &event(), true),
            expect(&[
                ("members[3].arrival_date", codes::FIELD_REQUIRED),
                ("members[3].departure_date", codes::FIELD_REQUIRED),
            ])
        );
        m.arrival_date = Some(date("2027-04-19"));
        m.departure_date = Some(date("2027-04-23"));
        assert!(run(&m, &event(), true).is_empty());
    }

    #[test]
    fn required_travel_and_hidden_visa_letter() {
        let mut e = event();
        e.fields.travel = FieldRule::Required;
        e.fields.visa_letter = FieldRule::Hidden;
        let mut m = member("Anna", "delegate", "P1234567");
        m.visa_letter = true;
        m.arrival_date = Some(date("2027-04-19"));
        assert_eq!(
            run(&m, &e, true),
            expect(&[
                ("members[3].departure_date", codes::FIELD_REQUIRED),
                ("members[3].visa_letter", codes::FIELD_NOT_COLLECTED),
            ])
        );
    }

    #[test]
    fn required_photo_and_sessions() {
        let mut e = event();
        e.fields.photo = FieldRule::Required;
        e.fields.sessions = FieldRule::Required;
        let m = member("Anna", "delegate", "P1234567");
        assert_eq!(
            run(&m, &e, true),
            expect(&[
                ("members[3].photo", codes::FIELD_REQUIRED),
                ("members[3].sessions", codes::FIELD_REQUIRED)
            ])
        );
    }

    #[test]
    fn delegation_and_focal_point_rules() {
        let mut e = event();
        let mut r = registration();
        let mut errors = ValidationErrors::new();
        e.fields.credentials_letter = FieldRule::Required;
        check_delegation_fields(&r.delegation, &e, &mut errors);
        r.focal_point.phone.clear();
        check_focal_point_fields(&r.focal_point, &e, &mut errors);
        assert_eq!(
            pairs(&errors),
            expect(&[
                ("delegation.credentials_letter", codes::FIELD_REQUIRED),
                ("focal_point.phone", codes::PHONE_REQUIRED),
            ])
        );
        assert_eq!(
            errors.as_slice()[0].param("field"),
            Some("credentials_letter")
        );
    }
}
