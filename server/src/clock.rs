//! Wall-clock time, read in one place.
//!
//! The model never reads a clock; the server passes it "today" (UTC) and
//! stamps rows with Unix seconds, rendered as RFC 3339 in responses.

use accredit_model::Date;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01T00:00:00Z.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Today's UTC date.
pub fn today() -> Date {
    date_of(now())
}

/// The UTC date of a Unix timestamp.
pub fn date_of(unix_secs: i64) -> Date {
    Date::from_unix_days(unix_secs.div_euclid(86_400)).unwrap_or(Date::MAX)
}

/// `2027-04-01T09:30:00Z`.
pub fn rfc3339(unix_secs: i64) -> String {
    let secs = unix_secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_of(unix_secs),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_timestamps_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_807_263_000), "2027-04-09T09:30:00Z");
        assert_eq!(date_of(-1).to_string(), "1969-12-31");
    }
}
