//! Validation errors: one flat, ordered list of `{path, code, params}`.
//!
//! A flat list with JSON-ish paths (`members[2].email`) is what both sides
//! need: the widget puts each message next to its input, the server returns
//! the same list as a 422 body. The order is the order of the fields in the
//! form, so the first error is the first one the user meets.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What a single rule found wrong, before it is placed at a path.
///
/// Rules are plain functions returning `Result<(), Violation>`, usable on
/// their own (e.g. on every keystroke) without building a whole payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// One of the [`crate::codes`].
    pub code: &'static str,
    /// Values the message needs, e.g. `max` → `"100"`.
    pub params: Vec<(&'static str, String)>,
}

impl Violation {
    /// A violation without params.
    pub fn new(code: &'static str) -> Self {
        Violation {
            code,
            params: Vec::new(),
        }
    }

    /// Adds a param (builder style).
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// Places the violation at `path`.
    pub fn at(self, path: impl Into<String>) -> ValidationError {
        ValidationError {
            path: path.into(),
            code: Cow::Borrowed(self.code),
            params: self
                .params
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        }
    }
}

/// One problem with a registration, at one place in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// Where: `delegation.country`, `members[2].email`,
    /// `members[0].identity_document.expires_on`, `members`, …
    pub path: String,
    /// What: one of the [`crate::codes`].
    pub code: Cow<'static, str>,
    /// Values the message needs; every value is a string.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl ValidationError {
    /// An error without params.
    pub fn new(path: impl Into<String>, code: &'static str) -> Self {
        Violation::new(code).at(path)
    }

    /// The value of param `name`, if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.code)?;
        for (name, value) in &self.params {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// An ordered list of [`ValidationError`]s; serialises as a JSON array.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    /// An empty list.
    pub fn new() -> Self {
        ValidationErrors(Vec::new())
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Appends an error.
    pub fn push(&mut self, error: ValidationError) {
        self.0.push(error);
    }

    /// Appends `violation` at `path`.
    pub fn add(&mut self, path: impl Into<String>, violation: Violation) {
        self.0.push(violation.at(path));
    }

    /// Appends the violation of `result`, if any, at `path`.
    pub fn check(&mut self, path: impl Into<String>, result: Result<(), Violation>) {
        if let Err(violation) = result {
            self.add(path, violation);
        }
    }

    /// Appends all errors of `other`.
    pub fn extend(&mut self, other: ValidationErrors) {
        self.0.extend(other.0);
    }

    /// The errors in order.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// The errors as a slice.
    pub fn as_slice(&self) -> &[ValidationError] {
        &self.0
    }

    /// Errors at `prefix` or below it: `for_path("members[2]")` yields
    /// `members[2].email` and `members[2].identity_document.number`, but not
    /// `members[20].email`.
    pub fn for_path<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a ValidationError> {
        self.0
            .iter()
            .filter(move |error| path_is_within(&error.path, prefix))
    }

    /// Whether an error with exactly this path and code is present.
    pub fn contains(&self, path: &str, code: &str) -> bool {
        self.0
            .iter()
            .any(|error| error.path == path && error.code == code)
    }

    /// `Ok(())` when empty, `Err(self)` otherwise.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Sorts into form order (see [`form_order_key`]); errors at the same
    /// path keep the order in which the rules found them. Exact duplicates
    /// are dropped.
    pub fn sort_form_order(&mut self) {
        self.0
            .sort_by_cached_key(|error| form_order_key(&error.path));
        let mut seen = Vec::<(String, Cow<'static, str>, BTreeMap<String, String>)>::new();
        self.0.retain(|error| {
            let key = (error.path.clone(), error.code.clone(), error.params.clone());
            let fresh = !seen.contains(&key);
            if fresh {
                seen.push(key);
            }
            fresh
        });
    }

    /// Flattens the nested errors of the `validator` crate into paths below
    /// `prefix` (empty for the root). validator's `value` param is dropped:
    /// messages never echo what was typed, and logs stay free of personal data.
    pub fn from_validator(prefix: &str, errors: &validator::ValidationErrors) -> Self {
        let mut flat = ValidationErrors::new();
        flatten(prefix, errors, &mut flat);
        flat.sort_form_order();
        flat
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<ValidationError> for ValidationErrors {
    fn from_iter<I: IntoIterator<Item = ValidationError>>(iter: I) -> Self {
        ValidationErrors(iter.into_iter().collect())
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

fn path_is_within(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => prefix.is_empty() || rest.is_empty() || rest.starts_with(['.', '[']),
        None => false,
    }
}

/// Joins a parent path and a field name: `("members[0]", "email")` →
/// `"members[0].email"`, `("", "event")` → `"event"`.
pub fn join_path(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{field}"),
    }
}

fn flatten(prefix: &str, errors: &validator::ValidationErrors, out: &mut ValidationErrors) {
    use validator::ValidationErrorsKind as Kind;
    for (field, kind) in errors.errors() {
        // Struct-level (schema) errors have the pseudo field `__all__`.
        let path = if field == "__all__" {
            prefix.to_owned()
        } else {
            join_path(prefix, field)
        };
        match kind {
            Kind::Field(list) => out.0.extend(list.iter().map(|e| convert(&path, e))),
            Kind::Struct(inner) => flatten(&path, inner, out),
            Kind::List(items) => {
                for (index, inner) in items {
                    flatten(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn convert(path: &str, error: &validator::ValidationError) -> ValidationError {
    let params = error
        .params
        .iter()
        .filter(|(name, _)| name.as_ref() != "value")
        .map(|(name, value)| (name.to_string(), param_text(value)))
        .collect();
    ValidationError {
        path: path.to_owned(),
        code: error.code.clone(),
        params,
    }
}

fn param_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The order of fields in the form. Field names are shared between the
/// sections (`given_names` in the focal point and in each member), and their
/// relative order is the same everywhere, so one list ranks them all.
const FORM_ORDER: &[&str] = &[
    "event",
    "language",
    "delegation",
    "kind",
    "country",
    "organisation",
    "credentials_letter",
    "focal_point",
    "members",
    "honorific",
    "given_names",
    "family_name",
    "badge_name",
    "function",
    "institution",
    "nationality",
    "email",
    "phone",
    "category",
    "identity_document",
    "number",
    "issuing_country",
    "expires_on",
    "date_of_birth",
    "photo",
    "sessions",
    "arrival_date",
    "departure_date",
    "visa_letter",
    "dietary",
    "accessibility",
    "consent",
    "data_processing",
    "participant_list",
];

/// One step of a path: a field (ranked by its place in the form, unknown names
/// last and alphabetically) or a list index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathStep {
    /// A named field: its rank in the form, then its name.
    Field(usize, String),
    /// A position in a list.
    Index(usize),
}

/// The sort key of a path: its steps, so a parent (`members`) sorts before
/// its children (`members[0].email`), and siblings follow the form.
pub fn form_order_key(path: &str) -> Vec<PathStep> {
    let mut key = Vec::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (name, indices) = segment.split_once('[').unwrap_or((segment, ""));
        let rank = FORM_ORDER
            .iter()
            .position(|f| *f == name)
            .unwrap_or(FORM_ORDER.len());
        key.push(PathStep::Field(rank, name.to_owned()));
        for index in indices.split('[') {
            let digits = index.trim_end_matches(']');
            if let Ok(value) = digits.parse() {
                key.push(PathStep::Index(value));
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use validator::Validate;

    #[test]
    fn serialises_as_path_code_params() {
        let error = Violation::new(codes::NAME_TOO_LONG)
            .with("max", 100)
            .at("members[0].given_names");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"path": "members[0].given_names", "code": "name.too_long", "params": {"max": "100"}})
        );
        let back: ValidationError = serde_json::from_value(json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn list_serialises_as_array() {
        let mut errors = ValidationErrors::new();
        errors.push(ValidationError::new("members", codes::MEMBERS_TOO_FEW));
        assert_eq!(
            serde_json::to_string(&errors).unwrap(),
            r#"[{"path":"members","code":"members.too_few","params":{}}]"#
        );
    }

    #[test]
    fn for_path_respects_segment_boundaries() {
        let errors: ValidationErrors = [
            "members[2].email",
            "members[20].email",
            "members[2]",
            "members",
        ]
        .into_iter()
        .map(|p| ValidationError::new(p, codes::EMAIL_INVALID))
        .collect();
        let paths: Vec<_> = errors
            .for_path("members[2]")
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(paths, ["members[2].email", "members[2]"]);
        assert_eq!(errors.for_path("members").count(), 4);
        assert_eq!(errors.for_path("").count(), 4);
        assert_eq!(errors.for_path("member").count(), 0);
    }

    #[test]
    fn sorts_in_form_order() {
        let mut errors: ValidationErrors = [
            "consent.data_processing",
            "members[10].email",
            "members[2].identity_document.expires_on",
            "members[2].email",
            "members[2].given_names",
            "members",
            "focal_point.email",
            "delegation.country",
            "delegation.kind",
            "members[2].identity_document.number",
            "members[2].sessions[1]",
            "members[2].sessions[0]",
            "event",
        ]
        .into_iter()
        .map(|p| ValidationError::new(p, codes::EMAIL_INVALID))
        .collect();
        errors.sort_form_order();
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "event",
                "delegation.kind",
                "delegation.country",
                "focal_point.email",
                "members",
                "members[2].given_names",
                "members[2].email",
                "members[2].identity_document.number",
                "members[2].identity_document.expires_on",
                "members[2].sessions[0]",
                "members[2].sessions[1]",
                "members[10].email",
                "consent.data_processing",
            ]
        );
    }

    #[test]
    fn sorting_keeps_rule_order_at_one_path_and_drops_duplicates() {
        let mut errors: ValidationErrors = [
            codes::EMAIL_INVALID,
            codes::EMAIL_DUPLICATE,
            codes::EMAIL_INVALID,
        ]
        .into_iter()
        .map(|c| ValidationError::new("members[0].email", c))
        .collect();
        errors.sort_form_order();
        let found: Vec<_> = errors.iter().map(|e| e.code.as_ref()).collect();
        assert_eq!(found, [codes::EMAIL_INVALID, codes::EMAIL_DUPLICATE]);
    }

    fn too_long(_: &str) -> Result<(), validator::ValidationError> {
        let mut error = validator::ValidationError::new(codes::TEXT_TOO_LONG);
        error.add_param("max".into(), &200);
        Err(error)
    }

    #[derive(Validate)]
    struct Document {
        #[validate(custom(function = "too_long"))]
        number: String,
    }

    #[derive(Validate)]
    struct Person {
        #[validate(custom(function = "too_long"))]
        function: String,
        #[validate(nested)]
        identity_document: Option<Document>,
    }

    #[derive(Validate)]
    struct Form {
        #[validate(nested)]
        members: Vec<Person>,
    }

    #[test]
    fn flattens_validator_errors_without_the_value_param() {
        let person = |doc: bool| Person {
            function: "secret".into(),
            identity_document: doc.then(|| Document { number: "X".into() }),
        };
        let form = Form {
            members: vec![person(false), person(true)],
        };
        let flat = ValidationErrors::from_validator("", &form.validate().unwrap_err());
        let found: Vec<_> = flat
            .iter()
            .map(|e| {
                (
                    e.path.as_str(),
                    e.code.as_ref(),
                    e.param("max"),
                    e.param("value"),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "members[0].function",
                    codes::TEXT_TOO_LONG,
                    Some("200"),
                    None
                ),
                (
                    "members[1].function",
                    codes::TEXT_TOO_LONG,
                    Some("200"),
                    None
                ),
                (
                    "members[1].identity_document.number",
                    codes::TEXT_TOO_LONG,
                    Some("200"),
                    None
                ),
            ]
        );
    }

    #[test]
    fn join_path_handles_the_root() {
        assert_eq!(join_path("", "event"), "event");
        assert_eq!(join_path("members[1]", "email"), "members[1].email");
        assert_eq!(join_path("consent", ""), "consent");
    }
}
