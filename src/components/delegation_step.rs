//! Step 1: who the delegation represents, and who to contact about it.

use super::attachment::{AttachmentField, FileKind};
use super::choices;
use super::country_field::CountryField;
use super::field::TextField;
use crate::form::{Form, Step};
use leptos::prelude::*;

#[component]
pub fn DelegationStep() -> impl IntoView {
    let form = expect_context::<Form>();
    let d = form.delegation;
    let f = form.focal_point;
    let kinds = form.event.with_value(|e| e.delegation_kinds.clone());
    let is_state = Memo::new(move |_| d.with(|d| d.kind.is_state()));
    let countries = choices::countries(form, true);
    let organisations = Memo::new(move |_| {
        let kind = d.with(|d| d.kind);
        let lang = form.i18n.with_value(|i| i.lang.clone());
        form.event.with_value(|e| {
            e.organisations
                .iter()
                .filter(|o| o.kind == kind)
                .map(|o| o.name.get(&lang).to_string())
                .collect::<Vec<_>>()
        })
    });
    let kind_id = form.id("delegation.kind");
    let org_list_id = form.id("organisations");
    view! {
        <h2 class="accredit-heading" id=form.id(Step::Delegation.heading()) tabindex="-1">{form.t("ui.step.delegation")}</h2>
        <fieldset class="accredit-fieldset" id=kind_id.clone()>
            <legend class="accredit-legend">{form.t("ui.delegation.kind")}</legend>
            <div class="accredit-radios">
                {kinds.into_iter().map(|kind| {
                    let id = format!("{kind_id}-{}", kind.as_str());
                    view! {
                        <div class="accredit-radio">
                            <input type="radio" class="accredit-radio__input" id=id.clone()
                                name=kind_id.clone() value=kind.as_str()
                                prop:checked=move || d.with(|d| d.kind == kind)
                                on:change=move |_| { d.update(|d| d.kind = kind); form.revalidate(); } />
                            <label class="accredit-radio__label" for=id>{form.t(&format!("ui.kind.{}", kind.as_str()))}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
        <Show when=move || is_state.get() fallback=move || view! {
            <TextField path="delegation.organisation".into() label=form.t("ui.delegation.organisation")
                hint=form.t("ui.delegation.organisation.hint") autocomplete="organization"
                list=org_list_id.clone()
                value=Signal::derive(move || d.with(|d| d.organisation.clone().unwrap_or_default()))
                on_input=Callback::new(move |v: String| d.update(|d| d.organisation = Some(v).filter(|v| !v.is_empty()))) />
            <datalist id=org_list_id.clone()>
                {move || organisations.get().into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
            </datalist>
        }>
            <CountryField path="delegation.country".into() label=form.t("ui.delegation.country")
                hint=form.t("ui.delegation.country.hint")
                choices=countries.clone()
                value=Signal::derive(move || d.with(|d| d.country.clone().unwrap_or_default()))
                on_change=Callback::new(move |v: String| d.update(|d| d.country = Some(v).filter(|v| !v.is_empty()))) />
        </Show>
        {form.event.with_value(|e| e.fields.credentials_letter).is_collected().then(|| {
            let rule = form.event.with_value(|e| e.fields.credentials_letter);
            view! {
                <AttachmentField path="delegation.credentials_letter".into()
                    label=form.t("ui.delegation.credentials_letter")
                    hint=form.tf("ui.delegation.credentials_letter.hint", &[("max", choices::max_upload(form))])
                    optional=!rule.is_required() kind=FileKind::Letter
                    value=Signal::derive(move || d.with(|d| d.credentials_letter.clone()))
                    on_change=Callback::new(move |v| d.update(|d| d.credentials_letter = v)) />
            }
        })}
        <fieldset class="accredit-fieldset">
            <legend class="accredit-legend">{form.t("ui.focal_point")}</legend>
            <div class="accredit-hint">{form.t("ui.focal_point.hint")}</div>
            <TextField path="focal_point.given_names".into() label=form.t("ui.given_names")
                hint=form.t("ui.given_names.hint") autocomplete="given-name"
                value=Signal::derive(move || f.with(|f| f.given_names.clone()))
                on_input=Callback::new(move |v| f.update(|f| f.given_names = v)) />
            <TextField path="focal_point.family_name".into() label=form.t("ui.family_name") optional=true
                autocomplete="family-name"
                value=Signal::derive(move || f.with(|f| f.family_name.clone()))
                on_input=Callback::new(move |v| f.update(|f| f.family_name = v)) />
            <TextField path="focal_point.email".into() label=form.t("ui.email") kind="email"
                autocomplete="email" ltr=true
                value=Signal::derive(move || f.with(|f| f.email.clone()))
                on_input=Callback::new(move |v| f.update(|f| f.email = v)) />
            <TextField path="focal_point.phone".into() label=form.t("ui.phone") kind="tel"
                hint=form.t("ui.phone.hint") autocomplete="tel" ltr=true
                optional=!form.event.with_value(|e| e.fields.focal_point_phone.is_required())
                value=Signal::derive(move || f.with(|f| f.phone.clone()))
                on_input=Callback::new(move |v| f.update(|f| f.phone = v)) />
        </fieldset>
        <div class="accredit-actions">
            <button type="button" class="accredit-button" part="button" on:click=move |_| { form.try_advance(Step::Members); }>
                {form.t("ui.continue")}
            </button>
        </div>
    }
}
