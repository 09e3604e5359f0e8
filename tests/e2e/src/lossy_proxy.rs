//! A TCP proxy between the browser and the server that loses answers, as a
//! mobile network does when it drops out after the request went up.
//!
//! While [`LossyProxy::lose_answers`] is on, a connection that carries a
//! `POST …/registrations` has its request delivered to the server in full;
//! the server's answer is then thrown away and the browser's connection
//! closed before a byte of it arrives. The server has stored the
//! registration; the browser only sees a failed request. Everything else
//! (the page, its files, other requests) passes through untouched.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct LossyProxy {
    pub addr: SocketAddr,
    losing: Arc<AtomicBool>,
    lost: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
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
        let losing = Arc::new(AtomicBool::new(false));
        let lost = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn({
            let (losing, lost) = (losing.clone(), lost.clone());
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let (losing, lost) = (losing.clone(), lost.clone());
                    tokio::spawn(async move {
                        if let Ok(server) = TcpStream::connect(upstream).await {
                            relay(client, server, losing, lost).await;
                        }
                    });
                }
            }
        });
        LossyProxy {
            addr,
            losing,
            lost,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// From now on, answers to registration POSTs are lost (`true`) or
    /// delivered (`false`).
    pub fn lose_answers(&self, on: bool) {
        self.losing.store(on, Ordering::SeqCst);
    }

    /// How many answers the proxy has thrown away.
    pub fn answers_lost(&self) -> usize {
        self.lost.load(Ordering::SeqCst)
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Copies bytes both ways. A connection on which a registration POST goes
/// up while answers are being lost is marked; the next bytes the server
/// sends on it (its answer) are dropped and both sides closed.
async fn relay(
    client: TcpStream,
    server: TcpStream,
    losing: Arc<AtomicBool>,
    lost: Arc<AtomicUsize>,
) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let doomed = Arc::new(AtomicBool::new(false));
    let upward = {
        let doomed = doomed.clone();
        async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match client_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                if losing.load(Ordering::SeqCst) && is_registration_post(&buf[..n]) {
                    doomed.store(true, Ordering::SeqCst);
                }
                if server_write.write_all(&buf[..n]).await.is_err() {
                    break;
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
                lost.fetch_add(1, Ordering::SeqCst);
                break;
            }
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    };
    // When the answer is lost, `downward` ends first and the whole
    // connection goes with it.
    tokio::select! {
        _ = downward => {}
        _ = async { upward.await; std::future::pending::<()>().await } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::is_registration_post;

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
}
