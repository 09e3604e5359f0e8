//! Badge sheets: A4, eight badges a page, ready to print. Each badge has the
//! badge name, the delegation, the category in its colour, the photo and a
//! QR code of the registration reference. Sheets come in batches so a
//! printer (and the browser) never gets thousands of pages at once.
//!
//! Badges are in the event's badge language (`badge_language`), whatever
//! language the organiser reads: the delegation's name and the category
//! in it, the person's Latin badge name as registered.

use super::detail::Attachment;
use super::filters::Filters;
use crate::app::Ctx;
use crate::browser::{self, CountryNames};
use crate::i18n;
use crate::qr;
use crate::roster::Participant;
use accredit_model::review::Status;
use leptos::prelude::*;

pub const PER_SHEET: usize = 8;
/// Sheets per print batch (200 badges).
pub const SHEETS_PER_BATCH: usize = 25;

#[component]
pub fn Badges() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let batch = RwSignal::new(0usize);
    let badges = Memo::new(move |_| {
        let participants = ctx.participants();
        ctx.entries.with(|entries| {
            participants
                .into_iter()
                .filter(|p| entries[p.entry].status != Status::Rejected)
                .collect::<Vec<_>>()
        })
    });
    let per_batch = PER_SHEET * SHEETS_PER_BATCH;
    let t = ctx.i18n();
    let batches = move || badges.with(|b| b.len().div_ceil(per_batch).max(1));
    let current = move || batch.get().min(batches() - 1);
    let sheets = move || {
        let b = current();
        badges.with(|all| {
            all.iter()
                .skip(b * per_batch)
                .take(per_batch)
                .copied()
                .collect::<Vec<_>>()
                .chunks(PER_SHEET)
                .map(<[Participant]>::to_vec)
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="org-badges" aria-labelledby="org-badges-title">
            <h2 id="org-badges-title" class="org-h2 org-screen-only">{t.t("org.tab.badges")}</h2>
            <div class="org-screen-only">
                <Filters/>
                <p class="org-hint">{t.t("org.badges.hint")}</p>
                <div class="org-list__tools">
                    <div class="org-field">
                        <label class="org-label" for="org-batch">{t.t("org.badges.sheets")}</label>
                        <select class="org-select" id="org-batch" on:change=move |ev| batch.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {move || {
                                let total = badges.with(Vec::len);
                                let t = ctx.i18n();
                                (0..batches()).map(|b| {
                                    let first = t.number(b * per_batch + 1);
                                    let last = t.number(((b + 1) * per_batch).min(total));
                                    let label = t.tf("org.badges.batch", &[("first", &first), ("last", &last), ("total", &t.number(total))]);
                                    view! { <option value=b.to_string() selected=move || current() == b>{label}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </div>
                    <button type="button" class="org-button" on:click=move |_| browser::print()>{t.t("org.badges.print")}</button>
                </div>
            </div>
            <div class="org-sheets" part="badge-sheets">
                <For
                    each=sheets
                    key=|sheet| sheet.clone()
                    children=move |sheet| view! {
                        <div class="org-sheet">
                            {sheet.into_iter().map(|p| view! { <Badge participant=p/> }).collect_view()}
                        </div>
                    }
                />
            </div>
        </section>
    }
}

#[component]
fn Badge(participant: Participant) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (entry, member) = ctx.entries.with_untracked(|e| {
        let entry = &e[participant.entry];
        (
            entry.clone(),
            entry.registration.members[participant.member].clone(),
        )
    });
    let colour = ctx.category_colour(&member.category);
    let ink = ink_on(&colour);
    let t = ctx.i18n();
    // The badge's own language, not the organiser's.
    let (lang, delegation, category) = ctx.event.with_value(|e| {
        let lang = e.badge_language.clone();
        let names = CountryNames::new(&lang);
        let delegation = i18n::delegation_name(e, &entry.registration.delegation, &names, &lang);
        let category = e.category(&member.category).map_or_else(
            || member.category.clone(),
            |c| c.label.get(&lang).to_owned(),
        );
        (lang, delegation, category)
    });
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    let code = qr::encode(&entry.reference);
    let photo_label = t.tf("org.photo_of", &[("name", &member.badge_text())]);
    let qr_label = t.tf("org.badges.qr", &[("reference", &entry.reference)]);
    view! {
        <article class="org-badge" lang=lang dir=dir style:--badge-colour=colour style:--badge-ink=ink>
            <div class="org-badge__photo">
                {member.photo.clone().map(|id| view! { <Attachment id=id label=photo_label image=true/> })}
            </div>
            <div class="org-badge__text">
                <p class="org-badge__name" dir="ltr">{member.badge_text()}</p>
                <p class="org-badge__delegation">{delegation}</p>
            </div>
            {code.map(|q| view! {
                <svg class="org-badge__qr" viewBox=format!("0 0 {0} {0}", q.size) role="img" aria-label=qr_label>
                    <rect width="100%" height="100%" fill="#fff"/>
                    <path d=q.path fill="#000"/>
                </svg>
            })}
            <p class="org-badge__category">{category}</p>
        </article>
    }
}

/// Black or white, whichever reads better on `background` (`#rrggbb`), by
/// WCAG contrast ratio: category colours are the event's choice.
pub fn ink_on(background: &str) -> &'static str {
    let hex = background.trim_start_matches('#');
    let channel = |i: usize| {
        let v = f64::from(
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0),
        ) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // Contrast with black: (L + 0.05) / 0.05; with white: 1.05 / (L + 0.05).
    if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) {
        "#000"
    } else {
        "#fff"
    }
}

#[cfg(test)]
mod tests {
    use super::ink_on;

    #[test]
    fn ink_contrasts_with_the_category_colour() {
        assert_eq!(ink_on("#8b1e3f"), "#fff");
        assert_eq!(ink_on("#1f4e79"), "#fff");
        assert_eq!(ink_on("#f2c94c"), "#000");
        assert_eq!(ink_on("#ffffff"), "#000");
        assert_eq!(ink_on("#000000"), "#fff");
    }
}
