//! Step 3: every answer read-only with a "Change" link (the GOV.UK check
//! answers pattern), the consent, and the submit button. When amending, the
//! answers that differ from the stored version are tagged "Changed"; when
//! the registration can no longer be amended, the answers are only shown.

use super::field::Checkbox;
use crate::api::SubmitError;
use crate::browser::CountryNames;
use crate::form::{Form, Step, Submission, submit};
use accredit_model::review::{Change, changes};
use accredit_model::{Member, Registration};
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
    changed: bool,
) -> impl IntoView {
    let value = if value.trim().is_empty() {
        form.t("ui.review.not_given")
    } else {
        value
    };
    let change = form.t("ui.review.change");
    let hidden = key.to_lowercase();
    let tag = changed.then(|| {
        view! { " "<strong class="accredit-tag accredit-tag--changed">{form.t("ui.review.changed")}</strong> }
    });
    let actions = (!form.read_only()).then(|| view! {
        <dd class="accredit-summary__actions">
            <button type="button" class="accredit-link-button" on:click=move |_| {
                if let Some(open) = open {
                    open.set(true);
                }
                form.go_to_field(step, focus.clone());
            }>
                {change.clone()}<span class="accredit-visually-hidden">" "{hidden.clone()}</span>
            </button>
        </dd>
    });
    view! {
        <div class="accredit-summary__row" class:accredit-summary__row--changed=changed>
            <dt class="accredit-summary__key">{key}</dt>
            <dd class="accredit-summary__value">{value}{tag}</dd>
            {actions}
        </div>
    }
}

/// What changed against the stored version, row by row (manage mode).
struct Changed {
    changes: Vec<Change>,
    before: Registration,
}

impl Changed {
    fn section(&self, section: &str, field: &str) -> bool {
        self.changes.iter().any(|c| {
            matches!(c, Change::Section { section: s, fields } if s == section && fields.iter().any(|f| f == field))
        })
    }

    /// The change of the member now at `position`.
    fn member(&self, position: usize) -> Option<&Change> {
        self.changes.iter().find(|c| match c {
            Change::MemberAdded { position: p, .. }
            | Change::MemberReplaced { position: p, .. }
            | Change::MemberChanged { position: p, .. } => *p == position,
            _ => false,
        })
    }

    /// Whether the row `field` (`email`, `identity_document.number`) of the
    /// member `now` at `position` differs from what was stored.
    fn member_field(&self, position: usize, now: &Member, field: &str) -> bool {
        let Some(Change::MemberChanged { fields, .. }) = self.member(position) else {
            return false;
        };
        let (top, sub) = field.split_once('.').unwrap_or((field, ""));
        if !fields.iter().any(|f| f == top) {
            return false;
        }
        if sub.is_empty() {
            return true;
        }
        // Within the document, compare the one part the row shows.
        let part = |m: &Member| {
            serde_json::to_value(&m.identity_document)
                .ok()
                .and_then(|d| d.get(sub).cloned())
        };
        self.before_member(now)
            .is_none_or(|before| part(before) != part(now))
    }

    /// The stored version of a member (matched as `changes` matches them).
    fn before_member(&self, now: &Member) -> Option<&Member> {
        let who = |m: &Member| {
            (
                m.given_names.trim().to_lowercase(),
                m.family_name.trim().to_lowercase(),
            )
        };
        self.before.members.iter().find(|m| who(m) == who(now))
    }

    fn removed(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter_map(|c| match c {
                Change::MemberRemoved { name } => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// Nothing the user answered differs (the UI language does not count).
    fn none(&self) -> bool {
        self.changes
            .iter()
            .all(|c| matches!(c, Change::Section { section, .. } if section == "language"))
    }
}

/// The message for a failed submission, amendment or withdrawal.
pub fn failure_text(form: Form) -> Option<String> {
    let Submission::Failed(error) = form.submission.get() else {
        return None;
    };
    Some(match error {
        SubmitError::Invalid(_) => form.t("ui.submit.invalid"),
        SubmitError::Unavailable => form.t("ui.submit.unavailable"),
        SubmitError::TooLarge => form.t("ui.submit.too_large"),
        SubmitError::Closed => form.t("ui.submit.closed"),
        SubmitError::AlreadyReceived(reference) => {
            form.tf("ui.submit.already_received", &[("reference", reference)])
        }
        SubmitError::Changed => form.t("ui.submit.changed_elsewhere"),
        SubmitError::AmendmentsClosed => form.t("ui.submit.amendments_closed"),
        SubmitError::Final => form.t("ui.submit.final"),
        SubmitError::LinkInvalid => form.t("ui.submit.link_invalid"),
        SubmitError::Rejected(s) => form.tf("ui.submit.rejected", &[("status", s.to_string())]),
    })
}

#[component]
pub fn ReviewStep(endpoint: String) -> impl IntoView {
    let form = expect_context::<Form>();
    let lang = form.i18n.with_value(|i| i.lang.clone());
    let names = CountryNames::new(&lang);
    let d = form.delegation.get_untracked();
    let f = form.focal_point.get_untracked();
    let changed = form.managed.with_untracked(|m| {
        m.as_ref().map(|m| Changed {
            changes: changes(&m.registration, &form.registration()),
            before: m.registration.clone(),
        })
    });
    let was =
        |section: &str, field: &str| changed.as_ref().is_some_and(|c| c.section(section, field));
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
            was("delegation", "kind"),
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
            was("delegation", who_path.trim_start_matches("delegation.")),
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
                was("delegation", "credentials_letter"),
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
            was("focal_point", "given_names"),
        )
        .into_any(),
        row(
            form,
            form.t("ui.family_name"),
            f.family_name.clone(),
            Step::Delegation,
            form.id("focal_point.family_name"),
            None,
            was("focal_point", "family_name"),
        )
        .into_any(),
        row(
            form,
            form.t("ui.email"),
            f.email.clone(),
            Step::Delegation,
            form.id("focal_point.email"),
            None,
            was("focal_point", "email"),
        )
        .into_any(),
        row(
            form,
            form.t("ui.phone"),
            f.phone.clone(),
            Step::Delegation,
            form.id("focal_point.phone"),
            None,
            was("focal_point", "phone"),
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
            let (member_tag, changed_fields) = match &changed {
                Some(c) => {
                    let tag = match c.member(i) {
                        Some(Change::MemberAdded { .. }) => Some("ui.review.added"),
                        Some(Change::MemberReplaced { .. }) => Some("ui.review.replaced"),
                        _ => None,
                    };
                    (tag, Some(c))
                }
                None => (None, None),
            };
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
                    let was = changed_fields.is_some_and(|c| c.member_field(i, &m, field));
                    row(form, k, v, Step::Members, target, Some(open), was).into_any()
                })
                .collect_view();
            let member_tag = member_tag.map(|key| {
                view! {
                    " "<strong class="accredit-tag accredit-tag--changed">{form.t(key)}</strong>
                }
            });
            view! {
                <h3 class="accredit-heading accredit-heading--small">{title}{member_tag}</h3>
                <dl class="accredit-summary">{rows}</dl>
            }
        })
        .collect_view();
    let c = form.consent;
    let privacy = form
        .event
        .with_value(|e| e.limits.privacy_notice_url.clone());
    let sending = Memo::new(move |_| form.submission.get() == Submission::Sending);
    let removed = changed.as_ref().map(Changed::removed).unwrap_or_default();
    let removed = (!removed.is_empty()).then(|| {
        view! {
            <ul class="accredit-list accredit-removed">
                {removed.into_iter().map(|name| view! {
                    <li>{form.tf("ui.review.removed", &[("name", name)])}" "
                        <strong class="accredit-tag accredit-tag--changed">{form.t("ui.review.changed")}</strong></li>
                }).collect_view()}
            </ul>
        }
    });
    let unchanged = changed.as_ref().is_some_and(Changed::none);
    let retryable = move || {
        matches!(
            form.submission.get(),
            Submission::Failed(SubmitError::Unavailable | SubmitError::Rejected(_))
        )
    };
    let reloadable = move || form.submission.get() == Submission::Failed(SubmitError::Changed);
    let managing = form.is_managing();
    let (submit_label, sending_label) = if managing {
        (form.t("ui.submit.changes"), form.t("ui.submitting.changes"))
    } else {
        (form.t("ui.submit"), form.t("ui.submitting"))
    };
    let sending_status = sending_label.clone();
    let endpoint = StoredValue::new(endpoint);
    let host = StoredValue::new(expect_context::<crate::host::Host>());
    let send = move |_| submit::submit(form, endpoint.get_value(), host.get_value());
    let reload = move |_| submit::reload(form);
    if form.read_only() {
        return view! {
            <h2 class="accredit-heading" id=form.id(Step::Review.heading()) tabindex="-1">{form.t("ui.step.review")}</h2>
            <h3 class="accredit-heading accredit-heading--small">{form.t("ui.review.delegation")}</h3>
            <dl class="accredit-summary">{delegation_rows}</dl>
            <h3 class="accredit-heading accredit-heading--small">{form.t("ui.review.focal_point")}</h3>
            <dl class="accredit-summary">{focal_rows}</dl>
            <h2 class="accredit-heading">{form.t("ui.review.members")}</h2>
            {member_sections}
        }
        .into_any();
    }
    view! {
        <h2 class="accredit-heading" id=form.id(Step::Review.heading()) tabindex="-1">{form.t("ui.step.review")}</h2>
        <h3 class="accredit-heading accredit-heading--small">{form.t("ui.review.delegation")}</h3>
        <dl class="accredit-summary">{delegation_rows}</dl>
        <h3 class="accredit-heading accredit-heading--small">{form.t("ui.review.focal_point")}</h3>
        <dl class="accredit-summary">{focal_rows}</dl>
        <h2 class="accredit-heading">{form.t("ui.review.members")}</h2>
        {member_sections}
        {removed}
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
        {unchanged.then(|| view! { <p class="accredit-body accredit-muted">{form.t("ui.review.unchanged")}</p> })}
        {move || failure_text(form).map(|text| view! {
            <div class="accredit-alert" role="alert">
                <p>{text}</p>
                {retryable().then(|| view! {
                    <button type="button" class="accredit-button" part="button" on:click=send>{form.t("ui.try_again")}</button>
                })}
                {reloadable().then(|| view! {
                    <button type="button" class="accredit-button" part="button" id=form.id("reload") on:click=reload>
                        {form.t("ui.submit.reload")}
                    </button>
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
                    view! { <span class="accredit-spinner" aria-hidden="true"></span>{sending_label.clone()} }.into_any()
                } else {
                    submit_label.clone().into_any()
                }}
            </button>
        </div>
        <p class="accredit-visually-hidden" role="status">{move || sending.get().then(|| sending_status.clone())}</p>
    }
    .into_any()
}
