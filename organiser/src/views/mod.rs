//! The organiser view's screens.

pub mod badges;
pub mod dashboard;
pub mod delegations;
pub mod detail;
pub mod exports;
pub mod filters;
pub mod participants;
pub mod sign_in;
