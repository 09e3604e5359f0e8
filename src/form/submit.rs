//! Sending the registration: one idempotency key per submission, kept
//! across retries and reloads, so nothing can register a delegation twice.

use super::{Form, Step, Submission, draft};
use crate::api::{self, SubmitError};
use crate::browser;
use crate::host::Host;
use leptos::prelude::*;

fn pending_key(event: &str) -> String {
    format!("accredit:pending:{event}")
}

/// The key of the submission under way, surviving a reload of the page.
fn idempotency_key(form: Form, event: &str) -> String {
    if let Some(key) = form.idempotency_key.get_value() {
        return key;
    }
    let key = browser::storage_get(&pending_key(event)).unwrap_or_else(browser::uuid);
    browser::storage_set(&pending_key(event), &key);
    form.idempotency_key.set_value(Some(key.clone()));
    key
}

/// Validates everything, then sends. Ignored while a send is under way, so
/// a double click sends once.
pub fn submit(form: Form, endpoint: String, host: Host) {
    if form.submission.get_untracked() == Submission::Sending {
        return;
    }
    let errors = form.errors_for(Step::Review);
    if !errors.is_empty() {
        form.show_errors(errors);
        return;
    }
    form.errors.set(Default::default());
    let registration = form.registration();
    let event = registration.event.clone();
    let key = idempotency_key(form, &event);
    let Ok(body) = serde_json::to_string(&registration) else {
        return;
    };
    form.submission.set(Submission::Sending);
    leptos::task::spawn_local(async move {
        match api::submit(&endpoint, &event, &body, &key).await {
            Ok(receipt) => {
                host.emit(
                    "accredit:submitted",
                    &[("reference", &receipt.reference), ("id", &receipt.id)],
                );
                draft::clear(&event);
                browser::storage_remove(&pending_key(&event));
                form.idempotency_key.set_value(None);
                form.submission
                    .set(Submission::Done(Box::new((receipt, registration))));
                form.go_to(Step::Done);
            }
            Err(SubmitError::Invalid(errors)) => {
                // The server's rules are the model's, so its errors land on
                // the same fields. It stored nothing under this key, and the
                // corrected answers will be a new request with a new key.
                host.emit("accredit:error", &[("code", "invalid")]);
                browser::storage_remove(&pending_key(&event));
                form.idempotency_key.set_value(None);
                form.submission
                    .set(Submission::Failed(SubmitError::Invalid(errors.clone())));
                form.show_errors(errors.into_iter().collect());
            }
            Err(SubmitError::AlreadyReceived(reference)) => {
                // Stored once already; sending the changed answers with a new
                // key would register the delegation twice.
                host.emit(
                    "accredit:error",
                    &[("code", "already_received"), ("reference", &reference)],
                );
                draft::clear(&event);
                browser::storage_remove(&pending_key(&event));
                form.idempotency_key.set_value(None);
                form.submission
                    .set(Submission::Failed(SubmitError::AlreadyReceived(reference)));
            }
            Err(error) => {
                host.emit("accredit:error", &[("code", error.code())]);
                form.submission.set(Submission::Failed(error));
            }
        }
    });
}
