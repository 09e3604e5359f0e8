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
    let title = ctx.event.with_value(|e| e.name.get("en").to_owned());
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
            error.set(Some("Enter your organiser token".into()));
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
                    let _ = error.try_set(Some("This token is not accepted for this event. Check that you copied all of it.".into()));
                    focus(input);
                }
                Err(other) => {
                    let _ = error.try_set(Some(other.message()));
                    focus(input);
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div class="org org-sign-in" part="organiser">
            <p class="org-header__event">{title}</p>
            <h1 class="org-header__title">"Sign in to review registrations"</h1>
            {move || ctx.signed_out_reason.get().map(|reason| view! {
                <p class="org-notice" role="status">{reason}</p>
            })}
            <form on:submit=submit novalidate>
                <div class="org-field" class:org-field--error=move || error.with(Option::is_some)>
                    <label class="org-label" for="org-token">"Organiser token"</label>
                    <p class="org-hint" id="org-token-hint">
                        "The conference secretariat gives each organiser a token for this event. It is kept in this browser tab only, until you sign out or close it."
                    </p>
                    {move || error.get().map(|e| view! {
                        <p class="org-error" id="org-token-error"><span class="org-visually-hidden">"Error: "</span>{e}</p>
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
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
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
