//! What changed between two versions of a registration.
//!
//! The organiser reads it before deciding again on an amended
//! registration, the focal point's "Check your answers" marks it, and the
//! amendment e-mail lists it, so all three say the same thing. Members are
//! matched by who they are (their names, else their e-mail address), not by
//! position, so moving a member is not reported as two replacements; an
//! unmatched member whose place and category are taken by another unmatched
//! person was replaced (a substitution, which keeps the delegation's
//! protocol order).

use crate::payload::{Member, Registration};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One difference between the earlier and the later version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A field of the delegation, the focal point or the consents changed:
    /// `section` is `delegation`, `focal_point`, `consent` or `language`.
    Section {
        /// Which part of the registration.
        section: String,
        /// The payload names of the fields that changed, in payload order.
        fields: Vec<String>,
    },
    /// A member who was not there before.
    MemberAdded {
        /// Their place in the later version (0-based).
        position: usize,
        /// Their badge name.
        name: String,
    },
    /// A member who is no longer there.
    MemberRemoved {
        /// Their badge name.
        name: String,
    },
    /// Someone else took a member's place and category.
    MemberReplaced {
        /// The place (0-based).
        position: usize,
        /// Who was there.
        before: String,
        /// Who is there now.
        after: String,
    },
    /// The same person, with some fields changed.
    MemberChanged {
        /// Their place in the later version (0-based).
        position: usize,
        /// Their badge name (in the later version).
        name: String,
        /// The payload names of the fields that changed, in payload order.
        fields: Vec<String>,
    },
}

/// Every change from `before` to `after`: sections first, then members in
/// the later version's order, then the members removed.
pub fn changes(before: &Registration, after: &Registration) -> Vec<Change> {
    let mut found = Vec::new();
    for (section, old, new) in [
        ("language", json(&before.language), json(&after.language)),
        (
            "delegation",
            json(&before.delegation),
            json(&after.delegation),
        ),
        (
            "focal_point",
            json(&before.focal_point),
            json(&after.focal_point),
        ),
        ("consent", json(&before.consent), json(&after.consent)),
    ] {
        let fields = changed_fields(&old, &new);
        if !fields.is_empty() {
            found.push(Change::Section {
                section: section.to_owned(),
                fields,
            });
        }
    }

    let pairs = match_members(&before.members, &after.members);
    let mut removed: Vec<bool> = vec![true; before.members.len()];
    for (position, member) in after.members.iter().enumerate() {
        match pairs[position] {
            Pairing::Same(i) => {
                removed[i] = false;
                let fields = changed_fields(&json(&before.members[i]), &json(member));
                if !fields.is_empty() {
                    found.push(Change::MemberChanged {
                        position,
                        name: member.badge_text(),
                        fields,
                    });
                }
            }
            Pairing::Replaces(i) => {
                removed[i] = false;
                found.push(Change::MemberReplaced {
                    position,
                    before: before.members[i].badge_text(),
                    after: member.badge_text(),
                });
            }
            Pairing::New => found.push(Change::MemberAdded {
                position,
                name: member.badge_text(),
            }),
        }
    }
    for (i, gone) in removed.into_iter().enumerate() {
        if gone {
            found.push(Change::MemberRemoved {
                name: before.members[i].badge_text(),
            });
        }
    }
    found
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pairing {
    /// The same person as earlier member `i`.
    Same(usize),
    /// Took the place of earlier member `i`.
    Replaces(usize),
    New,
}

/// Who a member is, for matching across versions: their folded names, or
/// their e-mail address when they have no name yet.
fn identity(member: &Member) -> String {
    let names = format!(
        "{}\u{1f}{}",
        member.given_names.trim(),
        member.family_name.trim()
    );
    if names.len() > 1 {
        names.to_lowercase()
    } else {
        member.email.trim().to_lowercase()
    }
}

fn match_members(before: &[Member], after: &[Member]) -> Vec<Pairing> {
    let mut taken = vec![false; before.len()];
    let mut pairs = vec![Pairing::New; after.len()];
    // The same person first, preferring the same place when a name occurs
    // twice (two members may share a name).
    for (j, member) in after.iter().enumerate() {
        let id = identity(member);
        let same = |i: &usize| !taken[*i] && identity(&before[*i]) == id;
        let found = Some(j)
            .filter(|i| *i < before.len() && same(i))
            .or_else(|| (0..before.len()).find(same));
        if let Some(i) = found {
            taken[i] = true;
            pairs[j] = Pairing::Same(i);
        }
    }
    // Then substitutions: someone new in the place and category of someone
    // who left.
    for (j, member) in after.iter().enumerate() {
        if pairs[j] == Pairing::New
            && j < before.len()
            && !taken[j]
            && before[j].category == member.category
        {
            taken[j] = true;
            pairs[j] = Pairing::Replaces(j);
        }
    }
    pairs
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The top-level keys whose values differ (a non-object compares whole,
/// under the name `value`).
fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => {
            let mut fields: Vec<String> = new
                .iter()
                .filter(|(key, value)| old.get(*key) != Some(value))
                .map(|(key, _)| key.clone())
                .collect();
            fields.extend(old.keys().filter(|key| !new.contains_key(*key)).cloned());
            fields
        }
        (old, new) if old != new => vec!["value".to_owned()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(given: &str, family: &str, category: &str) -> Member {
        Member {
            given_names: given.into(),
            family_name: family.into(),
            category: category.into(),
            email: format!("{}@example.org", given.to_lowercase()),
            ..Member::default()
        }
    }

    fn registration(members: Vec<Member>) -> Registration {
        Registration {
            members,
            ..Registration::default()
        }
    }

    #[test]
    fn nothing_changed_is_no_change() {
        let r = registration(vec![member("Amina", "Khan", "delegate")]);
        assert_eq!(changes(&r, &r.clone()), []);
    }

    #[test]
    fn a_substitution_keeps_the_place_and_is_one_change() {
        let before = registration(vec![
            member("Amina", "Khan", "head_of_delegation"),
            member("Bilal", "Ahmed", "delegate"),
        ]);
        let mut after = before.clone();
        after.members[1] = member("Sara", "Iqbal", "delegate");
        assert_eq!(
            changes(&before, &after),
            [Change::MemberReplaced {
                position: 1,
                before: "Bilal Ahmed".into(),
                after: "Sara Iqbal".into()
            }]
        );
    }

    #[test]
    fn moved_members_are_matched_by_who_they_are() {
        let a = member("Amina", "Khan", "delegate");
        let b = member("Bilal", "Ahmed", "delegate");
        let before = registration(vec![a.clone(), b.clone()]);
        let mut b2 = b.clone();
        b2.function = "Director".into();
        let after = registration(vec![b2, a]);
        assert_eq!(
            changes(&before, &after),
            [Change::MemberChanged {
                position: 0,
                name: "Bilal Ahmed".into(),
                fields: vec!["function".into()]
            }]
        );
    }

    #[test]
    fn added_removed_and_section_changes() {
        let before = registration(vec![
            member("Amina", "Khan", "head_of_delegation"),
            member("Bilal", "Ahmed", "delegate"),
        ]);
        let mut after = registration(vec![
            member("Amina", "Khan", "head_of_delegation"),
            member("Chen", "Wei", "adviser"),
        ]);
        after.focal_point.email = "desk@example.org".into();
        assert_eq!(
            changes(&before, &after),
            [
                Change::Section {
                    section: "focal_point".into(),
                    fields: vec!["email".into()]
                },
                Change::MemberAdded {
                    position: 1,
                    name: "Chen Wei".into()
                },
                Change::MemberRemoved {
                    name: "Bilal Ahmed".into()
                },
            ],
            "a different category is not a substitution"
        );
    }
}
