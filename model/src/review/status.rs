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
}

impl Status {
    /// Every status, in the order a review usually goes.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Approved,
        Status::Rejected,
        Status::ChangesRequested,
    ];

    /// The name used in the API, URLs and exports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::ChangesRequested => "changes_requested",
        }
    }

    /// Review moves forward only: a pending registration is decided or sent
    /// back, and one sent back is then decided. Approved and rejected are
    /// final, so an accreditation that went to security screening cannot
    /// silently change under it.
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
    }
}
