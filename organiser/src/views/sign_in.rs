//! Sign in with an organiser token (`accredit-server token create`).

use crate::api::ApiError;
use crate::app::{Ctx, ready};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SignIn() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let t = ctx.i18n();
    let title = ctx.event.with_value(|e| e.name.get(&t.lang).to_owned());
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let token = input
            .get_untracked()
            .map(|el| el.value())
            .unwrap_or_default();
        let token = token.trim().to_owned();
        if token.is_empty() {
            error.set(Some(ctx.t("org.sign_in.token_missing")));
            focus(input);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match ctx.reload(&token).await {
                Ok(()) => {
                    ctx.session.with_value(|s| s.keep(&token));
                    ctx.signed_out_reason.set(None);
                    ctx.token.set(Some(token));
                    ready(&ctx);
                }
                Err(ApiError::SignedOut) => {
                    let _ = error.try_set(Some(ctx.t("org.sign_in.token_refused")));
                    focus(input);
                }
                Err(other) => {
                    let _ = error.try_set(Some(other.message(&ctx.i18n())));
                    focus(input);
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div class="org org-sign-in" part="organiser">
            <p class="org-header__event">{title}</p>
            <div class="org-sign-in__top">
                <h1 class="org-header__title">{t.t("org.sign_in.title")}</h1>
                <crate::app::LanguageSwitcher/>
            </div>
            {move || ctx.signed_out_reason.get().map(|reason| view! {
                <p class="org-notice" role="status">{reason}</p>
            })}
            <form on:submit=submit novalidate>
                <div class="org-field" class:org-field--error=move || error.with(Option::is_some)>
                    <label class="org-label" for="org-token">{t.t("org.sign_in.token")}</label>
                    <p class="org-hint" id="org-token-hint">
                        {t.t("org.sign_in.token_hint")}
                    </p>
                    {move || error.get().map(|e| view! {
                        <p class="org-error" id="org-token-error"><span class="org-visually-hidden">{ctx.t("org.error_prefix")}" "</span>{e}</p>
                    })}
                    <input
                        node_ref=input
                        class="org-input"
                        id="org-token"
                        name="token"
                        type="password"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        aria-describedby=move || if error.with(Option::is_some) { "org-token-hint org-token-error" } else { "org-token-hint" }
                    />
                </div>
                <button type="submit" class="org-button" aria-disabled=move || busy.get().then_some("true")>
                    {move || ctx.t(if busy.get() { "org.sign_in.busy" } else { "org.sign_in.submit" })}
                </button>
            </form>
        </div>
    }
}

fn focus(input: NodeRef<leptos::html::Input>) {
    if let Some(el) = input.get_untracked() {
        let _ = el.focus();
    }
}
