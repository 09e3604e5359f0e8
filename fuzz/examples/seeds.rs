//! Writes the committed seed inputs of the fuzz targets into `seeds/`:
//! the demo registration payload, a tiny PNG and JPEG, a tiny PDF letter.
//! Each is valid, so the fuzzer starts from inputs that reach every check.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds`

use accredit_test_support::payload;
use image::{DynamicImage, ImageFormat};
use lopdf::{Document, Object, Stream, dictionary};
use std::fs;
use std::io::Cursor;
use std::path::Path;

fn main() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let json = serde_json::to_vec_pretty(&payload::registration()).unwrap();
    write(&seeds.join("registration/demo.json"), &json);
    // Portrait, as a badge photo must be, and small enough to mutate fast.
    write(
        &seeds.join("image/tiny.png"),
        &encode(ImageFormat::Png, 3, 4),
    );
    write(
        &seeds.join("image/tiny.jpg"),
        &encode(ImageFormat::Jpeg, 3, 4),
    );
    write(&seeds.join("pdf/letter.pdf"), &letter());
}

fn write(path: &Path, data: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, data).unwrap();
    println!("{} ({} bytes)", path.display(), data.len());
}

fn encode(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::new_rgb8(width, height)
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

/// One page with one line of text, and an information dictionary for the
/// cleaner to remove.
fn letter() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = b"BT /F1 12 Tf 72 720 Td (Credentials) Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! {
        "Author" => Object::string_literal("Ministry of Foreign Affairs"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}
