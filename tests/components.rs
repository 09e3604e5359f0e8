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
    let json = demo_event_json();
    clear_storage();
    accredit::mount_with_config(host.clone(), &json).unwrap();
    host
}

/// The demo event moved to some seven weeks after the browser's today, as
/// the demo page has it: registration and amendments open on any date.
fn demo_event() -> accredit_model::EventConfig {
    let now = js_sys::Date::new_0();
    let today = accredit_model::Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .expect("the browser's today is a date");
    accredit_model::demo::islamabad_tip_som_on(today)
}

fn demo_event_json() -> String {
    serde_json::to_string(&demo_event()).unwrap()
}

/// "For example, 22 10 2027": a date as its three fields take it.
fn example(date: accredit_model::Date) -> String {
    format!(
        "For example, {} {} {}",
        date.day(),
        date.month(),
        date.year()
    )
}

/// A draft or a manage token from an earlier test must not leak into this one.
fn clear_storage() {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.session_storage().unwrap().unwrap().clear().unwrap();
}

/// Waits for one turn of the event loop: every microtask queued so far
/// (and any they queue) has run when a new task starts.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits for the next animation frame: callbacks requested before this
/// one run first, in the same frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Lets the widget finish what an action scheduled, by the event loop's
/// order rather than by a timer. Its reactive updates run as microtasks,
/// all done before the next task; its focus moves are requested from
/// those updates or from the handler itself for the next animation frame,
/// so they have run once a frame requested after them has, and a second
/// frame covers a focus move that requests another. Anything slower (the
/// network, a debounce) is awaited by its condition with [`wait_for`] or
/// [`until`].
async fn settle() {
    next_task().await;
    next_frame().await;
    next_frame().await;
}

/// Polls `check` between turns of the event loop until it holds; fails
/// with `what` after 5 s.
async fn until(what: &str, check: impl Fn() -> bool) {
    let start = js_sys::Date::now();
    while !check() {
        assert!(
            js_sys::Date::now() - start < 5000.0,
            "timed out waiting for {what}"
        );
        settle().await;
    }
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

// ---- Manage mode ----------------------------------------------------------

/// A stored registration as `GET …/my-registration` shows it: document
/// numbers masked.
fn my_registration(
    status: &str,
    amendable: bool,
    note: Option<&str>,
) -> accredit_model::api::MyRegistration {
    let member = |given: &str, family: &str, category: &str, number: &str| {
        serde_json::json!({
            "given_names": given, "family_name": family, "function": "Director",
            "institution": "Ministry of Interior", "nationality": "PK",
            "email": format!("{}@example.org", given.to_lowercase()), "phone": "",
            "category": category,
            "identity_document": { "kind": "passport", "number": number,
                "issuing_country": "PK", "expires_on": "2031-01-31" },
            "date_of_birth": "1975-05-05"
        })
    };
    serde_json::from_value(serde_json::json!({
        "id": "r1", "reference": "ISL-NHK2", "status": status, "version": 3,
        "note": note, "amendable": amendable, "amendments_close": "2027-04-20",
        "registration": {
            "event": "islamabad-tip-som", "language": "en",
            "delegation": { "kind": "member_state", "country": "PK" },
            "focal_point": { "given_names": "Shahida", "family_name": "Khan",
                "email": "shahida@example.org", "phone": "+92 51 920 1234" },
            "members": [
                member("Ahsan", "Iqbal", "head_of_delegation", "••••••567"),
                member("Bashir", "Ahmed", "delegate", "••••••321"),
            ],
            "consent": { "data_processing": true, "participant_list": true }
        },
        "history": []
    }))
    .unwrap()
}

fn mount_managed(mine: accredit_model::api::MyRegistration) -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_attribute("data-event", "islamabad-tip-som")
        .unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    clear_storage();
    let json = demo_event_json();
    accredit::mount_managed(host.clone(), &json, "T0k3n", mine).unwrap();
    host
}

/// Waits (a little) until `selector` matches.
async fn wait_for(host: &HtmlElement, selector: &str) -> Element {
    until(selector, || find(host, selector).is_some()).await;
    get(host, selector)
}

fn text(host: &HtmlElement, selector: &str) -> String {
    get(host, selector).text_content().unwrap_or_default()
}

/// Clicks the button whose text is `label`, inside `scope`.
fn click_in(scope: &Element, label: &str) {
    let buttons = scope.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let b: HtmlElement = buttons.item(i).unwrap().unchecked_into();
        if b.text_content().unwrap_or_default().trim() == label {
            b.click();
            return;
        }
    }
    panic!("no button {label:?}");
}

#[wasm_bindgen_test]
async fn a_manage_link_leaves_the_address_bar_and_stays_in_the_tab_only() {
    clear_storage();
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let path = window.location().pathname().unwrap();
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?lang=en#accredit-manage=Abc_123-xyz")),
        )
        .unwrap();
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_attribute("data-event", "islamabad-tip-som")
        .unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let json = demo_event_json();
    accredit::mount_with_config(host.clone(), &json).unwrap();

    let location = window.location();
    assert_eq!(
        location.hash().unwrap(),
        "",
        "the token left the address bar"
    );
    assert_eq!(location.search().unwrap(), "?lang=en", "the query is kept");
    assert_eq!(location.pathname().unwrap(), path);
    let session = window.session_storage().unwrap().unwrap();
    assert_eq!(
        session
            .get_item("accredit:manage:islamabad-tip-som")
            .unwrap()
            .as_deref(),
        Some("Abc_123-xyz"),
        "kept for a reload of this tab"
    );
    let local = window.local_storage().unwrap().unwrap();
    for i in 0..local.length().unwrap() {
        let key = local.key(i).unwrap().unwrap();
        let value = local.get_item(&key).unwrap().unwrap_or_default();
        assert!(
            !value.contains("Abc_123-xyz"),
            "never in local storage ({key})"
        );
    }
    // No server here answers for the link: the widget says it is not valid
    // instead of showing a form, and forgets it.
    let failed = wait_for(&host, ".accredit-manage-failed").await;
    assert_eq!(failed.get_attribute("role").as_deref(), Some("alert"));
    assert!(
        failed.text_content().unwrap().contains("not valid"),
        "{:?}",
        failed.text_content()
    );
    assert!(find(&host, "form, input").is_none(), "no form");
    assert_eq!(
        session
            .get_item("accredit:manage:islamabad-tip-som")
            .unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn the_banner_shows_the_status_the_note_and_the_deadline() {
    let note = "Please give the passport of the head of delegation.";
    let host = mount_managed(my_registration("changes_requested", true, Some(note)));
    let banner = wait_for(&host, ".accredit-banner").await;
    settle().await;
    let p = prefix(&host);
    assert_eq!(banner.get_attribute("role").as_deref(), Some("region"));
    let title_id = banner.get_attribute("aria-labelledby").unwrap();
    let title = get(&host, &format!("#{title_id}"));
    assert!(title.text_content().unwrap().contains("ISL-NHK2"));
    assert_eq!(title.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(title_id),
        "the banner takes focus"
    );
    let content = banner.text_content().unwrap();
    assert!(content.contains("changes requested"), "{content}");
    assert!(content.contains(note), "{content}");
    assert!(content.contains("20 April 2027"), "{content}");
    assert!(find(&host, &format!("#{p}-withdraw")).is_some());
    // Prefilled, and nothing saved on the device.
    let given: HtmlInputElement =
        get(&host, &format!("#{p}-focal_point-given_names")).unchecked_into();
    assert_eq!(given.value(), "Shahida");
    // A control: an ordinary widget, typed into just after this one. Once
    // its draft is saved, this one's would have been too.
    let control = mount();
    settle().await;
    type_into(&host, &format!("#{p}-focal_point-phone"), "+92 51 920 9999");
    let c = prefix(&control);
    type_into(
        &control,
        &format!("#{c}-focal_point-phone"),
        "+92 51 920 1111",
    );
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let draft_of_control = || {
        local
            .get_item("accredit:draft:islamabad-tip-som")
            .unwrap()
            .unwrap_or_default()
            .contains("920 1111")
    };
    until("the control's draft", draft_of_control).await;
    // Other tests' widgets on this page save drafts; this one must not.
    for i in 0..local.length().unwrap() {
        let key = local.key(i).unwrap().unwrap();
        let value = local.get_item(&key).unwrap().unwrap_or_default();
        assert!(
            !value.contains("920 9999"),
            "no draft in manage mode ({key})"
        );
    }
}

#[wasm_bindgen_test]
async fn a_masked_number_left_unchanged_passes_and_changes_are_marked() {
    let host = mount_managed(my_registration("approved", true, None));
    wait_for(&host, ".accredit-banner").await;
    let p = prefix(&host);
    type_into(&host, &format!("#{p}-focal_point-phone"), "+92 51 920 9999");
    click_button(&host, "Continue");
    settle().await;
    assert!(
        find(&host, ".accredit-error-summary").is_none(),
        "step 1 passes"
    );
    // The stored members are there, folded; open the first to see its number.
    assert_eq!(count(&host, ".accredit-member"), 2);
    click_in(&get(&host, ".accredit-member"), "Change");
    settle().await;
    let number: HtmlInputElement =
        get(&host, &format!("#{p}-members-0-identity_document-number")).unchecked_into();
    assert_eq!(number.value(), "••••••567");
    click_button(&host, "Continue");
    settle().await;
    assert!(
        find(&host, ".accredit-error-summary").is_none(),
        "masked numbers are not errors: {:?}",
        find(&host, ".accredit-error-summary").and_then(|e| e.text_content())
    );
    let heading = text(&host, "h2.accredit-heading");
    assert!(heading.contains("Check your answers"), "{heading}");
    // Only the phone changed.
    let changed = host
        .query_selector_all(".accredit-summary__row--changed")
        .unwrap();
    assert_eq!(changed.length(), 1);
    let row = changed.item(0).unwrap().text_content().unwrap();
    assert!(
        row.contains("+92 51 920 9999") && row.contains("Changed"),
        "{row}"
    );
    // Submitting validates with the masked numbers in place.
    click_button(&host, "Submit the changes");
    settle().await;
    assert!(
        find(&host, ".accredit-error-summary").is_none(),
        "{:?}",
        find(&host, ".accredit-error-summary").and_then(|e| e.text_content())
    );
}

#[wasm_bindgen_test]
async fn replacing_a_member_keeps_the_place_and_the_category() {
    let host = mount_managed(my_registration("pending", true, None));
    wait_for(&host, ".accredit-banner").await;
    let p = prefix(&host);
    click_button(&host, "Continue");
    settle().await;
    let cards = host.query_selector_all(".accredit-member").unwrap();
    let second: Element = cards.item(1).unwrap().unchecked_into();
    click_in(&second, "Replace this member");
    settle().await;
    settle().await;
    assert_eq!(count(&host, ".accredit-member"), 2, "the place stays");
    let value = |field: &str| -> String {
        let el = get(&host, &format!("#{p}-members-1-{field}"));
        el.dyn_ref::<HtmlInputElement>()
            .map(HtmlInputElement::value)
            .or_else(|| {
                el.dyn_ref::<HtmlSelectElement>()
                    .map(HtmlSelectElement::value)
            })
            .unwrap()
    };
    assert_eq!(value("category"), "delegate", "the category stays");
    for field in [
        "given_names",
        "family_name",
        "function",
        "email",
        "identity_document-number",
        "date_of_birth-day",
        "date_of_birth-month",
        "date_of_birth-year",
    ] {
        assert_eq!(value(field), "", "{field} is cleared");
    }
    assert!(
        text(&host, ".accredit-member").contains("Ahsan"),
        "the first member is untouched"
    );
    let focused = document().active_element().unwrap();
    assert!(
        second.contains(Some(&focused)) && focused.tag_name() == "INPUT",
        "focus is on the first field of the card"
    );
    // The newcomer's own details are asked for again.
    type_into(&host, &format!("#{p}-members-1-given_names"), "Chen");
    click_button(&host, "Continue");
    settle().await;
    let summary = text(&host, ".accredit-error-summary");
    assert!(summary.contains("Enter the date of birth"), "{summary}");
    assert!(text(&host, ".accredit-member__title").contains("Ahsan"));
}

#[wasm_bindgen_test]
async fn a_withdrawn_registration_is_shown_read_only() {
    let host = mount_managed(my_registration("withdrawn", false, None));
    let banner = wait_for(&host, ".accredit-banner").await;
    settle().await;
    assert!(
        banner
            .text_content()
            .unwrap()
            .contains("can no longer be changed")
    );
    let p = prefix(&host);
    assert!(find(&host, &format!("#{p}-withdraw")).is_none());
    assert!(
        text(&host, ".accredit").contains("Ahsan"),
        "the answers are shown"
    );
    let buttons = host.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let label = buttons.item(i).unwrap().text_content().unwrap();
        assert!(
            !label.contains("Submit") && !label.contains("Change"),
            "nothing to submit or change: {label}"
        );
    }
}

#[wasm_bindgen_test]
async fn withdrawing_asks_first_and_cancel_goes_back() {
    let host = mount_managed(my_registration("pending", true, None));
    wait_for(&host, ".accredit-banner").await;
    let p = prefix(&host);
    click(&host, &format!("#{p}-withdraw"));
    settle().await;
    settle().await;
    let title = get(&host, &format!("#{p}-withdraw-title"));
    assert!(title.text_content().unwrap().contains("Are you sure"));
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(title.id())
    );
    assert!(text(&host, ".accredit").contains("ISL-NHK2"));
    assert!(find(&host, &format!("#{p}-withdraw-confirm")).is_some());
    click(&host, &format!("#{p}-withdraw-cancel"));
    settle().await;
    assert!(find(&host, &format!("#{p}-withdraw-title")).is_none());
    assert!(find(&host, ".accredit-banner").is_some());
}

#[wasm_bindgen_test]
async fn the_confirmation_offers_the_manage_link_to_copy() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    // The page's clipboard, as a browser with permission gives it.
    js_sys::eval(
        "Object.defineProperty(navigator, 'clipboard', { configurable: true, value: \
         { writeText: (t) => { window.__accreditCopied = t; return Promise.resolve(); } } })",
    )
    .unwrap();
    let link = "http://127.0.0.1:8080/#accredit-manage=Abc_123-xyz";
    let receipt: accredit_model::api::Receipt = serde_json::from_value(serde_json::json!({
        "id": "r1", "reference": "ISL-NHK2", "status": "pending",
        "manage_token": "Abc_123-xyz", "manage_link": link
    }))
    .unwrap();
    accredit::show_receipt(host.clone(), receipt);
    let field = wait_for(&host, &format!("#{p}-manage-link")).await;
    let input: HtmlInputElement = field.unchecked_into();
    assert_eq!(input.value(), link);
    assert!(input.read_only());
    let label = get(&host, &format!("label[for={p}-manage-link]"));
    assert!(label.text_content().unwrap().contains("Link to manage"));
    assert!(text(&host, ".accredit-manage-link").contains("sent by email to the focal point"));
    let status = get(&host, &format!("#{p}-manage-link-status"));
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    click(&host, &format!("#{p}-manage-link-copy"));
    until("“Copied”", || {
        status.text_content().unwrap_or_default().trim() == "Copied"
    })
    .await;
    let copied =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__accreditCopied".into()).unwrap();
    assert_eq!(copied.as_string().as_deref(), Some(link));
}

/// The shipped French catalogue (interface and messages), as the loader
/// would hand it over.
fn french_catalogue() -> String {
    let mut all = serde_json::Map::new();
    for json in [
        include_str!("../src/i18n/fr.json"),
        include_str!("../model/messages/fr.json"),
    ] {
        let serde_json::Value::Object(map) = serde_json::from_str(json).unwrap() else {
            panic!("a catalogue is an object");
        };
        all.extend(map);
    }
    serde_json::Value::Object(all).to_string()
}

/// Mounts the demo event in `lang` (English or French).
fn mount_in(lang: &str) -> HtmlElement {
    let body = format!(
        "return {};",
        serde_json::to_string(&french_catalogue()).unwrap()
    );
    accredit::configure("fr", js_sys::Function::new_with_args("lang", &body));
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_attribute("data-event", "islamabad-tip-som")
        .unwrap();
    host.set_attribute("lang", lang).unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let json = demo_event_json();
    clear_storage();
    accredit::mount_with_config(host.clone(), &json).unwrap();
    host
}

/// Fills step 1 (a Member State delegation) and continues to the roster.
async fn to_the_roster(host: &HtmlElement) {
    let p = prefix(host);
    choose(host, &format!("#{p}-delegation-country"), "PK");
    type_into(host, &format!("#{p}-focal_point-given_names"), "Shahida");
    type_into(
        host,
        &format!("#{p}-focal_point-email"),
        "shahida@example.org",
    );
    type_into(host, &format!("#{p}-focal_point-phone"), "+92 51 920 1234");
    click_button(host, "Continu");
    settle().await;
    settle().await;
    wait_for(host, &format!("#{p}-members-0-given_names")).await;
}

/// The text of the label for the element with `id`.
fn label_of(host: &HtmlElement, id: &str) -> String {
    text(host, &format!("label[for='{id}']")).trim().to_string()
}

#[wasm_bindgen_test]
async fn a_step_change_focuses_the_heading_and_announces_the_step() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    assert_eq!(
        text(&host, &format!("#{p}-delegation-heading")),
        "Your delegation",
        "step 1 has its heading"
    );
    to_the_roster(&host).await;
    settle().await;
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(format!("{p}-members")),
        "the roster's heading takes focus"
    );
    let region = get(&host, &format!("#{p}-announcement"));
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(
        region.text_content().unwrap(),
        "Step 2 of 3: Delegation members"
    );
    click_button(&host, "Back");
    settle().await;
    settle().await;
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(format!("{p}-delegation-heading")),
        "going back focuses step 1's heading"
    );
    assert_eq!(
        region.text_content().unwrap(),
        "Step 1 of 3: Your delegation"
    );
}

#[wasm_bindgen_test]
async fn dates_are_three_labelled_numeric_fields_with_one_hint() {
    let event = demo_event();
    let host = mount();
    settle().await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    choose(
        &host,
        &format!("#{p}-members-0-category"),
        "head_of_delegation",
    );
    settle().await;
    let dob = format!("{p}-members-0-date_of_birth");
    let group = get(&host, &format!("#{dob}"));
    assert_eq!(group.tag_name(), "FIELDSET");
    assert_eq!(
        text(&host, &format!("#{dob} legend")).trim(),
        "Date of birth"
    );
    assert_eq!(
        text(&host, &format!("#{dob}-hint")),
        "For example, 27 3 1980"
    );
    assert_eq!(
        group.get_attribute("aria-describedby").as_deref(),
        Some(format!("{dob}-hint").as_str()),
        "the hint describes the group"
    );
    for (part, label) in [("day", "Day"), ("month", "Month"), ("year", "Year")] {
        let input = get(&host, &format!("#{dob}-{part}"));
        assert_eq!(input.get_attribute("type").as_deref(), Some("text"));
        assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
        assert_eq!(
            input.get_attribute("autocomplete"),
            Some(format!("bday-{part}"))
        );
        assert_eq!(label_of(&host, &format!("{dob}-{part}")), label);
    }
    let expiry = format!("{p}-members-0-identity_document-expires_on");
    assert_eq!(
        text(&host, &format!("#{expiry}-hint")),
        example(event.ends_on.add_months(6)),
        "the earliest expiry the event accepts: six months after the event"
    );
    assert_eq!(
        get(&host, &format!("#{expiry}-day")).get_attribute("autocomplete"),
        None,
        "only a date of birth is a birthday"
    );
    // Travel dates (with a visa letter) are the same kind of field.
    click(&host, &format!("#{p}-members-0-visa_letter"));
    settle().await;
    assert_eq!(
        text(&host, &format!("#{p}-members-0-arrival_date-hint")),
        example(event.starts_on)
    );
    assert!(find(&host, &format!("#{p}-members-0-departure_date-year")).is_some());
}

#[wasm_bindgen_test]
async fn a_date_missing_its_year_names_the_part_and_the_summary_focuses_it() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    choose(
        &host,
        &format!("#{p}-members-0-category"),
        "head_of_delegation",
    );
    settle().await;
    choose(
        &host,
        &format!("#{p}-members-0-identity_document-kind"),
        "passport",
    );
    let expiry = format!("{p}-members-0-identity_document-expires_on");
    type_into(&host, &format!("#{expiry}-day"), "25");
    type_into(&host, &format!("#{expiry}-month"), "4");
    click_button(&host, "Continue");
    settle().await;
    settle().await;

    let summary = text(&host, ".accredit-error-summary");
    assert!(
        summary.contains("Passport expiry date must include a year"),
        "{summary}"
    );
    let message = text(&host, &format!("#{expiry}-error"));
    assert!(
        message.contains("Passport expiry date must include a year"),
        "{message}"
    );
    // The whole group is in error; only the year is marked invalid.
    let field = get(&host, &format!("#{expiry}")).parent_element().unwrap();
    assert!(field.class_list().contains("accredit-field--error"));
    assert_eq!(
        get(&host, &format!("#{expiry}"))
            .get_attribute("aria-describedby")
            .as_deref(),
        Some(format!("{expiry}-hint {expiry}-error").as_str())
    );
    let invalid =
        |part: &str| get(&host, &format!("#{expiry}-{part}")).get_attribute("aria-invalid");
    assert_eq!(invalid("year").as_deref(), Some("true"));
    assert_eq!(invalid("day"), None);
    assert_eq!(invalid("month"), None);
    // The summary's link goes to the year.
    let links = host
        .query_selector_all(".accredit-error-summary a")
        .unwrap();
    let link = (0..links.length())
        .map(|i| links.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|a| a.text_content().unwrap().contains("must include a year"))
        .expect("a summary entry for the expiry date");
    link.click();
    settle().await;
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some(format!("{expiry}-year"))
    );
    // A two-digit year, then a date that does not exist.
    type_into(&host, &format!("#{expiry}-year"), "31");
    settle().await;
    assert!(
        text(&host, &format!("#{expiry}-error")).contains("must include a year with 4 numbers"),
        "the message follows the answer"
    );
    type_into(&host, &format!("#{expiry}-day"), "31");
    type_into(&host, &format!("#{expiry}-year"), "2031");
    settle().await;
    assert!(
        text(&host, &format!("#{expiry}-error"))
            .contains("Passport expiry date must be a real date"),
        "31 April"
    );
    assert_eq!(invalid("day").as_deref(), Some("true"));
    assert_eq!(invalid("year"), None);
    // Fixed: the message goes.
    type_into(&host, &format!("#{expiry}-day"), "30");
    settle().await;
    assert!(find(&host, &format!("#{expiry}-error")).is_none());
}

#[wasm_bindgen_test]
async fn in_french_the_date_fields_and_their_errors_speak_french() {
    let host = mount_in("fr");
    wait_for(&host, ".accredit-body[lang='fr']").await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    choose(
        &host,
        &format!("#{p}-members-0-category"),
        "head_of_delegation",
    );
    settle().await;
    let dob = format!("{p}-members-0-date_of_birth");
    assert_eq!(
        text(&host, &format!("#{dob}-hint")),
        "Par exemple, 27 3 1980"
    );
    assert_eq!(label_of(&host, &format!("{dob}-day")), "Jour");
    assert_eq!(label_of(&host, &format!("{dob}-month")), "Mois");
    assert_eq!(label_of(&host, &format!("{dob}-year")), "Année");
    choose(
        &host,
        &format!("#{p}-members-0-identity_document-kind"),
        "passport",
    );
    let expiry = format!("{p}-members-0-identity_document-expires_on");
    type_into(&host, &format!("#{expiry}-day"), "25");
    type_into(&host, &format!("#{expiry}-month"), "4");
    type_into(&host, &format!("#{dob}-year"), "1975");
    click_button(&host, "Continuer");
    settle().await;
    settle().await;
    let summary = text(&host, ".accredit-error-summary");
    assert!(
        summary.contains("La date d'expiration du passeport doit comporter une année"),
        "{summary}"
    );
    assert!(
        summary.contains("La date de naissance doit comporter un jour et un mois"),
        "{summary}"
    );
    assert!(
        summary.contains("Membre 1"),
        "the entry names the member: {summary}"
    );
    let invalid = |id: &str| get(&host, &format!("#{id}")).get_attribute("aria-invalid");
    assert_eq!(invalid(&format!("{dob}-day")).as_deref(), Some("true"));
    assert_eq!(invalid(&format!("{dob}-month")).as_deref(), Some("true"));
    assert_eq!(invalid(&format!("{dob}-year")), None);
}

#[wasm_bindgen_test]
async fn a_stored_date_shows_in_its_three_fields() {
    let host = mount_managed(my_registration("pending", true, None));
    wait_for(&host, ".accredit-banner").await;
    let p = prefix(&host);
    click_button(&host, "Continue");
    settle().await;
    let first = get(&host, ".accredit-member");
    click_in(&first, "Change");
    settle().await;
    let value = |id: String| {
        get(&host, &format!("#{id}"))
            .unchecked_into::<HtmlInputElement>()
            .value()
    };
    let expiry = format!("{p}-members-0-identity_document-expires_on");
    assert_eq!(
        [
            value(format!("{expiry}-day")),
            value(format!("{expiry}-month")),
            value(format!("{expiry}-year"))
        ],
        ["31", "1", "2031"]
    );
    let dob = format!("{p}-members-0-date_of_birth");
    assert_eq!(
        [
            value(format!("{dob}-day")),
            value(format!("{dob}-month")),
            value(format!("{dob}-year"))
        ],
        ["5", "5", "1975"]
    );
}

#[wasm_bindgen_test]
async fn travel_dates_typed_in_three_fields_are_kept_as_iso_dates() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    click(&host, &format!("#{p}-members-0-visa_letter"));
    settle().await;
    let arrival = format!("{p}-members-0-arrival_date");
    type_into(&host, &format!("#{arrival}-day"), "19");
    type_into(&host, &format!("#{arrival}-month"), "04");
    // Arabic-Indic digits are read as the digits they are.
    type_into(&host, &format!("#{arrival}-year"), "٢٠٢٧");
    // A departure the day before: the model compares the two dates only
    // once it has read both, the Arabic-Indic year included.
    let departure = format!("{p}-members-0-departure_date");
    type_into(&host, &format!("#{departure}-day"), "18");
    type_into(&host, &format!("#{departure}-month"), "4");
    type_into(&host, &format!("#{departure}-year"), "2027");
    click_button(&host, "Continue");
    settle().await;
    settle().await;
    let message = text(&host, &format!("#{arrival}-error"));
    assert!(
        message.contains("The arrival date must be on or before the departure date"),
        "{message}"
    );
}

/// Mounts a widget on a device that holds `draft` under the demo event's key.
fn mount_with_draft(draft: &serde_json::Value) -> HtmlElement {
    clear_storage();
    let window = web_sys::window().unwrap();
    let local = window.local_storage().unwrap().unwrap();
    local
        .set_item("accredit:draft:islamabad-tip-som", &draft.to_string())
        .unwrap();
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_attribute("data-event", "islamabad-tip-som")
        .unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    accredit::mount_with_config(host.clone(), &demo_event_json()).unwrap();
    host
}

fn stored_draft() -> Option<String> {
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.get_item("accredit:draft:islamabad-tip-som").unwrap()
}

const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

fn draft_saved_days_ago(days: f64) -> serde_json::Value {
    serde_json::json!({
        "saved_at_ms": js_sys::Date::now() - days * DAY_MS,
        "answers": {
            "event": "islamabad-tip-som",
            "language": "en",
            "focal_point": {"given_names": "Shahida", "email": "shahida@example.org"}
        }
    })
}

#[wasm_bindgen_test]
async fn a_draft_keeps_neither_identity_nor_health_nor_travel_answers() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    let m = format!("{p}-members-0");
    choose(&host, &format!("#{m}-category"), "head_of_delegation");
    settle().await;
    choose(&host, &format!("#{m}-identity_document-kind"), "passport");
    type_into(
        &host,
        &format!("#{m}-identity_document-number"),
        "AB1234567",
    );
    type_into(&host, &format!("#{m}-date_of_birth-day"), "15");
    type_into(&host, &format!("#{m}-date_of_birth-month"), "3");
    type_into(&host, &format!("#{m}-date_of_birth-year"), "1972");
    click(&host, &format!("#{m}-visa_letter"));
    settle().await;
    type_into(&host, &format!("#{m}-arrival_date-day"), "19");
    type_into(&host, &format!("#{m}-arrival_date-month"), "4");
    type_into(&host, &format!("#{m}-arrival_date-year"), "2027");
    type_into(&host, &format!("#{m}-dietary"), "Halal");
    type_into(&host, &format!("#{m}-accessibility"), "Wheelchair user");
    // Typed last: once the name is in the draft, everything above had its
    // chance to be written too.
    type_into(&host, &format!("#{m}-given_names"), "Bashir");
    until("the draft with the member", || {
        stored_draft().is_some_and(|d| d.contains("Bashir"))
    })
    .await;
    let draft = stored_draft().unwrap();
    for secret in ["AB1234567", "1972", "2027-04-19", "Halal", "Wheelchair"] {
        assert!(!draft.contains(secret), "{secret} kept in {draft}");
    }
    assert!(draft.contains("\"visa_letter\":true"), "{draft}");
}

#[wasm_bindgen_test]
async fn a_restored_draft_says_what_was_not_kept() {
    let host = mount_with_draft(&draft_saved_days_ago(29.0));
    settle().await;
    let p = prefix(&host);
    let given: HtmlInputElement =
        get(&host, &format!("#{p}-focal_point-given_names")).unchecked_into();
    assert_eq!(given.value(), "Shahida");
    let notice = text(&host, ".accredit-notice");
    for phrase in [
        "We restored the answers you entered earlier on this device",
        "identity document numbers and dates of birth",
        "badge photos and the credentials letter",
        "arrival and departure dates",
        "dietary and accessibility requirements",
        "deleted after 30 days",
    ] {
        assert!(notice.contains(phrase), "{phrase:?} missing in {notice:?}");
    }
}

#[wasm_bindgen_test]
async fn a_draft_older_than_thirty_days_is_deleted_unread() {
    for stale in [
        draft_saved_days_ago(31.0),
        // Written before drafts carried their date: it may hold health data.
        draft_saved_days_ago(1.0)["answers"].clone(),
    ] {
        let host = mount_with_draft(&stale);
        settle().await;
        let p = prefix(&host);
        let given: HtmlInputElement =
            get(&host, &format!("#{p}-focal_point-given_names")).unchecked_into();
        assert_eq!(given.value(), "", "{stale}");
        assert!(find(&host, ".accredit-notice").is_none(), "{stale}");
        assert_eq!(stored_draft(), None, "{stale}");
        host.remove();
    }
}

#[wasm_bindgen_test]
async fn empty_choices_say_what_to_do_and_never_repeat_the_label() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    choose(
        &host,
        &format!("#{p}-members-0-category"),
        "head_of_delegation",
    );
    settle().await;
    let kind = format!("{p}-members-0-identity_document-kind");
    let first_option = |id: &str| text(&host, &format!("#{id} option"));
    assert_eq!(first_option(&kind), "Choose a document type");
    assert_eq!(
        first_option(&format!("{p}-members-0-category")),
        "Choose a category"
    );
    let selects = host.query_selector_all("select").unwrap();
    for i in 0..selects.length() {
        let select: Element = selects.item(i).unwrap().unchecked_into();
        let label = label_of(&host, &select.id());
        let empty = select
            .query_selector("option")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap();
        assert_ne!(label, empty, "#{} repeats its label", select.id());
    }
}

#[wasm_bindgen_test]
async fn adding_a_member_folds_the_complete_ones_and_focuses_the_new_one() {
    let host = mount();
    settle().await;
    let p = prefix(&host);
    to_the_roster(&host).await;
    // Member 1 complete (an observer needs no document), member 2 not.
    type_into(&host, &format!("#{p}-members-0-given_names"), "Ahsan");
    choose(&host, &format!("#{p}-members-0-category"), "observer");
    type_into(&host, &format!("#{p}-members-0-function"), "Director");
    type_into(
        &host,
        &format!("#{p}-members-0-institution"),
        "Ministry of Interior",
    );
    choose(&host, &format!("#{p}-members-0-nationality"), "PK");
    type_into(&host, &format!("#{p}-members-0-email"), "ahsan@example.org");
    click_button(&host, "Add a member");
    settle().await;
    settle().await;
    type_into(&host, &format!("#{p}-members-1-given_names"), "Bashir");
    assert!(
        find(&host, &format!("#{p}-members-0-given_names")).is_none(),
        "the complete member folds to its summary line"
    );
    let focused = document().active_element().unwrap();
    assert_eq!(
        focused.id(),
        format!("{p}-members-1-honorific"),
        "the new member's first field"
    );
    click_button(&host, "Add a member");
    settle().await;
    settle().await;
    assert!(
        find(&host, &format!("#{p}-members-1-given_names")).is_some(),
        "a member with something missing stays open"
    );
    assert_eq!(
        document().active_element().unwrap().id(),
        format!("{p}-members-2-honorific")
    );
    assert_eq!(count(&host, ".accredit-member__summary"), 1);
}
