//! XLSX exports, written by `rust_xlsxwriter`.
//!
//! The header row is bold, frozen and carries an autofilter; columns are
//! as wide as their longest value (within bounds). Dates and moments are
//! date cells with a date format, so they sort and filter as dates.
//!
//! Everything else is a string cell, never a formula or a number, so
//! nothing a registrant typed is ever evaluated, and phone numbers or
//! document numbers keep their leading `+` and zeros. Strings that start
//! like a formula also get the `quotePrefix` style, the equivalent of
//! typing a leading `'`: editing such a cell in Excel keeps it text. The
//! value itself is stored as typed (no `'` is added to it: a workbook cell
//! has no separator to be split on).

use super::{Cell, Rows, csv::needs_guard};
use crate::clock;
use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, RowNum, Workbook, Worksheet, XlsxError};

/// Column widths, in characters: no column narrower than its filter
/// button needs, none so wide that a long free-text answer hides the rest.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

struct Formats {
    header: Format,
    guarded: Format,
    date: Format,
    moment: Format,
}

/// The workbook with one sheet named `sheet_name`.
pub fn write(rows: &dyn Rows, sheet_name: &str) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        header: Format::new().set_bold(),
        guarded: Format::new().set_quote_prefix(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        moment: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let columns = rows.columns();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
    for (col, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col)?, *name, &formats.header)?;
    }
    let mut row_index: RowNum = 0;
    let mut failed = None;
    rows.for_each(&mut |row| {
        if failed.is_some() {
            return;
        }
        row_index += 1;
        for (col, cell) in row.iter().enumerate() {
            let written = write_cell(sheet, &formats, row_index, col, cell);
            match written {
                Ok(width) => widths[col] = widths[col].max(width),
                Err(e) => {
                    failed = Some(e);
                    return;
                }
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let last_col = col_num(columns.len().saturating_sub(1))?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row_index, last_col)?;
    for (col, width) in widths.iter().enumerate() {
        // One character more than the text, for the filter button's room.
        let width = (width + 1).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(col_num(col)?, width as f64)?;
    }
    workbook.save_to_buffer()
}

/// Writes one cell; returns the width its text needs, in characters.
fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: RowNum,
    col: usize,
    cell: &Cell,
) -> Result<usize, XlsxError> {
    let col = col_num(col)?;
    match cell {
        Cell::Date(date) => {
            let day = u16::try_from(date.year())
                .map_err(|_| XlsxError::DateTimeRangeError(date.to_string()))
                .and_then(|year| {
                    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
                });
            match day {
                Ok(day) => {
                    sheet.write_date_with_format(row, col, &day, &formats.date)?;
                    Ok(10)
                }
                // Outside the years a workbook can hold: kept, as text.
                Err(_) => write_text(sheet, formats, row, col, &date.to_string()),
            }
        }
        Cell::Timestamp(secs) => match ExcelDateTime::from_timestamp(*secs) {
            Ok(moment) => {
                sheet.write_datetime_with_format(row, col, &moment, &formats.moment)?;
                Ok(19)
            }
            // Outside the years a workbook can hold: kept, as text.
            Err(_) => write_text(sheet, formats, row, col, &clock::rfc3339(*secs)),
        },
        other => write_text(sheet, formats, row, col, &other.text()),
    }
}

fn write_text(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: RowNum,
    col: ColNum,
    text: &str,
) -> Result<usize, XlsxError> {
    if text.is_empty() {
        return Ok(0);
    }
    if needs_guard(text) {
        sheet.write_string_with_format(row, col, text, &formats.guarded)?;
    } else {
        sheet.write_string(row, col, text)?;
    }
    Ok(text
        .lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0))
}

fn col_num(index: usize) -> Result<ColNum, XlsxError> {
    ColNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Table;

    #[test]
    fn writes_a_workbook() {
        let table = Table {
            columns: &["phone", "name"],
            rows: vec![vec![
                Cell::Text("+92 51 1234567".into()),
                Cell::Text("=cmd|' /C calc'!A0".into()),
            ]],
        };
        let bytes = write(&table, "Participants").unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
