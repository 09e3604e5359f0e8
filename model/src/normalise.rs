//! Normalisation of a submitted registration before it is validated and
//! stored: Unicode NFC, trimmed texts, canonical codes and numbers.
//!
//! Kept apart from validation on purpose. The NFC composition tables are
//! large, and only code that calls [`Registration::normalised`] links
//! them: the server does, the widget does not (browsers normalise input
//! with `String.prototype.normalize`). The rules tolerate what
//! normalisation would change besides NFC (surrounding blanks, letter case
//! of codes, blanks in document numbers), so the widget's verdict on raw
//! input equals the server's on the normalised copy.

use unicode_normalization::UnicodeNormalization;

use crate::payload::{Delegation, FocalPoint, IdentityDocument, Member, Registration};
use crate::rules::country::canonical_country;
use crate::rules::text::canonical_document_number;

/// NFC, then trimmed.
fn text(value: String) -> String {
    value.nfc().collect::<String>().trim().to_owned()
}

/// [`text`] for optional values; a blank value becomes `None`.
fn optional(value: Option<String>) -> Option<String> {
    value.map(text).filter(|v| !v.is_empty())
}

/// [`text`], then upper case if ASCII (country codes are ASCII; see
/// [`canonical_country`] for why non-ASCII is left alone).
fn code(value: String) -> String {
    canonical_country(&text(value))
}

/// [`text`], with digits of other scripts in ASCII; the separators people
/// typed are kept (see [`crate::rules::phone::canonical_phone`]).
fn phone(value: String) -> String {
    crate::digits::with_ascii_digits(&text(value))
}

/// Blanks removed before NFC (removing a blank between a letter and a
/// combining mark would otherwise leave a decomposed pair behind), upper
/// case if ASCII.
fn document_number(value: String) -> String {
    text(canonical_document_number(&value))
}

impl Registration {
    /// The registration with every text in NFC and trimmed, country codes
    /// upper-cased, document numbers without blanks and upper-cased, and
    /// digits of other scripts in phone and document numbers written in
    /// ASCII ([`crate::digits`]). Phones keep the separators people typed
    /// (see [`crate::rules::phone::canonical_phone`]); e-mail addresses are
    /// only trimmed.
    /// Idempotent.
    pub fn normalised(self) -> Self {
        Registration {
            event: text(self.event),
            language: text(self.language),
            delegation: self.delegation.normalised(),
            focal_point: self.focal_point.normalised(),
            members: self.members.into_iter().map(Member::normalised).collect(),
            consent: self.consent,
        }
    }
}

impl Delegation {
    fn normalised(self) -> Self {
        Delegation {
            kind: self.kind,
            country: self.country.map(code).filter(|c| !c.is_empty()),
            organisation: optional(self.organisation),
            credentials_letter: optional(self.credentials_letter),
        }
    }
}

impl FocalPoint {
    fn normalised(self) -> Self {
        FocalPoint {
            given_names: text(self.given_names),
            family_name: text(self.family_name),
            email: text(self.email),
            phone: phone(self.phone),
        }
    }
}

impl Member {
    fn normalised(self) -> Self {
        Member {
            honorific: text(self.honorific),
            given_names: text(self.given_names),
            family_name: text(self.family_name),
            badge_name: text(self.badge_name),
            function: text(self.function),
            institution: text(self.institution),
            nationality: code(self.nationality),
            email: text(self.email),
            phone: phone(self.phone),
            category: text(self.category),
            identity_document: self.identity_document.map(IdentityDocument::normalised),
            photo: optional(self.photo),
            sessions: self.sessions.into_iter().map(text).collect(),
            dietary: text(self.dietary),
            accessibility: text(self.accessibility),
            ..self
        }
    }
}

impl IdentityDocument {
    fn normalised(self) -> Self {
        IdentityDocument {
            number: document_number(self.number),
            issuing_country: code(self.issuing_country),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{date, event, registration};
    use crate::validate::validate_contents;

    #[test]
    fn composes_trims_and_canonicalises() {
        let mut r = registration();
        r.event = " test-event\n".into();
        r.delegation.country = Some(" at ".into());
        r.delegation.organisation = Some("   ".into());
        let m = &mut r.members[0];
        m.given_names = "  Jose\u{301}  ".into();
        m.family_name = "Nguye\u{302}\u{303}n".into();
        m.nationality = "at".into();
        m.phone = "  +43 (1) 26060-0 ".into();
        m.sessions = vec![" opening ".into()];
        let document = m.identity_document.as_mut().unwrap();
        document.number = " p12 345\t67 ".into();
        document.issuing_country = "at ".into();
        let n = r.normalised();
        assert_eq!(n.event, "test-event");
        assert_eq!(n.delegation.country.as_deref(), Some("AT"));
        assert_eq!(n.delegation.organisation, None);
        let m = &n.members[0];
        assert_eq!(m.given_names, "José");
        assert_eq!(m.given_names.chars().count(), 4);
        assert_eq!(m.family_name, "Nguyễn");
        assert_eq!(m.nationality, "AT");
        assert_eq!(m.phone, "+43 (1) 26060-0");
        assert_eq!(m.sessions, ["opening"]);
        let document = m.identity_document.as_ref().unwrap();
        assert_eq!(document.number, "P1234567");
        assert_eq!(document.issuing_country, "AT");
    }

    #[test]
    fn digits_typed_on_arabic_persian_or_full_width_keyboards_become_ascii() {
        let mut r = registration();
        r.focal_point.phone = "+٩٢ ٥١ ٩٢٠ ١٢٣٤".into();
        let m = &mut r.members[0];
        m.phone = "+۹۸ (۲۱) ۶۶۰۰-۰۰۰۰".into();
        m.identity_document.as_mut().unwrap().number = "p ١٢٣ ４５６７".into();
        let (event, today) = (event(), date("2027-03-01"));
        assert_eq!(validate_contents(&r, &event, today), Ok(()), "as typed");
        let n = r.normalised();
        assert_eq!(n.focal_point.phone, "+92 51 920 1234");
        assert_eq!(n.members[0].phone, "+98 (21) 6600-0000");
        let document = n.members[0].identity_document.as_ref().unwrap();
        assert_eq!(document.number, "P1234567");
        assert_eq!(validate_contents(&n, &event, today), Ok(()), "as stored");
    }

    #[test]
    fn is_idempotent_and_keeps_valid_registrations_valid() {
        let once = registration().normalised();
        assert_eq!(once.clone().normalised(), once);
        assert_eq!(once, registration(), "a clean registration is unchanged");
    }
}
