//! Serves the widget build (`dist/`): the demo page, the loader, the hashed
//! wasm/JS/CSS, with precompressed twins, security headers and cache rules.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// The headers of one kind of page: its CSP, and `X-Frame-Options` for
/// browsers that do not know `frame-ancestors`, when the sources can be
/// said in it.
struct Framing {
    csp: HeaderValue,
    x_frame_options: Option<HeaderValue>,
}

impl Framing {
    fn new(frame_ancestors: &str) -> Framing {
        let x_frame_options = match frame_ancestors.trim() {
            "'none'" => Some(HeaderValue::from_static("DENY")),
            "'self'" => Some(HeaderValue::from_static("SAMEORIGIN")),
            _ => None,
        };
        Framing {
            csp: HeaderValue::from_str(&content_security_policy(frame_ancestors))
                .expect("frame-ancestors holds only header-safe characters"),
            x_frame_options,
        }
    }
}

/// The widget's files and demo page may be framed by the configured
/// `frame-ancestors` (a host site showing the demo); the organiser view
/// is never framed, whatever is configured, so no other site can overlay
/// it to trick a signed-in organiser into a click (clickjacking).
pub fn service(dist: PathBuf, frame_ancestors: &str) -> Router {
    let widget = Arc::new(Framing::new(frame_ancestors));
    let organiser = Arc::new(Framing::new("'none'"));
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let framing = if is_organiser_file(req.uri().path()) {
                organiser.clone()
            } else {
                widget.clone()
            };
            async move { add_headers(req, next, &framing).await }
        }))
}

/// `organiser.html` and the organiser view's own files
/// (`accredit-organiser…`), judged on the decoded name, as the file server
/// decodes it (`/organiser%2Ehtml` is the same page).
fn is_organiser_file(path: &str) -> bool {
    let decoded = percent_decoded(path).to_ascii_lowercase();
    let name = decoded.rsplit('/').next().unwrap_or("");
    name.starts_with("organiser") || name.starts_with("accredit-organiser")
}

fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Scripts only from this origin plus wasm compilation; no inline code or
/// styles anywhere, so the widget is proven to run under a strict host CSP.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

async fn add_headers(req: Request, next: Next, framing: &Framing) -> Response {
    // Content-hashed names never change content; everything else (the demo
    // page, the stable loader URL) must be revalidated.
    let immutable = is_content_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, framing.csp.clone());
    if let Some(value) = &framing.x_frame_options {
        h.insert(header::X_FRAME_OPTIONS, value.clone());
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // The widget's files are public and carry no credentials: any site may
    // load them (module scripts and wasm are fetched in CORS mode when the
    // host page is on another origin).
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    res
}

/// `accredit-0123456789.wasm` and the like: a stem, a dash, ten hex digits.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("/accredit-0a1b2c3d4e.wasm"));
        assert!(is_content_hashed("/x/accredit-0a1b2c3d4e.js"));
        assert!(!is_content_hashed("/accredit.js"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/accredit-zzzzzzzzzz.js"));
    }

    #[test]
    fn organiser_files_are_recognised_however_their_name_is_written() {
        assert!(is_organiser_file("/organiser.html"));
        assert!(is_organiser_file("/organiser%2Ehtml"));
        assert!(is_organiser_file("/%6Frganiser.html"));
        assert!(is_organiser_file("/accredit-organiser-0a1b2c3d4e.wasm"));
        assert!(!is_organiser_file("/"));
        assert!(!is_organiser_file("/index.html"));
        assert!(!is_organiser_file("/accredit.js"));
        assert!(!is_organiser_file("/x%"));
    }

    #[test]
    fn csp_allows_only_self_and_wasm_compilation() {
        let csp = content_security_policy("'none'");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
        assert!(csp.ends_with("frame-ancestors 'none'"));
    }
}
