//! Dispatching `accredit:*` events to the host page.
//!
//! Events bubble and are `composed`, so they cross a shadow root and reach
//! listeners anywhere in the host document; `detail` is a plain object of
//! strings, which any page script can read.

use wasm_bindgen::JsValue;

/// Dispatches `name` on `target` with `detail` as `{key: value, …}`.
pub fn emit(target: &web_sys::EventTarget, name: &str, detail: &[(&str, &str)]) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    init.set_detail(&object);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}
