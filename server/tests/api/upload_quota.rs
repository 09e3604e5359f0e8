//! Limits on uploads that no registration claims yet: per client address
//! over the last 24 hours, and per event.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::upload_quota::SizeLimit;
use serde_json::{Value, json};
use std::sync::Arc;

const CLIENT: &str = "198.51.100.7";
const OTHER_CLIENT: &str = "198.51.100.8";
const DAY: i64 = 24 * 60 * 60;

/// The size of `pdf()` once stored (the server writes letters anew).
fn stored_size() -> u64 {
    let (_, cleaned) = accredit_server::attachments::prepare(&pdf(), None, u64::MAX).unwrap();
    cleaned.len() as u64
}

/// A server behind a trusted proxy (`X-Forwarded-For`), whose event takes
/// files of up to two letters, with these limits in letters.
async fn server_with(per_client: Option<f64>, per_event: Option<f64>) -> TestServer {
    let size = stored_size() as f64;
    let limit = |letters: Option<f64>| {
        letters.map_or(SizeLimit::Off, |n| SizeLimit::Bytes((n * size) as u64))
    };
    TestServer::with(|s: &mut Settings| {
        s.client_ip_header = Some(axum::http::HeaderName::from_static("x-forwarded-for"));
        s.events.get_mut(EVENT).unwrap().limits.attachment_max_bytes = 2 * stored_size();
        s.upload_limits.per_client = limit(per_client);
        s.upload_limits.per_event = limit(per_event);
    })
    .await
}

/// Uploads the letter as the proxy forwards it from `client`.
async fn upload_from(server: &TestServer, client: &str) -> reqwest::Response {
    server
        .client
        .post(server.event_url("/attachments?purpose=letter"))
        .header("x-forwarded-for", client)
        .body(pdf())
        .send()
        .await
        .unwrap()
}

async fn stored_from(server: &TestServer, client: &str) -> String {
    let response = upload_from(server, client).await;
    assert_eq!(response.status(), 201, "upload from {client}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["size"], stored_size());
    body["id"].as_str().unwrap().to_owned()
}

/// 429 with `code`; its `Retry-After` in seconds.
async fn refused(response: reqwest::Response, code: &str) -> i64 {
    let wait = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    problem(response, 429, code).await;
    wait.expect("Retry-After")
}

fn with_letter(letter: &str) -> Value {
    let mut body = registration();
    body["delegation"]["credentials_letter"] = json!(letter);
    body
}

/// The client column of an attachment row.
fn client_of(server: &TestServer, id: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(server.data_dir.path().join("accredit.sqlite3")).unwrap();
    conn.query_row(
        "SELECT client FROM attachments WHERE id = ?1",
        [id],
        |row| row.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn an_address_uploads_until_its_quota_then_waits_for_its_oldest_upload_to_leave_the_window() {
    let server = server_with(Some(2.5), None).await;
    let started = server.clock.now();
    stored_from(&server, CLIENT).await;
    server.clock.advance(10 * 3600);
    stored_from(&server, CLIENT).await;
    // A third would make three letters where two and a half fit.
    let wait = refused(upload_from(&server, CLIENT).await, "upload.quota_exceeded").await;
    // Room comes back when the first upload is 24 hours old: 14 hours
    // from now on the server's clock (less the seconds the test took).
    let elapsed = server.clock.now() - started - 10 * 3600;
    assert!(
        (14 * 3600 - elapsed - 1..=14 * 3600).contains(&wait),
        "{wait}"
    );

    // Another address behind the same proxy has its own quota; what a
    // client writes before the proxy's entry changes nothing.
    stored_from(&server, OTHER_CLIENT).await;
    let spoofed = format!("{OTHER_CLIENT}, {CLIENT}");
    refused(
        upload_from(&server, &spoofed).await,
        "upload.quota_exceeded",
    )
    .await;

    // Shortly before the first upload leaves the window it still counts…
    server.clock.advance(wait - 60);
    let wait = refused(upload_from(&server, CLIENT).await, "upload.quota_exceeded").await;
    assert!((1..=60).contains(&wait), "{wait}");
    // …and once it has, there is room for one more.
    server.clock.advance(wait);
    stored_from(&server, CLIENT).await;
    refused(upload_from(&server, CLIENT).await, "upload.quota_exceeded").await;
}

#[tokio::test]
async fn claimed_uploads_no_longer_count_and_lose_their_uploaders_address() {
    let server = server_with(Some(2.5), None).await;
    let first = stored_from(&server, CLIENT).await;
    let second = stored_from(&server, CLIENT).await;
    refused(upload_from(&server, CLIENT).await, "upload.quota_exceeded").await;
    assert_eq!(client_of(&server, &first).as_deref(), Some(CLIENT));

    assert_eq!(server.register(&with_letter(&first)).await.status(), 201);
    assert_eq!(
        client_of(&server, &first),
        None,
        "the registration keeps no address"
    );
    assert_eq!(client_of(&server, &second).as_deref(), Some(CLIENT));
    stored_from(&server, CLIENT).await;
    refused(upload_from(&server, CLIENT).await, "upload.quota_exceeded").await;
}

#[tokio::test]
async fn concurrent_uploads_from_one_address_never_exceed_its_quota() {
    let server = Arc::new(server_with(Some(3.5), None).await);
    let mut uploads = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let server = server.clone();
        uploads.spawn(async move { upload_from(&server, CLIENT).await.status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = uploads.join_next().await {
        statuses.push(status.unwrap());
    }
    statuses.sort_unstable();
    let mut expected = vec![201; 3];
    expected.extend([429; 9]);
    assert_eq!(statuses, expected);
}

#[tokio::test]
async fn an_event_full_of_unclaimed_uploads_refuses_every_address() {
    let server = server_with(None, Some(2.5)).await;
    let first = stored_from(&server, CLIENT).await;
    stored_from(&server, OTHER_CLIENT).await;
    let wait = refused(
        upload_from(&server, "203.0.113.9").await,
        "upload.event_storage_full",
    )
    .await;
    assert_eq!(wait, 3600);
    // A registration claiming one makes room for one.
    assert_eq!(server.register(&with_letter(&first)).await.status(), 201);
    stored_from(&server, "203.0.113.9").await;
    refused(
        upload_from(&server, CLIENT).await,
        "upload.event_storage_full",
    )
    .await;
}

/// A PNG of noise, which no encoder can shrink: about 3.2 MB.
fn incompressible_png() -> Vec<u8> {
    let mut state: u32 = 0x9E37_79B9;
    let image = image::RgbImage::from_fn(900, 1200, |_, _| {
        let mut channel = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        };
        image::Rgb([channel(), channel(), channel()])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The real binary with `--upload-quota` behind `X-Forwarded-For`, on `data`.
fn start_binary(data: &std::path::Path) -> accredit_test_support::ServerProcess {
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", accredit_test_support::free_port())
        .parse()
        .unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"));
    command
        .args(["serve", "--rate-limit", "off", "--addr", &addr.to_string()])
        .args([
            "--upload-quota",
            "5MB",
            "--client-ip-header",
            "X-Forwarded-For",
        ])
        .arg("--data-dir")
        .arg(data)
        .arg("--dist")
        .arg(data)
        .args(["--today", &test_today().to_string()])
        .env("RUST_LOG", "error")
        .stderr(std::process::Stdio::null());
    accredit_test_support::ServerProcess::start(command, addr, std::time::Duration::from_secs(15))
}

#[tokio::test]
async fn the_quota_is_kept_in_the_database_and_survives_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let png = incompressible_png();
    assert!(png.len() > 5 * 1024 * 1024 / 2 && png.len() < 5 * 1024 * 1024);
    let client = reqwest::Client::new();
    let upload = |base: String, png: Vec<u8>| {
        let client = client.clone();
        async move {
            client
                .post(format!("{base}/api/v1/events/{EVENT}/attachments"))
                .header("x-forwarded-for", CLIENT)
                .body(png)
                .send()
                .await
                .unwrap()
        }
    };
    let path = data.path().to_path_buf();
    let first = tokio::task::spawn_blocking(move || start_binary(&path))
        .await
        .unwrap();
    assert_eq!(upload(first.base_url(), png.clone()).await.status(), 201);
    let wait = refused(
        upload(first.base_url(), png.clone()).await,
        "upload.quota_exceeded",
    )
    .await;
    assert!((DAY - 60..=DAY).contains(&wait), "{wait}");
    drop(first); // SIGKILL: nothing of the quota is in memory.

    let path = data.path().to_path_buf();
    let second = tokio::task::spawn_blocking(move || start_binary(&path))
        .await
        .unwrap();
    let wait = refused(
        upload(second.base_url(), png.clone()).await,
        "upload.quota_exceeded",
    )
    .await;
    assert!((DAY - 60..=DAY).contains(&wait), "{wait}");
}
