//! Property tests: normalisation, serde, and robustness of every rule
//! against arbitrary input.

use accredit_model::rules::email::{check_email, is_valid_email};
use accredit_model::rules::phone::{canonical_phone, check_phone};
use accredit_model::{
    Consent, Date, Delegation, DelegationKind, DocumentKind, EventConfig, FocalPoint,
    IdentityDocument, Member, Registration, validate,
};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Texts that exercise the rules: scripts, marks, blanks, codes and ids
/// that exist in the test event, and troublemakers.
const SAMPLES: &[&str] = &[
    "",
    " ",
    "عبد الله",
    "สมชาย ใจดี",
    "李明",
    "Сергей",
    "O’Brien",
    "Jean-François",
    "e\u{301}",
    "Jose\u{301} ",
    "\u{2000}x\u{2001}",
    " pk ",
    "AT",
    "xx",
    "head_of_delegation",
    "delegate",
    "observer",
    "opening",
    "a@b.c",
    "A@B.C ",
    "+92 (51) 123-4567",
    "p12 345 67",
    "\u{0}\n\t",
    "😀",
    "<script>",
    "\u{200C}",
    "i\u{307}",
];

/// A phone or document number with digits of any script the model reads.
const OTHER_SCRIPT_NUMBER: &str =
    "\\+?[0-9\u{660}-\u{669}\u{6F0}-\u{6F9}\u{FF10}-\u{FF19} A-Za-z().-]{0,20}";

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(SAMPLES).prop_map(String::from),
        3 => any::<String>(),
        2 => "[a-zA-Z0-9 .@+'’()-]{0,24}",
        1 => "\\PC{0,12}",
        // Numbers typed on Arabic, Persian and full-width keyboards.
        1 => OTHER_SCRIPT_NUMBER,
    ]
}

fn date() -> impl Strategy<Value = Date> {
    prop_oneof![
        (1i32..=9999, 1u32..=12, 1u32..=31)
            .prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d)),
        (0i64..800).prop_map(|n| Date::from_unix_days(20_600 + n).unwrap()),
    ]
}

fn document() -> impl Strategy<Value = IdentityDocument> {
    (
        prop::sample::select(DocumentKind::ALL.to_vec()),
        text(),
        text(),
        prop::option::of(date()),
    )
        .prop_map(
            |(kind, number, issuing_country, expires_on)| IdentityDocument {
                kind,
                number,
                issuing_country,
                expires_on,
            },
        )
}

fn member() -> impl Strategy<Value = Member> {
    let names = (
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
    );
    let rest = (
        prop::option::of(document()),
        prop::option::of(date()),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
        prop::option::of(date()),
        prop::option::of(date()),
        any::<bool>(),
        text(),
        text(),
    );
    (names, rest).prop_map(|(n, r)| Member {
        honorific: n.0,
        given_names: n.1,
        family_name: n.2,
        badge_name: n.3,
        function: n.4,
        institution: n.5,
        nationality: n.6,
        email: n.7,
        phone: n.8,
        category: n.9,
        identity_document: r.0,
        date_of_birth: r.1,
        photo: r.2,
        sessions: r.3,
        arrival_date: r.4,
        departure_date: r.5,
        visa_letter: r.6,
        dietary: r.7,
        accessibility: r.8,
    })
}

fn registration() -> impl Strategy<Value = Registration> {
    let delegation = (
        prop::sample::select(DelegationKind::ALL.to_vec()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(
            |(kind, country, organisation, credentials_letter)| Delegation {
                kind,
                country,
                organisation,
                credentials_letter,
            },
        );
    let focal_point =
        (text(), text(), text(), text()).prop_map(|(given_names, family_name, email, phone)| {
            FocalPoint {
                given_names,
                family_name,
                email,
                phone,
            }
        });
    let consent =
        (any::<bool>(), any::<bool>()).prop_map(|(data_processing, participant_list)| Consent {
            data_processing,
            participant_list,
        });
    (
        text(),
        text(),
        delegation,
        focal_point,
        prop::collection::vec(member(), 0..4),
        consent,
    )
        .prop_map(
            |(event, language, delegation, focal_point, members, consent)| Registration {
                event,
                language,
                delegation,
                focal_point,
                members,
                consent,
            },
        )
}

fn event() -> EventConfig {
    let mut event: EventConfig =
        toml::from_str(accredit_model::demo::ISLAMABAD_TIP_SOM_TOML).unwrap();
    // Small enough that random delegations reach the limit.
    event.limits.max_delegation_size = 2;
    event
}

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// The registration with every text in NFC, as a browser would send it.
fn composed(mut r: Registration) -> Registration {
    let each = |s: &mut String| *s = nfc(s);
    let each_opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            *s = nfc(s);
        }
    };
    for s in [&mut r.event, &mut r.language] {
        each(s);
    }
    for s in [
        &mut r.delegation.country,
        &mut r.delegation.organisation,
        &mut r.delegation.credentials_letter,
    ] {
        each_opt(s);
    }
    let f = &mut r.focal_point;
    for s in [
        &mut f.given_names,
        &mut f.family_name,
        &mut f.email,
        &mut f.phone,
    ] {
        each(s);
    }
    for m in &mut r.members {
        for s in [
            &mut m.honorific,
            &mut m.given_names,
            &mut m.family_name,
            &mut m.badge_name,
            &mut m.function,
            &mut m.institution,
            &mut m.nationality,
            &mut m.email,
            &mut m.phone,
            &mut m.category,
            &mut m.dietary,
            &mut m.accessibility,
        ] {
            each(s);
        }
        m.sessions.iter_mut().for_each(each);
        each_opt(&mut m.photo);
        if let Some(d) = &mut m.identity_document {
            each(&mut d.number);
            each(&mut d.issuing_country);
        }
    }
    r
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    const KEYS: &[&str] = &[
        "event",
        "language",
        "delegation",
        "kind",
        "country",
        "organisation",
        "focal_point",
        "members",
        "given_names",
        "family_name",
        "badge_name",
        "email",
        "phone",
        "category",
        "identity_document",
        "number",
        "issuing_country",
        "expires_on",
        "date_of_birth",
        "sessions",
        "arrival_date",
        "visa_letter",
        "consent",
        "data_processing",
        "photo",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::String),
        date().prop_map(|d| Value::String(d.to_string())),
        prop::sample::select(vec!["member_state", "ngo", "passport", "un_entity"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(KEYS).prop_map(String::from),
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn normalisation_is_idempotent(r in registration()) {
        let once = r.normalised();
        prop_assert_eq!(once.clone().normalised(), once);
    }

    #[test]
    fn payloads_round_trip_through_json(r in registration()) {
        let json = serde_json::to_string(&r).unwrap();
        let back: Registration = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, r);
    }

    #[test]
    fn validation_never_panics(r in registration(), today in date()) {
        let event = event();
        let _ = validate(&r, &event, today);
        let _ = validate(&r.normalised(), &event, today);
    }

    #[test]
    fn normalising_composed_input_does_not_change_the_verdict(r in registration(), today in date()) {
        // What the widget sees (browser-normalised, not trimmed) and what the
        // server sees (normalised) must give the same errors.
        let event = event();
        let raw = composed(r);
        prop_assert_eq!(validate(&raw, &event, today), validate(&raw.clone().normalised(), &event, today));
    }

    #[test]
    fn json_ish_payloads_never_panic(value in json_value(), today in date()) {
        if let Ok(r) = serde_json::from_value::<Registration>(value) {
            let _ = validate(&r, &event(), today);
        }
    }

    #[test]
    fn errors_are_sorted_and_carry_known_codes(r in registration(), today in date()) {
        if let Err(errors) = validate(&r, &event(), today) {
            prop_assert!(!errors.is_empty());
            for error in &errors {
                prop_assert!(accredit_model::codes::ALL.contains(&error.code.as_ref()), "{}", error);
                prop_assert!(!error.params.contains_key("value"));
            }
            let keys: Vec<_> = errors.iter().map(|e| accredit_model::error::form_order_key(&e.path)).collect();
            prop_assert!(keys.windows(2).all(|pair| pair[0] <= pair[1]));
        }
    }

    #[test]
    fn email_parser_never_panics_and_bounds_length(address in prop_oneof![
        any::<String>(),
        "[a-z.!#$%&'*+/=?^_`{|}~-]{1,70}@[a-z0-9-]{1,70}(\\.[a-z0-9-]{1,70}){0,4}",
    ]) {
        if check_email(&address).is_ok() {
            prop_assert!(address.trim().chars().count() <= 254);
            prop_assert!(is_valid_email(address.trim()));
        }
        if is_valid_email(&address) {
            prop_assert!(address.len() <= 254);
        }
    }

    #[test]
    fn canonical_phone_of_a_valid_phone_is_valid(number in prop_oneof![
        any::<String>(),
        "\\+[1-9][0-9 ().-]{6,20}",
        OTHER_SCRIPT_NUMBER,
    ]) {
        if let Some(canonical) = canonical_phone(&number) {
            prop_assert_eq!(check_phone(&canonical), Ok(()));
            prop_assert_eq!(canonical_phone(&canonical), Some(canonical.clone()));
            prop_assert!(canonical.starts_with('+'));
        }
    }

    #[test]
    fn arbitrary_json_text_never_panics(text in any::<String>()) {
        let _ = serde_json::from_str::<Registration>(&text);
        let _ = EventConfig::from_json_str(&text);
    }
}
