//! The background sender: delivers due messages, oldest first, and
//! reschedules failures with exponential backoff (30 s, 1 min, 2 min, …,
//! at most an hour between attempts) until 48 hours after the message was
//! queued; a permanent refusal (an unusable address, an SMTP 5xx) fails at
//! once. At start-up it tries every undelivered message straight away: a
//! restart is when an operator has just fixed what was failing.

use super::transport::Transport;
use crate::{AppState, storage};
use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::Duration;

/// Messages taken per round.
const BATCH: usize = 32;
/// How long delivery is attempted.
pub const GIVE_UP_AFTER_SECS: i64 = 48 * 3600;
/// The longest wait between two attempts.
const MAX_DELAY_SECS: i64 = 3600;
/// The longest sleep when nothing is due (changes made by another process
/// wake nobody).
const IDLE_POLL: Duration = Duration::from_secs(60);

/// Seconds to wait after failed attempt number `attempts` (1-based).
pub fn backoff_secs(base_secs: i64, attempts: u32) -> i64 {
    let doublings = attempts.saturating_sub(1).min(20);
    base_secs
        .saturating_mul(1i64 << doublings)
        .min(MAX_DELAY_SECS)
}

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>, transport: Transport, from: Mailbox, base_delay_secs: i64) {
    let mut first = true;
    loop {
        let now = state.clock.now();
        // The first round takes everything undelivered, due or not.
        let due_by = if first { i64::MAX } else { now };
        first = false;
        let due = match storage::run(&state.storage, move |s| s.due_messages(due_by, BATCH)).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!("outbox: cannot read due messages: {e}");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        let full = due.len() == BATCH;
        for queued in due {
            let id = queued.message.id.clone();
            let outcome = transport.send(&from, &queued.message).await;
            let now = state.clock.now();
            let attempts = queued.attempts + 1;
            let result = match outcome {
                Ok(()) => {
                    tracing::info!(message = %id, kind = ?queued.message.kind, "message sent");
                    storage::run(&state.storage, move |s| s.message_sent(&id, now)).await
                }
                Err(error) => {
                    let retry_at = now + backoff_secs(base_delay_secs, attempts);
                    let retry = (!error.permanent
                        && retry_at <= queued.created_at + GIVE_UP_AFTER_SECS)
                        .then_some(retry_at);
                    tracing::warn!(message = %id, attempts, permanent = error.permanent, gives_up = retry.is_none(), "message not sent: {}", error.text);
                    storage::run(&state.storage, move |s| {
                        s.message_failed(&id, now, &error.text, retry)
                    })
                    .await
                }
            };
            if let Err(e) = result {
                tracing::warn!("outbox: cannot record a delivery attempt: {e}");
            }
        }
        if full {
            continue;
        }
        let next = storage::run(&state.storage, storage::Storage::next_message_due)
            .await
            .ok()
            .flatten();
        let wait = match next {
            Some(at) => Duration::from_secs(u64::try_from(at - state.clock.now()).unwrap_or(0))
                .min(IDLE_POLL),
            None => IDLE_POLL,
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = state.outbox.woken() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let delays: Vec<i64> = (1..=9).map(|n| backoff_secs(30, n)).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff_secs(30, u32::MAX), 3600);
    }
}
