//! Step 3: every answer read-only with a "Change" link (the GOV.UK check
//! answers pattern), the consent, and the submit button.

use super::field::Checkbox;
use crate::api::SubmitError;
use crate::browser;
use crate::browser::CountryNames;
use crate::form::{Form, Step, Submission, submit};
use leptos::prelude::*;

/// One row of a summary list.
/// `open` is the member card to expand before focusing, if any.
fn row(
    form: Form,
    key: String,
    value: String,
    step: Step,
    focus: String,
    open: Option<RwSignal<bool>>,
) -> impl IntoView {
    let value = if value.trim().is_empty() {
        form.t("ui.review.not_given")
    } else {
        value
    };
    let change = form.t("ui.review.change");
    let hidden = key.to_lowercase();
    view! {
        <div class="accredit-summary__row">
            <dt class="accredit-summary__key">{key}</dt>
            <dd class="accredit-summary__value">{value}</dd>
            <dd class="accredit-summary__actions">
                <button type="button" class="accredit-link-button" on:click=move |_| {
                    if let Some(open) = open {
                        open.set(true);
                    }
                    form.go_to(step);
                    let target = focus.clone();
                    request_animation_frame(move || browser::focus(&target));
                }>
                    {change.clone()}<span class="accredit-visually-hidden">" "{hidden.clone()}</span>
                </button>
            </dd>
        </div>
    }
}

#[component]
pub fn ReviewStep(endpoint: String) -> impl IntoView {
    let form = expect_context::<Form>();
    let lang = form.i18n.with_value(|i| i.lang.clone());
    let names = CountryNames::new(&lang);
    let d = form.delegation.get_untracked();
    let f = form.focal_point.get_untracked();
    let who = if d.kind.is_state() {
        d.country
            .as_deref()
            .map(|c| names.name(c))
            .unwrap_or_default()
    } else {
        d.organisation.clone().unwrap_or_default()
    };
    let who_path = if d.kind.is_state() {
        "delegation.country"
    } else {
        "delegation.organisation"
    };
    let mut delegation_rows = vec![
        row(
            form,
            form.t("ui.delegation.kind"),
            form.t(&format!("ui.kind.{}", d.kind.as_str())),
            Step::Delegation,
            form.id("delegation.kind"),
            None,
        )
        .into_any(),
        row(
            form,
            form.t(if d.kind.is_state() {
                "ui.delegation.country"
            } else {
                "ui.delegation.organisation"
            }),
            who,
            Step::Delegation,
            form.id(who_path),
            None,
        )
        .into_any(),
    ];
    if form
        .event
        .with_value(|e| e.fields.credentials_letter.is_collected())
    {
        let letter = if d.credentials_letter.is_some() {
            form.t("ui.upload.done")
        } else {
            String::new()
        };
        delegation_rows.push(
            row(
                form,
                form.t("ui.delegation.credentials_letter"),
                letter,
                Step::Delegation,
                form.id("delegation.credentials_letter"),
                None,
            )
            .into_any(),
        );
    }
    let focal_rows = vec![
        row(
            form,
            form.t("ui.given_names"),
            f.given_names.clone(),
            Step::Delegation,
            form.id("focal_point.given_names"),
            None,
        )
        .into_any(),
        row(
            form,
            form.t("ui.family_name"),
            f.family_name.clone(),
            Step::Delegation,
            form.id("focal_point.family_name"),
            None,
        )
        .into_any(),
        row(
            form,
            form.t("ui.email"),
            f.email.clone(),
            Step::Delegation,
            form.id("focal_point.email"),
            None,
        )
        .into_any(),
        row(
            form,
            form.t("ui.phone"),
            f.phone.clone(),
            Step::Delegation,
            form.id("focal_point.phone"),
            None,
        )
        .into_any(),
    ];
    let fields = form.event.with_value(|e| e.fields.clone());
    let members = form.members.get_untracked();
    let member_sections = members
        .iter()
        .enumerate()
        .map(|(i, member_row)| {
            let m = member_row.data.get_untracked();
            let open = member_row.open;
            let category = form
                .event
                .with_value(|e| {
                    e.category(&m.category)
                        .map(|c| c.label.get(&lang).to_string())
                })
                .unwrap_or_default();
            let title = format!(
                "{}: {}",
                form.tf("ui.member.title", &[("n", (i + 1).to_string())]),
                m.badge_text()
            );
            let mut rows = vec![
                (
                    form.t("ui.given_names"),
                    m.given_names.clone(),
                    "given_names",
                ),
                (
                    form.t("ui.family_name"),
                    m.family_name.clone(),
                    "family_name",
                ),
                (form.t("ui.member.category"), category, "category"),
                (form.t("ui.member.function"), m.function.clone(), "function"),
                (
                    form.t("ui.member.institution"),
                    m.institution.clone(),
                    "institution",
                ),
                (
                    form.t("ui.member.nationality"),
                    if m.nationality.is_empty() {
                        String::new()
                    } else {
                        names.name(&m.nationality)
                    },
                    "nationality",
                ),
                (form.t("ui.email"), m.email.clone(), "email"),
                (form.t("ui.phone"), m.phone.clone(), "phone"),
            ];
            if let Some(doc) = &m.identity_document {
                rows.push((
                    form.t("ui.member.document.number"),
                    doc.number.clone(),
                    "identity_document.number",
                ));
                rows.push((
                    form.t("ui.member.document.expires_on"),
                    doc.expires_on
                        .map(|d| form.i18n.with_value(|t| t.date(d)))
                        .unwrap_or_default(),
                    "identity_document.expires_on",
                ));
            }
            let date = |d: Option<accredit_model::Date>| {
                d.map(|d| form.i18n.with_value(|t| t.date(d)))
                    .unwrap_or_default()
            };
            if !m.honorific.trim().is_empty() {
                rows.insert(
                    0,
                    (
                        form.t("ui.member.honorific"),
                        m.honorific.clone(),
                        "honorific",
                    ),
                );
            }
            if !m.badge_name.trim().is_empty() {
                rows.push((
                    form.t("ui.member.badge_name"),
                    m.badge_name.clone(),
                    "badge_name",
                ));
            }
            if let Some(doc) = &m.identity_document {
                rows.push((
                    form.t("ui.member.document.kind"),
                    super::choices::capitalise(
                        &form.t(&format!("document_kind.{}", doc.kind.as_str())),
                    ),
                    "identity_document.kind",
                ));
                rows.push((
                    form.t("ui.member.document.issuing_country"),
                    if doc.issuing_country.is_empty() {
                        String::new()
                    } else {
                        names.name(&doc.issuing_country)
                    },
                    "identity_document.issuing_country",
                ));
            }
            if m.date_of_birth.is_some() {
                rows.push((
                    form.t("ui.member.date_of_birth"),
                    date(m.date_of_birth),
                    "date_of_birth",
                ));
            }
            if fields.photo.is_collected() {
                let photo = if m.photo.is_some() {
                    form.t("ui.upload.done")
                } else {
                    String::new()
                };
                rows.push((form.t("ui.member.photo"), photo, "photo"));
            }
            if fields.sessions.is_collected() {
                let chosen = form.event.with_value(|e| {
                    m.sessions
                        .iter()
                        .filter_map(|id| e.session(id).map(|s| s.label.get(&lang).to_string()))
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                rows.push((form.t("ui.member.sessions"), chosen, "sessions"));
            }
            rows.push((
                form.t("ui.member.visa_letter"),
                form.t(if m.visa_letter {
                    "ui.review.yes"
                } else {
                    "ui.review.no"
                }),
                "visa_letter",
            ));
            if m.visa_letter || m.arrival_date.is_some() || m.departure_date.is_some() {
                rows.push((
                    form.t("ui.member.arrival_date"),
                    date(m.arrival_date),
                    "arrival_date",
                ));
                rows.push((
                    form.t("ui.member.departure_date"),
                    date(m.departure_date),
                    "departure_date",
                ));
            }
            for (key, text, field) in [
                ("ui.member.dietary", &m.dietary, "dietary"),
                ("ui.member.accessibility", &m.accessibility, "accessibility"),
            ] {
                if !text.trim().is_empty() {
                    rows.push((form.t(key), text.clone(), field));
                }
            }
            let rows = rows
                .into_iter()
                .map(|(k, v, field)| {
                    let target = form.id(&format!("members[{i}].{field}"));
                    row(form, k, v, Step::Members, target, Some(open)).into_any()
                })
                .collect_view();
            view! {
                <h3 class="accredit-heading accredit-heading--small">{title}</h3>
                <dl class="accredit-summary">{rows}</dl>
            }
        })
        .collect_view();
    let c = form.consent;
    let privacy = form
        .event
        .with_value(|e| e.limits.privacy_notice_url.clone());
    let sending = Memo::new(move |_| form.submission.get() == Submission::Sending);
    let failure = move || match form.submission.get() {
        Submission::Failed(SubmitError::Invalid(_)) => Some(form.t("ui.submit.invalid")),
        Submission::Failed(SubmitError::Unavailable) => Some(form.t("ui.submit.unavailable")),
        Submission::Failed(SubmitError::TooLarge) => Some(form.t("ui.submit.too_large")),
        Submission::Failed(SubmitError::Closed) => Some(form.t("ui.submit.closed")),
        Submission::Failed(SubmitError::AlreadyReceived(reference)) => {
            Some(form.tf("ui.submit.already_received", &[("reference", reference)]))
        }
        Submission::Failed(SubmitError::Rejected(s)) => {
            Some(form.tf("ui.submit.rejected", &[("status", s.to_string())]))
        }
        _ => None,
    };
    let retryable = move || {
        matches!(
            form.submission.get(),
            Submission::Failed(SubmitError::Unavailable | SubmitError::Rejected(_))
        )
    };
    let endpoint = StoredValue::new(endpoint);
    let host = StoredValue::new(expect_context::<crate::host::Host>());
    let send = move |_| submit::submit(form, endpoint.get_value(), host.get_value());
    view! {
        <h2 class="accredit-heading">{form.t("ui.step.review")}</h2>
        <h3 class="accredit-heading accredit-heading--small">{form.t("ui.review.delegation")}</h3>
        <dl class="accredit-summary">{delegation_rows}</dl>
        <h3 class="accredit-heading accredit-heading--small">{form.t("ui.review.focal_point")}</h3>
        <dl class="accredit-summary">{focal_rows}</dl>
        <h2 class="accredit-heading">{form.t("ui.review.members")}</h2>
        {member_sections}
        <fieldset class="accredit-fieldset">
            <legend class="accredit-legend">{form.t("ui.consent.legend")}</legend>
            <p class="accredit-body">
                <a class="accredit-link" href=privacy target="_blank" rel="noopener noreferrer">{form.t("ui.consent.privacy_notice")}</a>
            </p>
            <Checkbox path="consent.data_processing".into() label=form.t("ui.consent.data_processing")
                checked=Signal::derive(move || c.with(|c| c.data_processing))
                on_change=Callback::new(move |on| c.update(|c| c.data_processing = on)) />
            <Checkbox path="consent.participant_list".into() label=form.t("ui.consent.participant_list")
                checked=Signal::derive(move || c.with(|c| c.participant_list))
                on_change=Callback::new(move |on| c.update(|c| c.participant_list = on)) />
        </fieldset>
        {move || failure().map(|text| view! {
            <div class="accredit-alert" role="alert">
                <p>{text}</p>
                {retryable().then(|| view! {
                    <button type="button" class="accredit-button" part="button" on:click=send>{form.t("ui.try_again")}</button>
                })}
            </div>
        })}
        <div class="accredit-actions">
            <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button" on:click=move |_| form.go_to(Step::Members)>
                {form.t("ui.back")}
            </button>
            <button type="button" class="accredit-button" part="button" aria-disabled=move || sending.get().then_some("true")
                disabled=move || sending.get() on:click=send>
                {move || if sending.get() {
                    view! { <span class="accredit-spinner" aria-hidden="true"></span>{form.t("ui.submitting")} }.into_any()
                } else {
                    form.t("ui.submit").into_any()
                }}
            </button>
        </div>
        <p class="accredit-visually-hidden" role="status">{move || sending.get().then(|| form.t("ui.submitting"))}</p>
    }
}
