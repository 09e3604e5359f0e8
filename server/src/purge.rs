//! Retention: personal data is deleted once it is no longer needed.
//!
//! An event's registrations, attachments, idempotency records and
//! organiser tokens are deleted `limits.retention_days` days after its last
//! day; those of an event no longer in the configuration
//! [`UNCONFIGURED_GRACE_SECS`] after its newest record; uploads that no
//! registration uses are deleted 24 hours after upload. `accredit-server purge` runs this once; the server runs it
//! at start-up and every hour (so at least daily, and soon after a restart).

use crate::AppState;
use crate::attachments::UNUSED_TTL_SECS;
use crate::events::Events;
use crate::security::{self, Actor};
use crate::storage::{self, Deleted, Storage, StorageResult};
use accredit_model::{Date, EventConfig};
use std::sync::Arc;
use std::time::Duration;

pub const INTERVAL: Duration = Duration::from_secs(60 * 60);

/// How long the data of an event that is no longer configured is kept
/// after its newest record: a configuration mistake (a file left out of
/// the folder, a wrong `--config`) corrected within a month loses nothing,
/// and the data of an event that was removed for good still goes.
pub const UNCONFIGURED_GRACE_SECS: i64 = 30 * 86_400;

/// What one purge deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub events: Vec<(String, Deleted)>,
    pub expired_attachments: u64,
}

/// The first day on which the event's personal data is deleted.
pub fn deletion_date(event: &EventConfig) -> Date {
    event
        .ends_on
        .add_days(i64::from(event.limits.retention_days))
}

/// Purges what is due on `today`; `now` (Unix seconds) dates unused
/// uploads. Each event purged is written to the security log as done by
/// `actor`.
pub fn run(
    storage: &dyn Storage,
    events: &Events,
    today: Date,
    now: i64,
    actor: Actor,
) -> StorageResult<Report> {
    let mut report = Report::default();
    for (id, event) in events {
        if today >= deletion_date(event) {
            let deleted = storage.purge_event(id)?;
            if deleted != Deleted::default() {
                security::purge(id, actor, "retention", &deleted);
                report.events.push((id.clone(), deleted));
            }
        }
    }
    for (id, newest) in storage.stored_events()? {
        if !events.contains_key(&id) && newest + UNCONFIGURED_GRACE_SECS <= now {
            let deleted = storage.purge_event(&id)?;
            if deleted != Deleted::default() {
                security::purge(&id, actor, "unconfigured", &deleted);
                report.events.push((id, deleted));
            }
        }
    }
    report.expired_attachments = storage.expire_unused_attachments(now - UNUSED_TTL_SECS)?;
    Ok(report)
}

/// The server's periodic purge; failures are logged and retried next time.
pub async fn periodically(state: Arc<AppState>) {
    let mut ticks = tokio::time::interval(INTERVAL);
    loop {
        ticks.tick().await;
        let events = state.events.clone();
        let (today, now) = (state.clock.today(), state.clock.now());
        let result = storage::run(&state.storage, move |s| {
            run(s, &events, today, now, Actor::Server)
        })
        .await;
        match result {
            Ok(report) => {
                for (event, deleted) in &report.events {
                    tracing::info!(
                        %event,
                        registrations = deleted.registrations,
                        attachments = deleted.attachments,
                        "retention period over: personal data deleted"
                    );
                }
                if report.expired_attachments > 0 {
                    tracing::info!(
                        count = report.expired_attachments,
                        "unused attachments deleted"
                    );
                }
            }
            Err(e) => tracing::error!("purge failed: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_kept_for_the_retention_period_after_the_last_day() {
        let mut event = accredit_model::demo::islamabad_tip_som();
        event.limits.retention_days = 90;
        // Last day 2027-04-22; deleted 90 days later.
        assert_eq!(deletion_date(&event).to_string(), "2027-07-21");
    }
}
