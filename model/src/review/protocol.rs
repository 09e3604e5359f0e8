//! Protocol order: how intergovernmental meetings list delegations.
//!
//! Member States alphabetically by English short name, then observer
//! States, intergovernmental organisations, United Nations entities, NGOs,
//! media and others (the model's [`DelegationKind::protocol_rank`]), each
//! alphabetically. Within a delegation: the head first, then the
//! categories in the event's order, then by family name.

use crate::{Delegation, DelegationKind, EventConfig, HEAD_OF_DELEGATION, Member, country};
use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case without accents, for sorting and searching: `Türkiye` →
/// `turkiye`, so it sorts between Tunisia and Turkmenistan as in UN lists.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name a delegation is listed under.
pub fn delegation_name(
    kind: DelegationKind,
    country: Option<&str>,
    organisation: Option<&str>,
) -> String {
    let country_name = country
        .filter(|c| !c.is_empty())
        .map(|c| country::english_name(c).unwrap_or(c).to_owned());
    let organisation = organisation.filter(|o| !o.is_empty()).map(str::to_owned);
    if kind.is_state() {
        country_name.or(organisation).unwrap_or_default()
    } else {
        organisation.or(country_name).unwrap_or_default()
    }
}

/// The name [`Delegation`] is listed under, as [`delegation_name`].
pub fn listed_name(d: &Delegation) -> String {
    delegation_name(d.kind, d.country.as_deref(), d.organisation.as_deref())
}

/// Sort key of a delegation in protocol order: its kind's rank, then its
/// folded name. Ties are for the caller to break (by reference, say).
pub fn delegation_key(d: &Delegation) -> (u8, String) {
    (d.kind.protocol_rank(), fold(&listed_name(d)))
}

/// Rank of a member's category: the head first, then the event's order,
/// unknown categories last.
pub fn category_rank(event: &EventConfig, category: &str) -> usize {
    if category == HEAD_OF_DELEGATION {
        return 0;
    }
    event
        .categories
        .iter()
        .position(|c| c.id == category)
        .map_or(usize::MAX, |i| i + 1)
}

/// Compares two members of one delegation in protocol order.
pub fn compare_members(event: &EventConfig, a: &Member, b: &Member) -> Ordering {
    category_rank(event, &a.category)
        .cmp(&category_rank(event, &b.category))
        .then_with(|| fold(&a.family_name).cmp(&fold(&b.family_name)))
        .then_with(|| fold(&a.given_names).cmp(&fold(&b.given_names)))
}

/// Indices of the delegation's members in protocol order.
pub fn member_order(event: &EventConfig, members: &[Member]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    // A stable sort keeps the submitted order for full ties.
    order.sort_by(|&i, &j| compare_members(event, &members[i], &members[j]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("Côte d’Ivoire"), "cote d’ivoire");
        assert!(fold("Tunisia") < fold("Türkiye") && fold("Türkiye") < fold("Turkmenistan"));
    }

    #[test]
    fn states_are_listed_by_country_name_and_others_by_organisation() {
        assert_eq!(
            delegation_name(DelegationKind::MemberState, Some("PK"), None),
            "Pakistan"
        );
        assert_eq!(
            delegation_name(DelegationKind::Ngo, Some("PK"), Some("Aware Girls")),
            "Aware Girls"
        );
        assert_eq!(delegation_name(DelegationKind::Media, None, None), "");
    }

    #[test]
    fn members_head_first_then_category_then_family_name() {
        let event = crate::demo::islamabad_tip_som();
        let m = |category: &str, family: &str| Member {
            category: category.into(),
            family_name: family.into(),
            given_names: "X".into(),
            ..Default::default()
        };
        let members = vec![
            m("delegate", "Zafar"),
            m("adviser", "Ahmed"),
            m("delegate", "Ćosić"),
            m(HEAD_OF_DELEGATION, "Yusuf"),
            m("alternate", "Malik"),
        ];
        let order = member_order(&event, &members);
        let names: Vec<_> = order
            .iter()
            .map(|&i| members[i].family_name.as_str())
            .collect();
        assert_eq!(names, ["Yusuf", "Malik", "Ćosić", "Zafar", "Ahmed"]);
    }
}
