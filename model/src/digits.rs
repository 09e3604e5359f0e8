//! Decimal digits from the scripts focal points type in.
//!
//! An Arabic or Persian keyboard types ٠١٢ (Arabic-Indic) or ۰۱۲ (extended
//! Arabic-Indic), and East Asian input methods often type full-width ０１２.
//! Telephone numbers, document numbers and the parts of a date accept them
//! and are stored with ASCII digits, so a number reads and compares the
//! same whichever keyboard typed it.

/// The ASCII digit that `c` stands for, if `c` is a decimal digit in Latin,
/// Arabic-Indic, extended Arabic-Indic (Persian, Urdu) or full-width form.
pub fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        _ => return None,
    };
    char::from_digit(c as u32 - zero as u32, 10)
}

/// `text` with every digit [`ascii_digit`] knows written in ASCII; every
/// other character as it was.
pub fn with_ascii_digits(text: &str) -> String {
    text.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code points are spelled out here, not derived, so that the
    /// table above is checked against Unicode's, not against itself.
    #[test]
    fn every_script_maps_zero_to_nine() {
        for (zero, nine) in [
            ('\u{0660}', '\u{0669}'),
            ('\u{06F0}', '\u{06F9}'),
            ('\u{FF10}', '\u{FF19}'),
            ('0', '9'),
        ] {
            assert_eq!(ascii_digit(zero), Some('0'));
            assert_eq!(ascii_digit(nine), Some('9'));
        }
        assert_eq!(with_ascii_digits("+٩٢ ٥١ ۱۲۳-４５６７"), "+92 51 123-4567");
        assert_eq!(ascii_digit('\u{065F}'), None, "just before ٠");
        assert_eq!(
            ascii_digit('\u{066A}'),
            None,
            "the Arabic percent sign after ٩"
        );
        assert_eq!(
            ascii_digit('\u{0966}'),
            None,
            "Devanagari is not typed here"
        );
        assert_eq!(with_ascii_digits("AB c"), "AB c");
    }

    #[test]
    fn digits_match_what_unicode_says_they_are() {
        // `char::to_digit` knows ASCII only; `is_numeric` knows every
        // script: every char we map is numeric, and every ASCII result is
        // the digit's position from its zero.
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            if let Some(d) = ascii_digit(c) {
                assert!(c.is_numeric(), "{c:?}");
                assert!(d.is_ascii_digit());
            }
        }
    }
}
