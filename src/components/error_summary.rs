//! "There is a problem": the list of errors at the top of a step. It takes
//! focus when shown, so screen-reader and keyboard users land on it, and each
//! entry moves focus to its field.

use crate::browser;
use crate::form::Form;
use leptos::prelude::*;

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
                .map(|e| (form.id(&e.path), form.message(e)))
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
                            {items.into_iter().map(|(target, message)| {
                                let href = format!("#{target}");
                                view! {
                                    <li>
                                        <a href=href on:click=move |ev| {
                                            // Hash links do not reach into a shadow root; move focus directly.
                                            ev.prevent_default();
                                            browser::focus(&target);
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
