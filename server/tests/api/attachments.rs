//! `POST /events/{event}/attachments` and their use in registrations.

use crate::common::*;
use accredit_server::Settings;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn images_are_stored_without_their_metadata() {
    let server = TestServer::start().await;
    let response = server.upload(jpeg_with_metadata()).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["media_type"], "image/jpeg");
    let id = body["id"].as_str().unwrap();

    let token = server.token();
    let download = server.get_as(&token, &format!("/attachments/{id}")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    assert_eq!(download.headers()["cache-control"], "no-store");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        download.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let bytes = download.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, body["size"].as_u64().unwrap());
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    for secret in [&b"Jane"[..], b"GPS"] {
        assert!(!contains(&bytes, secret));
    }
    assert!(
        contains(&bytes, &[0x12, 0xFF, 0x00, 0x34, 0x56]),
        "image data kept"
    );

    let png = server
        .upload(png_with_metadata())
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(png["media_type"], "image/png");
    let bytes = server
        .get_as(
            &token,
            &format!("/attachments/{}", png["id"].as_str().unwrap()),
        )
        .await
        .bytes()
        .await
        .unwrap();
    assert!(!contains(&bytes, b"Jane") && contains(&bytes, b"pixels"));
}

#[tokio::test]
async fn the_type_comes_from_the_bytes_and_only_jpeg_png_and_pdf_are_accepted() {
    let server = TestServer::start().await;
    let pdf = server.upload(pdf()).await.json::<Value>().await.unwrap();
    assert_eq!(pdf["media_type"], "application/pdf");
    for other in [
        &b"GIF89a\x01\x00\x01\x00"[..],
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"",
        b"MZ\x90\x00",
    ] {
        // Declaring an image type changes nothing.
        let response = server
            .client
            .post(server.event_url("/attachments"))
            .header("content-type", "image/jpeg")
            .body(other.to_vec())
            .send()
            .await
            .unwrap();
        problem(response, 415, "attachment.unsupported_type").await;
    }
    let truncated = jpeg_with_metadata()[..30].to_vec();
    problem(server.upload(truncated).await, 422, "attachment.malformed").await;
    let not_really_a_pdf = b"%PDF-1.7\nno objects here".to_vec();
    problem(
        server.upload(not_really_a_pdf).await,
        422,
        "attachment.malformed",
    )
    .await;
}

#[tokio::test]
async fn attachments_over_the_event_limit_are_a_413() {
    let server = TestServer::start().await;
    let mut big = pdf();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    problem(server.upload(big).await, 413, "body.too_large").await;

    let small_limit = TestServer::with(|s: &mut Settings| {
        s.events.get_mut(EVENT).unwrap().limits.attachment_max_bytes = 1000;
    })
    .await;
    let mut medium = pdf();
    medium.resize(1001, b' ');
    problem(small_limit.upload(medium).await, 413, "body.too_large").await;
    let mut fits = pdf();
    fits.resize(1000, b' ');
    assert_eq!(small_limit.upload(fits).await.status(), 201);
}

#[tokio::test]
async fn registrations_reference_uploaded_attachments_of_the_right_type() {
    let server = TestServer::start().await;
    let photo = server.upload_ok(jpeg_photo(600, 800)).await;
    let letter = server.upload_ok(pdf()).await;

    // A PDF is no photo; an unknown id is refused.
    let mut body = registration();
    body["members"][0]["photo"] = json!(letter);
    body["delegation"]["credentials_letter"] = json!("0b9c7c2e-4f61-4a51-9d55-0c3c5b1f8e3a");
    let problem_body = problem(server.register(&body).await, 422, "validation.failed").await;
    let errors = problem_body["errors"].as_array().unwrap();
    let find = |path: &str| {
        errors
            .iter()
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {errors:?}"))
    };
    assert_eq!(find("members[0].photo")["code"], "attachment.wrong_type");
    assert_eq!(
        find("delegation.credentials_letter")["code"],
        "attachment.unknown"
    );
    assert!(
        !find("delegation.credentials_letter")["message"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    body["members"][0]["photo"] = json!(photo);
    body["delegation"]["credentials_letter"] = json!(letter);
    assert_eq!(server.register(&body).await.status(), 201);

    // Once used, an attachment cannot be claimed by another registration.
    let mut second = registration();
    second["members"][0]["photo"] = json!(photo);
    let problem_body = problem(server.register(&second).await, 422, "validation.failed").await;
    assert_eq!(problem_body["errors"][0]["code"], "attachment.in_use");
}

#[tokio::test]
async fn attachments_belong_to_their_event() {
    let server = TestServer::with(|s: &mut Settings| {
        let mut other = s.events[EVENT].clone();
        other.id = "other-event".into();
        s.events.insert(other.id.clone(), other);
    })
    .await;
    let response = server
        .client
        .post(server.url("/api/v1/events/other-event/attachments"))
        .body(pdf())
        .send()
        .await
        .unwrap();
    let other_id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut body = registration();
    body["delegation"]["credentials_letter"] = json!(other_id);
    let problem_body = problem(server.register(&body).await, 422, "validation.failed").await;
    assert_eq!(problem_body["errors"][0]["code"], "attachment.unknown");
    let token = server.token();
    problem(
        server
            .get_as(&token, &format!("/attachments/{other_id}"))
            .await,
        404,
        "attachment.unknown",
    )
    .await;
}

/// A real PNG header (written by the `png` encoder) declaring
/// `width` × `height` pixels, followed by a few bytes of image data only:
/// decoding it would need gigabytes.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_chunk(png::chunk::IDAT, &[0x78, 0x9C, 0x03, 0x00])
        .unwrap();
    drop(writer);
    out
}

#[tokio::test]
async fn images_over_forty_megapixels_are_refused_from_their_header() {
    let server = TestServer::start().await;
    let huge = png_declaring(50_000, 50_000);
    assert!(huge.len() < 100, "a small file: {} bytes", huge.len());
    for purpose in [None, Some("photo"), Some("letter")] {
        let started = Instant::now();
        let response = match purpose {
            None => server.upload(huge.clone()).await,
            Some(purpose) => server.upload_for(purpose, huge.clone()).await,
        };
        let body = problem(response, 422, "attachment.too_many_pixels").await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "answered in {:?}",
            started.elapsed()
        );
        assert_eq!(body["errors"][0]["code"], "attachment.too_many_pixels");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("40 million pixels"),
            "{body}"
        );
    }
    // 8000 × 5000 is exactly 40 megapixels: the header passes the limit.
    let limit = png_declaring(8000, 5000);
    let response = server.upload(limit).await;
    assert_ne!(
        response.json::<Value>().await.unwrap()["code"],
        "attachment.too_many_pixels"
    );
}

#[tokio::test]
async fn photos_are_held_to_the_badge_photo_rules_of_the_model() {
    let server = TestServer::start().await;
    let small = problem(
        server.upload_for("photo", png_photo(200, 200)).await,
        422,
        "photo.too_small",
    )
    .await;
    assert_eq!(small["errors"][0]["code"], "photo.too_small");
    assert_eq!(small["errors"][0]["params"]["width"], "200");
    assert_eq!(
        small["detail"],
        "The photo must be at least 400 × 500 pixels (this one is 200 × 200)."
    );
    let landscape = problem(
        server.upload_for("photo", jpeg_photo(800, 600)).await,
        422,
        "photo.not_portrait",
    )
    .await;
    assert!(
        landscape["detail"]
            .as_str()
            .unwrap()
            .contains("portrait orientation"),
        "{landscape}"
    );
    // A PDF is no photo.
    problem(
        server.upload_for("photo", pdf()).await,
        422,
        "attachment.wrong_type",
    )
    .await;
    problem(
        server.upload_for("selfie", png_photo(600, 800)).await,
        400,
        "attachment.unknown_purpose",
    )
    .await;

    let id = server.upload_ok_for("photo", jpeg_photo(600, 800)).await;
    let stored = server
        .get_as(&server.token(), &format!("/attachments/{id}"))
        .await
        .bytes()
        .await
        .unwrap();
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (600, 800));
    // The minimum itself passes; a landscape scan is a fine letter.
    server.upload_ok_for("photo", png_photo(400, 500)).await;
    server.upload_ok_for("letter", jpeg_photo(800, 600)).await;
}

#[tokio::test]
async fn a_registration_holds_its_photo_to_the_rules_whatever_the_upload_said() {
    let server = TestServer::start().await;
    let small = server.upload_ok(png_photo(200, 200)).await;
    let landscape = server.upload_ok_for("letter", jpeg_photo(800, 600)).await;
    let mut body = delegation(
        "PK",
        vec![
            member("head_of_delegation", "Imran", "Ahmed", "DP1234567"),
            member("delegate", "Sara", "Malik", "DP7654321"),
        ],
    );
    body["members"][0]["photo"] = json!(small);
    body["members"][1]["photo"] = json!(landscape);
    let refused = problem(server.register(&body).await, 422, "validation.failed").await;
    let errors = refused["errors"].as_array().unwrap();
    let code_at = |path: &str| {
        errors
            .iter()
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {errors:?}"))["code"]
            .clone()
    };
    assert_eq!(code_at("members[0].photo"), "photo.too_small");
    assert_eq!(code_at("members[1].photo"), "photo.not_portrait");

    body["members"][0]["photo"] = json!(server.upload_ok(png_photo(600, 800)).await);
    body["members"][1]["photo"] = json!(server.upload_ok(jpeg_photo(450, 600)).await);
    assert_eq!(server.register(&body).await.status(), 201);
}

/// The chunk types of a PNG, in order: a reader written for the test,
/// independent of the server's stripper.
fn png_chunks(data: &[u8]) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut pos = 8;
    while let Some(header) = data.get(pos..pos + 8) {
        let len = u32::from_be_bytes(header[..4].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&header[4..8]).into_owned());
        pos += 12 + len;
    }
    chunks
}

/// The marker and the first bytes of every JPEG segment before the image
/// data: a reader written for the test.
fn jpeg_segments(data: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut segments = Vec::new();
    let mut pos = 2;
    while data.get(pos) == Some(&0xFF) {
        let marker = data[pos + 1];
        let len = usize::from(u16::from_be_bytes([data[pos + 2], data[pos + 3]]));
        let payload = &data[pos + 4..pos + 2 + len];
        segments.push((marker, payload[..payload.len().min(14)].to_vec()));
        if marker == 0xDA {
            break;
        }
        pos += 2 + len;
    }
    segments
}

fn decoded_pixels(data: &[u8]) -> image::RgbImage {
    image::load_from_memory(data)
        .expect("the image decodes")
        .to_rgb8()
}

/// An indexed PNG made by the `png` encoder with its colour chunks, text
/// in the three text chunks, EXIF with a GPS tag, a timestamp, a pixel
/// density, a private chunk and a C2PA manifest chunk.
fn png_indexed_with_every_kind_of_metadata() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 16, 16);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(vec![0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    encoder.set_trns(vec![0u8, 255, 255, 128]);
    encoder.set_source_gamma(png::ScaledFloat::new(0.5));
    encoder.set_source_chromaticities(png::SourceChromaticities::new(
        (0.3127, 0.3290),
        (0.64, 0.33),
        (0.30, 0.60),
        (0.15, 0.06),
    ));
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: 2835,
        yppu: 2835,
        unit: png::Unit::Meter,
    }));
    encoder
        .add_text_chunk("Author".into(), "Jane Doe".into())
        .unwrap();
    encoder
        .add_ztxt_chunk("Comment".into(), "GPS 33.6844N".into())
        .unwrap();
    encoder
        .add_itxt_chunk("Description".into(), "camera serial 12345".into())
        .unwrap();
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_chunk(png::chunk::eXIf, b"MM\0*\0\0\0\x08GPSLatitude 33.6844N")
        .unwrap();
    writer
        .write_chunk(png::chunk::tIME, &[7, 234, 4, 1, 12, 0, 0])
        .unwrap();
    writer
        .write_chunk(png::chunk::ChunkType(*b"prVt"), b"private vendor data")
        .unwrap();
    writer
        .write_chunk(png::chunk::ChunkType(*b"caBX"), b"jumb c2pa manifest")
        .unwrap();
    let pixels: Vec<u8> = (0..256u32).map(|i| (i % 4) as u8).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// An RGB PNG with an ICC profile (or the sRGB chunk) and a private chunk.
fn png_rgb(srgb: bool) -> Vec<u8> {
    let mut info = png::Info::with_size(16, 16);
    info.color_type = png::ColorType::Rgb;
    info.bit_depth = png::BitDepth::Eight;
    if srgb {
        info.srgb = Some(png::SrgbRenderingIntent::Perceptual);
    } else {
        info.icc_profile = Some(b"a colour profile".to_vec().into());
    }
    let mut out = Vec::new();
    let encoder = png::Encoder::with_info(&mut out, info).unwrap();
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_chunk(png::chunk::ChunkType(*b"prVt"), b"private vendor data")
        .unwrap();
    let pixels: Vec<u8> = (0..16 * 16 * 3).map(|i| (i * 7 % 256) as u8).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A 600 × 800 JPEG from the `image` encoder, its JFIF header given a
/// thumbnail, with an EXIF block (orientation 6 and a GPS position), XMP,
/// a JFXX thumbnail, a Photoshop block and a comment, plus the ICC and
/// Adobe segments that must stay.
fn jpeg_with_every_kind_of_metadata() -> Vec<u8> {
    let plain = jpeg_photo(600, 800);
    assert_eq!(&plain[2..4], &[0xFF, 0xE0], "the encoder writes JFIF first");
    let jfif_len = usize::from(u16::from_be_bytes([plain[4], plain[5]]));
    let rest = &plain[4 + jfif_len..];

    let mut jfif = b"JFIF\0\x01\x02\0\0\x48\0\x48\x02\x01".to_vec();
    jfif.extend_from_slice(b"THUMB!"); // a 2 × 1 thumbnail, RGB
    let mut exif = b"Exif\0\0II\x2a\0\x08\0\0\0".to_vec();
    exif.extend_from_slice(&2u16.to_le_bytes());
    exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation 6
    exif.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0]); // GPSInfo
    exif.extend_from_slice(&[0, 0, 0, 0]);
    exif.extend_from_slice(b"GPSLatitude 33.6844N");
    let mut jfxx = b"JFXX\0\x13\x02\x01".to_vec();
    jfxx.extend_from_slice(b"JFXXTHUMB");

    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, &jfif));
    j.extend(segment(0xE0, &jfxx));
    j.extend(segment(0xE1, &exif));
    j.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Creator: Jane Doe</x:xmpmeta>",
    ));
    j.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01a colour profile"));
    j.extend(segment(0xED, b"Photoshop 3.0\08BIM caption Jane Doe"));
    j.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
    j.extend(segment(0xFE, b"taken by Jane Doe"));
    j.extend_from_slice(rest);
    j
}

#[tokio::test]
async fn png_keeps_only_the_chunks_on_the_allow_list() {
    let server = TestServer::start().await;
    let token = server.token();
    let cases = [
        (
            png_indexed_with_every_kind_of_metadata(),
            &["IHDR", "gAMA", "cHRM", "PLTE", "tRNS", "IDAT", "IEND"][..],
        ),
        (png_rgb(false), &["IHDR", "iCCP", "IDAT", "IEND"][..]),
        (png_rgb(true), &["IHDR", "sRGB", "IDAT", "IEND"][..]),
    ];
    for (input, kept) in cases {
        let before = png_chunks(&input);
        assert!(before.iter().any(|c| c == "prVt"), "{before:?}");
        let id = server.upload_ok(input.clone()).await;
        let stored = server
            .get_as(&token, &format!("/attachments/{id}"))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(png_chunks(&stored), kept, "from {before:?}");
        for secret in [&b"Jane"[..], b"GPS", b"private vendor", b"c2pa", b"serial"] {
            assert!(!contains(&stored, secret));
        }
        assert_eq!(decoded_pixels(&stored), decoded_pixels(&input));
    }
    // The first case carried every kind of metadata to begin with.
    let before = png_chunks(&png_indexed_with_every_kind_of_metadata());
    for dropped in [
        "tEXt", "zTXt", "iTXt", "eXIf", "tIME", "pHYs", "prVt", "caBX",
    ] {
        assert!(
            before.iter().any(|c| c == dropped),
            "{dropped} in {before:?}"
        );
    }
}

#[tokio::test]
async fn jpeg_keeps_jfif_icc_adobe_and_the_orientation_only() {
    let server = TestServer::start().await;
    let input = jpeg_with_every_kind_of_metadata();
    let id = server.upload_ok(input.clone()).await;
    let stored = server
        .get_as(&server.token(), &format!("/attachments/{id}"))
        .await
        .bytes()
        .await
        .unwrap();
    for secret in [
        &b"Jane"[..],
        b"GPS",
        b"xmpmeta",
        b"JFXX",
        b"THUMB",
        b"Photoshop",
    ] {
        assert!(
            !contains(&stored, secret),
            "{}",
            String::from_utf8_lossy(secret)
        );
    }
    let app = |segments: &[(u8, Vec<u8>)]| -> Vec<(u8, Vec<u8>)> {
        segments
            .iter()
            .filter(|(m, _)| (0xE0..=0xEF).contains(m))
            .cloned()
            .collect()
    };
    let kept = app(&jpeg_segments(&stored));
    let names: Vec<(u8, &[u8])> = kept
        .iter()
        .map(|(m, p)| (*m, &p[..p.len().min(5)]))
        .collect();
    assert_eq!(
        names,
        [
            (0xE0, &b"JFIF\0"[..]),
            (0xE2, b"ICC_P"),
            (0xEE, b"Adobe"),
            (0xE1, b"Exif\0")
        ],
        "{kept:?}"
    );
    // The JFIF header is whole, its thumbnail gone (0 × 0).
    assert_eq!(kept[0].1, b"JFIF\0\x01\x02\0\0\x48\0\x48\0\0");
    // The orientation survives, read by another decoder.
    let orientation = |data: &[u8]| {
        use image::ImageDecoder;
        image::ImageReader::new(std::io::Cursor::new(data))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap()
            .orientation()
            .unwrap()
    };
    assert_eq!(orientation(&input), image::metadata::Orientation::Rotate90);
    assert_eq!(orientation(&stored), image::metadata::Orientation::Rotate90);
    assert_eq!(decoded_pixels(&stored), decoded_pixels(&input));
    assert_eq!(decoded_pixels(&stored).dimensions(), (600, 800));
}

fn catalog_mut(doc: &mut lopdf::Document) -> &mut lopdf::Dictionary {
    doc.catalog_mut().unwrap()
}

fn first_page(doc: &lopdf::Document) -> lopdf::ObjectId {
    *doc.get_pages().values().next().unwrap()
}

#[tokio::test]
async fn pdf_letters_lose_their_metadata_and_still_parse() {
    use lopdf::{Object, Stream, dictionary};
    let server = TestServer::start().await;
    let mut doc = letter_document();
    let info = doc.add_object(dictionary! {
        "Author" => Object::string_literal("Jane Doe"),
        "Creator" => Object::string_literal("Ministry Word Processor"),
        "Producer" => Object::string_literal("PDF Maker 9"),
    });
    doc.trailer.set("Info", info);
    let xmp = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        b"<x:xmpmeta><dc:creator>Jane Doe</dc:creator></x:xmpmeta>".to_vec(),
    ));
    catalog_mut(&mut doc).set("Metadata", xmp);
    let input = pdf_bytes(&mut doc);
    assert!(contains(&input, b"Jane Doe") && contains(&input, b"xmpmeta"));

    let id = server.upload_ok_for("letter", input).await;
    let download = server
        .get_as(&server.token(), &format!("/attachments/{id}"))
        .await;
    assert_eq!(download.headers()["content-type"], "application/pdf");
    let stored = download.bytes().await.unwrap();
    for secret in [&b"Jane"[..], b"Ministry Word", b"PDF Maker", b"xmpmeta"] {
        assert!(
            !contains(&stored, secret),
            "{}",
            String::from_utf8_lossy(secret)
        );
    }
    let read = lopdf::Document::load_mem(&stored).expect("the stored letter parses");
    assert!(!read.trailer.has(b"Info"));
    assert!(!read.catalog().unwrap().has(b"Metadata"));
    assert_eq!(read.get_pages().len(), 1);
    let content = read.get_page_content(first_page(&read));
    assert!(contains(&content, b"Note verbale No. 123/2027"));
}

#[tokio::test]
async fn pdf_letters_with_active_content_or_encryption_are_refused() {
    use lopdf::{Object, Stream, dictionary};
    let server = TestServer::start().await;

    let mut javascript = letter_document();
    let action = javascript.add_object(dictionary! {
        "S" => "JavaScript", "JS" => Object::string_literal("app.alert('hi')"),
    });
    catalog_mut(&mut javascript).set("OpenAction", action);

    let mut launch = letter_document();
    let page = first_page(&launch);
    let link = launch.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link",
        "Rect" => vec![0.into(), 0.into(), 100.into(), 100.into()],
        "A" => dictionary! { "S" => "Launch", "F" => Object::string_literal("calc.exe") },
    });
    launch
        .get_object_mut(page)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Annots", vec![link.into()]);

    let mut embedded = letter_document();
    let file = embedded.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile" },
        b"MZ payload".to_vec(),
    ));
    let spec = embedded.add_object(dictionary! {
        "Type" => "Filespec", "F" => Object::string_literal("payload.exe"),
        "EF" => dictionary! { "F" => file },
    });
    catalog_mut(&mut embedded).set(
        "Names",
        dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal("payload.exe"), spec.into()],
            },
        },
    );

    let mut opens_a_site = letter_document();
    catalog_mut(&mut opens_a_site).set(
        "OpenAction",
        dictionary! { "S" => "URI", "URI" => Object::string_literal("http://example.org/") },
    );

    let cases = [
        (pdf_bytes(&mut javascript), "pdf.javascript", "JavaScript"),
        (pdf_bytes(&mut launch), "pdf.launch", "another program"),
        (
            pdf_bytes(&mut embedded),
            "pdf.embedded_files",
            "other files",
        ),
        (
            pdf_bytes(&mut opens_a_site),
            "pdf.open_action",
            "when it is opened",
        ),
        (encrypted(""), "pdf.encrypted", "password-protected"),
        (encrypted("secret"), "pdf.encrypted", "password-protected"),
    ];
    for (input, code, phrase) in cases {
        let body = problem(server.upload_for("letter", input.clone()).await, 422, code).await;
        assert_eq!(body["errors"][0]["code"], code);
        assert!(body["detail"].as_str().unwrap().contains(phrase), "{body}");
        // Without a purpose too.
        problem(server.upload(input).await, 422, code).await;
    }

    // Opening on a page at a zoom runs nothing: accepted, and dropped.
    let mut goes_to_page = letter_document();
    let page = first_page(&goes_to_page);
    catalog_mut(&mut goes_to_page).set("OpenAction", vec![page.into(), "Fit".into()]);
    let id = server
        .upload_ok_for("letter", pdf_bytes(&mut goes_to_page))
        .await;
    let stored = server
        .get_as(&server.token(), &format!("/attachments/{id}"))
        .await
        .bytes()
        .await
        .unwrap();
    let read = lopdf::Document::load_mem(&stored).unwrap();
    assert!(!read.catalog().unwrap().has(b"OpenAction"));
    assert_eq!(read.get_pages().len(), 1);
}

/// The letter encrypted with RC4 (128 bits) and the given user password.
fn encrypted(user_password: &str) -> Vec<u8> {
    use lopdf::{EncryptionState, EncryptionVersion, Object, Permissions};
    let mut doc = letter_document();
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ],
    );
    let state = EncryptionState::try_from(EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: Permissions::default(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let bytes = pdf_bytes(&mut doc);
    assert!(contains(&bytes, b"/Encrypt"));
    bytes
}
