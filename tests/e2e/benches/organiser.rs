//! Browser benchmark of the organiser view at conference scale, run by
//! `cargo xtask bench`: 2,000 delegations of 5 (10,000 participants) seeded
//! through the real API, then
//! - first load: navigation start to the signed-in dashboard with every
//!   registration loaded (`accredit-organiser:ready`), on localhost;
//! - a keystroke in the search box: from the input event until every
//!   resulting update is done (filtering 2,000 delegations and re-rendering
//!   the table), i.e. until the event loop is idle again.
//!
//! Prints a Markdown table and writes it to `target/bench/organiser.md`.

use accredit_e2e::{Browser, EVENT, TestServer, eventually, seed};
use std::time::Duration;

const DELEGATIONS: usize = 2_000;
const MEMBERS: usize = 5;
const LOAD_RUNS: usize = 5;
const LOAD_BUDGET_MS: f64 = 1_000.0;
const KEYSTROKE_BUDGET_MS: f64 = 16.0;
/// Typed one character at a time, then deleted one at a time.
const QUERIES: [&str; 6] = ["rahimi", "p12", "afghanistan", "garcía", "isl-", "khan"];

#[tokio::main]
async fn main() {
    let server = TestServer::start_with(
        accredit_e2e::env_path("ACCREDIT_DIST"),
        &["--rate-limit", "off"],
    )
    .await;
    let started = std::time::Instant::now();
    seed::seed(&server, DELEGATIONS, MEMBERS).await;
    let seeding = started.elapsed();
    let token = server.organiser_token();
    let browser = Browser::start().await;

    // Signed in for this tab, as after a first sign-in.
    browser
        .client
        .goto(&server.url("/organiser.html"))
        .await
        .unwrap();
    browser
        .client
        .execute(
            "sessionStorage.setItem(arguments[0], arguments[1]);",
            vec![
                format!("accredit-organiser:/api/v1:{EVENT}").into(),
                token.into(),
            ],
        )
        .await
        .unwrap();
    let mut loads = Vec::new();
    for _ in 0..LOAD_RUNS {
        // A reload: a new document, so a cold start of the view (the
        // browser's HTTP cache is warm, as for an organiser coming back).
        browser.client.refresh().await.unwrap();
        loads.push(poll_number(&browser, "const m = performance.getEntriesByName('accredit-organiser:ready')[0]; return m ? m.startTime : null;").await);
    }
    let load = median(&loads);

    let (latencies, changed) = keystrokes(&browser).await;
    // After the search box is emptied again: every delegation matches.
    let rows = browser
        .client
        .execute(
            "return document.querySelector('accredit-organiser').shadowRoot.querySelectorAll('.org-row').length;",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0) as usize;
    let (p50, p95, max) = (
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 1.0),
    );
    browser.close().await;

    let verdict = |ok: bool| if ok { "within budget" } else { "OVER BUDGET" };
    let participants = DELEGATIONS * MEMBERS;
    let report = format!(
        "Seeded {DELEGATIONS} delegations ({participants} participants) through the API in {:.1} s.\n\n\
         | Organiser measure | Measured | Budget | Verdict |\n|---|---:|---:|---|\n\
         | First load, localhost, {participants} participants (median of {LOAD_RUNS}) | {load:.0} ms | ≤ {LOAD_BUDGET_MS:.0} ms | {} |\n\
         | Search keystroke, p50 of {n} | {p50:.2} ms | | |\n\
         | Search keystroke, p95 of {n} ({changed} changed the list) | {p95:.2} ms | ≤ {KEYSTROKE_BUDGET_MS:.0} ms | {} |\n\
         | Search keystroke, slowest | {max:.2} ms | | |\n\
         | Delegations table, rows on screen of {DELEGATIONS} | {rows} | paginated or virtualised | {} |\n",
        seeding.as_secs_f64(),
        verdict(load <= LOAD_BUDGET_MS),
        verdict(p95 <= KEYSTROKE_BUDGET_MS),
        verdict(rows < DELEGATIONS),
        n = latencies.len(),
    );
    println!("{report}");
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).expect("the bench folder");
    std::fs::write(dir.join("organiser.md"), report).expect("the report is written");
}

/// Types each query into the search box a character at a time and deletes
/// it again, timing each input event until the event loop is idle (every
/// microtask, hence every reactive update, has run). Returns the latencies
/// and how many keystrokes changed the count of delegations shown.
async fn keystrokes(browser: &Browser) -> (Vec<f64>, usize) {
    browser
        .client
        .execute("const root = document.querySelector('accredit-organiser').shadowRoot; [...root.querySelectorAll('button')].find((b) => b.textContent === 'Delegations').click();", vec![])
        .await
        .unwrap();
    eventually("the search box", Duration::from_secs(30), || async {
        browser
            .client
            .execute("return !!document.querySelector('accredit-organiser').shadowRoot.getElementById('org-q');", vec![])
            .await
            .ok()?
            .as_bool()
            .filter(|x| *x)
    })
    .await;
    let result = browser
        .client
        .execute_async(
            r"const [queries, done] = [arguments[0], arguments[arguments.length - 1]];
               const root = document.querySelector('accredit-organiser').shadowRoot;
               const input = root.getElementById('org-q');
               const count = () => root.querySelector('.org-filters__count').textContent;
               const steps = [];
               for (const q of queries) {
                 for (let i = 1; i <= q.length; i++) steps.push(q.slice(0, i));
                 for (let i = q.length - 1; i >= 0; i--) steps.push(q.slice(0, i));
               }
               const latencies = [];
               let changed = 0;
               let k = 0;
               function next() {
                 if (k === steps.length) { done([latencies, changed]); return; }
                 const before = count();
                 const t0 = performance.now();
                 input.value = steps[k];
                 input.dispatchEvent(new Event('input', { bubbles: true }));
                 // A task queued now runs after every microtask the event
                 // scheduled, so after the whole reactive update.
                 setTimeout(() => {
                   latencies.push(performance.now() - t0);
                   if (count() !== before) changed += 1;
                   k += 1;
                   setTimeout(next, 20);
                 }, 0);
               }
               next();",
            vec![serde_json::json!(QUERIES)],
        )
        .await
        .expect("the keystroke script runs");
    let latencies = result[0]
        .as_array()
        .expect("latencies")
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    (latencies, result[1].as_u64().unwrap_or(0) as usize)
}

async fn poll_number(browser: &Browser, script: &str) -> f64 {
    eventually("a timing mark", Duration::from_secs(60), || async {
        browser.client.execute(script, vec![]).await.ok()?.as_f64()
    })
    .await
}

fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

fn median(values: &[f64]) -> f64 {
    percentile(values, 0.5)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[rank.min(v.len() - 1)]
}
