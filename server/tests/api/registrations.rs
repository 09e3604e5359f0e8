//! `POST /events/{event}/registrations`: every status it answers with.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::storage::Storage;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_valid_registration_is_stored_with_a_short_reference() {
    let server = TestServer::start().await;
    let response = server.register(&registration()).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["content-type"], "application/json");
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        headers["location"],
        format!("/api/v1/events/{EVENT}/registrations/{id}")
    );
    assert_eq!(body["status"], "pending");
    let reference = body["reference"].as_str().unwrap();
    let (prefix, code) = reference.split_once('-').unwrap();
    assert_eq!(prefix, "ISL");
    assert_eq!(code.len(), 4);
    assert!(
        code.chars()
            .all(|c| "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(c)),
        "{reference}"
    );
    let stored = server.storage().registrations(EVENT).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].reference, reference);
}

#[tokio::test]
async fn the_reference_prefix_is_configurable_and_references_are_unique() {
    let server = TestServer::with(|s: &mut Settings| {
        s.reference_prefixes.insert(EVENT.into(), "ISB".into());
    })
    .await;
    let mut references = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let body: Value = server.register(&registration()).await.json().await.unwrap();
        let reference = body["reference"].as_str().unwrap().to_owned();
        assert!(reference.starts_with("ISB-"), "{reference}");
        assert!(references.insert(reference));
    }
}

#[tokio::test]
async fn the_stored_payload_is_the_normalised_one() {
    let server = TestServer::start().await;
    let mut body = registration();
    // "José" with a combining acute accent, padded with spaces.
    body["members"][0]["given_names"] = json!("  Jose\u{301}  ");
    let response = server.register(&body).await;
    assert_eq!(response.status(), 201);
    let stored = server.storage().registrations(EVENT).unwrap();
    let payload: Value = serde_json::from_str(&stored[0].payload).unwrap();
    assert_eq!(payload["members"][0]["given_names"], "Jos\u{e9}");
}

#[tokio::test]
async fn numbers_typed_with_arabic_persian_or_full_width_digits_are_stored_in_ascii() {
    let server = TestServer::start().await;
    let mut body = registration();
    // U+0660.. (Arabic-Indic), U+06F0.. (Persian), U+FF10.. (full width),
    // written as escapes so the expected ASCII below is plainly different.
    body["focal_point"]["phone"] = json!("+\u{669}\u{662} \u{665}\u{661} 920 1234");
    body["members"][0]["phone"] = json!("+\u{6F9}\u{6F8} 21 6600 0000");
    let document = &mut body["members"][0]["identity_document"];
    let number = document["number"].as_str().unwrap().to_owned();
    let (letters, digits) = number.split_at(number.find(|c: char| c.is_ascii_digit()).unwrap());
    let full_width: String = digits
        .chars()
        .map(|d| char::from_u32(0xFF10 + d.to_digit(10).unwrap()).unwrap())
        .collect();
    document["number"] = json!(format!("{letters}{full_width}"));
    let response = server.register(&body).await;
    assert_eq!(response.status(), 201);
    let stored = server.storage().registrations(EVENT).unwrap();
    let payload: Value = serde_json::from_str(&stored[0].payload).unwrap();
    assert_eq!(payload["focal_point"]["phone"], "+92 51 920 1234");
    assert_eq!(payload["members"][0]["phone"], "+98 21 6600 0000");
    assert_eq!(payload["members"][0]["identity_document"]["number"], number);
}

#[tokio::test]
async fn validation_errors_are_a_problem_with_paths_codes_and_messages() {
    let server = TestServer::start().await;
    let mut body = registration();
    body["members"][0]["email"] = json!("not an address");
    body["consent"]["data_processing"] = json!(false);
    let problem = problem(server.register(&body).await, 422, "validation.failed").await;
    let errors = problem["errors"].as_array().unwrap();
    let email = errors
        .iter()
        .find(|e| e["path"] == "members[0].email")
        .expect("an error on the member's e-mail");
    assert_eq!(email["code"], "email.invalid");
    let message = email["message"].as_str().unwrap();
    assert!(
        !message.is_empty() && message != "email.invalid",
        "{message}"
    );
    assert!(email["params"].is_object());
    assert!(
        errors
            .iter()
            .any(|e| e["code"] == "consent.data_processing_required")
    );
    assert!(server.storage().registrations(EVENT).unwrap().is_empty());
}

#[tokio::test]
async fn the_server_revalidates_what_a_client_might_skip() {
    let server = TestServer::start().await;
    let mut body = registration();
    body["delegation"]["country"] = json!("FR"); // not invited
    body["event"] = json!("another-event");
    let problem = problem(server.register(&body).await, 422, "validation.failed").await;
    let codes: Vec<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].clone())
        .collect();
    assert!(codes.contains(&json!("country.not_invited")), "{codes:?}");
    assert!(codes.contains(&json!("event.mismatch")), "{codes:?}");
}

#[tokio::test]
async fn wrong_types_point_at_the_field() {
    let server = TestServer::start().await;
    let mut body = registration();
    body["members"][0]["date_of_birth"] = json!(19700501);
    let problem = problem(server.register(&body).await, 422, "validation.failed").await;
    let error = &problem["errors"][0];
    assert_eq!(error["path"], "members[0].date_of_birth");
    assert_eq!(error["code"], "body.invalid");
    assert!(error["params"]["reason"].as_str().unwrap().contains("date"));

    let problem = problem_of(&server, json!(["not", "an", "object"])).await;
    assert_eq!(problem["errors"][0]["code"], "body.invalid");
}

async fn problem_of(server: &TestServer, body: Value) -> Value {
    problem(server.register(&body).await, 422, "validation.failed").await
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let server = TestServer::start().await;
    for text in ["{\"event\": ", "not json", ""] {
        let response = server
            .client
            .post(server.event_url("/registrations"))
            .header("idempotency-key", new_key())
            .header("content-type", "application/json")
            .body(text)
            .send()
            .await
            .unwrap();
        problem(response, 400, "body.malformed_json").await;
    }
}

#[tokio::test]
async fn bodies_over_256_kib_are_refused() {
    let server = TestServer::start().await;
    let mut body = registration();
    body["members"][0]["dietary"] = json!("x".repeat(300 * 1024));
    problem(server.register(&body).await, 413, "body.too_large").await;
    // Without Content-Length (chunked), the limit still holds.
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/events/{EVENT}/registrations HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {}\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.addr,
        new_key()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 10 * 1024, " ".repeat(10 * 1024));
    for _ in 0..40 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break; // the server may close as soon as the limit is crossed
        }
    }
    let mut response = vec![0u8; 4096];
    let n = stream.read(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("body.too_large"), "{text}");
}

#[tokio::test]
async fn requests_are_refused_for_unknown_events_wrong_content_types_and_bad_keys() {
    let server = TestServer::start().await;
    let response = server
        .client
        .post(server.url("/api/v1/events/no-such-event/registrations"))
        .header("idempotency-key", new_key())
        .json(&registration())
        .send()
        .await
        .unwrap();
    problem(response, 404, "event.unknown").await;

    let response = server
        .client
        .post(server.event_url("/registrations"))
        .header("idempotency-key", new_key())
        .header("content-type", "text/plain")
        .body(registration().to_string())
        .send()
        .await
        .unwrap();
    problem(response, 415, "body.unsupported_media_type").await;

    let response = server
        .client
        .post(server.event_url("/registrations"))
        .json(&registration())
        .send()
        .await
        .unwrap();
    problem(response, 400, "idempotency.key_invalid").await;

    for bad in [
        "short",
        &"k".repeat(15),
        &"k".repeat(256),
        "has spaces in the key",
        "ключ-ключ-ключ-ключ",
    ] {
        let response = server.register_with_key(&registration(), bad).await;
        problem(response, 400, "idempotency.key_invalid").await;
    }
    assert!(server.storage().registrations(EVENT).unwrap().is_empty());
}

#[tokio::test]
async fn idempotency_keys_of_16_to_255_characters_are_accepted() {
    let server = TestServer::start().await;
    let refused = server
        .register_with_key(&registration(), &"a".repeat(15))
        .await;
    let body = problem(refused, 400, "idempotency.key_invalid").await;
    assert!(
        body["detail"].as_str().unwrap().contains("16 to 255"),
        "{body}"
    );
    // The shortest and the longest key, and a UUIDv4 (what the widget
    // sends), each register once and replay under their own key.
    let shortest = "0123456789abcdef".to_owned();
    let longest: String = "A-Za-z0-9_.:".chars().cycle().take(255).collect();
    for key in [shortest, longest, new_key()] {
        let first = server.register_with_key(&registration(), &key).await;
        assert_eq!(first.status(), 201, "key of {} characters", key.len());
        let stored: Value = first.json().await.unwrap();
        let again = server.register_with_key(&registration(), &key).await;
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.json::<Value>().await.unwrap()["id"], stored["id"]);
    }
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 3);
}

#[tokio::test]
async fn closed_registration_is_a_409() {
    let server = TestServer::with(|s: &mut Settings| {
        let event = s.events.get_mut(EVENT).unwrap();
        event.registration_closes_on = accredit_model::Date::new(2020, 1, 1).unwrap();
    })
    .await;
    let body = problem(
        server.register(&registration()).await,
        409,
        "registration.closed",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("2020-01-01"));
    problem(server.upload(pdf()).await, 409, "registration.closed").await;
}

#[tokio::test]
async fn the_same_key_and_body_replays_the_first_response() {
    let server = TestServer::start().await;
    let key = new_key();
    let first = server.register_with_key(&registration(), &key).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    // Same payload with another key order and spacing: the same body.
    let reordered = serde_json::to_string_pretty(&registration()).unwrap();
    let again = server
        .client
        .post(server.event_url("/registrations"))
        .header("idempotency-key", &key)
        .header("content-type", "application/json; charset=utf-8")
        .body(reordered)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let id = first["id"].as_str().unwrap();
    assert_eq!(
        again.headers()["location"],
        format!("/api/v1/events/{EVENT}/registrations/{id}")
    );
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);

    let mut other = registration();
    other["members"][0]["given_names"] = json!("Someone else");
    let response = server.register_with_key(&other, &key).await;
    let reused = problem(response, 422, "idempotency.key_reused").await;
    assert_eq!(
        reused["reference"], first["reference"],
        "the client learns what was stored under its key"
    );
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_validation_does_not_use_up_the_key() {
    let server = TestServer::start().await;
    let key = new_key();
    let mut invalid = registration();
    invalid["consent"]["data_processing"] = json!(false);
    assert_eq!(server.register_with_key(&invalid, &key).await.status(), 422);
    assert_eq!(
        server
            .register_with_key(&registration(), &key)
            .await
            .status(),
        201
    );
}

/// Opens a connection and sends a registration's head with `key` and the
/// first half of its body; returns the connection and the whole body.
async fn send_half_a_registration(
    server: &TestServer,
    key: &str,
) -> (tokio::net::TcpStream, String) {
    let body = registration().to_string();
    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/events/{EVENT}/registrations HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {key}\r\nContent-Length: {}\r\n\r\n",
        server.addr,
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body.as_bytes()[..body.len() / 2])
        .await
        .unwrap();
    (slow, body)
}

#[tokio::test]
async fn the_same_key_while_the_first_is_in_flight_is_a_409_with_retry_after() {
    let server = TestServer::start().await;
    let key = new_key();
    // The first request sends its headers and half its body, then stalls.
    let (mut slow, body) = send_half_a_registration(&server, &key).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    let second = server.register_with_key(&registration(), &key).await;
    assert_eq!(second.headers()["retry-after"], "1");
    problem(second, 409, "idempotency.in_flight").await;

    // The first completes normally, and a retry of the second replays it.
    slow.write_all(&body.as_bytes()[body.len() / 2..])
        .await
        .unwrap();
    let mut response = vec![0u8; 4096];
    let n = slow.read(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response[..n]);
    assert!(text.starts_with("HTTP/1.1 201"), "{text}");
    let retry = server.register_with_key(&registration(), &key).await;
    assert_eq!(retry.status(), 201);
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_with_one_key_store_one_row_and_agree() {
    let server = std::sync::Arc::new(TestServer::start().await);
    let key = new_key();
    let body = registration();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (server, key, body) = (server.clone(), key.clone(), body.clone());
            tokio::spawn(async move {
                let response = server.register_with_key(&body, &key).await;
                (response.status().as_u16(), response.text().await.unwrap())
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let first = results[0].clone();
    assert_eq!(first.0, 201, "{}", first.1);
    assert!(
        results.iter().all(|r| *r == first),
        "responses differ: {results:?}"
    );
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_is_cut_with_408_and_frees_its_key() {
    let server = TestServer::start().await;
    let key = new_key();
    let (mut slow, _) = send_half_a_registration(&server, &key).await;
    // Nothing more comes. The test runs on tokio's paused clock, which
    // jumps ahead whenever everything is waiting: the server's body
    // timeout passes without the test waiting for it in real time.
    let mut response = Vec::new();
    let mut chunk = vec![0u8; 4096];
    while !String::from_utf8_lossy(&response).contains("body.timeout") {
        let n = slow.read(&mut chunk).await.unwrap();
        assert!(
            n > 0,
            "closed without an answer: {}",
            String::from_utf8_lossy(&response)
        );
        response.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    // The key is free again, and nothing of the cut request was kept.
    assert!(server.storage().registrations(EVENT).unwrap().is_empty());
    let retry = server.register_with_key(&registration(), &key).await;
    assert_eq!(retry.status(), 201);
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);
}
