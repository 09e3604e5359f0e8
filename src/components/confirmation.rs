//! The confirmation: the reference number, who was registered, the status,
//! and a copy to keep.

use crate::form::{Form, Submission};
use accredit_model::Member;
use leptos::prelude::*;

#[component]
pub fn Confirmation() -> impl IntoView {
    let form = expect_context::<Form>();
    let Submission::Done(done) = form.submission.get_untracked() else {
        return ().into_any();
    };
    let (receipt, registration) = *done;
    let heading_id = form.id("done");
    {
        let id = heading_id.clone();
        request_animation_frame(move || crate::browser::focus(&id));
    }
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
    .into_any()
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
