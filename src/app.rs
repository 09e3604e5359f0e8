//! The widget's root: loads the event, then runs the form.

use crate::api::{self, LoadError, ManageError, MyRegistration};
use crate::browser;
use crate::components::{
    banner::ManageBanner, confirmation::Confirmation, delegation_step::DelegationStep,
    error_summary::ErrorSummary, members_step::MembersStep, review_step::ReviewStep,
    withdraw::WithdrawStep,
};
use crate::form::{Form, Step, draft};
use crate::host::Host;
use crate::i18n::{self, I18n};
use crate::settings::WidgetSettings;
use accredit_model::{EventConfig, Registration};
use leptos::prelude::*;

/// How the widget was opened with a manage link.
#[derive(Clone)]
pub enum ManageStart {
    /// The token from the link: the registration is fetched.
    Token(String),
    /// The token and the registration, given (component tests).
    Given(String, Box<MyRegistration>),
}

/// The registration behind a manage link, or why it could not be had.
type Managed = Option<Result<(String, MyRegistration), ManageError>>;

/// Everything the form needs before it can show: the event configuration
/// (given, or fetched), the catalogue of the reader's language and, with a
/// manage link, the registration, loaded in parallel.
async fn prepare(
    settings: WidgetSettings,
    given: Option<EventConfig>,
    manage: Option<ManageStart>,
) -> Result<(EventConfig, I18n, Managed), (LoadError, I18n)> {
    let requested = browser::requested_languages(settings.lang.as_deref());
    let first = requested
        .iter()
        .map(|l| i18n::primary(l))
        .find(|l| i18n::is_available(l))
        .unwrap_or_else(|| "en".into());
    let event = async {
        match given {
            Some(event) => Ok(event),
            None => api::get_event(&settings.endpoint, &settings.event).await,
        }
    };
    let mine = async {
        match manage {
            None => None,
            Some(ManageStart::Given(token, mine)) => Some(Ok((token, *mine))),
            Some(ManageStart::Token(token)) => Some(
                api::get_my_registration(&settings.endpoint, &settings.event, &token)
                    .await
                    .map(|mine| (token, mine)),
            ),
        }
    };
    let (event, catalogue, mine) = futures::join!(event, i18n::load(&first), mine);
    match event {
        Ok(event) => {
            // A manage link opens in the registration's own language (the
            // one its messages are written in), unless the host page set one.
            let registration_language = match &mine {
                Some(Ok((_, m))) if settings.lang.is_none() => {
                    Some(m.registration.language.clone())
                }
                _ => None,
            }
            .filter(|l| event.offers_language(l) && i18n::is_available(l));
            let lang = registration_language.unwrap_or_else(|| i18n::choose(&requested, &event));
            let catalogue = if lang == catalogue.lang {
                catalogue
            } else {
                i18n::load(&lang).await
            };
            Ok((event, catalogue, mine))
        }
        Err(error) => Err((error, catalogue)),
    }
}

/// The widget: loads what it needs, then runs the form (or explains why it
/// cannot). `event` is given when the configuration was inline.
#[component]
pub fn Root(
    settings: WidgetSettings,
    event: Option<EventConfig>,
    manage: Option<ManageStart>,
    id_prefix: String,
    host: Host,
) -> impl IntoView {
    provide_context(host);
    let loading = I18n::english().t("ui.loading");
    let stored = StoredValue::new(settings);
    let given = StoredValue::new(event);
    let manage = StoredValue::new(manage);
    let ready = LocalResource::new(move || {
        prepare(stored.get_value(), given.get_value(), manage.get_value())
    });
    view! {
        <div class="accredit" part="root">
            <Suspense fallback=move || view! { <p class="accredit-status" role="status">{loading.clone()}</p> }>
                {move || {
                    let (settings, id_prefix) = (stored.get_value(), id_prefix.clone());
                    ready.get().map(move |r| match r {
                        Ok((event, i18n, Some(Err(error)))) => {
                            if error == ManageError::LinkInvalid {
                                crate::manage::forget_token(&event.id);
                            }
                            view! { <ManageFailed error i18n /> }.into_any()
                        }
                        Ok((event, i18n, manage)) => {
                            let manage = manage.and_then(Result::ok);
                            view! { <Registration event i18n settings id_prefix manage /> }.into_any()
                        }
                        Err((error, i18n)) => view! { <LoadFailed error i18n /> }.into_any(),
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Registration(
    event: EventConfig,
    i18n: I18n,
    settings: WidgetSettings,
    id_prefix: String,
    manage: Option<(String, MyRegistration)>,
) -> impl IntoView {
    let event_id = event.id.clone();
    let instance = id_prefix.clone();
    let form = Form::new(event, i18n, id_prefix, settings.endpoint.clone());
    provide_context(form);
    crate::form::register(&instance, form);
    // Runs once, after the first render: the form is there and usable.
    Effect::new(move |_| expect_context::<Host>().ready());
    if let Some((token, mine)) = manage {
        // The answers come from the server: no draft is read or saved.
        form.start_managing(token, mine);
        browser::focus_soon(form.id("banner-title"));
    } else {
        if let Some(saved) = draft::load(&event_id) {
            form.load(saved);
            form.draft_restored.set(true);
        } else {
            prefill(form, settings.prefill);
        }
        draft::autosave(form);
    }
    let event_id = StoredValue::new(event_id);
    view! {
        // Rebuilt when the language changes; the answers live in the form's
        // signals, so nothing typed is lost.
        <div class="accredit-body" lang=move || { form.lang_epoch.track(); form.lang() }
            dir=move || { form.lang_epoch.track(); form.i18n.with_value(I18n::dir) }>
            {move || {
                form.lang_epoch.track();
                view! { <Page event_id=event_id.get_value() /> }
            }}
        </div>
    }
}

/// The page in the current language: event header, language choice,
/// draft notice, error summary and the current step.
#[component]
fn Page(event_id: String) -> impl IntoView {
    let form = expect_context::<Form>();
    let (name, place, dates, deadline, open) = form.event.with_value(|event| {
        form.i18n.with_value(|i18n| {
            (
                event.name.get(&i18n.lang).to_string(),
                i18n.tf(
                    "ui.place",
                    &[
                        ("venue", event.venue.get(&i18n.lang).to_string()),
                        ("city", event.city.get(&i18n.lang).to_string()),
                    ],
                ),
                format!(
                    "{} – {}",
                    i18n.date(event.starts_on),
                    i18n.date(event.ends_on)
                ),
                i18n.date(event.registration_closes_on),
                event.is_open(browser::today()),
            )
        })
    });
    let start_again = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&form.t("ui.draft.start_again_confirm"))
                    .ok()
            })
            .unwrap_or(true);
        if confirmed {
            draft::clear(&event_id);
            form.load(Registration::default());
            form.draft_restored.set(false);
            form.go_to(Step::Delegation);
        }
    };
    // Amending goes on after registration closes, until its own deadline.
    let open = open || form.is_managing();
    let read_only = form.read_only();
    let step_label = move || {
        let step = form.step.get();
        (!read_only && !matches!(step, Step::Withdraw | Step::Done)).then(|| {
            form.tf(
                "ui.step",
                &[("n", step.number().to_string()), ("total", "3".into())],
            )
        })
    };
    view! {
        <header class="accredit-event" part="header" id=form.id("top")>
            <h2 class="accredit-event__name">{name}</h2>
            <p class="accredit-event__meta">{place}" · "{dates}</p>
        </header>
        <LanguageSwitcher />
        {form.i18n.with_value(|i| i.unavailable.clone()).map(|lang| view! {
            <p class="accredit-notice" role="status">
                {form.tf("ui.language_unavailable", &[("language", browser::language_name(&lang))])}
            </p>
        })}
        {if open {
            view! {
                {(!form.is_managing()).then(|| view! {
                    <p class="accredit-muted">{form.tf("ui.closes", &[("date", deadline)])}</p>
                })}
                <Show when=move || !matches!(form.step.get(), Step::Withdraw | Step::Done)>
                    <ManageBanner />
                </Show>
                <Show when=move || form.draft_restored.get() && form.step.get() != Step::Done>
                    <div class="accredit-notice" role="status">
                        <p>{form.t("ui.draft.restored")}</p>
                        <ul class="accredit-list">
                            {draft::NOT_KEPT.iter().map(|key| view! { <li>{form.t(key)}</li> }).collect_view()}
                        </ul>
                        <p>{form.tf("ui.draft.expiry", &[("days", draft::MAX_AGE_DAYS.to_string())])}</p>
                        <button type="button" class="accredit-link-button" on:click=start_again.clone()>
                            {form.t("ui.draft.start_again")}
                        </button>
                    </div>
                </Show>
                <p class="accredit-caption">{step_label}</p>
                // Says which step opened; the heading takes focus as well.
                <div class="accredit-visually-hidden" role="status" aria-live="polite" aria-atomic="true"
                    id=form.id("announcement")>{move || form.announcement.get()}</div>
                <ErrorSummary />
                {move || match form.step.get() {
                    Step::Delegation => view! { <DelegationStep /> }.into_any(),
                    Step::Members => view! { <MembersStep /> }.into_any(),
                    Step::Review => view! { <ReviewStep endpoint=form.endpoint.get_value() /> }.into_any(),
                    Step::Withdraw => view! { <WithdrawStep /> }.into_any(),
                    Step::Done => view! { <Confirmation /> }.into_any(),
                }}
            }.into_any()
        } else {
            view! {
                <p class="accredit-alert" role="alert">{form.tf("ui.closed", &[("date", deadline)])}</p>
            }.into_any()
        }}
    }
}

/// The event's languages, each named in itself, when the event offers a
/// choice.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let form = expect_context::<Form>();
    let languages: Vec<String> = form.event.with_value(|e| {
        if e.language_switcher {
            e.languages
                .iter()
                .filter(|l| i18n::is_available(l))
                .cloned()
                .collect()
        } else {
            Vec::new()
        }
    });
    (languages.len() > 1).then(|| {
        let id = form.id("language");
        let current = form.lang();
        view! {
            <div class="accredit-language">
                <label class="accredit-label accredit-language__label" for=id.clone()>{form.t("ui.language")}</label>
                <select class="accredit-select accredit-language__select" id=id
                    on:change=move |ev| form.set_language(event_target_value(&ev))>
                    {languages.into_iter().map(|lang| {
                        let selected = lang == current;
                        let name = browser::language_name(&lang);
                        view! { <option value=lang.clone() lang=lang selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    })
}

/// Puts what the host page knows about the focal point into empty fields.
fn prefill(form: Form, known: accredit_model::FocalPoint) {
    form.focal_point.update(|f| {
        for (field, value) in [
            (&mut f.given_names, known.given_names),
            (&mut f.family_name, known.family_name),
            (&mut f.email, known.email),
            (&mut f.phone, known.phone),
        ] {
            if field.is_empty() {
                *field = value;
            }
        }
    });
}

#[component]
fn LoadFailed(error: LoadError, i18n: I18n) -> impl IntoView {
    let key = match error {
        LoadError::NoEvent => "ui.load.no_event",
        LoadError::NotFound => "ui.load.not_found",
        LoadError::Network => "ui.load.network",
        LoadError::Server(_) => "ui.load.server",
        LoadError::BadResponse => "ui.load.bad_response",
    };
    if let Some(host) = use_context::<Host>() {
        host.emit(
            "accredit:error",
            &[("code", key.trim_start_matches("ui.load."))],
        );
    }
    view! { <p class="accredit-alert" role="alert">{i18n.t(key)}</p> }
}

/// The manage link did not open a registration.
#[component]
fn ManageFailed(error: ManageError, i18n: I18n) -> impl IntoView {
    let (key, code) = match error {
        ManageError::LinkInvalid => ("ui.manage.invalid", "manage_link_invalid"),
        ManageError::Network => ("ui.load.network", "network"),
        ManageError::Server(_) => ("ui.load.server", "server"),
        ManageError::BadResponse => ("ui.load.bad_response", "bad_response"),
    };
    if let Some(host) = use_context::<Host>() {
        host.emit("accredit:error", &[("code", code)]);
    }
    view! {
        <div class="accredit-alert accredit-manage-failed" role="alert">
            <p>{i18n.t(key)}</p>
        </div>
    }
}
