//! Every validation error code.
//!
//! Codes are stable dotted identifiers, never English prose: each language's
//! message catalogue maps a code (plus its params) to a sentence, and
//! [`ALL`] lets a test prove that every catalogue is complete. A code is
//! specific enough to write a precise message from the code, the params and
//! the path alone. Param names are listed with each code; every param value
//! is a string (dates as `YYYY-MM-DD`).

/// `registration.closed` {closes_on}: registration closed on that date (path `event`).
pub const REGISTRATION_CLOSED: &str = "registration.closed";
/// `event.mismatch` {expected}: the payload names another event (path `event`).
pub const EVENT_MISMATCH: &str = "event.mismatch";
/// `language.unsupported` {language}: the language is not offered by the event.
pub const LANGUAGE_UNSUPPORTED: &str = "language.unsupported";

/// `delegation.kind_not_allowed` {kind}: the event does not accept this kind of delegation.
pub const DELEGATION_KIND_NOT_ALLOWED: &str = "delegation.kind_not_allowed";
/// `delegation.head_required`: this kind of delegation needs a head (path `members`).
pub const DELEGATION_HEAD_REQUIRED: &str = "delegation.head_required";
/// `delegation.head_too_many`: a second (third…) head of delegation (on that member's category).
pub const DELEGATION_HEAD_TOO_MANY: &str = "delegation.head_too_many";

/// `country.required`: a country must be chosen.
pub const COUNTRY_REQUIRED: &str = "country.required";
/// `country.unknown` {country}: not an ISO 3166-1 alpha-2 code.
pub const COUNTRY_UNKNOWN: &str = "country.unknown";
/// `country.not_invited` {country}: the event's invitation list does not include it.
pub const COUNTRY_NOT_INVITED: &str = "country.not_invited";
/// `organisation.required`: non-state delegations must name their organisation.
pub const ORGANISATION_REQUIRED: &str = "organisation.required";

/// `given_names.required`: given name(s) missing (a mononym goes here).
pub const GIVEN_NAMES_REQUIRED: &str = "given_names.required";
/// `name.too_long` {max}: a personal name longer than `max` characters.
pub const NAME_TOO_LONG: &str = "name.too_long";
/// `name.invalid_characters` {character}: a character not allowed in a name
/// (`character` is the character itself, or `U+XXXX` when invisible).
pub const NAME_INVALID_CHARACTERS: &str = "name.invalid_characters";
/// `name.no_letters`: a name made only of punctuation.
pub const NAME_NO_LETTERS: &str = "name.no_letters";

/// `badge_name.required_non_latin`: names are not in Latin script, so the
/// badge needs a Latin-script name.
pub const BADGE_NAME_REQUIRED_NON_LATIN: &str = "badge_name.required_non_latin";
/// `badge_name.not_latin`: the badge name has letters outside the Latin script.
pub const BADGE_NAME_NOT_LATIN: &str = "badge_name.not_latin";
/// `badge_name.too_long` {max}: longer than fits on a badge.
pub const BADGE_NAME_TOO_LONG: &str = "badge_name.too_long";

/// `email.required`: e-mail address missing.
pub const EMAIL_REQUIRED: &str = "email.required";
/// `email.invalid`: not a valid e-mail address (WHATWG HTML definition).
pub const EMAIL_INVALID: &str = "email.invalid";
/// `email.too_long` {max}: longer than `max` characters.
pub const EMAIL_TOO_LONG: &str = "email.too_long";
/// `email.duplicate`: an earlier member of the delegation has the same address.
pub const EMAIL_DUPLICATE: &str = "email.duplicate";

/// `phone.required`: telephone number missing.
pub const PHONE_REQUIRED: &str = "phone.required";
/// `phone.invalid`: not an international number (+ country code, 8–15 digits).
pub const PHONE_INVALID: &str = "phone.invalid";

/// `category.required`: no participation category chosen.
pub const CATEGORY_REQUIRED: &str = "category.required";
/// `category.unknown` {category}: the event has no such category.
pub const CATEGORY_UNKNOWN: &str = "category.unknown";
/// `category.too_many` {category, max}: more members in the category than allowed.
pub const CATEGORY_TOO_MANY: &str = "category.too_many";

/// `members.too_few` {min}: the delegation has no members.
pub const MEMBERS_TOO_FEW: &str = "members.too_few";
/// `members.too_many` {max}: the delegation is larger than the event allows.
pub const MEMBERS_TOO_MANY: &str = "members.too_many";

/// `identity_document.required`: this category needs an identity document.
pub const IDENTITY_DOCUMENT_REQUIRED: &str = "identity_document.required";
/// `identity_document.number_required`: document number missing.
pub const IDENTITY_DOCUMENT_NUMBER_REQUIRED: &str = "identity_document.number_required";
/// `identity_document.number_invalid` {min, max}: not `min`–`max` letters A–Z and digits.
pub const IDENTITY_DOCUMENT_NUMBER_INVALID: &str = "identity_document.number_invalid";
/// `identity_document.number_duplicate`: an earlier member has the same document.
pub const IDENTITY_DOCUMENT_NUMBER_DUPLICATE: &str = "identity_document.number_duplicate";
/// `identity_document.expiry_required` {document_kind}: expiry date missing.
pub const IDENTITY_DOCUMENT_EXPIRY_REQUIRED: &str = "identity_document.expiry_required";
/// `identity_document.expires_too_soon` {min, document_kind}: the document
/// must be valid until at least `min`.
pub const IDENTITY_DOCUMENT_EXPIRES_TOO_SOON: &str = "identity_document.expires_too_soon";

/// `date_of_birth.required`: date of birth missing.
pub const DATE_OF_BIRTH_REQUIRED: &str = "date_of_birth.required";
/// `date_of_birth.in_future`: the date of birth is today or later.
pub const DATE_OF_BIRTH_IN_FUTURE: &str = "date_of_birth.in_future";
/// `date_of_birth.too_early` {min}: before `min` (1900-01-01).
pub const DATE_OF_BIRTH_TOO_EARLY: &str = "date_of_birth.too_early";

/// `arrival.after_departure`: arrival date later than departure date.
pub const ARRIVAL_AFTER_DEPARTURE: &str = "arrival.after_departure";
/// `arrival.too_early` {min}: arrival before `min` (event start minus the travel window).
pub const ARRIVAL_TOO_EARLY: &str = "arrival.too_early";
/// `departure.too_late` {max}: departure after `max` (event end plus the travel window).
pub const DEPARTURE_TOO_LATE: &str = "departure.too_late";

/// `session.unknown` {session}: the event has no such session.
pub const SESSION_UNKNOWN: &str = "session.unknown";

/// `field.required` {field}: this event requires the field (`field` is its JSON name).
pub const FIELD_REQUIRED: &str = "field.required";
/// `field.not_collected` {field}: this event does not collect the field, yet it has a value.
pub const FIELD_NOT_COLLECTED: &str = "field.not_collected";

/// `text.too_long` {max}: free text longer than `max` characters.
pub const TEXT_TOO_LONG: &str = "text.too_long";
/// `text.control_characters`: free text contains control characters
/// (line breaks are allowed only in multi-line fields).
pub const TEXT_CONTROL_CHARACTERS: &str = "text.control_characters";
/// `text.direction_controls`: free text contains invisible characters that
/// override or isolate the direction of the text (U+202A–U+202E, U+2066–U+2069).
pub const TEXT_DIRECTION_CONTROLS: &str = "text.direction_controls";

/// `consent.data_processing_required`: consent to data processing not given.
pub const CONSENT_DATA_PROCESSING_REQUIRED: &str = "consent.data_processing_required";

/// `attachment.wrong_type` {accepted}: a file of a type the field does not take.
pub const ATTACHMENT_WRONG_TYPE: &str = "attachment.wrong_type";
/// `attachment.too_large` {max}: a file over the event's size limit.
pub const ATTACHMENT_TOO_LARGE: &str = "attachment.too_large";
/// `attachment.empty`: a file with nothing in it.
pub const ATTACHMENT_EMPTY: &str = "attachment.empty";
/// `attachment.unknown`: the payload names a file the server does not have
/// for this event (never uploaded, or expired after 24 hours).
pub const ATTACHMENT_UNKNOWN: &str = "attachment.unknown";
/// `attachment.in_use`: the file already belongs to another registration.
pub const ATTACHMENT_IN_USE: &str = "attachment.in_use";
/// `attachment.upload_failed`: the file could not be sent (widget only).
pub const ATTACHMENT_UPLOAD_FAILED: &str = "attachment.upload_failed";
/// `attachment.upload_limit`: the server takes no more files from this
/// connection, or for this event, for now (429; widget only).
pub const ATTACHMENT_UPLOAD_LIMIT: &str = "attachment.upload_limit";
/// `attachment.too_many_pixels` {max}: an image of more than `max` million pixels.
pub const ATTACHMENT_TOO_MANY_PIXELS: &str = "attachment.too_many_pixels";
/// `pdf.javascript`: a PDF letter carries JavaScript.
pub const PDF_JAVASCRIPT: &str = "pdf.javascript";
/// `pdf.open_action`: a PDF letter runs an action when it is opened.
pub const PDF_OPEN_ACTION: &str = "pdf.open_action";
/// `pdf.launch`: a PDF letter would start another program.
pub const PDF_LAUNCH: &str = "pdf.launch";
/// `pdf.embedded_files`: a PDF letter carries files inside it.
pub const PDF_EMBEDDED_FILES: &str = "pdf.embedded_files";
/// `pdf.encrypted`: a PDF letter is encrypted (password-protected).
pub const PDF_ENCRYPTED: &str = "pdf.encrypted";
/// `photo.too_small` {min_width, min_height, width, height}: fewer pixels than a badge needs.
pub const PHOTO_TOO_SMALL: &str = "photo.too_small";
/// `photo.not_portrait`: the photo is not taller than it is wide.
pub const PHOTO_NOT_PORTRAIT: &str = "photo.not_portrait";

/// The date-input codes below are never produced by [`crate::validate()`]
/// (payload dates are typed): [`crate::date_parts::DateParts::read`] gives
/// them for three fields that make no date. Each has {subject} (a key of
/// the catalogue's `subject.*` entries, e.g. `expiry.passport`) and {part}
/// (`day`, `month` or `year`: the first field in error).
///
/// `date.invalid` {subject, part}: the fields are not a real calendar date.
pub const DATE_INVALID: &str = "date.invalid";
/// `date.day_missing` {subject, part}: month and year given, no day.
pub const DATE_DAY_MISSING: &str = "date.day_missing";
/// `date.month_missing` {subject, part}: day and year given, no month.
pub const DATE_MONTH_MISSING: &str = "date.month_missing";
/// `date.year_missing` {subject, part}: day and month given, no year.
pub const DATE_YEAR_MISSING: &str = "date.year_missing";
/// `date.day_and_month_missing` {subject, part}: only the year given.
pub const DATE_DAY_AND_MONTH_MISSING: &str = "date.day_and_month_missing";
/// `date.day_and_year_missing` {subject, part}: only the month given.
pub const DATE_DAY_AND_YEAR_MISSING: &str = "date.day_and_year_missing";
/// `date.month_and_year_missing` {subject, part}: only the day given.
pub const DATE_MONTH_AND_YEAR_MISSING: &str = "date.month_and_year_missing";
/// `date.year_digits` {subject, part}: the year is not four digits (`28`).
pub const DATE_YEAR_DIGITS: &str = "date.year_digits";

/// Every code above, in form order, so message catalogues can be checked
/// for completeness.
pub const ALL: &[&str] = &[
    REGISTRATION_CLOSED,
    EVENT_MISMATCH,
    LANGUAGE_UNSUPPORTED,
    DELEGATION_KIND_NOT_ALLOWED,
    DELEGATION_HEAD_REQUIRED,
    DELEGATION_HEAD_TOO_MANY,
    COUNTRY_REQUIRED,
    COUNTRY_UNKNOWN,
    COUNTRY_NOT_INVITED,
    ORGANISATION_REQUIRED,
    GIVEN_NAMES_REQUIRED,
    NAME_TOO_LONG,
    NAME_INVALID_CHARACTERS,
    NAME_NO_LETTERS,
    BADGE_NAME_REQUIRED_NON_LATIN,
    BADGE_NAME_NOT_LATIN,
    BADGE_NAME_TOO_LONG,
    EMAIL_REQUIRED,
    EMAIL_INVALID,
    EMAIL_TOO_LONG,
    EMAIL_DUPLICATE,
    PHONE_REQUIRED,
    PHONE_INVALID,
    CATEGORY_REQUIRED,
    CATEGORY_UNKNOWN,
    CATEGORY_TOO_MANY,
    MEMBERS_TOO_FEW,
    MEMBERS_TOO_MANY,
    IDENTITY_DOCUMENT_REQUIRED,
    IDENTITY_DOCUMENT_NUMBER_REQUIRED,
    IDENTITY_DOCUMENT_NUMBER_INVALID,
    IDENTITY_DOCUMENT_NUMBER_DUPLICATE,
    IDENTITY_DOCUMENT_EXPIRY_REQUIRED,
    IDENTITY_DOCUMENT_EXPIRES_TOO_SOON,
    DATE_OF_BIRTH_REQUIRED,
    DATE_OF_BIRTH_IN_FUTURE,
    DATE_OF_BIRTH_TOO_EARLY,
    ARRIVAL_AFTER_DEPARTURE,
    ARRIVAL_TOO_EARLY,
    DEPARTURE_TOO_LATE,
    SESSION_UNKNOWN,
    FIELD_REQUIRED,
    FIELD_NOT_COLLECTED,
    TEXT_TOO_LONG,
    TEXT_CONTROL_CHARACTERS,
    TEXT_DIRECTION_CONTROLS,
    CONSENT_DATA_PROCESSING_REQUIRED,
    ATTACHMENT_WRONG_TYPE,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_EMPTY,
    ATTACHMENT_UNKNOWN,
    ATTACHMENT_IN_USE,
    ATTACHMENT_UPLOAD_FAILED,
    ATTACHMENT_UPLOAD_LIMIT,
    ATTACHMENT_TOO_MANY_PIXELS,
    PDF_JAVASCRIPT,
    PDF_OPEN_ACTION,
    PDF_LAUNCH,
    PDF_EMBEDDED_FILES,
    PDF_ENCRYPTED,
    PHOTO_TOO_SMALL,
    PHOTO_NOT_PORTRAIT,
    DATE_INVALID,
    DATE_DAY_MISSING,
    DATE_MONTH_MISSING,
    DATE_YEAR_MISSING,
    DATE_DAY_AND_MONTH_MISSING,
    DATE_DAY_AND_YEAR_MISSING,
    DATE_MONTH_AND_YEAR_MISSING,
    DATE_YEAR_DIGITS,
];

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn codes_are_unique_dotted_identifiers() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ALL {
            assert!(seen.insert(*code), "duplicate {code}");
            let (family, detail) = code.split_once('.').expect("dotted");
            for part in [family, detail] {
                assert!(!part.is_empty());
                assert!(
                    part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                    "{code}"
                );
            }
        }
    }
}
