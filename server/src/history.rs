//! A registration's history as its focal point and organisers read it:
//! every stored version and every status change, in time order.

use crate::clock;
use crate::storage::{AuditEntry, FOCAL_POINT_ACTOR, VersionRecord};
use accredit_model::Registration;
use accredit_model::api::{Author, HistoryEntry, HistoryKind};
use accredit_model::review::{Status, changes};

/// Versions and status changes merged, oldest first. A status change is
/// attributed to the version current when it happened; the return to
/// pending that an amendment causes is part of the amendment's line.
pub fn entries(versions: &[VersionRecord], trail: &[AuditEntry]) -> Vec<HistoryEntry> {
    let payloads: Vec<Option<Registration>> = versions
        .iter()
        .map(|v| serde_json::from_str(&v.payload).ok())
        .collect();
    let mut lines: Vec<(i64, usize, HistoryEntry)> = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let what = if i == 0 {
            HistoryKind::Submitted
        } else {
            let count = match (&payloads[i - 1], &payloads[i]) {
                (Some(before), Some(after)) => changes(before, after).len(),
                _ => 0,
            };
            HistoryKind::Amended { changes: count }
        };
        let summary = match &what {
            HistoryKind::Submitted => "Registration submitted".to_owned(),
            HistoryKind::Amended { changes: 1 } => "Amended: 1 change".to_owned(),
            HistoryKind::Amended { changes } => format!("Amended: {changes} changes"),
            _ => String::new(),
        };
        lines.push((
            version.at,
            lines.len(),
            HistoryEntry {
                at: clock::rfc3339(version.at),
                by: version.author,
                version: version.version,
                what,
                summary,
            },
        ));
    }
    for entry in trail {
        let by_focal_point = entry.actor_token == FOCAL_POINT_ACTOR;
        if by_focal_point && entry.to == Status::Pending {
            continue;
        }
        let version = versions
            .iter()
            .filter(|v| v.at <= entry.at)
            .map(|v| v.version)
            .max()
            .unwrap_or(1);
        let (by, what, summary) = if entry.to == Status::Withdrawn {
            (
                Author::FocalPoint,
                HistoryKind::Withdrawn,
                "Registration withdrawn".to_owned(),
            )
        } else {
            (
                if by_focal_point {
                    Author::FocalPoint
                } else {
                    Author::Organiser
                },
                HistoryKind::Decided { status: entry.to },
                decision_summary(entry.to).to_owned(),
            )
        };
        lines.push((
            entry.at,
            lines.len(),
            HistoryEntry {
                at: clock::rfc3339(entry.at),
                by,
                version,
                what,
                summary,
            },
        ));
    }
    lines.sort_by_key(|(at, order, _)| (*at, *order));
    lines.into_iter().map(|(_, _, entry)| entry).collect()
}

fn decision_summary(status: Status) -> &'static str {
    match status {
        Status::Approved => "Approved",
        Status::Rejected => "Rejected",
        Status::ChangesRequested => "Changes requested",
        Status::Pending => "Back in review",
        Status::Withdrawn => "Registration withdrawn",
    }
}

/// The organiser's latest note, for a status that comes with one.
pub fn latest_note(status: Status, trail: &[AuditEntry]) -> Option<String> {
    if !status.needs_note() {
        return None;
    }
    trail
        .iter()
        .rev()
        .find(|e| e.to == status)
        .map(|e| e.note.clone())
        .filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(v: u32, at: i64, members: usize) -> VersionRecord {
        let r = Registration {
            members: (0..members)
                .map(|i| accredit_model::Member {
                    given_names: format!("Member{i}"),
                    ..Default::default()
                })
                .collect(),
            ..Registration::default()
        };
        VersionRecord {
            version: v,
            payload: serde_json::to_string(&r).unwrap(),
            at,
            author: Author::FocalPoint,
        }
    }

    fn audit(at: i64, actor: &str, from: Status, to: Status, note: &str) -> AuditEntry {
        AuditEntry {
            at,
            actor_token: actor.into(),
            actor_label: "desk".into(),
            from,
            to,
            note: note.into(),
        }
    }

    #[test]
    fn versions_and_decisions_in_time_order() {
        let versions = [version(1, 100, 1), version(2, 300, 2)];
        let trail = [
            audit(
                200,
                "tok_1",
                Status::Pending,
                Status::ChangesRequested,
                "Add the adviser",
            ),
            audit(
                300,
                FOCAL_POINT_ACTOR,
                Status::ChangesRequested,
                Status::Pending,
                "",
            ),
            audit(400, "tok_1", Status::Pending, Status::Approved, ""),
        ];
        let lines = entries(&versions, &trail);
        let summaries: Vec<(&str, u32, Author)> = lines
            .iter()
            .map(|l| (l.summary.as_str(), l.version, l.by))
            .collect();
        assert_eq!(
            summaries,
            [
                ("Registration submitted", 1, Author::FocalPoint),
                ("Changes requested", 1, Author::Organiser),
                ("Amended: 1 change", 2, Author::FocalPoint),
                ("Approved", 2, Author::Organiser),
            ]
        );
        assert_eq!(lines[0].at, "1970-01-01T00:01:40Z");
        assert_eq!(
            latest_note(Status::ChangesRequested, &trail).as_deref(),
            Some("Add the adviser")
        );
        assert_eq!(latest_note(Status::Approved, &trail), None);
    }
}
