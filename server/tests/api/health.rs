//! `/healthz` reads and writes the database for real: 200 while both
//! work, 503 with a problem document when either does not.

use crate::common::*;
use std::time::{Duration, Instant};

async fn health(server: &TestServer) -> reqwest::Response {
    server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap()
}

/// Polls `/healthz` until it answers `status`, for at most 15 s.
async fn until_health_is(server: &TestServer, status: u16) -> reqwest::Response {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let response = health(server).await;
        if response.status() == status {
            return response;
        }
        assert!(
            Instant::now() < deadline,
            "/healthz still {} instead of {status}",
            response.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_healthy_server_answers_200() {
    let server = TestServer::start().await;
    let response = health(&server).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn a_database_locked_against_writes_is_503_until_the_lock_goes() {
    let server = TestServer::start().await;
    // Another process holds the write lock: every write would wait, then fail.
    let other =
        rusqlite::Connection::open(server.data_dir.path().join("accredit.sqlite3")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let start = Instant::now();
    let response = health(&server).await;
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(response.headers()["retry-after"], "5");
    let body = problem(response, 503, "storage.unavailable").await;
    assert!(
        body["detail"].as_str().unwrap().contains("writes"),
        "{body}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    until_health_is(&server, 200).await;
    assert_eq!(server.register(&registration()).await.status(), 201);
}

#[tokio::test]
async fn a_database_file_replaced_by_garbage_is_503() {
    let server = TestServer::start().await;
    assert_eq!(server.register(&registration()).await.status(), 201);
    let file = server.data_dir.path().join("accredit.sqlite3");
    // Everything into the file itself (as after the server's own
    // checkpoints), so that the file is what is read.
    let conn = rusqlite::Connection::open(&file).unwrap();
    let busy: i64 = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(busy, 0);
    drop(conn);
    let length = std::fs::metadata(&file).unwrap().len() as usize;
    let garbage: Vec<u8> = (0..length.max(4096)).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&file, garbage).unwrap();
    let response = until_health_is(&server, 503).await;
    let body = problem(response, 503, "storage.unavailable").await;
    assert!(body["detail"].as_str().unwrap().contains("read"), "{body}");
}

#[tokio::test]
async fn a_database_file_deleted_is_503() {
    let server = TestServer::start().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(
            server
                .data_dir
                .path()
                .join(format!("accredit.sqlite3{suffix}")),
        );
    }
    problem(
        until_health_is(&server, 503).await,
        503,
        "storage.unavailable",
    )
    .await;
    // The check created nothing in place of the file.
    assert!(!server.data_dir.path().join("accredit.sqlite3").exists());
}
