//! The real accredit server, started on a free loopback port.

use accredit_server::{Settings, events};
use std::net::SocketAddr;

pub struct TestServer {
    pub addr: SocketAddr,
    pub data_dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Serves the release build in `$ACCREDIT_DIST` with the demo event.
    pub async fn start() -> TestServer {
        Self::start_with_dist(crate::env_path("ACCREDIT_DIST")).await
    }

    /// Serves the files in `dist` (a copy of the build with extra pages).
    pub async fn start_with_dist(dist: std::path::PathBuf) -> TestServer {
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let settings = Settings::new(events::demo(), dist, data_dir.path().to_path_buf());
        let task = tokio::spawn(async move {
            accredit_server::serve(listener, settings)
                .await
                .expect("the server runs");
        });
        TestServer {
            addr,
            data_dir,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
