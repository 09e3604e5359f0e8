//! Thin wrappers over the browser APIs the widget uses, so the rest of the
//! code reads as Rust and stays testable.

use accredit_model::Date;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A random RFC 4122 version 4 UUID (36 characters, what the server's
/// idempotency keys expect) from the platform's CSPRNG.
///
/// `crypto.randomUUID` exists only on secure pages (HTTPS, localhost) of
/// recent browsers, and calling it where it is missing would throw, so it
/// is looked up first; elsewhere `crypto.getRandomValues`, which every
/// page has, supplies the 16 bytes; only without Web Crypto at all does
/// `Math.random` (still unique enough to key one submission's retries).
pub fn uuid() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = &crypto {
        let has_random_uuid = js_sys::Reflect::get(crypto, &JsValue::from_str("randomUUID"))
            .is_ok_and(|f| f.is_function());
        if has_random_uuid {
            return crypto.random_uuid();
        }
    }
    let mut bytes = [0u8; 16];
    let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_v4(bytes)
}

/// Formats 16 random bytes as a version 4, variant 1 UUID.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Today in the user's time zone: what "in the past" means to them.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .expect("the browser's date is a real date")
}

/// Unicode NFC, done by the browser so the widget ships no Unicode tables.
pub fn nfc(s: &str) -> String {
    js_sys::JsString::from(s).normalize("NFC").into()
}

/// Lower case without accents (`Türkiye` → `turkiye`), for matching what
/// is typed against names; done by the browser, which has the tables.
pub fn fold(s: &str) -> String {
    thread_local! {
        static MARKS: js_sys::RegExp = js_sys::RegExp::new("\\p{M}", "gu");
    }
    let decomposed = js_sys::JsString::from(s).normalize("NFD");
    MARKS
        .with(|marks| decomposed.replace_by_pattern(marks, ""))
        .to_lower_case()
        .into()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Stores a value; quota errors and disabled storage are ignored because a
/// draft is a convenience, never a requirement.
pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// This tab's session storage: gone when the tab closes.
pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok()?
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

pub fn session_remove(key: &str) {
    if let Some(s) = session() {
        let _ = s.remove_item(key);
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Intl.DisplayNames` for region codes, in the UI language.
    #[wasm_bindgen(js_namespace = Intl, js_name = DisplayNames)]
    type DisplayNames;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = DisplayNames, catch)]
    fn new(locales: &JsValue, options: &JsValue) -> Result<DisplayNames, JsValue>;
    #[wasm_bindgen(method, js_name = of)]
    fn of(this: &DisplayNames, code: &str) -> Option<String>;
}

/// Country names in `lang`, via the browser's own CLDR data.
pub struct CountryNames(Option<DisplayNames>);

impl CountryNames {
    pub fn new(lang: &str) -> Self {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"type".into(), &"region".into());
        CountryNames(DisplayNames::new(&JsValue::from_str(lang), &options).ok())
    }

    pub fn name(&self, code: &str) -> String {
        self.0
            .as_ref()
            .and_then(|d| d.of(code))
            .unwrap_or_else(|| code.to_string())
    }
}

/// Formats an ISO date for people, e.g. "25 April 2028" in English.
pub fn format_date(date: Date, lang: &str) -> String {
    let js = js_sys::Date::new_with_year_month_day(
        date.year() as u32,
        date.month() as i32 - 1,
        date.day() as i32,
    );
    let options = js_sys::Object::new();
    for (k, v) in [("day", "numeric"), ("month", "long"), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    }
    // Plain "en" would mean US order; conference documents write 25 April 2028.
    let locale = if lang == "en" { "en-GB" } else { lang };
    js.to_locale_date_string(locale, &options).into()
}

thread_local! {
    /// The documents and shadow roots widgets are mounted in. Element ids are
    /// unique per widget, but `document.getElementById` cannot see into a
    /// shadow root, so lookups go through every root a widget lives in.
    static ROOTS: std::cell::RefCell<Vec<web_sys::Node>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Remembers the document or shadow root `element` lives in.
pub fn register_root(element: &web_sys::Element) {
    let root = element.get_root_node();
    ROOTS.with(|roots| {
        let mut roots = roots.borrow_mut();
        if !roots.iter().any(|r| r.is_same_node(Some(&root))) {
            roots.push(root);
        }
    });
}

/// The element with `id` in any root a widget is mounted in.
pub fn element_by_id(id: &str) -> Option<web_sys::Element> {
    ROOTS.with(|roots| {
        roots.borrow().iter().find_map(|root| {
            if let Some(doc) = root.dyn_ref::<web_sys::Document>() {
                doc.get_element_by_id(id)
            } else {
                root.dyn_ref::<web_sys::DocumentFragment>()?
                    .get_element_by_id(id)
            }
        })
    })
}

/// Scrolls so the element with `id` is at the top (after a step change).
pub fn scroll_to_top_of(id: &str) {
    if let Some(el) = element_by_id(id) {
        el.scroll_into_view();
    }
}

/// Moves keyboard focus to the element with `id`, if it exists.
pub fn focus(id: &str) {
    if let Some(el) = element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Moves focus to the element with `id` once the next frame is drawn (the
/// element is about to be rendered).
pub fn focus_soon(id: String) {
    leptos::prelude::request_animation_frame(move || focus(&id));
}

/// Moves focus to the element with `id` if it can take focus (a control,
/// or an element with a `tabindex`), else to the first field inside it (a
/// group of fields, such as a date's day, month and year).
pub fn focus_field(id: &str) {
    let Some(el) = element_by_id(id) else {
        return;
    };
    let focusable = el
        .matches("input, select, textarea, button, a[href], [tabindex]")
        .unwrap_or(false);
    if focusable {
        focus(id);
    } else {
        focus_first_field(id);
    }
}

/// Moves focus as [`focus_field`] does, once the next frame is drawn.
pub fn focus_field_soon(id: String) {
    leptos::prelude::request_animation_frame(move || focus_field(&id));
}

/// Focuses the first input, list or text area inside the element with `id`.
pub fn focus_first_field(id: &str) {
    let field = element_by_id(id)
        .and_then(|el| el.query_selector("input, select, textarea").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}

fn property(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target.name(args…)` if `target` has such a method.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let method: js_sys::Function = property(target, name).dyn_into().ok()?;
    method
        .apply(target, &args.iter().collect::<js_sys::Array>())
        .ok()
}

/// `location.pathname + location.search`, and `location.hash`.
pub fn location() -> (String, String) {
    let location = web_sys::window().map_or(JsValue::UNDEFINED, |w| property(&w, "location"));
    let part = |name| property(&location, name).as_string().unwrap_or_default();
    (
        format!("{}{}", part("pathname"), part("search")),
        part("hash"),
    )
}

/// Replaces the address in the address bar and the tab's history, keeping
/// the page's history state (a host router's).
pub fn replace_url(url: &str) {
    if let Some(window) = web_sys::window() {
        let history = property(&window, "history");
        let state = property(&history, "state");
        call(
            &history,
            "replaceState",
            &[state, JsValue::from_str(""), url.into()],
        );
    }
}

/// Copies `text` with the Clipboard API; `false` when the browser has none
/// (an insecure context) or refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = property(&property(&window, "navigator"), "clipboard");
    let Some(promise) = call(&clipboard, "writeText", &[text.into()])
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Selects the text of the input with `id`, for copying by hand.
pub fn select_text(id: &str) {
    if let Some(input) =
        element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let _ = input.focus();
        input.select();
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = Collator)]
    type JsCollator;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = Collator, catch)]
    fn new(locales: &JsValue) -> Result<JsCollator, JsValue>;
    #[wasm_bindgen(method)]
    fn compare(this: &JsCollator, a: &str, b: &str) -> i32;
}

/// `Intl.Collator`: sorts names the way readers of `lang` expect.
pub struct Collator(Option<JsCollator>);

impl Collator {
    pub fn new(lang: &str) -> Self {
        Collator(JsCollator::new(&JsValue::from_str(lang)).ok())
    }

    pub fn compare(&self, a: &str, b: &str) -> std::cmp::Ordering {
        match &self.0 {
            Some(c) => c.compare(a, b).cmp(&0),
            None => a.cmp(b),
        }
    }
}

/// Sends `file` as the raw body of a POST to `url`, reporting upload
/// progress in percent. XMLHttpRequest, because fetch cannot report upload
/// progress. Resolves to the status and response text, or `Err` when the
/// request never completed (network failure).
pub async fn upload(
    url: &str,
    file: &web_sys::Blob,
    progress: impl Fn(u32) + 'static,
) -> Result<(u16, String), ()> {
    use wasm_bindgen::closure::Closure;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ())?;
    xhr.open("POST", url).map_err(|_| ())?;
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                progress((e.loaded() / e.total() * 100.0).round() as u32);
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    xhr.send_with_opt_blob(Some(file)).map_err(|_| ())?;
    let finished = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(on_progress);
    finished.map_err(|_| ())?;
    let status = xhr.status().map_err(|_| ())?;
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    Ok((status, text))
}

/// The pixel size of an image file, as the browser decodes it (EXIF
/// orientation applied), or `None` if it cannot be decoded.
pub async fn image_size(file: &web_sys::Blob) -> Option<(u32, u32)> {
    let promise = web_sys::window()?
        .create_image_bitmap_with_blob(file)
        .ok()?;
    let bitmap: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .unchecked_into();
    let size = (bitmap.width(), bitmap.height());
    bitmap.close();
    Some(size)
}

/// A `blob:` URL showing `file` (for previews); revoke it when done.
pub fn object_url(file: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(file).ok()
}

pub fn revoke_object_url(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// The languages the host asked for, most wanted first: the widget's `lang`
/// attribute, then the page's `<html lang>`, then the browser's languages.
pub fn requested_languages(attribute: Option<&str>) -> Vec<String> {
    let mut langs: Vec<String> = attribute.map(str::to_string).into_iter().collect();
    if let Some(window) = web_sys::window() {
        if let Some(html) = window.document().and_then(|d| d.document_element()) {
            let lang = html.get_attribute("lang").unwrap_or_default();
            if !lang.trim().is_empty() {
                langs.push(lang);
            }
        }
        let navigator = window.navigator();
        langs.extend(navigator.languages().iter().filter_map(|v| v.as_string()));
        langs.extend(navigator.language());
    }
    langs
}

/// A language's name in that language ("français", "العربية"), for the
/// language switcher.
pub fn language_name(lang: &str) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"type".into(), &"language".into());
    DisplayNames::new(&JsValue::from_str(lang), &options)
        .ok()
        .and_then(|d| d.of(lang))
        .unwrap_or_else(|| lang.to_string())
}

// Run in the browser with the component tests (`cargo xtask test`).
#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn keys_are_uuid_v4_of_36_characters() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let key = uuid();
        assert_eq!(key.len(), 36, "{key}");
        assert_eq!(&key[14..15], "4", "{key}");
        assert_ne!(uuid(), key);
    }
}
