//! Uploaded files: badge photos and credentials letters.

pub mod pdf;
pub mod sniff;
pub mod strip;

use accredit_model::error::Violation;
use accredit_model::rules::attachment::{check_image_pixels, check_photo};
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

    /// The name a client gives in `?purpose=`.
    pub fn from_name(name: &str) -> Option<Purpose> {
        match name {
            "photo" => Some(Purpose::Photo),
            "letter" => Some(Purpose::CredentialsLetter),
            _ => None,
        }
    }
}

/// Checks and cleans an upload: its type from its bytes, never from what
/// the client claims; the pixel size of images read from their header
/// (before anything else looks at them) and held to the model's limits;
/// metadata stripped from images and PDF letters, and letters with active
/// content refused.
///
/// `purpose` is what the client says the file is for, when it says so: a
/// photo is then held to the badge-photo rules at once, so the person
/// learns it before filling in the rest of the form. The registration
/// checks the photo rules again on the stored file whatever was said here.
pub fn prepare(
    data: &[u8],
    purpose: Option<Purpose>,
    max_bytes: u64,
) -> Result<(Kind, Vec<u8>), Rejection> {
    let kind = sniff::sniff(data).ok_or(Rejection::UnsupportedType)?;
    if matches!(kind, Kind::Jpeg | Kind::Png) {
        let (width, height) = header_size(data)?;
        check_image_pixels(width, height).map_err(Rejection::Refused)?;
    }
    let cleaned = match kind {
        Kind::Jpeg => strip::jpeg(data).map_err(Rejection::Malformed)?,
        Kind::Png => strip::png(data).map_err(Rejection::Malformed)?,
        Kind::Pdf => pdf::clean(data).map_err(|refusal| match refusal {
            pdf::Refusal::Refused(violation) => Rejection::Refused(violation),
            pdf::Refusal::Malformed => Rejection::Malformed("the PDF file is damaged"),
        })?,
    };
    if purpose == Some(Purpose::Photo) {
        photo_rules(kind, &cleaned, max_bytes)?;
    }
    Ok((kind, cleaned))
}

/// The badge-photo rules of the model (the function the widget runs in
/// the browser) applied to a stored file: its type, size, and its pixel
/// size as displayed.
pub fn photo_rules(kind: Kind, data: &[u8], max_bytes: u64) -> Result<(), Rejection> {
    let (width, height) = match kind {
        Kind::Jpeg | Kind::Png => displayed_size(kind, data)?,
        Kind::Pdf => (0, 0),
    };
    let bytes = u64::try_from(data.len()).unwrap_or(u64::MAX);
    check_photo(kind.media_type(), bytes, width, height, max_bytes).map_err(Rejection::Refused)
}

/// Width and height as declared in the file header; no pixel is decoded.
fn header_size(data: &[u8]) -> Result<(u32, u32), Rejection> {
    let size = imagesize::blob_size(data)
        .map_err(|_| Rejection::Malformed("the image size could not be read"))?;
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((clamp(size.width), clamp(size.height)))
}

/// The size a viewer shows: a JPEG whose EXIF orientation turns it a
/// quarter (5–8) is shown with width and height swapped, as browsers
/// show it, so the server measures what the widget measured.
fn displayed_size(kind: Kind, data: &[u8]) -> Result<(u32, u32), Rejection> {
    let (width, height) = header_size(data)?;
    let turned = kind == Kind::Jpeg && strip::jpeg_orientation(data).is_some_and(|o| o >= 5);
    Ok(if turned {
        (height, width)
    } else {
        (width, height)
    })
}

#[derive(Debug, PartialEq)]
pub enum Rejection {
    UnsupportedType,
    Malformed(&'static str),
    /// A rule of the model refuses the file; the violation says which.
    Refused(Violation),
}

#[cfg(test)]
mod tests {
    use super::*;
    use accredit_model::codes;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::new_rgb8(width, height)
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    /// `data` with an EXIF orientation right after the start of image.
    fn oriented(data: &[u8], orientation: u16) -> Vec<u8> {
        let mut out = data[..2].to_vec();
        out.extend(strip::minimal_exif(orientation));
        out.extend_from_slice(&data[2..]);
        out
    }

    #[test]
    fn a_photo_is_measured_as_it_is_displayed() {
        const MAX: u64 = 5 * 1024 * 1024;
        let sideways = jpeg(800, 600);
        let refused = prepare(&sideways, Some(Purpose::Photo), MAX).unwrap_err();
        assert_eq!(
            refused,
            Rejection::Refused(Violation::new(codes::PHOTO_NOT_PORTRAIT))
        );
        // Turned a quarter by its EXIF orientation, it is shown upright.
        for turn in [6, 8] {
            let (kind, stored) = prepare(&oriented(&sideways, turn), Some(Purpose::Photo), MAX)
                .unwrap_or_else(|e| panic!("orientation {turn}: {e:?}"));
            assert_eq!(kind, Kind::Jpeg);
            assert_eq!(strip::jpeg_orientation(&stored), Some(turn));
        }
        // Upside down (3) is still landscape.
        assert!(prepare(&oriented(&sideways, 3), Some(Purpose::Photo), MAX).is_err());
    }
}
