//! Uploaded files: badge photos and credentials letters.

pub mod sniff;
pub mod strip;

pub use sniff::Kind;

/// Unused uploads are deleted after this long: a form is filled in within
/// a day, and an upload nobody registered with is personal data nobody needs.
pub const UNUSED_TTL_SECS: i64 = 24 * 60 * 60;

/// What an attachment is for, and which types it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Photo,
    CredentialsLetter,
}

impl Purpose {
    pub fn accepts(self, kind: Kind) -> bool {
        match self {
            Purpose::Photo => matches!(kind, Kind::Jpeg | Kind::Png),
            Purpose::CredentialsLetter => true,
        }
    }
}

/// Checks and cleans an upload: its type from its bytes, never from what
/// the client claims; metadata stripped from images.
pub fn prepare(data: &[u8]) -> Result<(Kind, Vec<u8>), Rejection> {
    let kind = sniff::sniff(data).ok_or(Rejection::UnsupportedType)?;
    let cleaned = match kind {
        Kind::Jpeg => strip::jpeg(data).map_err(Rejection::Malformed)?,
        Kind::Png => strip::png(data).map_err(Rejection::Malformed)?,
        Kind::Pdf => data.to_vec(),
    };
    Ok((kind, cleaned))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    UnsupportedType,
    Malformed(&'static str),
}
