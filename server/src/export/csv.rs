//! CSV (RFC 4180) that spreadsheets open safely.
//!
//! A UTF-8 byte order mark makes Excel read the file as UTF-8 (names in
//! Arabic, Chinese or Cyrillic would otherwise be mangled). Lines end in
//! CRLF; a field with a comma, quote or line break is quoted, quotes doubled.
//!
//! Formula injection: a spreadsheet runs a cell starting with `=`, `+`,
//! `-` or `@` as a formula (and tab or CR can hide such a start), so such a
//! cell gets a leading `'`, which spreadsheets show as text and do not
//! evaluate. Nothing is ever removed: `+92 51 1234567` is exported as
//! `'+92 51 1234567`, still the whole number.

use super::Rows;

pub const BOM: &str = "\u{FEFF}";

pub fn write(rows: &dyn Rows) -> Vec<u8> {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(BOM);
    write_record(&mut out, rows.columns().iter().copied());
    rows.for_each(&mut |row| {
        let texts: Vec<_> = row.iter().map(|cell| cell.text()).collect();
        write_record(&mut out, texts.iter().map(|t| t.as_ref()));
    });
    out.into_bytes()
}

fn write_record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_field(out, field);
    }
    out.push_str("\r\n");
}

/// Whether a spreadsheet could take the cell for a formula.
pub fn needs_guard(field: &str) -> bool {
    field.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn write_field(out: &mut String, field: &str) {
    let guard = needs_guard(field);
    let quote =
        field.contains([',', '"', '\r', '\n']) || field.starts_with(' ') || field.ends_with(' ');
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for c in field.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Cell, Table};

    fn one(field: &str) -> String {
        let mut out = String::new();
        write_field(&mut out, field);
        out
    }

    #[test]
    fn quotes_per_rfc_4180() {
        assert_eq!(one("plain"), "plain");
        assert_eq!(one("a,b"), "\"a,b\"");
        assert_eq!(one("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(one("two\nlines"), "\"two\nlines\"");
        assert_eq!(one(""), "");
    }

    #[test]
    fn formulas_are_neutralised_without_losing_anything() {
        assert_eq!(one("=1+1"), "'=1+1");
        assert_eq!(one("+92 51 1234567"), "'+92 51 1234567");
        assert_eq!(one("-5"), "'-5");
        assert_eq!(one("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(one("\t=cmd"), "'\t=cmd");
        assert_eq!(one("\r=cmd"), "\"'\r=cmd\"");
        assert_eq!(
            one("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(one("a=b"), "a=b");
    }

    #[test]
    fn starts_with_a_bom_and_ends_lines_with_crlf() {
        let table = Table {
            columns: &["a", "b"],
            rows: vec![vec![Cell::Text("Ölçek".into()), Cell::Bool(true)]],
        };
        let text = String::from_utf8(write(&table)).unwrap();
        assert_eq!(text, "\u{FEFF}a,b\r\nÖlçek,yes\r\n");
    }
}
