//! Rules about the delegation as a whole: who it represents, and how it
//! is composed (size, head of delegation, category limits, duplicates).

use std::collections::BTreeMap;

use crate::codes;
use crate::config::{DelegationKind, EventConfig, HEAD_OF_DELEGATION};
use crate::error::{ValidationErrors, Violation};
use crate::payload::{Delegation, Member};
use crate::rules::country::{canonical_country, check_invited};
use crate::rules::email::comparable_email;
use crate::rules::is_present_opt;
use crate::rules::text::{canonical_document_number, check_document_number};

/// The event must accept this kind of delegation.
pub fn check_kind(kind: DelegationKind, event: &EventConfig) -> Result<(), Violation> {
    if event.allows(kind) {
        Ok(())
    } else {
        Err(Violation::new(codes::DELEGATION_KIND_NOT_ALLOWED).with("kind", kind.as_str()))
    }
}

/// States are identified by their country (required, and invited when the
/// event has a list); other delegations by their organisation's name. An
/// unknown country code is reported by the payload's own `#[validate]`.
pub fn check_delegation(
    delegation: &Delegation,
    event: &EventConfig,
    errors: &mut ValidationErrors,
) {
    errors.check("delegation.kind", check_kind(delegation.kind, event));
    let country = delegation.country.as_deref().unwrap_or("");
    if delegation.kind.is_state() {
        if canonical_country(country).is_empty() {
            errors.add(
                "delegation.country",
                Violation::new(codes::COUNTRY_REQUIRED),
            );
        } else {
            errors.check("delegation.country", check_invited(country, event));
        }
    } else if !is_present_opt(&delegation.organisation) {
        errors.add(
            "delegation.organisation",
            Violation::new(codes::ORGANISATION_REQUIRED),
        );
    }
}

/// Rules across members: size, head of delegation, per-category limits,
/// duplicate e-mail addresses and documents.
pub fn check_composition(
    kind: DelegationKind,
    members: &[Member],
    event: &EventConfig,
    errors: &mut ValidationErrors,
) {
    check_size(members, event, errors);
    check_heads(kind, members, event, errors);
    check_category_limits(members, event, errors);
    check_duplicate_emails(members, errors);
    check_duplicate_documents(members, errors);
}

fn check_size(members: &[Member], event: &EventConfig, errors: &mut ValidationErrors) {
    if members.is_empty() {
        errors.add(
            "members",
            Violation::new(codes::MEMBERS_TOO_FEW).with("min", 1),
        );
    }
    let max = event.limits.max_delegation_size;
    if members.len() > max as usize {
        errors.add(
            "members",
            Violation::new(codes::MEMBERS_TOO_MANY).with("max", max),
        );
    }
}

fn is_head(member: &Member) -> bool {
    member.category.trim() == HEAD_OF_DELEGATION
}

/// At most one head for any delegation; exactly one where the event
/// requires it. An empty delegation is already reported as too small, so
/// it does not also get "head required".
fn check_heads(
    kind: DelegationKind,
    members: &[Member],
    event: &EventConfig,
    errors: &mut ValidationErrors,
) {
    let heads: Vec<usize> = (0..members.len())
        .filter(|&i| is_head(&members[i]))
        .collect();
    if heads.is_empty() && !members.is_empty() && event.head_required_for(kind) {
        errors.add("members", Violation::new(codes::DELEGATION_HEAD_REQUIRED));
    }
    for index in heads.iter().skip(1) {
        errors.add(
            format!("members[{index}].category"),
            Violation::new(codes::DELEGATION_HEAD_TOO_MANY),
        );
    }
}

/// Members beyond a category's maximum are reported on their category,
/// in order. The head of delegation is left to [`check_heads`] so an extra
/// head gets one precise error rather than two.
fn check_category_limits(members: &[Member], event: &EventConfig, errors: &mut ValidationErrors) {
    let mut counts = BTreeMap::<&str, u32>::new();
    for (index, member) in members.iter().enumerate() {
        let id = member.category.trim();
        let Some(category) = event.category(id) else {
            continue;
        };
        let count = counts.entry(id).or_default();
        *count += 1;
        match category.max_per_delegation {
            Some(max) if *count > max && id != HEAD_OF_DELEGATION => errors.add(
                format!("members[{index}].category"),
                Violation::new(codes::CATEGORY_TOO_MANY)
                    .with("category", id)
                    .with("max", max),
            ),
            _ => {}
        }
    }
}

/// Reports each member whose key (non-empty) was already used by an
/// earlier member.
fn report_repeats(
    keys: impl Iterator<Item = String>,
    path: &str,
    code: &'static str,
    errors: &mut ValidationErrors,
) {
    let mut seen = Vec::<String>::new();
    for (index, key) in keys.enumerate() {
        if key.is_empty() {
            continue;
        }
        if seen.contains(&key) {
            errors.add(format!("members[{index}].{path}"), Violation::new(code));
        } else {
            seen.push(key);
        }
    }
}

fn check_duplicate_emails(members: &[Member], errors: &mut ValidationErrors) {
    let keys = members.iter().map(|m| comparable_email(&m.email));
    report_repeats(keys, "email", codes::EMAIL_DUPLICATE, errors);
}

/// Documents are the same when both issuing country and number match: two
/// countries may well issue the same number. Only valid numbers are
/// compared; an invalid one already has its own error.
fn check_duplicate_documents(members: &[Member], errors: &mut ValidationErrors) {
    let keys = members.iter().map(|m| match &m.identity_document {
        Some(document) if check_document_number(&document.number).is_ok() => format!(
            "{}:{}",
            canonical_country(&document.issuing_country),
            canonical_document_number(&document.number)
        ),
        _ => String::new(),
    });
    report_repeats(
        keys,
        "identity_document.number",
        codes::IDENTITY_DOCUMENT_NUMBER_DUPLICATE,
        errors,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{event, expect, member, pairs, registration};

    fn composition(kind: DelegationKind, members: &[Member]) -> Vec<(String, String)> {
        let mut errors = ValidationErrors::new();
        check_composition(kind, members, &event(), &mut errors);
        pairs(&errors)
    }

    fn delegation(delegation: &Delegation, event: &EventConfig) -> Vec<(String, String)> {
        let mut errors = ValidationErrors::new();
        check_delegation(delegation, event, &mut errors);
        pairs(&errors)
    }

    #[test]
    fn kind_must_be_allowed() {
        let mut e = event();
        e.delegation_kinds = vec![DelegationKind::MemberState];
        assert_eq!(check_kind(DelegationKind::MemberState, &e), Ok(()));
        assert_eq!(
            check_kind(DelegationKind::Media, &e).unwrap_err(),
            Violation::new(codes::DELEGATION_KIND_NOT_ALLOWED).with("kind", "media")
        );
    }

    #[test]
    fn states_need_an_invited_country() {
        let mut e = event();
        let mut d = registration().delegation;
        assert!(delegation(&d, &e).is_empty());
        d.country = None;
        assert_eq!(
            delegation(&d, &e),
            expect(&[("delegation.country", codes::COUNTRY_REQUIRED)])
        );
        d.country = Some("  ".into());
        assert_eq!(
            delegation(&d, &e),
            expect(&[("delegation.country", codes::COUNTRY_REQUIRED)])
        );
        e.invited_countries = vec!["PK".into()];
        d.country = Some("AT".into());
        assert_eq!(
            delegation(&d, &e),
            expect(&[("delegation.country", codes::COUNTRY_NOT_INVITED)])
        );
        d.country = Some("pk".into());
        assert!(delegation(&d, &e).is_empty());
    }

    #[test]
    fn organisations_need_a_name() {
        let e = event();
        let mut d = Delegation {
            kind: DelegationKind::IntergovernmentalOrganisation,
            ..Default::default()
        };
        assert_eq!(
            delegation(&d, &e),
            expect(&[("delegation.organisation", codes::ORGANISATION_REQUIRED)])
        );
        d.organisation = Some("European Union".into());
        assert!(delegation(&d, &e).is_empty());
        d.kind = DelegationKind::ObserverState;
        assert_eq!(
            delegation(&d, &e),
            expect(&[("delegation.country", codes::COUNTRY_REQUIRED)])
        );
    }

    #[test]
    fn size_limits() {
        assert_eq!(
            composition(DelegationKind::MemberState, &[]),
            expect(&[("members", codes::MEMBERS_TOO_FEW)])
        );
        let many: Vec<_> = (0..6)
            .map(|i| member(&format!("M{}", char::from(b'a' + i)), "observer", ""))
            .collect();
        let found = composition(DelegationKind::Ngo, &many);
        assert_eq!(found, expect(&[("members", codes::MEMBERS_TOO_MANY)]));
    }

    #[test]
    fn head_of_delegation_rules() {
        let delegate = member("Bernd", "delegate", "P7654321");
        assert_eq!(
            composition(DelegationKind::MemberState, std::slice::from_ref(&delegate)),
            expect(&[("members", codes::DELEGATION_HEAD_REQUIRED)])
        );
        assert!(composition(DelegationKind::Ngo, std::slice::from_ref(&delegate)).is_empty());
        let heads = [
            member("Anna", "head_of_delegation", "P1111111"),
            delegate,
            member("Carl", "head_of_delegation", "P2222222"),
            member("Dora", " head_of_delegation ", "P3333333"),
        ];
        let expected = expect(&[
            ("members[2].category", codes::DELEGATION_HEAD_TOO_MANY),
            ("members[3].category", codes::DELEGATION_HEAD_TOO_MANY),
        ]);
        assert_eq!(composition(DelegationKind::MemberState, &heads), expected);
        assert_eq!(
            composition(DelegationKind::Media, &heads),
            expected,
            "at most one head for any kind"
        );
    }

    #[test]
    fn category_limits() {
        let members = [
            member("Anna", "head_of_delegation", "P1111111"),
            member("Bea", "adviser", "P2222222"),
            member("Cem", "adviser", "P3333333"),
            member("Dan", "adviser", "P4444444"),
        ];
        let mut errors = ValidationErrors::new();
        check_composition(DelegationKind::MemberState, &members, &event(), &mut errors);
        assert_eq!(
            pairs(&errors),
            expect(&[("members[3].category", codes::CATEGORY_TOO_MANY)])
        );
        assert_eq!(errors.as_slice()[0].param("category"), Some("adviser"));
        assert_eq!(errors.as_slice()[0].param("max"), Some("2"));
    }

    #[test]
    fn duplicate_emails_reported_on_the_later_member() {
        let mut members = vec![
            member("Anna", "head_of_delegation", "P1111111"),
            member("Bea", "delegate", "P2222222"),
            member("Cem", "delegate", "P3333333"),
        ];
        members[2].email = " ANNA@example.org".into();
        members[1].email.clear();
        let mut blank = member("Dan", "delegate", "P4444444");
        blank.email.clear();
        members.push(blank);
        assert_eq!(
            composition(DelegationKind::MemberState, &members),
            expect(&[("members[2].email", codes::EMAIL_DUPLICATE)])
        );
    }

    #[test]
    fn duplicate_documents_reported_on_the_later_member() {
        let mut members = vec![
            member("Anna", "head_of_delegation", "P1111111"),
            member("Bea", "delegate", "p111 1111"),
            member("Cem", "delegate", "P1111111"),
        ];
        members[2]
            .identity_document
            .as_mut()
            .unwrap()
            .issuing_country = "PK".into();
        assert_eq!(
            composition(DelegationKind::MemberState, &members),
            expect(&[(
                "members[1].identity_document.number",
                codes::IDENTITY_DOCUMENT_NUMBER_DUPLICATE
            )])
        );
    }
}
