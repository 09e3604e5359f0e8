//! The real server binary as a child process: started, waited for until
//! `/healthz` answers, killed with SIGKILL (no shutdown code runs) when a
//! test says so or when it ends.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
}

/// Whether `GET /healthz` on `addr` answers 200 (plain HTTP/1.0, so the
/// check needs no client library).
fn healthy(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /healthz HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer.starts_with(b"HTTP/1.1 200") || answer.starts_with(b"HTTP/1.0 200")
}

impl ServerProcess {
    /// Spawns `command` (the server, told to listen on `addr`) with its
    /// standard output discarded (its log goes to standard error, as the
    /// caller set it), and waits until it answers; panics if it exits or
    /// does not answer within `timeout`.
    pub fn start(mut command: Command, addr: SocketAddr, timeout: Duration) -> ServerProcess {
        let child = command
            .stdout(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let mut server = ServerProcess { child, addr };
        let deadline = Instant::now() + timeout;
        while !healthy(addr) {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited while starting: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer /healthz within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// A test that ends (or fails) never leaves its server running: it would
/// hold the port, the data folder, and the output pipe of whatever runs
/// the tests (faketime waits for that pipe to close).
impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
