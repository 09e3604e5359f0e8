//! Durability of the server binary: kill -9 under load, the outbox across
//! a crash while the mail server is down, and a full disk.
//!
//! Both start the real `accredit-server` executable, so what is tested is
//! what runs in production: its fsyncs, its transactions, its signal
//! handling.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use accredit_test_support::payload::EVENT;

struct Server {
    process: accredit_test_support::ServerProcess,
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
        let port = accredit_test_support::free_port();
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let binary = env!("CARGO_BIN_EXE_accredit-server");
        let mut command = match file_size_limit {
            Some(bytes) => {
                let mut c = Command::new("prlimit");
                c.arg(format!("--fsize={bytes}")).arg("--").arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
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
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--dist")
            .arg(data_dir)
            .args(extra)
            .env("RUST_LOG", "error")
            .stderr(std::process::Stdio::null());
        let process = tokio::task::spawn_blocking(move || {
            accredit_test_support::ServerProcess::start(command, addr, Duration::from_secs(15))
        })
        .await
        .unwrap();
        let base = process.base_url();
        Server { process, base }
    }

    /// SIGKILL: no shutdown code runs.
    fn kill9(self) {
        drop(self.process);
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/events/{EVENT}{path}", self.base)
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
                let key = format!("crash-round-{round}-{n:06}");
                bodies.insert(key.clone(), accredit_test_support::payload::numbered(n));
                keys.push((key, accredit_test_support::payload::numbered(n)));
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
/// What filling the disk left: the acknowledged uploads and registrations,
/// and the code of every refusal.
struct Filled {
    attachments: Vec<String>,
    registrations: Vec<String>,
    /// Status and code of every refusal.
    refusals: Vec<(u16, String)>,
    /// The registrations refused, by key and payload number.
    refused: Vec<(String, usize)>,
}

/// Uploads 150 KiB letters until the storage refuses them, with a
/// registration attempted after each refusal; a 2xx is recorded as
/// acknowledged, anything else must be a 5xx problem.
async fn fill(server: &Server) -> Filled {
    let client = reqwest::Client::new();
    let mut filled = Filled {
        attachments: Vec::new(),
        registrations: Vec::new(),
        refusals: Vec::new(),
        refused: Vec::new(),
    };
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
            201 => filled
                .attachments
                .push(body["id"].as_str().unwrap().to_owned()),
            500..=599 => {
                filled
                    .refusals
                    .push((status, body["code"].as_str().unwrap_or_default().to_owned()));
                let key = format!("full-disk-retry-{n:06}");
                let (status, body) = post(
                    &client,
                    &server.url("/registrations"),
                    &key,
                    &accredit_test_support::payload::numbered(n),
                )
                .await
                .unwrap();
                if status == 201 {
                    filled
                        .registrations
                        .push(body["id"].as_str().unwrap().to_owned());
                } else {
                    assert!((500..600).contains(&status), "{status} {body}");
                    filled
                        .refusals
                        .push((status, body["code"].as_str().unwrap_or_default().to_owned()));
                    filled.refused.push((key, n));
                }
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(!filled.refusals.is_empty(), "the storage filled up");
    assert!(!filled.attachments.is_empty());
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
    filled
}

/// The database is sound and holds everything that was acknowledged.
fn assert_acknowledged_kept(dir: &Path, filled: &Filled) {
    let conn = open_db(dir);
    assert_eq!(integrity(&conn), "ok");
    for (table, ids) in [
        ("attachments", &filled.attachments),
        ("registrations", &filled.registrations),
    ] {
        for id in ids {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT COUNT(*) FROM {table} WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "acknowledged {table} row {id} lost");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_size_limit_gives_5xx_never_a_false_2xx() {
    let dir = tempfile::tempdir().unwrap();
    // Create and migrate the database without a limit first.
    Server::start(dir.path(), None).await.kill9();
    // `prlimit --fsize`: writes past 2 MiB fail with EFBIG (the server
    // also gets SIGXFSZ, which it reports and survives).
    let server = Server::start(dir.path(), Some(2 * 1024 * 1024)).await;
    let filled = fill(&server).await;
    for (status, code) in &filled.refusals {
        assert!(
            matches!(code.as_str(), "storage.full" | "storage.unavailable"),
            "{status} {code}"
        );
    }
    server.kill9();
    assert_acknowledged_kept(dir.path(), &filled);
}

/// A tmpfs of `bytes` on a new folder: a disk that really fills up
/// (ENOSPC). Unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(bytes: u64) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={bytes},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .expect("mount runs");
        assert!(
            output.status.success(),
            "cannot mount a tmpfs (this test needs root or CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Frees space: the file system grows to `bytes`.
    fn grow(&self, bytes: u64) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={bytes}")])
            .arg(self.dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "the tmpfs grows");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_really_full_disk_gives_storage_full_never_a_false_2xx() {
    // Declared before the server, so the server stops before the unmount.
    let disk = SmallDisk::mount(3 * 1024 * 1024);
    let server = Server::start(disk.path(), None).await;
    let filled = fill(&server).await;
    for (status, code) in &filled.refusals {
        assert_eq!(
            (*status, code.as_str()),
            (507, "storage.full"),
            "ENOSPC is a full disk"
        );
    }
    // Space freed (the file system grown): a refused registration, retried
    // with its key, is stored once.
    let (key, n) = filled
        .refused
        .first()
        .cloned()
        .expect("a registration was refused on the full disk");
    disk.grow(16 * 1024 * 1024);
    let client = reqwest::Client::new();
    let url = server.url("/registrations");
    let (status, first) = post(
        &client,
        &url,
        &key,
        &accredit_test_support::payload::numbered(n),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{first}");
    let (status, again) = post(
        &client,
        &url,
        &key,
        &accredit_test_support::payload::numbered(n),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{again}");
    assert_eq!(first["id"], again["id"], "the same registration, replayed");
    server.kill9();
    assert_acknowledged_kept(disk.path(), &filled);
    let stored: i64 = open_db(disk.path())
        .query_row(
            "SELECT COUNT(*) FROM registrations WHERE id = ?1",
            [first["id"].as_str().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 1);
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
            &format!("outbox-crash-{n:06}"),
            &accredit_test_support::payload::numbered(n),
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
