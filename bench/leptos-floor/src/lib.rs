//! The smallest form Leptos can render with the features every form needs:
//! a labelled input bound to a signal, derived text, a button and a
//! conditional part. Nothing of accredit is in it.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[component]
fn Form() -> impl IntoView {
    let (count, set_count) = signal(0);
    let (name, set_name) = signal(String::new());
    view! {
        <form>
            <label for="name">"Name"</label>
            <input id="name" prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
            <p>{move || format!("Hello {}", name.get())}</p>
            <button type="button" on:click=move |_| set_count.update(|c| *c += 1)>"Add " {count}</button>
            <Show when=move || { count.get() > 2 }><p>"More than two"</p></Show>
        </form>
    }
}

/// Mounts the form on `host`.
#[wasm_bindgen]
pub fn mount(host: web_sys::HtmlElement) {
    mount_to(host, Form).forget();
}
