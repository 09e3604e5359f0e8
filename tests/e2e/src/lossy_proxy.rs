//! A TCP proxy between the browser and the server that loses answers, as a
//! mobile network does when it drops out after the request went up, or
//! holds a request in flight.
//!
//! While [`LossyProxy::lose_answers`] is on, a connection that carries a
//! `POST …/registrations` has its request delivered to the server in full;
//! the server's answer is then thrown away and the browser's connection
//! closed before a byte of it arrives. The server has stored the
//! registration; the browser only sees a failed request.
//!
//! While [`LossyProxy::hold_requests`] is on, such a request reaches the
//! server all but its last byte, and waits there: the server is reading
//! it, with its idempotency key claimed, for as long as a test needs (to
//! kill the server in the middle, say).
//!
//! Everything else (the page, its files, other requests) passes through
//! untouched.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct LossyProxy {
    pub addr: SocketAddr,
    modes: Modes,
    task: tokio::task::JoinHandle<()>,
}

/// What the proxy does to registration POSTs, shared by its connections.
#[derive(Clone, Default)]
struct Modes {
    losing: Arc<AtomicBool>,
    lost: Arc<AtomicUsize>,
    holding: Arc<AtomicBool>,
    held: Arc<AtomicUsize>,
}

/// The length of the request that `chunk` starts (head and body, from its
/// `Content-Length`), when the whole head is in `chunk`.
fn request_length(chunk: &[u8]) -> Option<usize> {
    let head_end = chunk.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&chunk[..head_end]);
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    })?;
    Some(head_end + length)
}

/// Whether `chunk` starts a request `POST <path ending in /registrations>`.
fn is_registration_post(chunk: &[u8]) -> bool {
    let Some(line) = chunk.split(|b| *b == b'\r').next() else {
        return false;
    };
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split(' ');
    parts.next() == Some("POST")
        && parts.next().is_some_and(|path| {
            path.split('?')
                .next()
                .unwrap_or("")
                .ends_with("/registrations")
        })
}

impl LossyProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> LossyProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().unwrap();
        let modes = Modes::default();
        let task = tokio::spawn({
            let modes = modes.clone();
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let modes = modes.clone();
                    tokio::spawn(async move {
                        // A server that is down: the browser's connection
                        // is closed, as a refused one would be.
                        if let Ok(server) = TcpStream::connect(upstream).await {
                            relay(client, server, modes).await;
                        }
                    });
                }
            }
        });
        LossyProxy { addr, modes, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// From now on, answers to registration POSTs are lost (`true`) or
    /// delivered (`false`).
    pub fn lose_answers(&self, on: bool) {
        self.modes.losing.store(on, Ordering::SeqCst);
    }

    /// How many answers the proxy has thrown away.
    pub fn answers_lost(&self) -> usize {
        self.modes.lost.load(Ordering::SeqCst)
    }

    /// From now on, registration POSTs are held in flight, their last byte
    /// kept back (`true`), or passed on (`false`; requests held already
    /// stay held).
    pub fn hold_requests(&self, on: bool) {
        self.modes.holding.store(on, Ordering::SeqCst);
    }

    /// How many requests have reached the server all but their last byte.
    pub fn requests_held(&self) -> usize {
        self.modes.held.load(Ordering::SeqCst)
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Copies bytes both ways. A connection on which a registration POST goes
/// up while answers are being lost is marked; the next bytes the server
/// sends on it (its answer) are dropped and both sides closed. While
/// requests are held, such a request goes up all but its last byte.
async fn relay(client: TcpStream, server: TcpStream, modes: Modes) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let doomed = Arc::new(AtomicBool::new(false));
    let upward = {
        let (doomed, modes) = (doomed.clone(), modes.clone());
        async move {
            let mut buf = vec![0u8; 64 * 1024];
            // Bytes of a held request still to forward, its last one kept.
            let mut holding: Option<usize> = None;
            loop {
                let n = match client_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let chunk = &buf[..n];
                if is_registration_post(chunk) {
                    if modes.losing.load(Ordering::SeqCst) {
                        doomed.store(true, Ordering::SeqCst);
                    }
                    if modes.holding.load(Ordering::SeqCst) {
                        holding = request_length(chunk);
                    }
                }
                let send = match holding.as_mut() {
                    Some(left) => {
                        let send = chunk.len().min(left.saturating_sub(1));
                        *left -= send;
                        send
                    }
                    None => chunk.len(),
                };
                if server_write.write_all(&chunk[..send]).await.is_err() {
                    break;
                }
                if holding == Some(1) {
                    modes.held.fetch_add(1, Ordering::SeqCst);
                    // The rest waits here until the connection ends.
                    holding = Some(0);
                }
            }
            let _ = server_write.shutdown().await;
        }
    };
    let downward = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match server_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if doomed.load(Ordering::SeqCst) {
                modes.lost.fetch_add(1, Ordering::SeqCst);
                break;
            }
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    };
    // When the answer is lost, or the server goes away, `downward` ends
    // first and the whole connection goes with it.
    tokio::select! {
        () = downward => {}
        () = async { upward.await; std::future::pending::<()>().await } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{is_registration_post, request_length};

    #[test]
    fn only_registration_posts_are_recognised() {
        assert!(is_registration_post(
            b"POST /api/v1/events/islamabad-tip-som/registrations HTTP/1.1\r\nHost: x\r\n"
        ));
        assert!(!is_registration_post(
            b"POST /api/v1/events/islamabad-tip-som/attachments HTTP/1.1\r\n"
        ));
        assert!(!is_registration_post(
            b"GET /api/v1/events/islamabad-tip-som/registrations HTTP/1.1\r\n"
        ));
        assert!(!is_registration_post(b"{\"registrations\": 1}"));
    }

    #[test]
    fn a_request_is_as_long_as_its_head_and_content_length() {
        let head = b"POST /x/registrations HTTP/1.1\r\nHost: a\r\ncontent-length: 12\r\n\r\n{";
        assert_eq!(request_length(head), Some(head.len() - 1 + 12));
        assert_eq!(
            request_length(b"POST /x HTTP/1.1\r\nHost: a\r\n"),
            None,
            "head cut"
        );
    }
}
