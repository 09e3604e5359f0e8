//! Messages through a real SMTP server (aiosmtpd), read back with an
//! independent parser: in the registration's language, with the manage
//! link, never with document numbers.

use super::common::*;
use accredit_model::api::{MyRegistration, Receipt, RegistrationDetail};
use accredit_test_support::{Mail, SmtpSink};
use serde_json::{Value, json};
use std::time::Duration;

// The tests run on two workers: one waits for the SMTP sink (blocking),
// the other runs the server and its sender.
const WAIT: Duration = Duration::from_secs(30);

async fn mail_server(sink: &SmtpSink) -> TestServer {
    let url = sink.url();
    TestServer::with(move |s| {
        s.smtp_url = Some(url);
        s.mail_from = "UNODC Accreditation <accreditation@unodc.example>".into();
        s.mail_retry_secs = 1;
    })
    .await
}

fn to(mails: &[Mail], address: &str) -> Vec<Mail> {
    mails
        .iter()
        .filter(|m| m.to.iter().any(|t| t == address))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_is_acknowledged_in_its_language_with_its_link() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(dir.path());
    let server = mail_server(&sink).await;

    let english: Receipt = server.register(&registration()).await.json().await.unwrap();
    let mut french_body = registration();
    french_body["language"] = json!("fr");
    french_body["focal_point"]["email"] = json!("c.dupont@example.fr");
    french_body["members"][0]["identity_document"]["number"] = json!("FR9876543");
    let french: Receipt = server.register(&french_body).await.json().await.unwrap();

    let mails = sink.wait_for(2, WAIT);
    let en = &to(&mails, "a.khan@example.pk")[0];
    assert!(
        en.subject
            .starts_with(&format!("{} · Registration received", english.reference))
    );
    assert!(
        en.text.contains(english.manage_link.as_deref().unwrap()),
        "{}",
        en.text
    );
    assert!(en.html.contains("<html"), "an HTML alternative");
    assert!(
        en.message_id.ends_with("@unodc.example"),
        "{}",
        en.message_id
    );
    assert_eq!(en.content_language.as_deref(), Some("en"));
    assert!(
        !en.raw.contains("DP1234567"),
        "no document number in a message"
    );

    let fr = &to(&mails, "c.dupont@example.fr")[0];
    assert!(
        fr.subject
            .starts_with(&format!("{} · Inscription reçue", french.reference)),
        "{}",
        fr.subject
    );
    assert_eq!(fr.content_language.as_deref(), Some("fr"));
    assert!(fr.text.contains(french.manage_link.as_deref().unwrap()));
    assert!(!fr.raw.contains("FR9876543"));
    assert_ne!(en.message_id, fr.message_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_amendments_and_withdrawals_reach_the_focal_point() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(dir.path());
    let server = mail_server(&sink).await;
    let organiser = server.token();
    let mut body = registration();
    body["language"] = json!("ar");
    let receipt: Receipt = server.register(&body).await.json().await.unwrap();
    let token = receipt.manage_token.clone().unwrap();
    sink.wait_for(1, WAIT);

    let response = server
        .client
        .patch(server.event_url(&format!("/registrations/{}", receipt.id)))
        .bearer_auth(&organiser)
        .json(&json!({"status": "changes_requested", "note": "يرجى إضافة مستشار.", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mails = sink.wait_for(2, WAIT);
    let request = &mails[1];
    assert!(
        request
            .subject
            .starts_with(&format!("{} · مطلوب إدخال تعديلات", receipt.reference)),
        "{}",
        request.subject
    );
    assert!(request.text.contains("يرجى إضافة مستشار."));
    assert!(
        request.text.contains(&token),
        "the link comes with the request"
    );
    assert!(request.html.contains("dir=\"rtl\""));
    assert_eq!(request.content_language.as_deref(), Some("ar"));

    // The focal point amends: a message says what changed.
    let mine: MyRegistration = server
        .client
        .get(server.event_url("/my-registration"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut amended = serde_json::to_value(&mine.registration).unwrap();
    amended["members"][0]["function"] = json!("Director General");
    let response = server
        .client
        .put(server.event_url("/my-registration"))
        .bearer_auth(&token)
        .header("if-match", "\"1\"")
        .header("idempotency-key", new_key())
        .json(&amended)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mails = sink.wait_for(3, WAIT);
    assert!(
        mails[2]
            .subject
            .starts_with(&format!("{} · تم استلام التعديل", receipt.reference))
    );

    let response = server
        .client
        .delete(server.event_url("/my-registration"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mails = sink.wait_for(4, WAIT);
    assert!(
        mails[3]
            .subject
            .starts_with(&format!("{} · تم سحب التسجيل", receipt.reference))
    );

    // The organiser sees every message and its delivery. The sink has the
    // last message as soon as the SMTP exchange ends; the outbox records
    // it as sent a moment later, so wait for that.
    let expected = [
        json!(["received", "sent"]),
        json!(["changes_requested", "sent"]),
        json!(["amended", "sent"]),
        json!(["withdrawn", "sent"]),
    ];
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let detail: RegistrationDetail = server
            .get_as(&organiser, &format!("/registrations/{}", receipt.id))
            .await
            .json()
            .await
            .unwrap();
        let deliveries: Vec<Value> = detail
            .messages
            .iter()
            .map(|m| json!([m.kind, m.delivery]))
            .collect();
        if deliveries == expected {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox never recorded every delivery: {deliveries:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for mail in &mails {
        assert!(!mail.raw.contains("DP1234567"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_get_their_own_accreditation_when_the_event_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(dir.path());
    let url = sink.url();
    let mut events = accredit_server::events::demo();
    events.get_mut(EVENT).unwrap().notify_members = true;
    let server = TestServer::with(move |s| {
        s.smtp_url = Some(url);
        s.events = events;
    })
    .await;
    let organiser = server.token();
    let body = delegation(
        "PK",
        vec![
            member("head_of_delegation", "Imran", "Ahmed", "DP1234567"),
            member("delegate", "Sana", "Mirza", "AB7654321"),
        ],
    );
    let receipt: Receipt = server.register(&body).await.json().await.unwrap();
    sink.wait_for(1, WAIT);
    let response = server
        .client
        .patch(server.event_url(&format!("/registrations/{}", receipt.id)))
        .bearer_auth(&organiser)
        .json(&json!({"status": "approved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mails = sink.wait_for(4, WAIT);
    let focal = to(&mails, "a.khan@example.pk");
    assert_eq!(focal.len(), 2, "received and approved");
    assert!(
        focal[1].text.contains("Serena Hotel"),
        "the badge collection text"
    );
    let sana = to(&mails, "m.ab7654321@example.org");
    assert_eq!(sana.len(), 1);
    assert!(sana[0].text.contains("Sana Mirza"));
    assert!(
        !sana[0].text.contains("Imran"),
        "nothing about other members"
    );
    assert!(
        !sana[0].text.contains("accredit-manage="),
        "the delegation's link is not theirs"
    );
}
