//! "Are you sure?": withdrawing cannot be undone, so it is a page of its
//! own, saying what it means, with Withdraw and Cancel.

use super::review_step::failure_text;
use crate::form::{Form, Submission, submit};
use leptos::prelude::*;

#[component]
pub fn WithdrawStep() -> impl IntoView {
    let form = expect_context::<Form>();
    let reference = form
        .managed
        .with_untracked(|m| m.as_ref().map(|m| m.reference.clone()))
        .unwrap_or_default();
    let sending = Memo::new(move |_| form.submission.get() == Submission::Sending);
    let host = StoredValue::new(expect_context::<crate::host::Host>());
    let withdraw = move |_| submit::withdraw(form, host.get_value());
    let cancel = move |_| {
        form.submission.set(Submission::Idle);
        form.go_to_field(form.return_to.get_value(), form.id("banner-title"));
    };
    view! {
        <h2 class="accredit-heading" id=form.id("withdraw-title") tabindex="-1">{form.t("ui.withdraw.title")}</h2>
        <p class="accredit-body">{form.tf("ui.withdraw.body", &[("reference", reference)])}</p>
        <div class="accredit-warning">
            <p>{form.t("ui.withdraw.final")}</p>
        </div>
        {move || failure_text(form).map(|text| view! {
            <div class="accredit-alert" role="alert"><p>{text}</p></div>
        })}
        <div class="accredit-actions">
            <button type="button" class="accredit-button accredit-button--danger" part="button danger-button"
                id=form.id("withdraw-confirm") aria-disabled=move || sending.get().then_some("true")
                disabled=move || sending.get() on:click=withdraw>
                {move || sending.get().then(|| view! { <span class="accredit-spinner" aria-hidden="true"></span> })}
                {form.t("ui.manage.withdraw")}
            </button>
            <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button"
                id=form.id("withdraw-cancel") on:click=cancel>
                {form.t("ui.withdraw.cancel")}
            </button>
        </div>
        <p class="accredit-visually-hidden" role="status">{move || sending.get().then(|| form.t("ui.withdrawing"))}</p>
    }
}
