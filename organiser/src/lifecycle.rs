//! What happened to a registration after it was submitted, in words an
//! organiser reads: what changed since the last decision, the versions,
//! and where its messages are. Plain functions, so the sentences are
//! tested without a browser.

use crate::i18n::I18n;
use accredit_model::api::{Author, Delivery, HistoryEntry, HistoryKind, MessageInfo};
use accredit_model::review::Change;

/// A payload field's name in a sentence ("e-mail address changed"): the
/// labels of the detail view, in lower case.
pub fn field_label(t: &I18n, section: &str, field: &str) -> String {
    let field = if section == "language" {
        "language"
    } else {
        field
    };
    let key = format!("org.change.field.{field}");
    let label = t.t(&key);
    // A field added to the payload later still reads as words.
    if label == key {
        field.replace('_', " ")
    } else {
        label
    }
}

/// A part of the registration, as a heading of the detail view.
pub fn section_label(t: &I18n, section: &str) -> String {
    let key = format!("org.change.section.{section}");
    let label = t.t(&key);
    if label == key {
        capitalise(&section.replace('_', " "))
    } else {
        label
    }
}

/// One change as a sentence.
pub fn describe(t: &I18n, change: &Change) -> String {
    match change {
        Change::Section { section, .. } if section == "language" => t.t("org.change.language"),
        Change::Section { section, fields } => t.tf(
            "org.change.fields",
            &[
                ("what", &section_label(t, section)),
                (
                    "fields",
                    &and_list(t, fields.iter().map(|f| field_label(t, section, f))),
                ),
            ],
        ),
        Change::MemberAdded { position, name } => t.tf(
            "org.change.added",
            &[("name", &member_name(t, name, *position))],
        ),
        Change::MemberRemoved { name } => {
            let name = if name.trim().is_empty() {
                t.t("org.change.a_member")
            } else {
                name.clone()
            };
            t.tf("org.change.removed", &[("name", &name)])
        }
        Change::MemberReplaced {
            position,
            before,
            after,
        } => t.tf(
            "org.change.replaced",
            &[
                ("before", &member_name(t, before, *position)),
                ("after", &member_name(t, after, *position)),
            ],
        ),
        Change::MemberChanged {
            position,
            name,
            fields,
        } => t.tf(
            "org.change.fields",
            &[
                ("what", &member_name(t, name, *position)),
                (
                    "fields",
                    &and_list(t, fields.iter().map(|f| field_label(t, "member", f))),
                ),
            ],
        ),
    }
}

/// A member's badge name, or their place when they have none yet.
fn member_name(t: &I18n, name: &str, position: usize) -> String {
    if name.trim().is_empty() {
        t.tf("org.change.member_n", &[("n", &t.number(position + 1))])
    } else {
        name.to_owned()
    }
}

/// `a`, `a and b`, `a, b and c` (in the language's own words).
fn and_list(t: &I18n, items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => t.t("org.change.nothing"),
        [one] => one.clone(),
        [rest @ .., last] => t.tf(
            "org.list_and",
            &[
                ("first", &rest.join(&t.t("org.list_comma"))),
                ("last", last),
            ],
        ),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Who made a version.
pub fn author_label(t: &I18n, author: Author) -> String {
    t.t(match author {
        Author::FocalPoint => "org.author.focal_point",
        Author::Organiser => "org.author.organiser",
    })
}

/// What a line of the history did.
pub fn history_what(t: &I18n, entry: &HistoryEntry) -> String {
    match &entry.what {
        HistoryKind::Submitted => t.t("org.history.submitted"),
        HistoryKind::Amended { changes } => t.count("org.history.amended", *changes),
        HistoryKind::Decided { status } => {
            t.tf("org.history.decided", &[("status", &t.status(*status))])
        }
        HistoryKind::Withdrawn => t.t("org.history.withdrawn"),
    }
}

/// Where a message is, with its attempts when that matters.
pub fn delivery_text(t: &I18n, message: &MessageInfo) -> String {
    let attempts = t.count("org.delivery.attempts", message.attempts as usize);
    match message.delivery {
        Delivery::Sent => t.t("org.delivery.sent"),
        Delivery::Queued if message.attempts == 0 => t.t("org.delivery.queued"),
        Delivery::Queued => t.tf("org.delivery.queued_after", &[("attempts", &attempts)]),
        Delivery::Failed => t.tf("org.delivery.failed", &[("attempts", &attempts)]),
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
        let t = I18n::english();
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
        .map(|c| describe(&t, c))
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
        let t = I18n::english();
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
            .map(|c| describe(&t, c))
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
        let t = I18n::english();
        let entry = |what| HistoryEntry {
            at: "2027-03-01T10:00:00Z".into(),
            by: Author::FocalPoint,
            version: 2,
            what,
            summary: String::new(),
        };
        assert_eq!(
            history_what(&t, &entry(HistoryKind::Submitted)),
            "Submitted"
        );
        assert_eq!(
            history_what(&t, &entry(HistoryKind::Amended { changes: 1 })),
            "Amended: 1 change"
        );
        assert_eq!(
            history_what(&t, &entry(HistoryKind::Amended { changes: 3 })),
            "Amended: 3 changes"
        );
        assert_eq!(
            history_what(
                &t,
                &entry(HistoryKind::Decided {
                    status: Status::ChangesRequested
                })
            ),
            "Decision: Changes requested"
        );
        assert_eq!(
            history_what(&t, &entry(HistoryKind::Withdrawn)),
            "Withdrawn by the delegation"
        );
        assert_eq!(author_label(&t, Author::FocalPoint), "Focal point");

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
        assert_eq!(delivery_text(&t, &message), "Queued");
        message.attempts = 1;
        assert_eq!(delivery_text(&t, &message), "Queued, 1 attempt so far");
        message.delivery = Delivery::Failed;
        message.attempts = 12;
        assert_eq!(delivery_text(&t, &message), "Failed after 12 attempts");
        message.delivery = Delivery::Sent;
        assert_eq!(delivery_text(&t, &message), "Sent");
    }
}
