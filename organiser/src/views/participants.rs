//! The provisional list of participants, in protocol order: Member States
//! alphabetically, then observer States, IGOs, UN entities, NGOs and media;
//! within each delegation the head first. Printed on A4 with the header
//! repeated on every page and each delegation kept on one page.

use super::dashboard::kind_label;
use super::filters::Filters;
use crate::app::Ctx;
use crate::browser;
use crate::roster::Participant;
use accredit_model::review::Status;
use leptos::prelude::*;

#[component]
pub fn ParticipantList() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Only delegations that agreed to appear in the list, by default: the
    // list is meant to be circulated.
    let consenting_only = RwSignal::new(true);
    let title = ctx.event.with_value(|e| {
        format!(
            "{}, {}, {} to {}",
            e.name.get("en"),
            e.city.get("en"),
            browser::format_date(e.starts_on),
            browser::format_date(e.ends_on)
        )
    });
    let groups = Memo::new(move |_| {
        let participants = ctx.participants();
        let consenting = consenting_only.get();
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
            groups
        })
    });
    view! {
        <section class="org-list" aria-labelledby="org-list-title">
            <h2 id="org-list-title" class="org-h2 org-screen-only">"Provisional list of participants"</h2>
            <div class="org-screen-only">
                <Filters/>
                <div class="org-list__tools">
                    <div class="org-checkbox">
                        <input type="checkbox" id="org-consenting" prop:checked=move || consenting_only.get()
                            on:change=move |ev| consenting_only.set(event_target_checked(&ev))/>
                        <label for="org-consenting">"Only delegations that agreed to appear in the list"</label>
                    </div>
                    <button type="button" class="org-button" on:click=move |_| browser::print()>"Print the list"</button>
                </div>
            </div>
            <table class="org-table org-print-list" part="participant-list">
                <caption class="org-print-list__caption">
                    <span class="org-print-list__title">"Provisional list of participants"</span>
                    <span class="org-print-list__event">{title}</span>
                </caption>
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Function"</th><th scope="col">"Institution"</th></tr>
                </thead>
                <For
                    each=move || groups.get()
                    key=|(entry, members)| (*entry, members.clone())
                    children=move |(entry, members)| {
                        let e = ctx.entries.with_untracked(|all| all[entry].clone());
                        let kind = kind_label(e.registration.delegation.kind);
                        view! {
                            <tbody class="org-print-list__delegation">
                                <tr class="org-print-list__head">
                                    <th scope="rowgroup" colspan="3">{e.name.clone()}<span class="org-print-list__kind">{kind}</span></th>
                                </tr>
                                {members.into_iter().map(|i| {
                                    let m = &e.registration.members[i];
                                    let name = format!("{} {} {}", m.honorific, m.given_names, m.family_name).trim().to_owned();
                                    let category = ctx.category_label(&m.category);
                                    view! {
                                        <tr>
                                            <th scope="row">{name}<span class="org-print-list__category">{category}</span></th>
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
            {move || groups.with(Vec::is_empty).then(|| view! { <p class="org-empty">"No participant matches these filters."</p> })}
        </section>
    }
}
