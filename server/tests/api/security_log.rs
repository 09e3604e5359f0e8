//! The security log: the real binary, every logged action done over HTTP
//! or the command line, the lines read back as JSON.

use crate::common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const ACTIONS: [&str; 7] = [
    "token.created",
    "auth.failed",
    "export",
    "attachment.download",
    "status.changed",
    "token.revoked",
    "purge",
];

fn config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/events/islamabad-tip-som.toml")
}

/// The binary, writing its security log to `log`.
fn binary(log: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accredit-server"));
    command
        .arg("--security-log")
        .arg(log)
        .env("RUST_LOG", "error");
    command
}

fn common_args(command: &mut Command, data: &Path, today: &str) {
    command
        .arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config())
        .args(["--today", today]);
}

fn cli(data: &Path, log: &Path, today: &str, args: &[&str]) -> Output {
    let mut command = binary(log);
    command.args(args);
    common_args(&mut command, data, today);
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The log's lines as JSON, once every action is there (or the deadline).
fn lines_once_complete(log: &Path) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<Value> = text
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect();
        let complete = ACTIONS
            .iter()
            .all(|a| lines.iter().any(|l| l["action"] == *a));
        if complete {
            return lines;
        }
        assert!(
            Instant::now() < deadline,
            "not every action was logged within 10 s:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn every_access_is_logged_as_json_without_personal_data_or_secrets() {
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("security.log");
    let today = test_today().to_string();
    std::fs::write(
        data.path().join("index.html"),
        "<!doctype html><title>x</title>",
    )
    .unwrap();

    let (data_path, log_path, day) = (data.path().to_owned(), log.clone(), today.clone());
    let created = tokio::task::spawn_blocking(move || {
        cli(
            &data_path,
            &log_path,
            &day,
            &[
                "token",
                "create",
                "--event",
                EVENT,
                "--label",
                "protocol desk",
            ],
        )
    })
    .await
    .unwrap();
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    let token_id = data_storage_token_id(data.path());

    let port = accredit_test_support::free_port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut serve = binary(&log);
    serve
        .args(["serve", "--rate-limit", "off", "--addr", &addr.to_string()])
        .arg("--dist")
        .arg(data.path())
        .stderr(std::process::Stdio::null());
    common_args(&mut serve, data.path(), &today);
    let process = tokio::task::spawn_blocking(move || {
        accredit_test_support::ServerProcess::start(serve, addr, Duration::from_secs(15))
    })
    .await
    .unwrap();
    let base = format!("{}/api/v1/events/{EVENT}", process.base_url());
    let client = reqwest::Client::new();

    let photo = client
        .post(format!("{base}/attachments?purpose=photo"))
        .body(jpeg_photo(600, 800))
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 201);
    let photo: Value = photo.json().await.unwrap();
    let photo = photo["id"].as_str().unwrap().to_owned();
    let mut body = registration();
    body["members"][0]["photo"] = json!(photo);
    let registered = client
        .post(format!("{base}/registrations"))
        .header("idempotency-key", new_key())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 201);
    let registered: Value = registered.json().await.unwrap();
    let id = registered["id"].as_str().unwrap().to_owned();

    let guess = client
        .get(format!("{base}/registrations"))
        .bearer_auth("acc_not_a_token")
        .send()
        .await
        .unwrap();
    assert_eq!(guess.status(), 401);
    let export = client
        .get(format!("{base}/exports/participants.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    let download = client
        .get(format!("{base}/attachments/{photo}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let decided = client
        .patch(format!("{base}/registrations/{id}"))
        .bearer_auth(&token)
        .json(&json!({"status": "approved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 200, "{}", decided.text().await.unwrap());

    let (data_path, log_path, tid) = (data.path().to_owned(), log.clone(), token_id.clone());
    tokio::task::spawn_blocking(move || {
        cli(&data_path, &log_path, &today, &["token", "revoke", &tid]);
        // Past the retention period (90 days after 2027-04-22).
        cli(&data_path, &log_path, "2027-08-01", &["purge"]);
    })
    .await
    .unwrap();
    drop(process);

    let log_path = log.clone();
    let lines = tokio::task::spawn_blocking(move || lines_once_complete(&log_path))
        .await
        .unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let line = |action: &str| {
        lines
            .iter()
            .find(|l| l["action"] == action)
            .unwrap_or_else(|| panic!("no {action} line"))
            .clone()
    };
    for action in ACTIONS {
        let l = line(action);
        assert_eq!(l["event"], EVENT, "{l}");
        for field in ["token_id", "client", "count"] {
            assert!(l.get(field).is_some(), "{action} has no {field}: {l}");
        }
        assert_eq!(l["target"], "accredit_server::security", "{l}");
        assert!(l["timestamp"].is_string(), "{l}");
    }
    for action in [
        "token.created",
        "export",
        "attachment.download",
        "status.changed",
        "token.revoked",
    ] {
        assert_eq!(line(action)["token_id"], token_id.as_str(), "{action}");
    }
    for action in [
        "auth.failed",
        "export",
        "attachment.download",
        "status.changed",
    ] {
        assert_eq!(line(action)["client"], "127.0.0.1", "{action}");
    }
    for action in ["token.created", "token.revoked", "purge"] {
        assert_eq!(line(action)["client"], "command-line", "{action}");
    }
    assert_eq!(line("auth.failed")["token_id"], "");
    assert_eq!(line("auth.failed")["reason"], "unknown");
    assert_eq!(line("export")["count"], 1, "one participant exported");
    assert_eq!(line("export")["what"], "participants.csv");
    assert_eq!(line("attachment.download")["attachment_id"], photo.as_str());
    assert_eq!(line("status.changed")["registration_id"], id.as_str());
    assert_eq!(line("status.changed")["to"], "approved");
    assert_eq!(line("purge")["count"], 1, "one registration purged");
    assert_eq!(
        line("purge")["tokens"],
        0,
        "the only token was revoked before"
    );

    // Never a secret, never personal data.
    for secret in [
        token.as_str(),
        "acc_not_a_token",
        "Imran",
        "Ahmed",
        "DP1234567",
        "a.khan@example.pk",
        "Ayesha",
        "1970-05-01",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} is in the security log:\n{text}"
        );
    }
}

/// The id of the only organiser token in the data folder.
fn data_storage_token_id(data: &Path) -> String {
    use accredit_server::storage::Storage;
    let storage = accredit_server::storage::sqlite::Sqlite::open(data).unwrap();
    let tokens = storage.tokens(EVENT).unwrap();
    assert_eq!(tokens.len(), 1);
    tokens[0].id.clone()
}
