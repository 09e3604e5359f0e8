//! `cargo bench -p accredit-server --bench server`: the server's performance
//! targets, measured on this machine, printed as a Markdown table and
//! written to `target/bench/server.md` (under `CARGO_TARGET_DIR` if set).
//!
//! Everything goes through the real server binary over loopback HTTP,
//! started with rate limits off and a temporary data directory:
//! - ingest: registrations posted by 16 concurrent clients, against raw
//!   rusqlite inserts of the same rows (same schema, same pragmas, one
//!   durable transaction per registration, as the API guarantees);
//! - export: participants.csv of 10,000 participants (2,500 delegations of 4);
//! - latency: an open-loop generator at 200 requests/s for 10 s; latency is
//!   measured from each request's scheduled start, so a stalled server is
//!   not hidden by the generator waiting for it;
//! - memory: VmRSS of the server process from /proc, idle after start-up
//!   and the peak while under the loads above.

use accredit_server::storage::{migrations, sqlite};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const EVENT: &str = "islamabad-tip-som";
const DELEGATIONS: usize = 2_500;
const MEMBERS: usize = 4;
const CONCURRENCY: usize = 16;
const RATE: u64 = 200;
const LOAD_SECS: u64 = 10;

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not ours means
    // another bench was asked for.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !"server".contains(&f)) {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(run());
    println!("\n{report}");
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("server.md"), &report).unwrap();
    println!("written to {}", dir.join("server.md").display());
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
            manifest.parent().unwrap_or(manifest).join("target")
        })
}

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_accredit-server"))
            .args(["serve", "--rate-limit", "off", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(dir.path())
            .arg("--dist")
            .arg(dir.path())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Server {
            child,
            base,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/events/{EVENT}{path}", self.base)
    }

    /// Resident memory in bytes.
    fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    fn token(&self) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_accredit-server"))
            .args(["token", "create", "--event", EVENT, "--data-dir"])
            .arg(self._dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Peak RSS of the server while a future runs, sampled every 50 ms.
async fn with_peak_rss<T>(server: &Server, work: impl Future<Output = T>) -> (T, u64) {
    let peak = Arc::new(AtomicU64::new(server.rss()));
    let pid_status = format!("/proc/{}/status", server.child.id());
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                let status = std::fs::read_to_string(&pid_status).unwrap_or_default();
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                {
                    peak.fetch_max(kb * 1024, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let out = work.await;
    sampler.abort();
    peak.fetch_max(server.rss(), Ordering::Relaxed);
    (out, peak.load(Ordering::Relaxed))
}

/// Names may not contain digits: `n` in letters.
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

fn registration(n: usize) -> Value {
    let members: Vec<Value> = (0..MEMBERS)
        .map(|m| {
            json!({
                "given_names": format!("Member {}", letters(m)), "family_name": format!("Family {}", letters(n)),
                "function": "Director", "institution": "Ministry of Interior", "nationality": "PK",
                "email": format!("m{m}.d{n}@example.pk"), "phone": "+92 51 1234567",
                "category": if m == 0 { "head_of_delegation" } else { "delegate" },
                "identity_document": {"kind": "passport", "number": format!("P{n:06}{m}"), "issuing_country": "PK", "expires_on": "2030-01-31"},
                "date_of_birth": "1970-05-01", "sessions": ["opening"]
            })
        })
        .collect();
    json!({
        "event": EVENT, "language": "en",
        "delegation": {"kind": "member_state", "country": "PK"},
        "focal_point": {"given_names": "Ayesha", "family_name": "Khan", "email": "a.khan@example.pk", "phone": "+92 51 1234567"},
        "members": members,
        "consent": {"data_processing": true}
    })
}

/// Posts `bodies` with `CONCURRENCY` clients; returns registrations per second.
async fn ingest(server: &Server, bodies: Arc<Vec<(String, String)>>) -> f64 {
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, next, bodies, url) = (
                client.clone(),
                next.clone(),
                bodies.clone(),
                server.url("/registrations"),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some((key, body)) = bodies.get(i) else {
                        break;
                    };
                    let response = client
                        .post(&url)
                        .header("idempotency-key", key)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    bodies.len() as f64 / started.elapsed().as_secs_f64()
}

/// The same rows straight into SQLite: same schema and pragmas, the
/// registration row plus its idempotency row, committed durably one
/// registration at a time (`per_row`, what a server without group commit
/// does) or all in one transaction (the ceiling, for reference). A slow
/// disk is given at most 8 s; the rate is then that of the rows done.
fn raw_inserts(rows: &[(String, String)], per_row: bool) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = sqlite::open_connection(&dir.path().join(sqlite::FILE_NAME)).unwrap();
    // As the server opens its database: incremental auto_vacuum (its
    // pointer-map pages cost every commit) before the first table.
    sqlite::incremental_auto_vacuum(&conn).unwrap();
    migrations::migrate(&mut conn).unwrap();
    let started = Instant::now();
    if !per_row {
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    }
    let mut done = 0;
    for (i, (key, payload)) in rows.iter().enumerate() {
        if per_row {
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        }
        let id = format!("raw-{i}");
        conn.prepare_cached(
            "INSERT INTO registrations (id, event, reference, status, payload, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'pending', ?4, 0, 0)",
        )
        .unwrap()
        .execute(rusqlite::params![id, EVENT, format!("ISL-{i:05}"), payload])
        .unwrap();
        conn.prepare_cached(
            "INSERT INTO idempotency (event, key, body_hash, status, response, registration_id, created_at)
             VALUES (?1, ?2, ?3, 201, ?4, ?5, 0)",
        )
        .unwrap()
        .execute(rusqlite::params![
            EVENT,
            key,
            &[0u8; 32][..],
            r#"{"id":"x","reference":"ISL-XXXX","status":"pending"}"#,
            id
        ])
        .unwrap();
        done += 1;
        if per_row {
            conn.execute_batch("COMMIT").unwrap();
            if started.elapsed() > Duration::from_secs(8) {
                break;
            }
        }
    }
    if !per_row {
        conn.execute_batch("COMMIT").unwrap();
    }
    f64::from(done) / started.elapsed().as_secs_f64()
}

/// Open-loop load: request `i` is due at `start + i / RATE`, whatever
/// happened to earlier ones. Returns latencies in milliseconds, sorted.
async fn open_loop(server: &Server, first: usize) -> (Vec<f64>, usize) {
    let client = reqwest::Client::new();
    let total = (RATE * LOAD_SECS) as usize;
    let interval = Duration::from_secs_f64(1.0 / RATE as f64);
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + interval * i as u32;
        tokio::time::sleep_until(due).await;
        let (client, url) = (client.clone(), server.url("/registrations"));
        let body = registration(first + i).to_string();
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(&url)
                .header("idempotency-key", format!("latency-probe-{:08}", first + i))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await;
            let ok = matches!(&response, Ok(r) if r.status() == 201);
            (due.elapsed().as_secs_f64() * 1000.0, ok)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut failures = 0;
    for task in tasks {
        let (ms, ok) = task.await.unwrap();
        latencies.push(ms);
        failures += usize::from(!ok);
    }
    latencies.sort_by(f64::total_cmp);
    (latencies, failures)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "✅ pass" } else { "❌ fail" }
}

async fn run() -> String {
    let bodies: Vec<(String, String)> = (0..DELEGATIONS)
        .map(|n| {
            (
                format!("ingest-delegation-{n:08}"),
                registration(n).to_string(),
            )
        })
        .collect();
    // The raw baseline stores what the server stores: the normalised payload.
    let normalised: Vec<(String, String)> = bodies
        .iter()
        .map(|(key, body)| {
            let registration: accredit_model::Registration = serde_json::from_str(body).unwrap();
            (
                key.clone(),
                serde_json::to_string(&registration.normalised()).unwrap(),
            )
        })
        .collect();
    let bodies = Arc::new(bodies);

    // Raw and HTTP runs alternate, so both see the disk in the same state.
    eprintln!(
        "ingest: 3 × ({DELEGATIONS} raw rusqlite inserts, {DELEGATIONS} HTTP registrations from {CONCURRENCY} clients)…"
    );
    let mut raw_runs = Vec::new();
    let mut http_runs = Vec::new();
    let mut peak_rss = 0;
    let mut idle_rss = Vec::new();
    let mut server = None;
    for _ in 0..3 {
        raw_runs.push(raw_inserts(&normalised, true));
        let s = Server::start().await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        idle_rss.push(s.rss() as f64);
        let (rate, peak) = with_peak_rss(&s, ingest(&s, bodies.clone())).await;
        eprintln!(
            "  raw {:.0}/s, HTTP {rate:.0}/s, peak RSS {:.1} MB",
            raw_runs.last().unwrap(),
            mb(peak)
        );
        http_runs.push(rate);
        peak_rss = peak_rss.max(peak);
        server = Some(s);
    }
    let server = server.unwrap();
    let raw_single_tx = median((0..3).map(|_| raw_inserts(&normalised, false)).collect());
    let raw = median(raw_runs.clone());
    let http = median(http_runs.clone());

    eprintln!("export of {} participants: 7 runs…", DELEGATIONS * MEMBERS);
    let token = server.token();
    let client = reqwest::Client::new();
    let mut export_ms = Vec::new();
    let exports = async {
        for _ in 0..7 {
            let started = Instant::now();
            let response = client
                .get(server.url("/exports/participants.csv"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            let body = response.bytes().await.unwrap();
            export_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let lines = body
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .count();
            assert_eq!(
                lines,
                1 + DELEGATIONS * MEMBERS,
                "participants in the export"
            );
        }
    };
    let ((), export_peak) = with_peak_rss(&server, exports).await;
    eprintln!("  peak RSS {:.1} MB", mb(export_peak));
    peak_rss = peak_rss.max(export_peak);
    let export = median(export_ms.clone());

    eprintln!("open-loop latency: {RATE} requests/s for {LOAD_SECS} s…");
    let ((latencies, failures), load_peak) =
        with_peak_rss(&server, open_loop(&server, DELEGATIONS)).await;
    eprintln!("  peak RSS {:.1} MB", mb(load_peak));
    peak_rss = peak_rss.max(load_peak);
    let (p50, p95, p99) = (
        percentile(&latencies, 50.0),
        percentile(&latencies, 95.0),
        percentile(&latencies, 99.0),
    );
    let idle = median(idle_rss) as u64;

    let ratio = http / raw;
    let mut out = String::new();
    let _ = writeln!(out, "## accredit-server benchmarks\n");
    let _ = writeln!(out, "| What | Measured | Target | Verdict |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    let _ = writeln!(
        out,
        "| Ingest rate with synchronous=FULL | {http:.0} registrations/s = {ratio:.2}× raw rusqlite ({raw:.0}/s) | ≥ 0.5× raw rusqlite inserts of the same rows | {} |",
        verdict(ratio >= 0.5)
    );
    let _ = writeln!(
        out,
        "| p99 latency at {RATE} requests/s | {p99:.1} ms (p50 {p50:.1} ms, p95 {p95:.1} ms; {failures} failed of {}) | < 50 ms | {} |",
        latencies.len(),
        verdict(p99 < 50.0 && failures == 0)
    );
    let _ = writeln!(
        out,
        "| Export of {} participants to CSV | {export:.1} ms | ≤ 100 ms | {} |",
        DELEGATIONS * MEMBERS,
        verdict(export <= 100.0)
    );
    let _ = writeln!(
        out,
        "| RSS | {:.1} MB idle, {:.1} MB peak under load | ≤ 30 MB idle, ≤ 100 MB under load | {} |",
        mb(idle),
        mb(peak_rss),
        verdict(mb(idle) <= 30.0 && mb(peak_rss) <= 100.0)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Runs (medians above): raw {:?}/s; HTTP {:?}/s; export {:?} ms.",
        raw_runs.iter().map(|v| v.round()).collect::<Vec<_>>(),
        http_runs.iter().map(|v| v.round()).collect::<Vec<_>>(),
        export_ms
            .iter()
            .map(|v| (v * 10.0).round() / 10.0)
            .collect::<Vec<_>>()
    );
    let _ = writeln!(
        out,
        "For reference, the same rows in a single transaction (no per-registration durability): {raw_single_tx:.0}/s, \
         so the HTTP path runs at {:.2}× that ceiling.",
        http / raw_single_tx
    );
    let _ = writeln!(
        out,
        "Ingest: {DELEGATIONS} registrations of {MEMBERS} members, {CONCURRENCY} concurrent HTTP clients; raw: one \
         BEGIN IMMEDIATE…COMMIT per registration on the same schema and pragmas (WAL, synchronous=FULL, incremental auto_vacuum). \
         Latency: open loop, {} requests over {LOAD_SECS} s, measured from each request's scheduled start. \
         Machine: {} cores.",
        latencies.len(),
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    out
}
