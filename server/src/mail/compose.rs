//! One lifecycle e-mail, as plain text and HTML, in the reader's language.
//!
//! A message is first written as a short list of blocks (paragraphs,
//! headings, label–value lines, lists, a quoted note, a link) holding plain
//! text; the text and HTML parts are both rendered from those blocks, and
//! the HTML renderer escapes every character of them, so nothing a
//! delegation or an organiser typed can become markup.
//!
//! What a message may say is narrow on purpose: the registration it is
//! about, its members' badge names and categories, the event's own texts.
//! Identity documents, dates of birth, contact details of members and the
//! registration's other answers are never read.

use super::catalogue::{Words, words};
use accredit_model::api::MessageKind;
use accredit_model::review::protocol::listed_name;
use accredit_model::review::{Change, Status};
use accredit_model::{EventConfig, Member, Registration};

/// Everything one message is composed from.
#[derive(Clone, Copy, Debug)]
pub struct Letter<'a> {
    /// What the message is about.
    pub kind: MessageKind,
    /// The event registered for.
    pub event: &'a EventConfig,
    /// The registration's reference (`ISL-NHK2`); every subject starts with it.
    pub reference: &'a str,
    /// The stored payload (unmasked: this module reads only what it shows).
    pub registration: &'a Registration,
    /// The registration's status after the step that causes the message.
    pub status: Status,
    /// The organiser's note (changes requested, rejected).
    pub note: Option<&'a str>,
    /// The full manage link, when there is one; without it the message says
    /// to reply to the secretariat instead.
    pub manage_link: Option<&'a str>,
    /// What changed ([`MessageKind::Amended`]).
    pub changes: &'a [Change],
    /// Which member a [`MessageKind::MemberAccredited`] message is for
    /// (an index into `registration.members`).
    pub member: Option<usize>,
}

/// A message ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    /// The recipient's name (for the `To:` header).
    pub to_name: String,
    /// The recipient's address; empty when the letter names no recipient
    /// (a member index that does not exist), which the transport refuses.
    pub to_email: String,
    /// The language it is written in (a tag of [`super::LANGUAGES`]).
    pub language: String,
    /// The subject: `ISL-NHK2 · Registration received — <event name>`.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML alternative (a complete document).
    pub html: String,
}

/// Every message one lifecycle step causes: the focal point's, of `kind`,
/// plus — for [`MessageKind::Approved`] at an event with `notify_members` —
/// one [`MessageKind::MemberAccredited`] message to each member who gave an
/// e-mail address, in the order of the members.
///
/// `kind` replaces `letter_base.kind` (and `member` is ignored), so one base
/// letter serves every step. Asked for [`MessageKind::MemberAccredited`]
/// itself, it gives that one message, for `letter_base.member`.
pub fn messages_for(kind: MessageKind, letter_base: &Letter<'_>) -> Vec<(MessageKind, Composed)> {
    if kind == MessageKind::MemberAccredited {
        let letter = Letter {
            kind,
            ..*letter_base
        };
        return vec![(kind, compose(&letter))];
    }
    let focal_point = Letter {
        kind,
        member: None,
        ..*letter_base
    };
    let mut messages = vec![(kind, compose(&focal_point))];
    if kind == MessageKind::Approved && letter_base.event.notify_members {
        for (index, member) in letter_base.registration.members.iter().enumerate() {
            if member.email.trim().is_empty() {
                continue;
            }
            let letter = Letter {
                kind: MessageKind::MemberAccredited,
                member: Some(index),
                ..*letter_base
            };
            messages.push((MessageKind::MemberAccredited, compose(&letter)));
        }
    }
    messages
}

/// Composes one message in the registration's language (English when
/// there is no catalogue for it).
pub fn compose(letter: &Letter<'_>) -> Composed {
    let w = words(&letter.registration.language);
    let language = w.language();
    let member = match letter.kind {
        MessageKind::MemberAccredited => letter
            .member
            .and_then(|index| letter.registration.members.get(index)),
        _ => None,
    };
    let (to_name, to_email) = match (letter.kind, member) {
        (MessageKind::MemberAccredited, Some(m)) => (member_full_name(m), m.email.trim().into()),
        (MessageKind::MemberAccredited, None) => (String::new(), String::new()),
        _ => {
            let fp = &letter.registration.focal_point;
            (
                full_name(&fp.given_names, &fp.family_name),
                fp.email.trim().to_owned(),
            )
        }
    };
    let title = w.text(title_key(letter.kind)).to_owned();
    let subject = format!(
        "{} · {} — {}",
        letter.reference.trim(),
        title,
        letter.event.name.get(language).trim()
    );

    let mut writer = Writer {
        w,
        letter,
        blocks: Vec::new(),
    };
    writer.para(w.fill("greeting", &[("name", &to_name)]));
    match letter.kind {
        MessageKind::Received => writer.received(),
        MessageKind::Amended => writer.amended(),
        MessageKind::Approved => writer.approved(),
        MessageKind::ChangesRequested => writer.changes_requested(),
        MessageKind::Rejected => writer.rejected(),
        MessageKind::Withdrawn => writer.withdrawn(),
        MessageKind::ManageLink => writer.manage_link(),
        MessageKind::MemberAccredited => writer.member_accredited(member),
    }
    writer.para(format!("{}\n{}", w.text("closing"), w.text("signature")));
    let blocks = writer.blocks;
    let footer = w.text("footer");

    Composed {
        text: text(&title, &blocks, footer, w),
        html: html(&subject, &title, &blocks, footer, w),
        to_name,
        to_email,
        language: language.to_owned(),
        subject,
    }
}

fn title_key(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Received => "title.received",
        MessageKind::Amended => "title.amended",
        MessageKind::Approved => "title.approved",
        MessageKind::ChangesRequested => "title.changes_requested",
        MessageKind::Rejected => "title.rejected",
        MessageKind::Withdrawn => "title.withdrawn",
        MessageKind::ManageLink => "title.manage_link",
        MessageKind::MemberAccredited => "title.member_accredited",
    }
}

fn full_name(given: &str, family: &str) -> String {
    [given.trim(), family.trim()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn member_full_name(member: &Member) -> String {
    let name = full_name(&member.given_names, &member.family_name);
    if name.is_empty() {
        member.badge_text()
    } else {
        name
    }
}

/// A piece of a message, in plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    /// A paragraph; a line break in it is kept.
    Para(String),
    /// A section heading.
    Heading(String),
    /// Label–value lines (reference, delegation, dates…).
    Info(Vec<(String, String)>),
    /// A bulleted list.
    List(Vec<String>),
    /// Someone else's words (the organiser's note), quoted.
    Quote(String),
    /// A link, shown in full.
    Link(String),
}

struct Writer<'l, 'a> {
    w: Words,
    letter: &'l Letter<'a>,
    blocks: Vec<Block>,
}

/// The label–value lines a message shows.
#[derive(Clone, Copy)]
enum Line {
    Reference,
    Delegation,
    Event,
    Dates,
    Venue,
    Status,
}

impl Writer<'_, '_> {
    fn para(&mut self, text: String) {
        self.blocks.push(Block::Para(text));
    }

    fn key(&mut self, key: &str) {
        self.para(self.w.text(key).to_owned());
    }

    fn heading(&mut self, key: &str) {
        self.blocks
            .push(Block::Heading(self.w.text(key).to_owned()));
    }

    fn language(&self) -> &'static str {
        self.w.language()
    }

    fn deadline(&self) -> String {
        self.w.date(self.letter.event.amendments_close_on())
    }

    /// The delegation's name: the country's English short name (the only
    /// names the model has), or the organisation's name — in the reader's
    /// language when it is one the event invited.
    fn delegation(&self) -> String {
        let delegation = &self.letter.registration.delegation;
        if !delegation.kind.is_state()
            && let Some(typed) = delegation.organisation.as_deref().map(str::trim)
            && let Some(known) = self
                .letter
                .event
                .organisations
                .iter()
                .find(|o| o.id == typed || o.name.0.values().any(|name| name.trim() == typed))
        {
            return known.name.get(self.language()).to_owned();
        }
        listed_name(delegation)
    }

    fn venue(&self) -> String {
        let event = self.letter.event;
        let venue = event.venue.get(self.language()).trim();
        let city = event.city.get(self.language()).trim();
        match (venue.is_empty(), city.is_empty()) {
            (false, false) => self.w.fill("venue", &[("venue", venue), ("city", city)]),
            (false, true) => venue.to_owned(),
            (true, _) => city.to_owned(),
        }
    }

    fn rows(&self, lines: &[Line]) -> Vec<(String, String)> {
        let w = self.w;
        let event = self.letter.event;
        let mut rows = Vec::new();
        for line in lines {
            let (label, value) = match line {
                Line::Reference => ("label.reference", self.letter.reference.trim().to_owned()),
                Line::Delegation => ("label.delegation", self.delegation()),
                Line::Event => ("label.event", event.name.get(self.language()).to_owned()),
                Line::Dates => ("label.dates", w.dates(event.starts_on, event.ends_on)),
                Line::Venue => ("label.venue", self.venue()),
                Line::Status => (
                    "label.status",
                    w.text(&format!("status.{}", self.letter.status.as_str()))
                        .to_owned(),
                ),
            };
            if !value.trim().is_empty() {
                rows.push((w.text(label).to_owned(), value));
            }
        }
        rows
    }

    fn info(&mut self, lines: &[Line]) {
        let rows = self.rows(lines);
        self.blocks.push(Block::Info(rows));
    }

    fn category(&self, id: &str) -> String {
        self.letter
            .event
            .category(id)
            .map_or(id, |c| c.label.get(self.language()))
            .to_owned()
    }

    /// Each member's badge name and category.
    fn members(&mut self, heading: &str) {
        let items: Vec<String> = self
            .letter
            .registration
            .members
            .iter()
            .map(|m| {
                self.w.fill(
                    "member.line",
                    &[
                        ("name", &m.badge_text()),
                        ("category", &self.category(&m.category)),
                    ],
                )
            })
            .collect();
        if !items.is_empty() {
            self.heading(heading);
            self.blocks.push(Block::List(items));
        }
    }

    /// The manage link with its deadline, or how to reach the secretariat.
    fn manage(&mut self, with_link: &str, without_link: &str) {
        let deadline = self.deadline();
        self.heading("heading.manage");
        match self
            .letter
            .manage_link
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            Some(link) => {
                self.para(self.w.fill(with_link, &[("deadline", &deadline)]));
                self.blocks.push(Block::Link(link.to_owned()));
                self.key("manage.private");
            }
            None => self.para(self.w.fill(without_link, &[("deadline", &deadline)])),
        }
    }

    fn note(&mut self) {
        if let Some(note) = self.letter.note.map(str::trim).filter(|n| !n.is_empty()) {
            self.heading("heading.note");
            self.blocks.push(Block::Quote(note.to_owned()));
        }
    }

    fn badge_collection(&mut self) {
        let text = self
            .letter
            .event
            .badge_collection
            .get(self.language())
            .trim();
        if !text.is_empty() {
            self.heading("heading.badges");
            self.para(text.to_owned());
        }
    }

    fn quote_reference(&mut self) {
        let reference = self.letter.reference.trim();
        self.para(self.w.fill("reference.quote", &[("reference", reference)]));
    }

    fn received(&mut self) {
        use Line::*;
        self.key("received.intro");
        self.info(&[Reference, Delegation, Event, Dates, Venue, Status]);
        self.members("heading.members");
        self.key("received.review");
        self.manage("manage.link", "manage.contact");
        self.quote_reference();
    }

    fn amended(&mut self) {
        use Line::*;
        self.key("amended.intro");
        self.info(&[Reference, Delegation, Status]);
        self.heading("heading.changes");
        let lines: Vec<String> = self
            .letter
            .changes
            .iter()
            .map(|change| change_line(self.w, change))
            .collect();
        if lines.is_empty() {
            self.key("amended.none");
        } else {
            self.blocks.push(Block::List(lines));
        }
        self.manage("manage.link", "manage.contact");
        self.quote_reference();
    }

    fn approved(&mut self) {
        use Line::*;
        self.key("approved.intro");
        self.info(&[Reference, Delegation, Event, Dates, Venue]);
        self.members("heading.accredited");
        self.badge_collection();
        self.manage("manage.link", "manage.contact");
        self.key("approved.amend");
        self.quote_reference();
    }

    fn changes_requested(&mut self) {
        use Line::*;
        self.key("changes.intro");
        self.info(&[Reference, Delegation, Status]);
        self.note();
        self.manage("changes.link", "changes.contact");
        self.key("changes.review");
        self.quote_reference();
    }

    fn rejected(&mut self) {
        use Line::*;
        self.key("rejected.intro");
        self.info(&[Reference, Delegation, Event]);
        self.note();
        self.key("rejected.contact");
        self.quote_reference();
    }

    fn withdrawn(&mut self) {
        use Line::*;
        self.key("withdrawn.intro");
        self.info(&[Reference, Delegation, Event, Status]);
        self.key("withdrawn.final");
        self.quote_reference();
    }

    fn manage_link(&mut self) {
        use Line::*;
        self.key("manage_link.intro");
        self.info(&[Reference, Delegation, Event]);
        self.manage("manage.link", "manage.contact");
        self.key("manage_link.unrequested");
    }

    /// To one member: their own badge name and category, the event, where
    /// to collect the badge. No other member, and no manage link (it opens
    /// the whole delegation's registration).
    fn member_accredited(&mut self, member: Option<&Member>) {
        use Line::*;
        self.key("member.intro");
        let w = self.w;
        let mut rows = Vec::new();
        if let Some(member) = member {
            rows.push((w.text("label.badge_name").to_owned(), member.badge_text()));
            rows.push((
                w.text("label.category").to_owned(),
                self.category(&member.category),
            ));
        }
        rows.extend(self.rows(&[Reference, Delegation, Event, Dates, Venue]));
        self.blocks.push(Block::Info(rows));
        self.badge_collection();
        self.key("member.contact");
    }
}

/// One change in words; field names through `field.<name>`, else as they
/// are.
fn change_line(w: Words, change: &Change) -> String {
    let fields = |fields: &[String]| {
        let named: Vec<String> = fields
            .iter()
            .map(|f| w.get(&format!("field.{f}")).unwrap_or(f).to_owned())
            .collect();
        w.join(&named)
    };
    match change {
        Change::Section { section, .. } if section == "language" => {
            w.text("change.language").to_owned()
        }
        Change::Section {
            section,
            fields: changed,
        } => {
            let key = format!("section.{section}");
            let name = w.get(&key).unwrap_or(section);
            w.fill(
                "change.section",
                &[("section", name), ("fields", &fields(changed))],
            )
        }
        Change::MemberAdded { name, .. } => w.fill("change.member_added", &[("name", name)]),
        Change::MemberRemoved { name } => w.fill("change.member_removed", &[("name", name)]),
        Change::MemberReplaced { before, after, .. } => w.fill(
            "change.member_replaced",
            &[("before", before), ("after", after)],
        ),
        Change::MemberChanged {
            name,
            fields: changed,
            ..
        } => w.fill(
            "change.member_changed",
            &[("name", name), ("fields", &fields(changed))],
        ),
    }
}

/// The plain-text part: the title, the blocks separated by blank lines
/// (a heading sits on the line above its content), the footer after `-- `.
fn text(title: &str, blocks: &[Block], footer: &str, w: Words) -> String {
    let mut out = String::new();
    out.push_str(title);
    out.push_str("\n\n");
    let mut after_heading = false;
    for block in blocks {
        if !after_heading && !out.ends_with("\n\n") {
            out.push('\n');
        }
        after_heading = matches!(block, Block::Heading(_));
        match block {
            Block::Para(text) | Block::Heading(text) | Block::Link(text) => out.push_str(text),
            Block::Info(rows) => {
                let lines: Vec<String> = rows
                    .iter()
                    .map(|(label, value)| w.fill("line", &[("label", label), ("value", value)]))
                    .collect();
                out.push_str(&lines.join("\n"));
            }
            Block::List(items) => {
                let lines: Vec<String> = items.iter().map(|item| format!("- {item}")).collect();
                out.push_str(&lines.join("\n"));
            }
            Block::Quote(text) => {
                let lines: Vec<String> = text
                    .lines()
                    .map(|line| format!("> {line}").trim_end().to_owned())
                    .collect();
                out.push_str(&lines.join("\n"));
            }
        }
        out.push('\n');
    }
    out.push_str("\n-- \n");
    out.push_str(footer);
    out.push('\n');
    out
}

/// `text` with `&`, `<`, `>`, `"` and `'` written as character references,
/// safe in element content and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text whose line breaks become `<br>`.
fn escape_lines(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("<br>\n")
}

const P: &str = r#"<p style="margin:0 0 16px;">"#;

/// The HTML part: one column, system fonts, inline styles only (mail
/// clients drop style sheets), no images and nothing fetched from
/// elsewhere; `lang` and `dir` on the root so screen readers pick the
/// right voice and Arabic reads right to left.
fn html(subject: &str, title: &str, blocks: &[Block], footer: &str, w: Words) -> String {
    let (dir, start) = if w.is_rtl() {
        ("rtl", "right")
    } else {
        ("ltr", "left")
    };
    let lang = w.language();
    let mut out = format!(
        "<!DOCTYPE html>\n\
         <html lang=\"{lang}\" dir=\"{dir}\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{subject}</title>\n\
         </head>\n\
         <body style=\"margin:0;padding:0;background-color:#ffffff;color:#1b1b1b;\">\n\
         <div role=\"article\" aria-label=\"{subject}\" lang=\"{lang}\" dir=\"{dir}\" \
         style=\"max-width:40em;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;\
         font-size:16px;line-height:1.5;text-align:{start};\">\n\
         <h1 style=\"font-size:22px;line-height:1.3;margin:0 0 24px;\">{title}</h1>\n",
        subject = escape(subject),
        title = escape(title),
    );
    for block in blocks {
        match block {
            Block::Para(text) => {
                out.push_str(P);
                out.push_str(&escape_lines(text));
                out.push_str("</p>\n");
            }
            Block::Heading(text) => {
                out.push_str(r#"<h2 style="font-size:18px;line-height:1.3;margin:24px 0 8px;">"#);
                out.push_str(&escape(text));
                out.push_str("</h2>\n");
            }
            Block::Info(rows) => {
                out.push_str(P);
                let template = escape(w.text("line"));
                let lines: Vec<String> = rows
                    .iter()
                    .map(|(label, value)| {
                        accredit_model::messages::fill(&template, |name| match name {
                            "label" => Some(format!("<strong>{}</strong>", escape(label))),
                            "value" => Some(escape(value)),
                            _ => None,
                        })
                    })
                    .collect();
                out.push_str(&lines.join("<br>\n"));
                out.push_str("</p>\n");
            }
            Block::List(items) => {
                out.push_str(&format!(
                    "<ul style=\"margin:0 0 16px;padding-{start}:24px;\">\n"
                ));
                for item in items {
                    out.push_str("<li>");
                    out.push_str(&escape(item));
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Quote(text) => {
                out.push_str(&format!(
                    "<blockquote style=\"margin:0 0 16px;padding:8px 16px;\
                     border-{start}:4px solid #1f4e79;background-color:#f2f5f8;\">\n"
                ));
                out.push_str(r#"<p style="margin:0;">"#);
                out.push_str(&escape_lines(text));
                out.push_str("</p>\n</blockquote>\n");
            }
            Block::Link(link) => {
                let link = escape(link);
                out.push_str(P);
                out.push_str(&format!(
                    "<a href=\"{link}\" dir=\"ltr\" \
                     style=\"color:#0b4f9c;text-decoration:underline;word-break:break-all;\">{link}</a>"
                ));
                out.push_str("</p>\n");
            }
        }
    }
    out.push_str(
        "<p style=\"margin:32px 0 0;padding-top:12px;border-top:1px solid #c8c8c8;\
         font-size:14px;color:#4a4a4a;\">",
    );
    out.push_str(&escape(footer));
    out.push_str("</p>\n</div>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::LANGUAGES;
    use accredit_model::{
        Consent, Date, Delegation, DelegationKind, DocumentKind, FocalPoint, IdentityDocument,
    };

    const KINDS: [MessageKind; 8] = [
        MessageKind::Received,
        MessageKind::Amended,
        MessageKind::Approved,
        MessageKind::ChangesRequested,
        MessageKind::Rejected,
        MessageKind::Withdrawn,
        MessageKind::ManageLink,
        MessageKind::MemberAccredited,
    ];

    const LINK: &str = "https://conference.example.org/register#accredit-manage=tok_SECRET42";

    fn event() -> EventConfig {
        accredit_model::demo::islamabad_tip_som()
    }

    fn document(number: &str) -> Option<IdentityDocument> {
        Some(IdentityDocument {
            kind: DocumentKind::DiplomaticPassport,
            number: number.into(),
            issuing_country: "PK".into(),
            expires_on: Date::new(2031, 3, 14),
        })
    }

    fn member(given: &str, family: &str, category: &str, email: &str) -> Member {
        Member {
            given_names: given.into(),
            family_name: family.into(),
            function: "Director General".into(),
            institution: "Federal Investigation Agency".into(),
            nationality: "PK".into(),
            email: email.into(),
            phone: "+92 51 9876543".into(),
            category: category.into(),
            ..Member::default()
        }
    }

    /// A Pakistani delegation of three; two members carry diplomatic
    /// passports and dates of birth.
    fn registration(language: &str) -> Registration {
        let mut head = member("Imran", "Ahmed", "head_of_delegation", "i.ahmed@example.pk");
        head.honorific = "H.E.".into();
        head.identity_document = document("DP7391046");
        head.date_of_birth = Date::new(1968, 11, 23);
        let mut delegate = member("Sara", "Iqbal", "delegate", "s.iqbal@example.pk");
        delegate.identity_document = document("AB5518273");
        delegate.date_of_birth = Date::new(1983, 7, 9);
        delegate.badge_name = "Sara IQBAL".into();
        let observer = member("Bilal", "Raza", "observer", "");
        Registration {
            event: "islamabad-tip-som".into(),
            language: language.into(),
            delegation: Delegation {
                kind: DelegationKind::MemberState,
                country: Some("PK".into()),
                organisation: None,
                credentials_letter: None,
            },
            focal_point: FocalPoint {
                given_names: "Ayesha".into(),
                family_name: "Khan".into(),
                email: "a.khan@example.pk".into(),
                phone: "+92 51 1234567".into(),
            },
            members: vec![head, delegate, observer],
            consent: Consent {
                data_processing: true,
                participant_list: true,
            },
        }
    }

    fn changes() -> Vec<Change> {
        vec![
            Change::Section {
                section: "focal_point".into(),
                fields: vec!["phone".into()],
            },
            Change::MemberChanged {
                position: 1,
                name: "Sara IQBAL".into(),
                fields: vec!["email".into(), "function".into(), "shoe_size".into()],
            },
            Change::MemberAdded {
                position: 2,
                name: "Chen Wei".into(),
            },
            Change::MemberReplaced {
                position: 3,
                before: "Omar Farooq".into(),
                after: "Hina Baig".into(),
            },
            Change::MemberRemoved {
                name: "Zafar Ali".into(),
            },
            Change::Section {
                section: "language".into(),
                fields: vec!["value".into()],
            },
        ]
    }

    fn status_for(kind: MessageKind) -> Status {
        match kind {
            MessageKind::Approved | MessageKind::MemberAccredited => Status::Approved,
            MessageKind::ChangesRequested => Status::ChangesRequested,
            MessageKind::Rejected => Status::Rejected,
            MessageKind::Withdrawn => Status::Withdrawn,
            _ => Status::Pending,
        }
    }

    /// Composes `kind` for `registration` with a note, a link, the changes
    /// and member 1.
    fn letter_for(
        kind: MessageKind,
        event: &EventConfig,
        registration: &Registration,
        changes: &[Change],
        link: Option<&str>,
    ) -> Composed {
        compose(&Letter {
            kind,
            event,
            reference: "ISL-NHK2",
            registration,
            status: status_for(kind),
            note: Some(
                "Please attach the note verbale.\nThe head of delegation's function is missing.",
            ),
            manage_link: link,
            changes,
            member: Some(1),
        })
    }

    fn all_parts(c: &Composed) -> String {
        format!("{}\n{}\n{}", c.subject, c.text, c.html)
    }

    /// `{name}` left in a text: a placeholder nobody filled.
    fn leftover_placeholder(text: &str) -> Option<String> {
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let end = after.find('}')?;
            let name = &after[..end];
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                return Some(name.to_owned());
            }
            rest = &after[end + 1..];
        }
        None
    }

    #[test]
    fn every_kind_composes_in_every_language_without_leftover_placeholders() {
        let event = event();
        let changes = changes();
        for language in LANGUAGES {
            let registration = registration(language);
            for kind in KINDS {
                for link in [Some(LINK), None] {
                    let c = letter_for(kind, &event, &registration, &changes, link);
                    assert_eq!(c.language, language);
                    let all = all_parts(&c);
                    assert_eq!(
                        leftover_placeholder(&all),
                        None,
                        "{language} {kind:?}: {all}"
                    );
                    assert!(!c.text.trim().is_empty() && c.html.ends_with("</html>\n"));
                    for key_like in ["title.", "heading.", "label.", "status.", "field."] {
                        assert!(
                            !c.text.contains(key_like),
                            "{language} {kind:?} shows a catalogue key: {}",
                            c.text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn subjects_start_with_the_reference() {
        let event = event();
        for language in LANGUAGES {
            let registration = registration(language);
            for kind in KINDS {
                let c = letter_for(kind, &event, &registration, &[], Some(LINK));
                assert!(
                    c.subject.starts_with("ISL-NHK2 · "),
                    "{language} {kind:?}: {}",
                    c.subject
                );
                assert!(
                    c.subject.ends_with(event.name.get(language)),
                    "{}",
                    c.subject
                );
            }
        }
        let en = letter_for(
            MessageKind::Received,
            &event,
            &registration("en"),
            &[],
            None,
        );
        assert_eq!(
            en.subject,
            "ISL-NHK2 · Registration received — Regional Conference on Trafficking in Persons and the Smuggling of Migrants"
        );
        let fr = letter_for(
            MessageKind::Approved,
            &event,
            &registration("fr"),
            &[],
            None,
        );
        assert_eq!(
            fr.subject,
            "ISL-NHK2 · Inscription approuvée — Conférence régionale sur la traite des personnes et le trafic illicite de migrants"
        );
    }

    #[test]
    fn no_identity_document_number_or_date_of_birth_is_ever_written() {
        let event = event();
        let changes = changes();
        let secrets = [
            "DP7391046",
            "AB5518273",
            // Any tail of a number (a masked form shows the last three).
            "046",
            "273",
            "•",
            // Dates of birth, however written.
            "1968",
            "1983",
            "2031",
            // Other answers that are not for the e-mail.
            "+92 51",
            "Federal Investigation Agency",
            "Director General",
        ];
        for language in LANGUAGES {
            let registration = registration(language);
            for kind in KINDS {
                for link in [Some(LINK), None] {
                    let all = all_parts(&letter_for(kind, &event, &registration, &changes, link));
                    for secret in secrets {
                        assert!(
                            !all.contains(secret),
                            "{language} {kind:?} shows {secret:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn received_lists_members_status_link_and_deadline() {
        let event = event();
        let c = letter_for(
            MessageKind::Received,
            &event,
            &registration("en"),
            &[],
            Some(LINK),
        );
        assert_eq!(c.to_name, "Ayesha Khan");
        assert_eq!(c.to_email, "a.khan@example.pk");
        for expected in [
            "Registration received\n\nDear Ayesha Khan,\n",
            "Reference: ISL-NHK2\n",
            "Delegation: Pakistan\n",
            "Dates: 20 April 2027 to 22 April 2027\n",
            "Venue: Serena Hotel, Islamabad\n",
            "Status: Under review\n",
            "Members of the delegation\n- Imran Ahmed — Head of Delegation\n- Sara IQBAL — Delegate\n- Bilal Raza — Observer\n",
            "Until 20 April 2027, you may review, amend or withdraw the registration using the following link:\n\nhttps://conference.example.org/register#accredit-manage=tok_SECRET42\n",
            "Please quote the reference ISL-NHK2 in all correspondence.\n",
            "\n-- \nThis message was sent by",
        ] {
            assert!(c.text.contains(expected), "{expected:?} not in\n{}", c.text);
        }
        assert!(c.html.contains(
            r#"<a href="https://conference.example.org/register#accredit-manage=tok_SECRET42" dir="ltr""#
        ));

        let fr = letter_for(
            MessageKind::Received,
            &event,
            &registration("fr"),
            &[],
            Some(LINK),
        );
        for expected in [
            "Destinataire\u{a0}: Ayesha Khan\nMadame, Monsieur,\n",
            "Lieu\u{a0}: Hôtel Serena, Islamabad\n",
            "- Imran Ahmed — Chef de délégation\n",
            "Jusqu’au 20 avril 2027, vous pouvez",
        ] {
            assert!(
                fr.text.contains(expected),
                "{expected:?} not in\n{}",
                fr.text
            );
        }
        let zh = letter_for(
            MessageKind::Received,
            &event,
            &registration("zh"),
            &[],
            Some(LINK),
        );
        for expected in [
            "尊敬的Ayesha Khan：",
            "会期：2027年4月20日至2027年4月22日\n",
            "地点：伊斯兰堡塞雷纳酒店\n",
            "- Sara IQBAL（代表）\n",
        ] {
            assert!(
                zh.text.contains(expected),
                "{expected:?} not in\n{}",
                zh.text
            );
        }
    }

    #[test]
    fn without_a_link_the_reader_is_told_to_reply() {
        let event = event();
        for kind in [
            MessageKind::Received,
            MessageKind::Amended,
            MessageKind::Approved,
            MessageKind::ManageLink,
        ] {
            let c = letter_for(kind, &event, &registration("en"), &[], None);
            assert!(
                c.text.contains(
                    "To amend or withdraw the registration until 20 April 2027, please contact the secretariat by replying to this message."
                ),
                "{kind:?}: {}",
                c.text
            );
            assert!(
                !c.text.contains("http") && !c.html.contains("<a "),
                "{kind:?}"
            );
        }
        let c = letter_for(
            MessageKind::ChangesRequested,
            &event,
            &registration("es"),
            &[],
            None,
        );
        assert!(c.text.contains(
            "Le rogamos que envíe los cambios solicitados a más tardar el 20 de abril de 2027 respondiendo a este mensaje."
        ));
    }

    #[test]
    fn an_amendment_says_what_changed_in_words() {
        let event = event();
        let changes = changes();
        let en = letter_for(
            MessageKind::Amended,
            &event,
            &registration("en"),
            &changes,
            Some(LINK),
        );
        assert!(
            en.text.contains(
                "Changes made\n\
                 - Focal point: telephone number\n\
                 - Details of Sara IQBAL changed: e-mail address, function or job title, shoe_size\n\
                 - Member added: Chen Wei\n\
                 - Omar Farooq replaced by Hina Baig\n\
                 - Member removed: Zafar Ali\n\
                 - Language of correspondence changed\n"
            ),
            "{}",
            en.text
        );
        let fr = letter_for(
            MessageKind::Amended,
            &event,
            &registration("fr"),
            &changes,
            Some(LINK),
        );
        assert!(fr.text.contains(
            "- Renseignements modifiés pour Sara IQBAL\u{a0}: adresse électronique, fonction ou titre, shoe_size\n"
        ));
        assert!(
            fr.text
                .contains("- Point focal\u{a0}: numéro de téléphone\n")
        );
        let zh = letter_for(
            MessageKind::Amended,
            &event,
            &registration("zh"),
            &changes,
            Some(LINK),
        );
        assert!(
            zh.text
                .contains("- Sara IQBAL的信息有修改：电子邮件地址、职务或职衔、shoe_size\n")
        );
        let none = letter_for(
            MessageKind::Amended,
            &event,
            &registration("en"),
            &[],
            Some(LINK),
        );
        assert!(
            none.text
                .contains("Changes made\nNo change to the registration details was recorded.\n")
        );
    }

    #[test]
    fn approval_quotes_the_badge_collection_in_the_reader_language() {
        let event = event();
        let en = letter_for(
            MessageKind::Approved,
            &event,
            &registration("en"),
            &[],
            Some(LINK),
        );
        assert!(
            en.text
                .contains("Accredited members\n- Imran Ahmed — Head of Delegation\n")
        );
        assert!(en.text.contains(
            "Collection of badges\nBadges are collected at the accreditation desk of the Serena Hotel, Islamabad, from 19 April 2027"
        ));
        let ru = letter_for(
            MessageKind::Approved,
            &event,
            &registration("ru"),
            &[],
            Some(LINK),
        );
        assert!(
            ru.text
                .contains("Получение бейджей\nБейджи выдаются на стойке аккредитации")
        );
        assert!(
            ru.text
                .contains("Сроки проведения: с 20 апреля 2027 г. по 22 апреля 2027 г.\n")
        );
    }

    #[test]
    fn the_organiser_note_is_quoted() {
        let event = event();
        let c = letter_for(
            MessageKind::ChangesRequested,
            &event,
            &registration("en"),
            &[],
            Some(LINK),
        );
        assert!(c.text.contains(
            "Note from the secretariat\n> Please attach the note verbale.\n> The head of delegation's function is missing.\n"
        ), "{}", c.text);
        assert!(c.text.contains(
            "Please make the requested changes by 20 April 2027 using the following link:"
        ));
        assert!(c.html.contains(
            "Please attach the note verbale.<br>\nThe head of delegation&#39;s function is missing."
        ));
        let rejected = letter_for(
            MessageKind::Rejected,
            &event,
            &registration("en"),
            &[],
            Some(LINK),
        );
        assert!(
            rejected
                .text
                .contains("> Please attach the note verbale.\n")
        );
        assert!(
            !rejected.text.contains(LINK),
            "a rejection is final: no link to amend"
        );
    }

    #[test]
    fn interpolated_values_are_escaped_in_html() {
        let event = event();
        let mut registration = registration("en");
        registration.focal_point.given_names = "<script>alert(1)</script>".into();
        registration.focal_point.family_name = "O'Brien & \"Sons\"".into();
        registration.members[0].badge_name = "<b>Imran</b>".into();
        let note = "<img src=x onerror=alert(2)>";
        let link = "https://x.example/#accredit-manage=a\"><script>";
        for kind in KINDS {
            let c = compose(&Letter {
                kind,
                event: &event,
                reference: "ISL-<i>",
                registration: &registration,
                status: status_for(kind),
                note: Some(note),
                manage_link: Some(link),
                changes: &[],
                member: Some(0),
            });
            for raw in ["<script", "<img", "<b>", "<i>", "\"Sons\"", "O'Brien"] {
                assert!(!c.html.contains(raw), "{kind:?}: {raw} in\n{}", c.html);
            }
            if kind != MessageKind::MemberAccredited {
                assert!(
                    c.html.contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &quot;Sons&quot;"
                    ),
                    "{kind:?}"
                );
                assert!(
                    c.text
                        .contains("Dear <script>alert(1)</script> O'Brien & \"Sons\",")
                );
            }
            assert!(c.html.contains("<title>ISL-&lt;i&gt; · "));
        }
        let approved = compose(&Letter {
            kind: MessageKind::ChangesRequested,
            event: &event,
            reference: "ISL-NHK2",
            registration: &registration,
            status: Status::ChangesRequested,
            note: Some(note),
            manage_link: Some(link),
            changes: &[],
            member: None,
        });
        assert!(approved.html.contains("&lt;img src=x onerror=alert(2)&gt;"));
        assert!(
            approved
                .html
                .contains(r#"href="https://x.example/#accredit-manage=a&quot;&gt;&lt;script&gt;""#)
        );
    }

    #[test]
    fn arabic_html_reads_right_to_left() {
        let event = event();
        for kind in KINDS {
            let ar = letter_for(kind, &event, &registration("ar"), &[], Some(LINK));
            assert!(
                ar.html.contains("<html lang=\"ar\" dir=\"rtl\">"),
                "{kind:?}"
            );
            assert!(ar.html.contains("text-align:right;"));
            let fr = letter_for(kind, &event, &registration("fr"), &[], Some(LINK));
            assert!(fr.html.contains("<html lang=\"fr\" dir=\"ltr\">"));
        }
        let ar = letter_for(
            MessageKind::Received,
            &event,
            &registration("ar"),
            &[],
            Some(LINK),
        );
        assert!(
            ar.text.contains("المكان: فندق سيرينا، إسلام آباد\n"),
            "{}",
            ar.text
        );
        assert!(ar.text.contains("- Imran Ahmed — رئيس الوفد\n"));
        assert!(ar.subject.starts_with("ISL-NHK2 · تم استلام التسجيل — "));
    }

    #[test]
    fn html_is_self_contained() {
        let event = event();
        for language in LANGUAGES {
            for kind in KINDS {
                let c = letter_for(kind, &event, &registration(language), &[], Some(LINK));
                for external in ["<img", "<link", "<script", "src=", "url(", "<style"] {
                    assert!(
                        !c.html.contains(external),
                        "{language} {kind:?}: {external}"
                    );
                }
                assert!(c.html.starts_with("<!DOCTYPE html>\n"));
                assert!(c.html.contains("<meta charset=\"utf-8\">"));
            }
        }
    }

    #[test]
    fn an_unknown_language_falls_back_to_english() {
        let event = event();
        let c = letter_for(
            MessageKind::Withdrawn,
            &event,
            &registration("de"),
            &[],
            None,
        );
        assert_eq!(c.language, "en");
        assert!(
            c.subject
                .starts_with("ISL-NHK2 · Registration withdrawn — Regional Conference")
        );
        assert!(c.html.contains("<html lang=\"en\" dir=\"ltr\">"));
    }

    #[test]
    fn a_member_reads_only_their_own_accreditation() {
        let event = event();
        let registration = registration("en");
        let c = letter_for(
            MessageKind::MemberAccredited,
            &event,
            &registration,
            &[],
            Some(LINK),
        );
        assert_eq!(c.to_name, "Sara Iqbal");
        assert_eq!(c.to_email, "s.iqbal@example.pk");
        assert!(c.text.contains("Dear Sara Iqbal,\n"));
        assert!(
            c.text
                .contains("Name on the badge: Sara IQBAL\nCategory: Delegate\n")
        );
        assert!(c.text.contains("Dates: 20 April 2027 to 22 April 2027\n"));
        assert!(
            c.text
                .contains("Badges are collected at the accreditation desk")
        );
        let all = all_parts(&c);
        for other in [
            "Imran",
            "Ahmed",
            "Bilal",
            "Raza",
            "Ayesha",
            "a.khan@example.pk",
            "i.ahmed@example.pk",
            "accredit-manage",
        ] {
            assert!(!all.contains(other), "{other} in a member's message");
        }
    }

    #[test]
    fn a_member_index_that_names_no_member_has_no_recipient() {
        let event = event();
        let registration = registration("en");
        for member in [None, Some(3)] {
            let c = compose(&Letter {
                kind: MessageKind::MemberAccredited,
                event: &event,
                reference: "ISL-NHK2",
                registration: &registration,
                status: Status::Approved,
                note: None,
                manage_link: None,
                changes: &[],
                member,
            });
            assert_eq!((c.to_name.as_str(), c.to_email.as_str()), ("", ""));
            assert!(!c.text.contains("Imran") && !c.text.contains("Ayesha"));
        }
    }

    #[test]
    fn approval_reaches_each_member_with_an_address_when_the_event_says_so() {
        let quiet = event();
        let mut event = event();
        event.notify_members = true;
        let registration = registration("ru");
        let base = Letter {
            kind: MessageKind::Received,
            event: &quiet,
            reference: "ISL-NHK2",
            registration: &registration,
            status: Status::Approved,
            note: None,
            manage_link: Some(LINK),
            changes: &[],
            member: Some(2),
        };
        let only_focal_point = messages_for(MessageKind::Approved, &base);
        assert_eq!(only_focal_point.len(), 1);
        assert_eq!(only_focal_point[0].0, MessageKind::Approved);
        assert_eq!(only_focal_point[0].1.to_email, "a.khan@example.pk");

        let base = Letter {
            event: &event,
            ..base
        };
        let sent = messages_for(MessageKind::Approved, &base);
        let summary: Vec<(MessageKind, &str)> = sent
            .iter()
            .map(|(kind, c)| (*kind, c.to_email.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (MessageKind::Approved, "a.khan@example.pk"),
                (MessageKind::MemberAccredited, "i.ahmed@example.pk"),
                (MessageKind::MemberAccredited, "s.iqbal@example.pk"),
            ],
            "the observer has no address"
        );
        assert!(
            sent[1]
                .1
                .subject
                .starts_with("ISL-NHK2 · Ваша аккредитация — ")
        );
        assert!(
            sent[1]
                .1
                .text
                .contains("Имя на бейдже: Imran Ahmed\nКатегория: Глава делегации\n")
        );
        assert!(!sent[1].1.text.contains("Sara"));
        assert!(!sent[2].1.text.contains("Imran"));
        assert_eq!(
            sent[0].1,
            compose(&Letter {
                kind: MessageKind::Approved,
                member: None,
                ..base
            })
        );

        for kind in [
            MessageKind::Received,
            MessageKind::Amended,
            MessageKind::ChangesRequested,
            MessageKind::Rejected,
            MessageKind::Withdrawn,
            MessageKind::ManageLink,
        ] {
            let sent = messages_for(kind, &base);
            assert_eq!(sent.len(), 1, "{kind:?}");
            assert_eq!(sent[0].0, kind);
            assert_eq!(sent[0].1.to_email, "a.khan@example.pk");
        }
        let one = messages_for(
            MessageKind::MemberAccredited,
            &Letter {
                member: Some(1),
                ..base
            },
        );
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1.to_email, "s.iqbal@example.pk");
    }

    #[test]
    fn an_invited_organisation_is_named_in_the_reader_language() {
        let event = event();
        let mut registration = registration("es");
        registration.delegation = Delegation {
            kind: DelegationKind::UnEntity,
            country: None,
            organisation: Some("United Nations Office on Drugs and Crime (UNODC)".into()),
            credentials_letter: None,
        };
        let c = letter_for(MessageKind::Received, &event, &registration, &[], None);
        assert!(c.text.contains(
            "Delegación: Oficina de las Naciones Unidas contra la Droga y el Delito (UNODC)\n"
        ));
        registration.delegation.organisation = Some("Regional Migration Forum".into());
        let c = letter_for(MessageKind::Received, &event, &registration, &[], None);
        assert!(c.text.contains("Delegación: Regional Migration Forum\n"));
    }
}
