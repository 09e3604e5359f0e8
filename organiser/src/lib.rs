//! accredit-organiser: the organiser view, a separate bundle behind
//! `<accredit-organiser endpoint event>` (loader: `js/accredit-organiser.js`).
//!
//! Organisers sign in with their token, see the event's numbers, review and
//! decide registrations, print the provisional list of participants and
//! badge sheets, and export lists. The whole event is loaded once and
//! filtered in the browser with the model's filter, so what is on screen is
//! what the server exports.

mod api;
mod app;
mod browser;
mod host;
mod i18n;
mod lifecycle;
mod qr;
mod roster;
mod session;
mod view_state;
mod views;

use wasm_bindgen::prelude::*;

/// Renders the organiser view into `container`; `host` is the element the
/// page placed (its attributes configure the view, and it receives the
/// events); `load_catalogue(lang)` is the loader's function that fetches
/// a language's catalogue (a Promise of its JSON text).
#[wasm_bindgen]
pub fn mount(
    container: web_sys::HtmlElement,
    host: web_sys::HtmlElement,
    load_catalogue: js_sys::Function,
) {
    report_panics();
    i18n::configure(load_catalogue);
    let host = host::Host::new(host);
    leptos::mount::mount_to(container, move || app::App(app::AppProps { host })).forget();
}

fn report_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("accredit-organiser: {info}").into());
        }));
    });
}
