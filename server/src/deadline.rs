//! The handler time limit: a request whose handler has not answered
//! within the limit gets 503 `server.timeout` (with `Retry-After`), and its
//! handler is dropped.
//!
//! The time a handler spends waiting for a body that keeps arriving does
//! not count: each piece of the body, and its end, starts the clock again.
//! A slow but steady upload is therefore judged by the body's minimum rate
//! ([`crate::api::body::MinimumRate`]) alone, and the limit applies to the
//! work done once the body is in (or to the whole of a request without one).

use crate::api::problem::Problem;
use accredit_model::api::problem_code;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// The middleware; its state is the limit.
pub async fn limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let progress = Arc::new(Mutex::new(Instant::now()));
    let request = request.map(|body| {
        Body::new(Progress {
            inner: body,
            progress: progress.clone(),
        })
    });
    let handler = next.run(request);
    tokio::pin!(handler);
    loop {
        let deadline = last(&progress) + limit;
        tokio::select! {
            response = &mut handler => return response,
            () = tokio::time::sleep_until(deadline) => {
                if last(&progress) + limit <= Instant::now() {
                    return timed_out(limit);
                }
            }
        }
    }
}

fn last(progress: &Mutex<Instant>) -> Instant {
    *progress.lock().unwrap_or_else(PoisonError::into_inner)
}

fn timed_out(limit: Duration) -> Response {
    tracing::warn!("a request handler took longer than {limit:?}");
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        problem_code::SERVER_TIMEOUT,
        format!(
            "The server did not finish this request within {} s. Please try again; \
             a retry with the same Idempotency-Key is never stored twice.",
            limit.as_secs()
        ),
    )
    .retry_after(5)
    .into_response()
}

/// The request body, stamping the time whenever a piece of it arrives.
struct Progress {
    inner: Body,
    progress: Arc<Mutex<Instant>>,
}

impl http_body::Body for Progress {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if polled.is_ready() {
            *self.progress.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
