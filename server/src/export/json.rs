//! JSON exports: an array of objects keyed by column name, with booleans
//! and lists kept as JSON types. JSON is read by programs, not
//! spreadsheets, so no formula guard applies: values are exactly as stored.

use super::{Cell, Rows};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// Serialised row by row, so no JSON tree of the whole export is built.
pub fn write(rows: &dyn Rows) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut serializer = serde_json::Serializer::new(&mut out);
    let columns = rows.columns();
    let mut failed = false;
    let Ok(mut seq) = serializer.serialize_seq(None) else {
        return b"[]".to_vec();
    };
    rows.for_each(&mut |row| {
        failed |= seq.serialize_element(&Row(columns, row)).is_err();
    });
    failed |= SerializeSeq::end(seq).is_err();
    if failed { b"[]".to_vec() } else { out }
}

struct Row<'a>(&'static [&'static str], &'a [Cell]);

impl serde::Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, cell) in self.0.iter().zip(self.1) {
            match cell {
                Cell::Text(text) => map.serialize_entry(name, text)?,
                Cell::Bool(b) => map.serialize_entry(name, b)?,
                Cell::List(items) => map.serialize_entry(name, items)?,
                Cell::Date(_) | Cell::Timestamp(_) => map.serialize_entry(name, &cell.text())?,
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Table;
    use serde_json::Value;

    #[test]
    fn keeps_types_and_values() {
        let table = Table {
            columns: &["phone", "visa", "sessions"],
            rows: vec![vec![
                Cell::Text("+92 51 1234567".into()),
                Cell::Bool(false),
                Cell::List(vec!["opening".into()]),
            ]],
        };
        let json: Value = serde_json::from_slice(&write(&table)).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"phone": "+92 51 1234567", "visa": false, "sessions": ["opening"]}])
        );
    }
}
