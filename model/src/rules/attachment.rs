//! Files attached to a registration: the badge photo and the credentials
//! letter, checked before they are sent.
//!
//! The widget reads the file's type, size and (for a photo) its pixel size
//! in the browser and asks these rules, so a person learns at once that a
//! photo is too small instead of after uploading it. The server decides the
//! type again from the bytes themselves.

use crate::codes;
use crate::error::Violation;

/// A badge photo must be at least this wide…
pub const MIN_PHOTO_WIDTH: u32 = 400;
/// …and at least this tall, in pixels.
pub const MIN_PHOTO_HEIGHT: u32 = 500;

/// No image may have more pixels than this (40 megapixels, more than any
/// phone camera takes). Decoding an image needs memory in proportion to
/// its pixels, and a file of a few kilobytes can declare billions of them.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Media types a badge photo may have.
pub const PHOTO_TYPES: &[&str] = &["image/jpeg", "image/png"];
/// Media types a credentials letter may have.
pub const LETTER_TYPES: &[&str] = &["application/pdf", "image/jpeg", "image/png"];

/// Type and size, common to every attachment.
fn check_file(
    media_type: &str,
    bytes: u64,
    max_bytes: u64,
    accepted: &[&str],
) -> Result<(), Violation> {
    if !accepted.contains(&media_type) {
        let names: Vec<&str> = accepted.iter().map(|t| short_name(t)).collect();
        return Err(Violation::new(codes::ATTACHMENT_WRONG_TYPE).with("accepted", names.join(", ")));
    }
    if bytes > max_bytes {
        return Err(Violation::new(codes::ATTACHMENT_TOO_LARGE).with("max", megabytes(max_bytes)));
    }
    if bytes == 0 {
        return Err(Violation::new(codes::ATTACHMENT_EMPTY));
    }
    Ok(())
}

/// A badge photo: JPEG or PNG, within the event's size limit, at least
/// 400 × 500 pixels and in portrait orientation.
pub fn check_photo(
    media_type: &str,
    bytes: u64,
    width: u32,
    height: u32,
    max_bytes: u64,
) -> Result<(), Violation> {
    check_file(media_type, bytes, max_bytes, PHOTO_TYPES)?;
    if width < MIN_PHOTO_WIDTH || height < MIN_PHOTO_HEIGHT {
        return Err(Violation::new(codes::PHOTO_TOO_SMALL)
            .with("min_width", MIN_PHOTO_WIDTH)
            .with("min_height", MIN_PHOTO_HEIGHT)
            .with("width", width)
            .with("height", height));
    }
    if height <= width {
        return Err(Violation::new(codes::PHOTO_NOT_PORTRAIT));
    }
    Ok(())
}

/// Any image, photo or scanned letter: at most [`MAX_IMAGE_PIXELS`].
pub fn check_image_pixels(width: u32, height: u32) -> Result<(), Violation> {
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(Violation::new(codes::ATTACHMENT_TOO_MANY_PIXELS)
            .with("max", MAX_IMAGE_PIXELS / 1_000_000));
    }
    Ok(())
}

/// A credentials letter (note verbale): PDF, JPEG or PNG, within the limit.
pub fn check_letter(media_type: &str, bytes: u64, max_bytes: u64) -> Result<(), Violation> {
    check_file(media_type, bytes, max_bytes, LETTER_TYPES)
}

fn short_name(media_type: &str) -> &str {
    match media_type {
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        "application/pdf" => "PDF",
        other => other,
    }
}

/// `5 MB` for 5 MiB: the number people see on their file manager.
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = 5 * 1024 * 1024;

    fn code(r: Result<(), Violation>) -> Option<&'static str> {
        r.err().map(|v| v.code)
    }

    #[test]
    fn a_portrait_jpeg_or_png_of_the_minimum_size_passes() {
        assert_eq!(check_photo("image/jpeg", 80_000, 400, 500, MAX), Ok(()));
        assert_eq!(check_photo("image/png", 2_000_000, 1200, 1600, MAX), Ok(()));
    }

    #[test]
    fn photos_of_other_types_are_refused_with_the_accepted_types() {
        let v = check_photo("image/gif", 1000, 600, 800, MAX).unwrap_err();
        assert_eq!(v.code, codes::ATTACHMENT_WRONG_TYPE);
        assert_eq!(v.params, vec![("accepted", "JPEG, PNG".to_string())]);
        assert_eq!(
            code(check_photo("application/pdf", 1000, 600, 800, MAX)),
            Some(codes::ATTACHMENT_WRONG_TYPE)
        );
    }

    #[test]
    fn files_over_the_limit_or_empty_are_refused() {
        let v = check_photo("image/jpeg", MAX + 1, 600, 800, MAX).unwrap_err();
        assert_eq!(v.code, codes::ATTACHMENT_TOO_LARGE);
        assert_eq!(v.params, vec![("max", "5 MB".to_string())]);
        assert_eq!(
            code(check_letter("application/pdf", 0, MAX)),
            Some(codes::ATTACHMENT_EMPTY)
        );
        assert_eq!(megabytes(2_621_440), "2.5 MB");
    }

    #[test]
    fn small_or_landscape_photos_are_refused() {
        assert_eq!(
            code(check_photo("image/jpeg", 1000, 399, 500, MAX)),
            Some(codes::PHOTO_TOO_SMALL)
        );
        assert_eq!(
            code(check_photo("image/jpeg", 1000, 400, 499, MAX)),
            Some(codes::PHOTO_TOO_SMALL)
        );
        assert_eq!(
            code(check_photo("image/jpeg", 1000, 800, 600, MAX)),
            Some(codes::PHOTO_NOT_PORTRAIT)
        );
        assert_eq!(
            code(check_photo("image/jpeg", 1000, 600, 600, MAX)),
            Some(codes::PHOTO_NOT_PORTRAIT)
        );
    }

    #[test]
    fn images_over_forty_megapixels_are_refused() {
        assert_eq!(check_image_pixels(8000, 5000), Ok(()));
        let v = check_image_pixels(8000, 5001).unwrap_err();
        assert_eq!(v.code, codes::ATTACHMENT_TOO_MANY_PIXELS);
        assert_eq!(v.params, vec![("max", "40".to_string())]);
        assert_eq!(
            code(check_image_pixels(u32::MAX, u32::MAX)),
            Some(codes::ATTACHMENT_TOO_MANY_PIXELS)
        );
    }

    #[test]
    fn letters_may_be_pdf_or_images() {
        for t in LETTER_TYPES {
            assert_eq!(check_letter(t, 1000, MAX), Ok(()));
        }
        assert_eq!(
            code(check_letter("text/plain", 1000, MAX)),
            Some(codes::ATTACHMENT_WRONG_TYPE)
        );
    }
}
