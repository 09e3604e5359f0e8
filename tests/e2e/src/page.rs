//! Driving the widget like a person: by the ids the widget gives its fields
//! (`accredit1-members-0-given_names`), by button text, and by keyboard.

use crate::{Browser, eventually};
use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// The real server and a browser on its demo page, the form on screen.
pub async fn open_demo() -> (crate::TestServer, Browser) {
    let server = crate::TestServer::start().await;
    let browser = Browser::start().await;
    browser.client.goto(&server.url("/")).await.unwrap();
    browser.field("delegation.kind").await;
    (server, browser)
}

/// The first widget on a page.
pub const P: &str = "accredit1";

/// The element id of a model path in the first widget.
pub fn id(path: &str) -> String {
    let mut id = format!("{P}-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

impl Browser {
    /// Waits for the element with this id and returns it.
    pub async fn field(&self, path: &str) -> fantoccini::elements::Element {
        let id = id(path);
        eventually(&format!("#{id}"), WAIT, || async {
            self.client.find(Locator::Id(&id)).await.ok()
        })
        .await
    }

    /// Types `text` into the field (real key events, any script).
    pub async fn fill(&self, path: &str, text: &str) {
        let el = self.field(path).await;
        el.clear().await.expect("the field clears");
        el.send_keys(text).await.expect("the text is typed");
    }

    /// Chooses `value` in a drop-down list; in a country field (a
    /// combobox), types it (an ISO code or a name) and leaves the field
    /// with Tab, as a person would.
    pub async fn choose(&self, path: &str, value: &str) {
        let field = self.field(path).await;
        if field.tag_name().await.unwrap_or_default() == "input" {
            field.clear().await.expect("the field clears");
            field.send_keys(value).await.expect("the text is typed");
            field
                .send_keys("\u{E004}")
                .await
                .expect("Tab leaves the field");
            return;
        }
        field
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("cannot choose {value} in {path}: {e}"));
    }

    /// Sets a date input (`YYYY-MM-DD`) the way the date picker would.
    pub async fn set_date(&self, path: &str, date: &str) {
        self.field(path).await;
        self.client
            .execute(
                "const el = document.getElementById(arguments[0]); el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![id(path).into(), date.into()],
            )
            .await
            .expect("the date is set");
    }

    pub async fn check(&self, path: &str) {
        self.field(path)
            .await
            .click()
            .await
            .expect("the box is clicked");
    }

    /// Clicks the button (or link) whose text contains `text`.
    pub async fn press(&self, text: &str) {
        let xpath = format!(
            "//*[self::button or self::a][contains(normalize-space(.), {})]",
            xpath_literal(text)
        );
        let el = eventually(&format!("a button {text:?}"), WAIT, || async {
            self.client.find(Locator::XPath(&xpath)).await.ok()
        })
        .await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("cannot press {text:?}: {e}"));
    }

    /// Presses Continue and fails with the error summary's text if the step
    /// did not accept the answers.
    pub async fn continue_ok(&self) {
        self.press("Continue").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        if let Ok(summary) = self
            .client
            .find(Locator::Css(".accredit-error-summary"))
            .await
        {
            panic!(
                "the step reported problems: {}",
                summary.text().await.unwrap_or_default()
            );
        }
    }

    /// The text of the first element matching `css`, once it exists.
    pub async fn text_of(&self, css: &str) -> String {
        eventually(css, WAIT, || async {
            let el = self.client.find(Locator::Css(css)).await.ok()?;
            el.text().await.ok()
        })
        .await
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// The id of the focused element.
    pub async fn active_id(&self) -> String {
        let v = self
            .client
            .execute(
                "return document.activeElement ? document.activeElement.id : '';",
                vec![],
            )
            .await
            .expect("the focused element");
        v.as_str().unwrap_or_default().to_string()
    }

    /// Presses keys on whatever has focus, as a keyboard would (WebDriver
    /// actions: element `send_keys` would treat a file input's keys as a
    /// file name).
    pub async fn keys(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for value in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("keys are pressed");
    }

    /// Presses Tab until the element with this id has focus (at most `max`
    /// times): proof that it is reachable by keyboard, in order.
    pub async fn tab_to(&self, target_id: &str, max: usize) {
        for _ in 0..max {
            if self.active_id().await == target_id {
                return;
            }
            self.keys(&char::from(Key::Tab).to_string()).await;
        }
        assert_eq!(
            self.active_id().await,
            target_id,
            "Tab never reached #{target_id}"
        );
    }

    /// Tabs to the button whose text contains `text` and presses Enter.
    pub async fn tab_to_button(&self, text: &str, max: usize) {
        for _ in 0..max {
            let label = self
                .client
                .execute(
                    "const a = document.activeElement; return a && a.tagName === 'BUTTON' ? a.textContent : '';",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if label.contains(text) {
                self.keys(&char::from(Key::Enter).to_string()).await;
                return;
            }
            self.keys(&char::from(Key::Tab).to_string()).await;
        }
        panic!("Tab never reached a button {text:?}");
    }

    /// Chooses a generated PNG of `width` × `height` pixels in the file
    /// input, as if picked from disk.
    pub async fn choose_png(&self, path: &str, width: u32, height: u32) {
        self.field(path).await;
        self.client
            .execute_async(
                "const [id, w, h, done] = arguments;
                 const c = document.createElement('canvas'); c.width = w; c.height = h;
                 const g = c.getContext('2d'); g.fillStyle = '#4a6fa5'; g.fillRect(0, 0, w, h);
                 c.toBlob((blob) => {
                   const file = new File([blob], 'badge-photo.png', { type: 'image/png' });
                   const dt = new DataTransfer(); dt.items.add(file);
                   const input = document.getElementById(id);
                   input.files = dt.files;
                   input.dispatchEvent(new Event('change', { bubbles: true }));
                   done();
                 }, 'image/png');",
                vec![id(path).into(), width.into(), height.into()],
            )
            .await
            .expect("the file is chosen");
    }

    /// Fails the test with the violations if axe-core finds any.
    pub async fn assert_accessible(&self, state: &str) {
        let violations = self.axe_violations().await;
        assert!(
            violations.is_empty(),
            "axe-core violations in state {state}: {}",
            Value::Array(violations)
        );
    }
}

fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}
