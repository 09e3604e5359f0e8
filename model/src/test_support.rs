//! Shared fixtures for the unit tests: a small event and a registration
//! that passes every rule against it.

use crate::config::DelegationKind;
use crate::config::EventConfig;
use crate::date::Date;
use crate::error::ValidationErrors;
use crate::payload::{
    Consent, Delegation, DocumentKind, FocalPoint, IdentityDocument, Member, Registration,
};

pub(crate) fn event() -> EventConfig {
    EventConfig::from_json_str(
        r##"{
        "id": "test-event",
        "name": {"en": "Test event"},
        "country": "AT",
        "starts_on": "2027-04-20",
        "ends_on": "2027-04-22",
        "registration_closes_on": "2027-04-06",
        "limits": {"privacy_notice_url": "https://example.org/privacy", "max_delegation_size": 5},
        "categories": [
            {"id": "head_of_delegation", "label": {"en": "Head of Delegation"},
             "needs_identity_document": true, "max_per_delegation": 1, "colour": "#8b1e3f"},
            {"id": "delegate", "label": {"en": "Delegate"}, "needs_identity_document": true, "colour": "#2e7d32"},
            {"id": "adviser", "label": {"en": "Adviser"}, "needs_identity_document": true,
             "max_per_delegation": 2, "colour": "#6a1b9a"},
            {"id": "observer", "label": {"en": "Observer"}, "colour": "#546e7a"}
        ],
        "sessions": [
            {"id": "opening", "label": {"en": "Opening"}, "date": "2027-04-20"},
            {"id": "closing", "label": {"en": "Closing"}, "date": "2027-04-22"}
        ]
    }"##,
    )
    .expect("fixture event")
}

pub(crate) fn date(text: &str) -> Date {
    Date::parse(text).expect("fixture date")
}

pub(crate) fn today() -> Date {
    date("2027-03-01")
}

pub(crate) fn member(given_names: &str, category: &str, document_number: &str) -> Member {
    Member {
        given_names: given_names.into(),
        family_name: "Tester".into(),
        function: "Director".into(),
        nationality: "AT".into(),
        email: format!("{}@example.org", given_names.to_ascii_lowercase()),
        category: category.into(),
        identity_document: Some(IdentityDocument {
            kind: DocumentKind::Passport,
            number: document_number.into(),
            issuing_country: "AT".into(),
            expires_on: Some(date("2030-01-01")),
        }),
        date_of_birth: Some(date("1975-06-15")),
        ..Default::default()
    }
}

pub(crate) fn registration() -> Registration {
    Registration {
        event: "test-event".into(),
        language: "en".into(),
        delegation: Delegation {
            kind: DelegationKind::MemberState,
            country: Some("AT".into()),
            ..Default::default()
        },
        focal_point: FocalPoint {
            given_names: "Focal".into(),
            family_name: "Point".into(),
            email: "focal@example.org".into(),
            phone: "+43 1 26060 0".into(),
        },
        members: vec![
            member("Anna", "head_of_delegation", "P1234567"),
            member("Bernd", "delegate", "P7654321"),
        ],
        consent: Consent {
            data_processing: true,
            participant_list: true,
        },
    }
}

/// `(path, code)` pairs, for compact assertions.
pub(crate) fn pairs(errors: &ValidationErrors) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| (e.path.clone(), e.code.to_string()))
        .collect()
}

/// `(path, code)` pairs expected, from string literals.
pub(crate) fn expect(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}
