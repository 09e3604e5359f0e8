//! Driving the widget like a person: by the ids the widget gives its fields
//! (`accredit1-members-0-given_names`), by button text, and by keyboard.
//!
//! The demo page embeds `<accredit-registration>`, so the widget lives in
//! that element's shadow root; every lookup here goes through it (and
//! through the document on pages that mount a plain `[data-accredit]`
//! element).

use crate::{Browser, eventually};
use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
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

/// Script prelude: `root` is the widget's shadow root when the page embeds
/// `<accredit-registration>`, else the document.
pub const ROOT_JS: &str = "const root = ((h) => (h && h.shadowRoot) || document)(document.querySelector('accredit-registration'));";

/// Script: the id of the focused element, looking into shadow roots.
const ACTIVE_JS: &str = "let a = document.activeElement;
     while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;";

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
    /// Runs `script` with `root` bound to the widget's root (see [`ROOT_JS`]).
    pub async fn in_widget(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(&format!("{ROOT_JS}\n{script}"), args)
            .await
            .unwrap_or_else(|e| panic!("script in the widget failed: {e}"))
    }

    /// Every element matching `css` in the widget, in document order.
    pub async fn find_all_in_widget(&self, css: &str) -> Vec<Element> {
        let host = self
            .client
            .find(Locator::Css("accredit-registration"))
            .await
            .ok();
        let found = match host {
            Some(host) => match host.shadow_root().await {
                Ok(root) => root.find_all(Locator::Css(css)).await,
                Err(_) => return Vec::new(),
            },
            None => self.client.find_all(Locator::Css(css)).await,
        };
        found.unwrap_or_default()
    }

    /// The first element matching `css` in the widget, if any.
    pub async fn find_in_widget(&self, css: &str) -> Option<Element> {
        self.find_all_in_widget(css).await.into_iter().next()
    }

    /// Waits for the element with this id and returns it.
    pub async fn field(&self, path: &str) -> Element {
        let id = id(path);
        eventually(&format!("#{id}"), WAIT, || async {
            self.find_in_widget(&format!("#{id}")).await
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

    /// Types a date (given as `YYYY-MM-DD`) into its day, month and year
    /// fields, as a person would write it (`1`, `5`, `2031`).
    pub async fn set_date(&self, path: &str, date: &str) {
        let mut parts = date.split('-');
        let (year, month, day) = (
            parts.next().expect("a year"),
            parts.next().expect("a month"),
            parts.next().expect("a day"),
        );
        let unpadded = |s: &str| s.trim_start_matches('0').to_string();
        self.fill(&format!("{path}.day"), &unpadded(day)).await;
        self.fill(&format!("{path}.month"), &unpadded(month)).await;
        self.fill(&format!("{path}.year"), year).await;
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
        let el = eventually(&format!("a button {text:?}"), WAIT, || async {
            // Shadow roots take CSS selectors only: find the button's place
            // among all buttons and links by script, then take that one.
            let index = self
                .in_widget(
                    "return [...root.querySelectorAll('button, a')].findIndex(
                       (b) => b.textContent.replace(/\\s+/g, ' ').trim().includes(arguments[0]));",
                    vec![text.into()],
                )
                .await
                .as_i64()?;
            let index = usize::try_from(index).ok()?;
            self.find_all_in_widget("button, a")
                .await
                .into_iter()
                .nth(index)
        })
        .await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("cannot press {text:?}: {e}"));
    }

    /// Presses Continue and fails with the error summary's text if the step
    /// did not accept the answers. Waits for where the widget moves focus
    /// after Continue: the next step's heading, or the error summary.
    pub async fn continue_ok(&self) {
        self.press("Continue").await;
        let summary = format!("{P}-error-summary");
        let headings = ["members", "review-heading"].map(|h| format!("{P}-{h}"));
        let landed = eventually(
            "focus on the next step's heading or on the error summary",
            WAIT,
            || async {
                let active = self.active_id().await;
                (active == summary || headings.contains(&active)).then_some(active)
            },
        )
        .await;
        if landed == summary {
            panic!(
                "the step reported problems: {}",
                self.text_of(".accredit-error-summary").await
            );
        }
    }

    /// Chooses `lang` in the widget's language menu and waits for the form
    /// to be drawn in it.
    pub async fn switch_language(&self, lang: &str) {
        self.choose("language", lang).await;
        eventually(&format!("the form in {lang}"), WAIT, || async {
            let v = self
                .in_widget(
                    "const b = root.querySelector('.accredit-body'); return b ? b.lang : null;",
                    vec![],
                )
                .await;
            (v.as_str() == Some(lang)).then_some(())
        })
        .await;
    }

    /// The text of the first element matching `css`, once it exists.
    pub async fn text_of(&self, css: &str) -> String {
        eventually(css, WAIT, || async {
            let el = self.find_in_widget(css).await?;
            el.text().await.ok()
        })
        .await
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.find_in_widget(css).await.is_some()
    }

    /// The id of the focused element.
    pub async fn active_id(&self) -> String {
        let v = self
            .client
            .execute(&format!("{ACTIVE_JS} return a ? a.id : '';"), vec![])
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
                    &format!(
                        "{ACTIVE_JS} return a && a.tagName === 'BUTTON' ? a.textContent : '';"
                    ),
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
        self.choose_png_filled(path, width, height, false).await;
    }

    /// Like [`Browser::choose_png`], with random pixels, which no PNG
    /// compresses: about 3 bytes per pixel, for a file of a known weight.
    pub async fn choose_noisy_png(&self, path: &str, width: u32, height: u32) {
        self.choose_png_filled(path, width, height, true).await;
    }

    async fn choose_png_filled(&self, path: &str, width: u32, height: u32, noise: bool) {
        self.field(path).await;
        self.client
            .execute_async(
                &format!(
                    "{ROOT_JS}\n{}",
                    "const [id, w, h, noise, done] = arguments;
                 const c = document.createElement('canvas'); c.width = w; c.height = h;
                 const g = c.getContext('2d'); g.fillStyle = '#4a6fa5'; g.fillRect(0, 0, w, h);
                 if (noise) {
                   const img = g.getImageData(0, 0, w, h);
                   const px = new Uint32Array(img.data.buffer);
                   const chunk = new Uint32Array(16384);
                   for (let i = 0; i < px.length; i += chunk.length) {
                     crypto.getRandomValues(chunk);
                     px.set(chunk.subarray(0, Math.min(chunk.length, px.length - i)), i);
                   }
                   for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
                   g.putImageData(img, 0, 0);
                 }
                 c.toBlob((blob) => {
                   const file = new File([blob], 'badge-photo.png', { type: 'image/png' });
                   const dt = new DataTransfer(); dt.items.add(file);
                   const input = root.getElementById(id);
                   input.files = dt.files;
                   input.dispatchEvent(new Event('change', { bubbles: true }));
                   done();
                 }, 'image/png');"
                ),
                vec![id(path).into(), width.into(), height.into(), noise.into()],
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

/// A focal point with every answer step 1 asks of them.
pub async fn fill_focal_point(b: &Browser, given: &str, family: &str) {
    b.fill("focal_point.given_names", given).await;
    b.fill("focal_point.family_name", family).await;
    b.fill("focal_point.email", "focal.point@mofa.example")
        .await;
    b.fill("focal_point.phone", "+965 2222 3333").await;
}

/// A member with everything the demo event asks of a head of delegation or
/// delegate (identity document and date of birth included).
#[allow(clippy::too_many_arguments)]
pub async fn fill_accredited_member(
    b: &Browser,
    i: usize,
    names: (&str, &str, &str),
    category: &str,
    nationality: &str,
    document: &str,
    email: &str,
) {
    let p = |f: &str| format!("members[{i}].{f}");
    b.fill(&p("given_names"), names.0).await;
    b.fill(&p("family_name"), names.1).await;
    b.fill(&p("badge_name"), names.2).await;
    b.choose(&p("category"), category).await;
    b.fill(&p("function"), "Director of Border Management")
        .await;
    b.fill(&p("institution"), "Ministry of Interior").await;
    b.choose(&p("nationality"), nationality).await;
    b.fill(&p("email"), email).await;
    b.fill(&p("identity_document.number"), document).await;
    b.choose(&p("identity_document.issuing_country"), nationality)
        .await;
    b.set_date(
        &p("identity_document.expires_on"),
        &crate::valid_expiry().to_string(),
    )
    .await;
    b.set_date(&p("date_of_birth"), "1972-03-15").await;
}
