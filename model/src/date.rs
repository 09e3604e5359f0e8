//! A small civil (proleptic Gregorian) calendar date.
//!
//! The model never reads a clock: whoever validates passes "today" in. The
//! server derives it from `SystemTime`, the widget from the JavaScript `Date`,
//! both through [`Date::from_unix_days`]. Keeping the clock outside makes every
//! rule deterministic and testable, and keeps the wasm free of time crates.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date between 0001-01-01 and 9999-12-31.
///
/// Serialises as the string `"YYYY-MM-DD"`. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text could not be read as a [`Date`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateParseError;

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a calendar date written YYYY-MM-DD")
    }
}

impl std::error::Error for DateParseError {}

/// Whether `year` has a 29 February (Gregorian rules).
pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The earliest representable date, 0001-01-01.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };
    /// The latest representable date, 9999-12-31.
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// Builds a date, or `None` when it does not exist (e.g. 2027-02-29)
    /// or lies outside years 1–9999.
    pub const fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if year < 1 || year > 9999 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The year (1–9999).
    pub const fn year(self) -> i32 {
        self.year as i32
    }

    /// The month (1–12).
    pub const fn month(self) -> u32 {
        self.month as u32
    }

    /// The day of the month (1–31).
    pub const fn day(self) -> u32 {
        self.day as u32
    }

    /// Reads exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Result<Date, DateParseError> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(DateParseError);
        }
        let year = parse_digits(&bytes[0..4])?;
        let month = parse_digits(&bytes[5..7])?;
        let day = parse_digits(&bytes[8..10])?;
        Date::new(year as i32, month, day).ok_or(DateParseError)
    }

    /// Days since 1970-01-01 (negative before it).
    pub const fn to_unix_days(self) -> i64 {
        days_from_civil(self.year as i64, self.month as i64, self.day as i64)
    }

    /// The date `days` days after 1970-01-01, or `None` outside years 1–9999.
    ///
    /// The server passes `secs_since_epoch.div_euclid(86_400)`, the widget
    /// `(Date.now() / 86_400_000).floor()`; both give the UTC date.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        if days < Date::MIN.to_unix_days() || days > Date::MAX.to_unix_days() {
            return None;
        }
        let (year, month, day) = civil_from_days(days);
        Date::new(year as i32, month as u32, day as u32)
    }

    /// The date `days` later (earlier when negative), saturating at
    /// [`Date::MIN`] and [`Date::MAX`].
    pub fn add_days(self, days: i64) -> Date {
        let target = self.to_unix_days().saturating_add(days);
        let clamped = target.clamp(Date::MIN.to_unix_days(), Date::MAX.to_unix_days());
        Date::from_unix_days(clamped).unwrap_or(Date::MAX)
    }

    /// The same day `months` months later (earlier when negative). When that
    /// month is shorter the day is clamped to its end, so 2027-08-31 plus six
    /// months is 2028-02-29. Saturates at [`Date::MIN`] and [`Date::MAX`].
    pub fn add_months(self, months: i32) -> Date {
        let index = i64::from(self.year) * 12 + (i64::from(self.month) - 1) + i64::from(months);
        let year = index.div_euclid(12);
        let month = (index.rem_euclid(12) + 1) as u32;
        if year < 1 {
            return Date::MIN;
        }
        if year > 9999 {
            return Date::MAX;
        }
        let day = u32::from(self.day).min(days_in_month(year as i32, month));
        Date::new(year as i32, month, day).unwrap_or(Date::MAX)
    }

    /// Number of days from `self` to `later` (negative when `later` is earlier).
    pub const fn days_until(self, later: Date) -> i64 {
        later.to_unix_days() - self.to_unix_days()
    }
}

fn parse_digits(bytes: &[u8]) -> Result<u32, DateParseError> {
    bytes.iter().try_fold(0u32, |acc, &b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + u32::from(b - b'0'))
        } else {
            Err(DateParseError)
        }
    })
}

// Howard Hinnant's days_from_civil: exact for the whole proleptic calendar.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * shifted_month + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// The inverse of `days_from_civil`.
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Date, DateParseError> {
        Date::parse(text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        deserializer.deserialize_str(DateVisitor)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
        Date::parse(text).map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
    }

    // TOML has native date literals (`starts_on = 2027-04-20`); the toml
    // crate hands them over as a one-entry map holding the date as text.
    // Accepting it lets configuration authors write dates either way.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::invalid_length(0, &self));
        };
        self.visit_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn parses_strictly() {
        assert_eq!(d("2027-04-20"), Date::new(2027, 4, 20).unwrap());
        for bad in [
            "2027-4-20",
            "2027-04-2",
            "27-04-20",
            "2027/04/20",
            "2027-13-01",
            "2027-00-10",
            "2027-04-31",
            "2027-02-29",
            "1900-02-29",
            "0000-01-01",
            "2027-04-20T00:00",
            "",
            "+027-04-20",
            "２０２７-04-20",
        ] {
            assert_eq!(Date::parse(bad), Err(DateParseError), "{bad}");
        }
    }

    #[test]
    fn leap_years_follow_gregorian_rules() {
        assert!(Date::new(2028, 2, 29).is_some());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2100, 2, 29).is_none());
        assert!(is_leap_year(2024) && !is_leap_year(2023));
    }

    #[test]
    fn displays_with_padding() {
        assert_eq!(Date::new(987, 3, 4).unwrap().to_string(), "0987-03-04");
    }

    #[test]
    fn unix_days_round_trip() {
        assert_eq!(d("1970-01-01").to_unix_days(), 0);
        assert_eq!(d("2000-03-01").to_unix_days(), 11_017);
        assert_eq!(d("1969-12-31").to_unix_days(), -1);
        for text in ["0001-01-01", "1600-02-29", "2027-04-22", "9999-12-31"] {
            assert_eq!(Date::from_unix_days(d(text).to_unix_days()), Some(d(text)));
        }
        assert_eq!(Date::from_unix_days(Date::MAX.to_unix_days() + 1), None);
        assert_eq!(Date::from_unix_days(Date::MIN.to_unix_days() - 1), None);
    }

    #[test]
    fn adds_days_across_months_and_years() {
        assert_eq!(d("2027-04-20").add_days(-14), d("2027-04-06"));
        assert_eq!(d("2027-12-31").add_days(1), d("2028-01-01"));
        assert_eq!(d("2028-02-28").add_days(1), d("2028-02-29"));
        assert_eq!(Date::MAX.add_days(10), Date::MAX);
        assert_eq!(Date::MIN.add_days(i64::MIN), Date::MIN);
    }

    #[test]
    fn adds_months_clamping_to_month_end() {
        assert_eq!(d("2027-04-22").add_months(6), d("2027-10-22"));
        assert_eq!(d("2027-08-31").add_months(6), d("2028-02-29"));
        assert_eq!(d("2027-10-31").add_months(4), d("2028-02-29"));
        assert_eq!(d("2027-01-31").add_months(1), d("2027-02-28"));
        assert_eq!(d("2027-03-15").add_months(-3), d("2026-12-15"));
        assert_eq!(d("2027-03-15").add_months(24), d("2029-03-15"));
        assert_eq!(Date::MAX.add_months(1), Date::MAX);
        assert_eq!(Date::MIN.add_months(-1), Date::MIN);
    }

    #[test]
    fn difference_in_days() {
        assert_eq!(d("2027-04-06").days_until(d("2027-04-20")), 14);
        assert_eq!(d("2027-04-20").days_until(d("2027-04-06")), -14);
    }

    #[test]
    fn orders_chronologically() {
        assert!(d("2026-12-31") < d("2027-01-01"));
        assert!(d("2027-02-01") > d("2027-01-31"));
    }

    #[test]
    fn serde_uses_the_iso_string() {
        let json = serde_json::to_string(&d("2027-04-20")).unwrap();
        assert_eq!(json, "\"2027-04-20\"");
        assert_eq!(
            serde_json::from_str::<Date>(&json).unwrap(),
            d("2027-04-20")
        );
        assert!(serde_json::from_str::<Date>("\"2027-02-30\"").is_err());
        assert!(serde_json::from_str::<Date>("20270420").is_err());
    }
}
