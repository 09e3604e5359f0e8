//! Reading request bodies: content type, size limit, time limit.

use super::problem::Problem;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::time::Duration;

/// Largest registration payload: a 30-member delegation with every field
/// filled is around 40 KB, so this leaves room without inviting abuse.
pub const JSON_LIMIT: usize = 256 * 1024;

/// A client that takes longer than this to send its body is cut off, so
/// slow senders cannot hold connections (and idempotency keys) forever.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// 415 unless the body is declared as JSON (`application/json`, any params).
pub fn require_json(headers: &HeaderMap) -> Result<(), Problem> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if essence.as_deref() == Some("application/json") {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "body.unsupported_media_type",
            "The body must be JSON, sent with Content-Type: application/json.",
        ))
    }
}

fn too_large(limit: usize) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body.too_large",
        format!("The body is larger than the limit of {limit} bytes."),
    )
}

/// The whole body, refused with 413 beyond `limit` bytes (at once when
/// `Content-Length` says so, else as soon as the limit is crossed).
pub async fn read(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let collected = tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, limit).collect()).await;
    match collected {
        Err(_) => Err(Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "body.timeout",
            "The body took too long to arrive.",
        )),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Err(too_large(limit)),
        Ok(Err(e)) => Err(Problem::bad_request(
            "body.unreadable",
            format!("The body could not be read: {e}"),
        )),
    }
}
