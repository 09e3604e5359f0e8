//! One registration in full: what changed since the last decision, every
//! answer, the photos and the credentials letter, the decision (approve,
//! request changes, reject) with a note, the versions, the messages sent
//! about it (and a new manage link), and the audit trail.

use crate::api::ApiError;
use crate::app::Ctx;
use crate::browser;
use crate::i18n::I18n;
use crate::lifecycle;
use crate::roster;
use accredit_model::Member;
use accredit_model::api::{
    Decision as DecisionBody, MessageInfo, RegistrationDetail, problem_code,
};
use accredit_model::review::{Status, protocol};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The registration on screen, and how to load it again.
#[derive(Clone, Copy)]
struct Shown {
    id: StoredValue<String>,
    detail: RwSignal<Option<Result<RegistrationDetail, String>>>,
    /// Set before showing a new answer (a reload, a decision): the title
    /// takes the focus, since the view under it was rebuilt.
    focus_title: StoredValue<bool>,
}

impl Shown {
    /// Loads the registration afresh (after the delegation amended it
    /// meanwhile) and shows it, the list's row updated too.
    fn reload(self, ctx: Ctx) {
        let id = self.id.get_value();
        spawn_local(async move {
            let api = ctx.api.get_value();
            match api.detail(&ctx.token_now(), &id).await {
                Ok(fresh) => {
                    let t = ctx.i18n();
                    ctx.announce.set(t.tf(
                        "org.detail.reloaded",
                        &[
                            ("reference", &fresh.reference),
                            ("version", &t.number(fresh.version as usize)),
                            ("status", &t.status(fresh.status)),
                        ],
                    ));
                    self.show(ctx, fresh);
                }
                Err(e) => {
                    let message = ctx.failed(e);
                    let _ = self.detail.try_set(Some(Err(message)));
                }
            }
        });
    }

    fn show(self, ctx: Ctx, fresh: RegistrationDetail) {
        ctx.entries.update(|entries| {
            if let Some(e) = entries.iter_mut().find(|e| e.id == fresh.id) {
                e.refresh(&fresh);
            }
        });
        self.focus_title.set_value(true);
        let _ = self.detail.try_set(Some(Ok(fresh)));
    }
}

#[component]
pub fn Detail(id: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let shown = Shown {
        id: StoredValue::new(id.clone()),
        detail: RwSignal::new(None),
        focus_title: StoredValue::new(false),
    };
    spawn_local(async move {
        let api = ctx.api.get_value();
        let result = api
            .detail(&ctx.token_now(), &id)
            .await
            .map_err(|e| ctx.failed(e));
        let _ = shown.detail.try_set(Some(result));
    });
    let back = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = back.get() {
            let _ = b.focus();
        }
    });
    view! {
        <section class="org-detail" aria-labelledby="org-detail-title">
            <button node_ref=back type="button" class="org-back" on:click=move |_| ctx.set_view(|v| v.open = None)>
                {ctx.t("org.detail.back")}
            </button>
            {move || match shown.detail.get() {
                None => view! { <p role="status">{ctx.t("org.detail.loading")}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="org-problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(loaded)) => view! { <Loaded loaded=loaded shown=shown/> }.into_any(),
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

fn country_name(t: &I18n, code: &str) -> String {
    if code.is_empty() {
        return "—".into();
    }
    format!("{} ({code})", t.country(code))
}

fn date(t: &I18n, d: Option<accredit_model::Date>) -> String {
    d.map_or_else(|| "—".into(), |d| t.date(d))
}

fn yes_no(t: &I18n, yes: bool) -> String {
    t.t(if yes { "org.yes" } else { "org.no" })
}

#[component]
fn Loaded(loaded: RegistrationDetail, shown: Shown) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let r = loaded.registration.clone();
    let d = &r.delegation;
    let t = ctx.i18n();
    let event = ctx.event.get_value();
    let name = t.delegation(&event, d);
    let lang = t.lang.clone();
    let order = protocol::member_order(&event, &r.members);
    let sessions = move |ids: &[String]| {
        let names: Vec<String> = ids
            .iter()
            .map(|id| {
                event
                    .sessions
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or_else(|| id.clone(), |s| s.label.get(&lang).to_owned())
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
    let title = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(t) = title.get()
            && shown.focus_title.get_value()
        {
            shown.focus_title.set_value(false);
            let _ = t.focus();
        }
    });
    let amended_since = loaded
        .reviewed_version
        .filter(|reviewed| *reviewed < loaded.version);
    view! {
        <h2 node_ref=title id="org-detail-title" class="org-h2" tabindex="-1">{name.clone()}</h2>
        <p class="org-detail__meta">
            <span class="org-reference" dir="ltr">{loaded.reference.clone()}</span>
            " · "<span class="org-status" data-status=loaded.status.as_str()>{t.status(loaded.status)}</span>
            {amended_since.map(|_| view! { " "<span class="org-status org-tag" data-tag="amended">{ctx.t("org.amended")}</span> })}
            " · "{t.tf("org.detail.version", &[("version", &t.number(loaded.version as usize))])}
            " · "{t.tf("org.detail.submitted", &[("when", &t.timestamp(&loaded.created_at))])}
        </p>
        <Changes loaded=loaded.clone()/>
        <Decision loaded=loaded.clone() shown=shown/>
        <h3 class="org-h3">{t.t("org.change.section.delegation")}</h3>
        <dl class="org-answers">
            <dt>{t.t("org.field.kind")}</dt><dd>{t.kind(d.kind)}</dd>
            <dt>{t.t("org.field.country")}</dt><dd>{country_name(&t, d.country.as_deref().unwrap_or(""))}</dd>
            <dt>{t.t("org.field.organisation")}</dt><dd>{text(d.organisation.as_deref().unwrap_or(""))}</dd>
            <dt>{t.t("org.field.credentials_letter")}</dt>
            <dd>{match letter {
                Some(id) => view! { <Attachment id=id label=format!("credentials-letter-{}", loaded.reference) image=false/> }.into_any(),
                None => view! { "—" }.into_any(),
            }}</dd>
            <dt>{t.t("org.change.section.language")}</dt><dd>{r.language.clone()}</dd>
            <dt>{t.t("org.field.data_processing")}</dt><dd>{yes_no(&t, r.consent.data_processing)}</dd>
            <dt>{t.t("org.field.participant_list")}</dt><dd>{yes_no(&t, r.consent.participant_list)}</dd>
        </dl>
        <h3 class="org-h3">{t.t("org.change.section.focal_point")}</h3>
        <dl class="org-answers">
            <dt>{t.t("org.field.name")}</dt><dd>{format!("{} {}", r.focal_point.given_names, r.focal_point.family_name)}</dd>
            <dt>{t.t("org.field.email")}</dt><dd><bdi dir="ltr">{r.focal_point.email.clone()}</bdi></dd>
            <dt>{t.t("org.field.phone")}</dt><dd><bdi dir="ltr">{text(&r.focal_point.phone)}</bdi></dd>
        </dl>
        <h3 class="org-h3">{t.tf("org.detail.members", &[("n", &t.number(r.members.len()))])}</h3>
        <div class="org-members">{members}</div>
        <History loaded=loaded.clone()/>
        <Messages id=loaded.id.clone() messages=loaded.messages.clone()/>
        <h3 class="org-h3">{t.t("org.detail.audit")}</h3>
        {if loaded.audit.is_empty() {
            view! { <p>{t.t("org.detail.no_decision")}</p> }.into_any()
        } else {
            view! {
                <ol class="org-audit">
                    {loaded.audit.iter().map(|a| {
                        let who = if a.by.label.trim().is_empty() { t.t("org.detail.an_organiser") } else { a.by.label.clone() };
                        view! {
                            <li>
                                <p><strong>{format!("{} → {}", t.status(a.from), t.status(a.to))}</strong>
                                   " "{t.tf("org.detail.by", &[("who", &who), ("when", &t.timestamp(&a.at))])}</p>
                                {(!a.note.is_empty()).then(|| view! { <p class="org-audit__note">{a.note.clone()}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

/// What the delegation changed since an organiser last decided: read
/// before deciding again.
#[component]
fn Changes(loaded: RegistrationDetail) -> impl IntoView {
    if loaded.changes.is_empty() {
        return ().into_any();
    }
    let t = expect_context::<Ctx>().i18n();
    let compared = loaded.reviewed_version.map(|reviewed| {
        t.tf(
            "org.detail.compared",
            &[
                ("version", &t.number(loaded.version as usize)),
                ("reviewed", &t.number(reviewed as usize)),
            ],
        )
    });
    view! {
        <section class="org-changes org-notice" aria-labelledby="org-changes-title">
            <h3 id="org-changes-title" class="org-h3">{t.t("org.detail.changes")}</h3>
            {compared.map(|text| view! { <p class="org-hint">{text}</p> })}
            <ul class="org-changes__list">
                {loaded.changes.iter().map(|c| view! { <li>{lifecycle::describe(&t, c)}</li> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The versions: when, by whom, what.
#[component]
fn History(loaded: RegistrationDetail) -> impl IntoView {
    let t = expect_context::<Ctx>().i18n();
    view! {
        <h3 class="org-h3" id="org-history-title">{t.t("org.detail.history")}</h3>
        {if loaded.history.is_empty() {
            view! { <p>{t.t("org.detail.no_history")}</p> }.into_any()
        } else {
            view! {
                <table class="org-table org-table--compact" aria-labelledby="org-history-title">
                    <thead>
                        <tr><th scope="col">{t.t("org.detail.when")}</th><th scope="col">{t.t("org.detail.version_heading")}</th><th scope="col">{t.t("org.detail.by_heading")}</th><th scope="col">{t.t("org.detail.what")}</th></tr>
                    </thead>
                    <tbody>
                        {loaded.history.iter().map(|h| view! {
                            <tr>
                                <td>{t.timestamp(&h.at)}</td>
                                <td class="org-num">{t.number(h.version as usize)}</td>
                                <td>{lifecycle::author_label(&t, h.by)}</td>
                                <th scope="row">{lifecycle::history_what(&t, h)}</th>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// The messages sent about the registration, and a new manage link for
/// the focal point (the one they had stops working).
#[component]
fn Messages(id: String, messages: Vec<MessageInfo>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let messages = RwSignal::new(messages);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let send = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        sent.set(None);
        problem.set(None);
        let id = id.clone();
        spawn_local(async move {
            let api = ctx.api.get_value();
            let token = ctx.token_now();
            match api.send_manage_link(&token, &id).await {
                Ok(link) => {
                    let _ = sent.try_set(Some(
                        ctx.i18n().tf("org.messages.sent", &[("to", &link.to)]),
                    ));
                    // The new message, in the table.
                    if let Ok(fresh) = api.detail(&token, &id).await {
                        let _ = messages.try_set(fresh.messages);
                    }
                }
                Err(e) if e.code() == Some(problem_code::MANAGE_PAGE_MISSING) => {
                    let _ = problem.try_set(Some(ctx.t("org.messages.no_manage_page")));
                }
                Err(e) => {
                    let message = ctx.failed(e);
                    let _ = problem.try_set(Some(message));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let t = ctx.i18n();
    view! {
        <h3 class="org-h3" id="org-messages-title">{t.t("org.messages.title")}</h3>
        {move || messages.with(|list| if list.is_empty() {
            view! { <p>{ctx.t("org.messages.none")}</p> }.into_any()
        } else {
            view! {
                <table class="org-table org-table--messages" aria-labelledby="org-messages-title">
                    <thead>
                        <tr>
                            <th scope="col">{ctx.t("org.detail.when")}</th><th scope="col">{ctx.t("org.messages.to")}</th><th scope="col">{ctx.t("org.messages.subject")}</th>
                            <th scope="col">{ctx.t("org.messages.delivery")}</th><th scope="col">{ctx.t("org.messages.last_error")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.iter().map(|m| {
                            let t = ctx.i18n();
                            let delivery = match &m.sent_at {
                                Some(at) => format!("{}, {}", lifecycle::delivery_text(&t, m), t.timestamp(at)),
                                None => lifecycle::delivery_text(&t, m),
                            };
                            view! {
                                <tr>
                                    <td>{t.timestamp(&m.created_at)}</td>
                                    <td><bdi dir="ltr">{m.to.clone()}</bdi></td>
                                    <th scope="row">{m.subject.clone()}</th>
                                    <td>{delivery}</td>
                                    <td>{text(m.last_error.as_deref().unwrap_or(""))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        })}
        <div class="org-field">
            <p class="org-hint" id="org-manage-link-hint">
                {t.t("org.messages.hint")}
            </p>
            <button type="button" class="org-button org-button--secondary" aria-describedby="org-manage-link-hint"
                aria-disabled=move || busy.get().then_some("true") on:click=send>
                {move || ctx.t(if busy.get() { "org.messages.sending" } else { "org.messages.send" })}
            </button>
            // Both regions are on the page before anything is put in them,
            // so screen readers announce what arrives.
            <div role="status" class="org-live">
                {move || sent.get().map(|t| view! { <p class="org-notice">{t}</p> })}
            </div>
            <div role="alert" class="org-live">
                {move || problem.get().map(|t| view! { <p class="org-problem">{t}</p> })}
            </div>
        </div>
    }
}

#[component]
fn MemberCard(member: Member, sessions: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let m = member;
    let document = m.identity_document.clone();
    let colour = ctx.category_colour(&m.category);
    let t = ctx.i18n();
    let badge = roster::badge_beside(&m);
    view! {
        <article class="org-member" style:border-inline-start-color=colour>
            <div class="org-member__photo">
                {match m.photo.clone() {
                    Some(id) => view! { <Attachment id=id label=t.tf("org.photo_of", &[("name", &m.badge_text())]) image=true/> }.into_any(),
                    None => view! { <span class="org-member__nophoto">{t.t("org.detail.no_photo")}</span> }.into_any(),
                }}
            </div>
            <div>
                <h4 class="org-h4">{roster::registered_name(&m)}{badge.map(|b| view! { " " <span class="org-badge-name" dir="ltr">{b}</span> })}</h4>
                <p class="org-member__category">{ctx.category_label(&m.category)}</p>
                <dl class="org-answers org-answers--member">
                    <dt>{t.t("org.field.badge_name")}</dt><dd dir="ltr">{m.badge_text()}</dd>
                    <dt>{t.t("org.field.function")}</dt><dd>{text(&m.function)}</dd>
                    <dt>{t.t("org.field.institution")}</dt><dd>{text(&m.institution)}</dd>
                    <dt>{t.t("org.field.nationality")}</dt><dd>{country_name(&t, &m.nationality)}</dd>
                    <dt>{t.t("org.field.email")}</dt><dd><bdi dir="ltr">{text(&m.email)}</bdi></dd>
                    <dt>{t.t("org.field.phone")}</dt><dd><bdi dir="ltr">{text(&m.phone)}</bdi></dd>
                    <dt>{t.t("org.field.identity_document")}</dt>
                    <dd>{document.map(|doc| t.tf("org.detail.document", &[
                        ("kind", &t.t(&format!("org.document.{}", doc.kind.as_str()))),
                        ("number", &format!("\u{2066}{}\u{2069}", doc.number)),
                        ("country", &country_name(&t, &doc.issuing_country)),
                        ("date", &date(&t, doc.expires_on)),
                    ])).unwrap_or_else(|| "—".to_owned())}</dd>
                    <dt>{t.t("org.field.date_of_birth")}</dt><dd>{date(&t, m.date_of_birth)}</dd>
                    <dt>{t.t("org.field.sessions")}</dt><dd>{sessions}</dd>
                    <dt>{t.t("org.field.visa_letter")}</dt><dd>{t.t(if m.visa_letter { "org.detail.requested" } else { "org.detail.not_requested" })}</dd>
                    <dt>{t.t("org.field.travel")}</dt><dd>{t.tf("org.detail.travel", &[("from", &date(&t, m.arrival_date)), ("to", &date(&t, m.departure_date))])}</dd>
                    <dt>{t.t("org.field.dietary")}</dt><dd>{text(&m.dietary)}</dd>
                    <dt>{t.t("org.field.accessibility")}</dt><dd>{text(&m.accessibility)}</dd>
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
        None => view! { <span class="org-muted">{ctx.t("org.loading")}</span> }.into_any(),
        Some(Err(message)) => view! { <span class="org-problem">{message}</span> }.into_any(),
        Some(Ok(u)) if image => view! { <img class="org-photo" src=u alt=label.clone()/> }.into_any(),
        Some(Ok(u)) => view! { <a class="org-link" href=u download=label.clone()>{ctx.t("org.detail.download_letter")}</a> }.into_any(),
    }
    }
}

/// Why the server refused a decision, when it is not about the form.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Refusal {
    /// `412`: the delegation amended the registration meanwhile.
    Stale,
    /// `409`: the status changed meanwhile (withdrawn, decided by another
    /// organiser).
    NotAllowed,
    /// Anything else, in the organiser's words.
    Other(String),
}

/// The note a decision needs: what to say when it is missing.
fn note_missing(to: Status) -> &'static str {
    if to == Status::Rejected {
        "org.decision.note_missing_reject"
    } else {
        "org.decision.note_missing_changes"
    }
}

#[component]
fn Decision(loaded: RegistrationDetail, shown: Shown) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let options: Vec<Status> = [Status::Approved, Status::ChangesRequested, Status::Rejected]
        .into_iter()
        .filter(|s| loaded.status.can_change_to(*s))
        .collect();
    let t = ctx.i18n();
    if options.is_empty() {
        let why = if loaded.status == Status::Withdrawn {
            t.t("org.decision.withdrawn")
        } else {
            t.tf(
                "org.decision.final",
                &[("status", &t.status(loaded.status))],
            )
        };
        return view! { <p class="org-notice">{why}</p> }.into_any();
    }
    let choice = RwSignal::new(None::<Status>);
    let note = RwSignal::new(String::new());
    let choice_error = RwSignal::new(None::<String>);
    let note_error = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<Refusal>);
    let busy = RwSignal::new(false);
    let first = NodeRef::<leptos::html::Input>::new();
    let note_ref = NodeRef::<leptos::html::Textarea>::new();
    let reload_ref = NodeRef::<leptos::html::Button>::new();
    // After the render, so the error it is described by is there.
    let focus_note = move || {
        request_animation_frame(move || {
            if let Some(el) = note_ref.get_untracked() {
                let _ = el.focus();
            }
        });
    };
    // What the organiser does next when the registration changed under
    // the decision: reload it.
    let focus_reload = move || {
        request_animation_frame(move || {
            if let Some(el) = reload_ref.get_untracked() {
                let _ = el.focus();
            }
        });
    };
    let (id, reference, version) = (loaded.id.clone(), loaded.reference.clone(), loaded.version);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        refusal.set(None);
        let Some(to) = choice.get_untracked() else {
            choice_error.set(Some(ctx.t("org.decision.choose")));
            request_animation_frame(move || {
                if let Some(el) = first.get_untracked() {
                    let _ = el.focus();
                }
            });
            return;
        };
        choice_error.set(None);
        let text = note.get_untracked().trim().to_owned();
        if to.needs_note() && text.is_empty() {
            note_error.set(Some(ctx.t(note_missing(to))));
            focus_note();
            return;
        }
        note_error.set(None);
        busy.set(true);
        let (id, reference) = (id.clone(), reference.clone());
        let body = DecisionBody {
            status: to,
            note: text,
            version: Some(version),
        };
        spawn_local(async move {
            let api = ctx.api.get_value();
            match api.decide(&ctx.token_now(), &id, &body).await {
                Ok(updated) => {
                    ctx.announce.set(format!(
                        "{reference}: {}",
                        ctx.i18n().status(updated.status)
                    ));
                    ctx.host.with_value(|h| {
                        h.emit(
                            "accredit:status-changed",
                            &[
                                ("id", &id),
                                ("reference", &reference),
                                ("status", updated.status.as_str()),
                            ],
                        );
                    });
                    shown.show(ctx, updated);
                }
                Err(e) => {
                    let code = e.code().unwrap_or_default().to_owned();
                    match code.as_str() {
                        problem_code::NOTE_REQUIRED => {
                            let _ = note_error.try_set(Some(ctx.t(note_missing(to))));
                            focus_note();
                        }
                        problem_code::NOTE_TOO_LONG => {
                            let _ = note_error.try_set(Some(ctx.t("org.decision.note_too_long")));
                            focus_note();
                        }
                        problem_code::NOTE_INVALID_CHARACTERS => {
                            let _ = note_error
                                .try_set(Some(ctx.t("org.decision.note_invalid_characters")));
                            focus_note();
                        }
                        problem_code::PRECONDITION_FAILED => {
                            let _ = refusal.try_set(Some(Refusal::Stale));
                            focus_reload();
                        }
                        problem_code::TRANSITION_NOT_ALLOWED | problem_code::REGISTRATION_FINAL => {
                            let _ = refusal.try_set(Some(Refusal::NotAllowed));
                            focus_reload();
                        }
                        _ => {
                            let signed_out = e == ApiError::SignedOut;
                            let message = ctx.failed(e);
                            if !signed_out {
                                let _ = refusal.try_set(Some(Refusal::Other(message)));
                            }
                        }
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let note_described = move || {
        if note_error.with(Option::is_some) {
            "org-note-hint org-note-error"
        } else {
            "org-note-hint"
        }
    };
    view! {
        <form class="org-decision" on:submit=submit novalidate>
            // On the page from the start, so what arrives is announced.
            <div role="alert" class="org-live">
                {move || refusal.get().map(|r| {
                    let (message, reload) = match r {
                        Refusal::Stale => (ctx.t("org.decision.stale"), true),
                        Refusal::NotAllowed => (ctx.t("org.decision.not_allowed"), true),
                        Refusal::Other(message) => (message, false),
                    };
                    view! {
                        <div class="org-problem" id="org-decision-problem">
                            <p>{message}</p>
                            {reload.then(|| view! {
                                <button node_ref=reload_ref type="button" class="org-button org-button--secondary"
                                    on:click=move |_| shown.reload(ctx)>{ctx.t("org.decision.reload")}</button>
                            })}
                        </div>
                    }
                })}
            </div>
            <div class="org-field" class:org-field--error=move || choice_error.with(Option::is_some)>
                <fieldset class="org-fieldset" aria-describedby=move || choice_error.with(Option::is_some).then_some("org-decision-error")>
                    <legend class="org-legend">{t.t("org.decision.title")}</legend>
                    {move || choice_error.get().map(|e| view! {
                        <p class="org-error" id="org-decision-error"><span class="org-visually-hidden">{ctx.t("org.error_prefix")}" "</span>{e}</p>
                    })}
                    {options.into_iter().enumerate().map(|(n, s)| {
                        let input_id = format!("org-decision-{}", s.as_str());
                        let label = t.t(match s {
                            Status::Approved => "org.decision.approve",
                            Status::ChangesRequested => "org.decision.request_changes",
                            _ => "org.decision.reject",
                        });
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
            </div>
            <div class="org-field" class:org-field--error=move || note_error.with(Option::is_some)>
                <label class="org-label" for="org-note">{t.t("org.decision.note")}</label>
                <p class="org-hint" id="org-note-hint">
                    {t.t("org.decision.note_hint")}
                </p>
                {move || note_error.get().map(|e| view! {
                    <p class="org-error" id="org-note-error"><span class="org-visually-hidden">{ctx.t("org.error_prefix")}" "</span>{e}</p>
                })}
                <textarea node_ref=note_ref class="org-textarea" id="org-note" rows="3" maxlength="2000"
                    aria-describedby=note_described
                    aria-invalid=move || note_error.with(Option::is_some).then_some("true")
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="org-button" aria-disabled=move || busy.get().then_some("true")>
                {move || ctx.t(if busy.get() { "org.decision.saving" } else { "org.decision.save" })}
            </button>
        </form>
    }
    .into_any()
}
