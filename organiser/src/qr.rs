//! QR codes for badges: the registration reference, so a scanner at the
//! venue's entrance finds the registration. Encoded by `qrcodegen`, drawn
//! here as one SVG path (crisp at any print resolution).

use qrcodegen::{QrCode, QrCodeEcc};

/// A QR code as an SVG path over a square of [`Qr::size`] units (the
/// four-module quiet zone included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Qr {
    pub size: i32,
    pub path: String,
}

const QUIET_ZONE: i32 = 4;

/// Encodes `text` with medium error correction (a badge gets creased), or
/// `None` if it is too long for a QR code.
pub fn encode(text: &str) -> Option<Qr> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let mut path = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
    }
    Some(Qr {
        size: code.size() + 2 * QUIET_ZONE,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_encodes_as_a_small_code() {
        let qr = encode("ISB-7KQ2-M4XD").unwrap();
        // Version 1 (21 modules) fits 13 characters at level M.
        assert_eq!(qr.size, 21 + 8);
        assert!(
            qr.path.starts_with("M4,4h1v1h-1z"),
            "finder pattern at the corner"
        );
        // The three finder patterns alone are 3 × 33 dark modules.
        assert!(qr.path.matches('M').count() > 99);
    }

    #[test]
    fn different_references_give_different_codes() {
        assert_ne!(
            encode("ISB-AAAA").unwrap().path,
            encode("ISB-AAAB").unwrap().path
        );
    }
}
