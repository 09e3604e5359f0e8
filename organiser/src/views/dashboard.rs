//! The event at a glance: days until registration closes, and counts by
//! status, accreditation category and delegation kind.

use crate::app::Ctx;
use crate::browser;
use crate::roster;
use crate::view_state::Tab;
use leptos::prelude::*;

#[component]
pub fn Dashboard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let counts = Memo::new(move |_| {
        ctx.entries
            .with(|e| ctx.event.with_value(|ev| roster::counts(e, ev)))
    });
    let closes = ctx.event.with_value(|e| e.registration_closes_on);
    let days = browser::today().days_until(closes);
    let deadline = match days {
        d if d < 0 => format!("Registration closed on {}.", browser::format_date(closes)),
        0 => "Registration closes today.".to_owned(),
        1 => format!(
            "1 day until registration closes ({}).",
            browser::format_date(closes)
        ),
        d => format!(
            "{d} days until registration closes ({}).",
            browser::format_date(closes)
        ),
    };
    let show = move |status: &'static str| {
        move |_| {
            ctx.set_view(|v| {
                *v = Default::default();
                v.tab = Tab::Delegations;
                v.status = status.to_owned();
            })
        }
    };
    view! {
        <section class="org-dashboard" aria-labelledby="org-dashboard-title">
            <h2 id="org-dashboard-title" class="org-visually-hidden">"Dashboard"</h2>
            <p class="org-deadline" class:org-deadline--closed=move || days < 0>{deadline}</p>
            <div class="org-cards">
                <div class="org-card">
                    <p class="org-card__number">{move || counts.with(|c| c.registrations)}</p>
                    <p class="org-card__label">"registrations"</p>
                    <p class="org-card__detail">"Withdrawn not counted"</p>
                </div>
                <div class="org-card">
                    <p class="org-card__number">{move || counts.with(|c| c.participants)}</p>
                    <p class="org-card__label">"participants"</p>
                    <p class="org-card__detail">"Withdrawn not counted"</p>
                </div>
                {move || counts.with(|c| c.by_status.iter().map(|(status, registrations, participants)| {
                    let (status, registrations, participants) = (*status, *registrations, *participants);
                    view! {
                        <div class="org-card" data-status=status.as_str()>
                            <p class="org-card__number">{registrations}</p>
                            <p class="org-card__label">{status_label(status)}</p>
                            <p class="org-card__detail">{format!("{participants} participants")}</p>
                            <button type="button" class="org-link" on:click=show(status.as_str())>
                                {format!("Show {}", status_label(status).to_lowercase())}
                            </button>
                        </div>
                    }
                }).collect_view())}
            </div>
            <div class="org-columns">
                <table class="org-table org-table--compact">
                    <caption>"Participants by accreditation category"<span class="org-caption-note">" (rejected and withdrawn registrations not counted)"</span></caption>
                    <thead><tr><th scope="col">"Category"</th><th scope="col" class="org-num">"Participants"</th></tr></thead>
                    <tbody>
                        {move || counts.with(|c| c.by_category.iter().map(|(id, n)| {
                            // Through the CSSOM (`style:`), which a host CSP without
                            // 'unsafe-inline' allows; a style attribute it would block.
                            let colour = ctx.category_colour(id);
                            view! {
                                <tr>
                                    <th scope="row"><span class="org-swatch" style:background-color=colour></span>{ctx.category_label(id)}</th>
                                    <td class="org-num">{*n}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
                <table class="org-table org-table--compact">
                    <caption>"Delegations by kind"<span class="org-caption-note">" (rejected and withdrawn registrations not counted)"</span></caption>
                    <thead><tr><th scope="col">"Kind"</th><th scope="col" class="org-num">"Delegations"</th></tr></thead>
                    <tbody>
                        {move || counts.with(|c| c.by_kind.iter().map(|(kind, n)| view! {
                            <tr><th scope="row">{kind_label(*kind)}</th><td class="org-num">{*n}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

pub fn status_label(status: accredit_model::review::Status) -> &'static str {
    use accredit_model::review::Status;
    match status {
        Status::Pending => "Pending",
        Status::Approved => "Approved",
        Status::Rejected => "Rejected",
        Status::ChangesRequested => "Changes requested",
        Status::Withdrawn => "Withdrawn",
    }
}

pub fn kind_label(kind: accredit_model::DelegationKind) -> &'static str {
    use accredit_model::DelegationKind as K;
    match kind {
        K::MemberState => "Member State",
        K::ObserverState => "Observer State",
        K::IntergovernmentalOrganisation => "Intergovernmental organisation",
        K::UnEntity => "United Nations entity",
        K::Ngo => "Non-governmental organisation",
        K::Media => "Media",
        K::Other => "Other",
    }
}
