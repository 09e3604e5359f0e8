//! Search and filters, shared by the delegations table, the list of
//! participants and the badge sheets. They change the URL hash, and every
//! keystroke filters at once (the whole event is in memory). Because they
//! carry over from tab to tab, each tab says which filters are on.

use crate::app::Ctx;
use crate::i18n::I18n;
use crate::view_state::ViewState;
use accredit_model::review::Status;
use accredit_model::{DelegationKind, EventConfig};
use leptos::prelude::*;

#[component]
pub fn Filters() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let t = ctx.i18n();
    let set = move |change: fn(&mut ViewState, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            ctx.set_view(|v| {
                change(v, value);
                v.page = 0;
            });
        }
    };
    // Countries that registered, by name in the interface's language.
    let countries = Memo::new(move |_| {
        let mut codes: Vec<String> = ctx.entries.with(|e| {
            e.iter()
                .filter_map(|e| e.registration.delegation.country.clone())
                .collect()
        });
        codes.sort();
        codes.dedup();
        let t = ctx.i18n();
        let mut named: Vec<(String, String)> =
            codes.into_iter().map(|c| (t.country(&c), c)).collect();
        named.sort_by(|a, b| t.compare(&a.0, &b.0));
        named
    });
    let categories: Vec<(String, String)> = ctx.event.with_value(|e| {
        e.categories
            .iter()
            .map(|c| (c.id.clone(), c.label.get(&t.lang).to_owned()))
            .collect()
    });
    let value = move |get: fn(&ViewState) -> String| move || ctx.view.with(get);
    let summary = move || {
        let delegations = ctx.selection.with(Vec::len);
        let participants: usize = ctx.selection.with(|s| {
            ctx.entries
                .with(|e| s.iter().map(|&i| e[i].registration.members.len()).sum())
        });
        let t = ctx.i18n();
        t.tf(
            "org.filters.count",
            &[
                (
                    "delegations",
                    &t.count("org.count.delegations", delegations),
                ),
                (
                    "participants",
                    &t.count("org.count.participants", participants),
                ),
            ],
        )
    };
    // Announce the count once typing pauses, not on every keystroke.
    let pending = StoredValue::new(None::<TimeoutHandle>);
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
                <label class="org-label" for="org-q">{t.t("org.filters.search")}</label>
                <p class="org-hint" id="org-q-hint">{t.t("org.filters.search_hint")}</p>
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
                <label class="org-label" for="org-status">{t.t("org.field.status")}</label>
                <select class="org-select" id="org-status" prop:value=value(|v| v.status.clone()) on:change=set(|v, x| v.status = x)>
                    <option value="">{t.t("org.filters.any_status")}</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{t.status(s)}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <label class="org-label" for="org-kind">{t.t("org.field.kind")}</label>
                <select class="org-select" id="org-kind" prop:value=value(|v| v.kind.clone()) on:change=set(|v, x| v.kind = x)>
                    <option value="">{t.t("org.filters.any_kind")}</option>
                    {DelegationKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{t.kind(k)}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <label class="org-label" for="org-category">{t.t("org.field.category")}</label>
                <select class="org-select" id="org-category" prop:value=value(|v| v.category.clone()) on:change=set(|v, x| v.category = x)>
                    <option value="">{t.t("org.filters.any_category")}</option>
                    {categories.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
            </div>
            <div class="org-field">
                <label class="org-label" for="org-country">{t.t("org.field.country")}</label>
                <select class="org-select" id="org-country" prop:value=value(|v| v.country.clone()) on:change=set(|v, x| v.country = x)>
                    <option value="">{t.t("org.filters.any_country")}</option>
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
                    <label for="org-amended">{t.t("org.filters.amended")}</label>
                </div>
                <p class="org-hint" id="org-amended-hint">{t.t("org.filters.amended_hint")}</p>
            </div>
            <div class="org-filters__end">
                <p class="org-filters__count">{summary}</p>
            </div>
        </div>
        <ActiveFilters/>
    }
}

/// The filters in force, in words, with "Clear filters": they carry over
/// from tab to tab, so a search typed on one tab never silently shortens
/// the list or the badges on another.
#[component]
pub fn ActiveFilters() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let t = ctx.i18n();
    let active = move || {
        let t = ctx.i18n();
        ctx.view
            .with(|v| ctx.event.with_value(|e| describe(v, e, &t)))
    };
    view! {
        <div class="org-active" part="active-filters">
            {move || {
                let active = active();
                if active.is_empty() {
                    view! { <p class="org-active__none">{ctx.t("org.filters.none")}</p> }.into_any()
                } else {
                    view! {
                        <p class="org-active__title" id="org-active-title">{ctx.t("org.filters.active")}</p>
                        <ul class="org-active__list" aria-labelledby="org-active-title">
                            {active.into_iter().map(|f| view! { <li class="org-tag">{f}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
            <button
                type="button"
                class="org-button org-button--secondary"
                disabled=move || !ctx.view.with(ViewState::filtered)
                on:click=move |_| ctx.set_view(ViewState::clear_filters)
            >{t.t("org.filters.clear")}</button>
        </div>
    }
}

/// Each filter in force, as "Status: Pending" (empty when none is).
pub fn describe(v: &ViewState, event: &EventConfig, t: &I18n) -> Vec<String> {
    let mut out = Vec::new();
    let mut one = |label: &str, value: String| {
        out.push(t.tf(
            "org.filters.one",
            &[("filter", &t.t(label)), ("value", &value)],
        ));
    };
    if !v.q.trim().is_empty() {
        one(
            "org.filters.search",
            t.tf("org.quoted", &[("text", v.q.trim())]),
        );
    }
    if let Some(s) = Status::ALL.into_iter().find(|s| s.as_str() == v.status) {
        one("org.field.status", t.status(s));
    }
    if let Some(k) = DelegationKind::ALL
        .into_iter()
        .find(|k| k.as_str() == v.kind)
    {
        one("org.field.kind", t.kind(k));
    }
    if !v.category.is_empty() {
        one("org.field.category", t.category(event, &v.category));
    }
    if !v.country.is_empty() {
        one("org.field.country", t.country(&v.country));
    }
    if v.amended {
        out.push(t.t("org.filters.amended"));
    }
    out
}
