//! Component tests in a real browser (headless Chromium through
//! wasm-bindgen-test): the widget mounted with the demo event, no server.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh widget with the demo event and returns its host.
fn mount() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_attribute("data-event", "islamabad-tip-som")
        .unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let json = serde_json::to_string(&accredit_model::demo::islamabad_tip_som()).unwrap();
    // A draft from an earlier test must not leak into this one.
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    accredit::mount_with_config(host.clone(), &json).unwrap();
    host
}

/// Lets the reactive system and the browser catch up.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn find(host: &HtmlElement, selector: &str) -> Option<Element> {
    host.query_selector(selector).unwrap()
}

fn get(host: &HtmlElement, selector: &str) -> Element {
    find(host, selector).unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn count(host: &HtmlElement, selector: &str) -> u32 {
    host.query_selector_all(selector).unwrap().length()
}

fn click(host: &HtmlElement, selector: &str) {
    get(host, selector).unchecked_into::<HtmlElement>().click();
}

/// Clicks the button whose text contains `text`.
fn click_button(host: &HtmlElement, text: &str) {
    let buttons = host.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let b: HtmlElement = buttons.item(i).unwrap().unchecked_into();
        if b.text_content().unwrap_or_default().contains(text) {
            b.click();
            return;
        }
    }
    panic!("no button with text {text:?}");
}

fn type_into(host: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = get(host, selector).unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Chooses `value` in a drop-down list, or types it into a country field
/// (which takes a name or an ISO code) and leaves the field.
fn choose(host: &HtmlElement, selector: &str, value: &str) {
    let element = get(host, selector);
    if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
        select
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    } else {
        type_into(host, selector, value);
        element
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    }
}

fn key(host: &HtmlElement, selector: &str, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    get(host, selector).dispatch_event(&event).unwrap();
}

/// The id prefix of the widget in `host` (ids are unique per widget).
fn prefix(host: &HtmlElement) -> String {
    let id = get(host, "header.accredit-event").id();
    id.trim_end_matches("-top").to_string()
}

#[wasm_bindgen_test]
async fn continuing_with_nothing_shows_the_summary_focused_and_inline_errors() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    click_button(&host, "Continue");
    settle().await;
    settle().await;

    let summary = get(&host, ".accredit-error-summary");
    assert!(
        summary
            .text_content()
            .unwrap()
            .contains("There is a problem")
    );
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(summary.id()),
        "the summary takes focus"
    );
    let input = get(&host, &format!("#{p}-focal_point-given_names"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap();
    let message = get(
        &host,
        &format!("#{}", described.split(' ').next_back().unwrap()),
    );
    assert!(
        message
            .text_content()
            .unwrap()
            .contains("Enter the given name"),
        "a specific message, tied by aria-describedby"
    );
    // Each summary entry names a field that exists.
    let links = host
        .query_selector_all(".accredit-error-summary a")
        .unwrap();
    assert!(links.length() >= 3);
    for i in 0..links.length() {
        let href = links
            .item(i)
            .unwrap()
            .unchecked_into::<Element>()
            .get_attribute("href")
            .unwrap();
        assert!(
            find(&host, &href).is_some(),
            "summary link {href} has a target"
        );
    }
}

#[wasm_bindgen_test]
async fn fixing_a_field_clears_its_error_and_keeps_the_answers() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    type_into(&host, &format!("#{p}-focal_point-email"), "not an address");
    click_button(&host, "Continue");
    settle().await;
    let email = format!("#{p}-focal_point-email");
    assert_eq!(
        get(&host, &email).get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        get(&host, ".accredit-error-summary")
            .text_content()
            .unwrap()
            .contains("correct format")
    );

    type_into(&host, &email, "focal.point@mofa.gov.pk");
    settle().await;
    assert_eq!(get(&host, &email).get_attribute("aria-invalid"), None);
    let value = get(&host, &email)
        .unchecked_into::<HtmlInputElement>()
        .value();
    assert_eq!(
        value, "focal.point@mofa.gov.pk",
        "the answer stays on screen"
    );
}

#[wasm_bindgen_test]
async fn roster_add_remove_undo_and_reorder() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    // Fill step 1 so the form moves on.
    choose(&host, &format!("#{p}-delegation-country"), "PK");
    type_into(&host, &format!("#{p}-focal_point-given_names"), "Shahida");
    type_into(
        &host,
        &format!("#{p}-focal_point-email"),
        "shahida@example.org",
    );
    type_into(&host, &format!("#{p}-focal_point-phone"), "+92 51 920 1234");
    click_button(&host, "Continue");
    settle().await;
    assert_eq!(count(&host, ".accredit-member"), 1);

    type_into(&host, &format!("#{p}-members-0-given_names"), "Ahsan");
    click_button(&host, "Add a member");
    settle().await;
    assert_eq!(count(&host, ".accredit-member"), 2);
    type_into(&host, &format!("#{p}-members-1-given_names"), "Bashir");
    settle().await;

    // Move the second member up: names follow their cards.
    let down_disabled = host
        .query_selector_all(".accredit-member")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into::<Element>()
        .query_selector("button[disabled]")
        .unwrap();
    assert!(down_disabled.is_some(), "the last member cannot move down");
    let second = host
        .query_selector_all(".accredit-member")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into::<Element>();
    let up = second.query_selector_all("button").unwrap();
    for i in 0..up.length() {
        let b: HtmlElement = up.item(i).unwrap().unchecked_into();
        if b.text_content().unwrap().contains("Move up") {
            b.click();
        }
    }
    settle().await;
    let first_title = get(&host, ".accredit-member .accredit-member__title")
        .text_content()
        .unwrap();
    assert!(first_title.contains("Bashir"), "moved up: {first_title}");

    // Remove it, then undo.
    let first = get(&host, ".accredit-member");
    let buttons = first.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let b: HtmlElement = buttons.item(i).unwrap().unchecked_into();
        if b.text_content().unwrap() == "Remove" {
            b.click();
        }
    }
    settle().await;
    assert_eq!(count(&host, ".accredit-member"), 1);
    assert!(
        get(&host, ".accredit-notice")
            .text_content()
            .unwrap()
            .contains("Bashir was removed")
    );
    click_button(&host, "Undo");
    settle().await;
    assert_eq!(count(&host, ".accredit-member"), 2);
    let first_title = get(&host, ".accredit-member .accredit-member__title")
        .text_content()
        .unwrap();
    assert!(
        first_title.contains("Bashir"),
        "undo puts the member back in place: {first_title}"
    );

    // Members belong to the form, not to the step on screen: leaving the
    // roster and coming back keeps every one of them.
    click_button(&host, "Back");
    settle().await;
    click_button(&host, "Continue");
    settle().await;
    assert_eq!(count(&host, ".accredit-member"), 2);
    let titles = get(&host, ".accredit-roster").text_content().unwrap();
    assert!(
        titles.contains("Bashir") && titles.contains("Ahsan"),
        "{titles}"
    );
}

#[wasm_bindgen_test]
async fn identity_document_fields_follow_the_category() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    choose(&host, &format!("#{p}-delegation-country"), "TH");
    type_into(&host, &format!("#{p}-focal_point-given_names"), "สมชาย");
    type_into(
        &host,
        &format!("#{p}-focal_point-email"),
        "somchai@example.org",
    );
    type_into(&host, &format!("#{p}-focal_point-phone"), "+66 2 123 4567");
    click_button(&host, "Continue");
    settle().await;

    let number = format!("#{p}-members-0-identity_document-number");
    assert!(
        find(&host, &number).is_none(),
        "no document fields before a category is chosen"
    );
    choose(
        &host,
        &format!("#{p}-members-0-category"),
        "head_of_delegation",
    );
    settle().await;
    assert!(
        find(&host, &number).is_some(),
        "a head of delegation needs document data"
    );
    choose(&host, &format!("#{p}-members-0-category"), "media");
    settle().await;
    assert!(
        find(&host, &number).is_none(),
        "media accreditation needs none"
    );

    // Travel dates appear only when a visa letter is requested.
    let arrival = format!("#{p}-members-0-arrival_date");
    assert!(find(&host, &arrival).is_none());
    click(&host, &format!("#{p}-members-0-visa_letter"));
    settle().await;
    assert!(find(&host, &arrival).is_some());
}

#[wasm_bindgen_test]
async fn the_country_is_found_by_typing_and_chosen_with_the_keyboard() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    let input = format!("#{p}-delegation-country");
    let listbox = format!("#{p}-delegation-country-listbox");
    // Accents and case do not matter: "turk" finds Türkiye first.
    type_into(&host, &input, "turk");
    settle().await;
    assert_eq!(
        get(&host, &input).get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let first = get(&host, &format!("{listbox} [role=option]"));
    assert_eq!(first.text_content().as_deref(), Some("Türkiye"));
    assert!(count(&host, &format!("{listbox} [role=option]")) >= 1);
    // Down, Enter: chosen, the list closes, the name is shown.
    key(&host, &input, "ArrowDown");
    settle().await;
    assert_eq!(
        get(&host, &input).get_attribute("aria-activedescendant"),
        Some(first.id())
    );
    key(&host, &input, "Enter");
    settle().await;
    let field: HtmlInputElement = get(&host, &input).unchecked_into();
    assert_eq!(field.value(), "Türkiye");
    assert_eq!(
        field.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    // Text that names no country stays on screen; the answer is unset and
    // the step says so.
    type_into(&host, &input, "Atlantis");
    settle().await;
    let status = get(&host, &format!("#{p}-delegation-country ~ [role=status]"));
    assert!(
        status
            .text_content()
            .unwrap()
            .contains("No country matches")
    );
    click_button(&host, "Continue");
    settle().await;
    let field: HtmlInputElement = get(&host, &input).unchecked_into();
    assert_eq!(field.value(), "Atlantis", "what was typed is kept");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    // An ISO code works too.
    choose(&host, &input, "pk");
    settle().await;
    let field: HtmlInputElement = get(&host, &input).unchecked_into();
    assert_eq!(field.value(), "Pakistan");
    assert_eq!(field.get_attribute("aria-invalid"), None);
}
