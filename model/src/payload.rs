//! The registration payload the widget sends and the server stores.
//!
//! Every field has a default so a half-filled form (a saved draft, one
//! step of the wizard) still deserialises; the rules in [`crate::validate()`]
//! decide what is missing. Texts are plain `String`s where empty means
//! "not given", which is what form inputs produce. Unknown JSON fields are
//! ignored so an older server accepts a newer widget's payload.
//!
//! The `#[validate(...)]` attributes hold the rules that need nothing but
//! the field itself; rules that need the event or other fields live in
//! [`crate::rules`].

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::config::DelegationKind;
use crate::date::Date;
use crate::rules::derive;

/// Honorifics the widget suggests; any short text is accepted.
pub const HONORIFICS: &[&str] = &[
    "H.E.", "Hon.", "Dr", "Prof.", "Mr", "Ms", "Mrs", "Mx", "Amb.",
];

/// A whole registration: one delegation and its members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct Registration {
    /// Id of the event registered for.
    pub event: String,
    /// UI language the form was filled in (and of later correspondence).
    pub language: String,
    /// Who is sending the delegation.
    #[validate(nested)]
    pub delegation: Delegation,
    /// The person the organiser contacts about this registration.
    #[validate(nested)]
    pub focal_point: FocalPoint,
    /// The participants, head of delegation first by convention.
    #[validate(nested)]
    pub members: Vec<Member>,
    /// Consents given with the submission.
    #[validate(nested)]
    pub consent: Consent,
}

/// The State or organisation sending the delegation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct Delegation {
    /// What kind of body it is.
    pub kind: DelegationKind,
    /// Alpha-2 code; identifies State delegations, optional for others.
    #[validate(custom(function = "derive::optional_country"))]
    pub country: Option<String>,
    /// Organisation name; identifies non-State delegations.
    #[validate(custom(function = "derive::short_text"))]
    pub organisation: Option<String>,
    /// Attachment id of the credentials letter (note verbale).
    #[validate(custom(function = "derive::attachment_id"))]
    pub credentials_letter: Option<String>,
}

/// The delegation's contact person (may or may not be a member).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct FocalPoint {
    /// Given name(s); required.
    #[validate(custom(function = "derive::given_names"))]
    pub given_names: String,
    /// Family name; optional.
    #[validate(custom(function = "derive::family_name"))]
    pub family_name: String,
    /// E-mail address; always required, it is where confirmations go.
    #[validate(custom(function = "derive::required_email"))]
    pub email: String,
    /// Telephone, international form; see `fields.focal_point_phone`.
    #[validate(custom(function = "derive::optional_phone"))]
    pub phone: String,
}

/// One participant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct Member {
    /// Honorific, e.g. "H.E." (see [`HONORIFICS`]).
    #[validate(custom(function = "derive::honorific"))]
    pub honorific: String,
    /// Given name(s), in any script; a mononym goes here.
    #[validate(custom(function = "derive::given_names"))]
    pub given_names: String,
    /// Family name, in any script; optional.
    #[validate(custom(function = "derive::family_name"))]
    pub family_name: String,
    /// Name printed on the badge, Latin script.
    #[validate(custom(function = "derive::badge_name"))]
    pub badge_name: String,
    /// Function or title.
    #[validate(custom(function = "derive::short_text"))]
    pub function: String,
    /// Ministry, agency or unit.
    #[validate(custom(function = "derive::short_text"))]
    pub institution: String,
    /// Nationality, alpha-2.
    #[validate(custom(function = "derive::optional_country"))]
    pub nationality: String,
    /// E-mail address.
    #[validate(custom(function = "derive::optional_email"))]
    pub email: String,
    /// Telephone, international form.
    #[validate(custom(function = "derive::optional_phone"))]
    pub phone: String,
    /// Participation category id.
    pub category: String,
    /// Passport or other document, for security accreditation.
    #[validate(nested)]
    pub identity_document: Option<IdentityDocument>,
    /// Date of birth.
    pub date_of_birth: Option<Date>,
    /// Attachment id of the badge photo.
    #[validate(custom(function = "derive::attachment_id"))]
    pub photo: Option<String>,
    /// Ids of the sessions the member will attend.
    pub sessions: Vec<String>,
    /// Day of arrival in the host country.
    pub arrival_date: Option<Date>,
    /// Day of departure.
    pub departure_date: Option<Date>,
    /// Whether the member asks for a visa support letter.
    pub visa_letter: bool,
    /// Dietary requirements (multi-line).
    #[validate(custom(function = "derive::long_text"))]
    pub dietary: String,
    /// Accessibility requirements (multi-line).
    #[validate(custom(function = "derive::long_text"))]
    pub accessibility: String,
}

impl Member {
    /// The name to print on the badge: the badge name if given, else the
    /// given and family names.
    pub fn badge_text(&self) -> String {
        let badge = self.badge_name.trim();
        if !badge.is_empty() {
            return badge.to_owned();
        }
        let names = [self.given_names.trim(), self.family_name.trim()];
        names
            .iter()
            .filter(|n| !n.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Kinds of travel or identity document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Ordinary passport.
    #[default]
    Passport,
    /// Diplomatic passport.
    DiplomaticPassport,
    /// Service or official passport.
    ServicePassport,
    /// National identity card.
    NationalId,
    /// Laissez-passer (e.g. United Nations or European Union).
    LaissezPasser,
}

impl DocumentKind {
    /// All kinds, in the order the widget offers them.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Passport,
        DocumentKind::DiplomaticPassport,
        DocumentKind::ServicePassport,
        DocumentKind::NationalId,
        DocumentKind::LaissezPasser,
    ];

    /// The serde name, e.g. `"diplomatic_passport"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Passport => "passport",
            DocumentKind::DiplomaticPassport => "diplomatic_passport",
            DocumentKind::ServicePassport => "service_passport",
            DocumentKind::NationalId => "national_id",
            DocumentKind::LaissezPasser => "laissez_passer",
        }
    }
}

/// An identity document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct IdentityDocument {
    /// What kind of document.
    pub kind: DocumentKind,
    /// Document number (blanks are ignored, letters are compared upper-case).
    #[validate(custom(function = "derive::optional_document_number"))]
    pub number: String,
    /// Issuing country, alpha-2 (laissez-passer issuers use the seat's country).
    #[validate(custom(function = "derive::optional_country"))]
    pub issuing_country: String,
    /// Last day of validity.
    pub expires_on: Option<Date>,
}

impl IdentityDocument {
    /// Whether nothing was filled in (the kind alone has a default).
    pub fn is_blank(&self) -> bool {
        self.number.trim().is_empty()
            && self.issuing_country.trim().is_empty()
            && self.expires_on.is_none()
    }
}

/// Consents; `data_processing` is mandatory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct Consent {
    /// Processing of personal data for accreditation and security.
    #[validate(custom(function = "derive::data_processing"))]
    pub data_processing: bool,
    /// Publication of name and function in the list of participants.
    pub participant_list: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{ "event": "islamabad-tip-som", "language": "en",
      "delegation": {"kind": "member_state", "country": "PK", "organisation": null},
      "focal_point": {"given_names": "Ayesha", "family_name": "Khan", "email": "a.khan@example.pk", "phone": "+92 51 1234567"},
      "members": [{ "honorific": "H.E.", "given_names": "Imran", "family_name": "Ahmed", "badge_name": "",
         "function": "Secretary", "institution": "Ministry of Interior", "nationality": "PK", "email": "i.ahmed@example.pk", "phone": "",
         "category": "head_of_delegation",
         "identity_document": {"kind": "diplomatic_passport", "number": "DP1234567", "issuing_country": "PK", "expires_on": "2030-01-31"},
         "date_of_birth": "1970-05-01", "photo": null, "sessions": ["opening"],
         "arrival_date": null, "departure_date": null, "visa_letter": false,
         "dietary": "", "accessibility": "" }],
      "consent": {"data_processing": true, "participant_list": false} }"#;

    #[test]
    fn reads_the_documented_example() {
        let registration: Registration = serde_json::from_str(EXAMPLE).unwrap();
        assert_eq!(registration.delegation.kind, DelegationKind::MemberState);
        assert_eq!(registration.delegation.country.as_deref(), Some("PK"));
        let member = &registration.members[0];
        let document = member.identity_document.as_ref().unwrap();
        assert_eq!(document.kind, DocumentKind::DiplomaticPassport);
        assert_eq!(document.expires_on, Date::new(2030, 1, 31));
        assert_eq!(member.sessions, ["opening"]);
        let again: Registration =
            serde_json::from_str(&serde_json::to_string(&registration).unwrap()).unwrap();
        assert_eq!(again, registration);
    }

    #[test]
    fn a_partial_form_deserialises() {
        let registration: Registration =
            serde_json::from_str(r#"{"members": [{"given_names": "Somchai"}], "future_field": 1}"#)
                .unwrap();
        assert_eq!(registration.members[0].given_names, "Somchai");
        assert_eq!(registration.delegation, Delegation::default());
        assert!(!registration.consent.data_processing);
    }

    #[test]
    fn serialises_every_field_with_its_json_name() {
        let json = serde_json::to_value(Registration {
            members: vec![Member::default()],
            ..Default::default()
        })
        .unwrap();
        let member = json["members"][0].as_object().unwrap();
        let names: Vec<_> = member.keys().map(String::as_str).collect();
        for expected in [
            "honorific",
            "given_names",
            "family_name",
            "badge_name",
            "function",
            "institution",
            "nationality",
            "email",
            "phone",
            "category",
            "identity_document",
            "date_of_birth",
            "photo",
            "sessions",
            "arrival_date",
            "departure_date",
            "visa_letter",
            "dietary",
            "accessibility",
        ] {
            assert!(names.contains(&expected), "{expected}");
        }
        assert_eq!(json["delegation"]["kind"], "member_state");
    }

    #[test]
    fn document_kinds_use_snake_case() {
        for kind in DocumentKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn badge_text_falls_back_to_names() {
        let mut member = Member {
            given_names: " Sukarno ".into(),
            ..Default::default()
        };
        assert_eq!(member.badge_text(), "Sukarno");
        member.family_name = "Putra".into();
        assert_eq!(member.badge_text(), "Sukarno Putra");
        member.badge_name = "S. Putra".into();
        assert_eq!(member.badge_text(), "S. Putra");
    }

    #[test]
    fn blank_documents() {
        assert!(IdentityDocument::default().is_blank());
        assert!(
            IdentityDocument {
                kind: DocumentKind::NationalId,
                number: "  ".into(),
                ..Default::default()
            }
            .is_blank()
        );
        assert!(
            !IdentityDocument {
                issuing_country: "PK".into(),
                ..Default::default()
            }
            .is_blank()
        );
    }

    #[test]
    fn honorific_suggestions() {
        assert_eq!(HONORIFICS.len(), 9);
        assert!(HONORIFICS.contains(&"H.E.") && HONORIFICS.contains(&"Amb."));
    }
}
