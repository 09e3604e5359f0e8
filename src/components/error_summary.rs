//! "There is a problem": the list of errors at the top of a step. It takes
//! focus when shown, so screen-reader and keyboard users land on it, and each
//! entry moves focus to its field, opening the step that holds it when that
//! is another one (the server's errors, shown after "Submit"). A message
//! about a member says which member it is.

use crate::browser;
use crate::form::{Form, Step};
use accredit_model::{Member, ValidationError};
use leptos::prelude::*;

/// The element an entry leads to: the field at the error's path, or the
/// part of a date (day, month, year) the error names.
fn target(form: Form, error: &ValidationError) -> String {
    let id = form.id(&error.path);
    match error.param("part") {
        Some(part) => format!("{id}-{part}"),
        None => id,
    }
}

/// The member a path is about (`members[2].email` → 2), if any.
fn member_index(path: &str) -> Option<usize> {
    path.strip_prefix("members[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// The entry's text: the message, preceded by the member it is about
/// ("Member 1, Mahdi Hosseinzadeh: …").
fn entry_text(form: Form, error: &ValidationError) -> String {
    let message = form.message(error);
    let Some(i) = member_index(&error.path) else {
        return message;
    };
    let name = form.members.with(|rows| {
        rows.get(i)
            .map(|row| row.data.with(Member::badge_text))
            .unwrap_or_default()
    });
    let n = (i + 1).to_string();
    if name.trim().is_empty() {
        form.tf("ui.error_summary.member", &[("n", n), ("message", message)])
    } else {
        form.tf(
            "ui.error_summary.member_named",
            &[("n", n), ("name", name), ("message", message)],
        )
    }
}

#[component]
pub fn ErrorSummary() -> impl IntoView {
    let form = expect_context::<Form>();
    let id = form.id("error-summary");
    let title_id = format!("{id}-title");
    {
        let id = id.clone();
        Effect::new(move |_| {
            if form.summary_focus.get() > 0 {
                let id = id.clone();
                request_animation_frame(move || browser::focus(&id));
            }
        });
    }
    let items = move || {
        form.errors.with(|errors| {
            errors
                .iter()
                .map(|e| (target(form, e), Step::holding(&e.path), entry_text(form, e)))
                .collect::<Vec<_>>()
        })
    };
    let title = form.t("ui.error_summary.title");
    move || {
        let items = items();
        (!items.is_empty()).then(|| {
            view! {
                <div class="accredit-error-summary" part="error-summary" id=id.clone() tabindex="-1" aria-labelledby=title_id.clone()>
                    <div role="alert">
                        <h2 class="accredit-error-summary__title" id=title_id.clone()>{title.clone()}</h2>
                        <ul class="accredit-error-summary__list">
                            {items.into_iter().map(|(target, step, message)| {
                                let href = format!("#{target}");
                                view! {
                                    <li>
                                        <a href=href on:click=move |ev| {
                                            // Hash links do not reach into a shadow root; move focus directly.
                                            ev.prevent_default();
                                            let current = form.step.get_untracked();
                                            if step != current && current.is_form_step() {
                                                form.go_to_field(step, target.clone());
                                            } else {
                                                browser::focus_field(&target);
                                            }
                                        }>{message}</a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                </div>
            }
        })
    }
}
