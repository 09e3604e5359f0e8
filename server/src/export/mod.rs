//! Organiser exports: participants (one row per member) and delegations
//! (one row per registration), as CSV, XLSX and JSON, in protocol order.
//!
//! Each export is a set of [`Rows`] of typed cells under fixed columns; the
//! formats only render them, so the three formats always carry the same
//! columns. Rows are produced one at a time into the output, so an export
//! of thousands of participants holds the registrations and the output,
//! never a copy of every cell.

pub mod csv;
pub mod json;
pub mod order;
pub mod xlsx;

use crate::clock;
use crate::storage::StoredRegistration;
use accredit_model::review::Status;
use accredit_model::{Date, EventConfig, HEAD_OF_DELEGATION, Member, Registration, country};
use std::borrow::Cow;

/// A stored registration with its payload read back (the JSON text is
/// dropped once parsed).
#[derive(Clone, Debug)]
pub struct Loaded {
    pub id: String,
    pub reference: String,
    pub status: Status,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: u32,
    /// Changed by the focal point since an organiser last decided.
    pub amended: bool,
    pub registration: Registration,
}

impl Loaded {
    pub fn parse(stored: StoredRegistration) -> Result<Loaded, serde_json::Error> {
        Ok(Loaded {
            registration: serde_json::from_str(&stored.payload)?,
            version: stored.version,
            amended: stored.amended(),
            id: stored.id,
            reference: stored.reference,
            status: stored.status,
            created_at: stored.created_at,
            updated_at: stored.updated_at,
        })
    }
}

/// One value in an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Bool(bool),
    List(Vec<String>),
    /// A calendar day; a date cell in workbooks, `YYYY-MM-DD` as text.
    Date(Date),
    /// A moment (Unix seconds, UTC); a date-time cell in workbooks,
    /// RFC 3339 as text.
    Timestamp(i64),
}

impl Cell {
    /// The cell as spreadsheet text: `yes`/`no`, lists joined with `; `,
    /// dates `YYYY-MM-DD`, moments RFC 3339.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(text) => Cow::Borrowed(text),
            Cell::Bool(true) => Cow::Borrowed("yes"),
            Cell::Bool(false) => Cow::Borrowed("no"),
            Cell::List(items) => Cow::Owned(items.join("; ")),
            Cell::Date(date) => Cow::Owned(date.to_string()),
            Cell::Timestamp(secs) => Cow::Owned(clock::rfc3339(*secs)),
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn date(value: Option<Date>) -> Cell {
    value.map_or_else(|| Cell::Text(String::new()), Cell::Date)
}

fn opt(value: Option<&str>) -> Cell {
    Cell::Text(value.unwrap_or_default().to_owned())
}

fn country_name(code: Option<&str>) -> Cell {
    opt(code.and_then(country::english_name))
}

/// Rows of typed cells under fixed column names, produced on demand.
pub trait Rows {
    fn columns(&self) -> &'static [&'static str];
    /// Calls `row` with each row in order (the slice is reused between calls).
    fn for_each(&self, row: &mut dyn FnMut(&[Cell]));
}

/// Rows that count themselves as they go by, for the security log's count
/// of what an export held, without a pass of their own.
pub struct Counting<'a> {
    rows: &'a dyn Rows,
    seen: std::cell::Cell<usize>,
}

impl<'a> Counting<'a> {
    pub fn new(rows: &'a dyn Rows) -> Counting<'a> {
        Counting {
            rows,
            seen: std::cell::Cell::new(0),
        }
    }

    /// The rows written so far (all of them, once written).
    pub fn count(&self) -> usize {
        self.seen.get()
    }
}

impl Rows for Counting<'_> {
    fn columns(&self) -> &'static [&'static str] {
        self.rows.columns()
    }

    fn for_each(&self, row: &mut dyn FnMut(&[Cell])) {
        self.rows.for_each(&mut |cells| {
            self.seen.set(self.seen.get() + 1);
            row(cells);
        });
    }
}

/// Rows held in memory (small exports and tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

impl Rows for Table {
    fn columns(&self) -> &'static [&'static str] {
        self.columns
    }

    fn for_each(&self, row: &mut dyn FnMut(&[Cell])) {
        for cells in &self.rows {
            row(cells);
        }
    }
}

pub const PARTICIPANT_COLUMNS: &[&str] = &[
    "reference",
    "status",
    "delegation_kind",
    "country_code",
    "country",
    "organisation",
    "head_of_delegation",
    "category",
    "category_label",
    "honorific",
    "given_names",
    "family_name",
    "badge_name",
    "function",
    "institution",
    "nationality",
    "email",
    "phone",
    "document_kind",
    "document_number",
    "document_issuing_country",
    "document_expires_on",
    "date_of_birth",
    "photo",
    "sessions",
    "arrival_date",
    "departure_date",
    "visa_letter",
    "dietary",
    "accessibility",
    "registration_id",
    "registered_at",
];

/// One row per member, delegations in the given order (already sorted and
/// filtered), members in protocol order. With `category`, only members of
/// that category.
pub struct Participants<'a> {
    pub event: &'a EventConfig,
    pub delegations: &'a [Loaded],
    pub category: Option<&'a str>,
}

impl Rows for Participants<'_> {
    fn columns(&self) -> &'static [&'static str] {
        PARTICIPANT_COLUMNS
    }

    fn for_each(&self, row: &mut dyn FnMut(&[Cell])) {
        for loaded in self.delegations {
            let members = &loaded.registration.members;
            for index in order::member_order(self.event, members) {
                let member = &members[index];
                if self.category.is_some_and(|c| member.category != c) {
                    continue;
                }
                row(&participant_row(self.event, loaded, member));
            }
        }
    }
}

fn participant_row(event: &EventConfig, loaded: &Loaded, m: &Member) -> Vec<Cell> {
    let d = &loaded.registration.delegation;
    let document = m.identity_document.as_ref().filter(|doc| !doc.is_blank());
    let category_label = event
        .category(&m.category)
        .map(|c| c.label.get("en").to_owned());
    vec![
        text(&loaded.reference),
        text(loaded.status.as_str()),
        text(d.kind.as_str()),
        opt(d.country.as_deref()),
        country_name(d.country.as_deref()),
        opt(d.organisation.as_deref()),
        Cell::Bool(m.category == HEAD_OF_DELEGATION),
        text(&m.category),
        text(category_label.unwrap_or_default()),
        text(&m.honorific),
        text(&m.given_names),
        text(&m.family_name),
        text(m.badge_text()),
        text(&m.function),
        text(&m.institution),
        text(&m.nationality),
        text(&m.email),
        text(&m.phone),
        opt(document.map(|doc| doc.kind.as_str())),
        opt(document.map(|doc| doc.number.as_str())),
        opt(document.map(|doc| doc.issuing_country.as_str())),
        date(document.and_then(|doc| doc.expires_on)),
        date(m.date_of_birth),
        opt(m.photo.as_deref()),
        Cell::List(m.sessions.clone()),
        date(m.arrival_date),
        date(m.departure_date),
        Cell::Bool(m.visa_letter),
        text(&m.dietary),
        text(&m.accessibility),
        text(&loaded.id),
        Cell::Timestamp(loaded.created_at),
    ]
}

pub const DELEGATION_COLUMNS: &[&str] = &[
    "reference",
    "status",
    "delegation_kind",
    "country_code",
    "country",
    "organisation",
    "head_of_delegation",
    "members",
    "focal_point_name",
    "focal_point_email",
    "focal_point_phone",
    "credentials_letter",
    "language",
    "registration_id",
    "registered_at",
    "updated_at",
];

/// One row per registration, in the given order.
pub struct Delegations<'a>(pub &'a [Loaded]);

impl Rows for Delegations<'_> {
    fn columns(&self) -> &'static [&'static str] {
        DELEGATION_COLUMNS
    }

    fn for_each(&self, row: &mut dyn FnMut(&[Cell])) {
        for loaded in self.0 {
            row(&delegation_row(loaded));
        }
    }
}

fn delegation_row(loaded: &Loaded) -> Vec<Cell> {
    let r = &loaded.registration;
    let d = &r.delegation;
    let head = r
        .members
        .iter()
        .find(|m| m.category == HEAD_OF_DELEGATION)
        .map(Member::badge_text);
    let focal = [
        r.focal_point.given_names.trim(),
        r.focal_point.family_name.trim(),
    ]
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    vec![
        text(&loaded.reference),
        text(loaded.status.as_str()),
        text(d.kind.as_str()),
        opt(d.country.as_deref()),
        country_name(d.country.as_deref()),
        opt(d.organisation.as_deref()),
        text(head.unwrap_or_default()),
        text(r.members.len().to_string()),
        text(focal),
        text(&r.focal_point.email),
        text(&r.focal_point.phone),
        opt(d.credentials_letter.as_deref()),
        text(&r.language),
        text(&loaded.id),
        Cell::Timestamp(loaded.created_at),
        Cell::Timestamp(loaded.updated_at),
    ]
}
