//! Identity-document numbers as a manage link shows them: masked but for
//! their last three characters.
//!
//! A manage link is a bearer secret that travels by e-mail, so what it
//! opens must not hand out the security data it protects. The focal point
//! sees `••••••567`, recognises the passport, and may leave it as it is:
//! a number sent back exactly as masked keeps the stored one
//! ([`unmask`]), while a new number replaces it. The mask character is
//! one no identity document uses, so a masked value can never pass for a
//! real number.

use crate::codes;
use crate::error::ValidationError;
use crate::payload::Registration;

/// The character that hides a document number's leading characters.
pub const MASK: char = '•';

/// How many trailing characters stay visible.
pub const VISIBLE: usize = 3;

/// `number` with all but its last [`VISIBLE`] characters replaced by
/// [`MASK`] (a number of three characters or fewer is masked whole).
pub fn masked(number: &str) -> String {
    let count = number.chars().count();
    let hidden = if count > VISIBLE {
        count - VISIBLE
    } else {
        count
    };
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i < hidden { MASK } else { c })
        .collect()
}

/// Whether `value` is a masked number (it starts with [`MASK`]).
pub fn is_masked(value: &str) -> bool {
    value.starts_with(MASK)
}

/// The registration with every identity-document number masked.
pub fn mask_registration(registration: &Registration) -> Registration {
    let mut copy = registration.clone();
    for member in &mut copy.members {
        if let Some(document) = &mut member.identity_document
            && !document.number.is_empty()
        {
            document.number = masked(&document.number);
        }
    }
    copy
}

/// Restores the stored numbers that `amended` sent back masked.
///
/// A member's masked number is matched against the stored numbers of the
/// whole delegation, not only the member at the same position, so moving a
/// member up or down keeps their document; a masked value that matches no
/// stored number (or matches two) is left as it is, and validation then
/// rejects it as an invalid number.
pub fn unmask(amended: &mut Registration, stored: &Registration) {
    let stored_numbers: Vec<&str> = stored
        .members
        .iter()
        .filter_map(|m| m.identity_document.as_ref())
        .map(|d| d.number.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    for member in &mut amended.members {
        let Some(document) = &mut member.identity_document else {
            continue;
        };
        if !is_masked(&document.number) {
            continue;
        }
        let mut candidates = stored_numbers
            .iter()
            .filter(|n| masked(n) == document.number);
        if let (Some(original), None) = (candidates.next(), candidates.next()) {
            document.number = (*original).to_owned();
        }
    }
}

/// Whether a validation error only says that a masked number (one the
/// focal point left as the manage link showed it) is not a document
/// number. The widget drops these when amending: the server restores the
/// stored number ([`unmask`]) before it validates, and only then judges.
pub fn is_masked_number_error(error: &ValidationError, registration: &Registration) -> bool {
    error.code == codes::IDENTITY_DOCUMENT_NUMBER_INVALID
        && registration.members.iter().enumerate().any(|(i, m)| {
            error.path == format!("members[{i}].identity_document.number")
                && m.identity_document
                    .as_ref()
                    .is_some_and(|d| is_masked(&d.number))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::{IdentityDocument, Member};

    fn with_numbers(numbers: &[&str]) -> Registration {
        Registration {
            members: numbers
                .iter()
                .map(|n| Member {
                    identity_document: Some(IdentityDocument {
                        number: (*n).to_owned(),
                        ..IdentityDocument::default()
                    }),
                    ..Member::default()
                })
                .collect(),
            ..Registration::default()
        }
    }

    fn numbers(r: &Registration) -> Vec<String> {
        r.members
            .iter()
            .map(|m| m.identity_document.as_ref().unwrap().number.clone())
            .collect()
    }

    #[test]
    fn keeps_only_the_last_three_characters() {
        assert_eq!(masked("AB1234567"), "••••••567");
        assert_eq!(masked("123"), "•••");
        assert_eq!(masked("Ж12345"), "•••345");
        assert!(is_masked(&masked("X99887766")));
        assert!(!is_masked("X99887766"));
    }

    #[test]
    fn masks_every_member_and_unmasks_what_came_back_unchanged() {
        let stored = with_numbers(&["AB1234567", "CD7654321"]);
        let shown = mask_registration(&stored);
        assert_eq!(numbers(&shown), ["••••••567", "••••••321"]);
        assert!(!format!("{shown:?}").contains("1234"));

        // Order swapped, second number replaced by a new one.
        let mut amended = with_numbers(&["••••••321", "EF0000001"]);
        unmask(&mut amended, &stored);
        assert_eq!(numbers(&amended), ["CD7654321", "EF0000001"]);
    }

    #[test]
    fn only_the_masked_number_error_is_recognised() {
        let r = with_numbers(&["••••••567", "X"]);
        let at = |i: usize, code| {
            ValidationError::new(format!("members[{i}].identity_document.number"), code)
        };
        assert!(is_masked_number_error(
            &at(0, codes::IDENTITY_DOCUMENT_NUMBER_INVALID),
            &r
        ));
        assert!(!is_masked_number_error(
            &at(1, codes::IDENTITY_DOCUMENT_NUMBER_INVALID),
            &r
        ));
        assert!(!is_masked_number_error(
            &at(0, codes::IDENTITY_DOCUMENT_NUMBER_REQUIRED),
            &r
        ));
    }

    #[test]
    fn an_ambiguous_or_unknown_mask_stays_masked() {
        let stored = with_numbers(&["AA0000567", "BB1111567"]);
        let mut amended = with_numbers(&["••••••567", "••••••999"]);
        unmask(&mut amended, &stored);
        assert_eq!(numbers(&amended), ["••••••567", "••••••999"]);
    }
}
