//! CORS, rate limits, headers, and errors that are never HTML.

use crate::common::*;
use accredit_server::Settings;
use accredit_server::rate_limit::RateLimit;
use serde_json::Value;

const ALLOWED: &str = "https://mofa.example.pk";

async fn cors_server() -> TestServer {
    TestServer::with(|s: &mut Settings| {
        s.cors = accredit_server::cors::AllowList::parse([format!("{EVENT}={ALLOWED}").as_str()])
            .unwrap();
    })
    .await
}

#[tokio::test]
async fn allowed_origins_may_call_the_widget_endpoints() {
    let server = cors_server().await;
    let preflight = server
        .client
        .request(reqwest::Method::OPTIONS, server.event_url("/registrations"))
        .header("origin", ALLOWED)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], ALLOWED);
    assert!(
        h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("idempotency-key")
    );
    assert!(
        h["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );

    let response = server
        .client
        .post(server.event_url("/registrations"))
        .header("origin", ALLOWED)
        .header("idempotency-key", new_key())
        .json(&registration())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    assert!(
        response.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("retry-after")
    );

    let event = server
        .client
        .get(server.event_url(""))
        .header("origin", ALLOWED)
        .send()
        .await
        .unwrap();
    assert_eq!(event.status(), 200);
    assert_eq!(event.headers()["access-control-allow-origin"], ALLOWED);
}

#[tokio::test]
async fn the_manage_link_works_from_an_allowed_host_page() {
    let server = cors_server().await;
    let receipt: Value = server.register(&registration()).await.json().await.unwrap();
    let token = receipt["manage_token"].as_str().unwrap().to_owned();
    for method in ["GET", "PUT", "DELETE"] {
        let preflight = server
            .client
            .request(
                reqwest::Method::OPTIONS,
                server.event_url("/my-registration"),
            )
            .header("origin", ALLOWED)
            .header("access-control-request-method", method)
            .header(
                "access-control-request-headers",
                "authorization, content-type, idempotency-key, if-match",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), 204, "{method}");
        let h = preflight.headers();
        let allowed = |name: &str| h[name].to_str().unwrap().to_owned();
        assert!(allowed("access-control-allow-methods").contains(method));
        for header in ["authorization", "if-match", "idempotency-key"] {
            assert!(
                allowed("access-control-allow-headers").contains(header),
                "{header}"
            );
        }
    }
    let response = server
        .client
        .get(server.event_url("/my-registration"))
        .header("origin", ALLOWED)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    assert!(
        response.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("etag"),
        "the widget reads the version from the ETag"
    );
    // Other origins get nothing, whatever token they hold.
    let response = server
        .client
        .get(server.event_url("/my-registration"))
        .header("origin", "https://evil.example")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn other_origins_are_refused_and_same_origin_always_works() {
    let server = cors_server().await;
    // Other sites, the allowed host over plain HTTP, and look-alikes that a
    // prefix, suffix or substring comparison would let through.
    for origin in [
        "https://evil.example",
        "http://mofa.example.pk",
        "null",
        "https://mofa.example.pk.evil.com",
        "https://evilmofa.example.pk",
        "https://evil.mofa.example.pk",
        "https://mofa.example.pk:8443",
        "https://mofa.example.p",
    ] {
        let response = server
            .client
            .post(server.event_url("/registrations"))
            .header("origin", origin)
            .header("idempotency-key", new_key())
            .json(&registration())
            .send()
            .await
            .unwrap();
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
        problem(response, 403, "cors.origin_not_allowed").await;
        let preflight = server
            .client
            .request(reqwest::Method::OPTIONS, server.event_url("/attachments"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), 403);
    }
    assert!(server.storage_is_empty());

    // Organiser endpoints are never cross-origin, even for allowed origins.
    let token = server.token();
    let response = server
        .client
        .get(server.event_url("/registrations"))
        .header("origin", ALLOWED)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    problem(response, 403, "cors.origin_not_allowed").await;

    // Same origin: the page served by this server.
    let same = format!("http://{}", server.addr);
    let response = server
        .client
        .post(server.event_url("/registrations"))
        .header("origin", same)
        .header("idempotency-key", new_key())
        .json(&registration())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let response = server
        .client
        .get(server.event_url("/registrations"))
        .header("origin", format!("http://{}", server.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

impl TestServer {
    fn storage_is_empty(&self) -> bool {
        use accredit_server::storage::Storage;
        self.storage().registrations(EVENT).unwrap().is_empty()
    }
}

#[tokio::test]
async fn posts_are_rate_limited_per_client() {
    let server = TestServer::with(|s: &mut Settings| s.rate_limit = RateLimit::PerMinute(3)).await;
    for _ in 0..3 {
        assert_eq!(server.register(&registration()).await.status(), 201);
    }
    let limited = server.register(&registration()).await;
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    problem(limited, 429, "rate_limited").await;
    problem(server.upload(pdf()).await, 429, "rate_limited").await;
    // Reads are not limited.
    assert_eq!(
        server
            .client
            .get(server.event_url(""))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

/// POSTs a registration with `X-Forwarded-For: forwarded`; its status.
async fn register_forwarded_for(server: &TestServer, forwarded: &str) -> u16 {
    server
        .client
        .post(server.event_url("/registrations"))
        .header("x-forwarded-for", forwarded)
        .header("idempotency-key", new_key())
        .json(&registration())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_last_forwarded_address_is_the_client() {
    let server = TestServer::with(|s: &mut Settings| {
        s.rate_limit = RateLimit::PerMinute(2);
        s.client_ip_header = Some(axum::http::HeaderName::from_static("x-forwarded-for"));
    })
    .await;
    // The proxy appends the address it saw; whatever a client wrote before
    // it is the client's own claim and changes nothing.
    assert_eq!(register_forwarded_for(&server, "198.51.100.7").await, 201);
    assert_eq!(
        register_forwarded_for(&server, "1.1.1.1, 198.51.100.7").await,
        201
    );
    assert_eq!(
        register_forwarded_for(&server, "2.2.2.2, 198.51.100.7").await,
        429
    );
    // Another client behind the same proxy has its own allowance.
    assert_eq!(register_forwarded_for(&server, "198.51.100.8").await, 201);
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_headers_are_ignored() {
    let server = TestServer::with(|s: &mut Settings| s.rate_limit = RateLimit::PerMinute(2)).await;
    // Every request comes from 127.0.0.1, whatever the header claims.
    assert_eq!(register_forwarded_for(&server, "198.51.100.7").await, 201);
    assert_eq!(register_forwarded_for(&server, "198.51.100.8").await, 201);
    assert_eq!(register_forwarded_for(&server, "198.51.100.9").await, 429);
}

#[tokio::test]
async fn caching_headers_protect_personal_data() {
    let server = TestServer::start().await;
    let event = server
        .client
        .get(server.event_url(""))
        .send()
        .await
        .unwrap();
    assert_eq!(
        event.headers()["cache-control"],
        "no-cache",
        "the public configuration"
    );
    assert_eq!(event.headers()["x-content-type-options"], "nosniff");
    let config: Value = event.json().await.unwrap();
    assert_eq!(config["id"], EVENT);
    for response in [
        server.register(&registration()).await,
        server.upload(pdf()).await,
        server.get_as("acc_x", "/registrations").await,
        server
            .client
            .get(server.url("/api/v1/events/nope"))
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(
            response.headers()["cache-control"],
            "no-store",
            "{}",
            response.url()
        );
    }
}

#[tokio::test]
async fn pages_have_a_strict_content_security_policy() {
    let server = TestServer::with(|s: &mut Settings| {
        s.frame_ancestors = "https://conference.example.org".into();
    })
    .await;
    let page = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert!(
        csp.ends_with("frame-ancestors https://conference.example.org"),
        "{csp}"
    );
}

#[tokio::test]
async fn api_errors_are_problem_json_never_html() {
    let server = TestServer::start().await;
    problem(
        server
            .client
            .get(server.url("/api/v1/nothing-here"))
            .send()
            .await
            .unwrap(),
        404,
        "route.unknown",
    )
    .await;
    problem(
        server
            .client
            .get(server.url("/api/v1/events/nope"))
            .send()
            .await
            .unwrap(),
        404,
        "event.unknown",
    )
    .await;
    let response = server
        .client
        .delete(server.event_url("/registrations"))
        .send()
        .await
        .unwrap();
    problem(response, 405, "method.not_allowed").await;
    let response = server
        .client
        .put(server.event_url(""))
        .send()
        .await
        .unwrap();
    problem(response, 405, "method.not_allowed").await;
}

#[tokio::test]
async fn the_document_lists_every_problem_code_and_no_other() {
    let server = TestServer::start().await;
    let doc: Value = server
        .client
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: std::collections::BTreeSet<&str> =
        doc["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
            .as_array()
            .expect("the problem's code is an enumeration")
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
    let answered: std::collections::BTreeSet<&str> = accredit_model::api::problem_code::ALL
        .iter()
        .copied()
        .collect();
    assert_eq!(
        listed, answered,
        "openapi.json and the model's problem codes differ"
    );
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 12);
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path
            .replace("{event}", EVENT)
            .replace("{id}", "00000000-0000-4000-8000-000000000000");
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = server
                .client
                .request(method.clone(), server.url(&format!("/api/v1{concrete}")))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            // A 404 is fine only when it is about the (made-up) id, not the route.
            let route_missing = status == 405 || (status == 404 && body["code"] == "route.unknown");
            assert!(!route_missing, "{method} {path} → {status} {body}");
            operations += 1;
        }
    }
    assert_eq!(operations, 16);
}

#[tokio::test]
async fn unparsable_paths_and_queries_are_problems_too() {
    let server = TestServer::start().await;
    let token = server.token();
    let response = server.get_as(&token, "/registrations?status=%FF").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(response.status(), 400);
    let response = server
        .client
        .get(server.url("/api/v1/events/%FF%FE"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert!(response.status().is_client_error());
}

#[tokio::test]
async fn with_hsts_every_response_carries_strict_transport_security() {
    let hsts = TestServer::with(|s: &mut Settings| s.hsts = true).await;
    let plain = TestServer::start().await;
    for path in [
        "/",
        "/healthz",
        "/no-such-file",
        "/api/v1/openapi.json",
        &format!("/api/v1/events/{EVENT}"),
        "/api/v1/events/nope",
    ] {
        let response = hsts.client.get(hsts.url(path)).send().await.unwrap();
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
        let response = plain.client.get(plain.url(path)).send().await.unwrap();
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_organiser_page_is_never_framed_and_widget_pages_follow_the_setting() {
    let server = TestServer::with(|s: &mut Settings| {
        s.frame_ancestors = "https://conference.example.org".into();
    })
    .await;
    std::fs::write(
        server.dist.path().join("organiser.html"),
        "<!doctype html><title>organisers</title>",
    )
    .unwrap();
    let get = |path: &str| server.client.get(server.url(path)).send();
    for path in ["/organiser.html", "/organiser%2Ehtml"] {
        let page = get(path).await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let csp = page.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.ends_with("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(page.headers()["x-frame-options"], "DENY", "{path}");
        assert!(page.text().await.unwrap().contains("organisers"));
    }
    let demo = get("/").await.unwrap();
    let csp = demo.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("frame-ancestors https://conference.example.org"),
        "{csp}"
    );
    // X-Frame-Options cannot name another site: left to the CSP.
    assert!(demo.headers().get("x-frame-options").is_none());
    // The API (the organiser's data) is never framed either.
    let api = server.get_as("acc_x", "/registrations").await;
    assert_eq!(api.headers()["x-frame-options"], "DENY");
    assert!(
        api.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );

    // The default, 'self', is said in X-Frame-Options too.
    let default = TestServer::start().await;
    let demo = default.client.get(default.url("/")).send().await.unwrap();
    assert_eq!(demo.headers()["x-frame-options"], "SAMEORIGIN");
}

fn varies_by_origin(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all("vary")
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("origin"))
}

#[tokio::test]
async fn every_api_response_varies_by_origin() {
    let server = cors_server().await;
    let c = &server.client;
    let preflight = |origin: &'static str| {
        c.request(reqwest::Method::OPTIONS, server.event_url("/registrations"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let cases = [
        ("event", c.get(server.event_url("")).send().await.unwrap()),
        (
            "unknown event",
            c.get(server.url("/api/v1/events/nope"))
                .send()
                .await
                .unwrap(),
        ),
        (
            "unknown route",
            c.get(server.url("/api/v1/nothing")).send().await.unwrap(),
        ),
        (
            "method not allowed",
            c.delete(server.event_url("")).send().await.unwrap(),
        ),
        (
            "no token",
            c.get(server.event_url("/registrations"))
                .send()
                .await
                .unwrap(),
        ),
        (
            "bad path",
            c.get(server.event_url("/registrations/%FF"))
                .send()
                .await
                .unwrap(),
        ),
        ("registration", server.register(&registration()).await),
        ("allowed preflight", preflight(ALLOWED).await.unwrap()),
        (
            "refused preflight",
            preflight("https://evil.example").await.unwrap(),
        ),
        (
            "refused origin",
            c.get(server.event_url(""))
                .header("origin", "https://evil.example")
                .send()
                .await
                .unwrap(),
        ),
    ];
    for (what, response) in cases {
        assert!(
            varies_by_origin(&response),
            "{what}: {:?}",
            response.headers()
        );
    }
}

#[tokio::test]
async fn the_same_origin_check_compares_the_scheme() {
    let direct = TestServer::start().await;
    let token = direct.token();
    let organiser_list = |server: &TestServer, origin: String, token: &str| {
        server
            .client
            .get(server.event_url("/registrations"))
            .header("origin", origin)
            .bearer_auth(token)
            .send()
    };
    let host = direct.addr.to_string();
    // Served over plain HTTP: its own origin is http://host, and a page on
    // https://host (another origin) is refused.
    let same = organiser_list(&direct, format!("http://{host}"), &token)
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
    let other = organiser_list(&direct, format!("https://{host}"), &token)
        .await
        .unwrap();
    problem(other, 403, "cors.origin_not_allowed").await;

    // Behind TLS (--hsts): its own origin is https://host.
    let tls = TestServer::with(|s: &mut Settings| s.hsts = true).await;
    let token = tls.token();
    let host = tls.addr.to_string();
    let same = organiser_list(&tls, format!("https://{host}"), &token)
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
    let other = organiser_list(&tls, format!("http://{host}"), &token)
        .await
        .unwrap();
    problem(other, 403, "cors.origin_not_allowed").await;

    // X-Forwarded-Proto counts only when the proxy's header is configured.
    let forwarded = |server: &TestServer, origin: String, token: String| {
        server
            .client
            .get(server.event_url("/registrations"))
            .header("origin", origin)
            .header("x-forwarded-proto", "https")
            .bearer_auth(token)
            .send()
    };
    let host = direct.addr.to_string();
    let ignored = forwarded(&direct, format!("https://{host}"), direct.token())
        .await
        .unwrap();
    problem(ignored, 403, "cors.origin_not_allowed").await;
    let proxied = TestServer::with(|s: &mut Settings| {
        s.proto_header = Some(axum::http::HeaderName::from_static("x-forwarded-proto"));
    })
    .await;
    let host = proxied.addr.to_string();
    let trusted = forwarded(&proxied, format!("https://{host}"), proxied.token())
        .await
        .unwrap();
    assert_eq!(trusted.status(), 200);
}
