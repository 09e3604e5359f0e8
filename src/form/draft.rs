//! Drafts: the answers saved on this device as the user types, so a closed
//! tab or a crash loses nothing.
//!
//! Identity-document numbers, dates of birth and photos are never written to
//! local storage (OWASP ASVS 14.3.3): anyone with the device could read them.

use super::Form;
use crate::browser;
use accredit_model::Registration;
use leptos::prelude::*;

/// Quiet time after the last change before the draft is written.
const DEBOUNCE_MS: u32 = 600;

fn key(event: &str) -> String {
    format!("accredit:draft:{event}")
}

/// The registration without what must not rest on the device.
pub fn redact(mut registration: Registration) -> Registration {
    for member in &mut registration.members {
        if let Some(doc) = member.identity_document.as_mut() {
            doc.number.clear();
        }
        member.date_of_birth = None;
        member.photo = None;
    }
    registration.delegation.credentials_letter = None;
    registration
}

/// The saved draft for `event`, if any and readable.
pub fn load(event: &str) -> Option<Registration> {
    let text = browser::storage_get(&key(event))?;
    serde_json::from_str(&text).ok()
}

pub fn clear(event: &str) {
    browser::storage_remove(&key(event));
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
                let draft = redact(form.registration());
                if let Ok(json) = serde_json::to_string(&draft) {
                    browser::storage_set(&key(&draft.event), &json);
                }
            }
        });
    });
}
