//! Registration payloads for the demo event, as a client would send them:
//! JSON values, so tests can also send what the model's types could not
//! hold.

use serde_json::{Value, json};

/// The demo event's id.
pub const EVENT: &str = "islamabad-tip-som";

/// A valid single-member Pakistani delegation.
pub fn registration() -> Value {
    json!({
        "event": EVENT,
        "language": "en",
        "delegation": {"kind": "member_state", "country": "PK", "organisation": null},
        "focal_point": {"given_names": "Ayesha", "family_name": "Khan", "email": "a.khan@example.pk", "phone": "+92 51 1234567"},
        "members": [member("head_of_delegation", "Imran", "Ahmed", "DP1234567")],
        "consent": {"data_processing": true, "participant_list": false}
    })
}

/// A valid member; `document` must be unique within the delegation.
pub fn member(category: &str, given: &str, family: &str, document: &str) -> Value {
    json!({
        "honorific": "", "given_names": given, "family_name": family, "badge_name": "",
        "function": "Director", "institution": "Ministry of Interior", "nationality": "PK",
        "email": format!("m.{}@example.org", document.to_lowercase()), "phone": "",
        "category": category,
        "identity_document": {"kind": "passport", "number": document, "issuing_country": "PK", "expires_on": "2030-01-31"},
        "date_of_birth": "1970-05-01", "photo": null, "sessions": ["opening"],
        "arrival_date": null, "departure_date": null, "visa_letter": false,
        "dietary": "", "accessibility": ""
    })
}

/// A registration of a State delegation with the given members.
pub fn delegation(country: &str, members: Vec<Value>) -> Value {
    let mut r = registration();
    r["delegation"]["country"] = json!(country);
    r["members"] = Value::Array(
        members
            .into_iter()
            .map(|mut m| {
                m["nationality"] = json!(country);
                m["identity_document"]["issuing_country"] = json!(country);
                m
            })
            .collect(),
    );
    r
}

/// The `n`-th of many distinct valid registrations: its head's family
/// name and document number are `n`'s own.
pub fn numbered(n: usize) -> Value {
    let mut head = member(
        "head_of_delegation",
        "Imran",
        &format!("Ahmed {}", letters(n)),
        &format!("DP{n:07}"),
    );
    head["email"] = json!(format!("m{n}@example.pk"));
    delegation("PK", vec![head])
}

/// `n` written in letters (a, b, … z, ba, bb…): names take no digits.
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}
