//! The loop after submission, end to end: an organiser requests changes
//! with a note, the e-mail reaches a real SMTP server, its manage link
//! opens the widget with the note, member 2 is replaced, the organiser
//! sees the substitution and approves, and the approval e-mail arrives.
//! Once in English and once in Arabic (the registration's language: the
//! messages and the widget follow it).

use accredit_e2e::organiser_view::{org, press, press_when_shown, set, sign_in, wait_for_text};
use accredit_e2e::page::P;
use accredit_e2e::{Browser, TestServer, eventually, seed};
use accredit_test_support::{Mail, SmtpSink};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The widget's own words, from its catalogue (the oracle for what a
/// reader of that language sees).
fn widget_text(language: &str, key: &str) -> String {
    let path = format!(
        "{}/../../src/i18n/{language}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let catalogue: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    catalogue[key]
        .as_str()
        .unwrap_or_else(|| panic!("{language} has no {key}"))
        .to_owned()
}

/// The mail server's subject titles, from the server's catalogue.
fn mail_title(language: &str, key: &str) -> String {
    let path = format!(
        "{}/../../server/mail/{language}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let catalogue: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    catalogue[key].as_str().unwrap().to_owned()
}

async fn wait_for_mails(sink: &Arc<SmtpSink>, n: usize) -> Vec<Mail> {
    let sink = sink.clone();
    tokio::task::spawn_blocking(move || sink.wait_for(n, WAIT))
        .await
        .unwrap()
}

fn manage_token(mail: &Mail) -> String {
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.contains("#accredit-manage="))
        .unwrap_or_else(|| panic!("no manage link in {}", mail.text));
    link.rsplit("accredit-manage=")
        .next()
        .unwrap()
        .trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .to_owned()
}

async fn widget(b: &Browser, script: &str) -> Value {
    b.in_widget(script, vec![]).await
}

async fn the_loop(language: &str, note: &str) {
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(SmtpSink::start(dir.path()));
    let server = TestServer::start_with(
        accredit_e2e::env_path("ACCREDIT_DIST"),
        &["--smtp-url", &sink.url(), "--rate-limit", "off"],
    )
    .await;
    let mut payload = seed::registration(0, 2);
    payload["language"] = json!(language);
    let focal = payload["focal_point"]["email"].as_str().unwrap().to_owned();
    let before = payload["members"][1]["given_names"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, receipt) = seed::post(
        &reqwest::Client::new(),
        &server,
        "lifecycle-registration-1",
        &payload,
    )
    .await;
    assert_eq!(status, 201, "{receipt}");
    let reference = receipt["reference"].as_str().unwrap().to_owned();
    let received = wait_for_mails(&sink, 1).await;
    assert_eq!(received[0].to, std::slice::from_ref(&focal));
    assert!(received[0].subject.starts_with(&format!(
        "{reference} · {}",
        mail_title(language, "title.received")
    )));

    // 1. The organiser requests changes, with a note.
    let token = server.organiser_token();
    let b = Browser::start().await;
    b.client.goto(&server.url("/organiser.html")).await.unwrap();
    sign_in(&b, &token).await;
    press_when_shown(&b, "Delegations").await;
    press_when_shown(&b, "Review").await;
    wait_for_text(&b, "Audit trail").await;
    org(
        &b,
        "root.getElementById('org-decision-changes_requested').click();",
    )
    .await;
    set(&b, "org-note", note).await;
    press(&b, "Save decision").await;
    wait_for_text(&b, "Pending → Changes requested").await;

    // 2. The message arrives, in the registration's language, with the link.
    let mails = wait_for_mails(&sink, 2).await;
    let request = &mails[1];
    assert!(
        request.subject.starts_with(&format!(
            "{reference} · {}",
            mail_title(language, "title.changes_requested")
        )),
        "{}",
        request.subject
    );
    assert!(request.text.contains(note));
    assert_eq!(request.content_language.as_deref(), Some(language));
    let manage = manage_token(request);

    // 3. The link opens the widget on the host page, with the note; the
    // token leaves the address bar.
    b.client
        .goto(&server.url(&format!("/#accredit-manage={manage}")))
        .await
        .unwrap();
    let banner = b.text_of(".accredit-banner").await;
    assert!(banner.contains(note), "{banner}");
    assert!(banner.contains(&reference));
    let hash = widget(&b, "return location.hash;").await;
    assert_eq!(hash, "", "the token is removed from the address bar");
    let lang = widget(
        &b,
        "const body = root.querySelector('.accredit-body'); return body ? body.getAttribute('lang') : null;",
    )
    .await;
    assert_eq!(
        lang, language,
        "the widget speaks the registration's language"
    );
    b.assert_accessible(&format!("manage banner ({language})"))
        .await;

    // 4. Member 2 is replaced: same place, same category.
    b.press(&widget_text(language, "ui.continue")).await;
    // Stored members start folded; each offers "Replace this member".
    let replace = widget_text(language, "ui.member.replace");
    let buttons = eventually("the member cards", WAIT, || async {
        let found = b.find_all_in_widget(".accredit-member__replace").await;
        (found.len() == 2).then_some(found)
    })
    .await;
    assert_eq!(buttons.len(), 2, "both stored members can be replaced");
    assert_eq!(buttons[1].text().await.unwrap(), replace);
    buttons[1].click().await.unwrap();
    let p = |f: &str| format!("members[1].{f}");
    b.fill(&p("given_names"), "Farah").await;
    b.fill(&p("family_name"), "Qureshi").await;
    b.fill(&p("function"), "Deputy Director").await;
    let nationality = payload["members"][1]["nationality"]
        .as_str()
        .unwrap()
        .to_owned();
    b.choose(&p("nationality"), &nationality).await;
    b.fill(&p("email"), "f.qureshi@example.org").await;
    b.fill(&p("identity_document.number"), "QF7654321").await;
    b.choose(&p("identity_document.issuing_country"), &nationality)
        .await;
    b.set_date(
        &p("identity_document.expires_on"),
        &accredit_e2e::valid_expiry().to_string(),
    )
    .await;
    b.set_date(&p("date_of_birth"), "1980-02-14").await;
    b.press(&widget_text(language, "ui.continue")).await;
    b.text_of(".accredit-summary").await;
    let whole = b.text_of(".accredit").await;
    assert!(
        whole.contains(&widget_text(language, "ui.review.replaced")),
        "{whole}"
    );
    b.assert_accessible(&format!("check your answers, amended ({language})"))
        .await;
    b.press(&widget_text(language, "ui.submit.changes")).await;
    b.text_of(&format!("#{P}-done")).await;
    let amended = wait_for_mails(&sink, 3).await;
    assert!(amended[2].subject.starts_with(&format!(
        "{reference} · {}",
        mail_title(language, "title.amended")
    )));

    // 5. The organiser sees the substitution and approves.
    // Same tab: the organiser is still signed in.
    b.client.goto(&server.url("/organiser.html")).await.unwrap();
    press_when_shown(&b, "Delegations").await;
    wait_for_text(&b, "Amended").await;
    press_when_shown(&b, "Review").await;
    wait_for_text(&b, &before).await;
    wait_for_text(&b, "Farah Qureshi").await;
    wait_for_text(&b, "replaced by").await;
    org(&b, "root.getElementById('org-decision-approved').click();").await;
    press(&b, "Save decision").await;
    wait_for_text(&b, "Pending → Approved").await;

    // 6. The approval arrives.
    let mails = wait_for_mails(&sink, 4).await;
    let approval = &mails[3];
    assert_eq!(approval.to, [focal]);
    assert!(
        approval.subject.starts_with(&format!(
            "{reference} · {}",
            mail_title(language, "title.approved")
        )),
        "{}",
        approval.subject
    );
    assert!(
        approval.text.contains("Farah"),
        "the accredited members are listed"
    );
    for mail in &mails {
        assert!(
            !mail.raw.contains("QF7654321"),
            "no document number in any message"
        );
    }
    let stored = server.registrations().await;
    assert_eq!(stored[0]["status"], "approved");
    assert_eq!(stored[0]["version"], 2);
    assert_eq!(
        stored[0]["registration"]["members"][1]["category"],
        payload["members"][1]["category"]
    );
    assert_eq!(
        stored[0]["registration"]["members"][1]["identity_document"]["number"],
        "QF7654321"
    );
    assert_eq!(
        stored[0]["registration"]["members"][0]["identity_document"]["number"],
        payload["members"][0]["identity_document"]["number"],
        "the masked number of member 1 kept the stored one"
    );
    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegation_hears_back_amends_and_is_approved() {
    the_loop(
        "en",
        "Please replace the second delegate: the nomination changed.",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_loop_in_arabic() {
    the_loop("ar", "يرجى استبدال العضو الثاني في الوفد.").await;
}
