//! What organisers do with registrations once they are stored: the review
//! status and its transitions, protocol order, and the list filters. The
//! server and the organiser view both use these, so what an organiser sees
//! on screen, filters and exports always agree.

pub mod changes;
pub mod filter;
pub mod protocol;
pub mod status;

pub use changes::{Change, changes};
pub use filter::{Filter, search_text};
pub use status::Status;

/// Whether the focal point may amend or withdraw a registration with this
/// status on `today`: the status allows it and the event's amendment
/// deadline has not passed.
pub fn amendable(status: Status, event: &crate::EventConfig, today: crate::Date) -> bool {
    status.is_amendable() && event.amendments_open(today)
}
