//! XLSX exports: a minimal SpreadsheetML workbook, written directly.
//!
//! Every cell is an inline string (`t="inlineStr"`), never a formula or a
//! number, so nothing a registrant typed is ever evaluated, and phone
//! numbers or document numbers keep their leading `+` and zeros. Cells that
//! start like a formula also get the `quotePrefix` style, the equivalent of
//! typing a leading `'`: editing such a cell in Excel keeps it text.

use super::{Rows, csv::needs_guard};
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

// Style 0: default; 1: quote prefix (text even when edited); 2: bold header.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// The workbook with one sheet named `sheet_name`.
pub fn write(rows: &dyn Rows, sheet_name: &str) -> Result<Vec<u8>, zip::result::ZipError> {
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escape(sheet_name)
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook.as_str()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", STYLES),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    zip.write_all(sheet(rows).as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

fn sheet(rows: &dyn Rows) -> String {
    let mut xml = String::with_capacity(64 * 1024);
    xml.push_str(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#,
    );
    write_row(
        &mut xml,
        1,
        rows.columns().iter().map(|c| (*c).into()),
        true,
    );
    let mut number = 1;
    rows.for_each(&mut |row| {
        number += 1;
        write_row(&mut xml, number, row.iter().map(|cell| cell.text()), false);
    });
    xml.push_str("</sheetData></worksheet>");
    xml
}

fn write_row<'a>(
    xml: &mut String,
    number: usize,
    cells: impl Iterator<Item = std::borrow::Cow<'a, str>>,
    header: bool,
) {
    let _ = write!(xml, r#"<row r="{number}">"#);
    for (col, text) in cells.enumerate() {
        if text.is_empty() {
            continue;
        }
        let style = if header {
            2
        } else if needs_guard(&text) {
            1
        } else {
            0
        };
        let _ = write!(xml, r#"<c r="{}{number}" t="inlineStr""#, column_name(col));
        if style != 0 {
            let _ = write!(xml, r#" s="{style}""#);
        }
        let _ = write!(
            xml,
            r#"><is><t xml:space="preserve">{}</t></is></c>"#,
            escape(&text)
        );
    }
    xml.push_str("</row>");
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// XML text escaping, plus OOXML's `_xHHHH_` for characters XML 1.0 cannot
/// carry (control characters), and `_x005F_` for a literal `_x` that would
/// otherwise be read as such an escape. Nothing is dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", c as u32);
            }
            '_' if looks_like_escape(&chars[i..]) => out.push_str("_x005F_"),
            c => out.push(c),
        }
    }
    out
}

fn looks_like_escape(chars: &[char]) -> bool {
    chars.len() >= 7
        && chars[1] == 'x'
        && chars[2..6].iter().all(char::is_ascii_hexdigit)
        && chars[6] == '_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Cell, Table};

    #[test]
    fn columns_are_lettered() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(31), "AF");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn escapes_everything_xml_cannot_hold() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(escape("bell\u{7}"), "bell_x0007_");
        assert_eq!(escape("_x0041_"), "_x005F_x0041_");
        assert_eq!(escape("snake_case_x"), "snake_case_x");
    }

    #[test]
    fn formulas_stay_strings() {
        let table = Table {
            columns: &["phone", "name"],
            rows: vec![vec![
                Cell::Text("+92 51 1234567".into()),
                Cell::Text("=cmd|' /C calc'!A0".into()),
            ]],
        };
        let xml = sheet(&table);
        assert!(!xml.contains("<f>"));
        assert!(xml.contains(r#"<c r="A2" t="inlineStr" s="1"><is><t xml:space="preserve">+92 51 1234567</t></is></c>"#));
        assert!(xml.contains("=cmd|' /C calc'!A0"));
        let bytes = write(&table, "Participants").unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
