//! Limits on unclaimed uploads, so that nobody can fill the disk with
//! files no registration uses.
//!
//! Attachments are uploaded before the registration that claims them. Two
//! limits bound what lies on disk unclaimed:
//! - per client address (keyed as the rate limiter keys it, IPv6 by /64),
//!   the bytes of its unclaimed uploads of the last 24 hours;
//! - per event, the bytes of all its unclaimed uploads.
//!
//! Only unclaimed uploads count: they are what an abuser leaves behind,
//! while a delegation secretary's photos stop counting the moment the
//! registration claims them, so an office that registers delegation after
//! delegation from one address is never stopped. The window is the
//! lifetime of an unclaimed upload ([`crate::attachments::UNUSED_TTL_SECS`]):
//! the quota bounds what one address can have lying unclaimed at any time.
//!
//! The database is the source of truth: every attachment row has its size,
//! its upload time, its claim and (while unclaimed) the client it came
//! from, so the quota survives a restart and holds for every process
//! writing to the database. The check and the insert run in one write
//! transaction on the single writer, so concurrent uploads cannot overshoot.

use crate::attachments::UNUSED_TTL_SECS;
use std::fmt;
use std::str::FromStr;

/// A configured size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeLimit {
    /// No limit (load tests).
    Off,
    Bytes(u64),
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

impl SizeLimit {
    /// Unclaimed bytes per client address: a large delegation's photos and
    /// letters, uploaded before its registration claims them.
    pub const DEFAULT_PER_CLIENT: SizeLimit = SizeLimit::Bytes(50 * MIB);
    /// Unclaimed bytes per event: room for many delegations filling in
    /// their forms at once, far below a server's disk.
    pub const DEFAULT_PER_EVENT: SizeLimit = SizeLimit::Bytes(2 * GIB);

    pub fn bytes(self) -> Option<u64> {
        match self {
            SizeLimit::Off => None,
            SizeLimit::Bytes(n) => Some(n),
        }
    }
}

impl FromStr for SizeLimit {
    type Err = String;

    /// `off`, or a number of bytes with an optional unit: `50MB`, `2 GB`,
    /// `512KB`, `1000000` (units are powers of 1024; `MiB` is read as `MB`).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(SizeLimit::Off);
        }
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let unit = unit.trim().to_ascii_lowercase();
        let factor = match unit.trim_end_matches("ib").trim_end_matches('b') {
            "" => 1,
            "k" => KIB,
            "m" => MIB,
            "g" => GIB,
            _ => 0,
        };
        match number.parse::<u64>() {
            Ok(n) if n > 0 && factor > 0 => n
                .checked_mul(factor)
                .map(SizeLimit::Bytes)
                .ok_or_else(|| format!("`{text}` is too large")),
            _ => Err(format!(
                "expected `off` or a size such as `50MB` or `2GB`, not `{text}`"
            )),
        }
    }
}

impl fmt::Display for SizeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SizeLimit::Off => f.write_str("off"),
            SizeLimit::Bytes(n) if n % GIB == 0 => write!(f, "{}GB", n / GIB),
            SizeLimit::Bytes(n) if n % MIB == 0 => write!(f, "{}MB", n / MIB),
            SizeLimit::Bytes(n) if n % KIB == 0 => write!(f, "{}KB", n / KIB),
            SizeLimit::Bytes(n) => write!(f, "{n}"),
        }
    }
}

/// Both limits, as the storage applies them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadLimits {
    pub per_client: SizeLimit,
    pub per_event: SizeLimit,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            per_client: SizeLimit::DEFAULT_PER_CLIENT,
            per_event: SizeLimit::DEFAULT_PER_EVENT,
        }
    }
}

/// How far back a client's unclaimed uploads count.
pub const WINDOW_SECS: i64 = UNUSED_TTL_SECS;

/// `Retry-After` of a full event: space comes back as registrations claim
/// their uploads and as the hourly purge deletes expired ones, which
/// nothing lets the server foresee more precisely.
pub const EVENT_FULL_RETRY_SECS: i64 = 60 * 60;

/// When an upload of `size` bytes fits in the per-client quota again:
/// `counted` are the client's unclaimed uploads in the window as
/// `(size, uploaded_at)`, oldest first. It fits once enough of the oldest
/// have left the window (at `uploaded_at + WINDOW_SECS`); `None` if it
/// fits now.
pub fn quota_frees_at(counted: &[(u64, i64)], size: u64, quota: u64) -> Option<i64> {
    let mut used: u64 = counted.iter().map(|(s, _)| s).sum();
    if used.saturating_add(size) <= quota {
        return None;
    }
    for &(s, at) in counted {
        used -= s;
        if used.saturating_add(size) <= quota {
            return Some(at + WINDOW_SECS);
        }
    }
    // Larger than the quota itself; settings refuse a quota below an
    // event's file size limit, so this is a file no event accepts anyway.
    Some(counted.last().map_or(0, |&(_, at)| at) + WINDOW_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_parsed_and_shown() {
        assert_eq!("50MB".parse(), Ok(SizeLimit::Bytes(50 * MIB)));
        assert_eq!("2 GB".parse(), Ok(SizeLimit::Bytes(2 * GIB)));
        assert_eq!("2GiB".parse(), Ok(SizeLimit::Bytes(2 * GIB)));
        assert_eq!("512kb".parse(), Ok(SizeLimit::Bytes(512 * KIB)));
        assert_eq!("1000".parse(), Ok(SizeLimit::Bytes(1000)));
        assert_eq!("off".parse(), Ok(SizeLimit::Off));
        for bad in ["", "0", "MB", "5TB", "-1MB", "1.5GB", "99999999999999999GB"] {
            assert!(bad.parse::<SizeLimit>().is_err(), "{bad}");
        }
        assert_eq!(SizeLimit::DEFAULT_PER_CLIENT.to_string(), "50MB");
        assert_eq!(SizeLimit::DEFAULT_PER_EVENT.to_string(), "2GB");
        assert_eq!(SizeLimit::Bytes(1000).to_string(), "1000");
    }

    #[test]
    fn the_quota_frees_when_enough_of_the_oldest_uploads_leave_the_window() {
        let counted = [(40, 1_000), (30, 2_000), (20, 3_000)];
        assert_eq!(quota_frees_at(&counted, 10, 100), None);
        // 90 used: 11 more fit once the 40 bytes of t=1000 are out.
        assert_eq!(quota_frees_at(&counted, 11, 100), Some(1_000 + WINDOW_SECS));
        // 60 more need the first two gone.
        assert_eq!(quota_frees_at(&counted, 60, 100), Some(2_000 + WINDOW_SECS));
        assert_eq!(quota_frees_at(&[], 100, 100), None);
    }
}
