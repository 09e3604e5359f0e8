//! The real accredit server binary, started on a free loopback port with a
//! temporary data folder; it can be killed and restarted on the same port
//! and data, to test a submission across an outage.

use accredit_server::storage::Storage;
use accredit_server::storage::sqlite::Sqlite;
use accredit_server::{auth, clock};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub const EVENT: &str = "islamabad-tip-som";

pub struct TestServer {
    pub addr: SocketAddr,
    pub data_dir: tempfile::TempDir,
    dist: PathBuf,
    extra_args: Vec<String>,
    process: Option<accredit_test_support::ServerProcess>,
}

impl TestServer {
    /// Serves the release build in `$ACCREDIT_DIST` with the demo event.
    pub async fn start() -> TestServer {
        Self::start_with_dist(crate::env_path("ACCREDIT_DIST")).await
    }

    /// Serves the files in `dist` (a copy of the build with extra pages).
    pub async fn start_with_dist(dist: PathBuf) -> TestServer {
        Self::start_with(dist, &[]).await
    }

    /// Serves `dist` with extra command-line options (e.g. `--cors-origin`).
    pub async fn start_with(dist: PathBuf, extra_args: &[&str]) -> TestServer {
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port");
        let mut server = TestServer {
            addr,
            data_dir,
            dist,
            extra_args: extra_args.iter().map(ToString::to_string).collect(),
            process: None,
        };
        server.run().await;
        server
    }

    /// Starts the real server binary (`$ACCREDIT_SERVER_BIN`) and waits
    /// until it answers.
    async fn run(&mut self) {
        let mut command = std::process::Command::new(crate::env_path("ACCREDIT_SERVER_BIN"));
        command
            .arg("serve")
            .arg("--addr")
            .arg(self.addr.to_string())
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .arg("--dist")
            .arg(&self.dist)
            .args(&self.extra_args)
            .env("RUST_LOG", "warn");
        let addr = self.addr;
        let process = tokio::task::spawn_blocking(move || {
            accredit_test_support::ServerProcess::start(command, addr, Duration::from_secs(20))
        })
        .await
        .expect("the server starts");
        self.process = Some(process);
    }

    /// Kills the server (SIGKILL): its port refuses connections, open
    /// connections are reset, until [`TestServer::restart`].
    pub async fn stop(&mut self) {
        if let Some(process) = self.process.take() {
            tokio::task::spawn_blocking(move || drop(process))
                .await
                .expect("the server is killed");
        }
    }

    /// Serves again on the same port with the same data.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.run().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A fresh organiser token for the demo event.
    pub fn organiser_token(&self) -> String {
        let storage = Sqlite::open(self.data_dir.path()).expect("the database opens");
        let (secret, record) = auth::new_token(
            EVENT,
            "end-to-end tests",
            clock::system_now(),
            auth::DEFAULT_LIFETIME_SECS,
        );
        storage.insert_token(&record).expect("the token is stored");
        secret
    }

    /// Every stored registration of the demo event, in full, through the
    /// organiser API.
    pub async fn registrations(&self) -> Vec<Value> {
        let token = self.organiser_token();
        let client = reqwest::Client::new();
        let list: Value = client
            .get(self.url(&format!("/api/v1/events/{EVENT}/registrations")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("the list answers")
            .json()
            .await
            .expect("the list is JSON");
        let items = list
            .get("items")
            .or_else(|| list.get("registrations"))
            .and_then(Value::as_array)
            .cloned()
            .or_else(|| list.as_array().cloned())
            .unwrap_or_else(|| panic!("unexpected list shape: {list}"));
        let mut full = Vec::new();
        for item in items {
            let id = item["id"].as_str().expect("an id").to_string();
            let detail: Value = client
                .get(self.url(&format!("/api/v1/events/{EVENT}/registrations/{id}")))
                .bearer_auth(&token)
                .send()
                .await
                .expect("the detail answers")
                .json()
                .await
                .expect("the detail is JSON");
            full.push(detail);
        }
        full
    }
}
