//! Wall-clock time, read in one place.
//!
//! The model never reads a clock; the server passes it "today" (UTC) and
//! stamps rows with Unix seconds, rendered as RFC 3339 in responses.
//!
//! Every rule that depends on the date reads a [`Clock`] held in the
//! server's state, never the system clock directly, so an operator can
//! rehearse a deadline (`--today 2027-04-06`) and tests can stand on the
//! day registration closes, the day after, or the end of retention.

use accredit_model::Date;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The server's clock: the system clock moved by a fixed number of
/// seconds (none by default). Time still passes, so delivery back-off and
/// rate limits keep working; clones share one offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock on which today is `today`, at the system's time of day.
    pub fn on(today: Date) -> Clock {
        let clock = Clock::system();
        clock.set_today(today);
        clock
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn now(&self) -> i64 {
        system_now().saturating_add(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Today's UTC date.
    pub fn today(&self) -> Date {
        date_of(self.now())
    }

    /// Moves the clock (and every clone of it) to `today`, keeping the
    /// time of day.
    pub fn set_today(&self, today: Date) {
        let days = self.today().days_until(today);
        self.advance(days.saturating_mul(86_400));
    }

    /// Moves the clock (and every clone of it) by `secs`.
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }
}

/// Seconds since 1970-01-01T00:00:00Z on the system clock. Only [`Clock`]
/// and the token ids of the command line (which need no rehearsal) read it.
pub fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
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

    #[test]
    fn a_moved_clock_keeps_the_time_of_day_and_is_shared_by_its_clones() {
        let day = Date::parse("2027-04-06").unwrap();
        let clock = Clock::on(day);
        let clone = clock.clone();
        assert_eq!(clone.today(), day);
        let seconds_into_day = |t: i64| t.rem_euclid(86_400);
        // The same time of day as the system clock, give or take the second
        // that may tick between the two readings.
        let drift = (seconds_into_day(clock.now()) - seconds_into_day(system_now())).abs();
        assert!(drift <= 1 || drift >= 86_399, "drift {drift}");
        clock.set_today(Date::parse("2027-04-07").unwrap());
        assert_eq!(clone.today().to_string(), "2027-04-07");
        clock.advance(-86_400);
        assert_eq!(clone.today(), day);
    }
}
