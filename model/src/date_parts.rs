//! A date typed as three answers (day, month, year), as the GOV.UK date
//! input asks for it, and the rule that reads it.
//!
//! The payload only ever holds real dates ([`Date`]); this module is what
//! stands between three text fields and that date. It says which part is
//! missing or wrong, so the message can name it ("Passport expiry date must
//! include a year") and the form can mark and focus that part.

use crate::codes;
use crate::date::Date;
use crate::error::Violation;
use crate::payload::{DocumentKind, Member};

/// One of the three fields of a date input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DatePart {
    /// Day of the month.
    Day,
    /// Month, as a number (1–12).
    Month,
    /// Year, four digits.
    Year,
}

impl DatePart {
    /// The three parts, in the order the fields are shown.
    pub const ALL: [DatePart; 3] = [DatePart::Day, DatePart::Month, DatePart::Year];

    /// `day`, `month` or `year`: the suffix of the field's element id and
    /// the value of the `part` param.
    pub const fn as_str(self) -> &'static str {
        match self {
            DatePart::Day => "day",
            DatePart::Month => "month",
            DatePart::Year => "year",
        }
    }
}

/// Which date is asked for: it names the date in messages (the `subject`
/// param, a key into the catalogue's `subject.*` entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSubject {
    /// A member's date of birth.
    DateOfBirth,
    /// The expiry date of a member's identity document of this kind.
    DocumentExpiry(DocumentKind),
    /// A member's arrival date.
    Arrival,
    /// A member's departure date.
    Departure,
}

impl DateSubject {
    /// The member's date at `field` (a path within the member:
    /// `date_of_birth`, `identity_document.expires_on`, `arrival_date`,
    /// `departure_date`), or `None` for a field that is not a date.
    pub fn of_member_field(field: &str, member: &Member) -> Option<DateSubject> {
        Some(match field {
            "date_of_birth" => DateSubject::DateOfBirth,
            "identity_document.expires_on" => DateSubject::DocumentExpiry(
                member
                    .identity_document
                    .as_ref()
                    .map(|d| d.kind)
                    .unwrap_or_default(),
            ),
            "arrival_date" => DateSubject::Arrival,
            "departure_date" => DateSubject::Departure,
            _ => return None,
        })
    }

    /// The value of the `subject` param: `date_of_birth`,
    /// `expiry.passport`, `arrival_date`, `departure_date`.
    pub fn key(self) -> String {
        match self {
            DateSubject::DateOfBirth => "date_of_birth".into(),
            DateSubject::DocumentExpiry(kind) => format!("expiry.{}", kind.as_str()),
            DateSubject::Arrival => "arrival_date".into(),
            DateSubject::Departure => "departure_date".into(),
        }
    }
}

/// What was typed in the three fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateParts {
    /// The day field.
    pub day: String,
    /// The month field.
    pub month: String,
    /// The year field.
    pub year: String,
}

/// Why three answers are not a date: the violation to show (with the
/// `subject` and `part` params) and the parts to mark as wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatePartsError {
    /// The message's code and params.
    pub violation: Violation,
    /// The fields in error, in field order; the first one takes focus.
    pub parts: Vec<DatePart>,
}

impl DateParts {
    /// The fields showing `date`, written as people write them (`1`, `5`,
    /// `2031`: no leading zeros).
    pub fn from_date(date: Date) -> DateParts {
        DateParts {
            day: date.day().to_string(),
            month: date.month().to_string(),
            year: date.year().to_string(),
        }
    }

    /// The text of one part.
    pub fn get(&self, part: DatePart) -> &str {
        match part {
            DatePart::Day => &self.day,
            DatePart::Month => &self.month,
            DatePart::Year => &self.year,
        }
    }

    /// Replaces the text of one part.
    pub fn set(&mut self, part: DatePart, text: String) {
        match part {
            DatePart::Day => self.day = text,
            DatePart::Month => self.month = text,
            DatePart::Year => self.year = text,
        }
    }

    /// Whether nothing but spaces was typed in any field.
    pub fn is_empty(&self) -> bool {
        DatePart::ALL.iter().all(|p| self.get(*p).trim().is_empty())
    }

    /// The date the three fields give: `Ok(None)` when all three are
    /// empty (whether one is needed is the payload rules' business), the
    /// date when they make one, or which part is missing or wrong.
    ///
    /// Digits from other scripts (Arabic-Indic, Persian, full width) count
    /// as the ASCII digits they stand for, and spaces around them are
    /// ignored.
    pub fn read(&self, subject: DateSubject) -> Result<Option<Date>, DatePartsError> {
        if self.is_empty() {
            return Ok(None);
        }
        let fail = |code: &'static str, parts: Vec<DatePart>| {
            let first = parts[0];
            Err(DatePartsError {
                violation: Violation::new(code)
                    .with("subject", subject.key())
                    .with("part", first.as_str()),
                parts,
            })
        };
        let missing: Vec<DatePart> = DatePart::ALL
            .into_iter()
            .filter(|p| self.get(*p).trim().is_empty())
            .collect();
        if let Some(code) = missing_code(&missing) {
            return fail(code, missing);
        }
        let mut numbers = [0u32; 3];
        for (i, part) in DatePart::ALL.into_iter().enumerate() {
            match ascii_digits(self.get(part).trim()) {
                Some(digits) if digits.len() <= 4 => {
                    numbers[i] = digits.parse().expect("at most four ASCII digits");
                    if part == DatePart::Year && digits.len() != 4 {
                        return fail(codes::DATE_YEAR_DIGITS, vec![DatePart::Year]);
                    }
                }
                _ => return fail(codes::DATE_INVALID, vec![part]),
            }
        }
        let [day, month, year] = numbers;
        if !(1..=12).contains(&month) {
            return fail(codes::DATE_INVALID, vec![DatePart::Month]);
        }
        if year == 0 {
            return fail(codes::DATE_INVALID, vec![DatePart::Year]);
        }
        match Date::new(year as i32, month, day) {
            Some(date) => Ok(Some(date)),
            None => fail(codes::DATE_INVALID, vec![DatePart::Day]),
        }
    }
}

/// The code for the parts left empty (none, when all were given; all three
/// empty is no date at all and not an error here).
fn missing_code(missing: &[DatePart]) -> Option<&'static str> {
    use DatePart::*;
    Some(match missing {
        [Day] => codes::DATE_DAY_MISSING,
        [Month] => codes::DATE_MONTH_MISSING,
        [Year] => codes::DATE_YEAR_MISSING,
        [Day, Month] => codes::DATE_DAY_AND_MONTH_MISSING,
        [Day, Year] => codes::DATE_DAY_AND_YEAR_MISSING,
        [Month, Year] => codes::DATE_MONTH_AND_YEAR_MISSING,
        _ => return None,
    })
}

/// `text` with every decimal digit as ASCII, or `None` if anything but
/// digits was typed (or nothing).
fn ascii_digits(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    text.chars().map(crate::digits::ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(day: &str, month: &str, year: &str) -> DateParts {
        DateParts {
            day: day.into(),
            month: month.into(),
            year: year.into(),
        }
    }

    fn read(day: &str, month: &str, year: &str) -> Result<Option<Date>, DatePartsError> {
        parts(day, month, year).read(DateSubject::DocumentExpiry(DocumentKind::Passport))
    }

    /// The code and the parts in error.
    fn error(day: &str, month: &str, year: &str) -> (&'static str, Vec<DatePart>) {
        let e = read(day, month, year).unwrap_err();
        (e.violation.code, e.parts)
    }

    #[test]
    fn three_numbers_make_a_date() {
        assert_eq!(read("25", "4", "2028"), Ok(Date::new(2028, 4, 25)));
        assert_eq!(read("05", "04", "2028"), Ok(Date::new(2028, 4, 5)));
        assert_eq!(read(" 1 ", " 12", "1999 "), Ok(Date::new(1999, 12, 1)));
        assert_eq!(read("29", "2", "2028"), Ok(Date::new(2028, 2, 29)));
    }

    #[test]
    fn all_empty_is_no_date_not_an_error() {
        assert_eq!(read("", "", ""), Ok(None));
        assert_eq!(read(" ", "", "  "), Ok(None));
    }

    #[test]
    fn digits_of_other_scripts_count() {
        // Arabic-Indic, Persian and full-width digits.
        assert_eq!(read("٢٥", "٤", "٢٠٢٨"), Ok(Date::new(2028, 4, 25)));
        assert_eq!(read("۲۵", "۴", "۲۰۲۸"), Ok(Date::new(2028, 4, 25)));
        assert_eq!(read("２５", "４", "２０２８"), Ok(Date::new(2028, 4, 25)));
    }

    #[test]
    fn the_missing_parts_are_named() {
        use DatePart::*;
        assert_eq!(error("", "4", "2028"), (codes::DATE_DAY_MISSING, vec![Day]));
        assert_eq!(
            error("25", "", "2028"),
            (codes::DATE_MONTH_MISSING, vec![Month])
        );
        assert_eq!(error("25", "4", ""), (codes::DATE_YEAR_MISSING, vec![Year]));
        assert_eq!(
            error("", "", "2028"),
            (codes::DATE_DAY_AND_MONTH_MISSING, vec![Day, Month])
        );
        assert_eq!(
            error("", "4", ""),
            (codes::DATE_DAY_AND_YEAR_MISSING, vec![Day, Year])
        );
        assert_eq!(
            error("25", "", " "),
            (codes::DATE_MONTH_AND_YEAR_MISSING, vec![Month, Year])
        );
    }

    #[test]
    fn the_wrong_part_is_named() {
        use DatePart::*;
        assert_eq!(
            error("25", "13", "2028"),
            (codes::DATE_INVALID, vec![Month])
        );
        assert_eq!(error("25", "0", "2028"), (codes::DATE_INVALID, vec![Month]));
        assert_eq!(error("31", "4", "2028"), (codes::DATE_INVALID, vec![Day]));
        assert_eq!(error("29", "2", "2027"), (codes::DATE_INVALID, vec![Day]));
        assert_eq!(error("0", "4", "2028"), (codes::DATE_INVALID, vec![Day]));
        assert_eq!(error("2x", "4", "2028"), (codes::DATE_INVALID, vec![Day]));
        assert_eq!(
            error("25", "April", "2028"),
            (codes::DATE_INVALID, vec![Month])
        );
        assert_eq!(
            error("25", "-4", "2028"),
            (codes::DATE_INVALID, vec![Month])
        );
        assert_eq!(
            error("25", "4", "28"),
            (codes::DATE_YEAR_DIGITS, vec![Year])
        );
        assert_eq!(error("25", "4", "20280"), (codes::DATE_INVALID, vec![Year]));
        assert_eq!(error("25", "4", "0000"), (codes::DATE_INVALID, vec![Year]));
    }

    #[test]
    fn the_error_names_the_date_and_the_first_part() {
        let e = parts("", "", "1970")
            .read(DateSubject::DateOfBirth)
            .unwrap_err();
        assert_eq!(
            e.violation,
            Violation::new(codes::DATE_DAY_AND_MONTH_MISSING)
                .with("subject", "date_of_birth")
                .with("part", "day")
        );
        let e = read("25", "4", "").unwrap_err();
        assert_eq!(
            e.violation.params,
            vec![
                ("subject", "expiry.passport".into()),
                ("part", "year".into())
            ]
        );
        assert_eq!(DateSubject::Arrival.key(), "arrival_date");
        let member = Member {
            identity_document: Some(crate::IdentityDocument {
                kind: DocumentKind::NationalId,
                ..Default::default()
            }),
            ..Member::default()
        };
        assert_eq!(
            DateSubject::of_member_field("identity_document.expires_on", &member)
                .map(DateSubject::key),
            Some("expiry.national_id".into())
        );
        assert_eq!(DateSubject::of_member_field("email", &member), None);
        assert_eq!(DateSubject::Departure.key(), "departure_date");
    }

    #[test]
    fn a_date_shows_as_people_write_it_and_reads_back() {
        let date = Date::new(2031, 5, 1).unwrap();
        let shown = DateParts::from_date(date);
        assert_eq!(shown, parts("1", "5", "2031"));
        assert_eq!(shown.read(DateSubject::Arrival), Ok(Some(date)));
    }

    #[test]
    fn the_message_names_the_date_and_the_part() {
        let english = crate::messages::Catalogue::english();
        let message = |e: DatePartsError| english.message(&e.violation.at("x"), &|_, _| None);
        assert_eq!(
            message(read("25", "4", "").unwrap_err()),
            "Passport expiry date must include a year"
        );
        let dob = parts("", "", "1970").read(DateSubject::DateOfBirth);
        assert_eq!(
            message(dob.unwrap_err()),
            "Date of birth must include a day and month"
        );
        let arrival = parts("31", "4", "2027").read(DateSubject::Arrival);
        assert_eq!(
            message(arrival.unwrap_err()),
            "Arrival date must be a real date"
        );
    }
}
