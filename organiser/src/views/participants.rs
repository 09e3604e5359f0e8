//! The provisional list of participants, in protocol order: Member States,
//! then observer States, IGOs, UN entities, NGOs and media; within each
//! kind the delegations by name in the reader's language (`Intl.Collator`),
//! and within each delegation the head first. Printed on A4 with the header
//! repeated on every page and each delegation kept on one page.

use super::filters::{Filters, describe};
use crate::app::Ctx;
use crate::browser;
use crate::roster::{self, Participant};
use accredit_model::review::Status;
use leptos::prelude::*;

#[component]
pub fn ParticipantList() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let t = ctx.i18n();
    // Only delegations that agreed to appear in the list, by default: the
    // list is meant to be circulated.
    let consenting_only = RwSignal::new(true);
    let title = ctx.event.with_value(|e| {
        t.tf(
            "org.list.event",
            &[
                ("event", e.name.get(&t.lang)),
                ("city", e.city.get(&t.lang)),
                ("from", &t.date(e.starts_on)),
                ("to", &t.date(e.ends_on)),
            ],
        )
    });
    let groups = Memo::new(move |_| {
        let participants = ctx.participants();
        let consenting = consenting_only.get();
        let t = ctx.i18n();
        ctx.entries.with(|entries| {
            let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
            for Participant { entry, member } in participants {
                let e = &entries[entry];
                // Rejected registrations never appear (nor withdrawn ones,
                // left out by `participants`); the list is the delegations
                // expected at the meeting.
                if e.status == Status::Rejected
                    || (consenting && !e.registration.consent.participant_list)
                {
                    continue;
                }
                match groups.last_mut() {
                    Some((last, members)) if *last == entry => members.push(member),
                    _ => groups.push((entry, vec![member])),
                }
            }
            // Within each kind, by name as this language sorts it; a
            // stable sort, so the kinds keep their protocol order and
            // delegations of the same name their references'.
            let named: Vec<String> = ctx.event.with_value(|ev| {
                groups
                    .iter()
                    .map(|(i, _)| t.delegation(ev, &entries[*i].registration.delegation))
                    .collect()
            });
            let mut order: Vec<usize> = (0..groups.len()).collect();
            order.sort_by(|&a, &b| {
                let rank = |g: usize| {
                    entries[groups[g].0]
                        .registration
                        .delegation
                        .kind
                        .protocol_rank()
                };
                rank(a)
                    .cmp(&rank(b))
                    .then_with(|| t.compare(&named[a], &named[b]))
            });
            order
                .into_iter()
                .map(|g| (groups[g].0, groups[g].1.clone(), named[g].clone()))
                .collect::<Vec<_>>()
        })
    });
    let filtered = move || {
        let t = ctx.i18n();
        let active = ctx
            .view
            .with(|v| ctx.event.with_value(|e| describe(v, e, &t)));
        (!active.is_empty()).then(|| {
            t.tf(
                "org.list.filtered",
                &[("filters", &active.join(t.t("org.list.separator").as_str()))],
            )
        })
    };
    view! {
        <section class="org-list" aria-labelledby="org-list-title">
            <h2 id="org-list-title" class="org-h2 org-screen-only">{t.t("org.list.title")}</h2>
            <div class="org-screen-only">
                <Filters/>
                <div class="org-list__tools">
                    <div class="org-checkbox">
                        <input type="checkbox" id="org-consenting" prop:checked=move || consenting_only.get()
                            on:change=move |ev| consenting_only.set(event_target_checked(&ev))/>
                        <label for="org-consenting">{t.t("org.list.consenting")}</label>
                    </div>
                    <button type="button" class="org-button" on:click=move |_| browser::print()>{t.t("org.list.print")}</button>
                </div>
            </div>
            <table class="org-table org-print-list" part="participant-list">
                <caption class="org-print-list__caption">
                    <span class="org-print-list__title">{t.t("org.list.title")}</span>
                    <span class="org-print-list__event">{title}</span>
                    {move || filtered().map(|text| view! { <span class="org-print-list__filtered">{text}</span> })}
                </caption>
                <thead>
                    <tr><th scope="col">{t.t("org.field.name")}</th><th scope="col">{t.t("org.field.function")}</th><th scope="col">{t.t("org.field.institution")}</th></tr>
                </thead>
                <For
                    each=move || groups.get()
                    key=|(entry, members, _)| (*entry, members.clone())
                    children=move |(entry, members, name)| {
                        let e = ctx.entries.with_untracked(|all| all[entry].clone());
                        let t = ctx.i18n();
                        let kind = t.kind(e.registration.delegation.kind);
                        view! {
                            <tbody class="org-print-list__delegation">
                                <tr class="org-print-list__head">
                                    <th scope="rowgroup" colspan="3">{name}<span class="org-print-list__kind">{kind}</span></th>
                                </tr>
                                {members.into_iter().map(|i| {
                                    let m = &e.registration.members[i];
                                    let badge = roster::badge_beside(m);
                                    let category = ctx.category_label(&m.category);
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                {roster::registered_name(m)}
                                                {badge.map(|b| view! { " " <span class="org-badge-name" dir="ltr">{b}</span> })}
                                                <span class="org-print-list__category">{category}</span>
                                            </th>
                                            <td>{m.function.clone()}</td>
                                            <td>{m.institution.clone()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        }
                    }
                />
            </table>
            {move || groups.with(Vec::is_empty).then(|| view! { <p class="org-empty">{ctx.t("org.list.empty")}</p> })}
        </section>
    }
}
