//! The widget's root: loads the event, then runs the form.

use crate::api::{self, LoadError};
use crate::browser;
use crate::components::{
    confirmation::Confirmation, delegation_step::DelegationStep, error_summary::ErrorSummary,
    members_step::MembersStep, review_step::ReviewStep,
};
use crate::form::{Form, Step, draft};
use crate::host::Host;
use crate::i18n::I18n;
use crate::settings::WidgetSettings;
use accredit_model::EventConfig;
use leptos::prelude::*;

#[component]
pub fn App(settings: WidgetSettings, id_prefix: String, host: Host) -> impl IntoView {
    provide_context(host);
    let i18n = I18n::english();
    let loading = i18n.t("ui.loading");
    let stored = StoredValue::new(settings);
    let event = LocalResource::new(move || {
        let s = stored.get_value();
        async move { api::get_event(&s.endpoint, &s.event).await }
    });
    view! {
        <div class="accredit" part="root" lang="en" dir="ltr">
            <Suspense fallback=move || view! { <p class="accredit-status" role="status">{loading.clone()}</p> }>
                {move || {
                    let (i18n, settings, id_prefix) = (i18n.clone(), stored.get_value(), id_prefix.clone());
                    event.get().map(move |r| match r {
                        Ok(e) => view! { <Registration event=e i18n settings id_prefix /> }.into_any(),
                        Err(e) => view! { <LoadFailed error=e i18n /> }.into_any(),
                    })
                }}
            </Suspense>
        </div>
    }
}

/// The widget for an event whose configuration is already at hand.
#[component]
pub fn Loaded(
    settings: WidgetSettings,
    event: EventConfig,
    id_prefix: String,
    host: Host,
) -> impl IntoView {
    provide_context(host);
    view! {
        <div class="accredit" part="root" lang="en" dir="ltr">
            <Registration event i18n=I18n::english() settings id_prefix />
        </div>
    }
}

#[component]
fn Registration(
    event: EventConfig,
    i18n: I18n,
    settings: WidgetSettings,
    id_prefix: String,
) -> impl IntoView {
    let endpoint = settings.endpoint.clone();
    let today = browser::today();
    let open = event.is_open(today);
    let name = event.name.get(&i18n.lang).to_string();
    let place = format!(
        "{}, {}",
        event.venue.get(&i18n.lang),
        event.city.get(&i18n.lang)
    );
    let dates = format!(
        "{} – {}",
        i18n.date(event.starts_on),
        i18n.date(event.ends_on)
    );
    let deadline = i18n.date(event.registration_closes_on);
    let event_id = event.id.clone();
    let form = Form::new(event, i18n, id_prefix, endpoint.clone());
    provide_context(form);
    // Runs once, after the first render: the form is there and usable.
    Effect::new(move |_| expect_context::<Host>().ready());
    if let Some(saved) = draft::load(&event_id) {
        form.load(saved);
        form.draft_restored.set(true);
    } else {
        prefill(form, settings.prefill);
    }
    draft::autosave(form);
    let start_again = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&form.t("ui.draft.start_again_confirm"))
                    .ok()
            })
            .unwrap_or(true);
        if confirmed {
            draft::clear(&event_id);
            form.load(Default::default());
            form.draft_restored.set(false);
            form.go_to(Step::Delegation);
        }
    };
    let step_label = move || {
        let step = form.step.get();
        (step != Step::Done).then(|| {
            form.tf(
                "ui.step",
                &[("n", step.number().to_string()), ("total", "3".into())],
            )
        })
    };
    let endpoint = StoredValue::new(endpoint);
    view! {
        <header class="accredit-event" part="header" id=form.id("top")>
            <h2 class="accredit-event__name">{name}</h2>
            <p class="accredit-event__meta">{place}" · "{dates}</p>
        </header>
        {if open {
            view! {
                <p class="accredit-muted">{form.tf("ui.closes", &[("date", deadline)])}</p>
                <Show when=move || form.draft_restored.get() && form.step.get() != Step::Done>
                    <div class="accredit-notice" role="status">
                        <p>{form.t("ui.draft.restored")}</p>
                        <button type="button" class="accredit-link-button" on:click=start_again.clone()>
                            {form.t("ui.draft.start_again")}
                        </button>
                    </div>
                </Show>
                <p class="accredit-caption">{step_label}</p>
                <ErrorSummary />
                {move || match form.step.get() {
                    Step::Delegation => view! { <DelegationStep /> }.into_any(),
                    Step::Members => view! { <MembersStep /> }.into_any(),
                    Step::Review => view! { <ReviewStep endpoint=endpoint.get_value() /> }.into_any(),
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
