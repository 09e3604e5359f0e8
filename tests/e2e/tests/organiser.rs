//! The organiser view against the real server: 500 registrations seeded
//! through the API, sign-in, filters, a decision, a CSV export checked row
//! by row, the print views, XSS payloads shown as text, and axe-core.

use accredit_e2e::organiser_view::{
    assert_accessible, assert_no_console_errors, count_shown, decode_qr, org, pdf_words, press,
    print_pdf, set, sign_in, status_of, text, total, wait_for_text,
};
use accredit_e2e::seed;
use accredit_e2e::{Browser, EVENT, TestServer, eventually};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Types into the search box with real key presses.
async fn type_search(b: &Browser, text: &str) {
    org(b, "root.getElementById('org-q').focus();").await;
    b.keys(text).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn organisers_filter_decide_export_and_print_500_registrations() {
    let server = TestServer::start_with(
        accredit_e2e::env_path("ACCREDIT_DIST"),
        &["--rate-limit", "off"],
    )
    .await;
    let references = seed::seed(&server, 500, 2).await;
    assert_eq!(references.len(), 500);
    let token = server.organiser_token();
    let b = Browser::start().await;
    b.client.goto(&server.url("/organiser.html")).await.unwrap();
    b.client
        .execute(
            "window.organiserEvents = [];
             for (const name of ['accredit:ready', 'accredit:status-changed', 'accredit:exported', 'accredit:signed-out'])
               document.addEventListener(name, (e) => organiserEvents.push({ name, detail: e.detail }));",
            vec![],
        )
        .await
        .unwrap();

    // A wrong token is refused with a specific message.
    sign_in(&b, "acc_not-a-real-token").await;
    wait_for_text(&b, "This token is not accepted for this event").await;
    assert_accessible(&b, "sign-in with an error").await;

    sign_in(&b, &token).await;
    wait_for_text(&b, "500registrations").await;
    wait_for_text(&b, "1,000participants").await;
    b.screenshot("organiser-dashboard").await;
    assert_accessible(&b, "dashboard").await;

    // The delegations table, filtered with real keystrokes: the count on
    // screen is the server's own answer to the same filter.
    press(&b, "Delegations").await;
    type_search(&b, "Rahimi").await;
    let expected = total(&server, &token, "q=Rahimi").await;
    assert!(expected > 0 && expected < 500);
    let shown = eventually("the filtered count", WAIT, || async {
        let shown = count_shown(&b).await;
        shown
            .starts_with(&format!("{expected} delegation"))
            .then_some(shown)
    })
    .await;
    eventually("the URL hash to keep the filter", WAIT, || async {
        let hash = b
            .client
            .execute("return location.hash;", vec![])
            .await
            .ok()?;
        hash.as_str()?.contains("q=Rahimi").then_some(())
    })
    .await;
    set(&b, "org-status", "pending").await;
    set(&b, "org-kind", "member_state").await;
    let expected = total(&server, &token, "q=Rahimi&status=pending&kind=member_state").await;
    eventually("the count with three filters", WAIT, || async {
        count_shown(&b)
            .await
            .starts_with(&format!("{expected} delegation"))
            .then_some(())
    })
    .await;
    assert_ne!(shown, count_shown(&b).await);

    // A row expands to its members; then the first delegation is approved.
    org(&b, "root.querySelector('.org-expand').click();").await;
    let expanded = org(
        &b,
        "return root.querySelector('.org-expand').getAttribute('aria-expanded');",
    )
    .await;
    assert_eq!(expanded, "true");
    assert_accessible(&b, "delegations, filtered, a row expanded").await;
    let reference = org(
        &b,
        "return root.querySelector('.org-row .org-reference').textContent;",
    )
    .await
    .as_str()
    .unwrap()
    .to_owned();
    press(&b, "Review").await;
    wait_for_text(&b, "Audit trail").await;
    assert_accessible(&b, "registration detail").await;
    org(&b, "root.getElementById('org-decision-approved').click();").await;
    set(&b, "org-note", "Credentials verified by Protocol").await;
    press(&b, "Save decision").await;
    wait_for_text(&b, "Pending → Approved").await;
    assert_eq!(status_of(&server, &token, &reference).await, "approved");
    let events = b
        .client
        .execute("return organiserEvents.map((e) => e.name);", vec![])
        .await
        .unwrap();
    assert!(
        events.to_string().contains("accredit:status-changed"),
        "{events}"
    );

    // The session ends (a token no longer accepted): signing in again comes
    // back to the same filters.
    press(&b, "Back to the delegations").await;
    eventually("the URL hash to close the detail", WAIT, || async {
        let hash = b
            .client
            .execute("return location.hash;", vec![])
            .await
            .ok()?;
        (!hash.as_str()?.contains("open=")).then_some(())
    })
    .await;
    b.client
        .execute(
            "for (const k of Object.keys(sessionStorage)) sessionStorage.setItem(k, 'acc_revoked');",
            vec![],
        )
        .await
        .unwrap();
    b.client.refresh().await.unwrap();
    wait_for_text(&b, "Your session has ended").await;
    sign_in(&b, &token).await;
    eventually("the same filters after signing in again", WAIT, || async {
        let q = org(
            &b,
            "const q = root.getElementById('org-q'); return q ? q.value : null;",
        )
        .await;
        let status = org(
            &b,
            "const s = root.getElementById('org-status'); return s ? s.value : null;",
        )
        .await;
        (q == "Rahimi" && status == "pending").then_some(())
    })
    .await;

    // Export the Member States' participants as CSV through the view: the
    // file holds exactly their participants, in protocol order.
    press(&b, "Clear filters").await;
    set(&b, "org-kind", "member_state").await;
    press(&b, "Participants (CSV)").await;
    let today = b
        .client
        .execute(
            "const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');",
            vec![],
        )
        .await
        .unwrap();
    let file = b.downloads().join(format!(
        "{EVENT}-participants-{}.csv",
        today.as_str().unwrap()
    ));
    let csv = eventually("the CSV download", WAIT, || {
        let file = file.clone();
        async move {
            std::fs::read_to_string(&file)
                .ok()
                .filter(|s| s.ends_with('\n'))
        }
    })
    .await;
    let mut records = accredit_test_support::csv_records(&csv).into_iter();
    let header = records.next().unwrap();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = records.collect();
    let states = total(&server, &token, "kind=member_state").await;
    assert_eq!(
        rows.len(),
        states * 2,
        "two participants per Member State delegation"
    );
    assert!(
        rows.iter()
            .all(|r| r[col("delegation_kind")] == "member_state")
    );
    // Protocol order, written out by hand for the demo's invited States:
    // English short names, accents ignored (Türkiye with the Ts).
    const PROTOCOL_ORDER: [&str; 23] = [
        "Afghanistan",
        "Australia",
        "Austria",
        "Bahrain",
        "Czechia",
        "Greece",
        "Hungary",
        "Indonesia",
        "Iran (Islamic Republic of)",
        "Iraq",
        "Italy",
        "Kuwait",
        "Malaysia",
        "Oman",
        "Pakistan",
        "Qatar",
        "Russian Federation",
        "Saudi Arabia",
        "Spain",
        "Thailand",
        "Türkiye",
        "United Arab Emirates",
        "United States of America",
    ];
    let places: Vec<usize> = rows
        .iter()
        .map(|r| {
            let country = &r[col("country")];
            PROTOCOL_ORDER
                .iter()
                .position(|c| c == country)
                .unwrap_or_else(|| panic!("{country} is not an invited State"))
        })
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] <= w[1]),
        "countries in protocol order: {places:?}"
    );
    for pair in rows.chunks(2) {
        assert_eq!(
            pair[0][col("category")],
            "head_of_delegation",
            "the head first: {pair:?}"
        );
    }

    // The provisional list and the badge sheets, on screen and printed.
    press(&b, "List of participants").await;
    wait_for_text(&b, "Provisional list of participants").await;
    assert_accessible(&b, "list of participants").await;
    b.screenshot("organiser-participants").await;
    let pdf = print_pdf(&b, "organiser-participants").await;
    // The printed words, read back by poppler: the title, and the first
    // and last delegations on screen, in that order.
    let printed = pdf_words(&pdf);
    assert!(
        printed.contains("Provisional list of participants"),
        "{printed:.300}"
    );
    let names = org(
        &b,
        "const heads = [...root.querySelectorAll('.org-print-list__delegation th[scope=rowgroup]')];
         return [heads[0], heads[heads.length - 1]].map((h) => h.firstChild.textContent.trim());",
    )
    .await;
    let (first, last) = (names[0].as_str().unwrap(), names[1].as_str().unwrap());
    let at = |name: &str| {
        printed
            .find(name)
            .unwrap_or_else(|| panic!("{name:?} is not in the printed list"))
    };
    assert!(
        at(first) < printed.rfind(last).unwrap_or_else(|| at(last)),
        "{first} before {last}"
    );
    press(&b, "Badges").await;
    eventually("badges", WAIT, || async {
        org(&b, "return root.querySelectorAll('.org-badge').length;")
            .await
            .as_u64()
            .filter(|n| *n == 200)
    })
    .await;
    let qr = org(
        &b,
        "return root.querySelectorAll('.org-badge__qr path').length;",
    )
    .await;
    assert_eq!(qr, 200, "every badge has a QR code");
    // The codes say the right thing: a few of them, each decoded from
    // pixels to a reference the seed registered.
    for n in [0, 1, 199] {
        let reference = decode_qr(&b, n).await;
        assert!(
            references.contains(&reference),
            "QR code {n} says {reference:?}"
        );
    }
    assert_accessible(&b, "badges").await;
    b.screenshot("organiser-badges").await;
    let pdf = print_pdf(&b, "organiser-badges").await;
    assert!(pdf.starts_with(b"%PDF"));

    assert_no_console_errors(&b, "at the end").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn values_are_shown_as_text_and_never_run() {
    let server = TestServer::start().await;
    let payloads = [
        "<img src=x onerror=\"window.__xss=1\">",
        "<script>window.__xss=2</script>",
        "\"><svg onload=window.__xss=3>",
    ];
    let client = reqwest::Client::new();
    let mut stored = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let mut r = seed::registration(9, 2);
        r["delegation"]["organisation"] = Value::from(format!("NGO {p}"));
        r["members"][0]["function"] = Value::from(*p);
        r["members"][0]["institution"] = Value::from(*p);
        r["members"][1]["accessibility"] = Value::from(*p);
        r["members"][1]["dietary"] = Value::from(*p);
        let (status, body) =
            seed::post(&client, &server, &format!("xss-registration-{i:04}"), &r).await;
        assert_eq!(status, 201, "{body}");
        stored.push(*p);
    }
    let token = server.organiser_token();
    let b = Browser::start().await;
    b.client.goto(&server.url("/organiser.html")).await.unwrap();
    sign_in(&b, &token).await;
    wait_for_text(&b, "3registrations").await;
    for tab in ["Delegations", "List of participants", "Badges"] {
        press(&b, tab).await;
        if tab == "List of participants" {
            // These delegations did not agree to be listed: show them anyway.
            org(&b, "root.getElementById('org-consenting').click();").await;
        }
        for p in &stored {
            wait_for_text(&b, p).await;
        }
    }
    press(&b, "Delegations").await;
    press(&b, "Review").await;
    wait_for_text(&b, "Audit trail").await;
    // Protocol order puts `NGO "><svg…` first (`"` sorts before `<`); its
    // detail shows the payload in the name, function, institution and needs.
    let svg = stored[2];
    wait_for_text(&b, &format!("NGO {svg}")).await;
    let shown = text(&b).await.matches(svg).count();
    assert!(
        shown >= 5,
        "the payload appears as text in every field ({shown})"
    );
    let injected = org(
        &b,
        "return [window.__xss ?? null, root.querySelectorAll('script, img[src=x], svg[onload]').length];",
    )
    .await;
    assert_eq!(
        injected,
        serde_json::json!([null, 0]),
        "a payload ran or became markup"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delegates_never_download_organiser_code() {
    let server = TestServer::start().await;
    let b = Browser::start().await;
    b.client.goto(&server.url("/")).await.unwrap();
    eventually("the registration form", WAIT, || async {
        b.client
            .execute("return performance.getEntriesByType('resource').some((r) => r.name.endsWith('.wasm'));", vec![])
            .await
            .ok()?
            .as_bool()
            .filter(|x| *x)
    })
    .await;
    let organiser = b
        .client
        .execute(
            "return performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.includes('organiser'));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(organiser, serde_json::json!([]));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn photos_and_credentials_letters_are_fetched_with_the_token() {
    let server = TestServer::start().await;
    let b = Browser::start().await;
    b.client.goto(&server.url("/organiser.html")).await.unwrap();
    // A 400 × 500 PNG photo and a PDF letter, uploaded as the widget does.
    let ids = b
        .client
        .execute_async(
            "const [event, done] = arguments;
             const upload = (body) => fetch(`/api/v1/events/${event}/attachments`, { method: 'POST', body })
               .then((r) => r.json()).then((j) => j.id);
             const c = document.createElement('canvas'); c.width = 400; c.height = 500;
             const g = c.getContext('2d'); g.fillStyle = '#4a6fa5'; g.fillRect(0, 0, 400, 500);
             c.toBlob((png) => Promise.all([
               upload(png),
               upload(new Blob(['%PDF-1.4\\n1 0 obj << /Type /Catalog >> endobj\\ntrailer << /Root 1 0 R >>\\n%%EOF\\n'])),
             ]).then(done), 'image/png');",
            vec![EVENT.into()],
        )
        .await
        .unwrap();
    let (photo, letter) = (ids[0].as_str().unwrap(), ids[1].as_str().unwrap());
    let mut r = seed::registration(0, 2);
    r["members"][0]["photo"] = Value::from(photo);
    r["delegation"]["credentials_letter"] = Value::from(letter);
    let (status, body) = seed::post(
        &reqwest::Client::new(),
        &server,
        "registration-with-photo-1",
        &r,
    )
    .await;
    assert_eq!(status, 201, "{body}");

    sign_in(&b, &server.organiser_token()).await;
    wait_for_text(&b, "1registrations").await;
    press(&b, "Badges").await;
    let width = "const img = root.querySelector('img.org-photo');
                 return img && img.complete && img.src.startsWith('blob:') ? img.naturalWidth : null;";
    let shown = eventually("the photo on the badge", WAIT, || async {
        org(&b, width).await.as_u64()
    })
    .await;
    assert_eq!(shown, 400);
    press(&b, "Delegations").await;
    press(&b, "Review").await;
    let shown = eventually("the photo in the detail", WAIT, || async {
        org(&b, width).await.as_u64()
    })
    .await;
    assert_eq!(shown, 400);
    let href = eventually("the credentials letter", WAIT, || async {
        org(
            &b,
            "const a = [...root.querySelectorAll('a')].find((a) => a.textContent.includes('credentials letter'));
             return a ? a.href : null;",
        )
        .await
        .as_str()
        .map(str::to_owned)
    })
    .await;
    assert!(href.starts_with("blob:"), "{href}");
    assert_accessible(&b, "registration detail with a photo").await;
    b.screenshot("organiser-detail").await;
    b.close().await;
}

/// The references of the delegations on the current page, and the page
/// indicator ("Page 2 of 3").
async fn page_shown(b: &Browser) -> (Vec<String>, String) {
    let shown = org(
        b,
        "return [[...root.querySelectorAll('.org-row .org-reference')].map((r) => r.textContent),
                 (root.querySelector('.org-pages__where') || {}).textContent || ''];",
    )
    .await;
    let references = shown[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    (references, shown[1].as_str().unwrap().to_owned())
}

/// The pager's buttons: (label, disabled) for "Previous page" and "Next page".
async fn pager_buttons(b: &Browser) -> Value {
    org(
        b,
        "return [...root.querySelectorAll('.org-pages button')].map((x) => [x.textContent.trim(), x.disabled]);",
    )
    .await
}

/// Waits for page `n` of 3, with `rows` rows, and returns its references.
async fn wait_for_page(b: &Browser, n: usize, rows: usize) -> Vec<String> {
    let want = format!("Page {n} of 3");
    eventually(&want, WAIT, || async {
        let (references, where_) = page_shown(b).await;
        (where_ == want && references.len() == rows).then_some(references)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pager_reaches_every_delegation_forward_and_back() {
    let server = TestServer::start_with(
        accredit_e2e::env_path("ACCREDIT_DIST"),
        &["--rate-limit", "off"],
    )
    .await;
    // 65 delegations at 25 a page: pages of 25, 25 and 15.
    let references = seed::seed(&server, 65, 1).await;
    let b = Browser::start().await;
    b.client.goto(&server.url("/organiser.html")).await.unwrap();
    sign_in(&b, &server.organiser_token()).await;
    wait_for_text(&b, "65registrations").await;
    press(&b, "Delegations").await;

    let first = wait_for_page(&b, 1, 25).await;
    assert_eq!(
        pager_buttons(&b).await,
        serde_json::json!([["Previous page", true], ["Next page", false]]),
        "on the first page only “Next page” can be pressed, and it says just that"
    );
    press(&b, "Next page").await;
    let second = wait_for_page(&b, 2, 25).await;
    assert_eq!(
        pager_buttons(&b).await,
        serde_json::json!([["Previous page", false], ["Next page", false]])
    );
    press(&b, "Next page").await;
    let third = wait_for_page(&b, 3, 15).await;
    assert_eq!(
        pager_buttons(&b).await,
        serde_json::json!([["Previous page", false], ["Next page", true]])
    );

    // Every delegation on exactly one page.
    let mut seen: Vec<String> = [&first, &second, &third]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    seen.sort();
    seen.dedup();
    let mut all = references.clone();
    all.sort();
    assert_eq!(
        seen, all,
        "the three pages hold the 65 delegations once each"
    );

    // And back again, to the same pages.
    press(&b, "Previous page").await;
    assert_eq!(wait_for_page(&b, 2, 25).await, second);
    press(&b, "Previous page").await;
    assert_eq!(wait_for_page(&b, 1, 25).await, first);
    eventually("the URL hash to follow the page", WAIT, || async {
        let hash = b
            .client
            .execute("return location.hash;", vec![])
            .await
            .ok()?;
        (!hash.as_str()?.contains("page=")).then_some(())
    })
    .await;
    b.close().await;
}
