//! Bodies are judged by their rate, not by a deadline for the whole: a
//! photo over a slow, steady uplink arrives; a body that stalls, or
//! trickles slower than the minimum, is cut with 408 `body.timeout`.

use crate::common::*;
use crate::connections::send_throttled;
use accredit_server::Settings;
use accredit_server::api::body::MinimumRate;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn body_of(answer: &str) -> Value {
    let (_, body) = answer.split_once("\r\n\r\n").expect("a complete answer");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The real numbers, with the default settings: a badge photo of almost
/// 5 MiB (the default `attachment_max_bytes`) over a 1 Mbit/s uplink takes
/// about 42 s, longer than the old 30 s deadline for a whole body, and is
/// accepted.
#[tokio::test]
async fn a_five_mib_photo_over_a_steady_one_mbit_uplink_is_accepted() {
    let server = TestServer::start().await;
    let (photo, pixels) = noise_png(1210, 1440);
    assert!(
        (5_000_000..=5 * 1024 * 1024).contains(&photo.len()),
        "{} bytes",
        photo.len()
    );
    let start = Instant::now();
    let answer = send_throttled(
        &server,
        &format!("/api/v1/events/{EVENT}/attachments?purpose=photo"),
        "image/png",
        &photo,
        1_000_000 / 8,
    )
    .await;
    let took = start.elapsed();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(took > Duration::from_secs(40), "sent in {took:?}");
    // What was stored is the same picture.
    let id = body_of(&answer)["id"].as_str().unwrap().to_owned();
    let stored = server
        .get_as(&server.token(), &format!("/attachments/{id}"))
        .await;
    assert_eq!(stored.status(), 200);
    let stored = stored.bytes().await.unwrap();
    let decoded = image::load_from_memory(&stored).unwrap().to_rgb8();
    assert_eq!(decoded.dimensions(), (1210, 1440));
    assert!(decoded.into_raw() == pixels, "the stored pixels differ");
}

/// The same rule at a smaller scale: 10 kB/s over 1 s windows.
async fn small_rate_server() -> TestServer {
    TestServer::with(|s: &mut Settings| {
        s.body_rate = MinimumRate {
            bytes_per_sec: 10_000,
            window: Duration::from_secs(1),
        };
    })
    .await
}

#[tokio::test]
async fn a_body_above_the_minimum_rate_arrives_and_one_below_it_is_cut() {
    let server = small_rate_server().await;
    let (file, _) = noise_png(120, 160);
    assert!(file.len() > 50_000);
    let path = format!("/api/v1/events/{EVENT}/attachments");
    // Twice the minimum: about 3 s, accepted.
    let answer = send_throttled(&server, &path, "image/png", &file, 20_000).await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    // Half the minimum: cut once a window brings less than 10 kB.
    let start = Instant::now();
    let answer = send_throttled(&server, &path, "image/png", &file, 5_000).await;
    let took = start.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(body_of(&answer)["code"], "body.timeout");
    assert!(took < Duration::from_secs(4), "cut after {took:?}");
}

#[tokio::test]
async fn a_stalled_registration_is_cut_within_a_window_and_frees_its_key() {
    let server = small_rate_server().await;
    let key = new_key();
    let body = registration().to_string();
    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/events/{EVENT}/registrations HTTP/1.1\r\nHost: {}\r\n\
         Content-Type: application/json\r\nIdempotency-Key: {key}\r\nContent-Length: {}\r\n\r\n",
        server.addr,
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body.as_bytes()[..body.len() / 2])
        .await
        .unwrap();
    let stalled = Instant::now();
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains("body.timeout") {
        let n = tokio::time::timeout(Duration::from_secs(10), slow.read(&mut chunk))
            .await
            .expect("an answer within 10 s")
            .unwrap();
        assert!(n > 0, "closed: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&chunk[..n]);
    }
    let took = stalled.elapsed();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"));
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "cut after {took:?}"
    );
    let retry = server.register_with_key(&registration(), &key).await;
    assert_eq!(retry.status(), 201);
}
