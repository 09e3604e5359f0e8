//! The manage link: a focal point opens, amends and withdraws their
//! registration with the token of the link; organisers decide with notes
//! and versions, and can send a new link.

use super::common::*;
use accredit_model::api::{
    MyRegistration, Receipt, RegistrationDetail, RegistrationList, Revision,
};
use accredit_model::review::Status;
use accredit_server::manage::{KEY_FILE, ManageKey};
use accredit_server::storage::{NewRegistration, Storage};
use serde_json::{Value, json};

pub(crate) async fn submit(server: &TestServer, body: &Value) -> Receipt {
    let response = server.register(body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

pub(crate) async fn get_mine(server: &TestServer, token: &str) -> reqwest::Response {
    server
        .client
        .get(server.event_url("/my-registration"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn put_mine(
    server: &TestServer,
    token: &str,
    if_match: Option<&str>,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = server
        .client
        .put(server.event_url("/my-registration"))
        .bearer_auth(token)
        .json(body);
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().await.unwrap()
}

pub(crate) async fn delete_mine(server: &TestServer, token: &str) -> reqwest::Response {
    server
        .client
        .delete(server.event_url("/my-registration"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn decide(server: &TestServer, organiser: &str, id: &str, body: Value) -> reqwest::Response {
    server
        .client
        .patch(server.event_url(&format!("/registrations/{id}")))
        .bearer_auth(organiser)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

fn two_members() -> Value {
    delegation(
        "PK",
        vec![
            member("head_of_delegation", "Imran", "Ahmed", "DP1234567"),
            member("delegate", "Sana", "Mirza", "AB7654321"),
        ],
    )
}

#[tokio::test]
async fn the_receipt_carries_a_manage_link_that_opens_the_registration_masked() {
    let server = TestServer::start().await;
    let key = new_key();
    let response = server.register_with_key(&two_members(), &key).await;
    assert_eq!(response.status(), 201);
    let receipt: Receipt = response.json().await.unwrap();
    let token = receipt.manage_token.clone().expect("a manage token");
    assert_eq!(token.len(), 43, "256 bits in base64url");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(
        receipt.manage_link.as_deref(),
        Some(format!("http://127.0.0.1:8080/#accredit-manage={token}").as_str())
    );
    // A replay of the same request gives the same link again.
    let replayed: Receipt = server
        .register_with_key(&two_members(), &key)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replayed, receipt);
    // Only a hash is stored: the token appears nowhere in the database.
    let file = std::fs::read(server.data_dir.path().join("accredit.sqlite3")).unwrap();
    assert!(!file.windows(token.len()).any(|w| w == token.as_bytes()));

    let response = get_mine(&server, &token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let mine: MyRegistration = response.json().await.unwrap();
    assert_eq!(mine.reference, receipt.reference);
    assert_eq!(mine.status, Status::Pending);
    assert_eq!(mine.version, 1);
    assert!(mine.amendable);
    assert_eq!(mine.amendments_close, "2027-04-20");
    let numbers: Vec<&str> = mine
        .registration
        .members
        .iter()
        .map(|m| m.identity_document.as_ref().unwrap().number.as_str())
        .collect();
    assert_eq!(numbers, ["••••••567", "••••••321"]);
    assert_eq!(mine.history.len(), 1);
    assert_eq!(mine.history[0].summary, "Registration submitted");
}

#[tokio::test]
async fn wrong_tokens_are_refused_and_the_two_kinds_of_token_do_not_mix() {
    let server = TestServer::start().await;
    let receipt = submit(&server, &registration()).await;
    let manage = receipt.manage_token.unwrap();
    let organiser = server.token();

    let (status, problem) = code(get_mine(&server, "x".repeat(43).as_str()).await).await;
    assert_eq!((status, problem.as_str()), (401, "manage_token.invalid"));
    let (status, _) = code(get_mine(&server, &organiser).await).await;
    assert_eq!(status, 401, "an organiser token is not a manage token");
    let response = server.get_as(&manage, "/registrations").await;
    assert_eq!(
        response.status(),
        401,
        "a manage token is not an organiser token"
    );
    let response = server
        .client
        .get(server.event_url("/my-registration"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn an_amendment_needs_the_version_and_a_key_and_keeps_masked_numbers() {
    let server = TestServer::start().await;
    let receipt = submit(&server, &two_members()).await;
    let token = receipt.manage_token.unwrap();
    let organiser = server.token();
    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();

    // The focal point replaces member 2 and leaves member 1's masked number.
    let mut amended = serde_json::to_value(&mine.registration).unwrap();
    amended["members"][1] = member("delegate", "Farah", "Qureshi", "CD1112223");
    amended["members"][1]["nationality"] = json!("PK");

    let (status, problem) =
        code(put_mine(&server, &token, None, Some(&new_key()), &amended).await).await;
    assert_eq!((status, problem.as_str()), (428, "precondition.required"));
    let (status, _) = code(put_mine(&server, &token, Some("\"1\""), None, &amended).await).await;
    assert_eq!(status, 400, "an Idempotency-Key is required");
    let (status, problem) =
        code(put_mine(&server, &token, Some("\"7\""), Some(&new_key()), &amended).await).await;
    assert_eq!((status, problem.as_str()), (412, "precondition.failed"));

    let key = new_key();
    let response = put_mine(&server, &token, Some("\"1\""), Some(&key), &amended).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let revision: Revision = response.json().await.unwrap();
    assert_eq!(
        revision,
        Revision {
            version: 2,
            status: Status::Pending
        }
    );
    // A retry with the same key is answered the same, and stores nothing more.
    let response = put_mine(&server, &token, Some("\"1\""), Some(&key), &amended).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    assert_eq!(response.json::<Revision>().await.unwrap(), revision);

    let detail: RegistrationDetail = server
        .get_as(&organiser, &format!("/registrations/{}", receipt.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.version, 2);
    assert_eq!(
        detail.registration.members[0]
            .identity_document
            .as_ref()
            .unwrap()
            .number,
        "DP1234567",
        "the masked number kept the stored one"
    );
    assert_eq!(detail.registration.members[1].given_names, "Farah");
    assert_eq!(detail.history.len(), 2);
    assert_eq!(detail.history[1].summary, "Amended: 1 change");
    // Never decided: nothing is "amended since the last decision" yet.
    assert!(detail.changes.is_empty());
}

#[tokio::test]
async fn decisions_need_notes_and_the_current_version_and_amendments_reopen_review() {
    let server = TestServer::start().await;
    let receipt = submit(&server, &two_members()).await;
    let (id, token) = (receipt.id.clone(), receipt.manage_token.unwrap());
    let organiser = server.token();

    for status in ["changes_requested", "rejected"] {
        let (code_status, problem) = code(
            decide(
                &server,
                &organiser,
                &id,
                json!({"status": status, "note": "  "}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (code_status, problem.as_str()),
            (422, "note.required"),
            "{status}"
        );
    }
    // The delegation reads the note: the rule of every free-text answer
    // holds (a right-to-left override, a tab), and the length limit too.
    for (note, expected) in [
        ("Please name the \u{202E}adviser", "note.invalid_characters"),
        (
            "Please name the \u{2066}adviser\u{2069}",
            "note.invalid_characters",
        ),
        ("Please name\tthe adviser", "note.invalid_characters"),
        (&*"x".repeat(2001), "note.too_long"),
    ] {
        let (code_status, problem) = code(
            decide(
                &server,
                &organiser,
                &id,
                json!({"status": "changes_requested", "note": note, "version": 1}),
            )
            .await,
        )
        .await;
        assert_eq!((code_status, problem.as_str()), (422, expected), "{note:?}");
    }
    let response = decide(
        &server,
        &organiser,
        &id,
        json!({"status": "changes_requested", "note": "Please name the adviser.", "version": 1}),
    )
    .await;
    assert_eq!(response.status(), 200);

    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    assert_eq!(mine.status, Status::ChangesRequested);
    assert_eq!(mine.note.as_deref(), Some("Please name the adviser."));
    let mut amended = serde_json::to_value(&mine.registration).unwrap();
    amended["members"][1] = member("delegate", "Farah", "Qureshi", "CD1112223");
    amended["members"][1]["nationality"] = json!("PK");
    let response = put_mine(&server, &token, Some("\"1\""), Some(&new_key()), &amended).await;
    assert_eq!(response.status(), 200);

    // The organiser's view of version 1 is stale now.
    let (status, problem) = code(
        decide(
            &server,
            &organiser,
            &id,
            json!({"status": "approved", "version": 1}),
        )
        .await,
    )
    .await;
    assert_eq!((status, problem.as_str()), (412, "precondition.failed"));

    let list: RegistrationList = server
        .get_as(&organiser, "/registrations?amended=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    assert!(list.registrations[0].amended);
    assert_eq!(list.registrations[0].status, Status::Pending);
    let detail: RegistrationDetail = server
        .get_as(&organiser, &format!("/registrations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.reviewed_version, Some(1));
    assert_eq!(
        serde_json::to_value(&detail.changes).unwrap(),
        json!([{"change": "member_replaced", "position": 1, "before": "Sana Mirza", "after": "Farah Qureshi"}])
    );

    let response = decide(
        &server,
        &organiser,
        &id,
        json!({"status": "approved", "version": 2}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let list: RegistrationList = server
        .get_as(&organiser, "/registrations?amended=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.total, 0, "decided again: no longer amended");

    // Amending an approved registration sends it back to review.
    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    let mut amended = serde_json::to_value(&mine.registration).unwrap();
    amended["members"][0]["function"] = json!("Director General");
    let revision: Revision = put_mine(&server, &token, Some("\"2\""), Some(&new_key()), &amended)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        revision,
        Revision {
            version: 3,
            status: Status::Pending
        }
    );
}

#[tokio::test]
async fn a_withdrawn_registration_leaves_lists_and_exports_and_cannot_change() {
    let server = TestServer::start().await;
    let receipt = submit(&server, &registration()).await;
    let token = receipt.manage_token.unwrap();
    let organiser = server.token();

    let response = delete_mine(&server, &token).await;
    assert_eq!(response.status(), 200);
    let revision: Revision = response.json().await.unwrap();
    assert_eq!(revision.status, Status::Withdrawn);
    // A repeated withdrawal (a retry) is answered the same.
    let again: Revision = delete_mine(&server, &token).await.json().await.unwrap();
    assert_eq!(again, revision);

    let list: RegistrationList = server
        .get_as(&organiser, "/registrations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.total, 0);
    let list: RegistrationList = server
        .get_as(&organiser, "/registrations?status=withdrawn")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.total, 1);
    for filter in ["", "?status=withdrawn"] {
        let csv = server
            .get_as(&organiser, &format!("/exports/participants.csv{filter}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !csv.contains("Imran"),
            "withdrawn members are never exported: {csv}"
        );
    }

    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    assert_eq!(mine.status, Status::Withdrawn);
    assert!(!mine.amendable);
    assert_eq!(
        mine.history.last().unwrap().summary,
        "Registration withdrawn"
    );
    let body = serde_json::to_value(&mine.registration).unwrap();
    let (status, problem) =
        code(put_mine(&server, &token, Some("\"1\""), Some(&new_key()), &body).await).await;
    assert_eq!((status, problem.as_str()), (409, "registration.final"));
    let (status, problem) = code(
        decide(
            &server,
            &organiser,
            &receipt.id,
            json!({"status": "approved"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, problem.as_str()),
        (409, "status.transition_not_allowed")
    );
}

#[tokio::test]
async fn a_rejected_registration_cannot_be_amended() {
    let server = TestServer::start().await;
    let receipt = submit(&server, &registration()).await;
    let token = receipt.manage_token.unwrap();
    let organiser = server.token();
    let response = decide(
        &server,
        &organiser,
        &receipt.id,
        json!({"status": "rejected", "note": "Not an invited delegation."}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    assert_eq!(mine.note.as_deref(), Some("Not an invited delegation."));
    assert!(!mine.amendable);
    let body = serde_json::to_value(&mine.registration).unwrap();
    let (status, problem) =
        code(put_mine(&server, &token, Some("\"1\""), Some(&new_key()), &body).await).await;
    assert_eq!((status, problem.as_str()), (409, "registration.final"));
    let (status, problem) = code(delete_mine(&server, &token).await).await;
    assert_eq!((status, problem.as_str()), (409, "registration.final"));
}

#[tokio::test]
async fn amendments_close_on_the_event_deadline() {
    // An event whose amendment deadline has passed: a registration made
    // before is stored directly, with the token the server would derive.
    let mut events = accredit_server::events::demo();
    let event = events.get_mut(EVENT).unwrap();
    event.registration_closes_on = accredit_model::Date::parse("2020-01-10").unwrap();
    event.amendments_close = Some(accredit_model::Date::parse("2020-01-20").unwrap());
    let server = TestServer::with(|s| s.events = events).await;
    let key = ManageKey::load_or_create(&server.data_dir.path().join(KEY_FILE)).unwrap();
    let token = key.token("r-old", 1);
    let payload = registration().to_string();
    let stored = server.storage().insert_registration(&NewRegistration {
        id: "r-old".into(),
        event: EVENT.into(),
        reference: "ISL-OLD2".into(),
        payload,
        created_at: 1_578_000_000,
        idempotency_key: new_key(),
        body_hash: [0; 32],
        response_status: 201,
        response: "{}".into(),
        attachments: vec![],
        manage_hash: accredit_server::manage::hash(&token),
        messages: vec![],
    });
    assert!(stored.is_ok());

    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    assert!(!mine.amendable);
    assert_eq!(mine.amendments_close, "2020-01-20");
    let body = serde_json::to_value(&mine.registration).unwrap();
    let (status, problem) =
        code(put_mine(&server, &token, Some("\"1\""), Some(&new_key()), &body).await).await;
    assert_eq!((status, problem.as_str()), (409, "amendments.closed"));
}

// Two workers: the test waits for the outbox file on one, the server's
// sender writes it on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_manage_link_replaces_the_old_one() {
    let server = TestServer::start().await;
    let receipt = submit(&server, &registration()).await;
    let old = receipt.manage_token.unwrap();
    let organiser = server.token();
    let response = server
        .client
        .post(server.event_url(&format!("/registrations/{}/manage-link", receipt.id)))
        .bearer_auth(&organiser)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["to"], "a.khan@example.pk");
    assert_eq!(
        get_mine(&server, &old).await.status(),
        401,
        "the old link stopped working"
    );

    // Without --smtp-url the message is an .eml file in the outbox folder;
    // the new link in it opens the registration.
    let folder = server.data_dir.path().join("outbox");
    let link = wait_for_link_in(&folder, &old);
    let new = link.rsplit("accredit-manage=").next().unwrap();
    assert_eq!(get_mine(&server, new).await.status(), 200);
}

/// Waits for an .eml file in `folder` with a manage link other than `old`.
fn wait_for_link_in(folder: &std::path::Path, old: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            // Finished messages only: one being written is a hidden
            // `.partial` file until it is renamed.
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "eml")
                || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_default();
            let mail = accredit_test_support::parse(&bytes);
            let link = mail
                .text
                .split_whitespace()
                .find(|w| w.contains("#accredit-manage="))
                .map(|w| w.trim_end_matches(['.', ')', '>']).to_owned());
            if let Some(link) = link.filter(|l| !l.ends_with(old)) {
                return link;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no message with a new link in {folder:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
