//! The organiser's filters, shared by the registration list and every export.

use crate::export::Loaded;
use crate::export::order::{delegation_name, fold};
use crate::status::Status;
use accredit_model::DelegationKind;
use std::collections::HashMap;

/// `?status=&kind=&country=&category=&q=`; an empty value means no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub kind: Option<DelegationKind>,
    /// Alpha-2, upper-case.
    pub country: Option<String>,
    /// Registrations with a member in this category; participant exports
    /// list only those members.
    pub category: Option<String>,
    /// Folded search text, matched against the reference, the delegation's
    /// name and the names and e-mail addresses of its members and focal point.
    pub q: Option<String>,
}

impl Filter {
    /// Reads the query; an unknown parameter or value is an error (a typo
    /// would otherwise silently export everything).
    pub fn parse(query: &HashMap<String, String>) -> Result<Filter, String> {
        let mut filter = Filter::default();
        for (name, value) in query {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "status" => {
                    filter.status = Some(value.parse().map_err(|()| {
                        format!("status must be one of pending, approved, rejected, changes_requested; not `{value}`")
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
                other => return Err(format!("unknown query parameter `{other}`")),
            }
        }
        Ok(filter)
    }

    pub fn matches(&self, loaded: &Loaded) -> bool {
        let r = &loaded.registration;
        let d = &r.delegation;
        self.status.is_none_or(|s| loaded.status == s)
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
            && self.q.as_deref().is_none_or(|q| self.search(loaded, q))
    }

    fn search(&self, loaded: &Loaded, q: &str) -> bool {
        let r = &loaded.registration;
        let d = &r.delegation;
        let f = &r.focal_point;
        let name = delegation_name(d.kind, d.country.as_deref(), d.organisation.as_deref());
        let mut fields: Vec<&str> = vec![
            &loaded.reference,
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
        fields.iter().any(|field| fold(field).contains(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_and_rejects() {
        let f = Filter::parse(&query(&[
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
            Filter::parse(&query(&[("status", "")])).unwrap(),
            Filter::default()
        );
        assert!(Filter::parse(&query(&[("status", "done")])).is_err());
        assert!(Filter::parse(&query(&[("kind", "state")])).is_err());
        assert!(Filter::parse(&query(&[("statuss", "pending")])).is_err());
    }
}
