//! The few browser facilities the organiser view needs, wrapped so the
//! views stay free of `web_sys` detail.

use accredit_model::Date;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

fn window() -> web_sys::Window {
    web_sys::window().expect("the organiser view runs in a browser window")
}

/// Session storage: kept for this tab only and gone when it closes, which is
/// where an organiser token belongs (never in localStorage or a URL).
fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok().flatten()
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

/// Today in the organiser's time zone.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .expect("the browser's date is a real date")
}

pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Replaces the URL hash without adding a history entry per keystroke.
pub fn replace_hash(hash: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

pub fn print() {
    let _ = window().print();
}

/// A performance mark, for the benchmark to read.
pub fn mark(name: &str) {
    if let Some(performance) = window().performance() {
        let _ = performance.mark(name);
    }
}

thread_local! {
    /// One formatter per language for every timestamp: building an `Intl`
    /// formatter is far slower than using one, and a table shows dozens.
    static TIMESTAMPS: RefCell<HashMap<String, js_sys::Function>> = RefCell::new(HashMap::new());
    static NUMBERS: RefCell<HashMap<String, js_sys::Function>> = RefCell::new(HashMap::new());
}

fn options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*k).into(), &(*v).into());
    }
    options
}

fn locales(lang: &str) -> js_sys::Array {
    js_sys::Array::of1(&lang.into())
}

/// Formats an RFC 3339 timestamp in the organiser's time zone, in `lang`.
pub fn format_timestamp(rfc3339: &str, lang: &str) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    TIMESTAMPS
        .with(|cache| {
            let mut cache = cache.borrow_mut();
            let format = cache.entry(lang.to_owned()).or_insert_with(|| {
                let options = options(&[("dateStyle", "medium"), ("timeStyle", "short")]);
                js_sys::Intl::DateTimeFormat::new(&locales(lang), &options).format()
            });
            format.call1(&JsValue::NULL, &date)
        })
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| rfc3339.to_owned())
}

/// Formats a date in full ("6 April 2027", "6 avril 2027").
pub fn format_date(date: Date, lang: &str) -> String {
    let js = js_sys::Date::new_with_year_month_day(
        date.year() as u32,
        date.month() as i32 - 1,
        date.day() as i32,
    );
    js.to_locale_date_string(lang, &options(&[("dateStyle", "long")]))
        .into()
}

/// A count in `lang`'s digits and grouping.
#[cfg(not(target_arch = "wasm32"))]
pub fn format_number(n: usize, _lang: &str) -> String {
    n.to_string()
}

/// A count in `lang`'s digits and grouping.
#[cfg(target_arch = "wasm32")]
pub fn format_number(n: usize, lang: &str) -> String {
    NUMBERS
        .with(|cache| {
            let mut cache = cache.borrow_mut();
            let format = cache.entry(lang.to_owned()).or_insert_with(|| {
                js_sys::Intl::NumberFormat::new(&locales(lang), &js_sys::Object::new()).format()
            });
            format.call1(&JsValue::NULL, &JsValue::from_f64(n as f64))
        })
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// English plurals, for the unit tests outside a browser.
#[cfg(not(target_arch = "wasm32"))]
pub fn plural_category(_lang: &str, n: usize) -> String {
    if n == 1 { "one" } else { "other" }.into()
}

/// `Intl.PluralRules`: "one", "few", "many", "other"… for `n` in `lang`.
#[cfg(target_arch = "wasm32")]
pub fn plural_category(lang: &str, n: usize) -> String {
    js_sys::Intl::PluralRules::new(&locales(lang), &js_sys::Object::new())
        .select(n as f64)
        .into()
}

#[wasm_bindgen]
extern "C" {
    /// `Intl.DisplayNames` for region codes.
    #[wasm_bindgen(js_namespace = Intl, js_name = DisplayNames)]
    type DisplayNames;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = DisplayNames, catch)]
    fn new(locales: &JsValue, options: &JsValue) -> Result<DisplayNames, JsValue>;
    #[wasm_bindgen(method, js_name = of)]
    fn of(this: &DisplayNames, code: &str) -> Option<String>;

    #[wasm_bindgen(js_namespace = Intl, js_name = Collator)]
    type JsCollator;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = Collator, catch)]
    fn new(locales: &JsValue) -> Result<JsCollator, JsValue>;
    #[wasm_bindgen(method)]
    fn compare(this: &JsCollator, a: &str, b: &str) -> i32;
}

/// Country names in `lang`, from the browser's own CLDR data.
pub struct CountryNames(Option<DisplayNames>);

impl CountryNames {
    pub fn new(lang: &str) -> Self {
        let options = options(&[("type", "region"), ("fallback", "none")]);
        CountryNames(DisplayNames::new(&JsValue::from_str(lang), &options).ok())
    }

    pub fn name(&self, code: &str) -> Option<String> {
        self.0.as_ref().and_then(|d| d.of(code))
    }
}

/// `Intl.Collator`: orders names the way readers of `lang` expect.
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

/// The languages the page and the browser ask for, most wanted first:
/// the document's `lang`, then `navigator.languages`.
pub fn requested_languages() -> Vec<String> {
    let mut wanted = Vec::new();
    if let Some(lang) = window()
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.trim().is_empty())
    {
        wanted.push(lang);
    }
    wanted.extend(
        window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|l| l.as_string()),
    );
    wanted
}

/// A blob: URL for a downloaded file; revoke it when it is no longer shown.
pub fn object_url(blob: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

pub fn revoke_object_url(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// Saves `blob` as a file called `name` (the browser's download).
pub fn save(blob: &web_sys::Blob, name: &str) {
    let Some(url) = object_url(blob) else { return };
    let document = window().document().expect("a document");
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoke after the click has been handled, not during it.
    let revoke = Closure::once_into_js(move || revoke_object_url(&url));
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
}

/// What a finished GET answered.
pub struct Fetched {
    pub status: u16,
    pub blob: Option<web_sys::Blob>,
}

/// GET `url` with a bearer token, reporting download progress as a
/// fraction when the size is known. XMLHttpRequest, because it reports
/// progress without streaming by hand. `Err` when the request never
/// completed (network failure).
pub async fn get_with_progress(
    url: &str,
    token: &str,
    progress: impl Fn(Option<f64>) + 'static,
) -> Result<Fetched, ()> {
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ())?;
    xhr.open("GET", url).map_err(|_| ())?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))
        .map_err(|_| ())?;
    xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Blob);
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            progress((e.length_computable() && e.total() > 0.0).then(|| e.loaded() / e.total()));
        });
    xhr.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    xhr.send().map_err(|_| ())?;
    let finished = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(on_progress);
    finished.map_err(|_| ())?;
    let status = xhr.status().map_err(|_| ())?;
    let blob = xhr
        .response()
        .ok()
        .and_then(|r| r.dyn_into::<web_sys::Blob>().ok());
    Ok(Fetched { status, blob })
}
