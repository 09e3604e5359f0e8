//! What the host page tells the widget, read from its mount element.

use accredit_model::FocalPoint;
use web_sys::HtmlElement;

#[derive(Clone, Debug, PartialEq)]
pub struct WidgetSettings {
    /// The API base, e.g. `https://api.example.org/api/v1` (no trailing slash).
    pub endpoint: String,
    /// The event id, e.g. `islamabad-tip-som`.
    pub event: String,
    /// The requested UI language, if the host named one.
    pub lang: Option<String>,
    /// The focal point's details the host page already knows
    /// (`data-prefill-given-names`, `-family-name`, `-email`, `-phone`).
    pub prefill: FocalPoint,
}

impl WidgetSettings {
    /// Reads `endpoint`, `event` and `lang`, accepting the plain attribute
    /// (custom element) or its `data-` form (any element).
    pub fn from_element(el: &HtmlElement) -> Self {
        let attr = |name: &str| {
            el.get_attribute(name)
                .or_else(|| el.get_attribute(&format!("data-{name}")))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Self {
            endpoint: attr("endpoint")
                .unwrap_or_else(|| "/api/v1".into())
                .trim_end_matches('/')
                .to_string(),
            event: attr("event").unwrap_or_default(),
            lang: attr("lang"),
            prefill: FocalPoint {
                given_names: attr("prefill-given-names").unwrap_or_default(),
                family_name: attr("prefill-family-name").unwrap_or_default(),
                email: attr("prefill-email").unwrap_or_default(),
                phone: attr("prefill-phone").unwrap_or_default(),
            },
        }
    }
}
