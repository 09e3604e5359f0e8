//! The manage link: `{manage_page}#accredit-manage=<token>` opens the
//! registration it was sent for.
//!
//! The token is a bearer secret. It is taken out of the address bar at once
//! (so it stays out of bookmarks, shared screenshots and the tab's history),
//! kept in memory, and in this tab's session storage only, so that reloading
//! the tab keeps the registration open. It is never written to local storage.

use crate::browser;
use accredit_model::config::MANAGE_FRAGMENT;

fn session_key(event: &str) -> String {
    format!("accredit:manage:{event}")
}

/// Splits a URL fragment (`#a=1&accredit-manage=T`) into the manage token
/// it carries, if any, and the fragment without it (no `#`). A token is
/// base64url; anything else is not one.
pub fn split_fragment(hash: &str) -> (Option<String>, String) {
    let body = hash.strip_prefix('#').unwrap_or(hash);
    let mut token = None;
    let mut rest = Vec::new();
    for part in body.split('&').filter(|p| !p.is_empty()) {
        let value = part
            .strip_prefix(MANAGE_FRAGMENT)
            .and_then(|r| r.strip_prefix('='));
        match value {
            Some(value) => {
                let valid = !value.is_empty()
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if valid && token.is_none() {
                    token = Some(value.to_owned());
                }
            }
            None => rest.push(part),
        }
    }
    (token, rest.join("&"))
}

/// The manage token for `event`: from the address bar (which it then
/// leaves, path and query kept), else from this tab's session storage.
pub fn take_token(event: &str) -> Option<String> {
    let (address, hash) = browser::location();
    let (found, rest) = split_fragment(&hash);
    let Some(token) = found else {
        return browser::session_get(&session_key(event));
    };
    let mut url = address;
    if !rest.is_empty() {
        url.push('#');
        url.push_str(&rest);
    }
    browser::replace_url(&url);
    browser::session_set(&session_key(event), &token);
    Some(token)
}

/// Forgets the token (the server said it is no longer valid).
pub fn forget_token(event: &str) {
    browser::session_remove(&session_key(event));
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_token_is_found_and_the_rest_of_the_fragment_kept() {
        assert_eq!(
            split_fragment("#accredit-manage=abc_DEF-123"),
            (Some("abc_DEF-123".into()), String::new())
        );
        assert_eq!(
            split_fragment("#tab=2&accredit-manage=T0k&x"),
            (Some("T0k".into()), "tab=2&x".into())
        );
        assert_eq!(split_fragment(""), (None, String::new()));
        assert_eq!(split_fragment("#top"), (None, "top".into()));
        // Not a base64url token: ignored, but still not left in the URL.
        assert_eq!(
            split_fragment("#accredit-manage=<script>"),
            (None, String::new())
        );
        assert_eq!(
            split_fragment("#accredit-manager=abc"),
            (None, "accredit-manager=abc".into())
        );
    }
}
