//! One registration in full: every answer, the photos and the credentials
//! letter, the decision (approve, request changes, reject) with a note, and
//! the audit trail.

use super::dashboard::{kind_label, status_label};
use crate::api::Detail as Loaded;
use crate::app::Ctx;
use crate::browser;
use accredit_model::review::{Status, protocol};
use accredit_model::{Member, country};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Detail(id: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let detail = RwSignal::new(None::<Result<Loaded, String>>);
    {
        let id = id.clone();
        spawn_local(async move {
            let api = ctx.api.get_value();
            let result = api
                .detail(&ctx.token_now(), &id)
                .await
                .map_err(|e| ctx.failed(e));
            let _ = detail.try_set(Some(result));
        });
    }
    let back = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = back.get() {
            let _ = b.focus();
        }
    });
    view! {
        <section class="org-detail" aria-labelledby="org-detail-title">
            <button node_ref=back type="button" class="org-back" on:click=move |_| ctx.set_view(|v| v.open = None)>
                "Back to the delegations"
            </button>
            {move || match detail.get() {
                None => view! { <p role="status">"Loading the registration…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="org-problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(loaded)) => view! { <Loaded loaded=loaded detail=detail/> }.into_any(),
            }}
        </section>
    }
}

fn text(value: &str) -> String {
    if value.trim().is_empty() {
        "—".into()
    } else {
        value.to_owned()
    }
}

fn country_name(code: &str) -> String {
    if code.is_empty() {
        return "—".into();
    }
    country::english_name(code).map_or_else(|| code.to_owned(), |n| format!("{n} ({code})"))
}

fn date(d: Option<accredit_model::Date>) -> String {
    d.map_or_else(|| "—".into(), browser::format_date)
}

#[component]
fn Loaded(loaded: Loaded, detail: RwSignal<Option<Result<Loaded, String>>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let r = loaded.registration.clone();
    let d = &r.delegation;
    let name = protocol::listed_name(d);
    let event = ctx.event.get_value();
    let order = protocol::member_order(&event, &r.members);
    let sessions = move |ids: &[String]| {
        let names: Vec<String> = ids
            .iter()
            .map(|id| {
                event
                    .sessions
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or_else(|| id.clone(), |s| s.label.get("en").to_owned())
            })
            .collect();
        if names.is_empty() {
            "—".into()
        } else {
            names.join("; ")
        }
    };
    let members = order
        .into_iter()
        .map(|i| {
            let m = r.members[i].clone();
            let sessions = sessions(&m.sessions);
            view! { <MemberCard member=m sessions=sessions/> }
        })
        .collect_view();
    let letter = d.credentials_letter.clone();
    view! {
        <h2 id="org-detail-title" class="org-h2">{name.clone()}</h2>
        <p class="org-detail__meta">
            <span class="org-reference">{loaded.reference.clone()}</span>
            " · "<span class="org-status" data-status=loaded.status.as_str()>{status_label(loaded.status)}</span>
            " · submitted "{browser::format_timestamp(&loaded.created_at)}
        </p>
        <Decision loaded=loaded.clone() detail=detail/>
        <h3 class="org-h3">"Delegation"</h3>
        <dl class="org-answers">
            <dt>"Kind"</dt><dd>{kind_label(d.kind)}</dd>
            <dt>"Country"</dt><dd>{country_name(d.country.as_deref().unwrap_or(""))}</dd>
            <dt>"Organisation"</dt><dd>{text(d.organisation.as_deref().unwrap_or(""))}</dd>
            <dt>"Credentials letter"</dt>
            <dd>{match letter {
                Some(id) => view! { <Attachment id=id label=format!("credentials-letter-{}", loaded.reference) image=false/> }.into_any(),
                None => view! { "—" }.into_any(),
            }}</dd>
            <dt>"Form language"</dt><dd>{r.language.clone()}</dd>
            <dt>"Agreed to data processing"</dt><dd>{if r.consent.data_processing { "Yes" } else { "No" }}</dd>
            <dt>"Agreed to be in the list of participants"</dt><dd>{if r.consent.participant_list { "Yes" } else { "No" }}</dd>
        </dl>
        <h3 class="org-h3">"Focal point"</h3>
        <dl class="org-answers">
            <dt>"Name"</dt><dd>{format!("{} {}", r.focal_point.given_names, r.focal_point.family_name)}</dd>
            <dt>"E-mail"</dt><dd>{r.focal_point.email.clone()}</dd>
            <dt>"Phone"</dt><dd>{text(&r.focal_point.phone)}</dd>
        </dl>
        <h3 class="org-h3">{format!("Members ({})", r.members.len())}</h3>
        <div class="org-members">{members}</div>
        <h3 class="org-h3">"Audit trail"</h3>
        {if loaded.audit.is_empty() {
            view! { <p>"No decision yet."</p> }.into_any()
        } else {
            view! {
                <ol class="org-audit">
                    {loaded.audit.iter().map(|a| {
                        let who = a.by.label.clone().unwrap_or_else(|| "an organiser".into());
                        let from = a.from.map(status_label).unwrap_or("—");
                        view! {
                            <li>
                                <p><strong>{format!("{from} → {}", status_label(a.to))}</strong>
                                   {format!(" by {who}, {}", browser::format_timestamp(&a.at))}</p>
                                {a.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p class="org-audit__note">{n}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

#[component]
fn MemberCard(member: Member, sessions: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let m = member;
    let document = m.identity_document.clone();
    let colour = format!(
        "border-inline-start-color:{}",
        ctx.category_colour(&m.category)
    );
    view! {
        <article class="org-member" style:border-inline-start-color=colour>
            <div class="org-member__photo">
                {match m.photo.clone() {
                    Some(id) => view! { <Attachment id=id label=format!("Photo of {}", m.badge_text()) image=true/> }.into_any(),
                    None => view! { <span class="org-member__nophoto">"No photo"</span> }.into_any(),
                }}
            </div>
            <div>
                <h4 class="org-h4">{format!("{} {} {}", m.honorific, m.given_names, m.family_name).trim().to_owned()}</h4>
                <p class="org-member__category">{ctx.category_label(&m.category)}</p>
                <dl class="org-answers org-answers--member">
                    <dt>"Name on badge"</dt><dd>{m.badge_text()}</dd>
                    <dt>"Function"</dt><dd>{text(&m.function)}</dd>
                    <dt>"Institution"</dt><dd>{text(&m.institution)}</dd>
                    <dt>"Nationality"</dt><dd>{country_name(&m.nationality)}</dd>
                    <dt>"E-mail"</dt><dd>{text(&m.email)}</dd>
                    <dt>"Phone"</dt><dd>{text(&m.phone)}</dd>
                    <dt>"Identity document"</dt>
                    <dd>{document.map_or_else(|| "—".to_owned(), |doc| format!(
                        "{:?} {}, issued by {}, valid until {}",
                        doc.kind, doc.number, country_name(&doc.issuing_country), date(doc.expires_on)
                    ))}</dd>
                    <dt>"Date of birth"</dt><dd>{date(m.date_of_birth)}</dd>
                    <dt>"Sessions"</dt><dd>{sessions}</dd>
                    <dt>"Visa letter"</dt><dd>{if m.visa_letter { "Requested" } else { "Not requested" }}</dd>
                    <dt>"Travel"</dt><dd>{format!("{} to {}", date(m.arrival_date), date(m.departure_date))}</dd>
                    <dt>"Dietary needs"</dt><dd>{text(&m.dietary)}</dd>
                    <dt>"Accessibility needs"</dt><dd>{text(&m.accessibility)}</dd>
                </dl>
            </div>
        </article>
    }
}

/// A photo shown, or a file offered as a download. The file needs the
/// organiser's token, so it is fetched and shown from a `blob:` URL.
#[component]
pub fn Attachment(id: String, label: String, image: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let url = RwSignal::new(None::<Result<String, String>>);
    spawn_local(async move {
        let api = ctx.api.get_value();
        let result = api
            .attachment(&ctx.token_now(), &id)
            .await
            .map_err(|e| ctx.failed(e));
        let _ = url.try_set(Some(result));
    });
    on_cleanup(move || {
        if let Some(Some(Ok(u))) = url.try_get_untracked() {
            browser::revoke_object_url(&u);
        }
    });
    move || {
        match url.get() {
        None => view! { <span class="org-muted">"Loading…"</span> }.into_any(),
        Some(Err(message)) => view! { <span class="org-problem">{message}</span> }.into_any(),
        Some(Ok(u)) if image => view! { <img class="org-photo" src=u alt=label.clone()/> }.into_any(),
        Some(Ok(u)) => view! { <a class="org-link" href=u download=label.clone()>"Download the credentials letter"</a> }.into_any(),
    }
    }
}

#[component]
fn Decision(loaded: Loaded, detail: RwSignal<Option<Result<Loaded, String>>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let options: Vec<Status> = [Status::Approved, Status::ChangesRequested, Status::Rejected]
        .into_iter()
        .filter(|s| loaded.status.can_change_to(*s))
        .collect();
    if options.is_empty() {
        return view! {
            <p class="org-notice">{format!("This registration is {}; the decision is final.", status_label(loaded.status).to_lowercase())}</p>
        }
        .into_any();
    }
    let choice = RwSignal::new(None::<Status>);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let first = NodeRef::<leptos::html::Input>::new();
    let note_ref = NodeRef::<leptos::html::Textarea>::new();
    let id = loaded.id.clone();
    let reference = loaded.reference.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(to) = choice.get_untracked() else {
            error.set(Some("Choose approve, request changes or reject".into()));
            if let Some(el) = first.get_untracked() {
                let _ = el.focus();
            }
            return;
        };
        let text = note.get_untracked().trim().to_owned();
        if to == Status::ChangesRequested && text.is_empty() {
            error.set(Some(
                "Enter a note saying what the delegation must change".into(),
            ));
            if let Some(el) = note_ref.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        error.set(None);
        busy.set(true);
        let (id, reference) = (id.clone(), reference.clone());
        spawn_local(async move {
            let api = ctx.api.get_value();
            match api.change_status(&ctx.token_now(), &id, to, &text).await {
                Ok(updated) => {
                    ctx.entries.update(|entries| {
                        if let Some(e) = entries.iter_mut().find(|e| e.id == id) {
                            e.status = updated.status;
                            e.updated_at = updated.updated_at.clone();
                        }
                    });
                    ctx.announce
                        .set(format!("{reference}: {}", status_label(updated.status)));
                    ctx.host.with_value(|h| {
                        h.emit(
                            "accredit:status-changed",
                            &[
                                ("id", &id),
                                ("reference", &reference),
                                ("status", updated.status.as_str()),
                            ],
                        )
                    });
                    let _ = detail.try_set(Some(Ok(updated)));
                }
                Err(e) => {
                    let message = ctx.failed(e);
                    let _ = error.try_set(Some(message));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <form class="org-decision" on:submit=submit novalidate>
            {move || error.get().map(|e| view! { <p class="org-error" id="org-decision-error" role="alert"><span class="org-visually-hidden">"Error: "</span>{e}</p> })}
            <fieldset class="org-fieldset" aria-describedby=move || error.with(Option::is_some).then_some("org-decision-error")>
                <legend class="org-legend">"Decision"</legend>
                {options.into_iter().enumerate().map(|(n, s)| {
                    let input_id = format!("org-decision-{}", s.as_str());
                    let label = match s {
                        Status::Approved => "Approve",
                        Status::ChangesRequested => "Request changes",
                        _ => "Reject",
                    };
                    let node = if n == 0 { first } else { NodeRef::new() };
                    view! {
                        <div class="org-radio">
                            <input node_ref=node type="radio" name="decision" id=input_id.clone() value=s.as_str()
                                on:change=move |_| choice.set(Some(s))/>
                            <label for=input_id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="org-field">
                <label class="org-label" for="org-note">"Note"</label>
                <p class="org-hint" id="org-note-hint">"Kept in the audit trail. Say what must change when you request changes."</p>
                <textarea node_ref=note_ref class="org-textarea" id="org-note" rows="3" maxlength="2000"
                    aria-describedby="org-note-hint" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="org-button" aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { "Saving…" } else { "Save decision" }}
            </button>
        </form>
    }
    .into_any()
}
