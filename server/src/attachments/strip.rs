//! Metadata removal at the byte level, without decoding any pixels.
//!
//! Camera files carry GPS position, device serial numbers, owner names,
//! thumbnails, editing history and provenance manifests in metadata
//! blocks. Badge photos need none of it, so everything that is not on an
//! allow-list of what displaying the image needs is dropped, and the image
//! data is copied untouched: no re-encoding (no quality loss) and no image
//! decoder in the server (no decoder attack surface). An allow-list rather
//! than a list of known metadata blocks, because new kinds of metadata
//! (C2PA's `caBX`, vendors' private chunks) keep appearing.
//!
//! JPEG keeps the JFIF header (APP0 `JFIF\0`, its embedded thumbnail cut
//! off), ICC profiles (APP2 `ICC_PROFILE\0`, colour) and the Adobe segment
//! (APP14 `Adobe`, the colour transform of CMYK files), and the segments
//! that decoding needs (frame and scan headers, tables, restart interval).
//! Every other APPn (EXIF, XMP, JFXX thumbnails, MPF, …), comments and
//! reserved markers are dropped. The EXIF orientation is read first and
//! written back by the server itself into a fresh minimal EXIF block (the
//! orientation and nothing else), because phone photos are stored sideways
//! and rely on it to display upright.
//!
//! PNG keeps only IHDR, PLTE, IDAT, IEND and the colour chunks tRNS, gAMA,
//! cHRM, sRGB and iCCP.
//!
//! Anything after the end of the image (JPEG EOI, PNG IEND) is dropped too:
//! it is where appended payloads hide.
//!
//! Written by hand because no maintained crate strips by allow-list without
//! decoding: the crates that edit metadata (`img-parts`, `little_exif`)
//! remove known blocks, and re-encoding through `image` would lose quality
//! and put a full decoder in front of uploads.

/// JPEG without metadata.
pub fn jpeg(data: &[u8]) -> Result<Vec<u8>, &'static str> {
    const TRUNCATED: &str = "the JPEG file is truncated";
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG file");
    }
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut orientation = None;
    let mut orientation_written = false;
    let mut pos = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        if data.get(pos) != Some(&0xFF) {
            return Err("the JPEG file has a damaged segment");
        }
        while data.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *data.get(pos).ok_or(TRUNCATED)?;
        pos += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            _ => {}
        }
        let len_bytes = data.get(pos..pos + 2).ok_or(TRUNCATED)?;
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        if len < 2 {
            return Err("the JPEG file has a damaged segment");
        }
        let segment = data.get(pos - 2..pos + len).ok_or(TRUNCATED)?;
        let payload = &segment[4..];
        pos += len;
        if marker == 0xE1 && orientation.is_none() {
            orientation = exif_orientation(payload);
        }
        // The orientation goes right before the first frame header, where
        // APPn segments belong.
        let frame_header = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if frame_header && !orientation_written {
            orientation_written = true;
            if let Some(o) = orientation.filter(|o| *o != 1) {
                out.extend_from_slice(&minimal_exif(o));
            }
        }
        if marker == 0xE0 && payload.starts_with(b"JFIF\0") {
            out.extend(
                jfif_without_thumbnail(payload).ok_or("the JPEG file has a damaged segment")?,
            );
        } else if jpeg_keeps(marker, payload) {
            out.extend_from_slice(segment);
        }
        if marker == 0xDA {
            // Entropy-coded data follows the scan header, up to the next
            // marker that is neither a stuffed 0xFF00 nor a restart marker.
            let start = pos;
            loop {
                let ff = data[pos..]
                    .iter()
                    .position(|&b| b == 0xFF)
                    .ok_or(TRUNCATED)?;
                pos += ff;
                let run = data[pos..].iter().take_while(|&&b| b == 0xFF).count();
                match data.get(pos + run) {
                    Some(0x00 | 0xD0..=0xD7) => pos += run + 1,
                    Some(_) => break,
                    None => return Err(TRUNCATED),
                }
            }
            out.extend_from_slice(&data[start..pos]);
        }
    }
}

/// Whether a JPEG segment (other than JFIF) is one displaying needs.
fn jpeg_keeps(marker: u8, payload: &[u8]) -> bool {
    match marker {
        0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
        0xEE => payload.starts_with(b"Adobe"),
        // Frame headers (SOFn) with the Huffman tables (DHT, C4) and the
        // arithmetic-coding conditioning (DAC, CC) among them; C8 is
        // reserved. Then the scan header (SOS), quantisation tables (DQT),
        // the number of lines (DNL), the restart interval (DRI), the
        // hierarchical progression (DHP) and reference expansion (EXP).
        0xC0..=0xCF => marker != 0xC8,
        0xDA..=0xDF => true,
        _ => false,
    }
}

/// The JFIF APP0 segment with its 14-byte header only: the thumbnail it may
/// embed (a small copy of the picture, maybe of the uncropped one) is cut
/// off and its size set to 0 × 0.
fn jfif_without_thumbnail(payload: &[u8]) -> Option<Vec<u8>> {
    let header = payload.get(..14)?;
    let mut segment = vec![0xFF, 0xE0, 0, 16];
    segment.extend_from_slice(&header[..12]);
    segment.extend_from_slice(&[0, 0]);
    Some(segment)
}

/// The EXIF orientation (1–8) of a JPEG, if it has one: the first EXIF
/// block before the image data.
pub fn jpeg_orientation(data: &[u8]) -> Option<u16> {
    let mut pos = 2;
    loop {
        if data.get(pos) != Some(&0xFF) {
            return None;
        }
        while data.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *data.get(pos)?;
        pos += 1;
        match marker {
            0xD9 | 0xDA => return None,
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = data.get(pos..pos + 2)?;
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let payload = data.get(pos + 2..pos + len.max(2))?;
        if let Some(o) = (marker == 0xE1)
            .then(|| exif_orientation(payload))
            .flatten()
        {
            return Some(o);
        }
        pos += len.max(2);
    }
}

/// The orientation (1–8) in an APP1 EXIF payload, if any.
fn exif_orientation(payload: &[u8]) -> Option<u16> {
    let tiff = payload.strip_prefix(b"Exif\0\0")?;
    let little = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at + 2)?;
        Some(if little {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries.min(512)).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        (u16_at(entry)? == 0x0112 && u16_at(entry + 2)? == 3)
            .then(|| u16_at(entry + 8))
            .flatten()
            .filter(|o| (1..=8).contains(o))
    })
}

/// An APP1 segment holding an EXIF block with the orientation only.
pub(crate) fn minimal_exif(orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // value padding
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let len = (2 + 6 + tiff.len()) as u16;
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&len.to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    segment
}

/// The PNG chunks kept: the critical ones and those that say how the
/// colours are meant. Everything else goes.
const PNG_KEPT: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
];

/// PNG with the chunks of [`PNG_KEPT`] only.
pub fn png(data: &[u8]) -> Result<Vec<u8>, &'static str> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const TRUNCATED: &str = "the PNG file is truncated";
    if !data.starts_with(SIGNATURE) {
        return Err("not a PNG file");
    }
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(SIGNATURE);
    let mut pos = SIGNATURE.len();
    loop {
        let header = data.get(pos..pos + 8).ok_or(TRUNCATED)?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let end = pos
            .checked_add(12)
            .and_then(|n| n.checked_add(len))
            .ok_or(TRUNCATED)?;
        let chunk = data.get(pos..end).ok_or(TRUNCATED)?;
        if PNG_KEPT.contains(&&kind) {
            out.extend_from_slice(chunk);
        }
        pos = end;
        if &kind == b"IEND" {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    fn exif_with_orientation(o: u16) -> Vec<u8> {
        // Little-endian EXIF with a GPS pointer and the orientation.
        let mut p = b"Exif\0\0II\x2a\0\x08\0\0\0".to_vec();
        p.extend_from_slice(&2u16.to_le_bytes());
        p.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x40, 0, 0, 0]); // GPSInfo
        p.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
        p.extend_from_slice(&o.to_le_bytes());
        p.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        p.extend_from_slice(b"GPS 33.6844N 73.0479E serial 12345");
        p
    }

    fn sample_jpeg(orientation: u16) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        j.extend(segment(0xE1, &exif_with_orientation(orientation)));
        j.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Author: Jane</x:xmpmeta>",
        ));
        j.extend(segment(0xFE, b"shot by Jane Doe"));
        j.extend(segment(0xDB, &[0u8; 65]));
        j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        j.extend(segment(0xC4, &[0u8; 20]));
        j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0x00]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j.extend_from_slice(b"appended secret");
        j
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_metadata_is_dropped_and_image_data_kept() {
        let input = sample_jpeg(6);
        let out = jpeg(&input).unwrap();
        for secret in [&b"GPS"[..], b"Jane", b"serial", b"xmpmeta", b"appended"] {
            assert!(
                !contains(&out, secret),
                "{}",
                String::from_utf8_lossy(secret)
            );
        }
        assert!(contains(&out, b"JFIF"));
        assert!(contains(
            &out,
            &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0x00]
        ));
        assert!(out.ends_with(&[0xFF, 0xD9]));
        // Orientation 6 survives in a fresh EXIF block before the frame header.
        let exif_at = out.windows(6).position(|w| w == b"Exif\0\0").unwrap();
        let sof_at = out.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        assert!(exif_at < sof_at);
        assert_eq!(exif_orientation(&out[exif_at..]), Some(6));
        // Stripping is idempotent.
        assert_eq!(jpeg(&out).unwrap(), out);
    }

    #[test]
    fn upright_jpegs_get_no_exif_at_all() {
        let out = jpeg(&sample_jpeg(1)).unwrap();
        assert!(!contains(&out, b"Exif"));
    }

    #[test]
    fn truncated_jpegs_are_refused() {
        let input = sample_jpeg(1);
        for cut in [3, 10, 40, input.len() - 20] {
            assert!(jpeg(&input[..cut]).is_err(), "cut at {cut}");
        }
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    }

    #[test]
    fn png_text_chunks_are_dropped() {
        let mut input = b"\x89PNG\r\n\x1a\n".to_vec();
        input.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        input.extend(chunk(b"tEXt", b"Author\0Jane Doe"));
        input.extend(chunk(b"eXIf", b"MM\0*GPS"));
        input.extend(chunk(b"tIME", &[7, 235, 4, 1, 12, 0, 0]));
        input.extend(chunk(b"IDAT", b"pixels"));
        input.extend(chunk(b"IEND", b""));
        input.extend_from_slice(b"appended");
        let out = png(&input).unwrap();
        assert!(!contains(&out, b"Jane") && !contains(&out, b"GPS") && !contains(&out, b"tIME"));
        assert!(!contains(&out, b"appended"));
        assert!(
            contains(&out, b"IHDR")
                && contains(&out, b"pixels")
                && out.ends_with(&chunk(b"IEND", b""))
        );
        assert!(png(&input[..30]).is_err());
    }
}
