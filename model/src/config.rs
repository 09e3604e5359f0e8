//! The event configuration: what an event offers and which rules apply.
//!
//! Written by the organiser as TOML (read by the server with the `toml`
//! feature) and handed to the widget as JSON; both forms map onto the same
//! types. Every list and rule set has a sensible default so a small
//! configuration stays small; [`EventConfig::check`] reports mistakes.

mod check;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// Id of the category that marks the head of delegation. Protocol rules
/// (exactly one head for state delegations) refer to it, so it is fixed.
pub const HEAD_OF_DELEGATION: &str = "head_of_delegation";

/// The language every event must offer and every text must have; the
/// fallback when a translation is missing.
pub const FALLBACK_LANGUAGE: &str = "en";

/// The key of the manage token in a manage link's fragment
/// (`#accredit-manage=<token>`).
pub const MANAGE_FRAGMENT: &str = "accredit-manage";

/// A text in several languages: language tag → text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Localised(pub BTreeMap<String, String>);

impl Localised {
    /// The text in `language`, else in English, else any text, else `""`.
    pub fn get(&self, language: &str) -> &str {
        self.0
            .get(language)
            .or_else(|| self.0.get(FALLBACK_LANGUAGE))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// Whether a non-blank text exists in exactly `language` (no fallback).
    pub fn has(&self, language: &str) -> bool {
        self.0
            .get(language)
            .is_some_and(|text| !text.trim().is_empty())
    }

    /// Adds or replaces the text in `language` (builder style).
    pub fn with(mut self, language: &str, text: &str) -> Self {
        self.0.insert(language.to_owned(), text.to_owned());
        self
    }
}

/// What kind of body a delegation represents.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DelegationKind {
    /// A State (UN Member State or other invited State).
    #[default]
    MemberState,
    /// A non-member observer State.
    ObserverState,
    /// An intergovernmental organisation such as the European Union.
    IntergovernmentalOrganisation,
    /// A United Nations entity, programme or related organisation.
    UnEntity,
    /// A non-governmental organisation.
    Ngo,
    /// A media outlet.
    Media,
    /// Anything else.
    Other,
}

impl DelegationKind {
    /// All kinds, in protocol order.
    pub const ALL: [DelegationKind; 7] = [
        DelegationKind::MemberState,
        DelegationKind::ObserverState,
        DelegationKind::IntergovernmentalOrganisation,
        DelegationKind::UnEntity,
        DelegationKind::Ngo,
        DelegationKind::Media,
        DelegationKind::Other,
    ];

    /// States are identified by a country code; every other kind by the
    /// name of its organisation.
    pub const fn is_state(self) -> bool {
        matches!(
            self,
            DelegationKind::MemberState | DelegationKind::ObserverState
        )
    }

    /// Precedence in lists of participants and seating: 0 for member
    /// States up to 6 for other participants.
    pub const fn protocol_rank(self) -> u8 {
        self as u8
    }

    /// The serde name, e.g. `"member_state"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DelegationKind::MemberState => "member_state",
            DelegationKind::ObserverState => "observer_state",
            DelegationKind::IntergovernmentalOrganisation => "intergovernmental_organisation",
            DelegationKind::UnEntity => "un_entity",
            DelegationKind::Ngo => "ngo",
            DelegationKind::Media => "media",
            DelegationKind::Other => "other",
        }
    }
}

/// An organisation the organiser invited. The payload may still name any
/// other organisation as free text; this list feeds the widget's suggestions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Slug, e.g. `"unodc"`.
    pub id: String,
    /// Which kind of delegation it sends (never a State kind).
    pub kind: DelegationKind,
    /// Its name in each language.
    pub name: Localised,
}

/// A participation category, printed on the badge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Slug, e.g. `"delegate"`; [`HEAD_OF_DELEGATION`] is special.
    pub id: String,
    /// Its name in each language.
    pub label: Localised,
    /// Whether members of this category need an identity document (and a
    /// date of birth) for security accreditation.
    #[serde(default)]
    pub needs_identity_document: bool,
    /// Most members of this category in one delegation; `None` = no limit.
    #[serde(default)]
    pub max_per_delegation: Option<u32>,
    /// Badge colour, `#rrggbb`.
    pub colour: String,
}

/// A session participants can sign up for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Slug, e.g. `"opening"`.
    pub id: String,
    /// Its title in each language.
    pub label: Localised,
    /// The day it takes place (between the event's first and last day).
    pub date: Date,
}

/// Whether the form asks for a field, and whether an answer is needed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldRule {
    /// Asked, and must be answered.
    Required,
    /// Asked, may be left empty.
    #[default]
    Optional,
    /// Not asked; a value sent anyway is an error (`field.not_collected`).
    Hidden,
}

impl FieldRule {
    /// Whether an answer is needed.
    pub const fn is_required(self) -> bool {
        matches!(self, FieldRule::Required)
    }

    /// Whether the form shows the field.
    pub const fn is_collected(self) -> bool {
        !matches!(self, FieldRule::Hidden)
    }
}

/// Which optional fields this event asks for. Given names, category and
/// consent are always asked; family name is always optional (mononyms).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldRules {
    /// Honorific (H.E., Dr, …). Default optional.
    pub honorific: FieldRule,
    /// Badge name. Default optional: it is then still required when the
    /// names are not in Latin script. Must not be hidden.
    pub badge_name: FieldRule,
    /// Function or title. Default required.
    pub function: FieldRule,
    /// Ministry, agency or unit. Default optional.
    pub institution: FieldRule,
    /// Nationality (alpha-2). Default required.
    pub nationality: FieldRule,
    /// Member e-mail. Default required.
    pub email: FieldRule,
    /// Member telephone. Default optional.
    pub phone: FieldRule,
    /// Date of birth; asked only for categories that need an identity
    /// document. Default required.
    pub date_of_birth: FieldRule,
    /// Photo attachment. Default optional.
    pub photo: FieldRule,
    /// Session sign-up. Default optional (required = at least one session).
    pub sessions: FieldRule,
    /// Arrival and departure dates. Default optional; they are required
    /// anyway for a member who asks for a visa letter.
    pub travel: FieldRule,
    /// Visa support letter request. Default optional.
    pub visa_letter: FieldRule,
    /// Dietary requirements. Default optional.
    pub dietary: FieldRule,
    /// Accessibility requirements. Default optional.
    pub accessibility: FieldRule,
    /// Delegation-level credentials letter attachment. Default optional.
    pub credentials_letter: FieldRule,
    /// Focal point telephone. Default required.
    pub focal_point_phone: FieldRule,
}

impl Default for FieldRules {
    fn default() -> Self {
        use FieldRule::{Optional, Required};
        FieldRules {
            honorific: Optional,
            badge_name: Optional,
            function: Required,
            institution: Optional,
            nationality: Required,
            email: Required,
            phone: Optional,
            date_of_birth: Required,
            photo: Optional,
            sessions: Optional,
            travel: Optional,
            visa_letter: Optional,
            dietary: Optional,
            accessibility: Optional,
            credentials_letter: Optional,
            focal_point_phone: Required,
        }
    }
}

/// Numeric limits and policy links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Identity documents must be valid this many months past the event's
    /// last day (default 6, the common visa rule).
    pub passport_validity_months: u32,
    /// Most members in one delegation (default 30).
    pub max_delegation_size: u32,
    /// Days the server keeps personal data after the event (default 90).
    pub retention_days: u32,
    /// The privacy notice shown next to the consent box (https).
    pub privacy_notice_url: String,
    /// Largest accepted attachment, in bytes (default 5 MiB).
    pub attachment_max_bytes: u64,
    /// Arrival may be this many days before the first day and departure
    /// this many days after the last day (default 14).
    pub travel_window_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            passport_validity_months: 6,
            max_delegation_size: 30,
            retention_days: 90,
            privacy_notice_url: String::new(),
            attachment_max_bytes: 5 * 1024 * 1024,
            travel_window_days: 14,
        }
    }
}

/// Everything the widget and the server need to know about one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventConfig {
    /// Slug: lowercase a–z, 0–9 and `-`; the payload's `event` must match.
    pub id: String,
    /// Event title in each language.
    pub name: Localised,
    /// Venue in each language.
    #[serde(default)]
    pub venue: Localised,
    /// City in each language.
    #[serde(default)]
    pub city: Localised,
    /// Host country, alpha-2.
    pub country: String,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Last day on which registrations are accepted.
    pub registration_closes_on: Date,
    /// UI languages offered; the first is the default. Must include `en`.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// Whether the widget shows a language switcher.
    #[serde(default = "default_true")]
    pub language_switcher: bool,
    /// Kinds of delegation accepted (default: all).
    #[serde(default = "default_delegation_kinds")]
    pub delegation_kinds: Vec<DelegationKind>,
    /// Kinds of delegation that must name exactly one head of delegation.
    #[serde(default = "default_head_required_for")]
    pub head_of_delegation_required_for: Vec<DelegationKind>,
    /// States invited (alpha-2); empty = any State may register.
    #[serde(default)]
    pub invited_countries: Vec<String>,
    /// Known invited organisations.
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    /// Participation categories in protocol order (after the head).
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Sessions participants can sign up for.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// Which optional fields are asked.
    #[serde(default)]
    pub fields: FieldRules,
    /// Numeric limits and policy links.
    #[serde(default)]
    pub limits: Limits,
    /// The host page that embeds the widget (absolute `https://` or
    /// `http://` URL). Manage links are `{manage_page}#accredit-manage={token}`;
    /// without it no link can be sent and messages say to contact the
    /// secretariat instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_page: Option<String>,
    /// Last day on which a focal point may amend or withdraw a
    /// registration (default: the first day of the event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amendments_close: Option<Date>,
    /// Whether each member also receives their own accreditation message
    /// (the focal point always does).
    #[serde(default)]
    pub notify_members: bool,
    /// Where and when approved participants collect their badges, in each
    /// language; quoted in the approval message.
    #[serde(default)]
    pub badge_collection: Localised,
    /// The language badges are printed in (the delegation's name and the
    /// category), whatever language the organiser's screen is in. English
    /// unless the event says otherwise.
    #[serde(default = "default_badge_language")]
    pub badge_language: String,
}

fn default_badge_language() -> String {
    FALLBACK_LANGUAGE.to_owned()
}

fn default_languages() -> Vec<String> {
    vec![FALLBACK_LANGUAGE.to_owned()]
}

fn default_true() -> bool {
    true
}

fn default_delegation_kinds() -> Vec<DelegationKind> {
    DelegationKind::ALL.to_vec()
}

fn default_head_required_for() -> Vec<DelegationKind> {
    vec![
        DelegationKind::MemberState,
        DelegationKind::ObserverState,
        DelegationKind::IntergovernmentalOrganisation,
        DelegationKind::UnEntity,
    ]
}

impl EventConfig {
    /// Reads a configuration from JSON (what the widget receives).
    pub fn from_json_str(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Reads a configuration from TOML (what organisers write).
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Configuration mistakes, as readable sentences; empty when the
    /// configuration is sound. The server refuses to serve an event with
    /// problems, so the widget can trust what it receives.
    pub fn check(&self) -> Vec<String> {
        check::problems(self)
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    /// The session with this id.
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|session| session.id == id)
    }

    /// The known organisation with this id.
    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations
            .iter()
            .find(|organisation| organisation.id == id)
    }

    /// Whether registration is still open on `today` (open through
    /// `registration_closes_on` inclusive).
    pub fn is_open(&self, today: Date) -> bool {
        today <= self.registration_closes_on
    }

    /// The last day on which amendments and withdrawals are accepted.
    pub fn amendments_close_on(&self) -> Date {
        self.amendments_close.unwrap_or(self.starts_on)
    }

    /// Whether a focal point may still amend or withdraw on `today`
    /// (through [`EventConfig::amendments_close_on`] inclusive).
    pub fn amendments_open(&self, today: Date) -> bool {
        today <= self.amendments_close_on()
    }

    /// Moves every date of the event (its days, the deadlines and the
    /// sessions) by `days`, keeping the intervals between them.
    ///
    /// A configuration is written for one real calendar; a demonstration
    /// or a test that must work on any day moves it instead of editing it.
    pub fn shift_dates(&mut self, days: i64) {
        for date in [
            &mut self.starts_on,
            &mut self.ends_on,
            &mut self.registration_closes_on,
        ] {
            *date = date.add_days(days);
        }
        if let Some(close) = &mut self.amendments_close {
            *close = close.add_days(days);
        }
        for session in &mut self.sessions {
            session.date = session.date.add_days(days);
        }
    }

    /// The manage link for a token, when the event has a manage page.
    pub fn manage_link(&self, token: &str) -> Option<String> {
        let page = self.manage_page.as_deref()?;
        // A page that already carries a fragment keeps its path and query.
        let base = page.split('#').next().unwrap_or(page);
        Some(format!("{base}#{MANAGE_FRAGMENT}={token}"))
    }

    /// The earliest identity document expiry accepted: the last day plus
    /// `passport_validity_months`.
    pub fn earliest_valid_expiry(&self) -> Date {
        let months = i32::try_from(self.limits.passport_validity_months).unwrap_or(i32::MAX);
        self.ends_on.add_months(months)
    }

    /// The earliest accepted arrival date.
    pub fn earliest_arrival(&self) -> Date {
        self.starts_on
            .add_days(-i64::from(self.limits.travel_window_days))
    }

    /// The latest accepted departure date.
    pub fn latest_departure(&self) -> Date {
        self.ends_on
            .add_days(i64::from(self.limits.travel_window_days))
    }

    /// The default UI language (the first offered).
    pub fn default_language(&self) -> &str {
        self.languages
            .first()
            .map_or(FALLBACK_LANGUAGE, String::as_str)
    }

    /// Whether the UI is offered in `language`.
    pub fn offers_language(&self, language: &str) -> bool {
        self.languages.iter().any(|offered| offered == language)
    }

    /// Whether delegations of this kind may register.
    pub fn allows(&self, kind: DelegationKind) -> bool {
        self.delegation_kinds.contains(&kind)
    }

    /// Whether delegations of this kind must name a head of delegation.
    pub fn head_required_for(&self, kind: DelegationKind) -> bool {
        self.head_of_delegation_required_for.contains(&kind)
    }

    /// Whether the State with this alpha-2 code is invited (always true
    /// when the invitation list is empty).
    pub fn is_invited(&self, country: &str) -> bool {
        self.invited_countries.is_empty() || self.invited_countries.iter().any(|c| c == country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn minimal_json() -> &'static str {
        r##"{
            "id": "test-event",
            "name": {"en": "Test event"},
            "country": "AT",
            "starts_on": "2027-04-20",
            "ends_on": "2027-04-22",
            "registration_closes_on": "2027-04-06",
            "limits": {"privacy_notice_url": "https://example.org/privacy"},
            "categories": [
                {"id": "head_of_delegation", "label": {"en": "Head of Delegation"},
                 "needs_identity_document": true, "max_per_delegation": 1, "colour": "#8b1e3f"},
                {"id": "delegate", "label": {"en": "Delegate"}, "colour": "#2e7d32"}
            ]
        }"##
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn defaults_fill_a_minimal_configuration() {
        let event = EventConfig::from_json_str(minimal_json()).unwrap();
        assert_eq!(event.languages, ["en"]);
        assert!(event.language_switcher);
        assert_eq!(event.delegation_kinds, DelegationKind::ALL);
        assert_eq!(event.head_of_delegation_required_for.len(), 4);
        assert_eq!(event.fields, FieldRules::default());
        assert_eq!(event.limits.passport_validity_months, 6);
        assert_eq!(event.limits.max_delegation_size, 30);
        assert_eq!(event.limits.retention_days, 90);
        assert_eq!(event.limits.attachment_max_bytes, 5 * 1024 * 1024);
        assert_eq!(event.check(), Vec::<String>::new());
    }

    #[test]
    fn partial_field_rules_keep_the_other_defaults() {
        let json = minimal_json().replacen(
            "\"limits\"",
            "\"fields\": {\"photo\": \"required\", \"dietary\": \"hidden\"}, \"limits\"",
            1,
        );
        let event = EventConfig::from_json_str(&json).unwrap();
        assert_eq!(event.fields.photo, FieldRule::Required);
        assert_eq!(event.fields.dietary, FieldRule::Hidden);
        assert_eq!(event.fields.function, FieldRule::Required);
        assert_eq!(event.fields.focal_point_phone, FieldRule::Required);
    }

    #[test]
    fn json_round_trips() {
        let event = EventConfig::from_json_str(minimal_json()).unwrap();
        let again = EventConfig::from_json_str(&serde_json::to_string(&event).unwrap()).unwrap();
        assert_eq!(again, event);
    }

    #[test]
    fn localised_falls_back_to_english() {
        let text = Localised::default()
            .with("en", "Delegate")
            .with("fr", "Délégué");
        assert_eq!(text.get("fr"), "Délégué");
        assert_eq!(text.get("ar"), "Delegate");
        assert_eq!(
            Localised::default().with("ru", "Делегат").get("ar"),
            "Делегат"
        );
        assert_eq!(Localised::default().get("en"), "");
        assert!(text.has("fr") && !text.has("ar"));
    }

    #[test]
    fn delegation_kinds_know_states_and_rank() {
        let states: Vec<_> = DelegationKind::ALL
            .into_iter()
            .filter(|k| k.is_state())
            .collect();
        assert_eq!(
            states,
            [DelegationKind::MemberState, DelegationKind::ObserverState]
        );
        let ranks: Vec<_> = DelegationKind::ALL
            .iter()
            .map(|k| k.protocol_rank())
            .collect();
        assert_eq!(ranks, [0, 1, 2, 3, 4, 5, 6]);
        for kind in DelegationKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(
            serde_json::from_str::<DelegationKind>("\"intergovernmental_organisation\"").unwrap(),
            DelegationKind::IntergovernmentalOrganisation
        );
    }

    #[test]
    fn dates_and_lookups() {
        let event = EventConfig::from_json_str(minimal_json()).unwrap();
        assert!(event.is_open(date("2027-04-06")));
        assert!(!event.is_open(date("2027-04-07")));
        assert_eq!(event.earliest_valid_expiry(), date("2027-10-22"));
        assert_eq!(event.earliest_arrival(), date("2027-04-06"));
        assert_eq!(event.latest_departure(), date("2027-05-06"));
        assert!(event.category("delegate").is_some());
        assert!(event.category("Delegate").is_none());
        assert!(
            event.is_invited("PK"),
            "an empty invitation list invites everyone"
        );
        assert_eq!(event.default_language(), "en");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_accepts_native_and_quoted_dates() {
        let text = r##"
            id = "toml-event"
            country = "PK"
            starts_on = 2027-04-20
            ends_on = "2027-04-22"
            registration_closes_on = 2027-04-06
            name.en = "TOML event"
            limits.privacy_notice_url = "https://example.org/privacy"

            [[categories]]
            id = "head_of_delegation"
            label = { en = "Head of Delegation" }
            max_per_delegation = 1
            colour = "#000000"
        "##;
        let event = EventConfig::from_toml_str(text).unwrap();
        assert_eq!(event.starts_on, date("2027-04-20"));
        assert_eq!(event.ends_on, date("2027-04-22"));
        assert_eq!(event.check(), Vec::<String>::new());
        assert!(
            EventConfig::from_toml_str(&text.replace("2027-04-20", "2027-04-20T10:00:00")).is_err()
        );
    }
}
