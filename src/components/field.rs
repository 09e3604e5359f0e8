//! Form fields in the GOV.UK pattern: label, hint, then the error message,
//! then the control; the control is tied to hint and error by
//! aria-describedby and marked aria-invalid while in error.

use crate::browser;
use crate::form::Form;
use accredit_model::date_parts::{DatePart, DateParts, DateSubject};
use leptos::prelude::*;

/// Ids and error state shared by a field's parts.
#[derive(Clone)]
pub(crate) struct Parts {
    pub(super) id: String,
    hint_id: Option<String>,
    error_id: String,
    error: Memo<Option<String>>,
}

impl Parts {
    pub(super) fn new(form: Form, path: &str, has_hint: bool) -> Parts {
        let id = form.id(path);
        let path = path.to_string();
        Parts {
            hint_id: has_hint.then(|| format!("{id}-hint")),
            error_id: format!("{id}-error"),
            id,
            error: Memo::new(move |_| form.error_at(&path)),
        }
    }

    pub(super) fn described_by(&self) -> Signal<Option<String>> {
        let (hint, error_id, error) = (self.hint_id.clone(), self.error_id.clone(), self.error);
        Signal::derive(move || {
            let ids: Vec<&str> = hint
                .as_deref()
                .into_iter()
                .chain(error.get().is_some().then_some(error_id.as_str()))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        })
    }

    pub(super) fn invalid(&self) -> Signal<Option<&'static str>> {
        let error = self.error;
        Signal::derive(move || error.get().map(|_| "true"))
    }
}

/// Label, optional hint and the error message (if any), in that order.
#[component]
pub(super) fn Frame(
    form: Form,
    parts: Parts,
    label: String,
    hint: Option<String>,
    optional: bool,
    children: Children,
) -> impl IntoView {
    let error = parts.error;
    let prefix = form.t("ui.error_prefix");
    let optional = optional.then(|| format!(" {}", form.t("ui.optional")));
    view! {
        <div class="accredit-field" class:accredit-field--error=move || error.get().is_some()>
            <label class="accredit-label" part="label" for=parts.id.clone()>{label}{optional}</label>
            {hint.map(|h| view! { <div class="accredit-hint" id=parts.hint_id.clone()>{h}</div> })}
            {move || error.get().map(|message| view! {
                <p class="accredit-error-message" part="error-message" id=parts.error_id.clone()>
                    <span class="accredit-visually-hidden">{prefix.clone()}" "</span>{message}
                </p>
            })}
            {children()}
        </div>
    }
}

/// A one-line text input bound to a string.
#[component]
pub fn TextField(
    path: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] optional: bool,
    /// `text`, `email` or `tel` (dates are a [`DateField`]).
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Keeps e-mail, phone and document numbers left-to-right in RTL pages.
    #[prop(optional)]
    ltr: bool,
    #[prop(optional)] width: Option<&'static str>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<String>,
    value: Signal<String>,
    on_input: Callback<String>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let parts = Parts::new(form, &path, hint.is_some());
    let (id, described_by, invalid) = (parts.id.clone(), parts.described_by(), parts.invalid());
    let class = format!(
        "accredit-input{}",
        width
            .map(|w| format!(" accredit-input--{w}"))
            .unwrap_or_default()
    );
    let set = move |text: String| {
        on_input.run(text);
        form.revalidate();
    };
    view! {
        <Frame form parts label hint optional>
            <input
                class=class
                part="input"
                id=id
                type=kind
                dir=ltr.then_some("ltr")
                autocomplete=autocomplete
                list=list
                spellcheck=matches!(kind, "email" | "tel").then_some("false")
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| set(event_target_value(&ev))
                on:change=move |ev| set(browser::nfc(event_target_value(&ev).trim()))
            />
        </Frame>
    }
}

/// A multi-line text answer.
#[component]
pub fn TextArea(
    path: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] optional: bool,
    value: Signal<String>,
    on_input: Callback<String>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let parts = Parts::new(form, &path, hint.is_some());
    let (id, described_by, invalid) = (parts.id.clone(), parts.described_by(), parts.invalid());
    let set = move |text: String| {
        on_input.run(text);
        form.revalidate();
    };
    view! {
        <Frame form parts label hint optional>
            <textarea
                class="accredit-textarea" part="input"
                id=id
                rows="3"
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| set(event_target_value(&ev))
                on:change=move |ev| set(browser::nfc(event_target_value(&ev).trim()))
            ></textarea>
        </Frame>
    }
}

/// A drop-down list; `choices` are (value, label) pairs, the first option
/// is empty and says what to do ("Choose a document type"): `placeholder`,
/// never the label again.
#[component]
pub fn SelectField(
    path: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    placeholder: String,
    choices: Vec<(String, String)>,
    value: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let parts = Parts::new(form, &path, hint.is_some());
    let (id, described_by, invalid) = (parts.id.clone(), parts.described_by(), parts.invalid());
    let options = choices
        .into_iter()
        .map(|(v, l)| {
            let selected = {
                let v = v.clone();
                move || value.with(|cur| *cur == v)
            };
            view! { <option value=v prop:selected=selected>{l}</option> }
        })
        .collect_view();
    view! {
        <Frame form parts label hint optional>
            <select
                class="accredit-select" part="input"
                id=id
                autocomplete=autocomplete
                aria-describedby=described_by
                aria-invalid=invalid
                on:change=move |ev| {
                    on_change.run(event_target_value(&ev));
                    form.revalidate();
                }
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>{placeholder}</option>
                {options}
            </select>
        </Frame>
    }
}

/// A single checkbox with its label to the right.
#[component]
pub fn Checkbox(
    path: String,
    label: String,
    checked: Signal<bool>,
    on_change: Callback<bool>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let parts = Parts::new(form, &path, false);
    let (id, error, error_id) = (parts.id.clone(), parts.error, parts.error_id.clone());
    let (described_by, invalid) = (parts.described_by(), parts.invalid());
    let prefix = form.t("ui.error_prefix");
    view! {
        <div class="accredit-field" class:accredit-field--error=move || error.get().is_some()>
            {move || error.get().map(|message| view! {
                <p class="accredit-error-message" part="error-message" id=error_id.clone()>
                    <span class="accredit-visually-hidden">{prefix.clone()}" "</span>{message}
                </p>
            })}
            <div class="accredit-checkbox">
                <input
                    type="checkbox"
                    class="accredit-checkbox__input"
                    id=id.clone()
                    aria-describedby=described_by
                    aria-invalid=invalid
                    prop:checked=move || checked.get()
                    on:change=move |ev| {
                        on_change.run(event_target_checked(&ev));
                        form.revalidate();
                    }
                />
                <label class="accredit-checkbox__label" for=id>{label}</label>
            </div>
        </div>
    }
}

/// A date in the GOV.UK date input pattern: one group (legend, hint with an
/// example, the error) of three numeric text fields, day, month and year.
/// What is typed stays as typed; the model reads it (and says which part is
/// wrong). The group's id is the path's; the fields' ids add `-day`,
/// `-month`, `-year`, which is where the error summary sends focus.
#[component]
pub fn DateField(
    path: String,
    label: String,
    hint: String,
    /// Names the date in messages (it can follow the document kind).
    subject: Signal<DateSubject>,
    /// `bday` for a date of birth: the fields get `bday-day` and the like.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    value: Signal<DateParts>,
    on_input: Callback<DateParts>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let parts = Parts::new(form, &path, true);
    let (id, described_by, error) = (parts.id.clone(), parts.described_by(), parts.error);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let prefix = form.t("ui.error_prefix");
    // The parts to mark: those the model names when the fields make no
    // date; all three when the date itself is wrong (missing, too soon…).
    let wrong = Memo::new(move |_| {
        error.get().map(|_| match value.get().read(subject.get()) {
            Err(e) => e.parts,
            Ok(_) => DatePart::ALL.to_vec(),
        })
    });
    let fields = DatePart::ALL
        .into_iter()
        .map(|part| {
            let field_id = format!("{id}-{}", part.as_str());
            let label = form.t(&format!("ui.date.{}", part.as_str()));
            let class = match part {
                DatePart::Year => "accredit-input accredit-input--year",
                _ => "accredit-input accredit-input--day",
            };
            let autocomplete = autocomplete.map(|a| format!("{a}-{}", part.as_str()));
            view! {
                <div class="accredit-date-input__item">
                    <label class="accredit-label accredit-date-input__label" for=field_id.clone()>{label}</label>
                    <input class=class part="input" id=field_id type="text" inputmode="numeric"
                        autocomplete=autocomplete spellcheck="false"
                        aria-invalid=move || wrong.with(|w| w.as_ref().is_some_and(|w| w.contains(&part)).then_some("true"))
                        prop:value=move || value.with(|v| v.get(part).to_string())
                        on:input=move |ev| {
                            let mut parts = value.get_untracked();
                            parts.set(part, event_target_value(&ev));
                            on_input.run(parts);
                            form.revalidate();
                        } />
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="accredit-field" class:accredit-field--error=move || error.get().is_some()>
            <fieldset class="accredit-fieldset accredit-date" id=id.clone() role="group"
                aria-describedby=described_by>
                <legend class="accredit-label accredit-date__legend">{label}</legend>
                <div class="accredit-hint" id=hint_id>{hint}</div>
                {move || error.get().map(|message| view! {
                    <p class="accredit-error-message" part="error-message" id=error_id.clone()>
                        <span class="accredit-visually-hidden">{prefix.clone()}" "</span>{message}
                    </p>
                })}
                <div class="accredit-date-input">{fields}</div>
            </fieldset>
        </div>
    }
}
