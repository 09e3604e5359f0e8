//! Reflow (WCAG 2.2, 1.4.10): in a window 320 CSS pixels wide no step of
//! the form scrolls sideways, and nothing in it reaches past either edge,
//! in English (left to right) or in Arabic (right to left). Screenshots of
//! every state are kept as evidence.

use accredit_e2e::Browser;
use accredit_e2e::page::{fill_accredited_member, fill_focal_point, open_demo};
use serde_json::Value;

const WIDTH: i64 = 320;

/// Fails with the elements that reach past the viewport's edges, if any,
/// and if the page can be scrolled sideways.
async fn assert_fits(b: &Browser, state: &str) {
    let found = b
        .in_widget(
            "const width = document.documentElement.clientWidth;
             const outside = [];
             for (const el of root.querySelectorAll('*')) {
               const r = el.getBoundingClientRect();
               if (r.width === 0 || r.height === 0) continue;
               if (r.right > width + 0.5 || r.left < -0.5) {
                 outside.push(`${el.tagName.toLowerCase()}#${el.id} .${el.getAttribute('class')} `
                   + `from ${Math.round(r.left)} to ${Math.round(r.right)}`);
               }
             }
             return {
               inner: window.innerWidth,
               width,
               scroll: document.documentElement.scrollWidth,
               outside: outside.slice(0, 12),
             };",
            vec![],
        )
        .await;
    assert_eq!(
        found["inner"], WIDTH,
        "{state}: the window is {WIDTH} px wide"
    );
    let width = found["width"].as_i64().unwrap();
    let scroll = found["scroll"].as_i64().unwrap();
    assert!(
        scroll <= width,
        "{state}: the page scrolls sideways ({scroll} px of content in {width} px)"
    );
    assert_eq!(
        found["outside"],
        Value::Array(vec![]),
        "{state}: elements past the edges of a {width} px viewport"
    );
    b.screenshot(&format!("narrow-{state}")).await;
}

/// The state in English, then in Arabic, then back in English to go on.
async fn assert_fits_both_ways(b: &Browser, state: &str) {
    assert_fits(b, &format!("{state}-en")).await;
    b.switch_language("ar").await;
    assert_fits(b, &format!("{state}-ar")).await;
    b.switch_language("en").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_step_scrolls_sideways_at_320_pixels_in_english_or_arabic() {
    let (_server, b) = open_demo().await;
    b.client
        .set_window_size(WIDTH as u32, 900)
        .await
        .expect("the window is resized");
    assert_fits_both_ways(&b, "step1").await;

    b.press("Continue").await;
    b.text_of(".accredit-error-summary").await;
    assert_fits_both_ways(&b, "step1-errors").await;

    b.choose("delegation.country", "PK").await;
    fill_focal_point(&b, "Ayesha", "Khan").await;
    b.continue_ok().await;
    assert_fits_both_ways(&b, "step2").await;

    // The widest member: document, dates in three fields, travel dates.
    fill_accredited_member(
        &b,
        0,
        ("Muhammad Imran", "Ahmed Chaudhry", "Imran Ahmed"),
        "head_of_delegation",
        "PK",
        "DP1234567",
        "imran.ahmed@mofa.example",
    )
    .await;
    b.check("members[0].visa_letter").await;
    // Travel on the event's first and last days, on the server's calendar.
    let today = accredit_server::clock::Clock::system().today();
    let event = accredit_model::demo::islamabad_tip_som_on(today);
    b.set_date("members[0].arrival_date", &event.starts_on.to_string())
        .await;
    b.set_date("members[0].departure_date", &event.ends_on.to_string())
        .await;
    assert_fits_both_ways(&b, "step2-member").await;

    // A second member: the first folds to its summary line.
    b.press("Add a member").await;
    b.field("members[1].given_names").await;
    b.press("Continue").await;
    b.text_of(".accredit-error-summary").await;
    assert_fits_both_ways(&b, "step2-errors").await;
    b.fill("members[1].given_names", "Sana").await;
    b.fill("members[1].family_name", "Mirza").await;
    b.choose("members[1].category", "observer").await;
    b.fill("members[1].function", "Adviser").await;
    b.fill("members[1].institution", "Ministry of Interior")
        .await;
    b.choose("members[1].nationality", "PK").await;
    b.fill("members[1].email", "sana.mirza@mofa.example").await;
    b.continue_ok().await;
    assert_fits_both_ways(&b, "review").await;
}
