//! A registration body as the API reads it, before anything is stored:
//! bytes to JSON, JSON to the model's payload (a type error pointed at its
//! field), normalised, then every rule of the model.
//!
//! Public so that what reads an untrusted body outside a request (the
//! fuzz targets) runs exactly what the handlers run.

use crate::api::problem::Problem;
use crate::idempotency;
use accredit_model::api::problem_code;
use accredit_model::{
    Date, EventConfig, Registration, ValidationError, ValidationErrors, validate,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A JSON body and the hash its idempotency key is checked against.
pub fn parse_json(bytes: &[u8]) -> Result<(serde_json::Value, [u8; 32]), Problem> {
    let json: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Problem::bad_request(
            problem_code::BODY_MALFORMED_JSON,
            format!("The body is not valid JSON: {e}"),
        )
    })?;
    let hash = idempotency::body_hash(&json);
    Ok((json, hash))
}

/// The payload from its JSON, with a type error pointed at its field.
pub fn parse_registration(json: serde_json::Value) -> Result<Registration, Problem> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let mut params = BTreeMap::new();
        params.insert("reason".to_owned(), e.inner().to_string());
        let error = ValidationError {
            path: e.path().to_string().trim_start_matches('.').to_owned(),
            code: Cow::Borrowed(problem_code::BODY_INVALID),
            params,
        };
        Problem::invalid(&[error])
    })
}

/// A new registration's payload, normalised (the form that is stored),
/// with every problem the model finds for `event` on `today`; none when
/// it can be accepted. Attachments are checked against storage apart.
pub fn checked_registration(
    json: serde_json::Value,
    event: &EventConfig,
    today: Date,
) -> Result<(Registration, ValidationErrors), Problem> {
    let registration = parse_registration(json)?.normalised();
    let errors = validate(&registration, event, today)
        .err()
        .unwrap_or_default();
    Ok((registration, errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use accredit_model::demo;
    use accredit_test_support::payload;

    fn open_day() -> Date {
        Date::new(2027, 3, 1).unwrap()
    }

    #[test]
    fn the_demo_payload_is_accepted_as_it_is_sent() {
        let body = serde_json::to_vec(&payload::registration()).unwrap();
        let (json, _) = parse_json(&body).unwrap();
        let event = demo::islamabad_tip_som();
        let (registration, errors) = checked_registration(json, &event, open_day()).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(registration.members[0].family_name, "Ahmed");
    }

    #[test]
    fn a_type_error_is_pointed_at_its_field_and_bad_json_is_malformed() {
        let mut body = payload::registration();
        body["members"][0]["visa_letter"] = serde_json::json!("yes");
        let event = demo::islamabad_tip_som();
        let problem = checked_registration(body, &event, open_day()).unwrap_err();
        assert_eq!(problem.code, "validation.failed");
        assert_eq!(problem.errors[0].path, "members[0].visa_letter");
        assert_eq!(problem.errors[0].code, "body.invalid");

        let problem = parse_json(b"{\"event\":").unwrap_err();
        assert_eq!(problem.code, "body.malformed_json");
    }
}
