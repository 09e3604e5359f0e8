//! Organiser endpoints: authentication, list, detail, status changes.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::rate_limit::RateLimit;
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

#[tokio::test]
async fn failed_sign_ins_are_rate_limited() {
    let server =
        TestServer::with(|s: &mut Settings| s.rate_limit = RateLimit::PerMinute(100)).await;
    for _ in 0..10 {
        assert_eq!(
            server.get_as("acc_guess", "/registrations").await.status(),
            401
        );
    }
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
    // Even the right token waits: the budget is per address, not per token.
    let token = server.token();
    assert_eq!(server.get_as(&token, "/registrations").await.status(), 429);
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
