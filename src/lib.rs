//! accredit: the delegate registration widget.
//!
//! The loader (`src/js/accredit.js`) instantiates this module and calls
//! [`mount`] on each host element; everything the widget knows about the
//! event comes from the endpoint named on that element.

mod api;
mod app;
mod browser;
mod components;
mod form;
mod host;
mod i18n;
mod manage;
mod settings;

use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Counts mounted widgets so element ids stay unique on the page.
    static INSTANCES: Cell<u32> = const { Cell::new(0) };
}

/// Renders the widget into `host`, configured by its attributes
/// (`endpoint`, `event`, `lang`, or their `data-` forms); the event
/// configuration is fetched from `{endpoint}/events/{event}`.
#[wasm_bindgen]
pub fn mount(host: web_sys::HtmlElement) {
    mount_root(host, None, None);
}

/// Like [`mount`], with the event configuration given as JSON instead of
/// fetched (inline configuration; also what component tests use).
#[wasm_bindgen(js_name = mountWithConfig)]
pub fn mount_with_config(host: web_sys::HtmlElement, config_json: &str) -> Result<(), JsError> {
    let event: accredit_model::EventConfig = serde_json::from_str(config_json)?;
    mount_root(host, Some(event), None);
    Ok(())
}

/// Like [`mount_with_config`], opened as a manage link with `token` would
/// open it, with the registration given instead of fetched (what component
/// tests use; not exported to JavaScript).
#[doc(hidden)]
pub fn mount_managed(
    host: web_sys::HtmlElement,
    config_json: &str,
    token: &str,
    mine: accredit_model::api::MyRegistration,
) -> Result<(), serde_json::Error> {
    let event: accredit_model::EventConfig = serde_json::from_str(config_json)?;
    let start = app::ManageStart::Given(token.to_owned(), Box::new(mine));
    mount_root(host, Some(event), Some(start));
    Ok(())
}

/// Shows the confirmation for `receipt` in the widget mounted in `host`,
/// exactly as when the server accepted its answers (component tests).
#[doc(hidden)]
pub fn show_receipt(host: web_sys::HtmlElement, receipt: accredit_model::api::Receipt) {
    let form = host
        .get_attribute("data-accredit-instance")
        .and_then(|instance| form::find(&instance));
    if let Some(form) = form {
        let registration = form.registration();
        form::submit::received(form, &host::Host::new(host), receipt, registration);
    }
}

fn mount_root(
    host: web_sys::HtmlElement,
    event: Option<accredit_model::EventConfig>,
    manage: Option<app::ManageStart>,
) {
    browser::register_root(&host);
    let settings = settings::WidgetSettings::from_element(&host);
    // A manage link opens the registration it was sent for.
    let manage = manage.or_else(|| {
        (!settings.event.is_empty())
            .then(|| manage::take_token(&settings.event))
            .flatten()
            .map(app::ManageStart::Token)
    });
    let id_prefix = next_id_prefix();
    // Lets `setLanguage` find this widget's form from its element.
    host.set_attribute("data-accredit-instance", &id_prefix)
        .ok();
    let handle = host::Host::new(host.clone());
    leptos::mount::mount_to(host, move || {
        app::Root(app::RootProps {
            settings,
            event,
            manage,
            id_prefix,
            host: handle,
        })
    })
    .forget();
}

/// Reports a panic in the console before the module aborts, so a failure in
/// the field can be diagnosed from a user's report.
fn report_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("accredit: {info}").into());
        }));
    });
}

/// The languages the loader has catalogues for (`"fr,es,ru,zh,ar"`), and
/// its function that loads one: `load(lang)` → a promise of the JSON text.
/// The loader decides how (fetch, or a script under a strict host CSP).
#[wasm_bindgen]
pub fn configure(languages: &str, load: js_sys::Function) {
    i18n::configure(languages, load);
}

/// Switches a mounted widget to `lang`, keeping every answer (the custom
/// element calls it when its `lang` attribute changes).
#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(host: web_sys::HtmlElement, lang: String) {
    if let Some(instance) = host.get_attribute("data-accredit-instance") {
        form::switch_language(&instance, &lang);
    }
}

fn next_id_prefix() -> String {
    report_panics();
    let n = INSTANCES.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    format!("accredit{n}")
}
