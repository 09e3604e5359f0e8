//! E-mail addresses, exactly as the HTML standard (WHATWG) defines a
//! "valid e-mail address" for `<input type=email>`, plus a length limit.
//!
//! Hand-written instead of a regular expression so that no regex engine is
//! linked into the widget.

use crate::codes;
use crate::error::Violation;

/// Longest accepted address (the SMTP path limit minus the angle brackets).
pub const EMAIL_MAX_CHARS: usize = 254;

const LOCAL_PUNCTUATION: &[u8] = b".!#$%&'*+/=?^_`{|}~-";

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || LOCAL_PUNCTUATION.contains(&b)
}

// label = let-dig [ [ ldh-str ] let-dig ], at most 63 characters.
fn is_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            bytes.len() <= 63
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// The WHATWG production `1*( atext / "." ) "@" label *( "." label )`
/// without a length limit. Note that it allows `a..b@c` and `a@b`
/// (no dot in the domain) and refuses every non-ASCII character.
pub fn is_whatwg_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty() && local.bytes().all(is_local_byte) && domain.split('.').all(is_label)
}

/// [`is_whatwg_email`] and at most [`EMAIL_MAX_CHARS`] characters.
pub fn is_valid_email(address: &str) -> bool {
    address.len() <= EMAIL_MAX_CHARS && is_whatwg_email(address)
}

/// Checks an address that must be given (surrounding blanks ignored).
pub fn check_email(address: &str) -> Result<(), Violation> {
    let address = address.trim();
    if address.is_empty() {
        return Err(Violation::new(codes::EMAIL_REQUIRED));
    }
    if !is_whatwg_email(address) {
        return Err(Violation::new(codes::EMAIL_INVALID));
    }
    if address.len() > EMAIL_MAX_CHARS {
        return Err(Violation::new(codes::EMAIL_TOO_LONG).with("max", EMAIL_MAX_CHARS));
    }
    Ok(())
}

/// Checks an address only if one was given.
pub fn check_optional_email(address: &str) -> Result<(), Violation> {
    if address.trim().is_empty() {
        Ok(())
    } else {
        check_email(address)
    }
}

/// The form used to compare addresses for duplicates: trimmed, ASCII
/// lower case (valid addresses are ASCII).
pub fn comparable_email(address: &str) -> String {
    address.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_whatwg_accepts() {
        for address in [
            "a@b",
            "a..b@c.d",
            ".a@b.c",
            "a.@b.c",
            "first.last@unodc.org",
            "x+tag@sub.example.co.uk",
            "!#$%&'*+/=?^_`{|}~-@example.org",
            "user@123.45",
            "u@a-b.c",
            "u@xn--80ak6aa92e.com",
            &format!("u@{}.org", "a".repeat(63)),
        ] {
            assert!(is_valid_email(address), "{address}");
            assert_eq!(check_email(address), Ok(()), "{address}");
        }
    }

    #[test]
    fn refuses_what_whatwg_refuses() {
        for address in [
            "",
            "plain",
            "@b.c",
            "a@",
            "a@-b.c",
            "a@b-.c",
            "a@b..c",
            "a@.b",
            "a@b.",
            "a b@c.d",
            "a@b c.d",
            "a@b@c.d",
            "\"quoted\"@example.org",
            "a(comment)@b.c",
            "a@[127.0.0.1]",
            "josé@example.org",
            "a@exämple.org",
            "a@b_c.d",
            &format!("u@{}.org", "a".repeat(64)),
        ] {
            assert!(!is_whatwg_email(address), "{address}");
        }
    }

    #[test]
    fn reports_codes() {
        assert_eq!(check_email("  ").unwrap_err().code, codes::EMAIL_REQUIRED);
        assert_eq!(
            check_email("a@-b.c").unwrap_err().code,
            codes::EMAIL_INVALID
        );
        assert_eq!(check_email("  first.last@unodc.org "), Ok(()));
        let long = format!(
            "{}@{}.{}.{}.{}",
            "l".repeat(64),
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "de"
        );
        assert!(long.len() > EMAIL_MAX_CHARS && is_whatwg_email(&long));
        assert_eq!(
            check_email(&long).unwrap_err(),
            Violation::new(codes::EMAIL_TOO_LONG).with("max", 254)
        );
        assert_eq!(check_optional_email(""), Ok(()));
        assert_eq!(
            check_optional_email("x").unwrap_err().code,
            codes::EMAIL_INVALID
        );
    }

    #[test]
    fn compares_case_insensitively() {
        assert_eq!(comparable_email(" A.Khan@Example.PK "), "a.khan@example.pk");
    }
}
