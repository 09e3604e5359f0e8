//! A complete registration for the demonstration event, end to end:
//! JSON in, normalisation, validation.

use accredit_model::codes;
use accredit_model::{
    Consent, Date, Delegation, DelegationKind, DocumentKind, EventConfig, FocalPoint,
    IdentityDocument, Member, Registration, validate, validate_delegation_step, validate_member,
};

fn demo() -> EventConfig {
    #[cfg(feature = "toml")]
    let event = accredit_model::demo::islamabad_tip_som();
    #[cfg(not(feature = "toml"))]
    let event: EventConfig =
        toml::from_str(accredit_model::demo::ISLAMABAD_TIP_SOM_TOML).expect("demo TOML");
    event
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// 2027-03-01, as the server would compute it from the clock.
fn today() -> Date {
    Date::from_unix_days(date("2027-03-01").to_unix_days()).unwrap()
}

fn passport(
    kind: DocumentKind,
    number: &str,
    country: &str,
    expires_on: &str,
) -> Option<IdentityDocument> {
    Some(IdentityDocument {
        kind,
        number: number.into(),
        issuing_country: country.into(),
        expires_on: Some(date(expires_on)),
    })
}

/// The UNODC delegation: an Arabic-named head, a Thai-named speaker (both
/// with Latin badge names) and a Spanish-named observer.
fn unodc_delegation() -> Registration {
    let head = Member {
        honorific: "Dr".into(),
        given_names: "عبد الله".into(),
        family_name: "الحسن".into(),
        badge_name: "Abdullah Al-Hassan".into(),
        function: "Regional Representative".into(),
        institution: "UNODC Regional Office for the Middle East and North Africa".into(),
        nationality: "IQ".into(),
        email: "abdullah.al-hassan@un.org".into(),
        phone: "+20 2 2345 6789".into(),
        category: "head_of_delegation".into(),
        identity_document: passport(DocumentKind::LaissezPasser, "UN0123456", "AT", "2031-06-30"),
        date_of_birth: Some(date("1972-11-03")),
        sessions: vec!["opening".into(), "roadmap".into(), "closing".into()],
        arrival_date: Some(date("2027-04-19")),
        departure_date: Some(date("2027-04-23")),
        visa_letter: true,
        dietary: "Halal".into(),
        ..Default::default()
    };
    let speaker = Member {
        honorific: "Ms".into(),
        given_names: "สมหญิง".into(),
        family_name: "ใจดี".into(),
        badge_name: "Somying Jaidee".into(),
        function: "Crime Prevention Officer".into(),
        institution: "UNODC Regional Office for Southeast Asia and the Pacific".into(),
        nationality: "TH".into(),
        email: "somying.jaidee@un.org".into(),
        category: "speaker".into(),
        identity_document: passport(DocumentKind::Passport, "AA 1234567", "th", "2029-01-15"),
        date_of_birth: Some(date("1985-02-28")),
        sessions: vec!["trends-tip".into(), "victim-protection".into()],
        accessibility: "Step-free access to the podium, please.\nLarge-print agenda.".into(),
        ..Default::default()
    };
    let observer = Member {
        given_names: "José".into(),
        family_name: "Ñúñez".into(),
        function: "Programme Officer".into(),
        institution: "UNODC Country Office Pakistan".into(),
        nationality: "ES".into(),
        email: "jose.nunez@un.org".into(),
        category: "observer".into(),
        ..Default::default()
    };
    Registration {
        event: "islamabad-tip-som".into(),
        language: "ar".into(),
        delegation: Delegation {
            kind: DelegationKind::UnEntity,
            country: None,
            organisation: Some("United Nations Office on Drugs and Crime (UNODC)".into()),
            credentials_letter: None,
        },
        focal_point: FocalPoint {
            given_names: "Fatima".into(),
            family_name: "Malik".into(),
            email: "fatima.malik@un.org".into(),
            phone: "+92 51 2601461".into(),
        },
        members: vec![head, speaker, observer],
        consent: Consent {
            data_processing: true,
            participant_list: true,
        },
    }
}

#[test]
fn a_three_member_delegation_with_arabic_and_thai_names_is_valid() {
    let event = demo();
    assert_eq!(event.check(), Vec::<String>::new());
    let registration = unodc_delegation();
    assert_eq!(validate(&registration, &event, today()), Ok(()));
    assert_eq!(
        validate(&registration.clone().normalised(), &event, today()),
        Ok(())
    );
}

#[test]
fn the_payload_survives_json_and_normalisation() {
    let event = demo();
    let json = serde_json::to_string_pretty(&unodc_delegation()).unwrap();
    let received: Registration = serde_json::from_str(&json).unwrap();
    let stored = received.normalised();
    assert_eq!(validate(&stored, &event, today()), Ok(()));
    let document = stored.members[1].identity_document.as_ref().unwrap();
    assert_eq!(document.number, "AA1234567");
    assert_eq!(document.issuing_country, "TH");
}

#[test]
fn a_thai_state_delegation_is_valid() {
    let event = demo();
    let mut registration = unodc_delegation();
    registration.language = "en".into();
    registration.delegation = Delegation {
        kind: DelegationKind::MemberState,
        country: Some("TH".into()),
        ..Default::default()
    };
    let thai = |given: &str, family: &str, badge: &str, category: &str, number: &str| Member {
        given_names: given.into(),
        family_name: family.into(),
        badge_name: badge.into(),
        function: "Police Colonel".into(),
        institution: "Royal Thai Police".into(),
        nationality: "TH".into(),
        email: format!(
            "{}@police.go.th",
            badge.to_ascii_lowercase().replace(' ', ".")
        ),
        category: category.into(),
        identity_document: passport(DocumentKind::ServicePassport, number, "TH", "2030-12-31"),
        date_of_birth: Some(date("1979-07-07")),
        ..Default::default()
    };
    registration.members = vec![
        thai(
            "สมชาย",
            "ใจดี",
            "Somchai Jaidee",
            "head_of_delegation",
            "S1234567",
        ),
        thai("ณัฐวุฒิ", "ศรีสุข", "Nattawut Srisuk", "delegate", "S7654321"),
        thai(
            "วิภาวรรณ",
            "ทองคำ",
            "Wipawan Thongkham",
            "adviser",
            "S2468024",
        ),
    ];
    assert_eq!(validate(&registration, &event, today()), Ok(()));
}

#[test]
fn the_demo_rules_bite() {
    let event = demo();
    let mut registration = unodc_delegation();
    registration.delegation.kind = DelegationKind::MemberState;
    registration.delegation.country = Some("FR".into());
    registration.members[0].badge_name.clear();
    registration.members[1]
        .identity_document
        .as_mut()
        .unwrap()
        .expires_on = Some(date("2027-10-21"));
    registration.members[2].sessions = vec!["gala".into()];
    let errors = validate(&registration, &event, today()).unwrap_err();
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.path.as_str(), e.code.as_ref()))
        .collect();
    assert_eq!(
        found,
        [
            ("delegation.country", codes::COUNTRY_NOT_INVITED),
            (
                "members[0].badge_name",
                codes::BADGE_NAME_REQUIRED_NON_LATIN
            ),
            (
                "members[1].identity_document.expires_on",
                codes::IDENTITY_DOCUMENT_EXPIRES_TOO_SOON
            ),
            ("members[2].sessions[0]", codes::SESSION_UNKNOWN),
        ]
    );
    let expiry = errors
        .for_path("members[1].identity_document")
        .next()
        .unwrap();
    assert_eq!(expiry.param("min"), Some("2027-10-22"));
    assert_eq!(expiry.param("document_kind"), Some("passport"));
}

#[test]
fn steps_can_be_checked_one_at_a_time() {
    let event = demo();
    let registration = unodc_delegation();
    assert!(validate_delegation_step(&registration, &event).is_empty());
    for (index, member) in registration.members.iter().enumerate() {
        assert!(validate_member(member, index, &event, today()).is_empty());
    }
    let late = date("2027-04-07");
    let errors = validate(&registration, &event, late).unwrap_err();
    assert!(errors.contains("event", codes::REGISTRATION_CLOSED));
}

/// Every free-text answer refuses the characters that override or isolate
/// the direction of text (they make a badge or an export read differently
/// from what the organiser saw), before and after normalisation.
#[test]
fn direction_overrides_and_isolates_are_refused_in_every_free_text_field() {
    type Put = fn(&mut Registration, String);
    let fields: [(&str, Put, &str); 8] = [
        (
            "delegation.organisation",
            |r, v| r.delegation.organisation = Some(v),
            "text.direction_controls",
        ),
        (
            "members[0].honorific",
            |r, v| r.members[0].honorific = v,
            "text.direction_controls",
        ),
        (
            "members[0].function",
            |r, v| r.members[0].function = v,
            "text.direction_controls",
        ),
        (
            "members[0].institution",
            |r, v| r.members[0].institution = v,
            "text.direction_controls",
        ),
        (
            "members[0].dietary",
            |r, v| r.members[0].dietary = v,
            "text.direction_controls",
        ),
        (
            "members[1].accessibility",
            |r, v| r.members[1].accessibility = v,
            "text.direction_controls",
        ),
        (
            "members[0].badge_name",
            |r, v| r.members[0].badge_name = v,
            "name.invalid_characters",
        ),
        (
            "focal_point.given_names",
            |r, v| r.focal_point.given_names = v,
            "name.invalid_characters",
        ),
    ];
    let event = demo();
    // LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI.
    let controls = [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ];
    for (path, put, code) in fields {
        for control in controls {
            let mut registration = unodc_delegation();
            put(&mut registration, format!("Abc{control}Def"));
            for candidate in [registration.clone(), registration.normalised()] {
                let errors = validate(&candidate, &event, today()).unwrap_err();
                assert!(
                    errors.iter().any(|e| e.path == path && e.code == code),
                    "U+{:04X} in {path}: {errors:?}",
                    u32::from(control)
                );
            }
        }
    }
    // The marks Arabic and Persian keyboards type (LRM, RLM, ALM) are text.
    let mut registration = unodc_delegation();
    registration.members[0].function = "\u{200F}مدير\u{061C} عام\u{200E}".into();
    assert_eq!(validate(&registration, &event, today()), Ok(()));
}

/// C1 controls and the Unicode line separators are control characters too.
#[test]
fn c1_controls_and_line_separators_are_refused_in_free_text() {
    let event = demo();
    for (text, field_allows_line_feed) in [
        ("Hal\u{0085}al", true),
        ("Hal\u{009B}al", true),
        ("Halal\u{2028}No nuts", true),
        ("Ministry\u{2029}of Interior", false),
    ] {
        let mut registration = unodc_delegation();
        let path = if field_allows_line_feed {
            registration.members[0].dietary = text.into();
            "members[0].dietary"
        } else {
            registration.members[0].institution = text.into();
            "members[0].institution"
        };
        let errors = validate(&registration, &event, today()).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.path == path && e.code == "text.control_characters"),
            "{text:?}: {errors:?}"
        );
    }
}
