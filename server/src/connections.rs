//! The HTTP/1.1 server loop: accepting connections within a cap, and the
//! time limits that keep a slow or silent client from holding one.
//!
//! - At most [`Limits::max_connections`] connections are served at once.
//!   The loop accepts the next one only when a slot is free, so the
//!   connections beyond the cap wait in the listening socket's queue
//!   (the kernel's backlog) and are served in turn; none is refused while
//!   the queue has room.
//! - A request head (request line and headers) must arrive within
//!   [`Limits::header_read_timeout`] of the moment the connection is ready
//!   for it (accepted, or done with its previous response); otherwise the
//!   connection is closed without an answer. Sending the head byte by byte
//!   does not extend it.
//! - A connection on which nothing has been read or written for
//!   [`Limits::idle_timeout`], with no request being handled, is closed; a
//!   connection that was asked to close (idle, or the server stopping) and
//!   still shows no traffic after another such period is dropped.
//! - The handler time limit is a middleware ([`crate::deadline`]), and the
//!   body's minimum rate is enforced where bodies are read
//!   ([`crate::api::body`]).
//!
//! HTTP/2 is left to the TLS-terminating proxy in front (browsers speak it
//! only over TLS); this loop speaks HTTP/1.1 and 1.0, where the head
//! timeout applies from the first byte.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;
use tower_service::Service;

/// How long clients may take and how many may be served at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Time to send a complete request head.
    pub header_read_timeout: Duration,
    /// Time without traffic, between requests, before a connection is closed.
    pub idle_timeout: Duration,
    /// Connections served at once; the rest wait in the accept queue.
    pub max_connections: usize,
    /// Time a handler may work on a request (not counting the time its
    /// body takes to arrive) before the answer is 503 `server.timeout`.
    pub handler_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(10),
            max_connections: 512,
            handler_timeout: Duration::from_secs(30),
        }
    }
}

impl Limits {
    /// Values that cannot work: no connection at all, or a zero time limit.
    pub fn check(&self) -> Result<(), String> {
        if self.max_connections == 0 {
            return Err("--max-connections must be at least 1".into());
        }
        for (name, value) in [
            ("--header-read-timeout", self.header_read_timeout),
            ("--idle-timeout", self.idle_timeout),
            ("--handler-timeout", self.handler_timeout),
        ] {
            if value.is_zero() {
                return Err(format!("{name} must be more than 0 seconds"));
            }
        }
        Ok(())
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting, lets every connection finish the request it is serving, and
/// returns once all are closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    // Every connection holds a receiver; the sender says "stop" and then
    // learns, from the last receiver dropped, that all have finished.
    let (stop, stop_seen) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let (router, stop_seen) = (router.clone(), stop_seen.clone());
        tokio::spawn(async move {
            connection(stream, peer, router, limits, stop_seen).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(());
    drop(stop_seen);
    stop.closed().await;
    Ok(())
}

/// A client that gave up before it was accepted is no reason to stop; a
/// full file table (EMFILE) is worth a pause, as connections close.
async fn accept_failed(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!("accept error: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    mut stop: watch::Receiver<()>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            // Handlers read the client's address from here (`ConnectInfo`).
            request.extensions_mut().insert(ConnectInfo(peer));
            let handling = activity.handling();
            let mut router = router.clone();
            async move {
                let response = router.call(request).await;
                drop(handling);
                response
            }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        let quiet_until = activity.last() + limits.idle_timeout;
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!("connection from {peer} ended: {e}");
                }
                return;
            }
            _ = stop.changed(), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
            () = tokio::time::sleep_until(quiet_until) => {
                if activity.is_handling() || activity.last() + limits.idle_timeout > Instant::now() {
                    continue;
                }
                if closing {
                    tracing::debug!("dropping the silent connection from {peer}");
                    return;
                }
                // Closes an idle connection at once; one in the middle of
                // a response finishes it first.
                conn.as_mut().graceful_shutdown();
                closing = true;
                activity.touch();
            }
        }
    }
}

/// When a connection last moved a byte, and how many of its requests are
/// being handled.
struct Activity {
    last: Mutex<Instant>,
    handling: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            last: Mutex::new(Instant::now()),
            handling: AtomicUsize::new(0),
        }
    }

    fn last(&self) -> Instant {
        *self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn touch(&self) {
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
    }

    fn is_handling(&self) -> bool {
        self.handling.load(Ordering::Acquire) > 0
    }

    /// Counts a request as being handled until the guard is dropped.
    fn handling(self: &Arc<Self>) -> Handling {
        self.handling.fetch_add(1, Ordering::AcqRel);
        Handling(self.clone())
    }
}

struct Handling(Arc<Activity>);

impl Drop for Handling {
    fn drop(&mut self) {
        self.0.handling.fetch_sub(1, Ordering::AcqRel);
        // The idle time starts when the handler is done.
        self.0.touch();
    }
}

/// A socket that records when bytes go through it.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
