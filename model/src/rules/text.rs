//! Free text limits, control characters and identity document numbers.

use crate::codes;
use crate::error::Violation;

/// Longest honorific ("H.E.", "Amb.").
pub const HONORIFIC_MAX_CHARS: usize = 20;
/// Longest function, institution or organisation name.
pub const SHORT_TEXT_MAX_CHARS: usize = 200;
/// Longest dietary or accessibility note.
pub const LONG_TEXT_MAX_CHARS: usize = 500;
/// Longest attachment id (ids are issued by the server's upload endpoint).
pub const ATTACHMENT_ID_MAX_CHARS: usize = 200;
/// Shortest identity document number, after removing blanks.
pub const DOCUMENT_NUMBER_MIN_CHARS: usize = 5;
/// Longest identity document number, after removing blanks.
pub const DOCUMENT_NUMBER_MAX_CHARS: usize = 20;

/// Whether `c` overrides or isolates the direction of the text around it
/// (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI). Typed by nobody, they are
/// how a "Trojan source" text shows one thing and stores another (a badge
/// or an export that reads differently from what the organiser saw), so no
/// free-text field takes them. The marks LRM, RLM and ALM stay allowed:
/// Arabic and Persian keyboards type them.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Control characters (C0, DEL, C1) and the line and paragraph separators,
/// which break a line as a line feed does.
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

fn check_text(text: &str, max: usize, allow_newline: bool) -> Result<(), Violation> {
    let text = text.trim();
    if text.chars().any(is_direction_control) {
        return Err(Violation::new(codes::TEXT_DIRECTION_CONTROLS));
    }
    if text
        .chars()
        .any(|c| is_control(c) && !(allow_newline && c == '\n'))
    {
        return Err(Violation::new(codes::TEXT_CONTROL_CHARACTERS));
    }
    if text.chars().count() > max {
        return Err(Violation::new(codes::TEXT_TOO_LONG).with("max", max));
    }
    Ok(())
}

/// A one-line text: no control characters at all (not even a line break),
/// at most `max` characters after trimming.
pub fn check_single_line(text: &str, max: usize) -> Result<(), Violation> {
    check_text(text, max, false)
}

/// A multi-line note: line feeds allowed, other control characters not.
pub fn check_multi_line(text: &str, max: usize) -> Result<(), Violation> {
    check_text(text, max, true)
}

/// The stored form of a document number: blanks removed, digits of other
/// scripts in ASCII ([`crate::digits`]), then upper case if ASCII
/// ("ab 123 ٤٥٦٧" → "AB1234567"; other non-ASCII input is invalid anyway
/// and is left as it is, see [`crate::rules::country::canonical_country`]).
pub fn canonical_document_number(number: &str) -> String {
    let compact: String = crate::digits::with_ascii_digits(number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    crate::rules::country::upper_if_ascii(&compact)
}

/// A document number that must be given: after [`canonical_document_number`],
/// 5–20 characters A–Z and 0–9 (what machine-readable zones can hold).
pub fn check_document_number(number: &str) -> Result<(), Violation> {
    let number = canonical_document_number(number);
    if number.is_empty() {
        return Err(Violation::new(codes::IDENTITY_DOCUMENT_NUMBER_REQUIRED));
    }
    let length_ok =
        (DOCUMENT_NUMBER_MIN_CHARS..=DOCUMENT_NUMBER_MAX_CHARS).contains(&number.chars().count());
    if !length_ok
        || !number
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(Violation::new(codes::IDENTITY_DOCUMENT_NUMBER_INVALID)
            .with("min", DOCUMENT_NUMBER_MIN_CHARS)
            .with("max", DOCUMENT_NUMBER_MAX_CHARS));
    }
    Ok(())
}

/// Checks a document number only if one was given.
pub fn check_optional_document_number(number: &str) -> Result<(), Violation> {
    if number.trim().is_empty() {
        Ok(())
    } else {
        check_document_number(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<(), Violation>) -> &'static str {
        result.err().map_or("ok", |v| v.code)
    }

    #[test]
    fn single_line_limits() {
        assert_eq!(code(check_single_line("Director-General", 200)), "ok");
        assert_eq!(
            code(check_single_line(&format!(" {} ", "x".repeat(200)), 200)),
            "ok"
        );
        assert_eq!(
            check_single_line(&"ж".repeat(201), 200).unwrap_err(),
            Violation::new(codes::TEXT_TOO_LONG).with("max", 200)
        );
        assert_eq!(
            code(check_single_line("Ministry\nof Interior", 200)),
            codes::TEXT_CONTROL_CHARACTERS
        );
        assert_eq!(
            code(check_single_line("Ministry\u{0}", 200)),
            codes::TEXT_CONTROL_CHARACTERS
        );
        assert_eq!(code(check_single_line("H.E.", HONORIFIC_MAX_CHARS)), "ok");
        assert_eq!(
            code(check_single_line(&"H".repeat(21), HONORIFIC_MAX_CHARS)),
            codes::TEXT_TOO_LONG
        );
    }

    #[test]
    fn multi_line_allows_line_feeds_only() {
        assert_eq!(code(check_multi_line("Halal\nNo nuts", 500)), "ok");
        assert_eq!(
            code(check_multi_line("Halal\r\nNo nuts", 500)),
            codes::TEXT_CONTROL_CHARACTERS
        );
        assert_eq!(
            code(check_multi_line("Wheelchair\tuser", 500)),
            codes::TEXT_CONTROL_CHARACTERS
        );
        assert_eq!(
            code(check_multi_line(&"a".repeat(501), 500)),
            codes::TEXT_TOO_LONG
        );
    }

    #[test]
    fn document_numbers() {
        assert_eq!(canonical_document_number(" ab 123\u{A0}4567 "), "AB1234567");
        // Arabic-Indic, Persian and full-width digits, as their keyboards type them.
        assert_eq!(canonical_document_number("ab ١٢٣۴۵６７"), "AB1234567");
        assert_eq!(code(check_document_number("AB12345٦")), "ok");
        assert_eq!(code(check_document_number("ab 1234567")), "ok");
        assert_eq!(code(check_document_number("A1234")), "ok");
        assert_eq!(code(check_document_number(&"9".repeat(20))), "ok");
        assert_eq!(
            code(check_document_number("   ")),
            codes::IDENTITY_DOCUMENT_NUMBER_REQUIRED
        );
        let invalid = Violation::new(codes::IDENTITY_DOCUMENT_NUMBER_INVALID)
            .with("min", 5)
            .with("max", 20);
        for bad in ["A123", &"9".repeat(21), "AB-123456", "ÄB123456", "AB12345६"] {
            assert_eq!(check_document_number(bad), Err(invalid.clone()), "{bad}");
        }
        assert_eq!(code(check_optional_document_number("")), "ok");
    }
}
