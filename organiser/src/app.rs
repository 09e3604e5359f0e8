//! The organiser view's root: loads the event, signs the organiser in, then
//! shows the workspace. [`Ctx`] is what every view shares.

use crate::api::{Api, ApiError};
use crate::browser;
use crate::host::Host;
use crate::i18n::{self, I18n};
use crate::roster::{self, Entry, Participant};
use crate::session::Session;
use crate::view_state::{Tab, ViewState};
use crate::views;
use accredit_model::EventConfig;
use accredit_model::review::Filter;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How long the URL hash waits for typing to pause.
const HASH_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// Shared state of one organiser view.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub api: StoredValue<Api>,
    pub host: StoredValue<Host>,
    pub session: StoredValue<Session>,
    pub event: StoredValue<EventConfig>,
    /// The interface's language; a switch rebuilds the view in it (the
    /// filters and the selection live in `view`, so they stay).
    pub i18n: RwSignal<I18n, LocalStorage>,
    /// Set by the language switcher, so the rebuilt switcher takes the
    /// focus back.
    pub switched: StoredValue<bool>,
    /// The organiser's token while signed in.
    pub token: RwSignal<Option<String>>,
    /// Every registration of the event.
    pub entries: RwSignal<Vec<Entry>>,
    pub view: RwSignal<ViewState>,
    /// Indices into `entries` the filters keep, in the chosen order.
    pub selection: Memo<Vec<usize>>,
    /// Polite announcements (counts after filtering, decisions, exports).
    pub announce: RwSignal<String>,
    /// Why the organiser was signed out, shown on the sign-in form.
    pub signed_out_reason: RwSignal<Option<String>>,
}

impl Ctx {
    /// The words of the current language (views are rebuilt when it
    /// changes, so they read it once).
    pub fn i18n(&self) -> I18n {
        self.i18n.get_untracked()
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.with_untracked(|i| i.t(key))
    }

    pub fn token_now(&self) -> String {
        self.token.get_untracked().unwrap_or_default()
    }

    /// Handles an API failure: a 401 signs out (the view state stays, so the
    /// organiser comes back to the same filters); anything else is returned
    /// as a message for the caller to show.
    pub fn failed(&self, error: ApiError) -> String {
        let message = error.message(&self.i18n());
        if error == ApiError::SignedOut {
            self.sign_out(Some(message.clone()));
        } else {
            self.host
                .with_value(|h| h.emit("accredit:error", &[("message", &message)]));
        }
        message
    }

    pub fn sign_out(&self, reason: Option<String>) {
        self.session.with_value(Session::end);
        // Personal data stays in memory only while someone is signed in;
        // signing in again loads it afresh.
        self.entries.set(Vec::new());
        self.signed_out_reason.set(reason);
        self.token.set(None);
        self.host.with_value(|h| h.emit("accredit:signed-out", &[]));
    }

    /// Loads (or reloads) every registration.
    pub async fn reload(&self, token: &str) -> Result<(), ApiError> {
        let entries = self
            .api
            .with_value(Clone::clone)
            .registrations(token)
            .await?;
        self.entries.set(entries);
        Ok(())
    }

    /// The participants of the current selection in protocol order.
    pub fn participants(&self) -> Vec<Participant> {
        let category = self.view.with(|v| v.category.clone());
        let category = (!category.is_empty()).then_some(category);
        let selection = self.selection.get();
        self.entries.with(|entries| {
            self.event.with_value(|event| {
                roster::participants(entries, &selection, event, category.as_deref())
            })
        })
    }

    /// Changes the view state. `change` must not read `self.view` (or
    /// anything derived from it): the state is locked while it runs.
    pub fn set_view(&self, change: impl FnOnce(&mut ViewState)) {
        self.view.update(change);
    }

    /// A category by its label in the interface's language.
    pub fn category_label(&self, id: &str) -> String {
        let i18n = self.i18n();
        self.event.with_value(|e| i18n.category(e, id))
    }

    /// Switches the interface to `lang`, once its catalogue is here.
    pub fn switch_language(&self, lang: String) {
        let ctx = *self;
        spawn_local(async move {
            let loaded = i18n::load(&lang).await;
            ctx.switched.set_value(true);
            ctx.i18n.set(loaded);
        });
    }

    pub fn category_colour(&self, id: &str) -> String {
        self.event.with_value(|e| {
            e.categories
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.colour.clone())
                .unwrap_or_else(|| "#555555".into())
        })
    }
}

#[component]
pub fn App(host: Host) -> impl IntoView {
    let endpoint = host
        .attribute("endpoint")
        .unwrap_or_else(|| "/api/v1".into())
        .trim_end_matches('/')
        .to_owned();
    let event_id = host.attribute("event").unwrap_or_default();
    // The element's `lang`, then the page's, then the browser's.
    let mut requested: Vec<String> = host.attribute("lang").into_iter().collect();
    requested.extend(browser::requested_languages());
    let lang = i18n::choose(requested.iter().map(String::as_str));
    let api = Api {
        endpoint: endpoint.clone(),
        event: event_id.clone(),
    };
    let loaded = LocalResource::new({
        let api = api.clone();
        move || {
            let (api, lang) = (api.clone(), lang.clone());
            async move {
                let words = i18n::load(&lang).await;
                if api.event.is_empty() {
                    return Err(words.t("org.load.no_event"));
                }
                match api.event().await {
                    Ok(event) => Ok((event, words)),
                    Err(ApiError::Problem { status: 404, .. }) => {
                        Err(words.tf("org.load.not_found", &[("event", &api.event)]))
                    }
                    Err(other) => Err(other.message(&words)),
                }
            }
        }
    });
    let host = StoredValue::new(host);
    let session = Session::new(&endpoint, &event_id);
    move || match loaded.get() {
        None => view! { <p class="org-loading" role="status">"…"</p> }.into_any(),
        Some(Err(message)) => {
            host.with_value(|h| h.emit("accredit:error", &[("message", &message)]));
            view! { <p class="org-problem" role="alert">{message}</p> }.into_any()
        }
        Some(Ok((event, words))) => view! {
            <Workspace api=api.clone() host=host session=session.clone() event=event words=words/>
        }
        .into_any(),
    }
}

#[component]
fn Workspace(
    api: Api,
    host: StoredValue<Host>,
    session: Session,
    event: EventConfig,
    words: I18n,
) -> impl IntoView {
    let token = RwSignal::new(session.token());
    let view = RwSignal::new(ViewState::from_hash(&browser::hash()));
    let entries = RwSignal::new(Vec::new());
    // The filter and sort apart from the page and open row, so paging does
    // not filter again.
    let query: Memo<(Filter, roster::Sort)> =
        Memo::new(move |_| view.with(|v| (v.filter(), v.sort)));
    let selection = Memo::new(move |_| {
        query.with(|(filter, sort)| entries.with(|e| roster::select(e, filter, *sort)))
    });
    let ctx = Ctx {
        api: StoredValue::new(api),
        host,
        session: StoredValue::new(session),
        event: StoredValue::new(event),
        i18n: RwSignal::new_local(words),
        switched: StoredValue::new(false),
        token,
        entries,
        view,
        selection,
        announce: RwSignal::new(String::new()),
        signed_out_reason: RwSignal::new(None),
    };
    provide_context(ctx);
    // The view state lives in the URL hash (bookmarks, reloads, signing in
    // again), written once typing pauses: `history.replaceState` on every
    // keystroke would cost more than filtering does.
    let pending_hash = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let hash = view.with(ViewState::to_hash);
        if let Some(handle) = pending_hash.get_value() {
            handle.clear();
        }
        let write = move || browser::replace_hash(&hash);
        pending_hash.set_value(set_timeout_with_handle(write, HASH_DELAY).ok());
    });
    // Leaving or reloading the page before the pause: write it now.
    let flush = window_event_listener(leptos::ev::pagehide, move |_| {
        if let Some(state) = view.try_with_untracked(ViewState::to_hash) {
            browser::replace_hash(&state);
        }
    });
    on_cleanup(move || flush.remove());

    // A token kept from earlier in this tab: load straight away.
    let loading = RwSignal::new(token.get_untracked().is_some());
    if let Some(kept) = token.get_untracked() {
        spawn_local(async move {
            match ctx.reload(&kept).await {
                Ok(()) => ready(&ctx),
                Err(e) => {
                    ctx.failed(e);
                }
            }
            loading.set(false);
        });
    }

    // Everything is rebuilt in the new language when it changes.
    move || {
        let (lang, dir) = ctx.i18n.with(|i| (i.lang.clone(), i.dir()));
        let shown = if token.get().is_none() {
            view! { <views::sign_in::SignIn/> }.into_any()
        } else if loading.get() {
            view! { <p class="org-loading" role="status">{ctx.t("org.loading.registrations")}</p> }
                .into_any()
        } else {
            view! { <Signed/> }.into_any()
        };
        view! { <div class="org-lang" lang=lang dir=dir>{shown}</div> }
    }
}

/// Signed in and loaded.
pub fn ready(ctx: &Ctx) {
    browser::mark("accredit-organiser:ready");
    let total = ctx.entries.with_untracked(Vec::len).to_string();
    ctx.host
        .with_value(|h| h.emit("accredit:ready", &[("registrations", &total)]));
}

#[component]
fn Signed() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let t = ctx.i18n();
    let title = ctx.event.with_value(|e| e.name.get(&t.lang).to_owned());
    // A memo: only a change of tab re-renders the main area.
    let tab = Memo::new(move |_| ctx.view.with(|v| v.tab));
    view! {
        <div class="org" part="organiser">
            <header class="org-header" part="header">
                <div>
                    <p class="org-header__event">{title}</p>
                    <h1 class="org-header__title">{t.t("org.title")}</h1>
                </div>
                <div class="org-header__tools">
                    <LanguageSwitcher/>
                    <button type="button" class="org-button org-button--secondary" on:click=move |_| ctx.sign_out(None)>
                        {t.t("org.sign_out")}
                    </button>
                </div>
            </header>
            <nav class="org-tabs" aria-label=t.t("org.tabs.label") part="tabs">
                {Tab::ALL.into_iter().map(|tab_shown| view! {
                    <button
                        type="button"
                        class="org-tabs__tab"
                        aria-current=move || (tab.get() == tab_shown).then_some("page")
                        on:click=move |_| ctx.set_view(|v| { v.tab = tab_shown; v.open = None; })
                    >{ctx.t(tab_shown.label_key())}</button>
                }).collect_view()}
            </nav>
            <p class="org-visually-hidden" role="status" aria-live="polite">{move || ctx.announce.get()}</p>
            <main class="org-main">
                {move || match tab.get() {
                    Tab::Dashboard => view! { <views::dashboard::Dashboard/> }.into_any(),
                    Tab::Delegations => view! { <views::delegations::Delegations/> }.into_any(),
                    Tab::Participants => view! { <views::participants::ParticipantList/> }.into_any(),
                    Tab::Badges => view! { <views::badges::Badges/> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// The interface's language, each named in itself. Switching rebuilds the
/// view; the filters, the page and the open registration stay.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let current = ctx.i18n.with_untracked(|i| i.lang.clone());
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let Some(el) = select.get()
            && ctx.switched.get_value()
        {
            ctx.switched.set_value(false);
            let _ = el.focus();
        }
    });
    view! {
        <div class="org-language">
            <label class="org-label" for="org-language">{ctx.t("org.language")}</label>
            <select node_ref=select class="org-select" id="org-language"
                on:change=move |ev| ctx.switch_language(event_target_value(&ev))>
                {i18n::LANGUAGES.into_iter().map(|(code, name)| view! {
                    <option value=code lang=code selected=current == code>{name}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
