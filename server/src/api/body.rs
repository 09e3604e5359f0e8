//! Reading request bodies: content type, size limit, minimum data rate.

use super::problem::Problem;
use accredit_model::api::problem_code;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::BodyExt;
use std::time::Duration;
use tokio::time::Instant;

/// Largest registration payload: a 30-member delegation with every field
/// filled is around 40 KB, so this leaves room without inviting abuse.
pub const JSON_LIMIT: usize = 256 * 1024;

/// The slowest body the server waits for. A body is judged by its
/// progress, not by a deadline for the whole of it: a 5 MiB photo over a
/// slow but steady uplink arrives, a body that stalls is cut (408
/// `body.timeout`), and a slow sender cannot hold a connection (and an
/// idempotency key) for long without sending.
///
/// The rule: every `window`, at least `bytes_per_sec × window` more bytes
/// must have arrived. The window starts when the handler starts reading
/// and starts again each time that many bytes have come, so a client that
/// sends steadily at `bytes_per_sec` or faster is never cut, and one that
/// stops is cut at most `window` later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinimumRate {
    pub bytes_per_sec: u64,
    pub window: Duration,
}

impl Default for MinimumRate {
    /// 8 KiB/s (64 kbit/s, a poor mobile uplink: a 5 MiB photo in 11
    /// minutes) over 10 s windows.
    fn default() -> MinimumRate {
        MinimumRate {
            bytes_per_sec: 8 * 1024,
            window: Duration::from_secs(10),
        }
    }
}

impl MinimumRate {
    /// Bytes due in each window (at least one).
    fn bytes_per_window(self) -> u64 {
        let bytes = u128::from(self.bytes_per_sec) * self.window.as_millis() / 1000;
        u64::try_from(bytes).unwrap_or(u64::MAX).max(1)
    }
}

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
            problem_code::BODY_UNSUPPORTED_MEDIA_TYPE,
            "The body must be JSON, sent with Content-Type: application/json.",
        ))
    }
}

fn too_large(limit: usize) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        problem_code::BODY_TOO_LARGE,
        format!("The body is larger than the limit of {limit} bytes."),
    )
}

fn too_slow(rate: MinimumRate) -> Problem {
    Problem::new(
        StatusCode::REQUEST_TIMEOUT,
        problem_code::BODY_TIMEOUT,
        format!(
            "The body stopped arriving: fewer than {} bytes came in {} s.",
            rate.bytes_per_window(),
            rate.window.as_secs_f64()
        ),
    )
}

/// The whole body, refused with 413 beyond `limit` bytes (at once when
/// `Content-Length` says so, else as soon as the limit is crossed) and with
/// 408 when it arrives slower than `rate`.
pub async fn read(
    headers: &HeaderMap,
    mut body: Body,
    limit: usize,
    rate: MinimumRate,
) -> Result<Bytes, Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let due = rate.bytes_per_window();
    let capacity = declared.map_or(0, |n| usize::try_from(n).unwrap_or(limit));
    let mut collected = Vec::with_capacity(capacity.min(limit));
    let mut deadline = Instant::now() + rate.window;
    let mut since_deadline_set = 0u64;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return Err(too_slow(rate)),
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(Problem::bad_request(
                    problem_code::BODY_UNREADABLE,
                    format!("The body could not be read: {e}"),
                ));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if collected.len() + data.len() > limit {
            return Err(too_large(limit));
        }
        collected.extend_from_slice(&data);
        since_deadline_set += data.len() as u64;
        if since_deadline_set >= due {
            since_deadline_set = 0;
            deadline = Instant::now() + rate.window;
        }
    }
    Ok(Bytes::from(collected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_due_per_window_follow_the_rate() {
        let rate = |bytes_per_sec, ms| MinimumRate {
            bytes_per_sec,
            window: Duration::from_millis(ms),
        };
        assert_eq!(MinimumRate::default().bytes_per_window(), 80 * 1024);
        assert_eq!(rate(1000, 500).bytes_per_window(), 500);
        assert_eq!(rate(1, 10).bytes_per_window(), 1);
    }
}
