//! `GET /healthz`: 200 `ok` when the database can be read and the writer
//! takes a write, 503 with a problem document (`storage.unavailable`)
//! otherwise, so a load balancer or supervisor stops sending traffic to a
//! server that would fail every request.

use crate::AppState;
use crate::api::problem::Problem;
use crate::storage::{self, StorageError};
use accredit_model::api::problem_code;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

/// How long each check may take before the server counts as unhealthy.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn check(State(state): State<Arc<AppState>>) -> Response {
    let read = run(&state, storage::Storage::check_read).await;
    let write = match read {
        Ok(()) => run(&state, |s| s.check_write(CHECK_TIMEOUT)).await,
        Err(_) => Ok(()),
    };
    let mut response = match (read, write) {
        (Ok(()), Ok(())) => "ok".into_response(),
        (Err(e), _) => unhealthy("read", &e, "The database cannot be read."),
        (_, Err(e)) => unhealthy(
            "write",
            &e,
            "The database does not take writes (its writer is stopped, stuck or locked out).",
        ),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn run(
    state: &AppState,
    check: impl FnOnce(&dyn storage::Storage) -> storage::StorageResult<()> + Send + 'static,
) -> storage::StorageResult<()> {
    // The storage call has its own limit; this one also covers a blocking
    // pool with no thread to spare.
    tokio::time::timeout(CHECK_TIMEOUT * 2, storage::run(&state.storage, check))
        .await
        .unwrap_or(Err(StorageError::Busy))
}

fn unhealthy(what: &str, error: &StorageError, detail: &str) -> Response {
    tracing::error!("health check failed ({what}): {error}");
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        problem_code::STORAGE_UNAVAILABLE,
        detail,
    )
    .retry_after(5)
    .into_response()
}
