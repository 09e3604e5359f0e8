//! The `<accredit-organiser>` element and the events it sends the page:
//! `accredit:ready` (signed in, list loaded), `accredit:status-changed`
//! `{id, reference, status}`, `accredit:signed-out` and `accredit:error`
//! `{message}`. They bubble and are composed, like the registration
//! widget's, so they reach listeners outside the shadow root.

use send_wrapper::SendWrapper;
use web_sys::HtmlElement;

#[derive(Clone)]
pub struct Host(SendWrapper<HtmlElement>);

impl Host {
    pub fn new(element: HtmlElement) -> Host {
        Host(SendWrapper::new(element))
    }

    pub fn attribute(&self, name: &str) -> Option<String> {
        self.0
            .get_attribute(name)
            .or_else(|| self.0.get_attribute(&format!("data-{name}")))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn emit(&self, name: &str, detail: &[(&str, &str)]) {
        accredit_host_events::emit(&self.0, name, detail);
    }
}
