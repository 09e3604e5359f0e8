//! Country codes in the payload: delegation, nationality, issuing country.

use crate::codes;
use crate::config::EventConfig;
use crate::country::is_country;
use crate::error::Violation;

/// Trimmed and upper-cased, as [`crate::Registration::normalised`] stores
/// it. Only ASCII input is upper-cased: codes are ASCII, and changing the
/// case of an ASCII letter before a combining mark could change how NFC
/// composes it ("i" + U+0307 would become "İ").
pub fn canonical_country(code: &str) -> String {
    upper_if_ascii(code.trim())
}

/// `text` in ASCII upper case if it is all ASCII, unchanged otherwise.
pub fn upper_if_ascii(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_uppercase()
    } else {
        text.to_owned()
    }
}

/// Checks a code that must be given and be an assigned ISO 3166-1 alpha-2
/// code (case-insensitive).
pub fn check_country(code: &str) -> Result<(), Violation> {
    let code = canonical_country(code);
    if code.is_empty() {
        return Err(Violation::new(codes::COUNTRY_REQUIRED));
    }
    if !is_country(&code) {
        return Err(Violation::new(codes::COUNTRY_UNKNOWN).with("country", code));
    }
    Ok(())
}

/// Checks a code only if one was given.
pub fn check_optional_country(code: &str) -> Result<(), Violation> {
    if code.trim().is_empty() {
        Ok(())
    } else {
        check_country(code)
    }
}

/// Checks that the State is on the event's invitation list (if it has
/// one). Unknown codes pass here: [`check_country`] reports them.
pub fn check_invited(code: &str, event: &EventConfig) -> Result<(), Violation> {
    let code = canonical_country(code);
    if !is_country(&code) || event.is_invited(&code) {
        return Ok(());
    }
    Err(Violation::new(codes::COUNTRY_NOT_INVITED).with("country", code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::event;

    #[test]
    fn checks_codes_case_insensitively() {
        assert_eq!(check_country("PK"), Ok(()));
        assert_eq!(check_country(" pk "), Ok(()));
        assert_eq!(check_country("").unwrap_err().code, codes::COUNTRY_REQUIRED);
        assert_eq!(
            check_country("xk").unwrap_err(),
            Violation::new(codes::COUNTRY_UNKNOWN).with("country", "XK")
        );
        assert_eq!(
            check_country("PAK").unwrap_err().code,
            codes::COUNTRY_UNKNOWN
        );
        assert_eq!(check_optional_country("  "), Ok(()));
        assert_eq!(
            check_optional_country("ZZ").unwrap_err().code,
            codes::COUNTRY_UNKNOWN
        );
        assert_eq!(
            canonical_country("i\u{307}"),
            "i\u{307}",
            "non-ASCII is left alone"
        );
    }

    #[test]
    fn checks_invitations() {
        let mut e = event();
        assert_eq!(check_invited("FR", &e), Ok(()), "no list: everyone invited");
        e.invited_countries = vec!["PK".into(), "TR".into()];
        assert_eq!(check_invited("tr", &e), Ok(()));
        assert_eq!(
            check_invited("FR", &e).unwrap_err(),
            Violation::new(codes::COUNTRY_NOT_INVITED).with("country", "FR")
        );
        assert_eq!(
            check_invited("ZZ", &e),
            Ok(()),
            "unknown codes are reported elsewhere"
        );
    }
}
