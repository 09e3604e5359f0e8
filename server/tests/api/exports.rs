//! Exports: protocol order, filters, and cells that spreadsheets must
//! never evaluate.

use crate::common::*;
use accredit_test_support::csv_records;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::{Value, json};
use std::io::{Cursor, Read};

/// Delegations registered in scrambled order, with formula-like values.
async fn conference() -> (TestServer, String) {
    let server = TestServer::start().await;
    let token = server.token();
    let mut turkiye = delegation(
        "TR",
        vec![
            member("delegate", "Zeki", "Yılmaz", "U1000001"),
            member("adviser", "Ayşe", "Demir", "U1000002"),
            member("head_of_delegation", "Ali", "Çelik", "U1000003"),
            member("delegate", "Can", "Arslan", "U1000004"),
            member("alternate", "Mehmet", "Öz", "U1000005"),
        ],
    );
    turkiye["members"][3]["phone"] = json!("+90 312 555 0000");
    turkiye["members"][3]["dietary"] = json!("=HYPERLINK(\"http://evil.example\",\"click\")");
    turkiye["members"][3]["institution"] = json!("@SUM(A1:A9)");
    turkiye["members"][3]["function"] = json!("-2+3 adviser");
    let mut ngo = registration();
    ngo["delegation"] = json!({"kind": "ngo", "country": null, "organisation": "Aware Girls"});
    ngo["members"][0]["category"] = json!("observer");
    let mut unodc = registration();
    unodc["delegation"] = json!({"kind": "un_entity", "country": null, "organisation": "UNODC"});
    let mut frontex = registration();
    frontex["delegation"] = json!({"kind": "intergovernmental_organisation", "country": null, "organisation": "Frontex"});
    let mut media = registration();
    media["delegation"] = json!({"kind": "media", "country": null, "organisation": "Dawn News"});
    media["members"][0]["category"] = json!("media");
    let payloads = vec![
        ngo,
        turkiye,
        media,
        delegation(
            "PK",
            vec![member("head_of_delegation", "Imran", "Ahmed", "P2000001")],
        ),
        unodc,
        delegation(
            "IR",
            vec![member("head_of_delegation", "Reza", "Karimi", "I3000001")],
        ),
        frontex,
        delegation(
            "AF",
            vec![member("head_of_delegation", "Zahra", "Rahimi", "A4000001")],
        ),
    ];
    for payload in payloads {
        let response = server.register(&payload).await;
        let status = response.status();
        assert_eq!(status, 201, "{}", response.text().await.unwrap());
    }
    (server, token)
}

/// A CSV export, read by the `csv` crate (the byte order mark skipped).
async fn csv_export(server: &TestServer, token: &str, path: &str) -> Vec<Vec<String>> {
    let text = server.get_as(token, path).await.text().await.unwrap();
    csv_records(&text)
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let index = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows[1..].iter().map(|r| r[index].clone()).collect()
}

#[tokio::test]
async fn participants_csv_is_in_protocol_order_and_injection_safe() {
    let (server, token) = conference().await;
    let response = server.get_as(&token, "/exports/participants.csv").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{EVENT}-participants-")),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let rows = csv_records(text);
    assert_eq!(rows.len(), 1 + 12);

    // Member States by English name (Türkiye sorts as Turkiye), then the
    // other kinds in protocol order.
    let names: Vec<String> = rows[1..]
        .iter()
        .map(|r| {
            let i = |n: &str| rows[0].iter().position(|h| h == n).unwrap();
            if r[i("country")].is_empty() {
                r[i("organisation")].clone()
            } else {
                r[i("country")].clone()
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .fold(Vec::new(), |mut v, n| {
            if v.last() != Some(&n) {
                v.push(n);
            }
            v
        });
    assert_eq!(
        names,
        [
            "Afghanistan",
            "Iran (Islamic Republic of)",
            "Pakistan",
            "Türkiye",
            "Frontex",
            "UNODC",
            "Aware Girls",
            "Dawn News"
        ]
    );
    // Within Türkiye: head, then categories in event order, then family name.
    let family: Vec<String> = column(&rows, "family_name");
    assert_eq!(family[3..8], ["Çelik", "Öz", "Arslan", "Yılmaz", "Demir"]);
    assert_eq!(column(&rows, "head_of_delegation")[3..5], ["yes", "no"]);

    // Formula-like cells are neutralised but complete.
    let arslan = &rows[1 + 5];
    let cell = |name: &str| arslan[rows[0].iter().position(|h| h == name).unwrap()].clone();
    assert_eq!(cell("phone"), "'+90 312 555 0000");
    assert_eq!(
        cell("dietary"),
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(cell("institution"), "'@SUM(A1:A9)");
    assert_eq!(cell("function"), "'-2+3 adviser");
    for row in &rows {
        for field in row {
            assert!(
                !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded cell {field:?}"
            );
        }
    }
}

#[tokio::test]
async fn delegations_csv_has_one_row_per_registration() {
    let (server, token) = conference().await;
    let rows = csv_export(&server, &token, "/exports/delegations.csv").await;
    assert_eq!(rows.len(), 1 + 8);
    assert_eq!(column(&rows, "country_code")[..4], ["AF", "IR", "PK", "TR"]);
    assert_eq!(column(&rows, "members")[3], "5");
    assert_eq!(column(&rows, "head_of_delegation")[3], "Ali Çelik");
    assert!(
        column(&rows, "focal_point_phone")
            .iter()
            .all(|p| p == "'+92 51 1234567")
    );
}

#[tokio::test]
async fn json_and_xlsx_carry_the_same_rows() {
    let (server, token) = conference().await;
    let response = server.get_as(&token, "/exports/participants.json").await;
    assert_eq!(response.headers()["content-type"], "application/json");
    let json: Value = response.json().await.unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!(
        rows[5]["phone"], "+90 312 555 0000",
        "JSON keeps values exactly"
    );
    assert_eq!(rows[5]["visa_letter"], false);
    assert_eq!(rows[5]["sessions"], json!(["opening"]));

    let response = server.get_as(&token, "/exports/participants.xlsx").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();

    // The workbook read back by calamine, not by the writer.
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let range = workbook.worksheet_range("Participants").unwrap();
    let cells: Vec<&[Data]> = range.rows().collect();
    assert_eq!(cells.len(), 13, "a header and 12 participants");
    let at = |name: &str| rows_header_index(cells[0], name);
    let turkish_adviser = cells[6];
    assert_eq!(
        turkish_adviser[at("phone")],
        Data::String("+90 312 555 0000".into()),
        "a phone number stays a string, as typed"
    );
    assert_eq!(
        turkish_adviser[at("dietary")],
        Data::String("=HYPERLINK(\"http://evil.example\",\"click\")".into()),
        "a formula-like value is a string, not a formula"
    );
    assert_eq!(
        turkish_adviser[at("country")],
        Data::String("Türkiye".into())
    );
    for (name, serial) in [("date_of_birth", 25689.0), ("document_expires_on", 47514.0)] {
        match &turkish_adviser[at(name)] {
            Data::DateTime(date) => {
                assert_eq!(date.as_f64(), serial, "{name}: 1970-05-01 / 2030-01-31");
            }
            other => panic!("{name} is not a date cell: {other:?}"),
        }
    }
    assert!(
        matches!(turkish_adviser[at("registered_at")], Data::DateTime(_)),
        "registered_at is a date-time cell"
    );
    let formulas = workbook.worksheet_formula("Participants").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell holds a formula"
    );

    // What calamine does not report: the sheet's view, filter and styles.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let styles = part("xl/styles.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "the header row is frozen: {sheet:.600}"
    );
    assert!(
        sheet.contains(r#"<autoFilter ref="A1:AF13"/>"#),
        "an autofilter over the table"
    );
    assert!(
        sheet.contains("<cols>") && sheet.contains("customWidth=\"1\""),
        "column widths"
    );
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "no formulas"
    );
    // The header cells' style has a bold font; the guarded cells' style a
    // quote prefix.
    let header_style = style_of(&sheet, "A1");
    let xfs = cell_xfs(&styles);
    let font = attribute(&xfs[header_style], "fontId").unwrap();
    assert!(
        nth_font(&styles, font.parse().unwrap()).contains("<b/>"),
        "the header is bold: {styles}"
    );
    let phone_column = column_letter(at("phone"));
    let guarded_style = style_of(&sheet, &format!("{phone_column}7"));
    assert!(
        xfs[guarded_style].contains(r#"quotePrefix="1""#),
        "a value that starts like a formula has the quote prefix: {}",
        xfs[guarded_style]
    );
}

fn rows_header_index(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == &Data::String(name.into()))
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// `0` → `A`, `26` → `AA`.
fn column_letter(index: usize) -> String {
    if index < 26 {
        ((b'A' + index as u8) as char).to_string()
    } else {
        format!(
            "{}{}",
            column_letter(index / 26 - 1),
            (b'A' + (index % 26) as u8) as char
        )
    }
}

/// The style index (`s="…"`) of cell `reference` in the sheet XML.
fn style_of(sheet: &str, reference: &str) -> usize {
    let start = sheet
        .find(&format!(r#"<c r="{reference}""#))
        .unwrap_or_else(|| panic!("no cell {reference}"));
    let cell = &sheet[start..start + sheet[start..].find('>').unwrap()];
    attribute(cell, "s").map_or(0, |s| s.parse().unwrap())
}

fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&element[start..start + element[start..].find('"')?])
}

fn section<'a>(xml: &'a str, name: &str) -> &'a str {
    let start = xml.find(&format!("<{name}")).unwrap();
    let end = xml.find(&format!("</{name}>")).unwrap();
    &xml[start..end]
}

/// The `<xf …>` elements of `cellXfs`, in order (a cell's `s` indexes them).
fn cell_xfs(styles: &str) -> Vec<String> {
    section(styles, "cellXfs")
        .split("<xf ")
        .skip(1)
        .map(|xf| format!("<xf {xf}"))
        .collect()
}

fn nth_font(styles: &str, n: usize) -> String {
    section(styles, "fonts")
        .split("<font")
        .skip(2)
        .nth(n)
        .unwrap_or_default()
        .to_owned()
}

/// A CSV export read with `delimiter`, every record kept whatever its
/// number of fields (a `;` reader of a `,` file sees odd records).
fn read_with(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn csv_is_safe_read_with_a_comma_and_with_a_semicolon_as_separator() {
    let server = TestServer::start().await;
    let token = server.token();
    let attack = "Adviser;=HYPERLINK(\"http://x\")";
    let mut ngo = registration();
    ngo["delegation"] = json!({"kind": "ngo", "country": null, "organisation": "Aware;+Girls"});
    ngo["members"][0]["category"] = json!("observer");
    ngo["members"][0]["function"] = json!(attack);
    ngo["members"][0]["institution"] = json!("Ministry;@SUM(A1:A9)");
    ngo["members"][0]["dietary"] = json!("none;-2+3");
    ngo["members"][0]["accessibility"] = json!("ramp\n=1+1;\"=2+2\";");
    let response = server.register(&ngo).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    for path in ["/exports/participants.csv", "/exports/delegations.csv"] {
        let text = server.get_as(&token, path).await.text().await.unwrap();
        for delimiter in [b',', b';'] {
            let records = read_with(&text, delimiter);
            assert!(records.len() >= 2, "{path}: {text}");
            for field in records.iter().flatten() {
                assert!(
                    !field.starts_with(['=', '+', '-', '@']),
                    "{path} read with {:?}: a field starts like a formula: {field:?}\n{text}",
                    delimiter as char
                );
            }
        }
        // Read with the separator it was written with, every value is whole.
        let records = read_with(&text, b',');
        assert_eq!(records.len(), 2, "{path}");
        if path.contains("participants") {
            assert_eq!(
                column(&records, "function"),
                ["Adviser;'=HYPERLINK(\"http://x\")"]
            );
            assert_eq!(column(&records, "dietary"), ["none;'-2+3"]);
        }
        assert_eq!(column(&records, "organisation"), ["Aware;'+Girls"]);
    }
}

#[tokio::test]
async fn exports_take_the_list_filters() {
    let (server, token) = conference().await;
    let text = server
        .get_as(
            &token,
            "/exports/participants.csv?country=TR&category=delegate",
        )
        .await
        .text()
        .await
        .unwrap();
    let rows = csv_records(text.trim_start_matches('\u{FEFF}'));
    assert_eq!(column(&rows, "family_name"), ["Arslan", "Yılmaz"]);
    let json: Value = server
        .get_as(&token, "/exports/participants.json?kind=media")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    let text = server
        .get_as(&token, "/exports/delegations.csv?q=unodc")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_records(text.trim_start_matches('\u{FEFF}')).len(), 2);
    problem(
        server
            .get_as(&token, "/exports/participants.csv?kind=state")
            .await,
        400,
        "query.invalid",
    )
    .await;
}

/// The participant columns, as server/README.md documents them.
const DOCUMENTED_PARTICIPANT_COLUMNS: &str = "reference, status, delegation_kind, country_code, \
    country, organisation, head_of_delegation, category, category_label, honorific, \
    given_names, family_name, badge_name, function, institution, nationality, email, phone, \
    document_kind, document_number, document_issuing_country, document_expires_on, \
    date_of_birth, photo, sessions, arrival_date, departure_date, visa_letter, dietary, \
    accessibility, registration_id, registered_at";

/// The delegation columns, as server/README.md documents them.
const DOCUMENTED_DELEGATION_COLUMNS: &str = "reference, status, delegation_kind, country_code, \
    country, organisation, head_of_delegation, members, focal_point_name, focal_point_email, \
    focal_point_phone, credentials_letter, language, registration_id, registered_at, updated_at";

fn documented(columns: &str) -> Vec<String> {
    columns.split(',').map(|c| c.trim().to_owned()).collect()
}

#[tokio::test]
async fn document_numbers_are_in_one_participant_column_and_no_delegation_column() {
    let (server, token) = conference().await;
    // Every document number `conference` registers, as typed there.
    let numbers = [
        "U1000001",
        "U1000002",
        "U1000003",
        "U1000004",
        "U1000005",
        "P2000001",
        "I3000001",
        "A4000001",
        "DP1234567",
    ];
    let rows = csv_export(&server, &token, "/exports/participants.csv").await;
    assert_eq!(rows[0], documented(DOCUMENTED_PARTICIPANT_COLUMNS));
    let document = rows[0].iter().position(|h| h == "document_number").unwrap();
    let mut exported: Vec<&str> = rows[1..].iter().map(|r| r[document].as_str()).collect();
    exported.sort_unstable();
    exported.dedup();
    let mut expected = numbers.to_vec();
    expected.sort_unstable();
    assert_eq!(
        exported, expected,
        "every number, in full, in document_number"
    );
    for row in &rows[1..] {
        for (i, cell) in row.iter().enumerate().filter(|(i, _)| *i != document) {
            assert!(
                !numbers.iter().any(|n| cell.contains(n)),
                "{} carries a document number: {cell:?}",
                rows[0][i]
            );
        }
    }

    let rows = csv_export(&server, &token, "/exports/delegations.csv").await;
    assert_eq!(rows[0], documented(DOCUMENTED_DELEGATION_COLUMNS));
    for row in &rows[1..] {
        for (i, cell) in row.iter().enumerate() {
            assert!(
                !numbers.iter().any(|n| cell.contains(n)) && !cell.contains("1970-05-01"),
                "delegations.csv {} carries a document number or a birth date: {cell:?}",
                rows[0][i]
            );
        }
    }
}

#[tokio::test]
async fn every_cell_of_delegations_csv_is_guarded_against_formulas() {
    let server = TestServer::start().await;
    let token = server.token();
    let mut ngo = registration();
    ngo["delegation"] = json!({"kind": "ngo", "country": null,
        "organisation": "=HYPERLINK(\"http://evil.example\",\"Aware Girls\")"});
    ngo["members"][0]["category"] = json!("observer");
    ngo["focal_point"]["family_name"] = json!("-Khan");
    let response = server.register(&ngo).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let rows = csv_export(&server, &token, "/exports/delegations.csv").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        column(&rows, "organisation"),
        ["'=HYPERLINK(\"http://evil.example\",\"Aware Girls\")"]
    );
    assert_eq!(column(&rows, "focal_point_name"), ["Ayesha -Khan"]);
    assert_eq!(column(&rows, "focal_point_phone"), ["'+92 51 1234567"]);
    for (i, cell) in rows[1].iter().enumerate() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "unguarded {}: {cell:?}",
            rows[0][i]
        );
    }
}
