//! Headless Chromium through ChromeDriver (both from Debian), with the
//! extras the tests need: the browser console, axe-core and screenshots.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Duration;

pub struct Browser {
    pub client: Client,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
    downloads: tempfile::TempDir,
}

/// One line of the browser console, as ChromeDriver reports it.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub level: String,
    pub message: String,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = accredit_test_support::free_port();
        let driver = tokio::process::Command::new(crate::env_path("CHROMEDRIVER"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            // Its own process group, with the Chromium it starts, so a test
            // that fails half-way leaves no browser behind (see Drop).
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a temporary browser profile");
        let downloads = tempfile::tempdir().expect("a temporary downloads folder");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": crate::env_path("CHROMIUM"),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.path().display().to_string(),
                    "download.prompt_for_download": false,
                },
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let url = format!("http://127.0.0.1:{port}");
        let client = crate::eventually(
            "chromedriver to accept a session",
            Duration::from_secs(30),
            || {
                let caps = caps.clone();
                let url = url.clone();
                async move {
                    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                        .capabilities(caps)
                        .connect(&url)
                        .await
                        .ok()
                }
            },
        )
        .await;
        Browser {
            client,
            driver,
            _profile: profile,
            downloads,
        }
    }

    /// Where the browser saves downloaded files.
    pub fn downloads(&self) -> &std::path::Path {
        self.downloads.path()
    }

    /// Everything written to the console since the last call.
    pub async fn console(&self) -> Vec<LogEntry> {
        let value = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("ChromeDriver returns the browser log");
        value
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| LogEntry {
                        level: e["level"].as_str().unwrap_or_default().to_string(),
                        message: e["message"].as_str().unwrap_or_default().to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Console errors (level SEVERE) since the last call.
    pub async fn console_errors(&self) -> Vec<LogEntry> {
        self.console()
            .await
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .collect()
    }

    /// Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page and returns its
    /// violations as JSON.
    pub async fn axe_violations(&self) -> Vec<Value> {
        let source = std::fs::read_to_string(crate::env_path("AXE_CORE")).expect("axe-core source");
        self.client
            .execute(&source, vec![])
            .await
            .expect("axe-core loads into the page");
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { runOnly: { type: "tag", values:
                       ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
                      .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact,
                          help: v.help, nodes: v.nodes.map(n => n.target.join(" ")) }))))
                      .catch(e => done([{ id: "axe-error", help: String(e) }]));"#,
                vec![],
            )
            .await
            .expect("axe-core runs");
        result.as_array().cloned().unwrap_or_default()
    }

    /// Saves a PNG screenshot under `$ACCREDIT_ARTIFACTS` (test evidence).
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = std::env::var_os("ACCREDIT_ARTIFACTS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        std::fs::create_dir_all(&dir).expect("the artifacts folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }
}

impl Drop for Browser {
    /// Kills ChromeDriver and every Chromium process it started, also when a
    /// test panics before `close` (they would otherwise keep running and
    /// skew later benchmarks).
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                // `-s KILL --` so that the negative process-group id can
                // never be read as a signal option.
                .args(["-s", "KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// ChromeDriver's (non-W3C) endpoint for the browser console.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}
