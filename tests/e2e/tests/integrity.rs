//! The integrity chain: the host pins the loader with SRI, and the loader
//! pins everything it loads. A copy of the build with one file changed on
//! the widget's origin (its name, and so its place in the loader, kept) must
//! be refused, never run, with a message in the element.

use accredit_e2e::organiser_view::org;
use accredit_e2e::{Browser, TestServer, env_path, eventually};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The name of the organiser view's file of `role` in the build's manifest.
fn organiser_file_of(dist: &Path, role: &str) -> String {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join("manifest.json")).unwrap())
            .unwrap();
    manifest["files"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, f)| f["role"] == role)
        .map(|(name, _)| name.clone())
        .unwrap_or_else(|| panic!("no {role} file in the manifest"))
}

/// The name of the file of `role` in the build's manifest (for a catalogue,
/// the one of `lang`).
fn file_of(dist: &Path, role: &str, lang: Option<&str>) -> String {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join("manifest.json")).unwrap())
            .unwrap();
    let files = manifest["files"].as_object().unwrap();
    files
        .iter()
        .find(|(name, f)| {
            f["role"] == role
                && !name.starts_with("accredit-organiser")
                && lang.is_none_or(|l| name.contains(&format!("-{l}-")))
        })
        .map(|(name, _)| name.clone())
        .unwrap_or_else(|| panic!("no {role} file in the manifest"))
}

/// A copy of the build in which `name` has bytes added at its end that
/// keep it valid, so that only the hash can tell: a space after a script
/// or JSON, an empty custom section after a WebAssembly module. Its
/// precompressed twins are gone so the changed bytes are served.
fn tampered(dist: &Path, name: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dist).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_file() && !(file.starts_with(name) && file != name) {
            std::fs::copy(&path, copy.path().join(&file)).unwrap();
        }
    }
    let target = copy.path().join(name);
    let mut bytes = std::fs::read(&target).unwrap();
    if name.ends_with(".wasm") {
        // Section id 0 (custom), 2 bytes long: a name of 1 byte, "x".
        bytes.extend_from_slice(&[0x00, 0x02, 0x01, b'x']);
    } else {
        bytes.push(b' ');
    }
    std::fs::write(&target, bytes).unwrap();
    copy
}

/// The demo page served from `dist`, and the text of the widget's alert.
async fn refused(dist: &Path) -> (TestServer, Browser, String) {
    let server = TestServer::start_with_dist(dist.to_path_buf()).await;
    let b = Browser::start().await;
    b.client.goto(&server.url("/")).await.unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(el) = b.find_in_widget("[role=alert]").await
            && let Ok(alert) = el.text().await
        {
            return (server, b, alert);
        }
        if start.elapsed() > WAIT {
            // What the page shows instead, and what the browser said.
            let shown = b.in_widget("return root.innerHTML;", vec![]).await;
            let console = b.console().await;
            panic!("no refusal in the element after {WAIT:?}: {shown}\n{console:#?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn nothing_rendered(b: &Browser) {
    let header = b
        .in_widget(
            "return !!root.querySelector('header.accredit-event');",
            vec![],
        )
        .await;
    assert_eq!(header, false, "the widget did not start");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_glue_module_is_refused_with_a_message_in_the_element() {
    let dist = env_path("ACCREDIT_DIST");
    let copy = tampered(&dist, &file_of(&dist, "js", None));
    let (_server, b, alert) = refused(copy.path()).await;
    assert!(
        alert.contains("could not be loaded") && alert.contains("arrived changed"),
        "{alert:?}"
    );
    nothing_rendered(&b).await;
    let errors = b.console_errors().await;
    assert!(
        errors.iter().any(|e| e.message.contains("integrity")),
        "the browser names the integrity check: {errors:#?}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_webassembly_module_is_refused_with_a_message_in_the_element() {
    let dist = env_path("ACCREDIT_DIST");
    let copy = tampered(&dist, &file_of(&dist, "wasm", None));
    let (_server, b, alert) = refused(copy.path()).await;
    assert!(alert.contains("could not be loaded"), "{alert:?}");
    nothing_rendered(&b).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_module_script_is_refused_when_loading_by_script() {
    let dist = env_path("ACCREDIT_DIST");
    let copy = tampered(&dist, &file_of(&dist, "wasm-script", None));
    // The demo page, loading every file as a script.
    let page = copy.path().join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let by_script = html.replace("accredit.js\"", "accredit.js?load=script\"");
    assert_ne!(by_script, html, "the page loads by script");
    std::fs::write(&page, by_script).unwrap();
    // The precompressed copies of the page would be served instead.
    for twin in ["index.html.br", "index.html.gz"] {
        let _ = std::fs::remove_file(copy.path().join(twin));
    }
    let (_server, b, alert) = refused(copy.path()).await;
    assert!(alert.contains("could not be loaded"), "{alert:?}");
    nothing_rendered(&b).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_catalogue_is_refused_and_the_form_says_so_in_english() {
    let dist = env_path("ACCREDIT_DIST");
    let copy = tampered(&dist, &file_of(&dist, "i18n", Some("fr")));
    let server = TestServer::start_with_dist(copy.path().to_path_buf()).await;
    let b = Browser::start().await;
    b.client.goto(&server.url("/")).await.unwrap();
    b.field("focal_point.given_names").await;
    b.fill("focal_point.given_names", "Shahida").await;
    b.choose("language", "fr").await;
    let notice = b.text_of(".accredit-notice[role=status]").await;
    assert!(
        notice.contains("could not be shown in français") && notice.contains("English"),
        "{notice:?}"
    );
    let lang = b
        .in_widget("return root.querySelector('.accredit-body').lang;", vec![])
        .await;
    assert_eq!(lang, "en", "no word of the changed catalogue shown");
    let given = b.field("focal_point.given_names").await;
    assert_eq!(
        given.prop("value").await.unwrap().as_deref(),
        Some("Shahida"),
        "the answers stay"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_organiser_glue_or_module_is_refused_before_sign_in() {
    let dist = env_path("ACCREDIT_DIST");
    for role in ["organiser-js", "organiser-wasm"] {
        let copy = tampered(&dist, &organiser_file_of(&dist, role));
        let server = TestServer::start_with_dist(copy.path().to_path_buf()).await;
        let b = Browser::start().await;
        b.client.goto(&server.url("/organiser.html")).await.unwrap();
        let alert: String = eventually(&format!("the refusal of a changed {role}"), WAIT, || async {
            let alert = org(
                &b,
                "const a = root && root.querySelector('[role=alert]'); return a ? a.textContent : null;",
            )
            .await;
            alert.as_str().map(str::to_owned)
        })
        .await;
        assert!(alert.contains("could not be loaded"), "{role}: {alert:?}");
        let signed_in_form = org(&b, "return !!root.querySelector('input, button');").await;
        assert_eq!(signed_in_form, false, "{role}: the view did not start");
        b.close().await;
    }
}
