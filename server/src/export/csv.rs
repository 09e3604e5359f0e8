//! CSV (RFC 4180) that spreadsheets open safely, written by the `csv` crate.
//!
//! A UTF-8 byte order mark makes Excel read the file as UTF-8 (names in
//! Arabic, Chinese or Cyrillic would otherwise be mangled). Lines end in
//! CRLF; quotes inside a field are doubled.
//!
//! Every field is quoted ([`QuoteStyle::Always`]). The `csv` crate quotes
//! only the delimiter, quotes and line breaks when asked for "necessary"
//! quoting, and it cannot be told to quote one more character; but a
//! spreadsheet whose list separator is `;` (French, German, Russian
//! locales) splits an unquoted `Adviser;=HYPERLINK(…)` into two cells.
//! Quoting every field covers `;` and any other locale's separator, at the
//! cost of two bytes per field.
//!
//! Formula injection: a spreadsheet runs a cell starting with `=`, `+`,
//! `-` or `@` as a formula (and tab or CR can hide such a start), so such a
//! cell gets a leading `'`, which spreadsheets show as text and do not
//! evaluate. A reader that splits on `;` also starts a cell after every
//! `;` and line break inside a field (its quoting state is not the
//! writer's: for it a quote in mid-field is a plain character), so the
//! same guard goes after each of those. Nothing is ever removed:
//! `+92 51 1234567` is exported as `'+92 51 1234567`, still the whole
//! number.

use super::Rows;
use csv::{QuoteStyle, Terminator, WriterBuilder};
use std::borrow::Cow;

pub const BOM: &str = "\u{FEFF}";

pub fn write(rows: &dyn Rows) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(BOM.as_bytes());
    let mut writer = WriterBuilder::new()
        .quote_style(QuoteStyle::Always)
        .terminator(Terminator::CRLF)
        .from_writer(out);
    writer.write_record(rows.columns())?;
    let mut failed = None;
    rows.for_each(&mut |row| {
        if failed.is_some() {
            return;
        }
        // Field by field, each guarded text borrowed: no copy per cell.
        for cell in row {
            let text = cell.text();
            if let Err(e) = writer.write_field(guard(&text).as_bytes()) {
                failed = Some(e);
                return;
            }
        }
        // Ends the record (the fields are written).
        if let Err(e) = writer.write_record(None::<&[u8]>) {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// Whether a spreadsheet could take a cell starting with `text` for a formula.
pub fn needs_guard(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Whether a `;` reader could start a cell right after position `i`: after
/// a `;` or a line break inside the field.
fn is_break(c: char) -> bool {
    matches!(c, ';' | '\n' | '\r')
}

/// Whether the cell a `;` reader starts at `rest` could be a formula. A
/// `"` there is guarded too: it would open a quoted cell, whose text could
/// start with anything.
fn risky_after_break(rest: &str) -> bool {
    needs_guard(rest) || rest.starts_with('"')
}

/// `field` with a `'` before its start and before the start of every
/// `;`-separated part or line that could be read as a formula.
pub fn guard(field: &str) -> Cow<'_, str> {
    let breaks = field
        .char_indices()
        .filter(|&(i, c)| is_break(c) && risky_after_break(&field[i + 1..]))
        .count();
    if breaks == 0 && !needs_guard(field) {
        return Cow::Borrowed(field);
    }
    let mut out = String::with_capacity(field.len() + breaks + 1);
    if needs_guard(field) {
        out.push('\'');
    }
    for (i, c) in field.char_indices() {
        out.push(c);
        if is_break(c) && risky_after_break(&field[i + 1..]) {
            out.push('\'');
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Cell, Table};

    #[test]
    fn formulas_are_neutralised_without_losing_anything() {
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("+92 51 1234567"), "'+92 51 1234567");
        assert_eq!(guard("-5"), "'-5");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("\t=cmd"), "'\t=cmd");
        assert_eq!(guard("\r=cmd"), "'\r'=cmd");
        assert_eq!(guard("a=b"), "a=b");
        assert_eq!(guard("opening; closing"), "opening; closing");
        assert_eq!(
            guard("Adviser;=HYPERLINK(\"x\")"),
            "Adviser;'=HYPERLINK(\"x\")"
        );
        assert_eq!(guard("two\n-lines"), "two\n'-lines");
        assert_eq!(guard("a;\"=b\""), "a;'\"=b\"");
    }

    #[test]
    fn starts_with_a_bom_quotes_every_field_and_ends_lines_with_crlf() {
        let table = Table {
            columns: &["a", "b"],
            rows: vec![vec![Cell::Text("Ölçek; \"x\"".into()), Cell::Bool(true)]],
        };
        let text = String::from_utf8(write(&table).unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{FEFF}\"a\",\"b\"\r\n\"Ölçek; \"\"x\"\"\",\"yes\"\r\n"
        );
    }
}
