//! Step 2: the roster. Members can be added, removed (with undo),
//! duplicated and reordered; focus follows every change so keyboard users
//! never lose their place. Adding a member folds the complete ones above it
//! to their summary line and puts the cursor in the new member's first field.

use super::member_card::MemberCard;
use crate::browser;
use crate::form::{Form, Step};
use accredit_model::Member;
use leptos::prelude::*;

#[component]
pub fn MembersStep() -> impl IntoView {
    let form = expect_context::<Form>();
    let heading_id = form.id(Step::Members.heading());
    let add = move |_| {
        let key = form.add_member(Member::default());
        form.fold_complete_members(key);
        request_animation_frame(move || {
            browser::focus_first_field(&form.id(&format!("member-{key}")));
        });
    };
    let undo = move |_| {
        let key = form.removed.get_untracked().map(|(_, row)| row.key);
        form.undo_remove();
        if let Some(key) = key {
            request_animation_frame(move || {
                browser::focus(&form.id(&format!("member-{key}-title")));
            });
        }
    };
    let count = move || {
        form.tf(
            "ui.members.count",
            &[("count", form.members.with(Vec::len).to_string())],
        )
    };
    view! {
        <h2 class="accredit-heading" id=heading_id tabindex="-1">{form.t("ui.step.members")}</h2>
        <p class="accredit-body">{form.t("ui.members.intro")}</p>
        <p class="accredit-body accredit-muted" aria-live="polite">{count}</p>
        {move || form.removed.get().map(|(_, row)| {
            let name = row.data.with_untracked(Member::badge_text);
            view! {
                <div class="accredit-notice" role="status">
                    <span>{form.tf("ui.member.removed", &[("name", name)])}" "</span>
                    <button type="button" class="accredit-link-button" on:click=undo>{form.t("ui.member.undo")}</button>
                </div>
            }
        })}
        <ol class="accredit-roster">
            <For
                each=move || form.members.get()
                key=|row| row.key
                children=move |row| view! { <MemberCard row /> }
            />
        </ol>
        <div class="accredit-actions">
            <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button" on:click=add>
                {form.t("ui.members.add")}
            </button>
        </div>
        <div class="accredit-actions">
            <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button" on:click=move |_| form.go_to(Step::Delegation)>
                {form.t("ui.back")}
            </button>
            <button type="button" class="accredit-button" part="button" on:click=move |_| { form.try_advance(Step::Review); }>
                {form.t("ui.continue")}
            </button>
        </div>
    }
}
