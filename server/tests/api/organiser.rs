//! Organiser endpoints: authentication, list, detail, status changes.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::rate_limit::RateLimit;
use accredit_server::storage::Storage;
use serde_json::{Value, json};

#[tokio::test]
async fn organiser_endpoints_need_a_valid_token_for_the_event() {
    let server = TestServer::with(|s: &mut Settings| {
        let mut other = s.events[EVENT].clone();
        other.id = "other-event".into();
        s.events.insert(other.id.clone(), other);
    })
    .await;
    let created: Value = server.register(&registration()).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let paths = [
        "/registrations".to_owned(),
        format!("/registrations/{id}"),
        "/attachments/x".to_owned(),
        "/exports/participants.csv".to_owned(),
        "/exports/participants.xlsx".to_owned(),
        "/exports/participants.json".to_owned(),
        "/exports/delegations.csv".to_owned(),
    ];
    let other_token = server.token_for("other-event");
    for path in &paths {
        let response = server
            .client
            .get(server.event_url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer realm=\"accredit\""
        );
        problem(response, 401, "auth.invalid_token").await;
        problem(
            server.get_as("acc_wrong", path).await,
            401,
            "auth.invalid_token",
        )
        .await;
        problem(
            server.get_as(&other_token, path).await,
            401,
            "auth.invalid_token",
        )
        .await;
    }
    let response = server
        .client
        .patch(server.event_url(&format!("/registrations/{id}")))
        .json(&json!({"status": "approved"}))
        .send()
        .await
        .unwrap();
    problem(response, 401, "auth.invalid_token").await;
}

#[tokio::test]
async fn the_token_command_prints_a_working_token() {
    let server = TestServer::start().await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
        .args([
            "token",
            "create",
            "--event",
            EVENT,
            "--label",
            "registration desk",
            "--today",
            "2027-03-02",
            "--data-dir",
        ])
        .arg(server.data_dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("acc_"));
    assert_eq!(server.get_as(&token, "/registrations").await.status(), 200);
    // Only the hash is stored.
    let db = std::fs::read(server.data_dir.path().join("accredit.sqlite3")).unwrap();
    assert!(!contains(&db, token.as_bytes()));
    let wal =
        std::fs::read(server.data_dir.path().join("accredit.sqlite3-wal")).unwrap_or_default();
    assert!(!contains(&wal, token.as_bytes()));

    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
        .args(["token", "create", "--event", "no-such-event", "--data-dir"])
        .arg(server.data_dir.path())
        .output()
        .unwrap();
    assert!(!unknown.status.success());
}

#[tokio::test]
async fn tokens_are_listed_and_revoked_at_once() {
    let server = TestServer::start().await;
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
            .args(args)
            // The server's day, so that expiries are read on one calendar.
            .args(["--today", &test_today().to_string()])
            .arg("--data-dir")
            .arg(server.data_dir.path())
            .output()
            .unwrap()
    };
    let created = cli(&[
        "token",
        "create",
        "--event",
        EVENT,
        "--label",
        "protocol desk",
    ]);
    assert!(created.status.success());
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert_eq!(server.get_as(&token, "/registrations").await.status(), 200);

    let listed = cli(&["token", "list"]);
    assert!(listed.status.success());
    let listed = String::from_utf8(listed.stdout).unwrap();
    let row = listed
        .lines()
        .find(|l| l.ends_with("\tprotocol desk"))
        .unwrap_or_else(|| panic!("the new token is listed: {listed}"));
    let id = row.split('\t').next().unwrap();
    assert!(id.starts_with("tok_") && row.contains(EVENT), "{row}");
    assert!(!listed.contains(&token), "the secret is never shown again");

    let revoked = cli(&["token", "revoke", id]);
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    problem(
        server.get_as(&token, "/registrations").await,
        401,
        "auth.invalid_token",
    )
    .await;
    assert!(
        !cli(&["token", "revoke", id]).status.success(),
        "a second revoke says so"
    );
}

/// The budget of failed sign-ins per address with limits on: 10 a minute.
const FAILURE_BUDGET: usize = 10;

#[tokio::test]
async fn failed_sign_ins_are_rate_limited_but_a_valid_token_is_always_accepted() {
    let server =
        TestServer::with(|s: &mut Settings| s.rate_limit = RateLimit::PerMinute(100)).await;
    for _ in 0..FAILURE_BUDGET {
        assert_eq!(
            server.get_as("acc_guess", "/registrations").await.status(),
            401
        );
    }
    for _ in FAILURE_BUDGET..16 {
        let response = server.get_as("acc_guess", "/registrations").await;
        assert!(
            response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                >= 1
        );
        problem(response, 429, "rate_limited").await;
    }
    // Sixteen bad tokens from this address, and the protocol desk, behind
    // the same address, still gets in.
    let token = server.token();
    assert_eq!(server.get_as(&token, "/registrations").await.status(), 200);
    assert_eq!(
        server
            .get_as(&token, "/exports/participants.csv")
            .await
            .status(),
        200
    );
    // A bad token is still refused as over the limit.
    problem(
        server.get_as("acc_guess", "/registrations").await,
        429,
        "rate_limited",
    )
    .await;
}

#[tokio::test]
async fn a_burst_of_concurrent_bad_tokens_cannot_slip_past_the_limit() {
    let server =
        TestServer::with(|s: &mut Settings| s.rate_limit = RateLimit::PerMinute(100)).await;
    let started = std::time::Instant::now();
    let burst = (0..60).map(|i| {
        let request = server
            .client
            .get(server.event_url("/registrations"))
            .bearer_auth(format!("acc_guess_{i}"))
            .send();
        async move { request.await.unwrap().status().as_u16() }
    });
    let statuses = futures_join_all(burst).await;
    // The budget refills at 10 a minute while the burst runs.
    let refilled = (started.elapsed().as_secs_f64() * FAILURE_BUDGET as f64 / 60.0) as usize;
    let unauthorised = statuses.iter().filter(|&&s| s == 401).count();
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(unauthorised + limited, 60, "{statuses:?}");
    assert!(
        unauthorised <= FAILURE_BUDGET + refilled,
        "{unauthorised} guesses were answered 401, more than the budget of {FAILURE_BUDGET}"
    );
    assert!(unauthorised >= FAILURE_BUDGET, "{statuses:?}");
}

/// Runs every future at once and collects their outputs in order.
async fn futures_join_all<F: Future<Output = u16> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn tokens_expire_on_the_servers_clock() {
    let server = TestServer::start().await;
    let (secret, record) =
        accredit_server::auth::new_token(EVENT, "one hour", server.clock.now(), 3_600);
    server.storage().insert_token(&record).unwrap();
    assert_eq!(server.get_as(&secret, "/registrations").await.status(), 200);
    server.clock.advance(3_600 - 60);
    assert_eq!(server.get_as(&secret, "/registrations").await.status(), 200);
    server.clock.advance(120);
    let body = problem(
        server.get_as(&secret, "/registrations").await,
        401,
        "auth.invalid_token",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn the_token_command_sets_and_lists_the_expiry() {
    let server = TestServer::start().await;
    let today = test_today().to_string();
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
            .args(args)
            .args(["--today", &today, "--data-dir"])
            .arg(server.data_dir.path())
            .output()
            .unwrap()
    };
    let created = cli(&[
        "token",
        "create",
        "--event",
        EVENT,
        "--label",
        "night desk",
        "--expires",
        "2h",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    let default = cli(&[
        "token",
        "create",
        "--event",
        EVENT,
        "--label",
        "protocol desk",
    ]);
    assert!(default.status.success());
    let refused = cli(&["token", "create", "--event", EVENT, "--expires", "2 weeks"]);
    assert!(
        !refused.status.success(),
        "a lifetime without d or h is refused"
    );

    let listed = String::from_utf8(cli(&["token", "list"]).stdout).unwrap();
    assert!(
        listed.starts_with("id\tevent\tcreated\texpires\tlabel\n"),
        "{listed}"
    );
    let expiry = |label: &str| {
        let row = listed
            .lines()
            .find(|l| l.ends_with(&format!("\t{label}")))
            .unwrap_or_else(|| panic!("{label} is listed: {listed}"));
        let fields: Vec<&str> = row.split('\t').collect();
        (fields[2].to_owned(), fields[3].to_owned())
    };
    // Created on the server's day; two hours, and 90 days, later.
    let (created_at, expires_at) = expiry("night desk");
    assert!(created_at.starts_with("2027-03-02T"), "{created_at}");
    let hour = |t: &str| t[11..13].parse::<u32>().unwrap();
    assert_eq!(
        (hour(&created_at) + 2) % 24,
        hour(&expires_at),
        "{created_at} → {expires_at}"
    );
    assert_eq!(&created_at[13..], &expires_at[13..]);
    let (_, default_expiry) = expiry("protocol desk");
    assert!(
        default_expiry.starts_with("2027-05-31T"),
        "90 days after 2027-03-02: {default_expiry}"
    );

    assert_eq!(server.get_as(&token, "/registrations").await.status(), 200);
    server.clock.advance(3 * 3_600);
    problem(
        server.get_as(&token, "/registrations").await,
        401,
        "auth.invalid_token",
    )
    .await;
}

#[tokio::test]
async fn list_and_filters() {
    let server = TestServer::start().await;
    let token = server.token();
    let pk = server
        .register(&registration())
        .await
        .json::<Value>()
        .await
        .unwrap();
    let mut af = delegation(
        "AF",
        vec![member("head_of_delegation", "Zahra", "Rahimi", "P1111111")],
    );
    af["members"][0]["email"] = json!("zahra@example.af");
    server.register(&af).await;
    let mut ngo = registration();
    ngo["delegation"] = json!({"kind": "ngo", "country": null, "organisation": "Aware Girls"});
    ngo["members"][0]["category"] = json!("observer");
    assert_eq!(server.register(&ngo).await.status(), 201);

    let list = server.get_as(&token, "/registrations").await;
    assert_eq!(list.headers()["cache-control"], "no-store");
    let list: Value = list.json().await.unwrap();
    assert_eq!(list["total"], 3);
    let first = &list["registrations"][0];
    assert_eq!(first["reference"], pk["reference"]);
    assert_eq!(first["country_name"], "Pakistan");
    assert_eq!(first["head_of_delegation"], "Imran Ahmed");
    assert_eq!(first["members"], 1);

    assert_eq!(total(&server, &token, "country=af").await, 1);
    assert_eq!(total(&server, &token, "kind=ngo").await, 1);
    assert_eq!(
        total(&server, &token, "kind=member_state&status=pending").await,
        2
    );
    assert_eq!(total(&server, &token, "status=approved").await, 0);
    assert_eq!(total(&server, &token, "category=observer").await, 1);
    assert_eq!(total(&server, &token, "q=rahimi").await, 1);
    assert_eq!(total(&server, &token, "q=AWARE").await, 1);
    let by_reference = format!("q={}", pk["reference"].as_str().unwrap());
    assert_eq!(total(&server, &token, &by_reference).await, 1);
    problem(
        server.get_as(&token, "/registrations?status=done").await,
        400,
        "query.invalid",
    )
    .await;
    problem(
        server.get_as(&token, "/registrations?colour=red").await,
        400,
        "query.invalid",
    )
    .await;

    // Without `include`, no payload; with it, each stored payload.
    assert!(first.get("registration").is_none());
    let full: Value = server
        .get_as(&token, "/registrations?include=registration&country=af")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["total"], 1);
    let payload = &full["registrations"][0]["registration"];
    assert_eq!(payload["members"][0]["email"], "zahra@example.af");
    assert_eq!(payload["delegation"]["country"], "AF");
    problem(
        server
            .get_as(&token, "/registrations?include=everything")
            .await,
        400,
        "query.invalid",
    )
    .await;
}

async fn total(server: &TestServer, token: &str, query: &str) -> u64 {
    let body: Value = server
        .get_as(token, &format!("/registrations?{query}"))
        .await
        .json()
        .await
        .unwrap();
    body["total"].as_u64().unwrap()
}

#[tokio::test]
async fn status_changes_follow_the_review_flow_and_are_audited() {
    let server = TestServer::start().await;
    let token = server.token();
    let created: Value = server.register(&registration()).await.json().await.unwrap();
    let path = format!("/registrations/{}", created["id"].as_str().unwrap());

    let detail: Value = server.get_as(&token, &path).await.json().await.unwrap();
    assert_eq!(detail["status"], "pending");
    assert_eq!(detail["registration"]["members"][0]["family_name"], "Ahmed");
    assert_eq!(detail["audit"], json!([]));

    let patch = |body: Value| {
        server
            .client
            .patch(server.event_url(&path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let changed = patch(json!({"status": "changes_requested", "note": "Passport scan unreadable"}))
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(changed.headers()["cache-control"], "no-store");
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["status"], "changes_requested");
    let entry = &changed["audit"][0];
    assert_eq!(entry["from"], "pending");
    assert_eq!(entry["to"], "changes_requested");
    assert_eq!(entry["note"], "Passport scan unreadable");
    assert_eq!(entry["by"]["label"], "test desk");
    assert!(
        entry["by"]["token_id"]
            .as_str()
            .unwrap()
            .starts_with("tok_")
    );
    assert!(entry["at"].as_str().unwrap().ends_with('Z'));

    let approved: Value = patch(json!({"status": "approved"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["audit"].as_array().unwrap().len(), 2);

    let refused = patch(json!({"status": "rejected", "note": "Too late"}))
        .await
        .unwrap();
    problem(refused, 409, "status.transition_not_allowed").await;
    let refused = patch(json!({"status": "finished"})).await.unwrap();
    problem(refused, 422, "body.invalid").await;
    let refused = patch(json!({"status": "rejected", "note": "x".repeat(2001)}))
        .await
        .unwrap();
    problem(refused, 422, "note.too_long").await;
    let text = server
        .client
        .patch(server.event_url(&path))
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(text, 415, "body.unsupported_media_type").await;
    let unknown = server
        .client
        .patch(server.event_url("/registrations/nope"))
        .bearer_auth(&token)
        .json(&json!({"status": "approved"}))
        .send()
        .await
        .unwrap();
    problem(unknown, 404, "registration.unknown").await;
    problem(
        server.get_as(&token, "/registrations/nope").await,
        404,
        "registration.unknown",
    )
    .await;

    let detail: Value = server.get_as(&token, &path).await.json().await.unwrap();
    assert_eq!(detail["audit"].as_array().unwrap().len(), 2);
    let approved_only: Value = server
        .get_as(&token, "/registrations?status=approved")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approved_only["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_organisers_deciding_at_once_make_one_decision() {
    let server = TestServer::start().await;
    let (first, second) = (server.token(), server.token());
    for round in 0..5 {
        let mut body = registration();
        body["members"][0]["family_name"] = json!(format!("Ahmed{}", "i".repeat(round)));
        let created: Value = server.register(&body).await.json().await.unwrap();
        let path = server.event_url(&format!(
            "/registrations/{}",
            created["id"].as_str().unwrap()
        ));
        // From pending, approve and reject are both allowed, but not one
        // after the other: only one of the two desks can win.
        let decide = |token: &str, decision: Value| {
            server
                .client
                .patch(&path)
                .bearer_auth(token)
                .json(&decision)
                .send()
        };
        let (a, b) = tokio::join!(
            decide(&first, json!({"status": "approved", "version": 1})),
            decide(
                &second,
                json!({"status": "rejected", "note": "Not invited", "version": 1})
            ),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let statuses = [a.status().as_u16(), b.status().as_u16()];
        assert!(
            statuses == [200, 409] || statuses == [409, 200],
            "round {round}: exactly one decision wins, got {statuses:?}"
        );
        let winner = if statuses[0] == 200 {
            "approved"
        } else {
            "rejected"
        };
        let detail: Value = server
            .get_as(
                &first,
                &format!("/registrations/{}", created["id"].as_str().unwrap()),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(detail["status"], winner, "round {round}");
        let audit = detail["audit"].as_array().unwrap();
        assert_eq!(
            audit.len(),
            1,
            "round {round}: one decision in the audit trail"
        );
        assert_eq!(audit[0]["to"], winner);
    }
}
