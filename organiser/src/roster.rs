//! The event's registrations as the organiser view holds them: loaded once
//! (`GET …/registrations?include=registration`), then filtered, sorted and
//! counted in the browser so every keystroke in the search box answers at
//! once. The filter and protocol order are the model's, the same code the
//! server runs for its list and exports.

use accredit_model::api::{RegistrationDetail, RegistrationSummary};
use accredit_model::review::{Filter, Status, protocol, search_text};
use accredit_model::{DelegationKind, EventConfig, HEAD_OF_DELEGATION, Member, Registration};

/// A registration ready to be filtered and sorted.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub reference: String,
    pub status: Status,
    /// The current version, which a decision is made against.
    pub version: u32,
    /// Changed by the focal point since an organiser last decided.
    pub amended: bool,
    pub created_at: String,
    pub updated_at: String,
    pub registration: Registration,
    /// The name the delegation is listed under.
    pub name: String,
    /// The head of delegation's registered name.
    pub head: Option<String>,
    /// The head's Latin badge name, where it differs from the registered one.
    pub head_badge: Option<String>,
    /// Folded text the search looks in.
    search: String,
    /// Protocol rank and folded name.
    protocol_key: (u8, String),
    head_folded: String,
    /// Position in protocol order among all entries ([`load`] sets it), so
    /// sorting compares numbers rather than names.
    position: usize,
}

impl Entry {
    /// A row of the list endpoint (`?include=registration`, so it carries
    /// its payload).
    pub fn new(listed: RegistrationSummary) -> Entry {
        let mut entry = Entry {
            name: String::new(),
            head: None,
            head_badge: None,
            search: String::new(),
            protocol_key: (0, String::new()),
            head_folded: String::new(),
            position: 0,
            id: listed.id,
            reference: listed.reference,
            status: listed.status,
            version: listed.version,
            amended: listed.amended,
            created_at: listed.created_at,
            updated_at: listed.updated_at,
            registration: listed.registration.unwrap_or_default(),
        };
        entry.index();
        entry
    }

    /// Takes what the detail endpoint (or a decision) answered: the status,
    /// the version and the payload may all have changed since the list was
    /// loaded. The place in protocol order stays until the next reload.
    pub fn refresh(&mut self, detail: &RegistrationDetail) {
        self.status = detail.status;
        self.version = detail.version;
        self.amended = detail
            .reviewed_version
            .is_some_and(|reviewed| reviewed < detail.version);
        self.updated_at.clone_from(&detail.updated_at);
        self.registration = detail.registration.clone();
        self.index();
    }

    /// The derived fields the list sorts and searches on.
    fn index(&mut self) {
        let r = &self.registration;
        let head = r.members.iter().find(|m| m.category == HEAD_OF_DELEGATION);
        self.head_badge = head.and_then(badge_beside);
        let head = head.map(registered_name);
        self.name = protocol::listed_name(&r.delegation);
        self.search = search_text(&self.reference, r);
        self.protocol_key = protocol::delegation_key(&r.delegation);
        self.head_folded = head.as_deref().map(protocol::fold).unwrap_or_default();
        self.head = head;
    }

    /// Whether `filter` keeps this registration.
    pub fn matches(&self, filter: &Filter) -> bool {
        filter.matches_fields(self.status, &self.registration)
            && filter.matches_amended(self.amended)
            && filter.matches_text(&self.search)
    }

    fn protocol_cmp(&self, other: &Entry) -> std::cmp::Ordering {
        self.protocol_key
            .cmp(&other.protocol_key)
            .then_with(|| self.reference.cmp(&other.reference))
    }
}

/// A person's name as registered: honorific, given names, family name.
pub fn registered_name(m: &Member) -> String {
    [
        m.honorific.trim(),
        m.given_names.trim(),
        m.family_name.trim(),
    ]
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// The Latin badge name, shown beside the registered name only where it
/// says something else (a name registered in another script, a shorter
/// form).
pub fn badge_beside(m: &Member) -> Option<String> {
    let badge = m.badge_text();
    let plain = [m.given_names.trim(), m.family_name.trim()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!badge.is_empty() && badge != plain).then_some(badge)
}

/// Entries from the list endpoint, each knowing its place in protocol order.
pub fn load(listed: Vec<RegistrationSummary>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = listed.into_iter().map(Entry::new).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].protocol_cmp(&entries[b]));
    for (position, index) in order.into_iter().enumerate() {
        entries[index].position = position;
    }
    entries
}

/// What the delegations table is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Protocol order (Member States first, alphabetically, …).
    #[default]
    Protocol,
    /// Country or organisation name, whatever its kind.
    Name,
    Head,
    Members,
    Status,
    Submitted,
}

impl SortBy {
    pub const ALL: [SortBy; 6] = [
        SortBy::Protocol,
        SortBy::Name,
        SortBy::Head,
        SortBy::Members,
        SortBy::Status,
        SortBy::Submitted,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            SortBy::Protocol => "protocol",
            SortBy::Name => "name",
            SortBy::Head => "head",
            SortBy::Members => "members",
            SortBy::Status => "status",
            SortBy::Submitted => "submitted",
        }
    }

    pub fn parse(text: &str) -> Option<SortBy> {
        SortBy::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A column and a direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    pub by: SortBy,
    pub descending: bool,
}

/// Indices of the entries `filter` keeps, in `sort` order (protocol order
/// breaks ties, so equal rows never jump around).
pub fn select(entries: &[Entry], filter: &Filter, sort: Sort) -> Vec<usize> {
    let mut kept: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].matches(filter))
        .collect();
    kept.sort_by(|&a, &b| {
        let (a, b) = (&entries[a], &entries[b]);
        let primary = match sort.by {
            SortBy::Protocol => std::cmp::Ordering::Equal,
            SortBy::Name => a.protocol_key.1.cmp(&b.protocol_key.1),
            SortBy::Head => a.head_folded.cmp(&b.head_folded),
            SortBy::Members => a
                .registration
                .members
                .len()
                .cmp(&b.registration.members.len()),
            SortBy::Status => status_rank(a.status).cmp(&status_rank(b.status)),
            SortBy::Submitted => a.created_at.cmp(&b.created_at),
        };
        let primary = if sort.descending {
            primary.reverse()
        } else {
            primary
        };
        let tie = a.position.cmp(&b.position);
        primary.then(if sort.by == SortBy::Protocol && sort.descending {
            tie.reverse()
        } else {
            tie
        })
    });
    kept
}

fn status_rank(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

/// One participant: an entry and the index of one of its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Participant {
    pub entry: usize,
    pub member: usize,
}

/// The participants of the selected registrations in protocol order:
/// delegations by kind and name, within each the head first, then the
/// event's categories, then family name. With a category filter, only the
/// members of that category (as the server's participant exports).
/// Withdrawn registrations have no participants, even when the filters
/// show them: the delegation no longer comes.
pub fn participants(
    entries: &[Entry],
    selected: &[usize],
    event: &EventConfig,
    category: Option<&str>,
) -> Vec<Participant> {
    let mut delegations: Vec<usize> = selected
        .iter()
        .copied()
        .filter(|&i| entries[i].status.is_active())
        .collect();
    delegations.sort_by_key(|&i| entries[i].position);
    let mut out = Vec::new();
    for entry in delegations {
        let members = &entries[entry].registration.members;
        for member in protocol::member_order(event, members) {
            if category.is_some_and(|c| members[member].category != c) {
                continue;
            }
            out.push(Participant { entry, member });
        }
    }
    out
}

/// The dashboard's numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Registrations, withdrawn ones left out.
    pub registrations: usize,
    /// Their members, withdrawn registrations left out.
    pub participants: usize,
    /// Registrations and participants per status, in [`Status::ALL`] order
    /// (withdrawn ones only here).
    pub by_status: Vec<(Status, usize, usize)>,
    /// Participants per category (the event's, head first), rejected and
    /// withdrawn registrations left out.
    pub by_category: Vec<(String, usize)>,
    /// Delegations per kind, in protocol order, rejected and withdrawn left
    /// out.
    pub by_kind: Vec<(DelegationKind, usize)>,
}

pub fn counts(entries: &[Entry], event: &EventConfig) -> Counts {
    let active = || entries.iter().filter(|e| e.status.is_active());
    let mut counts = Counts {
        registrations: active().count(),
        participants: active().map(|e| e.registration.members.len()).sum(),
        by_status: Status::ALL.iter().map(|s| (*s, 0, 0)).collect(),
        by_category: event.categories.iter().map(|c| (c.id.clone(), 0)).collect(),
        by_kind: DelegationKind::ALL.iter().map(|k| (*k, 0)).collect(),
    };
    for entry in entries {
        if let Some(row) = counts.by_status.iter_mut().find(|r| r.0 == entry.status) {
            row.1 += 1;
            row.2 += entry.registration.members.len();
        }
        if entry.status == Status::Rejected || !entry.status.is_active() {
            continue;
        }
        if let Some(row) = counts
            .by_kind
            .iter_mut()
            .find(|r| r.0 == entry.registration.delegation.kind)
        {
            row.1 += 1;
        }
        for member in &entry.registration.members {
            match counts
                .by_category
                .iter_mut()
                .find(|r| r.0 == member.category)
            {
                Some(row) => row.1 += 1,
                None => counts.by_category.push((member.category.clone(), 1)),
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use accredit_model::Delegation;

    fn entry(
        reference: &str,
        kind: DelegationKind,
        country: Option<&str>,
        org: Option<&str>,
        members: &[(&str, &str)],
    ) -> RegistrationSummary {
        RegistrationSummary {
            id: format!("id-{reference}"),
            reference: reference.into(),
            status: Status::Pending,
            version: 1,
            amended: false,
            kind,
            country: country.map(str::to_owned),
            country_name: None,
            organisation: org.map(str::to_owned),
            name: String::new(),
            head_of_delegation: None,
            members: members.len(),
            created_at: format!("2027-03-01T10:00:{reference}Z"),
            updated_at: String::new(),
            registration: Some(Registration {
                delegation: Delegation {
                    kind,
                    country: country.map(str::to_owned),
                    organisation: org.map(str::to_owned),
                    credentials_letter: None,
                },
                members: members
                    .iter()
                    .map(|(category, family)| Member {
                        category: (*category).into(),
                        family_name: (*family).into(),
                        given_names: "A".into(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            }),
        }
    }

    fn entries() -> Vec<Entry> {
        load(vec![
            entry(
                "01",
                DelegationKind::Ngo,
                None,
                Some("Aware Girls"),
                &[("observer", "Khan")],
            ),
            entry(
                "02",
                DelegationKind::MemberState,
                Some("TR"),
                None,
                &[("delegate", "Öz"), ("head_of_delegation", "Yıldız")],
            ),
            entry(
                "03",
                DelegationKind::MemberState,
                Some("AF"),
                None,
                &[("head_of_delegation", "Rahimi")],
            ),
            entry(
                "04",
                DelegationKind::UnEntity,
                None,
                Some("UNODC"),
                &[("delegate", "Smith"), ("adviser", "Brown")],
            ),
        ])
    }

    fn names(entries: &[Entry], order: &[usize]) -> Vec<String> {
        order.iter().map(|&i| entries[i].name.clone()).collect()
    }

    #[test]
    fn protocol_order_is_the_default() {
        let e = entries();
        let order = select(&e, &Filter::default(), Sort::default());
        assert_eq!(
            names(&e, &order),
            ["Afghanistan", "Türkiye", "UNODC", "Aware Girls"]
        );
    }

    #[test]
    fn sorting_by_a_column_and_descending() {
        let e = entries();
        let by =
            |by, descending| names(&e, &select(&e, &Filter::default(), Sort { by, descending }));
        assert_eq!(
            by(SortBy::Name, false),
            ["Afghanistan", "Aware Girls", "Türkiye", "UNODC"]
        );
        assert_eq!(by(SortBy::Members, true)[..2], ["Türkiye", "UNODC"]);
        assert_eq!(by(SortBy::Submitted, true)[0], "UNODC");
        assert_eq!(
            by(SortBy::Protocol, true),
            ["Aware Girls", "UNODC", "Türkiye", "Afghanistan"]
        );
        for s in SortBy::ALL {
            assert_eq!(SortBy::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn filters_are_the_models() {
        let e = entries();
        let filter = Filter::parse([("q", "ÖZ")]).unwrap();
        assert_eq!(
            names(&e, &select(&e, &filter, Sort::default())),
            ["Türkiye"]
        );
        let filter = Filter::parse([("category", "adviser")]).unwrap();
        assert_eq!(names(&e, &select(&e, &filter, Sort::default())), ["UNODC"]);
    }

    #[test]
    fn participants_head_first_and_by_category() {
        let e = entries();
        let event = accredit_model::demo::islamabad_tip_som();
        let all: Vec<usize> = (0..e.len()).collect();
        let list = participants(&e, &all, &event, None);
        let families: Vec<&str> = list
            .iter()
            .map(|p| {
                e[p.entry].registration.members[p.member]
                    .family_name
                    .as_str()
            })
            .collect();
        assert_eq!(
            families,
            ["Rahimi", "Yıldız", "Öz", "Smith", "Brown", "Khan"]
        );
        let advisers = participants(&e, &all, &event, Some("adviser"));
        assert_eq!(
            advisers,
            [Participant {
                entry: 3,
                member: 1
            }]
        );
    }

    #[test]
    fn counts_leave_rejected_out_of_categories_and_kinds() {
        let mut e = entries();
        e[3].status = Status::Rejected;
        let event = accredit_model::demo::islamabad_tip_som();
        let c = counts(&e, &event);
        assert_eq!((c.registrations, c.participants), (4, 6));
        assert_eq!(c.by_status[0], (Status::Pending, 3, 4));
        assert_eq!(c.by_status[2], (Status::Rejected, 1, 2));
        let count = |id: &str| c.by_category.iter().find(|r| r.0 == id).unwrap().1;
        assert_eq!(
            (
                count("head_of_delegation"),
                count("delegate"),
                count("adviser")
            ),
            (2, 1, 0)
        );
        let kind = |k| c.by_kind.iter().find(|r| r.0 == k).unwrap().1;
        assert_eq!(
            (
                kind(DelegationKind::MemberState),
                kind(DelegationKind::UnEntity)
            ),
            (2, 0)
        );
    }

    #[test]
    fn withdrawn_has_its_own_count_and_nothing_else() {
        let mut e = entries();
        // Türkiye (two members) withdrew; UNODC (two members) was rejected.
        e[1].status = Status::Withdrawn;
        e[3].status = Status::Rejected;
        let event = accredit_model::demo::islamabad_tip_som();
        let c = counts(&e, &event);
        assert_eq!((c.registrations, c.participants), (3, 4));
        assert_eq!(
            c.by_status,
            [
                (Status::Pending, 2, 2),
                (Status::Approved, 0, 0),
                (Status::Rejected, 1, 2),
                (Status::ChangesRequested, 0, 0),
                (Status::Withdrawn, 1, 2),
            ]
        );
        let count = |id: &str| c.by_category.iter().find(|r| r.0 == id).unwrap().1;
        assert_eq!((count("head_of_delegation"), count("delegate")), (1, 0));
        let kind = |k| c.by_kind.iter().find(|r| r.0 == k).unwrap().1;
        assert_eq!(kind(DelegationKind::MemberState), 1);
    }

    #[test]
    fn withdrawn_are_listed_only_when_asked_for_and_never_as_participants() {
        let mut e = entries();
        e[1].status = Status::Withdrawn;
        let event = accredit_model::demo::islamabad_tip_som();
        let shown = select(&e, &Filter::default(), Sort::default());
        assert_eq!(names(&e, &shown), ["Afghanistan", "UNODC", "Aware Girls"]);
        let withdrawn = select(
            &e,
            &Filter::parse([("status", "withdrawn")]).unwrap(),
            Sort::default(),
        );
        assert_eq!(names(&e, &withdrawn), ["Türkiye"]);
        assert_eq!(participants(&e, &withdrawn, &event, None), []);
        let all: Vec<usize> = (0..e.len()).collect();
        assert_eq!(participants(&e, &all, &event, None).len(), 4);
    }

    #[test]
    fn the_amended_filter_keeps_amended_rows() {
        let mut e = entries();
        e[0].amended = true;
        e[2].amended = true;
        let filter = Filter::parse([("amended", "true")]).unwrap();
        assert_eq!(
            names(&e, &select(&e, &filter, Sort::default())),
            ["Afghanistan", "Aware Girls"]
        );
        assert_eq!(select(&e, &Filter::default(), Sort::default()).len(), 4);
    }
}
