//! The organiser view in Arabic and in French against the real server:
//! the language chosen in the header, sign-in, a filter kept through a
//! switch of language, a decision, an export and the printed list,
//! axe-core clean in every state; Arabic laid out right to left with
//! references left to right; badges in the event's badge language. The
//! expected words are written here by hand, not read from the catalogues
//! under test.

use accredit_e2e::organiser_view::{
    assert_accessible, count_shown, line_with, org, pdf_lines, press, press_when_shown, print_pdf,
    set, sign_in_pressing, status_of, text, total, wait_for_text,
};
use accredit_e2e::seed;
use accredit_e2e::{Browser, TestServer, eventually};
use accredit_model::digits::with_ascii_digits;
use serde_json::{Value, json};
use std::time::Duration;
use unicode_normalization::UnicodeNormalization;

const WAIT: Duration = Duration::from_secs(30);

/// What an organiser reads in one language.
struct Words {
    lang: &'static str,
    dir: &'static str,
    sign_in: &'static str,
    dashboard: &'static str,
    delegations: &'static str,
    participants: &'static str,
    badges: &'static str,
    review: &'static str,
    save: &'static str,
    approved: &'static str,
    clear_filters: &'static str,
    export_csv: &'static str,
    list_title: &'static str,
    filtered_list: &'static str,
    filtered_tabs: &'static str,
}

const FRENCH: Words = Words {
    lang: "fr",
    dir: "ltr",
    sign_in: "Se connecter",
    dashboard: "Tableau de bord",
    delegations: "Délégations",
    participants: "Liste des participants",
    badges: "Badges",
    review: "Examiner",
    save: "Enregistrer la décision",
    approved: "Approuvée",
    clear_filters: "Effacer les filtres",
    export_csv: "Participants (CSV)",
    list_title: "Liste provisoire des participants",
    filtered_list: "Liste filtrée",
    filtered_tabs: "Filtres appliqués à tous les onglets",
};

const ARABIC: Words = Words {
    lang: "ar",
    dir: "rtl",
    sign_in: "تسجيل الدخول",
    dashboard: "لوحة المتابعة",
    delegations: "الوفود",
    participants: "قائمة المشاركين",
    badges: "الشارات",
    review: "مراجعة",
    save: "حفظ القرار",
    approved: "موافَق عليه",
    clear_filters: "مسح عوامل التصفية",
    export_csv: "المشاركون (CSV)",
    list_title: "القائمة المؤقتة للمشاركين",
    filtered_list: "قائمة مصفّاة",
    filtered_tabs: "عوامل التصفية المطبَّقة على جميع علامات التبويب",
};

/// `script`'s answer as a string ("" when it is not one).
async fn string(b: &Browser, script: &str) -> String {
    org(b, script).await.as_str().unwrap_or_default().to_owned()
}

async fn run_in(words: &Words) {
    let lang = words.lang;
    let server = TestServer::start_with(
        accredit_e2e::env_path("ACCREDIT_DIST"),
        &["--rate-limit", "off"],
    )
    .await;
    seed::seed(&server, 30, 2).await;
    // A delegation named in Arabic script, head first, for the printed list.
    let mut kuwait = seed::registration(0, 2);
    kuwait["delegation"]["country"] = json!("KW");
    for (m, (given, family, badge)) in [
        ("عبد الله", "الصباح", "Abdullah Al-Sabah"),
        ("فاطمة", "العلي", "Fatima Al-Ali"),
    ]
    .into_iter()
    .enumerate()
    {
        kuwait["members"][m]["given_names"] = json!(given);
        kuwait["members"][m]["family_name"] = json!(family);
        kuwait["members"][m]["badge_name"] = json!(badge);
    }
    kuwait["consent"]["participant_list"] = json!(true);
    let (status, body) = seed::post(
        &reqwest::Client::new(),
        &server,
        "kuwait-arabic-names",
        &kuwait,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let token = server.organiser_token();
    let b = Browser::start().await;
    b.client.goto(&server.url("/organiser.html")).await.unwrap();

    // The language is chosen in the header, before signing in.
    eventually("the language switcher", WAIT, || async {
        org(
            &b,
            "return !!(root && root.getElementById('org-language'));",
        )
        .await
        .as_bool()
        .filter(|shown| *shown)
    })
    .await;
    set(&b, "org-language", lang).await;
    wait_for_text(&b, words.sign_in).await;
    let (shown_lang, direction) = eventually("the view's language", WAIT, || async {
        let found = org(
            &b,
            "const l = root.querySelector('.org-lang');
             return l ? [l.lang, getComputedStyle(l).direction] : null;",
        )
        .await;
        Some((found[0].as_str()?.to_owned(), found[1].as_str()?.to_owned()))
    })
    .await;
    assert_eq!((shown_lang.as_str(), direction.as_str()), (lang, words.dir));
    assert_accessible(&b, &format!("{lang}: sign-in")).await;
    b.screenshot(&format!("organiser-{lang}-sign-in")).await;

    sign_in_pressing(&b, &token, words.sign_in).await;
    wait_for_text(&b, words.dashboard).await;
    eventually("31 registrations on the dashboard", WAIT, || async {
        with_ascii_digits(&text(&b).await)
            .contains("31")
            .then_some(())
    })
    .await;
    assert_accessible(&b, &format!("{lang}: dashboard")).await;
    b.screenshot(&format!("organiser-{lang}-dashboard")).await;

    // A filter: the count on screen (in the language's digits) is the
    // server's answer to the same filter.
    press(&b, words.delegations).await;
    set(&b, "org-status", "pending").await;
    set(&b, "org-kind", "member_state").await;
    let expected = total(&server, &token, "status=pending&kind=member_state").await;
    assert!(expected > 0 && expected < 31, "{expected}");
    eventually("the filtered count", WAIT, || async {
        let shown = with_ascii_digits(&count_shown(&b).await);
        shown
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n == expected.to_string())
            .then_some(())
    })
    .await;
    // Switching language rebuilds the view and keeps the filters.
    set(&b, "org-language", "en").await;
    wait_for_text(&b, "Filters in force on every tab").await;
    set(&b, "org-language", lang).await;
    wait_for_text(&b, words.filtered_tabs).await;
    let kept = org(
        &b,
        "return [root.getElementById('org-status').value, root.getElementById('org-kind').value];",
    )
    .await;
    assert_eq!(
        kept,
        serde_json::json!(["pending", "member_state"]),
        "{lang}"
    );
    // References read left to right in every language.
    let reference_direction = string(
        &b,
        "return getComputedStyle(root.querySelector('.org-row .org-reference')).direction;",
    )
    .await;
    assert_eq!(reference_direction, "ltr");
    assert_accessible(&b, &format!("{lang}: delegations, filtered")).await;
    b.screenshot(&format!("organiser-{lang}-delegations")).await;

    // A decision, saved in the view and confirmed by the API.
    let reference = string(
        &b,
        "return root.querySelector('.org-row .org-reference').textContent;",
    )
    .await;
    press(&b, words.review).await;
    eventually("the decision form", WAIT, || async {
        org(&b, "return !!root.getElementById('org-decision-approved');")
            .await
            .as_bool()
            .filter(|shown| *shown)
    })
    .await;
    assert_accessible(&b, &format!("{lang}: registration detail")).await;
    org(&b, "root.getElementById('org-decision-approved').click();").await;
    press(&b, words.save).await;
    wait_for_text(&b, words.approved).await;
    assert_eq!(status_of(&server, &token, &reference).await, "approved");
    b.screenshot(&format!("organiser-{lang}-detail")).await;

    // The filters follow to the list of participants, which says so.
    press(&b, words.participants).await;
    wait_for_text(&b, words.list_title).await;
    wait_for_text(&b, words.filtered_list).await;
    assert_accessible(&b, &format!("{lang}: list of participants, filtered")).await;
    press(&b, words.clear_filters).await;
    eventually("the list no longer filtered", WAIT, || async {
        (!text(&b).await.contains(words.filtered_list)).then_some(())
    })
    .await;
    // Delegations that did not agree to be listed are left off, and
    // rejected ones never appear: the server's own data says which.
    let listed = server
        .registrations()
        .await
        .iter()
        .filter(|r| {
            r["registration"]["consent"]["participant_list"] == true
                && !["rejected", "withdrawn"].contains(&r["status"].as_str().unwrap_or_default())
        })
        .count();
    assert!(listed < 31, "the seed has delegations that did not consent");
    let shown = org(
        &b,
        "return root.querySelectorAll('.org-print-list__delegation').length;",
    )
    .await;
    assert_eq!(
        shown, listed,
        "{lang}: delegations on the list of participants"
    );
    // Right to left, the first column is the rightmost one.
    let first_is_right = org(
        &b,
        "const th = [...root.querySelectorAll('.org-print-list thead th')];
         return th[0].getBoundingClientRect().left > th[th.length - 1].getBoundingClientRect().left;",
    )
    .await;
    assert_eq!(first_is_right, Value::Bool(words.dir == "rtl"), "{lang}");
    b.screenshot(&format!("organiser-{lang}-participants"))
        .await;
    let pdf = print_pdf(&b, &format!("organiser-{lang}-participants")).await;
    // Read back by poppler: the names in Arabic script, the head first.
    let lines: Vec<Vec<String>> = pdf_lines(&pdf)
        .into_iter()
        .map(|line| line.into_iter().map(|w| w.nfkc().collect()).collect())
        .collect();
    let head = line_with(&lines, "عبد الله الصباح");
    let delegate = line_with(&lines, "فاطمة العلي");
    assert!(
        matches!((head, delegate), (Some(h), Some(d)) if h < d),
        "{lang}: the Kuwaiti head, then the delegate, in the printed list: {head:?} {delegate:?}"
    );

    // An export through the view, from the delegations tab: every
    // participant of the server's own count, two per delegation.
    press(&b, words.delegations).await;
    press_when_shown(&b, words.export_csv).await;
    let csv = eventually("the CSV download", WAIT, || async {
        let entry = std::fs::read_dir(b.downloads())
            .ok()?
            .flatten()
            .find(|e| e.file_name().to_string_lossy().ends_with(".csv"))?;
        std::fs::read_to_string(entry.path())
            .ok()
            .filter(|s| s.ends_with('\n'))
    })
    .await;
    let rows = accredit_test_support::csv_records(&csv).len() - 1;
    assert_eq!(
        rows,
        2 * total(&server, &token, "").await,
        "{lang}: the export"
    );

    // Badges are printed in the event's badge language (English), whatever
    // the organiser reads.
    press(&b, words.badges).await;
    eventually("badges", WAIT, || async {
        org(&b, "return root.querySelectorAll('.org-badge').length;")
            .await
            .as_u64()
            .filter(|n| *n > 0)
    })
    .await;
    let badge_lang = string(&b, "return root.querySelector('.org-badge').lang;").await;
    assert_eq!(badge_lang, "en");
    assert_accessible(&b, &format!("{lang}: badges")).await;
    b.screenshot(&format!("organiser-{lang}-badges")).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organiser_works_in_french() {
    run_in(&FRENCH).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organiser_works_in_arabic_right_to_left() {
    run_in(&ARABIC).await;
}
