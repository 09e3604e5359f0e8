//! `POST /events/{event}/attachments` and their use in registrations.

use crate::common::*;
use accredit_server::Settings;
use serde_json::{Value, json};

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
    let photo = server.upload_ok(jpeg_with_metadata()).await;
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
