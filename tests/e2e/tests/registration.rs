//! A focal point registers a delegation in headless Chromium against the
//! real server: names in Arabic and Thai script stored exactly as typed,
//! errors summarised with focus, a server outage survived without a
//! duplicate, a draft restored without sensitive fields, a run done with the
//! keyboard alone, and axe-core clean in every state.

use accredit_e2e::lossy_proxy::LossyProxy;
use accredit_e2e::page::{fill_accredited_member, fill_focal_point, id, open_demo};
use accredit_e2e::{Browser, TestServer, eventually};
use fantoccini::key::Key;
use std::time::Duration;

fn key(k: Key) -> String {
    char::from(k).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegation_with_arabic_and_thai_names_is_stored_exactly_as_typed() {
    let (server, b) = open_demo().await;
    b.assert_accessible("empty form").await;

    // Nothing typed yet: the summary lists the problems and takes focus.
    b.press("Continue").await;
    b.text_of(".accredit-error-summary").await;
    assert_eq!(
        b.active_id().await,
        format!("{}-error-summary", accredit_e2e::page::P)
    );
    b.assert_accessible("errors shown").await;

    b.choose("delegation.country", "KW").await;
    fill_focal_point(&b, "فاطمة", "العلي").await;
    b.continue_ok().await;

    fill_accredited_member(
        &b,
        0,
        ("عبد الله", "الصباح", "Abdullah Al-Sabah"),
        "head_of_delegation",
        "KW",
        "K1234567",
        "abdullah@mofa.example",
    )
    .await;
    b.press("Add a member").await;
    fill_accredited_member(
        &b,
        1,
        ("สมชาย", "ใจดี", "Somchai Jaidee"),
        "delegate",
        "TH",
        "AA9876543",
        "somchai@mfa.example",
    )
    .await;
    b.press("Add a member").await;
    b.fill("members[2].given_names", "María José").await;
    b.fill("members[2].family_name", "Núñez García").await;
    b.choose("members[2].category", "observer").await;
    b.fill("members[2].function", "Adviser").await;
    b.fill("members[2].institution", "Embassy of Spain").await;
    b.choose("members[2].nationality", "ES").await;
    b.fill("members[2].email", "maria.nunez@maec.example").await;
    b.continue_ok().await;

    b.text_of(".accredit-summary").await;
    let review = b.text_of(".accredit").await;
    // Everything is on the review, dates in the reader's format.
    let expiry = accredit_e2e::english_date(accredit_e2e::valid_expiry());
    for name in [
        "عبد الله",
        "สมชาย",
        "María José",
        "Somchai Jaidee",
        "Passport",
        expiry.as_str(),
        "15 March 1972",
    ] {
        assert!(review.contains(name), "the review shows {name}");
    }
    b.assert_accessible("review").await;
    b.check("consent.data_processing").await;
    b.press("Submit the registration").await;

    let reference = b.text_of(".accredit-reference").await;
    assert!(
        reference.starts_with("ISL-"),
        "a human-friendly reference, got {reference}"
    );
    b.assert_accessible("success").await;
    b.screenshot("registration-success").await;

    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1, "exactly one registration");
    let r = &stored[0]["registration"];
    assert_eq!(stored[0]["reference"], reference.as_str());
    assert_eq!(r["delegation"]["country"], "KW");
    assert_eq!(r["focal_point"]["given_names"], "فاطمة");
    assert_eq!(r["focal_point"]["family_name"], "العلي");
    let members = r["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0]["given_names"], "عبد الله");
    assert_eq!(members[0]["family_name"], "الصباح");
    assert_eq!(members[0]["badge_name"], "Abdullah Al-Sabah");
    assert_eq!(members[0]["category"], "head_of_delegation");
    assert_eq!(members[0]["identity_document"]["number"], "K1234567");
    assert_eq!(
        members[0]["identity_document"]["expires_on"],
        accredit_e2e::valid_expiry().to_string()
    );
    assert_eq!(members[0]["date_of_birth"], "1972-03-15");
    assert_eq!(members[1]["given_names"], "สมชาย");
    assert_eq!(members[1]["family_name"], "ใจดี");
    assert_eq!(members[1]["badge_name"], "Somchai Jaidee");
    assert_eq!(members[2]["given_names"], "María José");
    assert_eq!(members[2]["family_name"], "Núñez García");
    assert_eq!(r["consent"]["data_processing"], true);

    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    b.close().await;
}

/// Fills a small valid NGO delegation and stops on the review step.
async fn fill_ngo_delegation(b: &Browser) {
    b.check("delegation.kind-ngo").await;
    b.fill("delegation.organisation", "Sahil Foundation").await;
    fill_focal_point(b, "Shahida", "Gilani").await;
    b.continue_ok().await;
    b.fill("members[0].given_names", "Ahsan").await;
    b.fill("members[0].family_name", "Iqbal").await;
    b.choose("members[0].category", "observer").await;
    b.fill("members[0].function", "Programme Officer").await;
    b.fill("members[0].institution", "Sahil Foundation").await;
    b.choose("members[0].nationality", "PK").await;
    b.fill("members[0].email", "ahsan@sahil.example").await;
    b.continue_ok().await;
    b.check("consent.data_processing").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_outage_try_again_registers_exactly_once() {
    let (mut server, b) = open_demo().await;
    fill_ngo_delegation(&b).await;

    server.stop().await;
    b.press("Submit the registration").await;
    // Every retry fails; the widget says so and keeps the answers.
    let alert = b.text_of(".accredit-alert").await;
    assert!(alert.contains("did not answer"), "got {alert:?}");
    assert!(b.text_of(".accredit").await.contains("Sahil Foundation"));

    server.restart().await;
    b.press("Try again").await;
    let reference = b.text_of(".accredit-reference").await;
    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1, "one registration after the outage");
    assert_eq!(stored[0]["reference"], reference.as_str());
    b.close().await;
}

/// Counts the page's POSTs to `/registrations`: started, and answered.
async fn count_registration_posts(b: &Browser) {
    b.client
        .execute(
            r#"window.__posts = { started: 0, settled: 0 };
               const real = window.fetch.bind(window);
               window.fetch = (input, init) => {
                 const method = (init && init.method) || (input && input.method) || "GET";
                 const url = new URL(typeof input === "string" ? input : input.url, location.href);
                 if (method !== "POST" || !url.pathname.endsWith("/registrations")) return real(input, init);
                 window.__posts.started += 1;
                 return real(input, init).finally(() => { window.__posts.settled += 1; });
               };"#,
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_double_click_on_submit_registers_once() {
    let (server, b) = open_demo().await;
    fill_ngo_delegation(&b).await;
    count_registration_posts(&b).await;
    b.in_widget(
        "const b = [...root.querySelectorAll('button')].find(b => b.textContent.includes('Submit the registration'));
         b.click(); b.click(); b.click();",
        vec![],
    )
    .await;
    b.text_of(".accredit-reference").await;
    // The reference can show before a second request lands: wait until
    // every POST the page made has been answered, then count.
    let posts = eventually("every POST answered", Duration::from_secs(20), || async {
        let posts = b
            .client
            .execute(
                "return [window.__posts.started, window.__posts.settled];",
                vec![],
            )
            .await
            .ok()?;
        (posts[0].as_u64()? >= 1 && posts[0] == posts[1]).then_some(posts)
    })
    .await;
    assert_eq!(
        server.registrations().await.len(),
        1,
        "one registration after {posts} POSTs (started, answered)"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_restores_the_draft_without_sensitive_fields() {
    let (server, b) = open_demo().await;
    b.choose("delegation.country", "PK").await;
    fill_focal_point(&b, "Shahida", "Gilani").await;
    b.continue_ok().await;
    fill_accredited_member(
        &b,
        0,
        ("Bashir", "Ahmed", ""),
        "head_of_delegation",
        "PK",
        "AB1234567",
        "bashir@fia.example",
    )
    .await;
    // The draft is written a moment after the last change: wait for it.
    eventually(
        "the draft with the member",
        Duration::from_secs(20),
        || async {
            let draft = b
                .client
                .execute(
                    "return localStorage.getItem('accredit:draft:islamabad-tip-som') || '';",
                    vec![],
                )
                .await
                .ok()?;
            draft.as_str()?.contains("Bashir").then_some(())
        },
    )
    .await;
    b.client.refresh().await.unwrap();

    let notice = b.text_of(".accredit-notice").await;
    assert!(notice.contains("We restored"), "got {notice:?}");
    let given = b.field("focal_point.given_names").await;
    assert_eq!(
        given.prop("value").await.unwrap().as_deref(),
        Some("Shahida")
    );
    b.continue_ok().await;
    let member = b.field("members[0].given_names").await;
    assert_eq!(
        member.prop("value").await.unwrap().as_deref(),
        Some("Bashir")
    );
    let number = b.field("members[0].identity_document.number").await;
    assert_eq!(
        number.prop("value").await.unwrap().as_deref(),
        Some(""),
        "document number not kept"
    );
    let dob = b.field("members[0].date_of_birth.year").await;
    assert_eq!(
        dob.prop("value").await.unwrap().as_deref(),
        Some(""),
        "date of birth not kept"
    );
    let stored = b
        .client
        .execute(
            "return localStorage.getItem('accredit:draft:islamabad-tip-som');",
            vec![],
        )
        .await
        .unwrap();
    let stored = stored.as_str().unwrap_or_default();
    assert!(
        stored.contains("Bashir")
            && !stored.contains("AB1234567")
            && !stored.contains("1972-03-15")
    );
    drop(server);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_registration_can_be_completed_with_the_keyboard_alone() {
    let (server, b) = open_demo().await;
    let tab = key(Key::Tab);

    // The checked radio takes focus; arrows move the choice.
    b.tab_to(&id("delegation.kind-member_state"), 10).await;
    b.keys(&key(Key::Down).repeat(4)).await;
    b.tab_to(&id("delegation.organisation"), 3).await;
    b.keys("Sahil Foundation").await;
    b.tab_to(&id("focal_point.given_names"), 3).await;
    b.keys("Shahida").await;
    b.keys(&tab).await;
    b.keys("Gilani").await;
    b.keys(&tab).await;
    b.keys("shahida@sahil.example").await;
    b.keys(&tab).await;
    b.keys("+92 51 920 1234").await;
    b.tab_to_button("Continue", 3).await;

    b.tab_to(&id("members[0].given_names"), 10).await;
    b.keys("Ahsan").await;
    b.tab_to(&id("members[0].category"), 6).await;
    b.keys("Observer").await;
    b.tab_to(&id("members[0].function"), 3).await;
    b.keys("Programme Officer").await;
    b.keys(&tab).await;
    b.keys("Sahil Foundation").await;
    b.keys(&tab).await;
    b.keys("Pakistan").await;
    b.tab_to(&id("members[0].email"), 3).await;
    b.keys("ahsan@sahil.example").await;
    b.tab_to_button("Continue", 40).await;

    b.tab_to(&id("consent.data_processing"), 60).await;
    b.keys(" ").await;
    b.tab_to_button("Submit the registration", 10).await;
    let reference = b.text_of(".accredit-reference").await;
    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["reference"], reference.as_str());
    assert_eq!(
        stored[0]["registration"]["members"][0]["category"],
        "observer"
    );
    assert_eq!(stored[0]["registration"]["members"][0]["nationality"], "PK");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_badge_photo_is_checked_then_uploaded_with_the_registration() {
    let (server, b) = open_demo().await;
    b.check("delegation.kind-ngo").await;
    b.fill("delegation.organisation", "Sahil Foundation").await;
    fill_focal_point(&b, "Shahida", "Gilani").await;
    b.continue_ok().await;

    // Landscape, then too small: refused in the browser, nothing uploaded.
    b.choose_png("members[0].photo", 800, 600).await;
    let error = b
        .text_of(&format!("#{}-error", id("members[0].photo")))
        .await;
    assert!(error.contains("portrait"), "got {error:?}");
    b.choose_png("members[0].photo", 300, 400).await;
    let error = b
        .text_of(&format!("#{}-error", id("members[0].photo")))
        .await;
    assert!(error.contains("400 × 500"), "got {error:?}");

    b.choose_png("members[0].photo", 600, 800).await;
    let status = b.text_of(".accredit-upload__done").await;
    assert!(status.contains("badge-photo.png"), "got {status:?}");
    assert!(
        b.exists(".accredit-photo-preview").await,
        "a preview is shown"
    );

    b.fill("members[0].given_names", "Ahsan").await;
    b.choose("members[0].category", "observer").await;
    b.fill("members[0].function", "Programme Officer").await;
    b.fill("members[0].institution", "Sahil Foundation").await;
    b.choose("members[0].nationality", "PK").await;
    b.fill("members[0].email", "ahsan@sahil.example").await;
    b.continue_ok().await;
    b.check("consent.data_processing").await;
    b.press("Submit the registration").await;
    b.text_of(".accredit-reference").await;

    let stored = server.registrations().await;
    let photo = stored[0]["registration"]["members"][0]["photo"]
        .as_str()
        .expect("the registration references the photo")
        .to_string();
    let token = server.organiser_token();
    let res = reqwest::Client::new()
        .get(server.url(&format!(
            "/api/v1/events/{}/attachments/{photo}",
            accredit_e2e::EVENT
        )))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "the stored file is the PNG");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn past_the_upload_quota_the_photo_is_refused_in_words_and_the_answers_stay() {
    // The smallest quota the server takes (the demo event's file limit):
    // one noisy photo of about 3.6 MB fits, a second one does not.
    let server = TestServer::start_with(
        accredit_e2e::env_path("ACCREDIT_DIST"),
        &["--upload-quota", "5MB"],
    )
    .await;
    let b = Browser::start().await;
    b.client.goto(&server.url("/")).await.unwrap();
    b.field("delegation.kind").await;
    b.check("delegation.kind-ngo").await;
    b.fill("delegation.organisation", "Sahil Foundation").await;
    fill_focal_point(&b, "Shahida", "Gilani").await;
    b.continue_ok().await;
    b.fill("members[0].given_names", "Ahsan").await;

    b.choose_noisy_png("members[0].photo", 1000, 1250).await;
    let status = b.text_of(".accredit-upload__done").await;
    assert!(
        status.contains("badge-photo.png"),
        "the first photo is stored: {status:?}"
    );
    b.choose_noisy_png("members[0].photo", 1000, 1250).await;
    let error = b
        .text_of(&format!("#{}-error", id("members[0].photo")))
        .await;
    assert!(
        error.contains("no more files from this connection"),
        "the limit is named: {error:?}"
    );
    let given = b.field("members[0].given_names").await;
    assert_eq!(
        given.prop("value").await.unwrap().as_deref(),
        Some("Ahsan"),
        "the answers stay"
    );
    b.close().await;
}

/// The real server behind a proxy that can lose its answers, and a
/// browser on the demo page through that proxy, the NGO delegation filled
/// up to the review.
async fn behind_a_lossy_network() -> (TestServer, LossyProxy, Browser) {
    let server = TestServer::start().await;
    let proxy = LossyProxy::start(server.addr).await;
    let b = Browser::start().await;
    b.client.goto(&proxy.url("/")).await.unwrap();
    b.field("delegation.kind").await;
    fill_ngo_delegation(&b).await;
    (server, proxy, b)
}

/// Submits while answers are lost: the server stores the registration,
/// the browser hears nothing and says so. Returns the stored reference.
async fn submit_and_lose_the_answer(
    server: &TestServer,
    proxy: &LossyProxy,
    b: &Browser,
) -> String {
    proxy.lose_answers(true);
    b.press("Submit the registration").await;
    let alert = b.text_of(".accredit-alert").await;
    assert!(alert.contains("did not answer"), "got {alert:?}");
    assert!(
        proxy.answers_lost() >= 1,
        "an answer was lost on the way back"
    );
    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1, "the request itself reached the server");
    proxy.lose_answers(false);
    stored[0]["reference"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_with_the_registration_in_flight_loses_nothing_and_stores_one() {
    let (mut server, proxy, b) = behind_a_lossy_network().await;
    proxy.hold_requests(true);
    b.press("Submit the registration").await;
    // The server is reading the request (its key claimed) when it dies.
    eventually(
        "the registration in flight",
        Duration::from_secs(20),
        || async { (proxy.requests_held() >= 1).then_some(()) },
    )
    .await;
    server.stop().await;
    proxy.hold_requests(false);
    let alert = b.text_of(".accredit-alert").await;
    assert!(alert.contains("did not answer"), "got {alert:?}");
    assert!(b.text_of(".accredit").await.contains("Sahil Foundation"));

    server.restart().await;
    assert!(
        server.registrations().await.is_empty(),
        "nothing half-stored"
    );
    b.press("Try again").await;
    let reference = b.text_of(".accredit-reference").await;
    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1, "one registration after the crash");
    assert_eq!(stored[0]["reference"], reference.as_str());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_lost_on_the_way_back_is_recovered_by_try_again_once() {
    let (server, proxy, b) = behind_a_lossy_network().await;
    let stored = submit_and_lose_the_answer(&server, &proxy, &b).await;
    assert!(b.text_of(".accredit").await.contains("Sahil Foundation"));

    // Same key, same answers: the server replays its first answer.
    b.press("Try again").await;
    let reference = b.text_of(".accredit-reference").await;
    assert_eq!(reference, stored, "the registration the server already had");
    assert_eq!(server.registrations().await.len(), 1, "one registration");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn changed_answers_after_a_lost_response_are_not_registered_twice() {
    let (server, proxy, b) = behind_a_lossy_network().await;
    let stored = submit_and_lose_the_answer(&server, &proxy, &b).await;

    // The focal point goes back and changes a phone number, then submits.
    b.press("Back").await;
    b.press("Back").await;
    b.fill("focal_point.phone", "+92 300 765 4321").await;
    b.continue_ok().await;
    b.continue_ok().await;
    b.press("Submit the registration").await;
    let alert = b.text_of(".accredit-alert").await;
    assert!(
        alert.contains("already received") && alert.contains(&stored),
        "the user learns the registration exists: {alert:?}"
    );
    let registrations = server.registrations().await;
    assert_eq!(registrations.len(), 1, "nothing sent twice");
    assert_eq!(
        registrations[0]["registration"]["focal_point"]["phone"], "+965 2222 3333",
        "the first answers stand"
    );
    b.close().await;
}
