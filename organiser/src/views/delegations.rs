//! The delegations table: filters, exports, sortable columns, rows that
//! expand to show their members, pages of 50, and the registration detail.

use super::dashboard::status_label;
use super::detail::Detail;
use super::exports::Exports;
use super::filters::Filters;
use crate::app::Ctx;
use crate::browser;
use crate::roster::{Entry, SortBy};
use accredit_model::review::protocol;
use leptos::prelude::*;

/// Rows per page: enough to scan, few enough that paging stays instant
/// with thousands of registrations.
pub const PAGE_SIZE: usize = 50;

#[component]
pub fn Delegations() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // A memo, so typing in the filters (which changes the view state) does
    // not rebuild the section and lose the focus.
    let open = Memo::new(move |_| ctx.view.with(|v| v.open.clone()));
    move || match open.get() {
        Some(id) => view! { <Detail id=id/> }.into_any(),
        None => view! {
            <section aria-labelledby="org-delegations-title">
                <h2 id="org-delegations-title" class="org-h2">"Delegations"</h2>
                <Filters/>
                <Exports/>
                <Table/>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn Table() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pages = move || ctx.selection.with(|s| s.len().div_ceil(PAGE_SIZE).max(1));
    let page = move || ctx.view.with(|v| v.page).min(pages() - 1);
    let rows = move || {
        let page = page();
        ctx.selection.with(|s| {
            s.iter()
                .skip(page * PAGE_SIZE)
                .take(PAGE_SIZE)
                .copied()
                .collect::<Vec<_>>()
        })
    };
    let expanded = RwSignal::new(Vec::<String>::new());
    view! {
        <table class="org-table" part="table">
            <caption class="org-visually-hidden">"Delegations, " {move || format!("page {} of {}", page() + 1, pages())}</caption>
            <thead>
                <tr>
                    <SortHeader by=SortBy::Name label="Country or organisation"/>
                    <SortHeader by=SortBy::Head label="Head of delegation"/>
                    <SortHeader by=SortBy::Members label="Members" numeric=true/>
                    <SortHeader by=SortBy::Status label="Status"/>
                    <SortHeader by=SortBy::Submitted label="Submitted"/>
                    <th scope="col"><span class="org-visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <For
                each=rows
                key=move |&i| ctx.entries.with_untracked(|e| (e[i].id.clone(), e[i].status, e[i].updated_at.clone()))
                children=move |i| {
                    let entry = ctx.entries.with_untracked(|e| e[i].clone());
                    view! { <Row entry=entry expanded=expanded/> }
                }
            />
        </table>
        {move || ctx.selection.with(Vec::is_empty).then(|| view! {
            <p class="org-empty">"No delegation matches these filters."</p>
        })}
        <nav class="org-pages" aria-label="Pages">
            <button type="button" class="org-button org-button--secondary" disabled=move || page() == 0
                on:click=move |_| ctx.set_view(|v| v.page = page().saturating_sub(1))>"Previous page"</button>
            <span class="org-pages__where">{move || format!("Page {} of {}", page() + 1, pages())}</span>
            <button type="button" class="org-button org-button--secondary" disabled=move || page() + 1 >= pages()
                on:click=move |_| ctx.set_view(|v| v.page = page() + 1)>"Next page"</button>
        </nav>
    }
}

#[component]
fn SortHeader(by: SortBy, label: &'static str, #[prop(optional)] numeric: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let sort = move || ctx.view.with(|v| v.sort);
    let aria = move || {
        let s = sort();
        (s.by == by).then_some(if s.descending {
            "descending"
        } else {
            "ascending"
        })
    };
    view! {
        <th scope="col" aria-sort=aria class:org-num=numeric>
            <button type="button" class="org-sort" on:click=move |_| ctx.set_view(|v| {
                if v.sort.by == by {
                    // Third click: back to protocol order.
                    if v.sort.descending { v.sort = Default::default(); } else { v.sort.descending = true; }
                } else {
                    v.sort.by = by;
                    v.sort.descending = false;
                }
                v.page = 0;
            })>
                {label}
                <span class="org-sort__icon" aria-hidden="true">{move || match aria() {
                    Some("ascending") => "▲",
                    Some(_) => "▼",
                    None => "↕",
                }}</span>
            </button>
        </th>
    }
}

#[component]
fn Row(entry: Entry, expanded: RwSignal<Vec<String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = entry.id.clone();
    let members_id = format!("org-members-{}", entry.id);
    let is_open = {
        let id = id.clone();
        Signal::derive(move || expanded.with(|e| e.contains(&id)))
    };
    let toggle = {
        let id = id.clone();
        move |_| {
            expanded.update(|e| match e.iter().position(|x| *x == id) {
                Some(p) => {
                    e.remove(p);
                }
                None => e.push(id.clone()),
            })
        }
    };
    let open_detail = {
        let id = id.clone();
        move |_| ctx.set_view(|v| v.open = Some(id.clone()))
    };
    let event = ctx.event.get_value();
    let members: Vec<(String, String, String, String)> =
        protocol::member_order(&event, &entry.registration.members)
            .into_iter()
            .map(|i| {
                let m = &entry.registration.members[i];
                (
                    format!("{} {} {}", m.honorific, m.given_names, m.family_name)
                        .trim()
                        .to_owned(),
                    ctx.category_label(&m.category),
                    m.function.clone(),
                    m.email.clone(),
                )
            })
            .collect();
    let count = members.len();
    let label = format!("Members of {}", entry.name);
    view! {
        <tbody class="org-row">
            <tr>
                <th scope="row">
                    <button type="button" class="org-expand" aria-expanded=move || if is_open.get() { "true" } else { "false" }
                        aria-controls=members_id.clone() on:click=toggle>
                        <span class="org-expand__icon" aria-hidden="true"></span>
                        {entry.name.clone()}
                    </button>
                    <span class="org-reference">{entry.reference.clone()}</span>
                </th>
                <td>{entry.head.clone().unwrap_or_else(|| "—".into())}</td>
                <td class="org-num">{count}</td>
                <td><span class="org-status" data-status=entry.status.as_str()>{status_label(entry.status)}</span></td>
                <td>{browser::format_timestamp(&entry.created_at)}</td>
                <td>
                    <button type="button" class="org-link" on:click=open_detail>
                        "Review" <span class="org-visually-hidden">{format!(" {}", entry.name)}</span>
                    </button>
                </td>
            </tr>
            <tr id=members_id hidden=move || !is_open.get()>
                <td colspan="6">
                    <table class="org-table org-table--nested">
                        <caption class="org-visually-hidden">{label}</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Category"</th><th scope="col">"Function"</th><th scope="col">"E-mail"</th></tr></thead>
                        <tbody>
                            {members.into_iter().map(|(name, category, function, email)| view! {
                                <tr><th scope="row">{name}</th><td>{category}</td><td>{function}</td><td>{email}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </td>
            </tr>
        </tbody>
    }
}
