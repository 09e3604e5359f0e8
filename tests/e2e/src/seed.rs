//! Registrations made through the real API, many and varied, for the
//! organiser view's tests and benchmark: every invited State, the event's
//! organisations, NGOs and media, with names in several scripts.

use crate::{EVENT, TestServer};
use serde_json::{Value, json};

const GIVEN: [&str; 12] = [
    "Ayesha", "Imran", "Zahra", "Mehmet", "Elena", "Giorgos", "Nguyen", "Somchai", "Fatima",
    "Olga", "José", "Ahmad",
];
/// Family names, and how non-Latin ones are spelt on the badge.
const FAMILY: [(&str, &str); 12] = [
    ("Khan", ""),
    ("Rahimi", ""),
    ("Yılmaz", ""),
    ("Papadopoulos", ""),
    ("García", ""),
    ("Rossi", ""),
    ("Novák", ""),
    ("Wong", ""),
    ("Al-Sabah", ""),
    ("Иванова", "Ivanova"),
    ("สมชาย", "Somchai"),
    ("Ben Ali", ""),
];
/// Members after the head, in turn.
const CATEGORIES: [&str; 5] = ["delegate", "adviser", "observer", "speaker", "delegate"];

/// The `i`-th seeded registration, with `members` members (head first).
pub fn registration(i: usize, members: usize) -> Value {
    let event = accredit_model::demo::islamabad_tip_som();
    let states = &event.invited_countries;
    let (kind, country, organisation) = match i % 10 {
        0..=6 => ("member_state", Some(states[i % states.len()].clone()), None),
        7 => {
            let orgs: Vec<_> = event
                .organisations
                .iter()
                .filter(|o| o.kind.as_str() == "intergovernmental_organisation")
                .collect();
            let org = orgs[i % orgs.len()];
            (
                "intergovernmental_organisation",
                None,
                Some(org.name.get("en").to_owned()),
            )
        }
        8 => {
            let orgs: Vec<_> = event
                .organisations
                .iter()
                .filter(|o| o.kind.as_str() == "un_entity")
                .collect();
            let org = orgs[i % orgs.len()];
            ("un_entity", None, Some(org.name.get("en").to_owned()))
        }
        _ => ("ngo", None, Some(format!("Civil Society Network {i}"))),
    };
    let nationality = country.clone().unwrap_or_else(|| "PK".into());
    let members: Vec<Value> = (0..members)
        .map(|m| {
            let category = if m == 0 {
                "head_of_delegation"
            } else {
                CATEGORIES[(m - 1) % CATEGORIES.len()]
            };
            let needs_document = category != "observer";
            let given = GIVEN[(i + m) % GIVEN.len()];
            let (family, latin) = FAMILY[(i * 7 + m) % FAMILY.len()];
            let badge = if latin.is_empty() {
                String::new()
            } else {
                format!("{given} {latin}")
            };
            json!({
                "honorific": if m % 2 == 0 { "H.E." } else { "" },
                "given_names": given,
                "family_name": family,
                "badge_name": badge,
                "function": "Director",
                "institution": "Ministry of Interior",
                "nationality": nationality,
                "email": format!("p{i}-{m}@example.org"),
                "phone": "",
                "category": category,
                "identity_document": needs_document.then(|| json!({
                    "kind": "passport",
                    "number": format!("P{i:05}{m:02}"),
                    "issuing_country": nationality,
                    "expires_on": crate::valid_expiry().to_string(),
                })),
                "date_of_birth": needs_document.then_some("1975-05-01"),
                "photo": null,
                "sessions": ["opening"],
                "arrival_date": null,
                "departure_date": null,
                "visa_letter": false,
                "dietary": "",
                "accessibility": "",
            })
        })
        .collect();
    json!({
        "event": EVENT,
        "language": "en",
        "delegation": {"kind": kind, "country": country, "organisation": organisation},
        "focal_point": {
            "given_names": "Focal",
            "family_name": FAMILY[i % 9].0,
            "email": format!("focal{i}@example.org"),
            "phone": "+92 51 1234567",
        },
        "members": members,
        "consent": {"data_processing": true, "participant_list": i % 5 != 4},
    })
}

/// Posts `payload` and returns the server's answer (status, body).
pub async fn post(
    client: &reqwest::Client,
    server: &TestServer,
    key: &str,
    payload: &Value,
) -> (u16, Value) {
    let res = client
        .post(server.url(&format!("/api/v1/events/{EVENT}/registrations")))
        .header("Idempotency-Key", key)
        .json(payload)
        .send()
        .await
        .expect("the server answers");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Registers `count` delegations of `members` members each, eight at a
/// time, and returns their references in order. Panics on any refusal.
pub async fn seed(server: &TestServer, count: usize, members: usize) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut references = vec![String::new(); count];
    for chunk in (0..count).collect::<Vec<_>>().chunks(8) {
        let mut tasks = tokio::task::JoinSet::new();
        for &i in chunk {
            let (client, url) = (
                client.clone(),
                server.url(&format!("/api/v1/events/{EVENT}/registrations")),
            );
            tasks.spawn(async move {
                let res = client
                    .post(url)
                    .header("Idempotency-Key", format!("seed-registration-{i:06}"))
                    .json(&registration(i, members))
                    .send()
                    .await
                    .expect("the server answers");
                let status = res.status().as_u16();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                assert_eq!(status, 201, "seeded registration {i} refused: {body}");
                (i, body["reference"].as_str().unwrap_or_default().to_owned())
            });
        }
        while let Some(done) = tasks.join_next().await {
            let (i, reference) = done.expect("a seeding task finishes");
            references[i] = reference;
        }
    }
    references
}
