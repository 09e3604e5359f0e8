//! The confirmation: the reference number, who was registered, the status,
//! the link to manage the registration, and a copy to keep. In manage mode:
//! that the changes (or the withdrawal) were received.

use super::banner::status_text;
use crate::browser;
use crate::form::{Form, Submission};
use accredit_model::Member;
use leptos::prelude::*;

#[component]
pub fn Confirmation() -> impl IntoView {
    let form = expect_context::<Form>();
    let heading_id = form.id("done");
    browser::focus_soon(heading_id.clone());
    let reference = form
        .managed
        .with_untracked(|m| m.as_ref().map(|m| m.reference.clone()))
        .unwrap_or_default();
    let (title, body, revision) = match form.submission.get_untracked() {
        Submission::Done(done) => return received(form, heading_id, *done).into_any(),
        Submission::Amended(revision) => {
            ("ui.done.amended.title", "ui.done.amended.body", revision)
        }
        Submission::Withdrawn(revision) => (
            "ui.done.withdrawn.title",
            "ui.done.withdrawn.body",
            revision,
        ),
        _ => return ().into_any(),
    };
    view! {
        <div class="accredit-panel" role="status">
            <h2 class="accredit-panel__title" id=heading_id tabindex="-1">{form.t(title)}</h2>
            <p class="accredit-panel__body">{form.t("ui.done.reference")}<br/>
                <strong class="accredit-reference">{reference}</strong></p>
        </div>
        <p class="accredit-body accredit-done-status">
            {form.tf("ui.done.status_now", &[("status", status_text(form, revision.status))])}
        </p>
        <p class="accredit-body">{form.t(body)}</p>
    }
    .into_any()
}

fn received(
    form: Form,
    heading_id: String,
    (receipt, registration): (crate::api::Receipt, accredit_model::Registration),
) -> impl IntoView {
    let copy = serde_json::json!({ "receipt": { "id": receipt.id, "reference": receipt.reference,
        "status": receipt.status }, "registration": registration });
    let href = format!(
        "data:application/json;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&copy.to_string()))
    );
    let file_name = format!("{}-{}.json", registration.event, receipt.reference);
    let names = registration
        .members
        .iter()
        .map(|m| view! { <li>{full_name(m)}</li> })
        .collect_view();
    view! {
        <div class="accredit-panel" role="status">
            <h2 class="accredit-panel__title" id=heading_id tabindex="-1">{form.t("ui.done.title")}</h2>
            <p class="accredit-panel__body">{form.t("ui.done.reference")}<br/>
                <strong class="accredit-reference">{receipt.reference.clone()}</strong></p>
        </div>
        <p class="accredit-body">{form.t("ui.done.status")}</p>
        {receipt.manage_link.clone().map(|link| view! { <ManageLink link /> })}
        <h3 class="accredit-heading accredit-heading--small">{form.t("ui.done.members")}</h3>
        <ul class="accredit-list">{names}</ul>
        <div class="accredit-actions">
            <a class="accredit-button accredit-button--secondary" part="button secondary-button" href=href download=file_name>{form.t("ui.done.download")}</a>
            <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button"
                on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                {form.t("ui.done.print")}
            </button>
        </div>
    }
}

/// The manage link, read-only, with a Copy button whose outcome is
/// announced.
#[component]
fn ManageLink(link: String) -> impl IntoView {
    let form = expect_context::<Form>();
    let id = form.id("manage-link");
    let hint_id = format!("{id}-hint");
    let status = RwSignal::new(None::<String>);
    let date = form
        .event
        .with_value(|e| form.i18n.with_value(|i| i.date(e.amendments_close_on())));
    let copy = {
        let (link, id) = (link.clone(), id.clone());
        move |_| {
            let (link, id) = (link.clone(), id.clone());
            status.set(None);
            leptos::task::spawn_local(async move {
                let message = if browser::copy_text(&link).await {
                    "ui.done.copied"
                } else {
                    browser::select_text(&id);
                    "ui.done.copy_failed"
                };
                status.set(Some(form.t(message)));
            });
        }
    };
    view! {
        <div class="accredit-manage-link">
            <h3 class="accredit-heading accredit-heading--small">{form.t("ui.done.link.title")}</h3>
            <div class="accredit-field">
                <label class="accredit-label" for=id.clone()>{form.t("ui.done.link.label")}</label>
                <div class="accredit-hint" id=hint_id.clone()>{form.tf("ui.done.link.hint", &[("date", date)])}</div>
                <div class="accredit-copy">
                    <input class="accredit-input accredit-copy__input" id=id.clone() type="text" readonly=true
                        dir="ltr" spellcheck="false" autocomplete="off" aria-describedby=hint_id value=link />
                    <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button"
                        id=format!("{id}-copy") on:click=copy>
                        {form.t("ui.done.copy")}
                    </button>
                </div>
                <p class="accredit-copy__status" id=format!("{id}-status") role="status" aria-live="polite">
                    {move || status.get()}
                </p>
            </div>
        </div>
    }
}

/// The names as typed, with the badge name when it differs (names in
/// another script): "عبد الله الصباح (Abdullah Al-Sabah)".
fn full_name(m: &Member) -> String {
    let names = format!("{} {}", m.given_names.trim(), m.family_name.trim());
    let names = names.trim();
    let badge = m.badge_name.trim();
    if badge.is_empty() || badge == names {
        names.to_string()
    } else {
        format!("{names} ({badge})")
    }
}
