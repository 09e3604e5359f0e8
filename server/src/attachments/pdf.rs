//! Credentials letters in PDF: parsed with `lopdf`, cleaned of metadata,
//! refused when they carry active content.
//!
//! A letter is read by protocol staff on their own machines; a PDF that
//! runs JavaScript, starts a program, opens with an action or carries
//! other files inside it is not a letter, and an encrypted one cannot be
//! checked (nor read without its password). The document-information
//! dictionary (author, creator, producer, dates) and XMP metadata streams
//! say who wrote it and with what; they are removed. The file is written
//! anew from the parsed objects, so earlier revisions kept by incremental
//! saves (and whatever they held) are gone too.

use accredit_model::codes;
use accredit_model::error::Violation;
use lopdf::{Dictionary, Document, Object};

/// Why a PDF is not stored.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Active content or encryption: the model's code says which.
    Refused(Violation),
    /// Not a PDF that can be read.
    Malformed,
}

/// The letter without metadata, or why it is refused.
pub fn clean(data: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut doc = match Document::load_mem(data) {
        Ok(doc) => doc,
        Err(
            lopdf::Error::InvalidPassword
            | lopdf::Error::Decryption(_)
            | lopdf::Error::UnsupportedSecurityHandler(_),
        ) => return Err(refused(codes::PDF_ENCRYPTED)),
        Err(_) => return Err(Refusal::Malformed),
    };
    // lopdf decrypts a file whose password is empty as it loads it; it was
    // encrypted all the same.
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(refused(codes::PDF_ENCRYPTED));
    }
    if let Some(code) = active_content(&doc) {
        return Err(refused(code));
    }
    doc.trailer.remove(b"Info");
    // Only a destination is left (an action was refused above); it runs
    // nothing, and goes with the rest rather than refusing the letter.
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.remove(b"OpenAction");
    }
    for object in doc.objects.values_mut() {
        if let Some(dict) = dictionary_mut(object) {
            // XMP may hang from any dictionary, not only the catalog;
            // PieceInfo is the private data of the program that made it.
            dict.remove(b"Metadata");
            dict.remove(b"PieceInfo");
        }
    }
    doc.prune_objects();
    let mut out = Vec::with_capacity(data.len());
    doc.save_to(&mut out).map_err(|_| Refusal::Malformed)?;
    Ok(out)
}

fn refused(code: &'static str) -> Refusal {
    Refusal::Refused(Violation::new(code))
}

fn dictionary_mut(object: &mut Object) -> Option<&mut Dictionary> {
    match object {
        Object::Dictionary(dict) => Some(dict),
        Object::Stream(stream) => Some(&mut stream.dict),
        _ => None,
    }
}

/// The code for the first kind of active content found, in order of
/// harm: JavaScript, programs started, files carried, actions on opening.
fn active_content(doc: &Document) -> Option<&'static str> {
    let mut found = Found::default();
    for object in doc.objects.values() {
        found.visit(object, 0);
    }
    found.visit(&Object::Dictionary(doc.trailer.clone()), 0);
    if let Ok(catalog) = doc.catalog() {
        let open_action = match catalog.get(b"OpenAction") {
            Ok(Object::Reference(id)) => doc.get_object(*id).ok(),
            other => other.ok(),
        };
        found.open_action = open_action.is_some_and(|action| !is_destination(action));
    }
    [
        (found.javascript, codes::PDF_JAVASCRIPT),
        (found.launch, codes::PDF_LAUNCH),
        (found.embedded_files, codes::PDF_EMBEDDED_FILES),
        (found.open_action, codes::PDF_OPEN_ACTION),
    ]
    .into_iter()
    .find_map(|(is, code)| is.then_some(code))
}

/// Whether an `/OpenAction` only says where to open (a page and a zoom, as
/// a destination or a go-to action): that runs nothing.
fn is_destination(action: &Object) -> bool {
    match action {
        Object::Array(_) | Object::Name(_) | Object::String(..) => true,
        Object::Dictionary(dict) => {
            dict.get(b"S").and_then(Object::as_name).ok() == Some(b"GoTo") && !dict.has(b"Next")
        }
        _ => false,
    }
}

#[derive(Default)]
struct Found {
    javascript: bool,
    launch: bool,
    embedded_files: bool,
    open_action: bool,
}

impl Found {
    /// Looks through one object and what it holds directly (references
    /// are not followed: every indirect object is visited on its own).
    fn visit(&mut self, object: &Object, depth: usize) {
        // Nesting this deep is no letter; lopdf has parsed it already, so
        // stopping here only bounds the walk.
        if depth > 64 {
            return;
        }
        match object {
            Object::Array(items) => items.iter().for_each(|o| self.visit(o, depth + 1)),
            Object::Dictionary(dict) => self.visit_dictionary(dict, depth),
            Object::Stream(stream) => self.visit_dictionary(&stream.dict, depth),
            _ => {}
        }
    }

    fn visit_dictionary(&mut self, dict: &Dictionary, depth: usize) {
        let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
        match name(b"S") {
            Some(b"JavaScript") => self.javascript = true,
            Some(b"Launch") => self.launch = true,
            _ => {}
        }
        if name(b"Type") == Some(b"EmbeddedFile") || name(b"Subtype") == Some(b"FileAttachment") {
            self.embedded_files = true;
        }
        for (key, value) in dict {
            match key.as_slice() {
                // An action's script, or the document-level script tree.
                b"JS" | b"JavaScript" => self.javascript = true,
                b"Launch" => self.launch = true,
                // The name tree of embedded files, or a file specification
                // carrying its file.
                b"EmbeddedFiles" | b"EF" => self.embedded_files = true,
                _ => {}
            }
            self.visit(value, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_readable_pdf_is_malformed() {
        for data in [&b"%PDF-1.4\n"[..], b"%PDF-1.7\ngarbage \x00\xff"] {
            assert_eq!(clean(data), Err(Refusal::Malformed));
        }
    }

    #[test]
    fn a_minimal_hand_written_pdf_is_read() {
        // A catalog and a trailer without a cross-reference table: lopdf
        // rebuilds it, as viewers do.
        let data =
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let cleaned = clean(data).unwrap();
        assert!(Document::load_mem(&cleaned).unwrap().catalog().is_ok());
    }
}
