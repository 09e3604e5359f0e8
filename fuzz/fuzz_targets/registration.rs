//! A POSTed registration body, read as the registration handler reads it:
//! JSON, the model's payload type, normalised, every rule of the model
//! for the demo event, and the 422 response its errors make.

#![no_main]

use accredit_model::{Date, EventConfig, Registration, demo};
use accredit_server::api::problem::Problem;
use accredit_server::registration_body::{checked_registration, parse_json};
use axum::response::IntoResponse;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static EVENT: LazyLock<EventConfig> = LazyLock::new(demo::islamabad_tip_som);

/// A day on which the demo event takes registrations; fixed, so that a
/// crash found one day replays on any other.
fn today() -> Date {
    Date::new(2027, 3, 1).expect("a real date")
}

fuzz_target!(|data: &[u8]| {
    let Ok((json, _hash)) = parse_json(data) else {
        return;
    };
    let Ok((registration, mut errors)) = checked_registration(json, &EVENT, today()) else {
        return;
    };
    if errors.is_empty() {
        // Stored as JSON and read back for amendments, exports and
        // letters: what is accepted must read back as it was stored.
        let stored = serde_json::to_string(&registration).expect("an accepted payload serialises");
        let read: Registration =
            serde_json::from_str(&stored).expect("a stored payload reads back");
        assert_eq!(read, registration);
    } else {
        errors.sort_form_order();
        drop(Problem::invalid(errors.as_slice()).into_response());
    }
});
