//! Drafts: the answers saved on this device as the user types, so a closed
//! tab or a crash loses nothing.
//!
//! A draft rests in the host page's local storage, which anyone with the
//! device (or a script of the host page) can read, for as long as nobody
//! clears it. So it keeps only what is cheap to lose and harmless to leak
//! (OWASP ASVS 14.3.3): never identity-document numbers, dates of birth,
//! photos or letters (identity data), dietary and accessibility needs (health
//! data) or travel dates (where a diplomat will be, and when). And it expires
//! [`MAX_AGE_DAYS`] after it was last saved.

use super::Form;
use crate::browser;
use accredit_model::Registration;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Quiet time after the last change before the draft is written.
const DEBOUNCE_MS: u32 = 600;

/// A draft older than this is deleted unread.
pub const MAX_AGE_DAYS: u32 = 30;

/// What [`redact`] leaves out, as the restore notice lists it.
pub const NOT_KEPT: [&str; 4] = [
    "ui.draft.not_kept.identity",
    "ui.draft.not_kept.files",
    "ui.draft.not_kept.travel",
    "ui.draft.not_kept.needs",
];

const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

fn key(event: &str) -> String {
    format!("accredit:draft:{event}")
}

/// What is written: the answers and when (milliseconds since the Unix
/// epoch, the browser's clock).
#[derive(Serialize, Deserialize)]
struct Saved {
    saved_at_ms: f64,
    answers: Registration,
}

/// The registration without what must not rest on the device.
pub fn redact(mut registration: Registration) -> Registration {
    for member in &mut registration.members {
        if let Some(doc) = member.identity_document.as_mut() {
            doc.number.clear();
        }
        member.date_of_birth = None;
        member.photo = None;
        member.arrival_date = None;
        member.departure_date = None;
        member.dietary.clear();
        member.accessibility.clear();
    }
    registration.delegation.credentials_letter = None;
    registration
}

/// The answers of a stored draft, if it is one and younger than
/// [`MAX_AGE_DAYS`] at `now_ms`. A draft from the future (a clock put back)
/// counts as fresh: the user is the one who typed it.
fn decode(text: &str, now_ms: f64) -> Option<Registration> {
    let saved: Saved = serde_json::from_str(text).ok()?;
    (now_ms - saved.saved_at_ms <= f64::from(MAX_AGE_DAYS) * DAY_MS).then_some(saved.answers)
}

/// The saved draft for `event`, if any, readable and fresh. Anything else
/// under its key (an expired draft, or one written before drafts carried
/// their date, which may hold health data) is deleted.
pub fn load(event: &str) -> Option<Registration> {
    let text = browser::storage_get(&key(event))?;
    let answers = decode(&text, js_sys::Date::now());
    if answers.is_none() {
        clear(event);
    }
    answers
}

pub fn clear(event: &str) {
    browser::storage_remove(&key(event));
}

fn save(registration: Registration) {
    let saved = Saved {
        saved_at_ms: js_sys::Date::now(),
        answers: redact(registration),
    };
    if let Ok(json) = serde_json::to_string(&saved) {
        browser::storage_set(&key(&saved.answers.event), &json);
    }
}

/// Saves the draft a moment after each change, for as long as the form lives.
pub fn autosave(form: Form) {
    let generation = StoredValue::new(0u32);
    Effect::new(move |first_run: Option<()>| {
        // Track every answer, including each member's own signal.
        form.delegation.track();
        form.focal_point.track();
        form.consent.track();
        form.members
            .with(|rows| rows.iter().for_each(|r| r.data.track()));
        if first_run.is_none() {
            // Nothing changed yet: the form was just built or restored.
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        leptos::task::spawn_local(async move {
            browser::sleep(DEBOUNCE_MS).await;
            let done = matches!(form.submission.get_untracked(), super::Submission::Done(..));
            if generation.get_value() == mine && !done {
                save(form.registration());
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use accredit_model::{Date, IdentityDocument, Member};

    fn saved(at: f64) -> String {
        let answers = Registration {
            event: "e".into(),
            ..Default::default()
        };
        serde_json::to_string(&Saved {
            saved_at_ms: at,
            answers,
        })
        .unwrap()
    }

    #[test]
    fn a_draft_lives_thirty_days_from_its_last_save() {
        let saved_at = 1_000.0 * DAY_MS;
        let text = saved(saved_at);
        assert!(decode(&text, saved_at).is_some());
        assert!(decode(&text, saved_at + 30.0 * DAY_MS).is_some());
        assert!(decode(&text, saved_at + 30.0 * DAY_MS + 1.0).is_none());
        assert!(decode(&text, saved_at - DAY_MS).is_some(), "clock put back");
    }

    #[test]
    fn a_draft_without_its_date_is_not_read() {
        let bare = serde_json::to_string(&Registration::default()).unwrap();
        assert!(decode(&bare, 0.0).is_none());
        assert!(decode("not json", 0.0).is_none());
    }

    #[test]
    fn identity_health_and_travel_answers_are_left_out() {
        let day = Date::parse("2027-04-19").ok();
        let member = Member {
            given_names: "Bashir".into(),
            identity_document: Some(IdentityDocument {
                number: "AB1234567".into(),
                issuing_country: "PK".into(),
                expires_on: Date::parse("2031-01-01").ok(),
                ..Default::default()
            }),
            date_of_birth: Date::parse("1972-03-15").ok(),
            photo: Some("att_1".into()),
            arrival_date: day,
            departure_date: day,
            visa_letter: true,
            dietary: "Halal".into(),
            accessibility: "Wheelchair".into(),
            ..Default::default()
        };
        let mut registration = Registration::default();
        registration.members.push(member);
        registration.delegation.credentials_letter = Some("att_2".into());
        let kept = redact(registration);
        let member = &kept.members[0];
        assert_eq!(member.given_names, "Bashir");
        assert!(member.visa_letter);
        let document = member.identity_document.as_ref().unwrap();
        assert_eq!(
            (document.number.as_str(), document.issuing_country.as_str()),
            ("", "PK")
        );
        assert_eq!(
            (
                member.date_of_birth,
                member.arrival_date,
                member.departure_date
            ),
            (None, None, None)
        );
        assert_eq!(
            (member.dietary.as_str(), member.accessibility.as_str()),
            ("", "")
        );
        assert_eq!(
            (&member.photo, &kept.delegation.credentials_letter),
            (&None, &None)
        );
    }
}
