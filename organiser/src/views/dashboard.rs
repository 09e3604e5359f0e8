//! The event at a glance: days until registration closes, and counts by
//! status, accreditation category and delegation kind.

use crate::app::Ctx;
use crate::browser;
use crate::roster;
use crate::view_state::{Tab, ViewState};
use leptos::prelude::*;

#[component]
pub fn Dashboard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let counts = Memo::new(move |_| {
        ctx.entries
            .with(|e| ctx.event.with_value(|ev| roster::counts(e, ev)))
    });
    let t = ctx.i18n();
    let closes = ctx.event.with_value(|e| e.registration_closes_on);
    let days = browser::today().days_until(closes);
    let on = t.date(closes);
    let deadline = match days {
        d if d < 0 => t.tf("org.dashboard.closed", &[("date", &on)]),
        0 => t.t("org.dashboard.closes_today"),
        d => t.tf(
            &format!(
                "org.dashboard.closes_in.{}",
                browser::plural_category(&t.lang, d as usize)
            ),
            &[("n", &t.number(d as usize)), ("date", &on)],
        ),
    };
    let closed = days < 0;
    let show = move |status: &'static str| {
        move |_| {
            ctx.set_view(|v| {
                *v = ViewState::default();
                v.tab = Tab::Delegations;
                status.clone_into(&mut v.status);
            });
        }
    };
    let number = move |n: usize| ctx.i18n().number(n);
    view! {
        <section class="org-dashboard" aria-labelledby="org-dashboard-title">
            <h2 id="org-dashboard-title" class="org-visually-hidden">{t.t("org.tab.dashboard")}</h2>
            <p class="org-deadline" class:org-deadline--closed=closed>{deadline}</p>
            <div class="org-cards">
                <div class="org-card">
                    <p class="org-card__number">{move || number(counts.with(|c| c.registrations))}</p>
                    <p class="org-card__label">{t.t("org.dashboard.registrations")}</p>
                    <p class="org-card__detail">{t.t("org.dashboard.withdrawn_not_counted")}</p>
                </div>
                <div class="org-card">
                    <p class="org-card__number">{move || number(counts.with(|c| c.participants))}</p>
                    <p class="org-card__label">{t.t("org.dashboard.participants")}</p>
                    <p class="org-card__detail">{t.t("org.dashboard.withdrawn_not_counted")}</p>
                </div>
                {move || counts.with(|c| c.by_status.iter().map(|(status, registrations, participants)| {
                    let (status, registrations, participants) = (*status, *registrations, *participants);
                    view! {
                        <div class="org-card" data-status=status.as_str()>
                            <p class="org-card__number">{number(registrations)}</p>
                            <p class="org-card__label">{ctx.i18n().status(status)}</p>
                            <p class="org-card__detail">{ctx.i18n().count("org.dashboard.participants_n", participants)}</p>
                            <button type="button" class="org-link" on:click=show(status.as_str())>
                                {ctx.i18n().t(&format!("org.dashboard.show.{}", status.as_str()))}
                            </button>
                        </div>
                    }
                }).collect_view())}
            </div>
            <div class="org-columns">
                <table class="org-table org-table--compact">
                    <caption>{t.t("org.dashboard.by_category")}<span class="org-caption-note">" "{t.t("org.dashboard.not_counted")}</span></caption>
                    <thead><tr><th scope="col">{t.t("org.field.category")}</th><th scope="col" class="org-num">{t.t("org.dashboard.participants_heading")}</th></tr></thead>
                    <tbody>
                        {move || counts.with(|c| c.by_category.iter().map(|(id, n)| {
                            // Through the CSSOM (`style:`), which a host CSP without
                            // 'unsafe-inline' allows; a style attribute it would block.
                            let colour = ctx.category_colour(id);
                            view! {
                                <tr>
                                    <th scope="row"><span class="org-swatch" style:background-color=colour></span>{ctx.category_label(id)}</th>
                                    <td class="org-num">{number(*n)}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
                <table class="org-table org-table--compact">
                    <caption>{t.t("org.dashboard.by_kind")}<span class="org-caption-note">" "{t.t("org.dashboard.not_counted")}</span></caption>
                    <thead><tr><th scope="col">{t.t("org.field.kind")}</th><th scope="col" class="org-num">{t.t("org.tab.delegations")}</th></tr></thead>
                    <tbody>
                        {move || counts.with(|c| c.by_kind.iter().map(|(kind, n)| view! {
                            <tr><th scope="row">{ctx.i18n().kind(*kind)}</th><td class="org-num">{number(*n)}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
