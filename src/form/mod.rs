//! The form's state: every answer, the current step, the errors shown.
//!
//! Each member is its own signal, so a keystroke in one card re-renders that
//! card only, however large the delegation.

pub mod draft;
pub mod submit;

use crate::api::{MyRegistration, Receipt, Revision, SubmitError};
use crate::i18n::I18n;
use accredit_model::date_parts::{DateParts, DateSubject};
use accredit_model::{
    Consent, Delegation, EventConfig, FocalPoint, Member, Registration, ValidationError,
    ValidationErrors,
};
use leptos::prelude::*;
use leptos::reactive::owner::{Owner, WeakOwner};
use std::collections::{BTreeMap, BTreeSet};

thread_local! {
    /// Mounted forms by instance id, so the host page can switch a widget's
    /// language from outside (`setLanguage`).
    static FORMS: std::cell::RefCell<std::collections::HashMap<String, Form>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Registers a mounted form under its instance id.
pub fn register(instance: &str, form: Form) {
    FORMS.with(|f| f.borrow_mut().insert(instance.to_string(), form));
}

/// The form mounted as `instance`.
pub fn find(instance: &str) -> Option<Form> {
    FORMS.with(|f| f.borrow().get(instance).copied())
}

/// Switches the language of the form mounted as `instance`.
pub fn switch_language(instance: &str, lang: &str) {
    if let Some(form) = FORMS.with(|f| f.borrow().get(instance).copied()) {
        form.set_language(crate::i18n::primary(lang));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Delegation,
    Members,
    Review,
    /// "Are you sure you want to withdraw?" (manage mode).
    Withdraw,
    Done,
}

impl Step {
    pub fn number(self) -> usize {
        match self {
            Step::Delegation => 1,
            Step::Members => 2,
            Step::Review | Step::Withdraw | Step::Done => 3,
        }
    }

    /// The id (within the form) of the step's heading, which takes focus
    /// when the step opens.
    pub fn heading(self) -> &'static str {
        match self {
            Step::Delegation => "delegation-heading",
            Step::Members => "members",
            Step::Review => "review-heading",
            Step::Withdraw => "withdraw-title",
            Step::Done => "done",
        }
    }

    /// The catalogue key of the step's title, for the steps counted in
    /// "Step n of 3".
    pub fn title_key(self) -> Option<&'static str> {
        match self {
            Step::Delegation => Some("ui.step.delegation"),
            Step::Members => Some("ui.step.members"),
            Step::Review => Some("ui.step.review"),
            Step::Withdraw | Step::Done => None,
        }
    }

    /// The step whose page holds the field at `path`.
    pub fn holding(path: &str) -> Step {
        [Step::Delegation, Step::Members]
            .into_iter()
            .find(|step| step.owns(path))
            .unwrap_or(Step::Review)
    }

    /// Whether this is one of the three steps of the form (not the
    /// withdrawal page or the confirmation).
    pub fn is_form_step(self) -> bool {
        matches!(self, Step::Delegation | Step::Members | Step::Review)
    }

    /// The error paths this step is responsible for.
    pub fn owns(self, path: &str) -> bool {
        match self {
            Step::Delegation => path.starts_with("delegation") || path.starts_with("focal_point"),
            Step::Members => path.starts_with("members"),
            Step::Review | Step::Withdraw | Step::Done => true,
        }
    }
}

/// One card in the roster. `key` is stable across reordering, so Leptos
/// moves DOM nodes instead of rebuilding them.
#[derive(Clone, Copy)]
pub struct MemberRow {
    pub key: u32,
    pub data: RwSignal<Member>,
    /// Shown as a one-line summary when false.
    pub open: RwSignal<bool>,
    /// The member's dates as typed (day, month, year), by field
    /// (`date_of_birth`, `identity_document.expires_on`…). The payload only
    /// holds real dates; what is typed stays here, so "25 4" is neither
    /// lost nor mistaken for no answer.
    pub dates: RwSignal<BTreeMap<&'static str, DateParts>>,
    /// Loaded from the stored registration (manage mode): the member can be
    /// replaced by someone else in the same place and category.
    pub stored: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Submission {
    Idle,
    Sending,
    Failed(SubmitError),
    /// Boxed: a whole delegation is far larger than the other states.
    Done(Box<(Receipt, Registration)>),
    /// The amendment was stored (manage mode).
    Amended(Revision),
    /// The registration was withdrawn (manage mode).
    Withdrawn(Revision),
}

/// Every answer and the state around them. All fields are signals, so the
/// struct is `Copy` and components take it from context.
#[derive(Clone, Copy)]
pub struct Form {
    /// The API base the host configured, e.g. `https://api.example.org/api/v1`.
    pub endpoint: StoredValue<String>,
    pub event: StoredValue<EventConfig>,
    pub i18n: StoredValue<I18n>,
    /// Prefix of element ids, unique per widget on the page.
    pub id_prefix: StoredValue<String>,
    pub delegation: RwSignal<Delegation>,
    pub focal_point: RwSignal<FocalPoint>,
    pub members: RwSignal<Vec<MemberRow>>,
    pub consent: RwSignal<Consent>,
    pub step: RwSignal<Step>,
    /// The errors on screen (only after the user tried to continue).
    pub errors: RwSignal<ValidationErrors>,
    /// The server's errors from the last refused submission, each with the
    /// answer it was about (as JSON) when the server saw it. They are shown
    /// on their fields, on whichever step, until that answer changes.
    server_errors: StoredValue<Vec<(ValidationError, Option<serde_json::Value>)>>,
    /// Bumped to move focus to the error summary after it is (re)built.
    pub summary_focus: RwSignal<u32>,
    /// What the polite live region says ("Step 2 of 3: Delegation
    /// members"), set once per step change.
    pub announcement: RwSignal<String>,
    pub submission: RwSignal<Submission>,
    /// One key per submission, reused by every retry of it.
    pub idempotency_key: StoredValue<Option<String>>,
    /// The last member removed, with its place, for "Undo".
    pub removed: RwSignal<Option<(usize, MemberRow)>>,
    pub draft_restored: RwSignal<bool>,
    /// Bumped when the language changes: the views rebuild in the new
    /// language while every answer stays in the signals above.
    pub lang_epoch: RwSignal<u32>,
    /// Manage mode: the token of the manage link the form was opened with.
    pub manage_token: StoredValue<Option<String>>,
    /// Manage mode: the registration as stored (document numbers masked),
    /// its status and version.
    pub managed: RwSignal<Option<MyRegistration>>,
    /// Where "Cancel" on the withdrawal page goes back to.
    pub return_to: StoredValue<Step>,
    next_key: StoredValue<u32>,
    /// The form's own reactive owner. Members are created from event
    /// handlers (Add, Undo, restore); their signals must belong to the form,
    /// not to whichever step happened to be on screen, or they would be
    /// disposed when the user moves to the next step.
    owner: StoredValue<WeakOwner>,
}

impl Form {
    pub fn new(event: EventConfig, i18n: I18n, id_prefix: String, endpoint: String) -> Form {
        let kind = event.delegation_kinds.first().copied().unwrap_or_default();
        let form = Form {
            endpoint: StoredValue::new(endpoint),
            event: StoredValue::new(event),
            i18n: StoredValue::new(i18n),
            id_prefix: StoredValue::new(id_prefix),
            delegation: RwSignal::new(Delegation {
                kind,
                ..Delegation::default()
            }),
            focal_point: RwSignal::new(FocalPoint::default()),
            members: RwSignal::new(Vec::new()),
            consent: RwSignal::new(Consent::default()),
            step: RwSignal::new(Step::Delegation),
            errors: RwSignal::new(ValidationErrors::new()),
            server_errors: StoredValue::new(Vec::new()),
            summary_focus: RwSignal::new(0),
            announcement: RwSignal::new(String::new()),
            submission: RwSignal::new(Submission::Idle),
            idempotency_key: StoredValue::new(None),
            removed: RwSignal::new(None),
            draft_restored: RwSignal::new(false),
            lang_epoch: RwSignal::new(0),
            manage_token: StoredValue::new(None),
            managed: RwSignal::new(None),
            return_to: StoredValue::new(Step::Delegation),
            next_key: StoredValue::new(0),
            owner: StoredValue::new(Owner::current().unwrap_or_default().downgrade()),
        };
        form.add_member(Member::default());
        form
    }

    /// Speaks `lang` from now on (if the event offers it and its catalogue
    /// can be had), keeping every answer.
    pub fn set_language(&self, lang: String) {
        let offered = self.event.with_value(|e| e.offers_language(&lang));
        if !offered || !crate::i18n::is_available(&lang) {
            return;
        }
        let form = *self;
        leptos::task::spawn_local(async move {
            let i18n = crate::i18n::load(&lang).await;
            form.i18n.set_value(i18n);
            form.lang_epoch.update(|n| *n += 1);
        });
    }

    pub fn lang(&self) -> String {
        self.i18n.with_value(|i| i.lang.clone())
    }

    /// The element id for a model path: `members[2].email` → `p-members-2-email`.
    pub fn id(&self, path: &str) -> String {
        let mut id = self.id_prefix.get_value();
        id.push('-');
        for c in path.chars() {
            match c {
                '[' | '.' => id.push('-'),
                ']' => {}
                c => id.push(c),
            }
        }
        id
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.with_value(|i| i.t(key))
    }

    pub fn tf(&self, key: &str, params: &[(&str, String)]) -> String {
        self.i18n.with_value(|i| i.tf(key, params))
    }

    /// The message for an error, in the UI language.
    pub fn message(&self, error: &ValidationError) -> String {
        self.event
            .with_value(|e| self.i18n.with_value(|i| i.error(error, e)))
    }

    /// The answers as the payload the model validates and the server stores.
    pub fn registration(&self) -> Registration {
        Registration {
            event: self.event.with_value(|e| e.id.clone()),
            language: self.i18n.with_value(|i| i.lang.clone()),
            delegation: self.delegation.get_untracked(),
            focal_point: self.focal_point.get_untracked(),
            members: self
                .members
                .get_untracked()
                .iter()
                .map(|row| row.data.get_untracked())
                .collect(),
            consent: self.consent.get_untracked(),
        }
    }

    /// Whether the form amends a stored registration (opened with a manage
    /// link).
    pub fn is_managing(&self) -> bool {
        self.manage_token.with_value(Option::is_some)
    }

    /// Manage mode, when the registration can no longer be amended: the
    /// answers are shown, not edited.
    pub fn read_only(&self) -> bool {
        self.managed
            .with_untracked(|m| m.as_ref().is_some_and(|m| !m.amendable))
    }

    /// Every error the model finds in the current answers. When amending, a
    /// document number left as the manage link showed it (masked) is not
    /// one: the server puts the stored number back before it validates.
    fn validate_all(&self) -> ValidationErrors {
        let registration = self.registration();
        let errors = self.event.with_value(|event| {
            accredit_model::validate(&registration, event, crate::browser::today())
                .err()
                .unwrap_or_default()
        });
        let errors = self.with_typed_dates(errors);
        if !self.is_managing() {
            return errors;
        }
        errors
            .into_iter()
            .filter(|e| !accredit_model::mask::is_masked_number_error(e, &registration))
            .collect()
    }

    /// `errors` with, for each date whose fields make no date, the model's
    /// word on what is missing or wrong in place of what the payload (which
    /// then has no date) would say.
    fn with_typed_dates(&self, errors: ValidationErrors) -> ValidationErrors {
        let mut typed = Vec::new();
        self.members.with_untracked(|rows| {
            for (i, row) in rows.iter().enumerate() {
                let member = row.data.get_untracked();
                row.dates.with_untracked(|dates| {
                    for (field, parts) in dates {
                        let Some(subject) = DateSubject::of_member_field(field, &member) else {
                            continue;
                        };
                        if let Err(e) = parts.read(subject) {
                            typed.push(e.violation.at(format!("members[{i}].{field}")));
                        }
                    }
                });
            }
        });
        if typed.is_empty() {
            return errors;
        }
        let paths: BTreeSet<String> = typed.iter().map(|t| t.path.clone()).collect();
        let mut errors: ValidationErrors = errors
            .into_iter()
            .filter(|e| !paths.contains(&e.path))
            .chain(typed)
            .collect();
        errors.sort_form_order();
        errors
    }

    /// Errors of `step`, from the model (the one set of rules).
    pub fn errors_for(&self, step: Step) -> ValidationErrors {
        self.validate_all()
            .into_iter()
            .filter(|e| step.owns(&e.path))
            .collect()
    }

    /// "Continue": shows this step's errors (focusing the summary), or
    /// moves on when there are none. The server's errors on this step's
    /// answers count until those answers change.
    pub fn try_advance(&self, to: Step) -> bool {
        let step = self.step.get_untracked();
        let mut errors = self.errors_for(step);
        for error in self.standing_server_errors() {
            if step.owns(&error.path) && !errors.contains(&error.path, &error.code) {
                errors.push(error);
            }
        }
        errors.sort_form_order();
        let ok = errors.is_empty();
        if ok {
            self.errors.set(ValidationErrors::new());
            self.go_to(to);
        } else {
            self.show_errors(errors);
        }
        ok
    }

    /// Shows one error at `path` (replacing any there), without moving focus:
    /// a file refused before it was sent.
    pub fn set_error_at(&self, path: &str, error: Option<ValidationError>) {
        self.errors.update(|errors| {
            let kept: ValidationErrors =
                errors.iter().filter(|e| e.path != path).cloned().collect();
            *errors = kept;
            if let Some(error) = error {
                errors.push(error);
                errors.sort_form_order();
            }
        });
    }

    /// The server refused the answers: its errors are shown (the summary
    /// takes focus) and kept, each until the answer it is about changes.
    pub fn show_server_errors(&self, errors: ValidationErrors) {
        let answers = self.answers_json();
        let kept = errors
            .iter()
            .map(|e| (e.clone(), answer_at(&answers, &e.path)))
            .collect();
        self.server_errors.set_value(kept);
        self.show_errors(errors);
    }

    /// Forgets the server's errors (a new submission was accepted, or other
    /// answers were loaded).
    pub fn clear_server_errors(&self) {
        self.server_errors.set_value(Vec::new());
    }

    /// The server's errors whose answers are still as the server saw them;
    /// the others are dropped for good.
    fn standing_server_errors(&self) -> Vec<ValidationError> {
        if self.server_errors.with_value(Vec::is_empty) {
            return Vec::new();
        }
        let answers = self.answers_json();
        self.server_errors.update_value(|kept| {
            kept.retain(|(error, seen)| answer_at(&answers, &error.path) == *seen);
        });
        self.server_errors
            .with_value(|kept| kept.iter().map(|(e, _)| e.clone()).collect())
    }

    fn answers_json(&self) -> serde_json::Value {
        serde_json::to_value(self.registration()).unwrap_or_default()
    }

    pub fn show_errors(&self, errors: ValidationErrors) {
        self.errors.set(errors);
        self.summary_focus.update(|n| *n += 1);
    }

    /// Opens `step` with its heading focused, so keyboard and screen-reader
    /// users start reading there (forward and back alike).
    pub fn go_to(&self, step: Step) {
        self.open_step(step);
        crate::browser::focus_soon(self.id(step.heading()));
    }

    /// Opens `step` and focuses the element `target` on it (a "Change" link,
    /// or an error summary entry for a field on another step).
    pub fn go_to_field(&self, step: Step, target: String) {
        self.open_step(step);
        crate::browser::focus_field_soon(target);
    }

    /// Shows `step` and says which step it is through the live region.
    fn open_step(&self, step: Step) {
        // A new step starts without the previous step's messages, but the
        // server's stay on their fields.
        self.errors
            .set(self.standing_server_errors().into_iter().collect());
        self.step.set(step);
        self.announce_step(step);
        crate::browser::scroll_to_top_of(&self.id("top"));
    }

    /// "Step 2 of 3: Delegation members", once, in the polite live region.
    fn announce_step(&self, step: Step) {
        let text = step
            .title_key()
            .map(|key| {
                self.tf(
                    "ui.step.announce",
                    &[
                        ("n", step.number().to_string()),
                        ("total", "3".into()),
                        ("title", self.t(key)),
                    ],
                )
            })
            .unwrap_or_default();
        self.announcement.set(text);
    }

    /// After a change: errors already on screen are checked again (and go
    /// away when fixed); no new error appears while the user is typing.
    /// The server's errors stay until their answers change.
    pub fn revalidate(&self) {
        if self.errors.with_untracked(ValidationErrors::is_empty) {
            return;
        }
        let shown: BTreeSet<String> = self
            .errors
            .with_untracked(|e| e.iter().map(|e| e.path.clone()).collect());
        let mut fresh: ValidationErrors = self
            .validate_all()
            .into_iter()
            .filter(|e| shown.contains(&e.path))
            .collect();
        for error in self.standing_server_errors() {
            if !fresh.contains(&error.path, &error.code) {
                fresh.push(error);
            }
        }
        fresh.sort_form_order();
        self.errors.set(fresh);
    }

    /// The first error message at exactly `path`, if shown.
    pub fn error_at(&self, path: &str) -> Option<String> {
        let error = self
            .errors
            .with(|errors| errors.iter().find(|e| e.path == path).cloned())?;
        Some(self.message(&error))
    }

    pub fn add_member(&self, member: Member) -> u32 {
        self.add_row(member, false)
    }

    fn add_row(&self, member: Member, stored: bool) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let make = move || MemberRow {
            key,
            data: RwSignal::new(member),
            // Stored members start folded: the roster reads as a list.
            open: RwSignal::new(!stored),
            dates: RwSignal::new(BTreeMap::new()),
            stored,
        };
        let row = match self.owner.get_value().upgrade() {
            Some(owner) => owner.with(make),
            None => make(),
        };
        self.members.update(|m| m.push(row));
        key
    }

    /// A member was added (`added`): the complete members fold to their
    /// summary line, so a long roster stays readable. A member the model
    /// finds anything wrong with stays open.
    pub fn fold_complete_members(&self, added: u32) {
        let errors = self.validate_all();
        self.members.with_untracked(|rows| {
            for (i, row) in rows.iter().enumerate() {
                let prefix = format!("members[{i}]");
                if row.key != added && errors.for_path(&prefix).next().is_none() {
                    row.open.set(false);
                }
            }
        });
    }

    pub fn remove_member(&self, key: u32) {
        let mut removed = None;
        self.members.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.key == key) {
                removed = Some((i, rows.remove(i)));
            }
        });
        if removed.is_some() {
            self.removed.set(removed);
            self.revalidate();
        }
    }

    pub fn undo_remove(&self) {
        if let Some((i, row)) = self.removed.get_untracked() {
            self.members
                .update(|rows| rows.insert(i.min(rows.len()), row));
            self.removed.set(None);
            self.revalidate();
        }
    }

    /// Moves the member `by` places (−1 up, +1 down).
    pub fn move_member(&self, key: u32, by: isize) {
        self.members.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.key == key) {
                let j = i as isize + by;
                if j >= 0 && (j as usize) < rows.len() {
                    rows.swap(i, j as usize);
                }
            }
        });
        self.revalidate();
    }

    /// A new member sharing what colleagues usually share: institution,
    /// nationality, sessions, travel dates.
    pub fn duplicate_member(&self, key: u32) -> Option<u32> {
        let source = self.members.with_untracked(|rows| {
            rows.iter()
                .find(|r| r.key == key)
                .map(|r| r.data.get_untracked())
        })?;
        Some(self.add_member(Member {
            institution: source.institution,
            nationality: source.nationality,
            sessions: source.sessions,
            arrival_date: source.arrival_date,
            departure_date: source.departure_date,
            visa_letter: source.visa_letter,
            ..Member::default()
        }))
    }

    /// Someone else takes this member's place: their own answers are
    /// cleared; the place in the list, the category, the institution and
    /// the sessions (which belong to the seat) stay.
    pub fn replace_member(&self, key: u32) {
        let row = self
            .members
            .with_untracked(|rows| rows.iter().find(|r| r.key == key).copied());
        if let Some(row) = row {
            row.data.update(|m| {
                *m = Member {
                    category: std::mem::take(&mut m.category),
                    institution: std::mem::take(&mut m.institution),
                    sessions: std::mem::take(&mut m.sessions),
                    ..Member::default()
                }
            });
            row.dates.set(BTreeMap::new());
            row.open.set(true);
            self.revalidate();
        }
    }

    /// Replaces every answer (a restored draft, or "Start again").
    pub fn load(&self, registration: Registration) {
        self.load_members(registration, false);
    }

    /// Opens a stored registration for amending (or reading): its answers,
    /// its status and version.
    pub fn start_managing(&self, token: String, mine: MyRegistration) {
        self.manage_token.set_value(Some(token));
        self.load_members(mine.registration.clone(), true);
        let amendable = mine.amendable;
        self.managed.set(Some(mine));
        self.idempotency_key.set_value(None);
        self.submission.set(Submission::Idle);
        self.step.set(if amendable {
            Step::Delegation
        } else {
            Step::Review
        });
    }

    fn load_members(&self, registration: Registration, stored: bool) {
        self.delegation.set(registration.delegation);
        self.focal_point.set(registration.focal_point);
        self.consent.set(registration.consent);
        self.members.set(Vec::new());
        self.removed.set(None);
        for member in registration.members {
            self.add_row(member, stored);
        }
        if self.members.with_untracked(Vec::is_empty) {
            self.add_member(Member::default());
        }
        self.clear_server_errors();
        self.errors.set(ValidationErrors::new());
    }
}

/// The answer at a model path (`members[0].email`) in the answers as JSON,
/// if there is one.
fn answer_at(answers: &serde_json::Value, path: &str) -> Option<serde_json::Value> {
    let mut at = answers;
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        at = at.get(name)?;
        if let Some(i) = index {
            at = at.get(i)?;
        }
    }
    Some(at.clone())
}
