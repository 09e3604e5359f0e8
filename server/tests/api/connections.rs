//! The connection limits, seen from raw TCP clients: a request head that
//! never finishes, a connection left idle, more connections than the cap,
//! a handler that takes too long, and a shutdown with a request under way.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::connections::Limits;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection (end of stream or reset);
/// returns what it sent and when it closed. Panics after `limit`.
async fn until_closed(
    stream: &mut (impl tokio::io::AsyncRead + Unpin),
    limit: Duration,
) -> (Vec<u8>, Instant) {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit, stream.read(&mut chunk)).await {
            Err(_) => panic!(
                "still open after {limit:?}; received {:?}",
                String::from_utf8_lossy(&received)
            ),
            Ok(Ok(0) | Err(_)) => return (received, Instant::now()),
            Ok(Ok(n)) => received.extend_from_slice(&chunk[..n]),
        }
    }
}

/// One response read off a kept-alive connection (head and a
/// `Content-Length` body); `None` if the connection closed first.
async fn response(stream: &mut TcpStream) -> Option<String> {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                return Some(text);
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        received.extend_from_slice(&chunk[..n]);
    }
}

fn healthz(server: &TestServer, keep_alive: bool) -> String {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    format!(
        "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: {connection}\r\n\r\n",
        server.addr
    )
}

async fn server_with(limits: Limits) -> TestServer {
    TestServer::with(move |s: &mut Settings| s.connections = limits).await
}

#[tokio::test]
async fn a_request_head_sent_slower_than_the_head_timeout_is_cut() {
    let server = server_with(Limits {
        header_read_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(60),
        ..Limits::default()
    })
    .await;

    // A head sent byte by byte but complete within the limit is answered.
    let mut quick = TcpStream::connect(server.addr).await.unwrap();
    for byte in healthz(&server, false).bytes() {
        quick.write_all(&[byte]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (answer, _) = until_closed(&mut quick, Duration::from_secs(10)).await;
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");

    // Slowloris: one byte every 300 ms would take 15 s for this head.
    let (mut read, mut write) = TcpStream::connect(server.addr).await.unwrap().into_split();
    let start = Instant::now();
    let head = healthz(&server, true);
    let sender = tokio::spawn(async move {
        for byte in head.bytes() {
            if write.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        // Kept open: only the server may close this connection.
        std::future::pending::<()>().await;
    });
    let (answer, at) = until_closed(&mut read, Duration::from_secs(10)).await;
    sender.abort();
    assert_cut_by_head_timeout(at - start, &answer);

    // A head begun and never finished.
    let mut stalled = TcpStream::connect(server.addr).await.unwrap();
    let start = Instant::now();
    stalled
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (answer, at) = until_closed(&mut stalled, Duration::from_secs(10)).await;
    assert_cut_by_head_timeout(at - start, &answer);

    // A connection that sends nothing at all.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let start = Instant::now();
    let (answer, at) = until_closed(&mut silent, Duration::from_secs(10)).await;
    assert_cut_by_head_timeout(at - start, &answer);
}

/// Closed about 2 s after it opened, with no answer or with hyper's 408:
/// never a served request.
fn assert_cut_by_head_timeout(took: Duration, answer: &[u8]) {
    assert!(
        took >= Duration::from_millis(1800) && took < Duration::from_secs(4),
        "closed after {took:?}"
    );
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{:?}",
        String::from_utf8_lossy(answer)
    );
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed() {
    let server = server_with(Limits {
        idle_timeout: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // Two requests on one connection: keep-alive works.
    for _ in 0..2 {
        stream
            .write_all(healthz(&server, true).as_bytes())
            .await
            .unwrap();
        let answer = response(&mut stream).await.expect("an answer");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    let answered = Instant::now();
    let (rest, at) = until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    let idle = at - answered;
    assert!(
        idle >= Duration::from_millis(800) && idle < Duration::from_secs(4),
        "closed after {idle:?} idle"
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_in_the_queue_until_one_closes() {
    let mut server = server_with(Limits {
        max_connections: 2,
        ..Limits::default()
    })
    .await;
    // The client that waited for the server to start keeps a connection
    // open; dropping it closes that one.
    server.client = reqwest::Client::new();
    // Two connections, each answered once (so each is being served) and
    // kept open.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        stream
            .write_all(healthz(&server, true).as_bytes())
            .await
            .unwrap();
        assert!(
            response(&mut stream)
                .await
                .unwrap()
                .starts_with("HTTP/1.1 200")
        );
        held.push(stream);
    }
    // A third is taken by the kernel's queue, not served.
    let mut third = TcpStream::connect(server.addr).await.unwrap();
    third
        .write_all(healthz(&server, false).as_bytes())
        .await
        .unwrap();
    let mut chunk = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(1500), third.read(&mut chunk)).await;
    assert!(
        early.is_err(),
        "a third connection was served beyond the cap of two: {:?}",
        early.map(|r| r.map(|n| String::from_utf8_lossy(&chunk[..n]).into_owned()))
    );
    // One of the two closes: the third is served.
    let closed = Instant::now();
    drop(held.remove(0));
    let (answer, at) = until_closed(&mut third, Duration::from_secs(5)).await;
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");
    assert!(at - closed < Duration::from_secs(2), "{:?}", at - closed);
}

/// Holds the database's write lock from another connection, as another
/// process (a stuck `sqlite3` shell, say) could: every write waits for it.
fn lock_writes(server: &TestServer) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(server.data_dir.path().join("accredit.sqlite3")).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

#[tokio::test]
async fn a_handler_over_its_time_limit_is_answered_503_and_a_retry_is_safe() {
    let server = server_with(Limits {
        handler_timeout: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    let lock = lock_writes(&server);
    let key = new_key();
    let start = Instant::now();
    let response = server.register_with_key(&registration(), &key).await;
    let took = start.elapsed();
    // The storage would have given up after its 5 s busy timeout.
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert_eq!(response.headers()["retry-after"], "5");
    problem(response, 503, "server.timeout").await;
    drop(lock);
    let retry = server.register_with_key(&registration(), &key).await;
    assert_eq!(retry.status(), 201);
    use accredit_server::storage::Storage;
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);
}

/// A raw POST of `body` to `path`, sent at `bytes_per_sec` in 4 KiB
/// pieces; the server's answer (status line onwards).
pub async fn send_throttled(
    server: &TestServer,
    path: &str,
    content_type: &str,
    body: &[u8],
    bytes_per_sec: u64,
) -> String {
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\n\
         Idempotency-Key: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        new_key(),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let start = Instant::now();
    let mut sent = 0usize;
    for piece in body.chunks(4096) {
        if stream.write_all(piece).await.is_err() {
            break; // the server answered early and closed
        }
        sent += piece.len();
        let due = Duration::from_secs_f64(sent as f64 / bytes_per_sec as f64);
        tokio::time::sleep_until((start + due).into()).await;
    }
    let (answer, _) = until_closed(&mut stream, Duration::from_secs(30)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_slow_but_steady_upload_is_not_cut_by_the_handler_time_limit() {
    let server = server_with(Limits {
        handler_timeout: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    // About 4 s for a 600 kB photo at 150 kB/s: well over the handler's
    // second, well above the minimum body rate (8 KiB/s).
    let (photo, _) = noise_png(400, 500);
    assert!(photo.len() > 590_000, "{}", photo.len());
    let start = Instant::now();
    let answer = send_throttled(
        &server,
        &format!("/api/v1/events/{EVENT}/attachments?purpose=photo"),
        "image/png",
        &photo,
        150_000,
    )
    .await;
    assert!(start.elapsed() > Duration::from_millis(2500));
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
}

#[tokio::test]
async fn on_shutdown_the_request_under_way_is_finished_and_no_new_one_is_taken() {
    let data_dir = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let mut settings = Settings::new(
        accredit_server::events::demo(),
        dist.path().to_path_buf(),
        data_dir.path().to_path_buf(),
    );
    settings.rate_limit = accredit_server::rate_limit::RateLimit::Off;
    settings.clock = accredit_server::clock::Clock::on(test_today());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(accredit_server::serve_until(listener, settings, async {
        let _ = stopped.await;
    }));
    // Half a registration, then the server is told to stop.
    let body = registration().to_string();
    let mut slow = loop {
        if let Ok(stream) = TcpStream::connect(addr).await {
            break stream;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let head = format!(
        "POST /api/v1/events/{EVENT}/registrations HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/json\r\nIdempotency-Key: {}\r\nContent-Length: {}\r\n\r\n",
        new_key(),
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body.as_bytes()[..body.len() / 2])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    // New connections are refused once the listener is closed.
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still accepting after shutdown");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!server.is_finished(), "stopped with a request under way");
    // The request under way completes.
    slow.write_all(&body.as_bytes()[body.len() / 2..])
        .await
        .unwrap();
    let (answer, _) = until_closed(&mut slow, Duration::from_secs(10)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops once its last request is done")
        .unwrap()
        .unwrap();
    use accredit_server::storage::Storage;
    let stored = accredit_server::storage::sqlite::Sqlite::open(data_dir.path()).unwrap();
    assert_eq!(stored.registrations(EVENT).unwrap().len(), 1);
}
