//! An uploaded credentials letter in PDF, through the upload handler's
//! entry (`attachments::prepare`: parsed with lopdf, active content
//! refused, metadata removed, written anew).

#![no_main]

use accredit_server::attachments::{self, Kind, Purpose, Rejection, sniff};
use libfuzzer_sys::fuzz_target;

/// The demo event's attachment limit.
const MAX_BYTES: u64 = 5 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    // Images have their own target.
    if sniff::sniff(data) != Some(Kind::Pdf) {
        return;
    }
    let Ok((kind, stored)) =
        attachments::prepare(data, Some(Purpose::CredentialsLetter), MAX_BYTES)
    else {
        return;
    };
    assert_eq!(kind, Kind::Pdf);
    assert_eq!(sniff::sniff(&stored), Some(Kind::Pdf));
    // Cleaning only removes: what is stored carries no active content.
    let again = attachments::prepare(&stored, Some(Purpose::CredentialsLetter), MAX_BYTES);
    assert!(
        !matches!(again, Err(Rejection::Refused(_))),
        "the cleaned letter is refused: {again:?}"
    );
});
