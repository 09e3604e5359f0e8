//! Telephone numbers in international (E.164) form.
//!
//! The number is kept as typed (people write `+92 (51) 123-4567`), and the
//! separators are ignored only when checking; [`canonical_phone`] gives the
//! compact form for dialling and de-duplication.

use crate::codes;
use crate::error::Violation;

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')')
}

/// The E.164 form of `number` (`+` and 8–15 digits, the first not 0) after
/// removing spaces, hyphens, full stops and parentheses and writing digits
/// of other scripts in ASCII ([`crate::digits`]); `None` if it is not an
/// international number.
pub fn canonical_phone(number: &str) -> Option<String> {
    let compact: String = crate::digits::with_ascii_digits(number)
        .chars()
        .filter(|c| !is_separator(*c))
        .collect();
    let digits = compact.strip_prefix('+')?;
    let valid = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    valid.then_some(compact)
}

/// Checks a number that must be given.
pub fn check_phone(number: &str) -> Result<(), Violation> {
    if number.trim().is_empty() {
        return Err(Violation::new(codes::PHONE_REQUIRED));
    }
    match canonical_phone(number.trim()) {
        Some(_) => Ok(()),
        None => Err(Violation::new(codes::PHONE_INVALID)),
    }
}

/// Checks a number only if one was given.
pub fn check_optional_phone(number: &str) -> Result<(), Violation> {
    if number.trim().is_empty() {
        Ok(())
    } else {
        check_phone(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_separators() {
        assert_eq!(
            canonical_phone("+92 (51) 123-4567").as_deref(),
            Some("+92511234567")
        );
        assert_eq!(
            canonical_phone("+43.1.26060.0").as_deref(),
            Some("+431260600")
        );
        assert_eq!(canonical_phone("+12345678").as_deref(), Some("+12345678"));
        assert_eq!(
            canonical_phone("+٩٢ (٥١) ۱۲۳-４５６７").as_deref(),
            Some("+92511234567"),
            "Arabic-Indic, Persian and full-width digits"
        );
        assert_eq!(
            canonical_phone("+123456789012345").as_deref(),
            Some("+123456789012345")
        );
    }

    #[test]
    fn refuses_non_international_numbers() {
        for number in [
            "051 1234567",
            "0092 51 1234567",
            "+0 51 1234567",
            "+1234567",
            "+1234567890123456",
            "+92 51 123 4567 ext 2",
            "+92/51/1234567",
            "++92511234567",
            "+92 51 1234567+",
            "+",
        ] {
            assert_eq!(canonical_phone(number), None, "{number}");
            assert_eq!(
                check_phone(number).unwrap_err().code,
                codes::PHONE_INVALID,
                "{number}"
            );
        }
    }

    #[test]
    fn required_and_optional() {
        assert_eq!(check_phone(" ").unwrap_err().code, codes::PHONE_REQUIRED);
        assert_eq!(check_phone(" +92 51 1234567 "), Ok(()));
        assert_eq!(check_optional_phone(""), Ok(()));
        assert_eq!(
            check_optional_phone("12").unwrap_err().code,
            codes::PHONE_INVALID
        );
    }
}
