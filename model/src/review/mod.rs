//! What organisers do with registrations once they are stored: the review
//! status and its transitions, protocol order, and the list filters. The
//! server and the organiser view both use these, so what an organiser sees
//! on screen, filters and exports always agree.

pub mod filter;
pub mod protocol;
pub mod status;

pub use filter::{Filter, search_text};
pub use status::Status;
