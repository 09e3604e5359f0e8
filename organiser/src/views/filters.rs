//! Search and filters, shared by the delegations table, the list of
//! participants and the badge sheets. They change the URL hash, and every
//! keystroke filters at once (the whole event is in memory).

use super::dashboard::{kind_label, status_label};
use crate::app::Ctx;
use accredit_model::review::Status;
use accredit_model::{DelegationKind, country};
use leptos::prelude::*;

#[component]
pub fn Filters() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let set = move |change: fn(&mut crate::view_state::ViewState, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            ctx.set_view(|v| {
                change(v, value);
                v.page = 0;
            });
        }
    };
    // Countries that registered, by English name.
    let countries = Memo::new(move |_| {
        let mut codes: Vec<String> = ctx.entries.with(|e| {
            e.iter()
                .filter_map(|e| e.registration.delegation.country.clone())
                .collect()
        });
        codes.sort();
        codes.dedup();
        let mut named: Vec<(String, String)> = codes
            .into_iter()
            .map(|c| (country::english_name(&c).unwrap_or(&c).to_owned(), c))
            .collect();
        named.sort();
        named
    });
    let categories: Vec<(String, String)> = ctx.event.with_value(|e| {
        e.categories
            .iter()
            .map(|c| (c.id.clone(), c.label.get("en").to_owned()))
            .collect()
    });
    let value = move |get: fn(&crate::view_state::ViewState) -> String| move || ctx.view.with(get);
    let summary = move || {
        let delegations = ctx.selection.with(Vec::len);
        let participants: usize = ctx.selection.with(|s| {
            ctx.entries
                .with(|e| s.iter().map(|&i| e[i].registration.members.len()).sum())
        });
        format!(
            "{delegations} {} · {participants} {}",
            if delegations == 1 {
                "delegation"
            } else {
                "delegations"
            },
            if participants == 1 {
                "participant"
            } else {
                "participants"
            }
        )
    };
    // Announce the count once typing pauses, not on every keystroke.
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    Effect::new(move |_| {
        let text = summary();
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        pending.set_value(
            set_timeout_with_handle(
                move || ctx.announce.set(text),
                std::time::Duration::from_millis(600),
            )
            .ok(),
        );
    });
    view! {
        <div role="search" class="org-filters" part="filters">
            <div class="org-field org-field--search">
                <label class="org-label" for="org-q">"Search"</label>
                <p class="org-hint" id="org-q-hint">"Reference, delegation, names or e-mail addresses"</p>
                <input
                    class="org-input"
                    id="org-q"
                    type="search"
                    autocomplete="off"
                    aria-describedby="org-q-hint"
                    prop:value=value(|v| v.q.clone())
                    on:input=set(|v, x| v.q = x)
                />
            </div>
            <div class="org-field">
                <label class="org-label" for="org-status">"Status"</label>
                <select class="org-select" id="org-status" prop:value=value(|v| v.status.clone()) on:change=set(|v, x| v.status = x)>
                    <option value="">"Any status"</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{status_label(s)}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <label class="org-label" for="org-kind">"Kind"</label>
                <select class="org-select" id="org-kind" prop:value=value(|v| v.kind.clone()) on:change=set(|v, x| v.kind = x)>
                    <option value="">"Any kind"</option>
                    {DelegationKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{kind_label(k)}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <label class="org-label" for="org-category">"Category"</label>
                <select class="org-select" id="org-category" prop:value=value(|v| v.category.clone()) on:change=set(|v, x| v.category = x)>
                    <option value="">"Any category"</option>
                    {categories.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <label class="org-label" for="org-country">"Country"</label>
                <select class="org-select" id="org-country" prop:value=value(|v| v.country.clone()) on:change=set(|v, x| v.country = x)>
                    <option value="">"Any country"</option>
                    {move || countries.get().into_iter().map(|(name, code)| view! { <option value=code>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <div class="org-checkbox">
                    <input type="checkbox" id="org-amended" aria-describedby="org-amended-hint"
                        prop:checked=move || ctx.view.with(|v| v.amended)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            ctx.set_view(|v| {
                                v.amended = checked;
                                v.page = 0;
                            });
                        }/>
                    <label for="org-amended">"Amended since last decision"</label>
                </div>
                <p class="org-hint" id="org-amended-hint">"Changed by the delegation after an organiser decided"</p>
            </div>
            <div class="org-filters__end">
                <p class="org-filters__count">{summary}</p>
                <button
                    type="button"
                    class="org-button org-button--secondary"
                    disabled=move || !ctx.view.with(|v| v.filtered())
                    on:click=move |_| ctx.set_view(crate::view_state::ViewState::clear_filters)
                >"Clear filters"</button>
            </div>
        </div>
    }
}
