//! `cargo xtask serve` shows the demo page with the widget mounted through
//! `<accredit-registration>` (what README tells web teams to embed), and the
//! browser console stays clean (no CSP violation, no failed load, no panic).
//! The plain `[data-accredit]` element is mounted on the same page too.

use accredit_e2e::{Browser, TestServer, eventually};
use fantoccini::Locator;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn demo_page_mounts_the_widget_without_console_errors() {
    let server = TestServer::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url("/")).await.unwrap();

    let heading = eventually(
        "the event name to render",
        Duration::from_secs(20),
        || async {
            let el = browser.find_in_widget(".accredit-event__name").await?;
            el.text().await.ok()
        },
    )
    .await;
    assert!(
        heading.contains("Trafficking in Persons"),
        "the widget shows the demo event, got {heading:?}"
    );
    // It is the custom element, with the form in its shadow root.
    let in_shadow = browser
        .client
        .execute(
            "const el = document.querySelector('accredit-registration');
             return !!(el && el.shadowRoot && el.shadowRoot.querySelector('.accredit-event__name'))
               && !document.querySelector('.accredit-event__name');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        in_shadow, true,
        "the demo page embeds <accredit-registration>"
    );

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    // What the page asked for before the form was ready: the loader, the
    // glue (which carries the styles), the module and the event; nothing
    // else (English needs no catalogue).
    let before_ready = browser
        .client
        .execute(
            "const ready = performance.getEntriesByName('accredit:ready')[0].startTime;
             return performance.getEntriesByType('resource')
               .filter((r) => r.startTime < ready)
               .map((r) => new URL(r.name).pathname);",
            vec![],
        )
        .await
        .unwrap();
    let paths: Vec<&str> = before_ready
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert_eq!(paths.len(), 4, "requests before first render: {paths:?}");
    assert!(paths[0].ends_with("/accredit.js"), "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with(".wasm")), "{paths:?}");
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("/events/islamabad-tip-som")),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.ends_with(".css")), "{paths:?}");
    browser.screenshot("demo-page").await;
    browser.close().await;
}

/// The plain element (no shadow root) on the demo page: the loader mounts
/// it, and it is a working form.
#[tokio::test(flavor = "multi_thread")]
async fn a_plain_element_on_the_demo_page_is_a_working_form() {
    let server = TestServer::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url("/")).await.unwrap();
    browser
        .client
        .execute(
            r#"const el = document.createElement("div");
               el.dataset.accredit = ""; el.dataset.endpoint = "/api/v1"; el.dataset.event = "islamabad-tip-som";
               el.id = "plain"; document.body.append(el);
               return import("/accredit.js").then((m) => m.mountAll());"#,
            vec![],
        )
        .await
        .unwrap();
    // Continue with nothing: the plain element's own error summary.
    let summary = eventually("the plain form", Duration::from_secs(20), || async {
        browser
            .client
            .execute(
                "const form = document.querySelector('#plain .accredit-body');
                 if (!form) return null;
                 [...form.querySelectorAll('button')].find((b) => b.textContent.includes('Continue')).click();
                 const s = document.querySelector('#plain .accredit-error-summary');
                 return s ? s.textContent : null;",
                vec![],
            )
            .await
            .ok()?
            .as_str()
            .map(str::to_string)
    })
    .await;
    assert!(summary.contains("There is a problem"), "{summary}");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_event_is_explained_inside_the_widget() {
    let server = TestServer::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url("/")).await.unwrap();
    // Point the mount element at an event that does not exist, then mount it again.
    browser
        .client
        .execute(
            r#"const el = document.createElement("div");
               el.dataset.accredit = ""; el.dataset.endpoint = "/api/v1"; el.dataset.event = "no-such-event";
               el.id = "second"; document.body.append(el);
               return import("/accredit.js").then((m) => m.mountAll());"#,
            vec![],
        )
        .await
        .unwrap();
    let alert = eventually("the not-found message", Duration::from_secs(20), || async {
        let el = browser
            .client
            .find(Locator::Css("#second [role=alert]"))
            .await
            .ok()?;
        el.text().await.ok()
    })
    .await;
    assert!(alert.contains("could not be found"), "got {alert:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_module_that_cannot_load_is_explained_inside_the_element() {
    // A copy of the build whose WebAssembly module is missing.
    let dist = accredit_e2e::env_path("ACCREDIT_DIST");
    let broken = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains(".wasm") {
            std::fs::copy(&path, broken.path().join(&name)).unwrap();
        }
    }
    let server = TestServer::start_with_dist(broken.path().to_path_buf()).await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url("/")).await.unwrap();
    // The demo page's custom element says so inside its shadow root…
    let alert = eventually("the failure message", Duration::from_secs(20), || async {
        let el = browser.find_in_widget("[role=alert]").await?;
        el.text().await.ok()
    })
    .await;
    assert!(alert.contains("could not be loaded"), "got {alert:?}");
    // …and a plain element says so in itself.
    browser
        .client
        .execute(
            r#"const el = document.createElement("div");
               el.dataset.accredit = ""; el.dataset.event = "islamabad-tip-som";
               document.body.append(el);
               import("/accredit.js").then((m) => m.mountAll()).catch(() => {});"#,
            vec![],
        )
        .await
        .unwrap();
    let alert = eventually(
        "the plain element's message",
        Duration::from_secs(20),
        || async {
            let el = browser
                .client
                .find(Locator::Css("[data-accredit][role=alert]"))
                .await
                .ok()?;
            el.text().await.ok()
        },
    )
    .await;
    assert!(alert.contains("could not be loaded"), "got {alert:?}");
    browser.close().await;
}
