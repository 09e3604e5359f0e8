//! Cross-origin access: which web pages may embed the widget.
//!
//! The widget runs inside the host page (a ministry's or the conference's
//! site), so its requests carry that page's `Origin`. Only origins on the
//! allow-list of the event may use the public endpoints (event
//! configuration, registrations, attachments); every other foreign origin is
//! refused with 403 before anything runs. Organiser endpoints are never
//! available cross-origin. Same-origin requests, and requests without an
//! `Origin` (curl, server-to-server), are not cross-origin and always pass.

use crate::api::problem::Problem;
use accredit_model::api::problem_code;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Allowed origins, for every event or for one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowList {
    every_event: BTreeSet<String>,
    per_event: BTreeMap<String, BTreeSet<String>>,
}

impl AllowList {
    /// Adds one `--cors-origin` value: `https://host[:port]` for every
    /// event, or `EVENT=https://host[:port]` for one event.
    pub fn add(&mut self, entry: &str) -> Result<(), String> {
        let (event, origin) = match entry.split_once('=') {
            Some((event, origin)) => (Some(event.trim()), origin),
            None => (None, entry),
        };
        let origin = normalise(origin).ok_or_else(|| {
            format!("`{entry}`: expected an origin such as https://example.org or EVENT=https://example.org")
        })?;
        match event {
            Some(event) if !event.is_empty() => {
                self.per_event
                    .entry(event.to_owned())
                    .or_default()
                    .insert(origin);
            }
            Some(_) => return Err(format!("`{entry}`: the event id before `=` is empty")),
            None => {
                self.every_event.insert(origin);
            }
        }
        Ok(())
    }

    /// Builds a list from several entries.
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<AllowList, String> {
        let mut list = AllowList::default();
        for entry in entries {
            list.add(entry)?;
        }
        Ok(list)
    }

    /// Event ids the list names (to check them against the configuration).
    pub fn events(&self) -> impl Iterator<Item = &str> {
        self.per_event.keys().map(String::as_str)
    }

    pub fn allows(&self, event: &str, origin: &str) -> bool {
        let Some(origin) = normalise(origin) else {
            return false;
        };
        self.every_event.contains(&origin)
            || self
                .per_event
                .get(event)
                .is_some_and(|set| set.contains(&origin))
    }
}

/// `scheme://host[:port]`, lower-cased, without a trailing slash; `None`
/// for anything else (paths, `null`, wildcards).
fn normalise(origin: &str) -> Option<String> {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, authority) = origin.split_once("://")?;
    let valid_authority = !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    (matches!(scheme, "http" | "https") && valid_authority).then_some(origin)
}

/// The event a request under `/api/v1` is for, and whether it is one of the
/// widget's public requests (`GET` the event, `POST` a registration or an
/// attachment, and `GET`, `PUT` or `DELETE` the registration a manage
/// token opens).
fn classify<'a>(method: &Method, path: &'a str) -> (Option<&'a str>, bool) {
    let mut parts = path.trim_start_matches('/').split('/');
    // Nested routers see the path below /api/v1; be robust to both forms.
    let mut first = parts.next();
    if first == Some("api") {
        parts.next();
        first = parts.next();
    }
    if first != Some("events") {
        return (None, false);
    }
    let event = parts.next().filter(|e| !e.is_empty());
    let rest: Vec<&str> = parts.collect();
    let public = match rest.as_slice() {
        [] => method == Method::GET || method == Method::HEAD,
        ["registrations" | "attachments"] => method == Method::POST,
        // The focal point's manage link opens the widget on the host page.
        ["my-registration"] => {
            matches!(*method, Method::GET | Method::PUT | Method::DELETE)
        }
        _ => false,
    };
    (event, public)
}

/// What the middleware needs: the allow-list, and how to tell the scheme
/// the server's own pages are served with.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub allow: AllowList,
    /// The scheme when no trusted header says otherwise: `https` for a
    /// server behind TLS (`--hsts`), `http` for one serving directly.
    pub https: bool,
    /// Behind a trusted reverse proxy: the header it puts the scheme the
    /// client used in (`X-Forwarded-Proto`). Read only when configured.
    pub proto_header: Option<HeaderName>,
}

impl Policy {
    /// `http` or `https`: the last value of the trusted header when there
    /// is one (earlier values came from the client), else the default.
    fn own_scheme(&self, headers: &HeaderMap) -> &'static str {
        let forwarded = self.proto_header.as_ref().and_then(|name| {
            headers
                .get_all(name)
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_ascii_lowercase())
        });
        match forwarded.as_deref() {
            Some("https") => "https",
            Some("http") => "http",
            _ if self.https => "https",
            _ => "http",
        }
    }
}

/// `host[:port]` without the scheme's default port, lower-cased.
fn without_default_port(authority: &str, scheme: &str) -> String {
    let authority = authority.to_ascii_lowercase();
    let default = if scheme == "https" { ":443" } else { ":80" };
    authority
        .strip_suffix(default)
        .map_or(authority.clone(), str::to_owned)
}

/// Whether `origin` is the server's own: the browser says so
/// (`Sec-Fetch-Site: same-origin`), or scheme, host and port all match the
/// request's `Host` and the server's own scheme. A page on
/// `http://host` is another origin than `https://host`.
fn is_same_origin(policy: &Policy, headers: &HeaderMap, origin: &str) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"same-origin")
    {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let own = policy.own_scheme(headers);
    scheme.eq_ignore_ascii_case(own)
        && without_default_port(authority, own) == without_default_port(host, own)
}

/// Every response under `/api/v1` depends on the request's `Origin` (it
/// may be refused, or carry `Access-Control-Allow-Origin`), so every one,
/// also without an `Origin`, says so to caches.
pub async fn middleware(State(policy): State<Arc<Policy>>, req: Request, next: Next) -> Response {
    let mut response = decide(&policy, req, next).await;
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("origin"));
    response
}

/// Refuses foreign origins, answers preflights, and labels allowed
/// cross-origin responses.
async fn decide(policy: &Policy, req: Request, next: Next) -> Response {
    let Some(origin) = req.headers().get(header::ORIGIN).cloned() else {
        return next.run(req).await;
    };
    let origin_text = origin.to_str().unwrap_or("");
    if is_same_origin(policy, req.headers(), origin_text) {
        return next.run(req).await;
    }
    let preflight = req.method() == Method::OPTIONS;
    let method = if preflight {
        req.headers()
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
            .unwrap_or(Method::OPTIONS)
    } else {
        req.method().clone()
    };
    let (event, public) = classify(&method, req.uri().path());
    let allowed = public && event.is_some_and(|event| policy.allow.allows(event, origin_text));
    if !allowed {
        return Problem::new(
            StatusCode::FORBIDDEN,
            problem_code::CORS_ORIGIN_NOT_ALLOWED,
            "This page's origin may not use this endpoint; the organiser can add it to the allow-list.",
        )
        .into_response();
    }
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, DELETE"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type, idempotency-key, authorization, if-match"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("retry-after, location, etag, idempotent-replayed"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_global_or_per_event() {
        let list = AllowList::parse([
            "https://Conference.Example.org/",
            "islamabad-tip-som=https://mofa.example.pk",
        ])
        .unwrap();
        assert!(list.allows("any-event", "https://conference.example.org"));
        assert!(list.allows("islamabad-tip-som", "https://mofa.example.pk"));
        assert!(!list.allows("other", "https://mofa.example.pk"));
        assert!(!list.allows("islamabad-tip-som", "http://mofa.example.pk"));
        assert!(!list.allows("islamabad-tip-som", "null"));
        assert!(AllowList::parse(["*"]).is_err());
        assert!(AllowList::parse(["https://x.org/path"]).is_err());
        assert!(AllowList::parse(["=https://x.org"]).is_err());
    }

    #[test]
    fn the_same_origin_has_the_same_scheme_host_and_port() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (name, value) in pairs {
                h.append(*name, HeaderValue::from_str(value).unwrap());
            }
            h
        };
        let direct = Policy::default();
        let host = headers(&[("host", "reg.example.org")]);
        assert!(is_same_origin(&direct, &host, "http://reg.example.org"));
        assert!(is_same_origin(&direct, &host, "http://Reg.Example.org:80"));
        assert!(!is_same_origin(&direct, &host, "https://reg.example.org"));
        assert!(!is_same_origin(
            &direct,
            &host,
            "http://reg.example.org:8080"
        ));
        let behind_tls = Policy {
            https: true,
            ..Policy::default()
        };
        assert!(is_same_origin(
            &behind_tls,
            &host,
            "https://reg.example.org"
        ));
        assert!(!is_same_origin(
            &behind_tls,
            &host,
            "http://reg.example.org"
        ));
        // The forwarded scheme counts only when its header is trusted, and
        // then only its last value (the proxy's).
        let forwarded = headers(&[
            ("host", "reg.example.org"),
            ("x-forwarded-proto", "http, https"),
        ]);
        assert!(!is_same_origin(
            &direct,
            &forwarded,
            "https://reg.example.org"
        ));
        let proxied = Policy {
            proto_header: Some(HeaderName::from_static("x-forwarded-proto")),
            ..Policy::default()
        };
        assert!(is_same_origin(
            &proxied,
            &forwarded,
            "https://reg.example.org"
        ));
        assert!(!is_same_origin(
            &proxied,
            &forwarded,
            "http://reg.example.org"
        ));
    }

    #[test]
    fn only_widget_endpoints_are_public() {
        let (get, post) = (Method::GET, Method::POST);
        assert_eq!(classify(&get, "/events/e"), (Some("e"), true));
        assert_eq!(
            classify(&post, "/events/e/registrations"),
            (Some("e"), true)
        );
        assert_eq!(
            classify(&get, "/events/e/registrations"),
            (Some("e"), false)
        );
        assert_eq!(
            classify(&post, "/api/v1/events/e/attachments"),
            (Some("e"), true)
        );
        assert_eq!(
            classify(&get, "/events/e/attachments/x"),
            (Some("e"), false)
        );
        assert_eq!(
            classify(&get, "/events/e/registrations/x"),
            (Some("e"), false)
        );
        assert_eq!(
            classify(&get, "/events/e/exports/participants.csv"),
            (Some("e"), false)
        );
        assert_eq!(classify(&get, "/openapi.json"), (None, false));
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            assert_eq!(
                classify(&method, "/events/e/my-registration"),
                (Some("e"), true)
            );
        }
        assert_eq!(
            classify(&post, "/events/e/my-registration"),
            (Some("e"), false)
        );
    }
}
