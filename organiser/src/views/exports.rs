//! Exports through the server (CSV, Excel, JSON), with the filters on
//! screen applied, a progress bar, and a file name carrying the event and
//! the day.

use crate::api::Export;
use crate::app::Ctx;
use crate::view_state::ViewState;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Exports() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // None: idle; Some(None): under way, size unknown; Some(Some(f)): fraction.
    let progress = RwSignal::new(None::<Option<f64>>);
    let message = RwSignal::new(None::<(bool, String)>);
    let start = move |what: Export| {
        if progress.get_untracked().is_some() {
            return;
        }
        progress.set(Some(None));
        message.set(None);
        let query = ctx.view.with_untracked(ViewState::filter_query);
        spawn_local(async move {
            let api = ctx.api.get_value();
            let result = api
                .export(&ctx.token_now(), what, &query, move |p| {
                    let _ = progress.try_set(Some(p));
                })
                .await;
            let _ = progress.try_set(None);
            match result {
                Ok(()) => {
                    let text = ctx
                        .i18n()
                        .tf("org.export.done", &[("file", &ctx.t(what.label_key()))]);
                    ctx.announce.set(text.clone());
                    ctx.host
                        .with_value(|h| h.emit("accredit:exported", &[("file", what.path())]));
                    let _ = message.try_set(Some((false, text)));
                }
                Err(e) => {
                    let _ = message.try_set(Some((true, ctx.failed(e))));
                }
            }
        });
    };
    view! {
        <div class="org-exports" part="exports">
            <h3 class="org-h3">{ctx.t("org.export.title")}</h3>
            <p class="org-hint">{move || ctx.t(if ctx.view.with(ViewState::filtered) {
                "org.export.filtered"
            } else {
                "org.export.everything"
            })}</p>
            <div class="org-exports__buttons">
                {Export::ALL.into_iter().map(|what| view! {
                    <button type="button" class="org-button org-button--secondary"
                        aria-disabled=move || progress.get().is_some().then_some("true")
                        on:click=move |_| start(what)>{ctx.t(what.label_key())}</button>
                }).collect_view()}
            </div>
            {move || progress.get().map(|p| view! {
                <div class="org-progress">
                    <label for="org-export-progress">{ctx.t("org.export.preparing")}</label>
                    <progress id="org-export-progress" max="1" value=p></progress>
                </div>
            })}
            {move || message.get().map(|(problem, text)| view! {
                <p class=if problem { "org-problem" } else { "org-notice" } role=if problem { "alert" } else { "status" }>{text}</p>
            })}
        </div>
    }
}
