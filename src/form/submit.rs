//! Sending the registration: one idempotency key per submission, kept
//! across retries and reloads, so nothing can register a delegation twice.
//! In manage mode the same steps send an amendment (PUT, made against the
//! version loaded) or a withdrawal (DELETE).

use super::{Form, Step, Submission, draft};
use crate::api::{self, Receipt, Revision, SubmitError};
use crate::browser;
use crate::host::Host;
use accredit_model::mask::mask_registration;
use accredit_model::review::Status;
use accredit_model::{Registration, ValidationErrors};
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

/// The key of the amendment or withdrawal under way: in memory only, as
/// a reload fetches the registration (and its version) again.
fn manage_key(form: Form) -> String {
    if let Some(key) = form.idempotency_key.get_value() {
        return key;
    }
    let key = browser::uuid();
    form.idempotency_key.set_value(Some(key.clone()));
    key
}

/// The token and the version loaded, in manage mode.
fn managing(form: Form) -> Option<(String, u32)> {
    let token = form.manage_token.get_value()?;
    let version = form
        .managed
        .with_untracked(|m| m.as_ref().map(|m| m.version))?;
    Some((token, version))
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
    form.errors.set(ValidationErrors::default());
    form.clear_server_errors();
    let registration = form.registration();
    let event = registration.event.clone();
    let Ok(body) = serde_json::to_string(&registration) else {
        return;
    };
    if let Some((token, version)) = managing(form) {
        let key = manage_key(form);
        form.submission.set(Submission::Sending);
        leptos::task::spawn_local(async move {
            let result = api::amend(&endpoint, &event, &token, version, &body, &key).await;
            if !matches!(
                result,
                Err(SubmitError::Unavailable | SubmitError::Rejected(_))
            ) {
                // Settled: the next attempt is a new amendment.
                form.idempotency_key.set_value(None);
            }
            match result {
                Ok(revision) => amended(form, &host, revision, registration),
                Err(error) => failed(form, &host, &event, error),
            }
        });
        return;
    }
    let key = idempotency_key(form, &event);
    form.submission.set(Submission::Sending);
    leptos::task::spawn_local(async move {
        match api::submit(&endpoint, &event, &body, &key).await {
            Ok(receipt) => received(form, &host, receipt, registration),
            Err(SubmitError::Invalid(errors)) => {
                // It stored nothing under this key, and the corrected
                // answers will be a new request with a new key.
                browser::storage_remove(&pending_key(&event));
                form.idempotency_key.set_value(None);
                failed(form, &host, &event, SubmitError::Invalid(errors));
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
            Err(error) => failed(form, &host, &event, error),
        }
    });
}

/// A new registration was stored: the confirmation, with its manage link.
pub fn received(form: Form, host: &Host, receipt: Receipt, registration: Registration) {
    let event = registration.event.clone();
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

/// An amendment was stored: the registration as sent is the stored one now.
pub fn amended(form: Form, host: &Host, revision: Revision, sent: Registration) {
    let reference = settle(form, revision, Some(sent));
    host.emit(
        "accredit:amended",
        &[
            ("reference", &reference),
            ("version", &revision.version.to_string()),
        ],
    );
    form.submission.set(Submission::Amended(revision));
    form.go_to(Step::Done);
}

/// Records a new version; returns the reference.
fn settle(form: Form, revision: Revision, sent: Option<Registration>) -> String {
    let mut reference = String::new();
    form.managed.update(|m| {
        if let Some(m) = m {
            m.version = revision.version;
            m.status = revision.status;
            m.amendable = m.amendable && revision.status.is_amendable();
            if let Some(sent) = sent {
                m.registration = mask_registration(&sent);
            }
            reference.clone_from(&m.reference);
        }
    });
    reference
}

fn failed(form: Form, host: &Host, event: &str, error: SubmitError) {
    host.emit("accredit:error", &[("code", error.code())]);
    if error == SubmitError::LinkInvalid {
        crate::manage::forget_token(event);
    }
    if let SubmitError::Invalid(errors) = &error {
        // The server's rules are the model's, so its errors land on the
        // same fields, and stay there until those answers change.
        form.show_server_errors(errors.iter().cloned().collect());
    }
    form.submission.set(Submission::Failed(error));
}

/// Withdraws the registration (DELETE), after the user confirmed.
pub fn withdraw(form: Form, host: Host) {
    if form.submission.get_untracked() == Submission::Sending {
        return;
    }
    let Some((token, version)) = managing(form) else {
        return;
    };
    let endpoint = form.endpoint.get_value();
    let event = form.event.with_value(|e| e.id.clone());
    let key = manage_key(form);
    form.submission.set(Submission::Sending);
    leptos::task::spawn_local(async move {
        let result = api::withdraw(&endpoint, &event, &token, version, &key).await;
        if !matches!(
            result,
            Err(SubmitError::Unavailable | SubmitError::Rejected(_))
        ) {
            form.idempotency_key.set_value(None);
        }
        match result {
            Ok(revision) => {
                let revision = Revision {
                    status: Status::Withdrawn,
                    ..revision
                };
                let reference = settle(form, revision, None);
                form.managed.update(|m| {
                    if let Some(m) = m {
                        m.amendable = false;
                    }
                });
                host.emit("accredit:withdrawn", &[("reference", &reference)]);
                form.submission.set(Submission::Withdrawn(revision));
                form.go_to(Step::Done);
            }
            Err(error) => failed(form, &host, &event, error),
        }
    });
}

/// Loads the stored registration again ("Reload the registration" after it
/// changed elsewhere): its answers replace the ones on screen.
pub fn reload(form: Form) {
    let Some(token) = form.manage_token.get_value() else {
        return;
    };
    let endpoint = form.endpoint.get_value();
    let event = form.event.with_value(|e| e.id.clone());
    form.submission.set(Submission::Sending);
    leptos::task::spawn_local(async move {
        match api::get_my_registration(&endpoint, &event, &token).await {
            Ok(mine) => {
                form.start_managing(token, mine);
                form.go_to_field(form.step.get_untracked(), form.id("banner-title"));
            }
            Err(api::ManageError::LinkInvalid) => {
                crate::manage::forget_token(&event);
                form.submission
                    .set(Submission::Failed(SubmitError::LinkInvalid));
            }
            Err(_) => form
                .submission
                .set(Submission::Failed(SubmitError::Unavailable)),
        }
    });
}
