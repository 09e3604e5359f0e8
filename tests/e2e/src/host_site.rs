//! A third origin for embedding tests: the host site, served by Python's
//! plain static file server, so that the only CSP in force is the one the
//! host page declares itself.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub struct HostSite {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    _process: Child,
}

impl HostSite {
    /// A free loopback address for the site, known before it starts (the
    /// API must list its origin for CORS first).
    pub fn reserve() -> SocketAddr {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
    }

    /// Serves `examples/` at `addr` with the placeholders of
    /// `host-page.html` filled.
    pub async fn start(
        addr: SocketAddr,
        widget_origin: &str,
        api_origin: &str,
        loader_integrity: &str,
    ) -> HostSite {
        // The third widget's configuration is inline: the demo event on the
        // server's calendar (open on any date), renamed so a test can tell
        // it from the fetched one.
        let today = accredit_server::clock::Clock::system().today();
        let mut event = accredit_model::demo::islamabad_tip_som_on(today);
        event.name = event.name.clone().with("en", "Inline configuration");
        let inline = serde_json::to_string(&event).expect("the event serialises");
        let dir = tempfile::tempdir().expect("a temporary site");
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for name in ["host-page.html", "hostile.css", "host-page.js"] {
            let text = std::fs::read_to_string(examples.join(name)).expect("the example exists");
            let text = text
                .replace("__WIDGET_ORIGIN__", widget_origin)
                .replace("__API_ORIGIN__", api_origin)
                .replace("__LOADER_INTEGRITY__", loader_integrity)
                .replace("__EVENT_CONFIG_JSON__", &inline.replace("</", "<\\/"));
            std::fs::write(dir.path().join(name), text).expect("the example is written");
        }
        let process = Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1"])
            .arg(addr.port().to_string())
            .arg("--directory")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 serves the host site");
        let url = format!("http://{addr}/host-page.js");
        crate::eventually("the host site to answer", Duration::from_secs(20), || {
            let url = url.clone();
            async move {
                reqwest::get(&url)
                    .await
                    .ok()?
                    .status()
                    .is_success()
                    .then_some(())
            }
        })
        .await;
        HostSite {
            addr,
            dir,
            _process: process,
        }
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Rewrites a file of the site (e.g. to break the loader's integrity).
    pub fn edit(&self, name: &str, change: impl FnOnce(String) -> String) {
        let path = self.dir.path().join(name);
        let text = std::fs::read_to_string(&path).expect("the file exists");
        std::fs::write(&path, change(text)).expect("the file is written");
    }
}

/// The SRI hash of `name` in `dist/manifest.json`.
pub fn integrity(dist: &Path, name: &str) -> String {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.join("manifest.json")).expect("dist/manifest.json"),
    )
    .expect("the manifest is JSON");
    manifest["files"][name]["integrity"]
        .as_str()
        .expect("the file is in the manifest")
        .to_string()
}
