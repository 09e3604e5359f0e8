//! The bounded queue in front of the database writer: a burst larger than
//! it is answered 503 `storage.busy` with `Retry-After`, and nothing is
//! lost or stored twice when clients retry with their keys.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::storage::Storage;
use accredit_test_support::payload::numbered;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// Registrations sent at once in one burst.
const BURST: usize = 64;

/// What one POST got back.
struct Answer {
    n: usize,
    status: u16,
    retry_after: Option<u64>,
    replayed: bool,
    body: Value,
}

async fn post_numbered(server: &TestServer, n: usize, key: &str) -> Answer {
    let response = server.register_with_key(&numbered(n), key).await;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let replayed = response.headers().contains_key("idempotent-replayed");
    let body = response.json().await.unwrap();
    Answer {
        n,
        status,
        retry_after,
        replayed,
        body,
    }
}

/// Sends every `(n, key)` at once and returns the answers.
async fn burst(server: &std::sync::Arc<TestServer>, requests: &[(usize, String)]) -> Vec<Answer> {
    let mut tasks = tokio::task::JoinSet::new();
    for (n, key) in requests.iter().cloned() {
        let server = server.clone();
        tasks.spawn(async move { post_numbered(&server, n, &key).await });
    }
    let mut answers = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        answers.push(answer.unwrap());
    }
    answers
}

/// The member e-mail of `numbered(n)`, which identifies it in storage.
fn email(n: usize) -> String {
    format!("m{n}@example.pk")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_write_queue_is_a_503_and_retries_store_each_registration_once() {
    let server = std::sync::Arc::new(TestServer::with(|s: &mut Settings| s.write_queue = 1).await);
    let keys: BTreeMap<usize, String> = (0..BURST * 4).map(|n| (n, new_key())).collect();
    // Registration id per number, from the 201 that stored it.
    let mut stored: BTreeMap<usize, String> = BTreeMap::new();
    let mut busy: Vec<usize> = Vec::new();
    let mut sent = 0;
    // A queue of one overflows under the first burst on any machine; the
    // further bursts only keep the test from depending on that.
    while busy.is_empty() && sent < keys.len() {
        let requests: Vec<_> = (sent..sent + BURST)
            .map(|n| (n, keys[&n].clone()))
            .collect();
        sent += BURST;
        for answer in burst(&server, &requests).await {
            match answer.status {
                201 => {
                    assert!(!answer.replayed);
                    let id = answer.body["id"].as_str().unwrap().to_owned();
                    assert!(stored.insert(answer.n, id).is_none());
                }
                503 => {
                    assert_eq!(answer.body["code"], "storage.busy", "{}", answer.body);
                    assert_eq!(answer.retry_after, Some(1));
                    busy.push(answer.n);
                }
                other => panic!("registration {}: {other} {}", answer.n, answer.body),
            }
        }
    }
    assert!(
        !busy.is_empty(),
        "no burst of {BURST} overflowed a queue of 1"
    );
    let refused_at_first = busy.len();

    // Each refused request again with its own key after `Retry-After`, as
    // the widget does, spread a little as its jitter spreads clients, until
    // it is stored.
    let mut retries = tokio::task::JoinSet::new();
    for n in busy {
        let (server, key) = (server.clone(), keys[&n].clone());
        retries.spawn(async move {
            let spread = Duration::from_millis(50 * (n % 20) as u64);
            for _ in 0..60 {
                tokio::time::sleep(Duration::from_secs(1) + spread).await;
                let answer = post_numbered(&server, n, &key).await;
                match answer.status {
                    503 => continue,
                    // A first store, never a replay: the 503 had stored nothing.
                    201 => {
                        assert!(!answer.replayed, "registration {n} was stored by its 503");
                        return (n, answer.body["id"].as_str().unwrap().to_owned());
                    }
                    other => panic!("retry of {n}: {other} {}", answer.body),
                }
            }
            panic!("registration {n} still refused after 60 retries");
        });
    }
    while let Some(retried) = retries.join_next().await {
        let (n, id) = retried.unwrap();
        assert!(stored.insert(n, id).is_none());
    }

    // The database holds each registration sent exactly once, under the id
    // its 201 named.
    assert_eq!(stored.len(), sent);
    let registrations = server.storage().registrations(EVENT).unwrap();
    assert_eq!(
        registrations.len(),
        sent,
        "{refused_at_first} were refused at first"
    );
    let mut by_email: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &registrations {
        let payload: Value = serde_json::from_str(&r.payload).unwrap();
        let email = payload["members"][0]["email"].as_str().unwrap().to_owned();
        by_email.entry(email).or_default().push(r.id.clone());
    }
    for (n, id) in &stored {
        assert_eq!(
            by_email.get(&email(*n)),
            Some(&vec![id.clone()]),
            "registration {n}"
        );
    }
}
