//! The registration behind a manage link: its status, the organiser's note
//! and what can still be done, in a notification banner (the GOV.UK
//! pattern: a region named by its title, which takes focus when the
//! registration is opened or reloaded).

use crate::form::{Form, Step};
use accredit_model::Date;
use accredit_model::review::Status;
use leptos::prelude::*;

/// "Changes requested by the organisers", in the UI language.
pub fn status_text(form: Form, status: Status) -> String {
    form.t(&format!("ui.status.{}", status.as_str()))
}

#[component]
pub fn ManageBanner() -> impl IntoView {
    let form = expect_context::<Form>();
    let id = form.id("banner");
    let title_id = form.id("banner-title");
    let withdraw_id = form.id("withdraw");
    move || {
        let mine = form.managed.get()?;
        let date = Date::parse(&mine.amendments_close)
            .map(|d| form.i18n.with_value(|i| i.date(d)))
            .unwrap_or_else(|_| mine.amendments_close.clone());
        let what_now = match mine.status {
            Status::Rejected => form.t("ui.banner.rejected"),
            Status::Withdrawn => form.t("ui.banner.withdrawn"),
            _ if !mine.amendable => form.tf("ui.banner.closed", &[("date", date)]),
            Status::Approved => format!(
                "{} {}",
                form.tf("ui.banner.deadline", &[("date", date)]),
                form.t("ui.banner.approved")
            ),
            _ => form.tf("ui.banner.deadline", &[("date", date)]),
        };
        let note = mine.note.clone().filter(|n| !n.trim().is_empty());
        let withdraw = move |_| {
            form.return_to.set_value(form.step.get_untracked());
            form.go_to(Step::Withdraw);
        };
        Some(view! {
            <div class="accredit-banner" class:accredit-banner--final=!mine.amendable
                part="banner" role="region" aria-labelledby=title_id.clone() id=id.clone()>
                <div class="accredit-banner__header">
                    <h2 class="accredit-banner__title" id=title_id.clone() tabindex="-1">
                        {form.tf("ui.banner.title", &[("reference", mine.reference.clone())])}
                    </h2>
                </div>
                <div class="accredit-banner__content">
                    <p class="accredit-banner__heading">
                        {form.tf("ui.banner.status", &[("status", status_text(form, mine.status))])}
                    </p>
                    {note.map(|note| view! {
                        <div class="accredit-banner__note">
                            <h3 class="accredit-banner__note-title">{form.t("ui.banner.note")}</h3>
                            <p class="accredit-banner__note-text">{note}</p>
                        </div>
                    })}
                    <p class="accredit-banner__text">{what_now}</p>
                    {mine.amendable.then(|| view! {
                        <p class="accredit-banner__text">
                            <button type="button" id=withdraw_id.clone()
                                class="accredit-link-button accredit-link-button--danger" on:click=withdraw>
                                {form.t("ui.manage.withdraw")}
                            </button>
                        </p>
                    })}
                </div>
            </div>
        })
    }
}
