//! Registration references: short codes that people read aloud, type into
//! e-mails and print on lists, such as `ISB-7K3Q`.
//!
//! The alphabet has no 0/O or 1/I, so a reference survives being read over
//! the telephone or copied by hand. The random part starts at four
//! characters (32⁴ ≈ one million per event) and grows when an event gets
//! crowded; uniqueness per event is enforced by storage.

use crate::random;

/// 8 digits and 24 letters: everything but 0, 1, I and O.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Characters in the random part of a first attempt.
pub const MIN_LEN: usize = 4;

/// The default prefix of an event's references: the first three letters of
/// the event id, upper-cased (`islamabad-tip-som` → `ISL`). Organisers who
/// want another (`ISB`, the city's airport code) set it with
/// `--reference-prefix EVENT=PREFIX`. The prefix is the same on every
/// reference of an event, so it needs no protection from misreading.
pub fn derive_prefix(event_id: &str) -> String {
    let prefix: String = event_id
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .take(3)
        .collect();
    if prefix.is_empty() {
        "REG".to_owned()
    } else {
        prefix
    }
}

/// Whether `prefix` may be used: 1–8 upper-case letters A–Z and digits.
pub fn is_valid_prefix(prefix: &str) -> bool {
    (1..=8).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A fresh random reference with `len` random characters.
pub fn generate(prefix: &str, len: usize) -> String {
    let mut reference = String::with_capacity(prefix.len() + 1 + len);
    reference.push_str(prefix);
    reference.push('-');
    for _ in 0..len {
        reference.push(ALPHABET[random::below(32) as usize] as char);
    }
    reference
}

/// The random part's length for the `attempt`-th try (0-based): four
/// characters, one more after every three collisions.
pub fn length_for_attempt(attempt: usize) -> usize {
    MIN_LEN + attempt / 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_use_the_unambiguous_alphabet() {
        for _ in 0..200 {
            let r = generate("ISB", 4);
            assert_eq!(r.len(), 8);
            assert!(r.starts_with("ISB-"));
            assert!(!r[4..].contains(['0', 'O', '1', 'I']));
        }
    }

    #[test]
    fn prefixes_come_from_the_event_id() {
        assert_eq!(derive_prefix("islamabad-tip-som"), "ISL");
        assert_eq!(derive_prefix("cop-31"), "COP");
        assert_eq!(derive_prefix("2027"), "REG");
        assert!(is_valid_prefix("ISB"));
        assert!(is_valid_prefix("COP31"));
        assert!(!is_valid_prefix("isb"));
        assert!(!is_valid_prefix("IS-B"));
        assert!(!is_valid_prefix(""));
    }

    #[test]
    fn crowded_events_get_longer_references() {
        assert_eq!(length_for_attempt(0), 4);
        assert_eq!(length_for_attempt(2), 4);
        assert_eq!(length_for_attempt(3), 5);
    }
}
