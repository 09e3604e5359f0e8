//! Browser benchmarks of the delegate widget, run by `cargo xtask bench`:
//! the ready time against a static HTML form with the same fields, and the
//! time from a keystroke to the updated DOM in a 100-member delegation.
//! Prints a Markdown table and writes it to `target/bench/widget.md`.

use accredit_e2e::{Browser, TestServer, eventually};
use accredit_model::{Consent, Delegation, DelegationKind, FocalPoint, Member, Registration};
use std::time::Duration;

const READY_RUNS: usize = 9;
const KEYSTROKES: usize = 300;
const MEMBERS: usize = 100;
const READY_RATIO_BUDGET: f64 = 1.5;
const KEYSTROKE_P95_BUDGET_MS: f64 = 8.0;

#[tokio::main]
async fn main() {
    let site = site_with_static_form();
    let server = TestServer::start_with_dist(site.path().to_path_buf()).await;
    let browser = Browser::start().await;

    let (widget_ready, static_ready) = ready_times(&browser, &server).await;
    let ratio = widget_ready / static_ready;
    let latencies = keystroke_latencies(&browser, &server).await;
    let (p50, p95) = (percentile(&latencies, 0.50), percentile(&latencies, 0.95));
    browser.close().await;

    let verdict = |ok: bool| if ok { "within budget" } else { "OVER BUDGET" };
    let report = format!(
        "| Widget measure | Measured | Budget | Verdict |\n|---|---:|---:|---|\n\
         | Ready time, widget (median of {READY_RUNS}) | {widget_ready:.1} ms | | |\n\
         | Ready time, static HTML form (median of {READY_RUNS}) | {static_ready:.1} ms | | |\n\
         | Ready time ratio, widget / static | {ratio:.2}× | ≤ {READY_RATIO_BUDGET}× | {} |\n\
         | Keystroke to DOM, {MEMBERS} members, p50 of {KEYSTROKES} | {p50:.2} ms | | |\n\
         | Keystroke to DOM, {MEMBERS} members, p95 of {KEYSTROKES} | {p95:.2} ms | ≤ {KEYSTROKE_P95_BUDGET_MS} ms | {} |\n",
        verdict(ratio <= READY_RATIO_BUDGET),
        verdict(p95 <= KEYSTROKE_P95_BUDGET_MS),
    );
    println!("{report}");
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).expect("the bench folder");
    std::fs::write(dir.join("widget.md"), report).expect("the report is written");
}

fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// A copy of dist/ plus the static baseline page, styled by the same CSS.
fn site_with_static_form() -> tempfile::TempDir {
    let dist = accredit_e2e::env_path("ACCREDIT_DIST");
    let site = tempfile::tempdir().expect("a temporary site");
    let mut css = None;
    for entry in std::fs::read_dir(&dist).expect("dist/ exists") {
        let path = entry.expect("a dist entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("accredit-") && name.ends_with(".css") {
            css = Some(name.clone());
        }
        std::fs::copy(&path, site.path().join(&name)).expect("dist files copy");
    }
    let page = include_str!("../fixtures/static-form.html")
        .replace("__ACCREDIT_CSS__", &css.expect("dist/ has a stylesheet"));
    std::fs::write(site.path().join("static-form.html"), page).expect("the static page");
    site
}

/// Medians, in ms since navigation start, of the widget's `accredit:ready`
/// mark and of the static page's DOMContentLoaded end.
async fn ready_times(browser: &Browser, server: &TestServer) -> (f64, f64) {
    let (mut widget, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..READY_RUNS {
        browser.client.goto(&server.url("/")).await.unwrap();
        widget.push(
            poll_number(
                browser,
                "const m = performance.getEntriesByName('accredit:ready')[0]; return m ? m.startTime : null;",
            )
            .await,
        );
        browser
            .client
            .goto(&server.url("/static-form.html"))
            .await
            .unwrap();
        baseline.push(
            poll_number(
                browser,
                "const n = performance.getEntriesByType('navigation')[0]; \
                 return n && n.domContentLoadedEventEnd > 0 ? n.domContentLoadedEventEnd : null;",
            )
            .await,
        );
    }
    (percentile(&widget, 0.5), percentile(&baseline, 0.5))
}

async fn poll_number(browser: &Browser, script: &str) -> f64 {
    eventually("a timing mark", Duration::from_secs(30), || async {
        browser.client.execute(script, vec![]).await.ok()?.as_f64()
    })
    .await
}

/// Restores a 100-member draft, opens the roster, then times keystrokes in
/// members' name fields until the card title shows the new text.
async fn keystroke_latencies(browser: &Browser, server: &TestServer) -> Vec<f64> {
    let draft = serde_json::to_string(&large_delegation()).unwrap();
    browser.client.goto(&server.url("/")).await.unwrap();
    browser
        .client
        .execute(
            "localStorage.setItem('accredit:draft:islamabad-tip-som', arguments[0]);",
            vec![draft.into()],
        )
        .await
        .unwrap();
    browser.client.goto(&server.url("/")).await.unwrap();
    poll_number(
        browser,
        "return performance.getEntriesByName('accredit:ready').length || null;",
    )
    .await;
    browser
        .client
        .execute(
            "[...document.querySelectorAll('.accredit button')].find(b => b.textContent === 'Continue').click();",
            vec![],
        )
        .await
        .unwrap();
    eventually("the roster", Duration::from_secs(30), || async {
        let n = browser
            .client
            .execute(
                "return document.querySelectorAll('.accredit-member').length;",
                vec![],
            )
            .await
            .ok()?
            .as_u64()?;
        (n == MEMBERS as u64).then_some(())
    })
    .await;
    let result = browser
        .client
        .execute_async(
            r#"const [count, done] = [arguments[0], arguments[arguments.length - 1]];
               const cards = [...document.querySelectorAll('.accredit-member')];
               const latencies = [];
               let k = 0;
               function next() {
                 if (k === count) { done(latencies); return; }
                 const card = cards[(k * 37) % cards.length];
                 const input = card.querySelector('input[autocomplete="given-name"]');
                 const title = card.querySelector('.accredit-member__title');
                 const text = 'Typed' + k;
                 const observer = new MutationObserver(() => {
                   if (!title.textContent.includes(text + ' ')) return;
                   latencies.push(performance.now() - t0);
                   observer.disconnect();
                   k += 1;
                   setTimeout(next, 0);
                 });
                 observer.observe(title, { subtree: true, childList: true, characterData: true });
                 const t0 = performance.now();
                 input.value = text;
                 input.dispatchEvent(new Event('input', { bubbles: true }));
               }
               next();"#,
            vec![KEYSTROKES.into()],
        )
        .await
        .expect("the keystroke script runs");
    result
        .as_array()
        .expect("latencies")
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect()
}

fn large_delegation() -> Registration {
    let member = |i: usize| Member {
        given_names: format!("Delegate {i}"),
        family_name: "Khan".into(),
        function: "Adviser".into(),
        institution: "Federal Investigation Agency".into(),
        nationality: "PK".into(),
        email: format!("delegate{i}@fia.gov.pk"),
        category: if i == 0 {
            "head_of_delegation"
        } else {
            "observer"
        }
        .into(),
        ..Member::default()
    };
    Registration {
        event: "islamabad-tip-som".into(),
        language: "en".into(),
        delegation: Delegation {
            kind: DelegationKind::MemberState,
            country: Some("PK".into()),
            ..Delegation::default()
        },
        focal_point: FocalPoint {
            given_names: "Shahida".into(),
            family_name: "Gilani".into(),
            email: "focal.point@example.org".into(),
            phone: "+92 51 920 1234".into(),
        },
        members: (0..MEMBERS).map(member).collect(),
        consent: Consent::default(),
    }
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[rank.min(v.len() - 1)]
}
