//! A registration's review status and the changes organisers may make.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Where a registration is in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Submitted, not yet reviewed.
    Pending,
    /// Accredited.
    Approved,
    /// Refused; final.
    Rejected,
    /// Sent back to the delegation; the organiser decides once it answered.
    ChangesRequested,
    /// Withdrawn by the delegation's focal point; kept for the audit trail,
    /// never on lists, exports or badges.
    Withdrawn,
}

impl Status {
    /// Every status, in the order a review usually goes.
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::Approved,
        Status::Rejected,
        Status::ChangesRequested,
        Status::Withdrawn,
    ];

    /// The name used in the API, URLs and exports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::ChangesRequested => "changes_requested",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Whether the registration still counts: on lists, exports, badges
    /// and dashboards. Only a withdrawn one does not.
    pub const fn is_active(self) -> bool {
        !matches!(self, Status::Withdrawn)
    }

    /// Whether the focal point may still amend or withdraw it. A rejection
    /// is final and a withdrawal cannot be undone; an approved or
    /// changes-requested registration that is amended goes back to pending.
    pub const fn is_amendable(self) -> bool {
        matches!(
            self,
            Status::Pending | Status::Approved | Status::ChangesRequested
        )
    }

    /// Whether an organiser moving a registration here must say why: the
    /// delegation reads the note in its e-mail and on its manage page.
    pub const fn needs_note(self) -> bool {
        matches!(self, Status::ChangesRequested | Status::Rejected)
    }

    /// Review moves forward only: a pending registration is decided or sent
    /// back, and one sent back is then decided. Approved and rejected are
    /// final for organisers, so an accreditation that went to security
    /// screening cannot silently change under it; only the delegation's
    /// own amendment sends it back to pending (and the organiser sees
    /// what changed). Nobody but the focal point withdraws.
    pub const fn can_change_to(self, to: Status) -> bool {
        matches!(
            (self, to),
            (
                Status::Pending,
                Status::Approved | Status::Rejected | Status::ChangesRequested
            ) | (
                Status::ChangesRequested,
                Status::Approved | Status::Rejected
            )
        )
    }
}

impl FromStr for Status {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert!("PENDING".parse::<Status>().is_err());
    }

    #[test]
    fn review_moves_forward_only() {
        use Status::*;
        assert!(Pending.can_change_to(Approved));
        assert!(Pending.can_change_to(ChangesRequested));
        assert!(ChangesRequested.can_change_to(Rejected));
        assert!(!Approved.can_change_to(Rejected));
        assert!(!Rejected.can_change_to(Pending));
        assert!(!Pending.can_change_to(Pending));
        assert!(!ChangesRequested.can_change_to(Pending));
        for from in Status::ALL {
            assert!(
                !from.can_change_to(Withdrawn),
                "only the focal point withdraws"
            );
            assert!(!Withdrawn.can_change_to(from), "a withdrawal is final");
        }
    }

    #[test]
    fn lifecycle_predicates() {
        use Status::*;
        assert_eq!(
            Status::ALL.map(Status::is_amendable),
            [true, true, false, true, false]
        );
        assert_eq!(
            Status::ALL.map(Status::is_active),
            [true, true, true, true, false]
        );
        assert_eq!(
            Status::ALL.map(Status::needs_note),
            [false, false, true, true, false]
        );
        assert!(!Rejected.is_amendable());
    }
}
