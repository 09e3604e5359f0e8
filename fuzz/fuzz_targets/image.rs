//! An uploaded PNG or JPEG, through the upload handler's entry
//! (`attachments::prepare`: type from the bytes, header size, metadata
//! stripped, badge-photo rules), as a photo and as a file of no stated
//! purpose, then the photo rules the registration holds the stored file to.

#![no_main]

use accredit_server::attachments::{self, Kind, Purpose, sniff, strip};
use libfuzzer_sys::fuzz_target;

/// The demo event's attachment limit.
const MAX_BYTES: u64 = 5 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    // PDF letters have their own target.
    if !matches!(sniff::sniff(data), Some(Kind::Jpeg | Kind::Png)) {
        return;
    }
    for purpose in [None, Some(Purpose::Photo)] {
        let Ok((kind, stored)) = attachments::prepare(data, purpose, MAX_BYTES) else {
            continue;
        };
        assert_eq!(sniff::sniff(&stored), Some(kind));
        let _ = attachments::photo_rules(kind, &stored, MAX_BYTES);
        // Nothing the allow-list drops is left in what is stored.
        let again = match kind {
            Kind::Jpeg => strip::jpeg(&stored),
            Kind::Png => strip::png(&stored),
            Kind::Pdf => unreachable!("sniffed as an image above"),
        };
        assert_eq!(
            again.as_deref(),
            Ok(&stored[..]),
            "stripping is not idempotent"
        );
    }
});
