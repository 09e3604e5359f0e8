//! The organiser's filters, shared by the server's registration list and
//! exports and by the organiser view, so a list on screen and its export
//! always hold the same registrations.

use super::protocol::{fold, listed_name};
use super::status::Status;
use crate::{DelegationKind, Registration};

/// `?status=&kind=&country=&category=&q=`; an empty value means no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Review status.
    pub status: Option<Status>,
    /// Delegation kind.
    pub kind: Option<DelegationKind>,
    /// Alpha-2, upper-case.
    pub country: Option<String>,
    /// Registrations with a member in this category; participant exports
    /// list only those members.
    pub category: Option<String>,
    /// Folded search text, matched against the reference, the delegation's
    /// name and the names and e-mail addresses of its members and focal point.
    pub q: Option<String>,
    /// Only registrations amended since an organiser last decided on them
    /// (`?amended=true`).
    pub amended: bool,
}

impl Filter {
    /// Reads query pairs; an unknown parameter or value is an error (a typo
    /// would otherwise silently export everything).
    pub fn parse<'a>(
        query: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Filter, String> {
        let mut filter = Filter::default();
        for (name, value) in query {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name {
                "status" => {
                    filter.status = Some(value.parse().map_err(|()| {
                        format!("status must be one of pending, approved, rejected, changes_requested, withdrawn; not `{value}`")
                    })?);
                }
                "kind" => {
                    filter.kind = Some(
                        DelegationKind::ALL
                            .into_iter()
                            .find(|k| k.as_str() == value)
                            .ok_or_else(|| format!("kind `{value}` is not a delegation kind"))?,
                    );
                }
                "country" => filter.country = Some(value.to_ascii_uppercase()),
                "category" => filter.category = Some(value.to_owned()),
                "q" => filter.q = Some(fold(value)),
                "amended" => {
                    filter.amended = match value {
                        "true" => true,
                        "false" => false,
                        _ => return Err(format!("amended must be true or false; not `{value}`")),
                    }
                }
                other => return Err(format!("unknown query parameter `{other}`")),
            }
        }
        Ok(filter)
    }

    /// Whether a registration passes every filter. `amended` says whether
    /// it changed since an organiser last decided on it (see
    /// [`Filter::matches_amended`]).
    pub fn matches(&self, status: Status, reference: &str, r: &Registration) -> bool {
        self.matches_fields(status, r)
            && self
                .q
                .as_deref()
                .is_none_or(|q| search_text(reference, r).contains(q))
    }

    /// Whether a registration passes the `amended` filter.
    pub fn matches_amended(&self, amended: bool) -> bool {
        !self.amended || amended
    }

    /// Every filter but the search text (for callers that keep
    /// [`search_text`] ready, and use [`Filter::matches_text`]).
    /// Withdrawn registrations match only a filter for them: lists show
    /// the delegations that still come.
    pub fn matches_fields(&self, status: Status, r: &Registration) -> bool {
        let d = &r.delegation;
        let status_ok = match self.status {
            Some(wanted) => status == wanted,
            None => status.is_active(),
        };
        status_ok
            && self.kind.is_none_or(|k| d.kind == k)
            && self.country.as_deref().is_none_or(|c| {
                d.country
                    .as_deref()
                    .is_some_and(|dc| dc.eq_ignore_ascii_case(c))
            })
            && self
                .category
                .as_deref()
                .is_none_or(|c| r.members.iter().any(|m| m.category == c))
    }

    /// The search text filter alone, on a registration's [`search_text`].
    pub fn matches_text(&self, search_text: &str) -> bool {
        self.q.as_deref().is_none_or(|q| search_text.contains(q))
    }
}

/// What the search looks in, folded (lower case, no accents), one field per
/// line so a search never matches across two fields.
pub fn search_text(reference: &str, r: &Registration) -> String {
    let d = &r.delegation;
    let f = &r.focal_point;
    let name = listed_name(d);
    let mut fields: Vec<&str> = vec![
        reference,
        &name,
        d.organisation.as_deref().unwrap_or(""),
        &f.given_names,
        &f.family_name,
        &f.email,
    ];
    for m in &r.members {
        fields.extend([
            m.given_names.as_str(),
            &m.family_name,
            &m.badge_name,
            &m.email,
        ]);
    }
    fold(&fields.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Iterator<Item = (&'a str, &'a str)> {
        pairs.iter().copied()
    }

    #[test]
    fn parses_and_rejects() {
        let f = Filter::parse(query(&[
            ("status", "approved"),
            ("kind", "ngo"),
            ("country", "pk"),
            ("q", "Çelik"),
        ]))
        .unwrap();
        assert_eq!(f.status, Some(Status::Approved));
        assert_eq!(f.kind, Some(DelegationKind::Ngo));
        assert_eq!(f.country.as_deref(), Some("PK"));
        assert_eq!(f.q.as_deref(), Some("celik"));
        assert_eq!(
            Filter::parse(query(&[("status", "")])).unwrap(),
            Filter::default()
        );
        assert!(Filter::parse(query(&[("status", "done")])).is_err());
        assert!(Filter::parse(query(&[("kind", "state")])).is_err());
        assert!(Filter::parse(query(&[("statuss", "pending")])).is_err());
    }
}

#[cfg(test)]
mod matching {
    use super::*;
    use crate::{Member, Registration};

    fn registration() -> Registration {
        let mut r = Registration::default();
        r.delegation.kind = DelegationKind::MemberState;
        r.delegation.country = Some("TR".into());
        r.focal_point.email = "focal@mfa.gov.tr".into();
        r.members = vec![Member {
            category: "adviser".into(),
            given_names: "Ayşe".into(),
            family_name: "Çelik".into(),
            ..Default::default()
        }];
        r
    }

    #[test]
    fn every_filter_combines_with_and() {
        let r = registration();
        let f = |pairs: &[(&str, &str)]| Filter::parse(pairs.iter().copied()).unwrap();
        assert!(f(&[]).matches(Status::Pending, "ISB-1", &r));
        assert!(f(&[("q", "CELIK"), ("country", "tr")]).matches(Status::Pending, "ISB-1", &r));
        assert!(f(&[("q", "türkiye")]).matches(Status::Pending, "ISB-1", &r));
        assert!(f(&[("q", "isb-1")]).matches(Status::Pending, "ISB-1", &r));
        assert!(f(&[("q", "mfa.gov")]).matches(Status::Pending, "ISB-1", &r));
        assert!(f(&[("category", "adviser")]).matches(Status::Pending, "ISB-1", &r));
        assert!(!f(&[("category", "delegate")]).matches(Status::Pending, "ISB-1", &r));
        assert!(!f(&[("status", "approved")]).matches(Status::Pending, "ISB-1", &r));
        assert!(!f(&[("kind", "ngo")]).matches(Status::Pending, "ISB-1", &r));
        assert!(!f(&[("country", "PK")]).matches(Status::Pending, "ISB-1", &r));
        assert!(
            !f(&[]).matches(Status::Withdrawn, "ISB-1", &r),
            "withdrawn are hidden"
        );
        assert!(f(&[("status", "withdrawn")]).matches(Status::Withdrawn, "ISB-1", &r));
        assert!(f(&[("amended", "true")]).matches_amended(true));
        assert!(!f(&[("amended", "true")]).matches_amended(false));
        assert!(f(&[("amended", "false")]).matches_amended(false));
        // One field per line: "ayse" + "celik" are two fields.
        assert!(!f(&[("q", "aysecelik")]).matches(Status::Pending, "ISB-1", &r));
    }

    #[test]
    fn the_indexed_path_agrees_with_matches() {
        let r = registration();
        let text = search_text("ISB-1", &r);
        for q in ["celik", "nobody", "turk", ""] {
            let filter = Filter::parse([("q", q)]).unwrap();
            assert_eq!(
                filter.matches(Status::Pending, "ISB-1", &r),
                filter.matches_fields(Status::Pending, &r) && filter.matches_text(&text)
            );
        }
    }
}
