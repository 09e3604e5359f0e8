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
