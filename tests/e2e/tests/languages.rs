//! The six UN official languages: switching keeps every answer, Arabic is
//! right to left, delegations register in Arabic and in Chinese, axe-core
//! finds nothing in any language, and screenshots show ar, zh and ru.

use accredit_e2e::page::{id, open_demo};

const LANGUAGES: &[&str] = &["en", "fr", "es", "ru", "zh", "ar"];

/// The words a person reads, written here by hand, not read from the
/// catalogues under test: (continue, error summary title, submit,
/// confirmation title).
fn words(lang: &str) -> [&'static str; 4] {
    match lang {
        "en" => [
            "Continue",
            "There is a problem",
            "Submit the registration",
            "Registration received",
        ],
        "fr" => [
            "Continuer",
            "Un problème a été détecté",
            "Envoyer l'inscription",
            "Inscription reçue",
        ],
        "es" => [
            "Continuar",
            "Hay un problema",
            "Enviar la inscripción",
            "Inscripción recibida",
        ],
        "ru" => [
            "Продолжить",
            "Возникла проблема",
            "Отправить регистрацию",
            "Регистрация получена",
        ],
        "zh" => ["继续", "出现问题", "提交注册", "已收到注册"],
        "ar" => ["متابعة", "توجد مشكلة", "إرسال التسجيل", "تم استلام التسجيل"],
        other => panic!("no words for {other}"),
    }
}

/// The text of `key` in `lang`: one of [`words`].
fn t(lang: &str, key: &str) -> String {
    let [continue_, problem, submit, done] = words(lang);
    match key {
        "ui.continue" => continue_,
        "ui.error_summary.title" => problem,
        "ui.submit" => submit,
        "ui.done.title" => done,
        other => panic!("no hand-written words for {other}"),
    }
    .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_language_keeps_every_answer() {
    let (_server, b) = open_demo().await;
    b.fill("focal_point.given_names", "Shahida").await;
    b.choose("delegation.country", "ES").await;
    b.switch_language("fr").await;
    let continue_fr = t("fr", "ui.continue");
    assert!(b.text_of(".accredit").await.contains(&continue_fr));
    let given = b.field("focal_point.given_names").await;
    assert_eq!(
        given.prop("value").await.unwrap().as_deref(),
        Some("Shahida")
    );
    // The country is kept, and now named in French.
    let country = b.field("delegation.country").await;
    assert_eq!(
        country.prop("value").await.unwrap().as_deref(),
        Some("Espagne")
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_language_is_accessible_and_arabic_is_right_to_left() {
    let (_server, b) = open_demo().await;
    for lang in LANGUAGES {
        b.switch_language(lang).await;
        b.assert_accessible(&format!("{lang}, empty")).await;
        b.press(&t(lang, "ui.continue")).await;
        let summary = b.text_of(".accredit-error-summary").await;
        assert!(
            summary.contains(&t(lang, "ui.error_summary.title")),
            "{lang}: {summary}"
        );
        b.assert_accessible(&format!("{lang}, with errors")).await;
        if ["ar", "zh", "ru"].contains(lang) {
            b.screenshot(&format!("form-{lang}")).await;
        }
    }
    let dir = b
        .in_widget("return root.querySelector('.accredit-body').dir;", vec![])
        .await;
    assert_eq!(dir, "rtl", "Arabic is laid out right to left");
    // Addresses and numbers stay left to right inside the RTL form.
    let email_dir = b
        .in_widget(
            "return root.getElementById(arguments[0]).dir;",
            vec![id("focal_point.email").into()],
        )
        .await;
    assert_eq!(email_dir, "ltr");
    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    b.close().await;
}

async fn register_in(lang: &str, given: &str, family: &str) {
    let (server, b) = open_demo().await;
    b.switch_language(lang).await;
    b.check("delegation.kind-ngo").await;
    b.fill("delegation.organisation", "Sahil Foundation").await;
    b.fill("focal_point.given_names", given).await;
    b.fill("focal_point.family_name", family).await;
    b.fill("focal_point.email", "focal.point@example.org").await;
    b.fill("focal_point.phone", "+92 51 920 1234").await;
    b.press(&t(lang, "ui.continue")).await;
    b.fill("members[0].given_names", given).await;
    b.fill("members[0].family_name", family).await;
    b.fill("members[0].badge_name", "Badge Name").await;
    b.choose("members[0].category", "observer").await;
    b.fill("members[0].function", "Adviser").await;
    b.fill("members[0].institution", "Ministry of Interior")
        .await;
    b.choose("members[0].nationality", "PK").await;
    b.fill("members[0].email", "member@example.org").await;
    b.press(&t(lang, "ui.continue")).await;
    b.check("consent.data_processing").await;
    b.press(&t(lang, "ui.submit")).await;
    let title = b.text_of(".accredit-panel__title").await;
    assert_eq!(title, t(lang, "ui.done.title"));
    b.screenshot(&format!("confirmation-{lang}")).await;
    let stored = server.registrations().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["registration"]["language"], lang);
    assert_eq!(
        stored[0]["registration"]["focal_point"]["given_names"],
        given
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegation_registers_in_arabic() {
    register_in("ar", "فاطمة", "العلي").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegation_registers_in_chinese() {
    register_in("zh", "伟", "王").await;
}
