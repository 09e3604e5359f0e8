//! What happened to a registration after it was submitted, in words an
//! organiser reads: what changed since the last decision, the versions,
//! and where its messages are. Plain functions, so the sentences are
//! tested without a browser.

use crate::views::dashboard::status_label;
use accredit_model::api::{Author, Delivery, HistoryEntry, HistoryKind, MessageInfo};
use accredit_model::review::Change;

/// A payload field's name in a sentence ("e-mail address changed"): the
/// labels of the detail view, in lower case.
pub fn field_label(section: &str, field: &str) -> String {
    let known = match (section, field) {
        ("language", _) => Some("form language"),
        ("delegation", "kind") => Some("kind of delegation"),
        ("delegation", "country") => Some("country"),
        ("delegation", "organisation") => Some("organisation"),
        ("delegation", "credentials_letter") => Some("credentials letter"),
        ("consent", "data_processing") => Some("agreement to data processing"),
        ("consent", "participant_list") => Some("agreement to be in the list of participants"),
        (_, "honorific") => Some("honorific"),
        (_, "given_names") => Some("given names"),
        (_, "family_name") => Some("family name"),
        (_, "badge_name") => Some("name on badge"),
        (_, "function") => Some("function"),
        (_, "institution") => Some("institution"),
        (_, "nationality") => Some("nationality"),
        (_, "email") => Some("e-mail address"),
        (_, "phone") => Some("phone number"),
        (_, "category") => Some("category"),
        (_, "identity_document") => Some("identity document"),
        (_, "date_of_birth") => Some("date of birth"),
        (_, "photo") => Some("photo"),
        (_, "sessions") => Some("sessions"),
        (_, "arrival_date") => Some("arrival date"),
        (_, "departure_date") => Some("departure date"),
        (_, "visa_letter") => Some("visa letter request"),
        (_, "dietary") => Some("dietary needs"),
        (_, "accessibility") => Some("accessibility needs"),
        _ => None,
    };
    // A field added to the payload later still reads as words.
    known.map_or_else(|| field.replace('_', " "), str::to_owned)
}

/// A part of the registration, as a heading of the detail view.
pub fn section_label(section: &str) -> String {
    match section {
        "delegation" => "Delegation".into(),
        "focal_point" => "Focal point".into(),
        "consent" => "Consent".into(),
        "language" => "Form language".into(),
        other => capitalise(&other.replace('_', " ")),
    }
}

/// One change as a sentence.
pub fn describe(change: &Change) -> String {
    match change {
        Change::Section { section, .. } if section == "language" => "Form language changed".into(),
        Change::Section { section, fields } => format!(
            "{}: {} changed",
            section_label(section),
            and_list(fields.iter().map(|f| field_label(section, f)))
        ),
        Change::MemberAdded { position, name } => {
            format!("{} added", member_name(name, *position))
        }
        Change::MemberRemoved { name } => {
            let name = if name.trim().is_empty() {
                "A member"
            } else {
                name
            };
            format!("{name} removed")
        }
        Change::MemberReplaced {
            position,
            before,
            after,
        } => format!(
            "{} replaced by {}",
            member_name(before, *position),
            member_name(after, *position)
        ),
        Change::MemberChanged {
            position,
            name,
            fields,
        } => format!(
            "{}: {} changed",
            member_name(name, *position),
            and_list(fields.iter().map(|f| field_label("member", f)))
        ),
    }
}

/// A member's badge name, or their place when they have none yet.
fn member_name(name: &str, position: usize) -> String {
    if name.trim().is_empty() {
        format!("Member {}", position + 1)
    } else {
        name.to_owned()
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Who made a version.
pub fn author_label(author: Author) -> &'static str {
    match author {
        Author::FocalPoint => "Focal point",
        Author::Organiser => "Organiser",
    }
}

/// What a line of the history did.
pub fn history_what(entry: &HistoryEntry) -> String {
    match &entry.what {
        HistoryKind::Submitted => "Submitted".into(),
        HistoryKind::Amended { changes: 1 } => "Amended: 1 change".into(),
        HistoryKind::Amended { changes } => format!("Amended: {changes} changes"),
        HistoryKind::Decided { status } => format!("Decision: {}", status_label(*status)),
        HistoryKind::Withdrawn => "Withdrawn by the delegation".into(),
    }
}

/// Where a message is, with its attempts when that matters.
pub fn delivery_text(message: &MessageInfo) -> String {
    let attempts = |n: u32| {
        if n == 1 {
            "1 attempt".to_owned()
        } else {
            format!("{n} attempts")
        }
    };
    match message.delivery {
        Delivery::Sent => "Sent".into(),
        Delivery::Queued if message.attempts == 0 => "Queued".into(),
        Delivery::Queued => format!("Queued, {} so far", attempts(message.attempts)),
        Delivery::Failed => format!("Failed after {}", attempts(message.attempts)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accredit_model::api::MessageKind;
    use accredit_model::review::Status;

    fn fields(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn changes_read_as_sentences() {
        let lines: Vec<String> = [
            Change::Section {
                section: "focal_point".into(),
                fields: fields(&["email", "phone"]),
            },
            Change::Section {
                section: "delegation".into(),
                fields: fields(&["credentials_letter"]),
            },
            Change::Section {
                section: "consent".into(),
                fields: fields(&["data_processing", "participant_list"]),
            },
            Change::Section {
                section: "language".into(),
                fields: fields(&["value"]),
            },
            Change::MemberAdded {
                position: 1,
                name: "Chen Wei".into(),
            },
            Change::MemberRemoved {
                name: "Bilal Ahmed".into(),
            },
            Change::MemberReplaced {
                position: 1,
                before: "Bilal Ahmed".into(),
                after: "Sara Iqbal".into(),
            },
            Change::MemberChanged {
                position: 0,
                name: "Amina Khan".into(),
                fields: fields(&["function", "identity_document", "arrival_date"]),
            },
            Change::MemberChanged {
                position: 2,
                name: String::new(),
                fields: fields(&["badge_name", "new_field"]),
            },
            Change::MemberRemoved { name: "  ".into() },
        ]
        .iter()
        .map(describe)
        .collect();
        assert_eq!(
            lines,
            [
                "Focal point: e-mail address and phone number changed",
                "Delegation: credentials letter changed",
                "Consent: agreement to data processing and agreement to be in the list of participants changed",
                "Form language changed",
                "Chen Wei added",
                "Bilal Ahmed removed",
                "Bilal Ahmed replaced by Sara Iqbal",
                "Amina Khan: function, identity document and arrival date changed",
                "Member 3: name on badge and new field changed",
                "A member removed",
            ]
        );
    }

    #[test]
    fn the_models_changes_read_as_sentences() {
        use accredit_model::{Member, Registration};
        let member = |given: &str, family: &str, category: &str| Member {
            given_names: given.into(),
            family_name: family.into(),
            category: category.into(),
            ..Member::default()
        };
        let before = Registration {
            members: vec![
                member("Amina", "Khan", "head_of_delegation"),
                member("Bilal", "Ahmed", "delegate"),
            ],
            ..Registration::default()
        };
        let mut after = before.clone();
        after.members[1] = member("Sara", "Iqbal", "delegate");
        after.members[0].dietary = "Vegetarian".into();
        after.focal_point.phone = "+92 51 000 0000".into();
        let lines: Vec<String> = accredit_model::review::changes(&before, &after)
            .iter()
            .map(describe)
            .collect();
        assert_eq!(
            lines,
            [
                "Focal point: phone number changed",
                "Amina Khan: dietary needs changed",
                "Bilal Ahmed replaced by Sara Iqbal",
            ]
        );
    }

    #[test]
    fn history_and_delivery_in_words() {
        let entry = |what| HistoryEntry {
            at: "2027-03-01T10:00:00Z".into(),
            by: Author::FocalPoint,
            version: 2,
            what,
            summary: String::new(),
        };
        assert_eq!(history_what(&entry(HistoryKind::Submitted)), "Submitted");
        assert_eq!(
            history_what(&entry(HistoryKind::Amended { changes: 1 })),
            "Amended: 1 change"
        );
        assert_eq!(
            history_what(&entry(HistoryKind::Amended { changes: 3 })),
            "Amended: 3 changes"
        );
        assert_eq!(
            history_what(&entry(HistoryKind::Decided {
                status: Status::ChangesRequested
            })),
            "Decision: Changes requested"
        );
        assert_eq!(
            history_what(&entry(HistoryKind::Withdrawn)),
            "Withdrawn by the delegation"
        );
        assert_eq!(author_label(Author::FocalPoint), "Focal point");

        let mut message = MessageInfo {
            id: "m1".into(),
            kind: MessageKind::ManageLink,
            to: "focal@mfa.gov.tr".into(),
            subject: "ISB-1: your new link".into(),
            created_at: "2027-03-01T10:00:00Z".into(),
            delivery: Delivery::Queued,
            sent_at: None,
            attempts: 0,
            last_error: None,
        };
        assert_eq!(delivery_text(&message), "Queued");
        message.attempts = 1;
        assert_eq!(delivery_text(&message), "Queued, 1 attempt so far");
        message.delivery = Delivery::Failed;
        message.attempts = 12;
        assert_eq!(delivery_text(&message), "Failed after 12 attempts");
        message.delivery = Delivery::Sent;
        assert_eq!(delivery_text(&message), "Sent");
    }
}
