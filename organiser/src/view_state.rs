//! What the organiser is looking at: the tab, the filters, the sort, the
//! page and the open registration. It lives in the URL hash, so a reload, a
//! bookmark or a new sign-in after the session ended comes back to the same
//! place.

use crate::roster::{Sort, SortBy};
use accredit_model::review::Filter;

/// The main views.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Dashboard,
    Delegations,
    /// The provisional list of participants, in protocol order.
    Participants,
    Badges,
}

impl Tab {
    pub const ALL: [Tab; 4] = [
        Tab::Dashboard,
        Tab::Delegations,
        Tab::Participants,
        Tab::Badges,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Tab::Dashboard => "dashboard",
            Tab::Delegations => "delegations",
            Tab::Participants => "participants",
            Tab::Badges => "badges",
        }
    }

    /// Its name's catalogue key.
    pub const fn label_key(self) -> &'static str {
        match self {
            Tab::Dashboard => "org.tab.dashboard",
            Tab::Delegations => "org.tab.delegations",
            Tab::Participants => "org.tab.participants",
            Tab::Badges => "org.tab.badges",
        }
    }
}

/// Everything the hash holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    pub tab: Tab,
    pub status: String,
    pub kind: String,
    pub country: String,
    pub category: String,
    /// The search text as typed.
    pub q: String,
    /// Only registrations amended since an organiser last decided on them.
    pub amended: bool,
    pub sort: Sort,
    /// Zero-based page of the delegations table.
    pub page: usize,
    /// The registration whose detail is open.
    pub open: Option<String>,
}

impl ViewState {
    /// The filter pairs, as the server's list and exports take them.
    /// `amended` is `true` or empty, as the other filters are a value or
    /// empty.
    pub fn filter_pairs(&self) -> [(&'static str, &str); 6] {
        [
            ("status", &self.status),
            ("kind", &self.kind),
            ("country", &self.country),
            ("category", &self.category),
            ("q", &self.q),
            ("amended", if self.amended { "true" } else { "" }),
        ]
    }

    /// Every filter back to its default (the tab, sort and open
    /// registration stay), on the first page.
    pub fn clear_filters(&mut self) {
        self.status.clear();
        self.kind.clear();
        self.country.clear();
        self.category.clear();
        self.q.clear();
        self.amended = false;
        self.page = 0;
    }

    /// The model's filter; a value the model does not know (an edited URL)
    /// is dropped rather than emptying the list.
    pub fn filter(&self) -> Filter {
        let mut filter = Filter::default();
        for pair in self.filter_pairs() {
            if let Ok(one) = Filter::parse([pair]) {
                filter = merge(filter, one);
            }
        }
        filter
    }

    /// The filters as a query string (`status=pending&q=…`), empty ones left out.
    pub fn filter_query(&self) -> String {
        query(
            self.filter_pairs()
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty()),
        )
    }

    /// Whether any filter is set.
    pub fn filtered(&self) -> bool {
        self.filter_pairs()
            .iter()
            .any(|(_, v)| !v.trim().is_empty())
    }

    pub fn to_hash(&self) -> String {
        let page = (self.page + 1).to_string();
        let mut pairs: Vec<(&str, &str)> = vec![("view", self.tab.as_str())];
        pairs.extend(
            self.filter_pairs()
                .into_iter()
                .filter(|(_, v)| !v.is_empty()),
        );
        if self.sort.by != SortBy::Protocol {
            pairs.push(("sort", self.sort.by.as_str()));
        }
        if self.sort.descending {
            pairs.push(("order", "desc"));
        }
        if self.page > 0 {
            pairs.push(("page", &page));
        }
        if let Some(open) = &self.open {
            pairs.push(("open", open));
        }
        format!("#{}", query(pairs.into_iter()))
    }

    pub fn from_hash(hash: &str) -> ViewState {
        let mut state = ViewState::default();
        for pair in hash.trim_start_matches('#').split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match name {
                "view" => {
                    state.tab = Tab::ALL
                        .into_iter()
                        .find(|t| t.as_str() == value)
                        .unwrap_or_default();
                }
                "status" => state.status = value,
                "kind" => state.kind = value,
                "country" => state.country = value,
                "category" => state.category = value,
                "q" => state.q = value,
                "amended" => state.amended = value == "true",
                "sort" => state.sort.by = SortBy::parse(&value).unwrap_or_default(),
                "order" => state.sort.descending = value == "desc",
                "page" => state.page = value.parse::<usize>().unwrap_or(1).saturating_sub(1),
                "open" if !value.is_empty() => state.open = Some(value),
                _ => {}
            }
        }
        state
    }
}

fn merge(mut a: Filter, b: Filter) -> Filter {
    a.status = a.status.or(b.status);
    a.kind = a.kind.or(b.kind);
    a.country = a.country.or(b.country);
    a.category = a.category.or(b.category);
    a.q = a.q.or(b.q);
    a.amended |= b.amended;
    a
}

fn query<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Percent-decodes (and `+` as a space); invalid UTF-8 is replaced.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_round_trips() {
        let state = ViewState {
            tab: Tab::Delegations,
            status: "pending".into(),
            kind: "member_state".into(),
            country: "PK".into(),
            category: "delegate".into(),
            q: "Çelik & sons=1".into(),
            amended: true,
            sort: Sort {
                by: SortBy::Members,
                descending: true,
            },
            page: 3,
            open: Some("r-1".into()),
        };
        let hash = state.to_hash();
        assert!(
            hash.starts_with("#view=delegations&status=pending"),
            "{hash}"
        );
        assert_eq!(ViewState::from_hash(&hash), state);
        assert_eq!(ViewState::from_hash(""), ViewState::default());
        assert_eq!(ViewState::default().to_hash(), "#view=dashboard");
    }

    #[test]
    fn decoding_survives_bad_input() {
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%C3%A7a+va"), "ça va");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn unknown_filter_values_are_dropped_not_fatal() {
        let state = ViewState::from_hash("#view=delegations&status=nonsense&q=khan");
        let filter = state.filter();
        assert_eq!(filter.status, None);
        assert_eq!(filter.q.as_deref(), Some("khan"));
        assert_eq!(state.filter_query(), "status=nonsense&q=khan");
    }

    #[test]
    fn the_amended_filter_lives_in_the_hash() {
        let state = ViewState {
            tab: Tab::Delegations,
            status: "withdrawn".into(),
            amended: true,
            ..ViewState::default()
        };
        assert_eq!(
            state.to_hash(),
            "#view=delegations&status=withdrawn&amended=true"
        );
        let back = ViewState::from_hash("#view=delegations&status=withdrawn&amended=true");
        assert_eq!(back, state);
        let filter = back.filter();
        assert!(filter.amended);
        assert_eq!(
            filter.status,
            Some(accredit_model::review::Status::Withdrawn)
        );
        assert_eq!(back.filter_query(), "status=withdrawn&amended=true");
        assert!(back.filtered());
        assert!(!ViewState::from_hash("#view=delegations&amended=false").amended);
        let mut cleared = back.clone();
        cleared.clear_filters();
        assert_eq!(cleared.to_hash(), "#view=delegations");
        assert!(!cleared.filtered());
    }
}
