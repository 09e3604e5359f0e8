//! The element the widget lives in, and the events it tells the host page.
//!
//! Events bubble and are `composed`, so they cross a shadow root and reach
//! listeners anywhere in the host document.

use send_wrapper::SendWrapper;
use web_sys::HtmlElement;

/// The host element. The reactive system wants `Send` context values; the
/// widget only ever runs on the browser's main thread.
#[derive(Clone)]
pub struct Host(SendWrapper<HtmlElement>);

impl Host {
    pub fn new(element: HtmlElement) -> Host {
        Host(SendWrapper::new(element))
    }

    /// Dispatches `name` on the host with `detail` (a JSON-like object).
    pub fn emit(&self, name: &str, detail: &[(&str, &str)]) {
        accredit_host_events::emit(&self.0, name, detail);
    }

    /// The widget is on screen and can be used: a performance mark (what the
    /// ready-time benchmark reads) and an `accredit:ready` event.
    pub fn ready(&self) {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("accredit:ready");
        }
        self.emit("accredit:ready", &[]);
    }
}
