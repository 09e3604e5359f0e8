//! Driving the organiser view (`<accredit-organiser>`, in its shadow
//! root) like a person: by button text, control ids and visible text.

use crate::{Browser, EVENT, TestServer, eventually};
use fantoccini::wd::PrintConfiguration;
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Runs `script` with the organiser view's shadow root as `root`.
pub async fn org(b: &Browser, script: &str) -> Value {
    let wrapped = format!(
        "const root = document.querySelector('accredit-organiser').shadowRoot;
         {script}"
    );
    b.client
        .execute(&wrapped, vec![])
        .await
        .unwrap_or_else(|e| panic!("script in the organiser view failed: {e}\n{script}"))
}

pub async fn text(b: &Browser) -> String {
    org(b, "return root ? root.textContent : '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub async fn wait_for_text(b: &Browser, what: &str) {
    eventually(&format!("“{what}” in the organiser view"), WAIT, || async {
        text(b).await.contains(what).then_some(())
    })
    .await;
}

pub async fn press(b: &Browser, label: &str) {
    let found = org(
        b,
        &format!(
            "const b = [...root.querySelectorAll('button')].find((b) => b.textContent.trim().startsWith({l}));
             if (b) b.click();
             return !!b;",
            l = serde_json::to_string(label).unwrap()
        ),
    )
    .await;
    assert_eq!(found, Value::Bool(true), "no button “{label}”");
}

/// Sets a control's value as a person would pick it (select, radio, text).
pub async fn set(b: &Browser, id: &str, value: &str) {
    org(
        b,
        &format!(
            "const el = root.getElementById({id});
             el.value = {value};
             el.dispatchEvent(new Event('input', {{ bubbles: true }}));
             el.dispatchEvent(new Event('change', {{ bubbles: true }}));",
            id = serde_json::to_string(id).unwrap(),
            value = serde_json::to_string(value).unwrap()
        ),
    )
    .await;
}

pub async fn sign_in(b: &Browser, token: &str) {
    sign_in_pressing(b, token, "Sign in").await;
}

/// Types `token` and presses the sign-in button, labelled `button` in the
/// view's language.
pub async fn sign_in_pressing(b: &Browser, token: &str, button: &str) {
    eventually("the sign-in form", WAIT, || async {
        org(b, "return !!(root && root.getElementById('org-token'));")
            .await
            .as_bool()
            .filter(|x| *x)
    })
    .await;
    set(b, "org-token", token).await;
    press(b, button).await;
}

/// Waits until a button starting with `label` is on screen, then presses it.
pub async fn press_when_shown(b: &Browser, label: &str) {
    let script = format!(
        "return [...root.querySelectorAll('button')].some((b) => b.textContent.trim().startsWith({l}));",
        l = serde_json::to_string(label).unwrap()
    );
    eventually(&format!("a button “{label}”"), WAIT, || async {
        org(b, &script).await.as_bool().filter(|shown| *shown)
    })
    .await;
    press(b, label).await;
}

/// The count line above the delegations table ("25 delegations").
pub async fn count_shown(b: &Browser) -> String {
    org(
        b,
        "const c = root.querySelector('.org-filters__count'); return c ? c.textContent : '';",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// The server's own count of registrations matching `query`: the oracle
/// for what the view shows.
pub async fn total(server: &TestServer, token: &str, query: &str) -> usize {
    let list: Value = reqwest::Client::new()
        .get(server.url(&format!("/api/v1/events/{EVENT}/registrations?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["total"].as_u64().unwrap() as usize
}

/// The status the server gives the registration with `reference`.
pub async fn status_of(server: &TestServer, token: &str, reference: &str) -> String {
    let list: Value = reqwest::Client::new()
        .get(server.url(&format!(
            "/api/v1/events/{EVENT}/registrations?q={reference}"
        )))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["registrations"][0]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Prints the page to PDF (as a person pressing Print would get it) and
/// keeps it under `$ACCREDIT_ARTIFACTS`.
pub async fn print_pdf(b: &Browser, name: &str) -> Vec<u8> {
    let pdf = b
        .client
        .print(
            PrintConfiguration::builder()
                .background(true)
                .build()
                .unwrap(),
        )
        .await
        .expect("the page prints");
    let dir = std::env::var_os("ACCREDIT_ARTIFACTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.pdf")), &pdf).unwrap();
    pdf
}

/// Console errors so far, apart from the 401s of refused tokens (which
/// tests provoke on purpose).
pub async fn assert_no_console_errors(b: &Browser, state: &str) {
    let errors: Vec<_> = b
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !e.message.contains("401"))
        .collect();
    assert!(errors.is_empty(), "console errors ({state}): {errors:?}");
}

/// No console errors and no axe-core violation in `state`.
pub async fn assert_accessible(b: &Browser, state: &str) {
    assert_no_console_errors(b, state).await;
    let violations = b.axe_violations().await;
    // axe-core's colour-contrast check writes inline styles, which the
    // server's CSP refuses and the console reports: its own noise.
    b.console().await;
    // One line per rule, with its first few elements.
    let summary: Vec<String> = violations
        .iter()
        .map(|v| {
            let nodes: Vec<_> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .take(3)
                .collect();
            format!("{} ({}): {:?}", v["id"], v["help"], nodes)
        })
        .collect();
    assert!(
        violations.is_empty(),
        "axe-core violations in the organiser view ({state}):\n{}",
        summary.join("\n")
    );
}

/// What the `n`-th QR code on the badge sheets says, read by `rqrr` (an
/// oracle apart from the encoder the view uses) from a screenshot of a
/// copy drawn large at the top of the page, as a scanner would see it.
pub async fn decode_qr(b: &Browser, n: usize) -> String {
    org(
        b,
        &format!(
            "const copy = root.querySelectorAll('.org-badge__qr')[{n}].cloneNode(true);
             copy.id = 'qr-under-test';
             Object.assign(copy.style, {{ position: 'fixed', top: '0', left: '0', width: '330px',
               height: '330px', zIndex: '2147483647', background: '#fff' }});
             document.body.append(copy);"
        ),
    )
    .await;
    let copy = b
        .client
        .find(fantoccini::Locator::Id("qr-under-test"))
        .await
        .expect("the enlarged copy");
    let png = copy.screenshot().await.expect("a screenshot of the code");
    b.client
        .execute("document.getElementById('qr-under-test').remove();", vec![])
        .await
        .unwrap();
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .expect("a PNG")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    content
}

/// The text of a PDF as poppler's `pdftotext -raw` reads it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("printed.pdf");
    std::fs::write(&path, pdf).expect("the PDF is written");
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian's poppler-utils)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The words of a PDF in reading order, with every run of white space
/// made one space (a long name may wrap inside its table cell).
pub fn pdf_words(pdf: &[u8]) -> String {
    pdf_text(pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines of a PDF, each as its words without bidirectional controls.
/// Poppler gives right-to-left runs in the order they are drawn, so a line
/// is compared as a set of words, not as a string.
pub fn pdf_lines(pdf: &[u8]) -> Vec<Vec<String>> {
    let controls = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    pdf_text(pdf)
        .lines()
        .map(|line| {
            line.split_whitespace()
                .map(|w| w.chars().filter(|c| !controls(*c)).collect::<String>())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect()
}

/// The first line of `lines` that holds every word of `name`.
pub fn line_with(lines: &[Vec<String>], name: &str) -> Option<usize> {
    lines
        .iter()
        .position(|line| name.split_whitespace().all(|w| line.iter().any(|l| l == w)))
}
