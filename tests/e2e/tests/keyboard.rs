//! A whole registration with the keyboard only (Tab, Enter, Space and
//! typing), asserting where focus is after every step change and after every
//! error-summary link; then a 422 from the backend after "Submit": the
//! summary names the member, its link opens the step holding the field, and
//! the server's error stays on the field until the answer changes.

use accredit_e2e::page::{P, id, open_demo};
use accredit_e2e::{Browser, eventually};
use fantoccini::key::Key;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

fn key(k: Key) -> String {
    char::from(k).to_string()
}

/// Waits until the element with `expected` (an id) has focus; fails with
/// what has it instead and the text on screen.
async fn focus_is_on(b: &Browser, expected: &str, after: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let active = b.active_id().await;
        if active == expected {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            let screen = b.text_of(".accredit").await;
            panic!("after {after}, focus is on #{active:?}, not #{expected}; on screen: {screen}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The polite live region's text, once it says `expected`.
async fn announced(b: &Browser, expected: &str) {
    let region = format!("#{P}-announcement");
    eventually(&format!("the announcement {expected:?}"), WAIT, || async {
        let el = b.find_in_widget(&region).await?;
        let live = el.attr("aria-live").await.ok()??;
        let text = el.text().await.ok()?;
        (live == "polite" && text.trim() == expected).then_some(())
    })
    .await;
}

/// Types into the focused element, key by key.
async fn type_text(b: &Browser, text: &str) {
    b.keys(text).await;
}

/// Presses Tab once and Enter: the first link of the error summary, which
/// has focus.
async fn follow_first_summary_link(b: &Browser) {
    b.keys(&key(Key::Tab)).await;
    b.keys(&key(Key::Enter)).await;
}

async fn attr_of(b: &Browser, path: &str, name: &str) -> Option<String> {
    b.field(path).await.attr(name).await.unwrap()
}

/// A 422 from the backend for the first registration sent: the member's
/// e-mail address is refused. Later requests go to the real server.
async fn backend_refuses_the_first_email(b: &Browser) {
    b.client
        .execute(
            r#"const real = window.fetch.bind(window);
               let refused = false;
               window.fetch = (input, init) => {
                 const method = (init && init.method) || (input && input.method) || "GET";
                 const url = new URL(typeof input === "string" ? input : input.url, location.href);
                 if (!refused && method === "POST" && url.pathname.endsWith("/registrations")) {
                   refused = true;
                   const body = {
                     type: "urn:accredit:problem:validation.failed", title: "Unprocessable Entity",
                     status: 422, code: "validation.failed", detail: "The registration has errors",
                     errors: [{ path: "members[0].email", code: "email.invalid", params: {},
                                message: "Enter an email address in the correct format, like name@example.org" }],
                   };
                   return Promise.resolve(new Response(JSON.stringify(body),
                     { status: 422, headers: { "Content-Type": "application/problem+json" } }));
                 }
                 return real(input, init);
               };"#,
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn focus_follows_every_step_and_every_summary_link() {
    let (server, b) = open_demo().await;
    let tab = key(Key::Tab);

    // Step 1, nothing answered: the summary takes focus, its first link
    // goes to the country.
    b.tab_to_button("Continue", 60).await;
    focus_is_on(
        &b,
        &format!("{P}-error-summary"),
        "Continue on an empty step 1",
    )
    .await;
    follow_first_summary_link(&b).await;
    focus_is_on(&b, &id("delegation.country"), "the first summary link").await;
    type_text(&b, "PK").await;
    b.keys(&tab).await;
    b.tab_to(&id("focal_point.given_names"), 20).await;
    type_text(&b, "Shahida").await;
    b.tab_to(&id("focal_point.email"), 10).await;
    type_text(&b, "shahida@example.org").await;
    b.tab_to(&id("focal_point.phone"), 10).await;
    type_text(&b, "+92 51 920 1234").await;

    // Step 1 → 2: the roster's heading, announced once.
    b.tab_to_button("Continue", 20).await;
    focus_is_on(&b, &format!("{P}-members"), "Continue on step 1").await;
    announced(&b, "Step 2 of 3: Delegation members").await;

    // Back to step 1 and forward again: the same, each way.
    b.tab_to_button("Back", 80).await;
    focus_is_on(&b, &format!("{P}-delegation-heading"), "Back on step 2").await;
    announced(&b, "Step 1 of 3: Your delegation").await;
    b.tab_to_button("Continue", 60).await;
    focus_is_on(&b, &format!("{P}-members"), "Continue on step 1 again").await;

    // Step 2, nothing answered: the summary. Its first entry (a Member
    // State needs a head of delegation) goes to the roster's heading, the
    // second to the member's given names.
    b.tab_to_button("Continue", 80).await;
    focus_is_on(
        &b,
        &format!("{P}-error-summary"),
        "Continue on an empty step 2",
    )
    .await;
    follow_first_summary_link(&b).await;
    focus_is_on(
        &b,
        &format!("{P}-members"),
        "the summary link about the roster",
    )
    .await;
    b.tab_to_button("Continue", 80).await;
    focus_is_on(
        &b,
        &format!("{P}-error-summary"),
        "Continue on step 2 again",
    )
    .await;
    b.keys(&tab).await;
    follow_first_summary_link(&b).await;
    focus_is_on(
        &b,
        &id("members[0].given_names"),
        "the summary link to the given names",
    )
    .await;
    type_text(&b, "Mahdi").await;
    b.tab_to(&id("members[0].family_name"), 5).await;
    type_text(&b, "Hosseinzadeh").await;
    // A closed drop-down list chooses by typing.
    b.tab_to(&id("members[0].category"), 10).await;
    type_text(&b, "Head").await;
    eventually("Head of Delegation chosen by typing", WAIT, || async {
        let value = b
            .field("members[0].category")
            .await
            .prop("value")
            .await
            .ok()??;
        (value == "head_of_delegation").then_some(())
    })
    .await;
    b.tab_to(&id("members[0].function"), 5).await;
    type_text(&b, "Researcher").await;
    b.tab_to(&id("members[0].institution"), 5).await;
    type_text(&b, "University of Tehran").await;
    b.tab_to(&id("members[0].nationality"), 5).await;
    type_text(&b, "IR").await;
    b.keys(&tab).await;
    b.tab_to(&id("members[0].email"), 10).await;
    type_text(&b, "mahdi@example.org").await;
    // The identity document, and dates typed as day, month and year.
    b.tab_to(&id("members[0].identity_document.kind"), 10).await;
    type_text(&b, "Pass").await;
    b.tab_to(&id("members[0].identity_document.number"), 5)
        .await;
    type_text(&b, "AB1234567").await;
    b.tab_to(&id("members[0].identity_document.issuing_country"), 5)
        .await;
    type_text(&b, "IR").await;
    b.keys(&tab).await;
    let expiry_year = accredit_e2e::valid_expiry().year().to_string();
    for (path, day, month, year) in [
        (
            "members[0].identity_document.expires_on",
            "1",
            "5",
            expiry_year.as_str(),
        ),
        ("members[0].date_of_birth", "15", "3", "1972"),
    ] {
        b.tab_to(&id(&format!("{path}.day")), 10).await;
        type_text(&b, day).await;
        b.keys(&tab).await;
        focus_is_on(&b, &id(&format!("{path}.month")), "Tab from the day").await;
        type_text(&b, month).await;
        b.keys(&tab).await;
        focus_is_on(&b, &id(&format!("{path}.year")), "Tab from the month").await;
        type_text(&b, year).await;
    }
    b.screenshot("date-inputs").await;

    // Step 2 → 3.
    b.tab_to_button("Continue", 80).await;
    focus_is_on(&b, &format!("{P}-review-heading"), "Continue on step 2").await;
    announced(&b, "Step 3 of 3: Check your answers").await;
    // Back and forward.
    b.tab_to_button("Back", 120).await;
    focus_is_on(&b, &format!("{P}-members"), "Back on step 3").await;
    announced(&b, "Step 2 of 3: Delegation members").await;
    b.tab_to_button("Continue", 120).await;
    focus_is_on(
        &b,
        &format!("{P}-review-heading"),
        "Continue on step 2 again",
    )
    .await;

    // Submit; the backend refuses the member's e-mail address.
    backend_refuses_the_first_email(&b).await;
    b.tab_to(&id("consent.data_processing"), 120).await;
    b.keys(" ").await;
    b.tab_to_button("Submit the registration", 20).await;
    focus_is_on(&b, &format!("{P}-error-summary"), "the 422 after Submit").await;
    let summary = b.text_of(".accredit-error-summary").await;
    assert!(
        summary.contains(
            "Member 1, Mahdi Hosseinzadeh: Enter an email address in the correct format, like name@example.org"
        ),
        "the entry names the member: {summary}"
    );
    b.assert_accessible("server errors on Check your answers")
        .await;

    // Its link opens step 2 and focuses the field, which shows the error.
    follow_first_summary_link(&b).await;
    focus_is_on(&b, &id("members[0].email"), "the summary link to step 2").await;
    announced(&b, "Step 2 of 3: Delegation members").await;
    assert_eq!(
        attr_of(&b, "members[0].email", "aria-invalid")
            .await
            .as_deref(),
        Some("true")
    );
    let inline = b
        .text_of(&format!("#{}-error", id("members[0].email")))
        .await;
    assert!(inline.contains("in the correct format"), "{inline}");
    b.screenshot("server-error-on-its-field").await;

    // Going back and forth keeps the server's error on its field…
    b.tab_to_button("Back", 80).await;
    focus_is_on(&b, &format!("{P}-delegation-heading"), "Back to step 1").await;
    b.tab_to_button("Continue", 60).await;
    focus_is_on(&b, &format!("{P}-members"), "Continue to step 2").await;
    assert_eq!(
        attr_of(&b, "members[0].email", "aria-invalid")
            .await
            .as_deref(),
        Some("true"),
        "the server's error stays until the answer changes"
    );
    // …and Continue does not leave it behind.
    b.tab_to_button("Continue", 80).await;
    focus_is_on(
        &b,
        &format!("{P}-error-summary"),
        "Continue with the refused answer",
    )
    .await;

    // A new answer clears it.
    b.tab_to(&id("members[0].email"), 80).await;
    // Tab selects the whole address: End, then replace its last three letters.
    b.keys(&key(Key::End)).await;
    b.keys(&key(Key::Backspace).repeat(3)).await;
    type_text(&b, "net").await;
    eventually("the server's error to go", WAIT, || async {
        (attr_of(&b, "members[0].email", "aria-invalid")
            .await
            .is_none())
        .then_some(())
    })
    .await;
    b.tab_to_button("Continue", 80).await;
    focus_is_on(&b, &format!("{P}-review-heading"), "Continue after the fix").await;
    b.tab_to_button("Submit the registration", 120).await;
    let reference = b.text_of(".accredit-reference").await;
    assert!(reference.starts_with("ISL-"), "{reference}");
    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0]["registration"]["members"][0]["email"], "mahdi@example.net",
        "the corrected address is the one stored"
    );
    let member = &stored[0]["registration"]["members"][0];
    assert_eq!(member["date_of_birth"], "1972-03-15", "sent as ISO 8601");
    assert_eq!(
        member["identity_document"]["expires_on"],
        accredit_e2e::valid_expiry().to_string()
    );
    b.assert_accessible("confirmation after a keyboard-only run")
        .await;
    b.close().await;
}
