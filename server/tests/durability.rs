//! Durability of the server binary: kill -9 under load, the outbox across
//! a crash while the mail server is down, and a full disk.
//!
//! Both start the real `accredit-server` executable, so what is tested is
//! what runs in production: its fsyncs, its transactions, its signal
//! handling.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EVENT: &str = "islamabad-tip-som";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts the binary, optionally under `prlimit --fsize=<bytes>`, and
    /// waits until it answers.
    async fn start(data_dir: &Path, file_size_limit: Option<u64>) -> Server {
        Server::start_with(data_dir, file_size_limit, &[]).await
    }

    /// [`Server::start`] with more arguments for `serve`.
    async fn start_with(data_dir: &Path, file_size_limit: Option<u64>, extra: &[&str]) -> Server {
        let port = free_port();
        let binary = env!("CARGO_BIN_EXE_accredit-server");
        let mut command = match file_size_limit {
            Some(bytes) => {
                let mut c = Command::new("prlimit");
                c.arg(format!("--fsize={bytes}")).arg("--").arg(binary);
                c
            }
            None => Command::new(binary),
        };
        let child = command
            // The demo file's own calendar, whatever the real date: the
            // payloads below carry fixed dates.
            .args([
                "serve",
                "--today",
                "2027-03-02",
                "--rate-limit",
                "off",
                "--addr",
            ])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--dist")
            .arg(data_dir)
            .args(extra)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(15);
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Server { child, base }
    }

    /// `Child::kill` sends SIGKILL: no shutdown code runs.
    fn kill9(self) {
        drop(self);
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/events/{EVENT}{path}", self.base)
    }
}

/// A test that ends (or fails) never leaves its server running: it would
/// hold the port, the data folder, and the output pipe of whatever runs
/// the tests (faketime waits for that pipe to close).
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn registration(n: usize) -> Value {
    json!({
        "event": EVENT, "language": "en",
        "delegation": {"kind": "member_state", "country": "PK"},
        "focal_point": {"given_names": "Ayesha", "family_name": "Khan", "email": "a.khan@example.pk", "phone": "+92 51 1234567"},
        "members": [{
            "given_names": "Imran", "family_name": format!("Ahmed {}", letters(n)), "function": "Director",
            "institution": "Ministry of Interior", "nationality": "PK", "email": format!("m{n}@example.pk"),
            "category": "head_of_delegation",
            "identity_document": {"kind": "passport", "number": format!("DP{n:07}"), "issuing_country": "PK", "expires_on": "2030-01-31"},
            "date_of_birth": "1970-05-01"
        }],
        "consent": {"data_processing": true}
    })
}

/// `n` written in letters (names may not contain digits).
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    body: &Value,
) -> Result<(u16, Value), reqwest::Error> {
    let response = client
        .post(url)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

fn open_db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join("accredit.sqlite3")).unwrap()
}

fn integrity(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_registration_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    // key → the body sent with it; acknowledged key → id.
    let mut bodies: BTreeMap<String, Value> = BTreeMap::new();
    let acknowledged: Arc<Mutex<BTreeMap<String, String>>> = Arc::default();
    let mut uncertain: BTreeSet<String> = BTreeSet::new();
    let mut n = 0;
    for round in 0..5 {
        let server = Server::start(dir.path(), None).await;
        // Requests whose fate the previous crash hid are retried with their
        // key: each must now succeed, exactly once.
        for key in std::mem::take(&mut uncertain) {
            let (status, body) = post(&client, &server.url("/registrations"), &key, &bodies[&key])
                .await
                .unwrap();
            assert_eq!(status, 201, "retry of {key} after the crash: {body}");
            acknowledged
                .lock()
                .unwrap()
                .insert(key, body["id"].as_str().unwrap().to_owned());
        }
        let url = server.url("/registrations");
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let mut keys = Vec::new();
            for _ in 0..600 {
                n += 1;
                let key = format!("crash-{round}-{n}");
                bodies.insert(key.clone(), registration(n));
                keys.push((key, registration(n)));
            }
            let (client, url, acknowledged) = (client.clone(), url.clone(), acknowledged.clone());
            tasks.push(tokio::spawn(async move {
                let mut unknown = Vec::new();
                let mut iter = keys.into_iter();
                for (key, body) in iter.by_ref() {
                    match post(&client, &url, &key, &body).await {
                        Ok((201, body)) => {
                            acknowledged
                                .lock()
                                .unwrap()
                                .insert(key, body["id"].as_str().unwrap().to_owned());
                        }
                        Ok((status, body)) => panic!("unexpected {status}: {body}"),
                        Err(_) => {
                            unknown.push(key);
                            break;
                        }
                    }
                }
                unknown
            }));
        }
        // Kill once a number of registrations (different every round) has
        // been acknowledged in this round, so the crash falls while
        // requests are in flight, at a different point each time.
        let target = acknowledged.lock().unwrap().len() + 150 + 60 * round;
        let deadline = Instant::now() + Duration::from_secs(60);
        while acknowledged.lock().unwrap().len() < target {
            assert!(
                Instant::now() < deadline,
                "round {round}: fewer than {target} acknowledged in 60 s"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill9();
        for task in tasks {
            uncertain.extend(task.await.unwrap());
        }
    }
    let server = Server::start(dir.path(), None).await;
    for key in std::mem::take(&mut uncertain) {
        let (status, body) = post(&client, &server.url("/registrations"), &key, &bodies[&key])
            .await
            .unwrap();
        assert_eq!(status, 201);
        acknowledged
            .lock()
            .unwrap()
            .insert(key, body["id"].as_str().unwrap().to_owned());
    }
    server.kill9();

    let acknowledged = acknowledged.lock().unwrap();
    assert!(
        acknowledged.len() > 20,
        "the load reached the server ({} stored)",
        acknowledged.len()
    );
    let conn = open_db(dir.path());
    assert_eq!(integrity(&conn), "ok");
    let mut count = conn
        .prepare("SELECT COUNT(*) FROM registrations WHERE id = ?1")
        .unwrap();
    let mut by_key = conn
        .prepare("SELECT COUNT(*) FROM idempotency WHERE event = ?1 AND key = ?2")
        .unwrap();
    for (key, id) in acknowledged.iter() {
        let rows: i64 = count.query_row([id], |r| r.get(0)).unwrap();
        assert_eq!(
            rows, 1,
            "acknowledged registration {id} stored {rows} times"
        );
        let keys: i64 = by_key
            .query_row([EVENT, key.as_str()], |r| r.get(0))
            .unwrap();
        assert_eq!(keys, 1);
    }
    // Nothing was stored twice: one row per key that was ever acknowledged.
    let total: i64 = conn
        .query_row("SELECT COUNT(*) FROM registrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total as usize, acknowledged.len());
}

/// A full disk, simulated with a file size limit (`prlimit --fsize`):
/// unlike file permissions, RLIMIT_FSIZE binds root too. Writes past it
/// fail with EFBIG; the server must answer 5xx, never a 2xx for data it
/// did not store, and stay up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gives_5xx_never_a_false_2xx() {
    let dir = tempfile::tempdir().unwrap();
    // Create and migrate the database without a limit first.
    Server::start(dir.path(), None).await.kill9();
    let server = Server::start(dir.path(), Some(2 * 1024 * 1024)).await;
    let client = reqwest::Client::new();
    let mut stored_attachments = Vec::new();
    let mut stored_registrations = Vec::new();
    let mut failures = 0;
    for n in 0..40 {
        let file = pdf_of_about(150 * 1024, b'0' + (n % 10) as u8);
        let response = client
            .post(server.url("/attachments"))
            .body(file)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        match status {
            201 => stored_attachments.push(body["id"].as_str().unwrap().to_owned()),
            500..=599 => {
                failures += 1;
                assert!(
                    matches!(
                        body["code"].as_str(),
                        Some("storage.full" | "storage.unavailable")
                    ),
                    "{body}"
                );
                let (status, body) = post(
                    &client,
                    &server.url("/registrations"),
                    &format!("full-disk-{n}"),
                    &registration(n),
                )
                .await
                .unwrap();
                if status == 201 {
                    stored_registrations.push(body["id"].as_str().unwrap().to_owned());
                } else {
                    assert!((500..600).contains(&status), "{status} {body}");
                }
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(failures > 0, "the file size limit was reached");
    assert!(!stored_attachments.is_empty());
    // Still up after the failures.
    assert_eq!(
        client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    server.kill9();

    let conn = open_db(dir.path());
    assert_eq!(integrity(&conn), "ok");
    for id in &stored_attachments {
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM attachments WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "acknowledged attachment {id} lost");
    }
    for id in &stored_registrations {
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM registrations WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "acknowledged registration {id} lost");
    }
}

/// SMTP down, registrations made, `kill -9`, SMTP up, restart: every
/// message queued with an acknowledged registration is delivered, once
/// per registration, none lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_message_is_lost_when_the_server_dies_while_mail_is_down() {
    let dir = tempfile::tempdir().unwrap();
    let sink_dir = tempfile::tempdir().unwrap();
    let mut sink = accredit_test_support::SmtpSink::down(sink_dir.path());
    let url = sink.url();
    let args = ["--smtp-url", url.as_str()];
    let client = reqwest::Client::new();
    let server = Server::start_with(dir.path(), None, &args).await;
    let mut references = BTreeSet::new();
    for n in 0..5 {
        let (status, body) = post(
            &client,
            &server.url("/registrations"),
            &format!("outbox-crash-{n}"),
            &registration(n),
        )
        .await
        .unwrap();
        assert_eq!(status, 201);
        references.insert(body["reference"].as_str().unwrap().to_owned());
    }
    // Wait until the sender has tried (and failed) at least once, so the
    // crash hits messages that are mid-retry, not merely queued.
    let conn = open_db(dir.path());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let tried: i64 = conn
            .query_row("SELECT COUNT(*) FROM outbox WHERE attempts > 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        if tried > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the sender never tried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill9();
    let sent: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sent, 0, "the mail server was down");

    sink.up();
    let _server = Server::start_with(dir.path(), None, &args).await;
    let mails = tokio::task::spawn_blocking(move || {
        let mails = sink.wait_for(5, Duration::from_secs(60));
        drop(sink);
        mails
    })
    .await
    .unwrap();
    let received: BTreeSet<String> = mails
        .iter()
        .map(|m| m.subject.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(received, references, "one message per registration");
    let ids: BTreeSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), mails.len(), "a stable Message-ID per message");
}

/// A PDF (built with `lopdf`) of about `size` bytes: a page whose content
/// stream is mostly a comment of `fill` bytes.
fn pdf_of_about(size: usize, fill: u8) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut content = b"%".to_vec();
    content.resize(size, fill);
    content.extend_from_slice(b"\nBT ET");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
