//! Driving the organiser view (`<accredit-organiser>`, in its shadow
//! root) like a person: by button text, control ids and visible text.

use crate::{Browser, eventually};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Runs `script` with the organiser view's shadow root as `root`.
pub async fn org(b: &Browser, script: &str) -> Value {
    let wrapped = format!(
        "const root = document.querySelector('accredit-organiser').shadowRoot;
         {script}"
    );
    b.client
        .execute(&wrapped, vec![])
        .await
        .unwrap_or_else(|e| panic!("script in the organiser view failed: {e}\n{script}"))
}

pub async fn text(b: &Browser) -> String {
    org(b, "return root ? root.textContent : '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub async fn wait_for_text(b: &Browser, what: &str) {
    eventually(&format!("“{what}” in the organiser view"), WAIT, || async {
        text(b).await.contains(what).then_some(())
    })
    .await
}

pub async fn press(b: &Browser, label: &str) {
    let found = org(
        b,
        &format!(
            "const b = [...root.querySelectorAll('button')].find((b) => b.textContent.trim().startsWith({l}));
             if (b) b.click();
             return !!b;",
            l = serde_json::to_string(label).unwrap()
        ),
    )
    .await;
    assert_eq!(found, Value::Bool(true), "no button “{label}”");
}

/// Sets a control's value as a person would pick it (select, radio, text).
pub async fn set(b: &Browser, id: &str, value: &str) {
    org(
        b,
        &format!(
            "const el = root.getElementById({id});
             el.value = {value};
             el.dispatchEvent(new Event('input', {{ bubbles: true }}));
             el.dispatchEvent(new Event('change', {{ bubbles: true }}));",
            id = serde_json::to_string(id).unwrap(),
            value = serde_json::to_string(value).unwrap()
        ),
    )
    .await;
}

pub async fn sign_in(b: &Browser, token: &str) {
    eventually("the sign-in form", WAIT, || async {
        org(b, "return !!(root && root.getElementById('org-token'));")
            .await
            .as_bool()
            .filter(|x| *x)
    })
    .await;
    set(b, "org-token", token).await;
    press(b, "Sign in").await;
}

/// Waits until a button starting with `label` is on screen, then presses it.
pub async fn press_when_shown(b: &Browser, label: &str) {
    let script = format!(
        "return [...root.querySelectorAll('button')].some((b) => b.textContent.trim().startsWith({l}));",
        l = serde_json::to_string(label).unwrap()
    );
    eventually(&format!("a button “{label}”"), WAIT, || async {
        org(b, &script).await.as_bool().filter(|shown| *shown)
    })
    .await;
    press(b, label).await;
}
