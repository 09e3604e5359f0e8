//! A country chosen by typing: the GOV.UK accessible-autocomplete pattern
//! (ARIA 1.2 combobox with a list box). Typing filters the countries by
//! their name in the reader's language, accents and case ignored, or by
//! ISO code; arrows move through the matches, Enter chooses, Escape closes.
//! What was typed is never cleared: text that names no country stays on
//! screen and the answer is simply not set (so the step says so).

use super::field::{Frame, Parts};
use crate::browser;
use crate::form::Form;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// One country: its code and its name.
#[derive(Clone, PartialEq)]
struct Choice {
    code: String,
    name: String,
}

/// The names folded for matching, computed when first needed: a roster of
/// a hundred members has two hundred country fields, most never typed in.
fn folded(
    choices: &[Choice],
    cache: StoredValue<Vec<String>, LocalStorage>,
) -> StoredValue<Vec<String>, LocalStorage> {
    if cache.with_value(Vec::is_empty) {
        cache.set_value(choices.iter().map(|c| browser::fold(&c.name)).collect());
    }
    cache
}

/// Countries whose name starts with `typed` come first, then those with a
/// word starting with it, then those containing it; a two-letter code
/// typed exactly matches too.
fn matches(choices: &[Choice], names: &[String], typed: &str) -> Vec<usize> {
    let folded = browser::fold(typed.trim());
    if folded.is_empty() {
        return (0..choices.len()).collect();
    }
    let mut ranked: Vec<(u8, usize)> = choices
        .iter()
        .zip(names)
        .enumerate()
        .filter_map(|(i, (c, name))| {
            let rank = if c.code.eq_ignore_ascii_case(typed.trim()) || name.starts_with(&folded) {
                0
            } else if name.split([' ', '-', '(']).any(|w| w.starts_with(&folded)) {
                1
            } else if name.contains(&folded) {
                2
            } else {
                return None;
            };
            Some((rank, i))
        })
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, i)| i).collect()
}

/// The country whose folded name is `typed` folded (accents and case aside).
fn exact(names: &[String], typed: &str) -> Option<usize> {
    let folded = browser::fold(typed);
    names.iter().position(|n| *n == folded)
}

#[component]
pub fn CountryField(
    path: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] optional: bool,
    /// (code, name) in the reader's language, in the order to offer them.
    choices: Vec<(String, String)>,
    /// The chosen code, or empty.
    value: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let parts = Parts::new(form, &path, hint.is_some());
    let (id, described_by, invalid) = (parts.id.clone(), parts.described_by(), parts.invalid());
    let listbox_id = format!("{id}-listbox");
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };
    let choices: StoredValue<Vec<Choice>> = StoredValue::new(
        choices
            .into_iter()
            .map(|(code, name)| Choice { code, name })
            .collect(),
    );
    let names_cache = StoredValue::new_local(Vec::<String>::new());
    let names = move || choices.with_value(|c| folded(c, names_cache));
    // The country `t` names exactly, as an index: its name or code as they
    // are, else its name with accents and case aside.
    let exact_index = move |t: &str| {
        let typed = t.trim();
        choices.with_value(|c| {
            c.iter()
                .position(|c| c.name == typed || c.code.eq_ignore_ascii_case(typed))
                .or_else(|| names().with_value(|n| exact(n, typed)))
        })
    };
    let name_of = move |code: &str| {
        choices.with_value(|c| c.iter().find(|c| c.code == code).map(|c| c.name.clone()))
    };
    // What the input shows: the chosen country's name, or what was typed.
    let text = RwSignal::new(name_of(&value.get_untracked()).unwrap_or_default());
    // A value set from elsewhere (a restored draft) shows its name.
    Effect::new(move |_| {
        let code = value.get();
        if let Some(name) = name_of(&code) {
            let typed = text.get_untracked();
            if exact_index(&typed).map(|i| choices.with_value(|c| c[i].code.clone())) != Some(code)
            {
                text.set(name);
            }
        }
    });
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let shown = Memo::new(move |_| {
        text.with(|t| choices.with_value(|c| names().with_value(|n| matches(c, n, t))))
    });

    let choose = move |index: usize| {
        let (code, name) = choices.with_value(|c| (c[index].code.clone(), c[index].name.clone()));
        text.set(name);
        open.set(false);
        active.set(None);
        on_change.run(code);
        form.revalidate();
    };
    // Typing: the answer follows the text (set when it names a country,
    // unset when it does not), and the text itself is kept.
    let typed = move |t: String| {
        let code = exact_index(&t)
            .map(|i| choices.with_value(|c| c[i].code.clone()))
            .unwrap_or_default();
        text.set(t);
        open.set(true);
        active.set(None);
        if code != value.get_untracked() {
            on_change.run(code);
        }
        form.revalidate();
    };
    let keydown = move |ev: KeyboardEvent| {
        let count = shown.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                open.set(true);
                if count > 0 {
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1).min(count - 1))));
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|a| *a = a.and_then(|i| i.checked_sub(1)));
            }
            "Enter" if open.get_untracked() => {
                if let Some(i) = active.get_untracked() {
                    ev.prevent_default();
                    choose(shown.with_untracked(|s| s[i]));
                }
            }
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    // Leaving the field: an exact name or code is chosen and shown by name.
    let settle = move || {
        open.set(false);
        active.set(None);
        let t = text.get_untracked();
        if let Some(i) = exact_index(&t) {
            choose(i);
        }
    };
    let status = move || {
        if !open.get() {
            return String::new();
        }
        match shown.with(Vec::len) {
            0 => form.t("ui.combobox.none"),
            n => form.tf("ui.combobox.count", &[("count", n.to_string())]),
        }
    };
    let activedescendant = {
        let option_id = option_id.clone();
        move || active.get().map(&option_id)
    };
    view! {
        <Frame form parts label hint optional>
            <div class="accredit-combobox">
                <input
                    class="accredit-input" part="input"
                    id=id.clone()
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    aria-controls=listbox_id.clone()
                    aria-activedescendant=activedescendant
                    aria-describedby=described_by
                    aria-invalid=invalid
                    prop:value=move || text.get()
                    on:input=move |ev| typed(event_target_value(&ev))
                    on:change=move |_| settle()
                    on:blur=move |_| settle()
                    on:keydown=keydown
                    on:click=move |_| open.set(true)
                />
                <ul class="accredit-combobox__list" id=listbox_id.clone() role="listbox"
                    aria-label=form.t("ui.combobox.label") hidden=move || !open.get() || shown.with(Vec::is_empty)>
                    {move || open.get().then(|| shown.get().into_iter().enumerate().map(|(n, i)| {
                        let (code, name) = choices.with_value(|c| (c[i].code.clone(), c[i].name.clone()));
                        let selected = move || value.with(|v| *v == code);
                        view! {
                            <li class="accredit-combobox__option" role="option" id=option_id(n)
                                class:accredit-combobox__option--active=move || active.get() == Some(n)
                                aria-selected=move || if selected() { "true" } else { "false" }
                                // Keep the focus in the input while choosing with the pointer.
                                on:mousedown=move |ev| ev.prevent_default()
                                on:click=move |_| choose(i)>{name}</li>
                        }
                    }).collect_view())}
                </ul>
                <div class="accredit-visually-hidden" role="status" aria-live="polite">{status}</div>
            </div>
        </Frame>
    }
}
