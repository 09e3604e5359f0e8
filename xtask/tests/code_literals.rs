//! One vocabulary: the widget, the organiser view and the server name error
//! and problem codes by the model's constants, never by string literals, so
//! a code renamed in the model cannot leave a stale copy behind.
//!
//! The sources are read as text (test modules skipped: a test may spell a
//! code out as the wire format it checks). A finding is either a literal
//! equal to a code the model defines ([`codes::ALL`], [`problem_code::ALL`])
//! or any literal given as the code of a `Problem` or `ValidationError`
//! constructor, which catches a new code not yet in the model.

use accredit_model::api::problem_code;
use accredit_model::codes;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The folders whose sources must use the model's constants.
const SOURCES: [&str; 3] = ["src", "organiser/src", "server/src"];

/// Calls whose argument at the index is a code.
const CODE_ARGUMENTS: [(&str, usize); 4] = [
    ("Problem::new(", 1),
    ("Problem::not_found(", 0),
    ("Problem::bad_request(", 0),
    ("ValidationError::new(", 1),
];

#[test]
fn sources_name_codes_by_the_model_constants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let known = known_codes();
    let mut files = Vec::new();
    for dir in SOURCES {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {files:?}");
    let mut findings = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let shown = file.strip_prefix(&root).unwrap_or(file).display();
        for (line, why) in findings_in(&text, &known) {
            findings.push(format!("{shown}:{line}: {why}"));
        }
    }
    assert!(
        findings.is_empty(),
        "use the constants of accredit_model::codes or accredit_model::api::problem_code \
         (add a new code there first):\n  {}",
        findings.join("\n  ")
    );
}

#[test]
fn finds_a_known_code_and_a_literal_code_argument() {
    let known = known_codes();
    let source = r#"
fn closed() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "registration.closed",
        format!("closed ({})", "on a date"),
    )
}
fn busy() -> Problem {
    Problem::bad_request("some.new_code", "detail with \"quotes\"")
}
fn fine() -> Problem {
    Problem::not_found(problem_code::EVENT_UNKNOWN, "no such event")
}
fn error(path: &str) -> ValidationError {
    ValidationError::new(path.to_owned(), "attachment.brand_new")
}
"#;
    let found = findings_in(source, &known);
    let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [5, 10, 16], "{found:?}");
    assert!(found[0].1.contains("registration.closed"), "{found:?}");
}

#[test]
fn skips_test_modules_comments_and_other_strings() {
    let known = known_codes();
    let source = r##"
// "registration.closed" in a comment
/// Doc: `"email.invalid"`.
const KEY: &str = "org.tab.badges";
const RAW: &str = r#"{"code":"not.here"}"#;
fn quote() -> char { '"' }
fn lifetime<'a>(s: &'a str) -> &'a str { s }
#[cfg(test)]
mod tests {
    #[test]
    fn wire() {
        assert_eq!(super::code(), "registration.closed");
    }
}
fn after() -> &'static str { "email.invalid" }
"##;
    let found = findings_in(source, &known);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 15, "{found:?}");
}

fn known_codes() -> BTreeSet<&'static str> {
    let known: BTreeSet<_> = codes::ALL
        .iter()
        .chain(problem_code::ALL)
        .copied()
        .collect();
    assert!(known.contains(codes::EMAIL_INVALID) && known.contains(problem_code::STORAGE_BUSY));
    known
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
}

/// Each finding's line (from 1) and what was found.
fn findings_in(source: &str, known: &BTreeSet<&str>) -> Vec<(usize, String)> {
    let lexed = lex(source);
    let mut findings = Vec::new();
    for literal in &lexed.literals {
        if known.contains(literal.value.as_str()) && !lexed.in_test(literal.start) {
            findings.push((
                lexed.line(literal.start),
                format!("the literal \"{}\" is a model code", literal.value),
            ));
        }
    }
    for (call, index) in CODE_ARGUMENTS {
        for (at, _) in lexed.code.match_indices(call) {
            if lexed.in_test(at) {
                continue;
            }
            let Some(argument) = argument(&lexed.code, at + call.len(), index) else {
                continue;
            };
            let trimmed = argument.start
                + (lexed.code[argument.clone()].len()
                    - lexed.code[argument.clone()].trim_start().len());
            let Some(literal) = lexed.literals.iter().find(|l| l.start == trimmed) else {
                continue;
            };
            if !known.contains(literal.value.as_str()) {
                findings.push((
                    lexed.line(literal.start),
                    format!(
                        "the literal \"{}\" is the code of {}…)",
                        literal.value, call
                    ),
                ));
            }
        }
    }
    findings.sort();
    findings
}

/// The byte range of argument `index` of the call whose `(` ends at `open`.
fn argument(code: &str, open: usize, index: usize) -> Option<std::ops::Range<usize>> {
    let mut depth = 0usize;
    let mut current = 0;
    let mut start = open;
    for (offset, c) in code[open..].char_indices() {
        let at = open + offset;
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                return (current == index).then_some(start..at);
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                if current == index {
                    return Some(start..at);
                }
                current += 1;
                start = at + 1;
            }
            _ => {}
        }
    }
    None
}

struct Literal {
    /// Byte offset of the opening quote (or `r`) in the source.
    start: usize,
    value: String,
}

struct Lexed {
    /// The source with comments and the contents of string and character
    /// literals blanked (same byte offsets), so brackets and commas are code.
    code: String,
    literals: Vec<Literal>,
    line_starts: Vec<usize>,
    /// Byte ranges of `#[cfg(test)]` items.
    tests: Vec<std::ops::Range<usize>>,
}

impl Lexed {
    fn line(&self, at: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= at)
    }

    fn in_test(&self, at: usize) -> bool {
        self.tests.iter().any(|range| range.contains(&at))
    }
}

/// Enough of Rust's lexical grammar to tell code from comments and literals.
fn lex(source: &str) -> Lexed {
    let bytes = source.as_bytes();
    let mut code = bytes.to_vec();
    let mut literals = Vec::new();
    let blank = |code: &mut Vec<u8>, range: std::ops::Range<usize>| {
        for b in &mut code[range] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            let end = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
            blank(&mut code, i..end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let end = source[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + n + 4);
            blank(&mut code, i..end);
            i = end;
        } else if let Some(hashes) = raw_string_hashes(rest) {
            let open = 2 + hashes;
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + open;
            let end = source[body..]
                .find(&close)
                .map_or(bytes.len(), |n| body + n);
            literals.push(Literal {
                start: i,
                value: source[body..end].to_owned(),
            });
            let end = (end + close.len()).min(bytes.len());
            blank(&mut code, i + 1..end);
            i = end;
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            let mut value = String::new();
            while j < bytes.len() && bytes[j] != b'"' {
                if bytes[j] == b'\\' {
                    j += 1;
                }
                let c = source[j..].chars().next().unwrap_or(' ');
                value.push(c);
                j += c.len_utf8().max(1);
            }
            literals.push(Literal { start: i, value });
            let end = (j + 1).min(bytes.len());
            blank(&mut code, i + 1..end - 1);
            i = end;
        } else if bytes[i] == b'\'' {
            // A character literal ('x', '\n', '\u{..}', '"'), or a lifetime.
            let after = &source[i + 1..];
            let end = if after.starts_with('\\') {
                after.get(2..).and_then(|a| a.find('\'')).map(|n| i + n + 4)
            } else {
                let mut chars = after.char_indices();
                match (chars.next(), chars.next()) {
                    (Some(_), Some((n, '\''))) => Some(i + 1 + n + 1),
                    _ => None,
                }
            };
            match end {
                Some(end) => {
                    blank(&mut code, i + 1..end - 1);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    let code = String::from_utf8(code).expect("blanking keeps UTF-8 boundaries");
    let line_starts = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(n, _)| n + 1))
        .collect();
    let tests = test_items(&code);
    Lexed {
        code,
        literals,
        line_starts,
        tests,
    }
}

/// `r"`, `r#"`, `br"`…: the number of hashes of a raw string starting here.
fn raw_string_hashes(rest: &[u8]) -> Option<usize> {
    let rest = rest.strip_prefix(b"b").unwrap_or(rest);
    let rest = rest.strip_prefix(b"r")?;
    let hashes = rest.iter().take_while(|&&b| b == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// The items after each `#[cfg(test)]`: up to the `}` that closes their
/// first `{`, or to a `;` before any `{` (`mod tests;`).
fn test_items(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for (start, _) in code.match_indices("#[cfg(test)]") {
        let mut depth = 0usize;
        let mut end = code.len();
        for (offset, c) in code[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = start + offset + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = start + offset + 1;
                    break;
                }
                _ => {}
            }
        }
        ranges.push(start..end);
    }
    ranges
}
