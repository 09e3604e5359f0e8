//! The delegations table: filters, exports, sortable columns, rows that
//! expand to show their members, pages of 50, and the registration detail.

use super::detail::Detail;
use super::exports::Exports;
use super::filters::Filters;
use crate::app::Ctx;
use crate::roster::{self, Sort, SortBy};
use accredit_model::review::protocol;
use leptos::prelude::*;

/// Rows per page: enough to scan, few enough that paging stays instant
/// with thousands of registrations.
pub const PAGE_SIZE: usize = 25;

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
                <h2 id="org-delegations-title" class="org-h2">{ctx.t("org.tab.delegations")}</h2>
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
    // Named, not written inline: an unbraced `>` in a `view!` attribute
    // ends the tag there.
    let on_first = move || page() == 0;
    let on_last = move || page() + 1 >= pages();
    // The page is read before the view state is updated, never inside the
    // update: reading a signal while it is being written panics ("already
    // disposed").
    let go_to = move |target: usize| ctx.set_view(|v| v.page = target);
    let expanded = RwSignal::new(Vec::<String>::new());
    let t = ctx.i18n();
    let where_ = move || {
        let t = ctx.i18n();
        t.tf(
            "org.pages.where",
            &[
                ("page", &t.number(page() + 1)),
                ("pages", &t.number(pages())),
            ],
        )
    };
    view! {
        <table class="org-table org-table--delegations" part="table">
            <caption class="org-visually-hidden">{t.t("org.tab.delegations")}", "{where_}</caption>
            <colgroup>
                <col class="org-col--name"/><col class="org-col--head"/><col class="org-col--members"/>
                <col class="org-col--status"/><col class="org-col--submitted"/><col class="org-col--actions"/>
            </colgroup>
            <thead>
                <tr>
                    <SortHeader by=SortBy::Name label=t.t("org.table.name")/>
                    <SortHeader by=SortBy::Head label=t.t("org.table.head")/>
                    <SortHeader by=SortBy::Members label=t.t("org.table.members") numeric=true/>
                    <SortHeader by=SortBy::Status label=t.t("org.field.status")/>
                    <SortHeader by=SortBy::Submitted label=t.t("org.table.submitted")/>
                    <th scope="col"><span class="org-visually-hidden">{t.t("org.table.actions")}</span></th>
                </tr>
            </thead>
            <For
                each=rows
                key=move |&i| ctx.entries.with_untracked(|e| (i, e[i].id.clone(), e[i].status, e[i].amended, e[i].updated_at.clone()))
                children=move |i| {
                    view! { <Row index=i expanded=expanded/> }
                }
            />
        </table>
        {move || ctx.selection.with(Vec::is_empty).then(|| view! {
            <p class="org-empty">{ctx.t("org.table.empty")}</p>
        })}
        <nav class="org-pages" aria-label=t.t("org.pages.label")>
            <button type="button" class="org-button org-button--secondary" disabled=on_first
                on:click=move |_| go_to(page().saturating_sub(1))>{t.t("org.pages.previous")}</button>
            <span class="org-pages__where">{where_}</span>
            <button type="button" class="org-button org-button--secondary" disabled=on_last
                on:click=move |_| go_to(page() + 1)>{t.t("org.pages.next")}</button>
        </nav>
    }
}

#[component]
fn SortHeader(by: SortBy, label: String, #[prop(optional)] numeric: bool) -> impl IntoView {
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
                    if v.sort.descending { v.sort = Sort::default(); } else { v.sort.descending = true; }
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
fn Row(index: usize, expanded: RwSignal<Vec<String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Only what the row shows: cloning whole registrations for every row of
    // every keystroke's results would be wasted work.
    let t = ctx.i18n();
    let (id, name, reference, head, head_badge, status, amended, created_at, count) =
        ctx.entries.with_untracked(|e| {
            let entry = &e[index];
            (
                entry.id.clone(),
                ctx.event
                    .with_value(|ev| t.delegation(ev, &entry.registration.delegation)),
                entry.reference.clone(),
                entry.head.clone().unwrap_or_else(|| "—".into()),
                entry.head_badge.clone(),
                entry.status,
                entry.amended,
                entry.created_at.clone(),
                entry.registration.members.len(),
            )
        });
    let submitted = t.timestamp(&created_at);
    let members_id = format!("org-members-{id}");
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
            });
        }
    };
    let open_detail = {
        let id = id.clone();
        move |_| ctx.set_view(|v| v.open = Some(id.clone()))
    };
    let label = t.tf("org.table.members_of", &[("name", &name)]);
    view! {
        <tbody class="org-row">
            <tr>
                <th scope="row">
                    <button type="button" class="org-expand" aria-expanded=move || if is_open.get() { "true" } else { "false" }
                        aria-controls=members_id.clone() on:click=toggle>
                        <span class="org-expand__icon" aria-hidden="true"></span>
                        {name.clone()}
                    </button>
                    <span class="org-reference" dir="ltr">{reference}</span>
                </th>
                <td>{head}{head_badge.map(|b| view! { " " <span class="org-badge-name" dir="ltr">{b}</span> })}</td>
                <td class="org-num">{t.number(count)}</td>
                <td>
                    <span class="org-status" data-status=status.as_str()>{t.status(status)}</span>
                    // A tag of its own, in words: the delegation changed the
                    // registration since an organiser last decided on it.
                    {amended.then(|| view! {
                        " "<span class="org-status org-tag" data-tag="amended">{t.t("org.amended")}</span>
                    })}
                </td>
                <td>{submitted}</td>
                <td>
                    <button type="button" class="org-link" on:click=open_detail>
                        {t.t("org.table.review")} <span class="org-visually-hidden">{format!(" {name}")}</span>
                    </button>
                </td>
            </tr>
            // Built when opened: most rows never are, and rendering them
            // all would slow every keystroke.
            {move || is_open.get().then(|| view! {
                <tr id=members_id.clone()>
                    <td colspan="6"><Members index=index label=label.clone()/></td>
                </tr>
            })}
        </tbody>
    }
}

/// A delegation's members, in protocol order.
#[component]
fn Members(index: usize, label: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let members = ctx
        .entries
        .with_untracked(|e| e[index].registration.members.clone());
    let members = &members;
    let order = ctx
        .event
        .with_value(|event| protocol::member_order(event, members));
    let rows = order
        .into_iter()
        .map(|i| {
            let m = &members[i];
            let name = roster::registered_name(m);
            let badge = roster::badge_beside(m);
            let category = ctx.category_label(&m.category);
            let (function, email) = (m.function.clone(), m.email.clone());
            view! {
                <tr>
                    <th scope="row">{name}{badge.map(|b| view! { " " <span class="org-badge-name" dir="ltr">{b}</span> })}</th>
                    <td>{category}</td><td>{function}</td><td><bdi dir="ltr">{email}</bdi></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="org-table org-table--nested">
            <caption class="org-visually-hidden">{label}</caption>
            <thead><tr><th scope="col">{ctx.t("org.field.name")}</th><th scope="col">{ctx.t("org.field.category")}</th><th scope="col">{ctx.t("org.field.function")}</th><th scope="col">{ctx.t("org.field.email")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
