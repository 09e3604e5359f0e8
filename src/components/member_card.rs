//! One member of the delegation: every field the event collects, grouped,
//! and a one-line summary once the focal point is done with it.

use super::attachment::{AttachmentField, FileKind};
use super::choices;
use super::country_field::CountryField;
use super::field::{Checkbox, DateField, SelectField, TextArea, TextField};
use crate::browser;
use crate::form::{Form, MemberRow};
use accredit_model::date_parts::{DateParts, DateSubject};
use accredit_model::{Date, DocumentKind, FieldRule, HONORIFICS, IdentityDocument, Member};
use leptos::prelude::*;

/// Binds a `String` field of the member to an input.
macro_rules! text {
    ($m:expr, $($field:ident).+) => {{
        let m = $m;
        (
            Signal::derive(move || m.with(|m| m.$($field).+.clone())),
            Callback::new(move |v: String| m.update(|m| m.$($field).+ = v)),
        )
    }};
}

/// Binds an `Option<Date>` field of the member (at `field`, its path in
/// the member) to a day-month-year input: the fields show what was typed,
/// or the stored date; the member holds the date once the fields make one.
fn date_binding(
    row: MemberRow,
    field: &'static str,
    get: fn(&Member) -> Option<Date>,
    set: fn(&mut Member, Option<Date>),
) -> (Signal<DateSubject>, Signal<DateParts>, Callback<DateParts>) {
    let m = row.data;
    let subject = Signal::derive(move || {
        m.with(|m| DateSubject::of_member_field(field, m).expect("a date field"))
    });
    let value = Signal::derive(move || {
        row.dates
            .with(|d| d.get(field).cloned())
            .unwrap_or_else(|| m.with(|m| get(m).map(DateParts::from_date).unwrap_or_default()))
    });
    let on_input = Callback::new(move |parts: DateParts| {
        let date = parts.read(subject.get_untracked()).ok().flatten();
        row.dates.update(|d| {
            d.insert(field, parts);
        });
        m.update(|m| set(m, date));
    });
    (subject, value, on_input)
}

/// "For example, 27 3 2007": the hint of a date input, with `example` as
/// the fields take it (day, month, year).
fn date_hint(form: Form, example: Date) -> String {
    let example = format!("{} {} {}", example.day(), example.month(), example.year());
    form.tf("ui.date.hint", &[("example", example)])
}

/// Binds a field of the member's identity document, creating it on first input.
fn document_binding(
    m: RwSignal<Member>,
    get: fn(&IdentityDocument) -> String,
    set: fn(&mut IdentityDocument, String),
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || {
            m.with(|m| m.identity_document.as_ref().map(get).unwrap_or_default())
        }),
        Callback::new(move |v: String| {
            m.update(|m| {
                set(
                    m.identity_document
                        .get_or_insert_with(IdentityDocument::default),
                    v,
                );
            });
        }),
    )
}

#[component]
pub fn MemberCard(row: MemberRow) -> impl IntoView {
    let form = expect_context::<Form>();
    let key = row.key;
    let m = row.data;
    let index = Memo::new(move |_| {
        form.members
            .with(|rows| rows.iter().position(|r| r.key == key).unwrap_or(0))
    });
    let count = Memo::new(move |_| form.members.with(Vec::len));
    let title_id = form.id(&format!("member-{key}-title"));
    let has_errors = Memo::new(move |_| {
        let prefix = format!("members[{}]", index.get());
        form.errors.with(|e| e.for_path(&prefix).next().is_some())
    });
    // A card with errors is always open: its messages must be visible.
    let open = Memo::new(move |_| row.open.get() || has_errors.get());
    let title = move || {
        let n = (index.get() + 1).to_string();
        let name = m.with(Member::badge_text);
        let label = form.tf("ui.member.title", &[("n", n)]);
        if name.is_empty() {
            label
        } else {
            format!("{label}: {name}")
        }
    };
    let category_label = move || {
        let id = m.with(|m| m.category.clone());
        choices::categories(form)
            .into_iter()
            .find(|(c, _)| *c == id)
            .map(|(_, l)| l)
            .unwrap_or_default()
    };
    let focus_title = move |k: u32| {
        request_animation_frame(move || browser::focus(&form.id(&format!("member-{k}-title"))));
    };
    let remove = move |_| {
        form.remove_member(key);
        // Focus the roster heading: the card it was on is gone.
        request_animation_frame(move || browser::focus(&form.id("members")));
    };
    let duplicate = move |_| {
        if let Some(k) = form.duplicate_member(key) {
            form.fold_complete_members(k);
            request_animation_frame(move || {
                browser::focus_first_field(&form.id(&format!("member-{k}")));
            });
        }
    };
    let move_by = move |by: isize| {
        form.move_member(key, by);
        focus_title(key);
    };
    let card_id = form.id(&format!("member-{key}"));
    // Manage mode: someone else takes a stored member's place.
    let replace = (row.stored && form.is_managing()).then(|| {
        let card = card_id.clone();
        view! {
            <button type="button" class="accredit-link-button accredit-member__replace" on:click=move |_| {
                form.replace_member(key);
                let card = card.clone();
                request_animation_frame(move || browser::focus_first_field(&card));
            }>{form.t("ui.member.replace")}</button>
        }
    });

    view! {
        <li class="accredit-member" id=card_id class:accredit-member--error=move || has_errors.get()>
            <h3 class="accredit-member__title" id=title_id tabindex="-1">{title}</h3>
            // Rebuilt when the member moves: error paths and ids follow its index.
            {move || {
                let index = index.get();
                if open.get() {
                    view! { <MemberFields row index /> }.into_any()
                } else {
                    view! { <p class="accredit-member__summary">{category_label}</p> }.into_any()
                }
            }}
            <div class="accredit-member__actions">
                <Show when=move || open.get() fallback=move || view! {
                    <button type="button" class="accredit-link-button" on:click=move |_| { row.open.set(true); focus_title(key); }>
                        {form.t("ui.member.edit")}
                    </button>
                }>
                    <button type="button" class="accredit-button accredit-button--secondary" part="button secondary-button" on:click=move |_| { row.open.set(false); focus_title(key); }>
                        {form.t("ui.member.done")}
                    </button>
                </Show>
                {replace}
                <button type="button" class="accredit-link-button" on:click=duplicate>{form.t("ui.member.duplicate")}</button>
                <button type="button" class="accredit-link-button" disabled=move || index.get() == 0
                    on:click=move |_| move_by(-1)>{form.t("ui.member.up")}</button>
                <button type="button" class="accredit-link-button" disabled=move || { index.get() + 1 >= count.get() }
                    on:click=move |_| move_by(1)>{form.t("ui.member.down")}</button>
                <button type="button" class="accredit-link-button accredit-link-button--danger" on:click=remove>
                    {form.t("ui.member.remove")}
                </button>
            </div>
        </li>
    }
}

#[component]
fn MemberFields(row: MemberRow, index: usize) -> impl IntoView {
    let form = expect_context::<Form>();
    let m = row.data;
    let p = move |field: &str| format!("members[{index}].{field}");
    let rules = form.event.with_value(|e| e.fields.clone());
    let shown = |r: FieldRule| r.is_collected();
    let optional = |r: FieldRule| !r.is_required();
    let needs_document = Memo::new(move |_| {
        let cat = m.with(|m| m.category.clone());
        form.event
            .with_value(|e| e.category(&cat).is_some_and(|c| c.needs_identity_document))
    });
    let travel_rule = rules.travel;
    let wants_travel = Memo::new(move |_| travel_rule.is_required() || m.with(|m| m.visa_letter));
    let honorifics_id = form.id("honorifics");
    let lang = form.i18n.with_value(|i| i.lang.clone());
    let sessions = form.event.with_value(|e| {
        e.sessions
            .iter()
            .map(|s| (s.id.clone(), s.label.get(&lang).to_string(), s.date))
            .collect::<Vec<_>>()
    });
    let document_kinds: Vec<(String, String)> = DocumentKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                choices::capitalise(&form.t(&format!("document_kind.{}", k.as_str()))),
            )
        })
        .collect();
    let all_countries = choices::countries(form, false);

    let (honorific, set_honorific) = text!(m, honorific);
    let (given, set_given) = text!(m, given_names);
    let (family, set_family) = text!(m, family_name);
    let (badge, set_badge) = text!(m, badge_name);
    let (function, set_function) = text!(m, function);
    let (institution, set_institution) = text!(m, institution);
    let (nationality, set_nationality) = text!(m, nationality);
    let (category, set_category) = text!(m, category);
    let (email, set_email) = text!(m, email);
    let (phone, set_phone) = text!(m, phone);
    let (dietary, set_dietary) = text!(m, dietary);
    let (accessibility, set_accessibility) = text!(m, accessibility);
    let (doc_kind, set_doc_kind) = document_binding(
        m,
        |d| d.kind.as_str().to_string(),
        |d, v| {
            d.kind = DocumentKind::ALL
                .into_iter()
                .find(|k| k.as_str() == v)
                .unwrap_or_default();
        },
    );
    let (doc_number, set_doc_number) =
        document_binding(m, |d| d.number.clone(), |d, v| d.number = v);
    let (doc_country, set_doc_country) = document_binding(
        m,
        |d| d.issuing_country.clone(),
        |d, v| d.issuing_country = v,
    );
    let (expiry_subject, doc_expiry, set_doc_expiry) = date_binding(
        row,
        "identity_document.expires_on",
        |m| m.identity_document.as_ref().and_then(|d| d.expires_on),
        |m, date| {
            m.identity_document
                .get_or_insert_with(IdentityDocument::default)
                .expires_on = date;
        },
    );
    let (dob_subject, dob, set_dob) = date_binding(
        row,
        "date_of_birth",
        |m| m.date_of_birth,
        |m, d| m.date_of_birth = d,
    );
    let (arrival_subject, arrival, set_arrival) = date_binding(
        row,
        "arrival_date",
        |m| m.arrival_date,
        |m, d| m.arrival_date = d,
    );
    let (departure_subject, departure, set_departure) = date_binding(
        row,
        "departure_date",
        |m| m.departure_date,
        |m, d| m.departure_date = d,
    );
    // Examples that mean something for each date: the earliest expiry the
    // event accepts, its first and last days; a birth date long past.
    let (expiry_hint, arrival_hint, departure_hint) = form.event.with_value(|e| {
        (
            date_hint(form, e.earliest_valid_expiry()),
            date_hint(form, e.starts_on),
            date_hint(form, e.ends_on),
        )
    });
    let dob_hint = date_hint(form, Date::new(1980, 3, 27).expect("a date"));

    view! {
        <fieldset class="accredit-fieldset">
            <legend class="accredit-legend accredit-legend--small">{form.t("ui.member.identity")}</legend>
            {shown(rules.honorific).then(|| view! {
                <TextField path=p("honorific") label=form.t("ui.member.honorific") hint=form.t("ui.member.honorific.hint")
                    optional=optional(rules.honorific) autocomplete="honorific-prefix" width="short"
                    list=honorifics_id.clone() value=honorific on_input=set_honorific />
                <datalist id=honorifics_id.clone()>
                    {HONORIFICS.iter().map(|h| view! { <option value=*h></option> }).collect_view()}
                </datalist>
            })}
            <TextField path=p("given_names") label=form.t("ui.given_names") hint=form.t("ui.given_names.hint")
                autocomplete="given-name" value=given on_input=set_given />
            <TextField path=p("family_name") label=form.t("ui.family_name") optional=true
                autocomplete="family-name" value=family on_input=set_family />
            {shown(rules.badge_name).then(|| view! {
                <TextField path=p("badge_name") label=form.t("ui.member.badge_name") hint=form.t("ui.member.badge_name.hint")
                    optional=optional(rules.badge_name) autocomplete="off" value=badge on_input=set_badge />
            })}
        </fieldset>
        <fieldset class="accredit-fieldset">
            <legend class="accredit-legend accredit-legend--small">{form.t("ui.member.role")}</legend>
            <SelectField path=p("category") label=form.t("ui.member.category")
                placeholder=form.t("ui.member.category.choose") choices=choices::categories(form)
                value=category on_change=set_category />
            {shown(rules.function).then(|| view! {
                <TextField path=p("function") label=form.t("ui.member.function") optional=optional(rules.function)
                    autocomplete="organization-title" value=function on_input=set_function />
            })}
            {shown(rules.institution).then(|| view! {
                <TextField path=p("institution") label=form.t("ui.member.institution") optional=optional(rules.institution)
                    autocomplete="organization" value=institution on_input=set_institution />
            })}
            {shown(rules.nationality).then(|| view! {
                <CountryField path=p("nationality") label=form.t("ui.member.nationality") optional=optional(rules.nationality)
                    choices=all_countries.clone() value=nationality on_change=set_nationality />
            })}
        </fieldset>
        {(shown(rules.email) || shown(rules.phone)).then(|| view! {
            <fieldset class="accredit-fieldset">
                <legend class="accredit-legend accredit-legend--small">{form.t("ui.member.contact")}</legend>
                {shown(rules.email).then(|| view! {
                    <TextField path=p("email") label=form.t("ui.email") kind="email" ltr=true
                        optional=optional(rules.email) autocomplete="email" value=email on_input=set_email />
                })}
                {shown(rules.phone).then(|| view! {
                    <TextField path=p("phone") label=form.t("ui.phone") kind="tel" ltr=true hint=form.t("ui.phone.hint")
                        optional=optional(rules.phone) autocomplete="tel" value=phone on_input=set_phone />
                })}
            </fieldset>
        })}
        {shown(rules.photo).then(|| view! {
            <AttachmentField path=p("photo") label=form.t("ui.member.photo")
                hint=form.tf("ui.member.photo.hint", &[("max", choices::max_upload(form))])
                optional=optional(rules.photo) kind=FileKind::Photo
                value=Signal::derive(move || m.with(|m| m.photo.clone()))
                on_change=Callback::new(move |v| m.update(|m| m.photo = v)) />
        })}
        <Show when=move || needs_document.get()>
            <fieldset class="accredit-fieldset" id=form.id(&p("identity_document")) tabindex="-1">
                <legend class="accredit-legend accredit-legend--small">{form.t("ui.member.document")}</legend>
                <div class="accredit-hint">{form.t("ui.member.document.hint")}</div>
                <SelectField path=p("identity_document.kind") label=form.t("ui.member.document.kind")
                    placeholder=form.t("ui.member.document.kind.choose") choices=document_kinds.clone()
                    value=doc_kind on_change=set_doc_kind />
                <TextField path=p("identity_document.number") label=form.t("ui.member.document.number")
                    ltr=true autocomplete="off" width="medium" value=doc_number on_input=set_doc_number />
                <CountryField path=p("identity_document.issuing_country") label=form.t("ui.member.document.issuing_country")
                    choices=all_countries.clone() value=doc_country on_change=set_doc_country />
                <DateField path=p("identity_document.expires_on") label=form.t("ui.member.document.expires_on")
                    hint=expiry_hint.clone() subject=expiry_subject value=doc_expiry on_input=set_doc_expiry />
                {shown(rules.date_of_birth).then(|| view! {
                    <DateField path=p("date_of_birth") label=form.t("ui.member.date_of_birth")
                        hint=dob_hint.clone() subject=dob_subject autocomplete="bday" value=dob on_input=set_dob />
                })}
            </fieldset>
        </Show>
        {(shown(rules.sessions) && !sessions.is_empty()).then(|| view! {
            <fieldset class="accredit-fieldset" id=form.id(&p("sessions")) tabindex="-1">
                <legend class="accredit-legend accredit-legend--small">{form.t("ui.member.sessions")}</legend>
                <div class="accredit-hint">{form.t("ui.member.sessions.hint")}</div>
                {sessions.iter().map(|(id, label, date)| {
                    let id = id.clone();
                    let session = id.clone();
                    let text = format!("{label} ({})", form.i18n.with_value(|i| i.date(*date)));
                    view! {
                        <Checkbox path=p(&format!("sessions.{id}")) label=text
                            checked=Signal::derive(move || m.with(|m| m.sessions.contains(&id)))
                            on_change=Callback::new(move |on: bool| m.update(|m| {
                                m.sessions.retain(|s| *s != session);
                                if on { m.sessions.push(session.clone()); }
                            })) />
                    }
                }).collect_view()}
            </fieldset>
        })}
        {(shown(rules.visa_letter) || shown(travel_rule)).then(|| view! {
            <fieldset class="accredit-fieldset">
                <legend class="accredit-legend accredit-legend--small">{form.t("ui.member.travel")}</legend>
                {shown(rules.visa_letter).then(|| view! {
                    <Checkbox path=p("visa_letter") label=form.t("ui.member.visa_letter")
                        checked=Signal::derive(move || m.with(|m| m.visa_letter))
                        on_change=Callback::new(move |on: bool| m.update(|m| m.visa_letter = on)) />
                })}
                <Show when=move || wants_travel.get() && shown(travel_rule)>
                    <DateField path=p("arrival_date") label=form.t("ui.member.arrival_date")
                        hint=arrival_hint.clone() subject=arrival_subject value=arrival on_input=set_arrival />
                    <DateField path=p("departure_date") label=form.t("ui.member.departure_date")
                        hint=departure_hint.clone() subject=departure_subject value=departure on_input=set_departure />
                </Show>
            </fieldset>
        })}
        {shown(rules.dietary).then(|| view! {
            <TextArea path=p("dietary") label=form.t("ui.member.dietary") optional=optional(rules.dietary)
                value=dietary on_input=set_dietary />
        })}
        {shown(rules.accessibility).then(|| view! {
            <TextArea path=p("accessibility") label=form.t("ui.member.accessibility") optional=optional(rules.accessibility)
                value=accessibility on_input=set_accessibility />
        })}
    }
}
