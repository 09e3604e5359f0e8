//! Embedding: `<accredit-registration>` on a hostile host page, with the
//! host page, the widget files and the API on three different loopback
//! origins, under the host's strict CSP.

use accredit_e2e::host_site::{HostSite, integrity};
use accredit_e2e::{Browser, TestServer, env_path, eventually};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Runs `script` with the widget's shadow root as `root` (and `p`, its
/// element-id prefix) and returns its value.
async fn in_widget(b: &Browser, host: &str, script: &str) -> Value {
    let wrapped = format!(
        "const root = document.getElementById(arguments[0]).shadowRoot;
         const header = root && root.querySelector('header.accredit-event');
         const p = header ? header.id.replace(/-top$/, '') : null;
         {script}"
    );
    b.client
        .execute(&wrapped, vec![host.into()])
        .await
        .unwrap_or_else(|e| panic!("script in #{host} failed: {e}"))
}

async fn rendered(b: &Browser, host: &str) -> String {
    eventually(&format!("#{host} to render"), WAIT, || async {
        let v = in_widget(b, host, "return header ? header.textContent : null;").await;
        v.as_str().map(str::to_string)
    })
    .await
}

async fn fill(b: &Browser, host: &str, path: &str, value: &str) {
    let id_suffix: String = path
        .chars()
        .filter(|c| *c != ']')
        .map(|c| if c == '[' || c == '.' { '-' } else { c })
        .collect();
    in_widget(
        b,
        host,
        &format!(
            "const el = root.getElementById(p + '-{id_suffix}');
             if (el.type === 'radio' || el.type === 'checkbox') {{ el.click(); return; }}
             el.value = {value};
             el.dispatchEvent(new Event('input', {{ bubbles: true }}));
             el.dispatchEvent(new Event('change', {{ bubbles: true }}));",
            value = serde_json::to_string(value).unwrap()
        ),
    )
    .await;
}

async fn press(b: &Browser, host: &str, text: &str) {
    in_widget(
        b,
        host,
        &format!(
            "[...root.querySelectorAll('button')].find((b) => b.textContent.includes({t})).click();",
            t = serde_json::to_string(text).unwrap()
        ),
    )
    .await;
}

async fn events(b: &Browser) -> Vec<Value> {
    b.client
        .execute("return window.accreditEvents || [];", vec![])
        .await
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The API (allowing the host site's origin), the widget files and the host
/// site, each on its own loopback origin.
struct Origins {
    api: TestServer,
    _widget: TestServer,
    site: HostSite,
    api_origin: String,
    widget_origin: String,
}

async fn three_origins(dist: &std::path::Path) -> Origins {
    let host_addr = HostSite::reserve();
    let host_origin = format!("http://{host_addr}");
    let api = TestServer::start_with(dist.to_path_buf(), &["--cors-origin", &host_origin]).await;
    let widget = TestServer::start().await;
    let (api_origin, widget_origin) = (api.url(""), widget.url(""));
    let site = HostSite::start(
        host_addr,
        &widget_origin,
        &api_origin,
        &integrity(dist, "accredit.js"),
    )
    .await;
    Origins {
        api,
        _widget: widget,
        site,
        api_origin,
        widget_origin,
    }
}

/// Sets `lang` on the element `host` and waits until the widget's body
/// reports `attr` = `want` (its `lang`, or `dir`).
async fn set_lang(b: &Browser, host: &str, lang: &str, attr: &str, want: &str) {
    b.client
        .execute(
            "document.getElementById(arguments[0]).setAttribute('lang', arguments[1]);",
            vec![host.into(), lang.into()],
        )
        .await
        .unwrap();
    eventually(&format!("#{host} in {lang}"), WAIT, || async {
        let v = in_widget(
            b,
            host,
            &format!("const body = root.querySelector('.accredit-body'); return body ? body.{attr} : null;"),
        )
        .await;
        (v.as_str() == Some(want)).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_widgets_work_on_a_hostile_page_across_three_origins_under_a_strict_csp() {
    let dist = env_path("ACCREDIT_DIST");
    let Origins {
        api, site, _widget, ..
    } = three_origins(&dist).await;
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/host-page.html", site.origin()))
        .await
        .unwrap();

    let first = rendered(&b, "first").await;
    let second = rendered(&b, "second").await;
    assert!(first.contains("Trafficking in Persons") && second.contains("Trafficking in Persons"));

    // The host's CSS is in force on the host page and absent in the widget.
    let host_input = b
        .client
        .execute(
            "return getComputedStyle(document.getElementById('host-search')).display;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(host_input, "none", "the hostile stylesheet is active");
    let inside = in_widget(
        &b,
        "first",
        "const input = root.getElementById(p + '-focal_point-given_names');
         const s = getComputedStyle(input);
         const label = getComputedStyle(root.querySelector('.accredit-label'));
         return [s.display, label.fontSize, label.color];",
    )
    .await;
    assert_eq!(inside[0], "block", "inputs keep their display: {inside}");
    assert_ne!(
        inside[1], "40px",
        "host font sizes do not reach in: {inside}"
    );
    assert_ne!(
        inside[2], "rgb(255, 0, 255)",
        "host colours do not reach in: {inside}"
    );

    // Theming through custom properties set on the element.
    let colour = |host: &'static str| {
        let b = &b;
        async move {
            in_widget(
                b,
                host,
                "return getComputedStyle(root.querySelector('.accredit-button')).backgroundColor;",
            )
            .await
        }
    };
    assert_eq!(colour("first").await, "rgb(29, 79, 145)");
    assert_eq!(
        colour("second").await,
        "rgb(122, 31, 92)",
        "--accredit-primary on the element themes it"
    );

    // The widgets are independent: an answer in one is not in the other,
    // which shows what its host element prefilled.
    fill(&b, "first", "focal_point.given_names", "Shahida").await;
    let other = in_widget(
        &b,
        "second",
        "return [root.getElementById(p + '-focal_point-given_names').value,
                 root.getElementById(p + '-focal_point-email').value];",
    )
    .await;
    assert_eq!(other, serde_json::json!(["Mariam", "mariam@mofa.example"]));

    // The third widget took its configuration from the inline script.
    let third = rendered(&b, "third").await;
    assert!(third.contains("Inline configuration"), "got {third:?}");

    // A whole registration through the first widget, cross-origin to the API.
    fill(&b, "first", "delegation.kind-ngo", "").await;
    fill(&b, "first", "delegation.organisation", "Sahil Foundation").await;
    fill(&b, "first", "focal_point.family_name", "Gilani").await;
    fill(&b, "first", "focal_point.email", "shahida@sahil.example").await;
    fill(&b, "first", "focal_point.phone", "+92 51 920 1234").await;
    press(&b, "first", "Continue").await;
    eventually("the roster", WAIT, || async {
        let v = in_widget(
            &b,
            "first",
            "return !!root.getElementById(p + '-members-0-given_names');",
        )
        .await;
        v.as_bool().filter(|x| *x)
    })
    .await;
    for (path, value) in [
        ("members[0].given_names", "Ahsan"),
        ("members[0].category", "observer"),
        ("members[0].function", "Programme Officer"),
        ("members[0].institution", "Sahil Foundation"),
        ("members[0].nationality", "PK"),
        ("members[0].email", "ahsan@sahil.example"),
    ] {
        fill(&b, "first", path, value).await;
    }
    press(&b, "first", "Continue").await;
    eventually("the review", WAIT, || async {
        let v = in_widget(
            &b,
            "first",
            "return !!root.getElementById(p + '-consent-data_processing');",
        )
        .await;
        v.as_bool().filter(|x| *x)
    })
    .await;
    fill(&b, "first", "consent.data_processing", "").await;
    press(&b, "first", "Submit the registration").await;
    let reference = eventually("the reference", WAIT, || async {
        let v = in_widget(
            &b,
            "first",
            "const r = root.querySelector('.accredit-reference'); return r ? r.textContent : null;",
        )
        .await;
        v.as_str().map(str::to_string)
    })
    .await;

    // The host page heard every event, from the right element.
    let heard = events(&b).await;
    let ready: Vec<_> = heard
        .iter()
        .filter(|e| e["type"] == "accredit:ready")
        .map(|e| e["target"].clone())
        .collect();
    for host in ["first", "second", "third"] {
        assert!(
            ready.contains(&host.into()),
            "ready from #{host}: {heard:?}"
        );
    }
    let submitted = heard
        .iter()
        .find(|e| e["type"] == "accredit:submitted")
        .expect("accredit:submitted");
    assert_eq!(submitted["target"], "first");
    assert_eq!(submitted["detail"]["reference"], reference.as_str());
    assert_eq!(api.registrations().await.len(), 1);

    // A new `lang` on the element re-renders it in French; answers stay.
    set_lang(&b, "second", "fr", "lang", "fr").await;
    let kept = in_widget(
        &b,
        "second",
        "return root.getElementById(p + '-focal_point-given_names').value;",
    )
    .await;
    assert_eq!(kept, "Mariam");

    let errors = b.console_errors().await;
    assert!(
        errors.is_empty(),
        "no CSP violation or other error: {errors:#?}"
    );
    b.screenshot("embedded-hostile-page").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_loader_is_refused_by_subresource_integrity() {
    let dist = env_path("ACCREDIT_DIST");
    let host_addr = HostSite::reserve();
    let api = TestServer::start().await;
    let widget = TestServer::start().await;
    // The integrity of another file stands for a changed loader.
    let wrong = integrity(&dist, "index.html");
    let site = HostSite::start(host_addr, &widget.url(""), &api.url(""), &wrong).await;
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/host-page.html", site.origin()))
        .await
        .unwrap();
    let errors = eventually("the integrity error", WAIT, || async {
        let errors = b.console_errors().await;
        (!errors.is_empty()).then_some(errors)
    })
    .await;
    assert!(
        errors.iter().any(|e| e.message.contains("integrity")),
        "the browser names the integrity check: {errors:#?}"
    );
    let defined = b
        .client
        .execute(
            "return !!customElements.get('accredit-registration');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(defined, false, "nothing from the tampered file ran");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_load_script_the_widget_needs_no_fetch_from_its_own_origin() {
    let dist = env_path("ACCREDIT_DIST");
    // Every server is kept alive (bound) until the end of the test.
    let Origins {
        api: _api,
        site,
        api_origin,
        widget_origin,
        _widget,
    } = three_origins(&dist).await;
    // The CSP of the issue: the widget's origin may serve scripts and
    // styles, only the API may answer requests.
    site.edit("host-page.html", |page| {
        let strict = page
            .replace(
                &format!("connect-src {api_origin} {widget_origin};"),
                &format!("connect-src {api_origin};"),
            )
            .replace("/accredit.js\"", "/accredit.js?load=script\"");
        assert!(
            strict.contains(&format!("connect-src {api_origin};"))
                && strict.contains("?load=script"),
            "the page was tightened"
        );
        strict
    });
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/host-page.html", site.origin()))
        .await
        .unwrap();
    let header = rendered(&b, "first").await;
    assert!(header.contains("Trafficking in Persons"));
    // A catalogue arrives as a script too.
    set_lang(&b, "second", "ar", "dir", "rtl").await;
    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "nothing refused by the CSP: {errors:#?}");
    b.close().await;
}
