//! Personal names and the Latin-script badge name.
//!
//! Names are accepted in every script: letters (`char::is_alphabetic`) and
//! combining marks (Thai tone marks, Arabic harakat, Devanagari vowel signs)
//! with spaces, apostrophes, hyphens and full stops. Digits, other
//! punctuation, symbols and emoji are refused. Badges are printed in Latin
//! script, so a member whose names are in another script must give a Latin
//! badge name.

use unicode_normalization::char::is_combining_mark;

use crate::codes;
use crate::error::Violation;

/// Longest given or family name, in characters after trimming.
pub const NAME_MAX_CHARS: usize = 100;
/// Longest badge name, in characters after trimming (what fits on a badge).
pub const BADGE_NAME_MAX_CHARS: usize = 40;

/// ZERO WIDTH NON-JOINER: part of the spelling of many Persian and Dari
/// names (e.g. "علی‌رضا"), so it must be accepted although invisible.
const ZWNJ: char = '\u{200C}';

/// Marks that are combining in Unicode but decorate symbols or select
/// emoji presentation, never letters of a name.
fn is_symbol_mark(c: char) -> bool {
    matches!(c, '\u{20D0}'..='\u{20FF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Whether `c` may appear in a personal name.
pub fn is_name_char(c: char) -> bool {
    c.is_alphabetic()
        || (is_combining_mark(c) && !is_symbol_mark(c))
        || matches!(c, ' ' | '\'' | '\u{2019}' | '-' | '.' | ZWNJ)
}

/// How a refused character is shown in the `character` param: itself, or
/// `U+XXXX` when it would be invisible or unprintable.
pub fn describe_char(c: char) -> String {
    let invisible = c.is_control()
        || c.is_whitespace()
        || is_combining_mark(c)
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
    if invisible {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

fn invalid_character(text: &str) -> Option<Violation> {
    let bad = text.chars().find(|c| !is_name_char(*c))?;
    Some(Violation::new(codes::NAME_INVALID_CHARACTERS).with("character", describe_char(bad)))
}

/// Checks a name that was given: allowed characters, at least one letter,
/// at most [`NAME_MAX_CHARS`]. Blank passes: whether a name is required is
/// decided by [`check_given_names`].
pub fn check_person_name(name: &str) -> Result<(), Violation> {
    let name = name.trim();
    if let Some(violation) = invalid_character(name) {
        return Err(violation);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(Violation::new(codes::NAME_TOO_LONG).with("max", NAME_MAX_CHARS));
    }
    if !name.is_empty() && !name.chars().any(char::is_alphabetic) {
        return Err(Violation::new(codes::NAME_NO_LETTERS));
    }
    Ok(())
}

/// Given name(s): required (a mononym is entered here).
pub fn check_given_names(name: &str) -> Result<(), Violation> {
    if name.trim().is_empty() {
        return Err(Violation::new(codes::GIVEN_NAMES_REQUIRED));
    }
    check_person_name(name)
}

/// Family name: optional, since many people have a single name.
pub fn check_family_name(name: &str) -> Result<(), Violation> {
    check_person_name(name)
}

fn is_latin_letter(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '\u{AA}' | '\u{BA}'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}'
        | '\u{1E00}'..='\u{1EFF}')
}

/// Whether every letter is in Latin script (Basic Latin, Latin-1
/// Supplement, Latin Extended-A and -B, Latin Extended Additional) and
/// every combining mark a Latin diacritic (U+0300–U+036F). Non-letters are
/// ignored, so `"José Ñúñez"`, `"Çelik"`, `"Nguyễn"` and `""` are Latin;
/// Arabic, Thai, Cyrillic, Greek and CJK are not.
pub fn is_latin(text: &str) -> bool {
    text.chars().all(|c| {
        if ('\u{300}'..='\u{36F}').contains(&c) {
            true
        } else if c.is_alphabetic() {
            is_latin_letter(c)
        } else {
            !is_combining_mark(c)
        }
    })
}

/// Whether the badge needs a separate Latin-script name because the given
/// or family name is in another script.
pub fn badge_name_needed(given_names: &str, family_name: &str) -> bool {
    !is_latin(given_names) || !is_latin(family_name)
}

/// Checks a badge name that was given: name characters, Latin script only,
/// at most [`BADGE_NAME_MAX_CHARS`]. Blank passes (see
/// [`badge_name_needed`] for when it is required).
pub fn check_badge_name(badge: &str) -> Result<(), Violation> {
    let badge = badge.trim();
    if let Some(violation) = invalid_character(badge) {
        return Err(violation);
    }
    if !is_latin(badge) {
        return Err(Violation::new(codes::BADGE_NAME_NOT_LATIN));
    }
    if badge.chars().count() > BADGE_NAME_MAX_CHARS {
        return Err(Violation::new(codes::BADGE_NAME_TOO_LONG).with("max", BADGE_NAME_MAX_CHARS));
    }
    if !badge.is_empty() && !badge.chars().any(char::is_alphabetic) {
        return Err(Violation::new(codes::NAME_NO_LETTERS));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<(), Violation>) -> &'static str {
        result.err().map_or("ok", |v| v.code)
    }

    fn refused_char(name: &str) -> String {
        let violation = check_person_name(name).unwrap_err();
        assert_eq!(violation.code, codes::NAME_INVALID_CHARACTERS, "{name}");
        violation.params[0].1.clone()
    }

    #[test]
    fn accepts_names_in_many_scripts() {
        for name in [
            "عبد الله",
            "محمد بن سلمان",
            "عَبْدُ ٱللَّٰه",
            "สมชาย ใจดี",
            "ณัฐวุฒิ",
            "李明",
            "欧阳 娜娜",
            "Сергей Викторович",
            "Αλέξανδρος Παπαδόπουλος",
            "Ελένη",
            "O’Brien",
            "O'Brien",
            "Jean-François",
            "Al-Hassan",
            "José Ñúñez",
            "Nguyễn Văn An",
            "Çelik",
            "Sukarno",
            "Martin Luther King Jr.",
            "علی‌رضا",
            "  Trimmed  ",
            "मोहनदास करमचंद गांधी",
        ] {
            assert_eq!(code(check_person_name(name)), "ok", "{name}");
        }
    }

    #[test]
    fn thai_tone_marks_and_arabic_harakat_are_combining_marks() {
        for mark in [
            '\u{0E48}', '\u{0E49}', '\u{0E4A}', '\u{0E4B}', '\u{064E}', '\u{064F}', '\u{0650}',
            '\u{0651}',
        ] {
            assert!(is_combining_mark(mark), "{mark:?}");
            assert!(is_name_char(mark));
        }
        assert_eq!(
            code(check_person_name("ก\u{0E48}\u{0E49}\u{0E4A}\u{0E4B}")),
            "ok"
        );
    }

    #[test]
    fn refuses_digits_punctuation_symbols_and_controls() {
        assert_eq!(refused_char("J0hn"), "0");
        assert_eq!(refused_char("Bob!"), "!");
        assert_eq!(refused_char("<script>"), "<");
        assert_eq!(refused_char("Ana 😀"), "😀");
        assert_eq!(refused_char("Ana\u{FE0F}"), "U+FE0F");
        assert_eq!(refused_char("Ana\u{0007}Bell"), "U+0007");
        assert_eq!(refused_char("Ana\tMaria"), "U+0009");
        assert_eq!(refused_char("Ana\nMaria"), "U+000A");
        assert_eq!(refused_char("Ana\u{200B}Maria"), "U+200B");
        assert_eq!(refused_char("Ana,Maria"), ",");
        assert_eq!(refused_char("Ana@Maria"), "@");
    }

    #[test]
    fn limits_length_after_trimming() {
        let exactly = "a".repeat(NAME_MAX_CHARS);
        assert_eq!(code(check_person_name(&format!("  {exactly}  "))), "ok");
        let long = check_person_name(&"é".repeat(NAME_MAX_CHARS + 1)).unwrap_err();
        assert_eq!(long, Violation::new(codes::NAME_TOO_LONG).with("max", 100));
    }

    #[test]
    fn needs_a_letter() {
        for name in ["-", ".", "' -", "’"] {
            assert_eq!(
                code(check_person_name(name)),
                codes::NAME_NO_LETTERS,
                "{name}"
            );
        }
    }

    #[test]
    fn given_names_required_family_name_optional() {
        assert_eq!(code(check_given_names("")), codes::GIVEN_NAMES_REQUIRED);
        assert_eq!(code(check_given_names("   ")), codes::GIVEN_NAMES_REQUIRED);
        assert_eq!(code(check_given_names("Sukarno")), "ok");
        assert_eq!(code(check_family_name("")), "ok");
        assert_eq!(
            code(check_family_name("J0nes")),
            codes::NAME_INVALID_CHARACTERS
        );
    }

    #[test]
    fn latin_script_detection() {
        for text in [
            "José Ñúñez",
            "Çelik",
            "Nguyễn",
            "O’Brien",
            "Łukasz Żółć",
            "Ærøskøbing",
            "",
            "e\u{301}",
        ] {
            assert!(is_latin(text), "{text}");
        }
        for text in [
            "عبد الله",
            "สมชาย",
            "Сергей",
            "李明",
            "Ελένη",
            "Josué Ш",
            "a\u{0E48}",
        ] {
            assert!(!is_latin(text), "{text}");
        }
    }

    #[test]
    fn badge_name_rules() {
        assert_eq!(code(check_badge_name("Abdullah Al-Saud")), "ok");
        assert_eq!(code(check_badge_name("")), "ok");
        assert_eq!(
            code(check_badge_name("عبد الله")),
            codes::BADGE_NAME_NOT_LATIN
        );
        assert_eq!(
            code(check_badge_name("Abdullah 2")),
            codes::NAME_INVALID_CHARACTERS
        );
        assert_eq!(code(check_badge_name(&"a".repeat(40))), "ok");
        let long = check_badge_name(&"a".repeat(41)).unwrap_err();
        assert_eq!(
            long,
            Violation::new(codes::BADGE_NAME_TOO_LONG).with("max", 40)
        );
        assert!(badge_name_needed("عبد الله", ""));
        assert!(badge_name_needed("Somchai", "ใจดี"));
        assert!(!badge_name_needed("José", "Ñúñez"));
    }
}
