//! Protocol order of stored registrations; the order itself is the model's
//! ([`accredit_model::review::protocol`]), shared with the organiser view.

use super::Loaded;
use accredit_model::review::protocol::delegation_key;
pub use accredit_model::review::protocol::{delegation_name, member_order};

/// Sorts delegations into protocol order (ties by reference, for stable output).
pub fn sort_delegations(delegations: &mut [Loaded]) {
    delegations.sort_by_cached_key(|loaded| {
        (
            delegation_key(&loaded.registration.delegation),
            loaded.reference.clone(),
        )
    });
}
