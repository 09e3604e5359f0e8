//! Real peers and independent readers for the tests.
//!
//! [`SmtpSink`] is `aiosmtpd`, a real SMTP server (Debian's
//! `python3-aiosmtpd`), storing every message it accepts in a Maildir.
//! The tests read the messages back with `mail-parser`, not with the code
//! that wrote them, so a message that only looks right to its sender fails.
//! [`csv_records`] reads exports with the `csv` crate, for the same reason.
//! [`ServerProcess`] is the real server binary, waited for and killed.

pub mod payload;
mod server_process;

pub use server_process::ServerProcess;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python that has `aiosmtpd` (`ACCREDIT_SMTP_SINK_PYTHON`, set by
/// `cargo xtask test`; `/usr/bin/python3` otherwise).
fn python() -> PathBuf {
    std::env::var_os("ACCREDIT_SMTP_SINK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/python3"))
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a free loopback port")
        .local_addr()
        .expect("its address")
        .port()
}

/// The records of a CSV file (RFC 4180: quoted fields may hold commas,
/// quotes and line breaks), read by the `csv` crate; a leading byte order
/// mark is skipped. The header is the first record.
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            record
                .expect("a well-formed CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub message_id: String,
    pub content_language: Option<String>,
    pub text: String,
    pub html: String,
    pub raw: String,
}

/// An SMTP server on a loopback port, keeping every message in a Maildir.
pub struct SmtpSink {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl SmtpSink {
    /// Starts on a free port, storing under `dir` (created if needed).
    pub fn start(dir: &Path) -> SmtpSink {
        let mut sink = SmtpSink {
            port: free_port(),
            dir: dir.to_path_buf(),
            child: None,
        };
        sink.up();
        sink
    }

    /// A sink that is not running yet, on a port chosen now: the server
    /// under test can be pointed at it while it is down.
    pub fn down(dir: &Path) -> SmtpSink {
        SmtpSink {
            port: free_port(),
            dir: dir.to_path_buf(),
            child: None,
        }
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts (or restarts) the server on its port and waits until it accepts.
    pub fn up(&mut self) {
        assert!(self.child.is_none(), "the SMTP sink is already running");
        std::fs::create_dir_all(&self.dir).expect("the Maildir's parent");
        let python = python();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.dir.join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start aiosmtpd with {} ({e}); `cargo xtask test` installs \
                     Debian's python3-aiosmtpd",
                    python.display()
                )
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "aiosmtpd exited with {status}; is python3-aiosmtpd installed for {}?",
                    python.display()
                );
            }
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start listening"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server; messages already received stay readable.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, in the order received (Maildir
    /// names carry the delivery time: seconds, then `M` and microseconds).
    pub fn messages(&self) -> Vec<Mail> {
        let new = self.dir.join("maildir").join("new");
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort_by_key(|p| delivery_order(p));
        paths
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .map(|bytes| parse(&bytes))
            .collect()
    }

    /// Waits until at least `n` messages arrived, and returns them all.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Mail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "{} message(s) arrived at the SMTP sink, {n} expected: {:?}",
                messages.len(),
                messages.iter().map(|m| &m.subject).collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `(seconds, microseconds, counter)` from a Maildir file name such as
/// `1700000000.M123456P42Q3.host` (the microseconds are not zero-padded,
/// so the names do not sort as text).
fn delivery_order(path: &Path) -> (u64, u64, u64, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts = name.split('.');
    let secs = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let unique = parts.next().unwrap_or("");
    let number_after = |marker: char| -> u64 {
        unique
            .split_once(marker)
            .map(|(_, rest)| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(0)
    };
    (secs, number_after('M'), number_after('Q'), name.clone())
}

/// Parses one RFC 5322 message.
pub fn parse(bytes: &[u8]) -> Mail {
    let message = mail_parser::MessageParser::default()
        .parse(bytes)
        .expect("an RFC 5322 message");
    let to = message
        .to()
        .map(|list| {
            list.iter()
                .filter_map(|a| a.address().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let content_language = message
        .header_raw("Content-Language")
        .map(|v| v.trim().to_owned());
    Mail {
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        message_id: message.message_id().unwrap_or_default().to_owned(),
        content_language,
        text: message
            .body_text(0)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
        html: message
            .body_html(0)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
        raw: String::from_utf8_lossy(bytes).into_owned(),
    }
}
