//! Retention: personal data goes after the event, unused uploads after a day.

use crate::common::*;
use accredit_model::Date;
use accredit_server::security::Actor;
use accredit_server::storage::Storage;
use accredit_server::{events, purge};

#[tokio::test]
async fn personal_data_is_deleted_after_the_retention_period() {
    let server = TestServer::start().await;
    let photo = server.upload_ok(jpeg_photo(600, 800)).await;
    let token = server.token();
    server.token_for("another-event");
    let mut body = registration();
    body["members"][0]["photo"] = serde_json::json!(photo);
    assert_eq!(server.register(&body).await.status(), 201);
    let unused = server.upload_ok(pdf()).await;
    let storage = server.storage();
    let events = events::demo();

    // The day before the deletion date nothing goes; uploads are fresh.
    let deletion = purge::deletion_date(&events[EVENT]);
    assert_eq!(deletion, Date::new(2027, 7, 21).unwrap());
    let report = purge::run(
        &storage,
        &events,
        deletion.add_days(-1),
        server.clock.now(),
        Actor::Server,
    )
    .unwrap();
    assert_eq!(report, purge::Report::default());
    assert!(storage.attachment(EVENT, &unused).unwrap().is_some());

    // A day later the unused upload expires; the used one stays.
    let report = purge::run(
        &storage,
        &events,
        deletion.add_days(-1),
        server.clock.now() + 24 * 3600 + 1,
        Actor::Server,
    )
    .unwrap();
    assert_eq!(report.expired_attachments, 1);
    assert!(storage.attachment(EVENT, &unused).unwrap().is_none());
    assert!(storage.attachment(EVENT, &photo).unwrap().is_some());

    let report = purge::run(
        &storage,
        &events,
        deletion,
        server.clock.now(),
        Actor::Server,
    )
    .unwrap();
    assert_eq!(report.events.len(), 1);
    assert_eq!(report.events[0].1.registrations, 1);
    assert_eq!(report.events[0].1.attachments, 1);
    assert_eq!(
        report.events[0].1.tokens, 1,
        "the event's organiser token goes too"
    );
    assert!(storage.tokens(EVENT).unwrap().is_empty());
    assert_eq!(
        storage.tokens("another-event").unwrap().len(),
        1,
        "another event's token stays"
    );
    problem(
        server.get_as(&token, "/registrations").await,
        401,
        "auth.invalid_token",
    )
    .await;
    assert!(storage.registrations(EVENT).unwrap().is_empty());
    assert!(storage.attachment(EVENT, &photo).unwrap().is_none());

    // Deleted means gone from the file too (secure_delete, WAL truncated).
    let db = std::fs::read(server.data_dir.path().join("accredit.sqlite3")).unwrap();
    let wal =
        std::fs::read(server.data_dir.path().join("accredit.sqlite3-wal")).unwrap_or_default();
    for file in [&db, &wal] {
        assert!(
            !contains(file, b"DP1234567"),
            "passport number left on disk"
        );
        assert!(!contains(file, b"a.khan@example.pk"), "e-mail left on disk");
    }
}

#[test]
fn the_purge_command_runs() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
        .args(["purge", "--today", "2027-03-02", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("unused attachments deleted: 0"), "{text}");
    assert!(
        text.contains("islamabad-tip-som: personal data will be deleted on 2027-07-21"),
        "{text}"
    );
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[tokio::test]
async fn a_purge_shrinks_the_file_and_empties_the_wal() {
    let server = TestServer::start().await;
    // Enough photos that their pages are most of the file.
    for n in 0..6 {
        let mut body = registration();
        for (i, member) in body["members"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            member["photo"] = serde_json::json!(
                server
                    .upload_ok_for("photo", jpeg_photo(600 + n, 800 + i as u32))
                    .await
            );
        }
        body["members"][0]["identity_document"]["number"] = serde_json::json!(format!("DP{n:07}"));
        body["focal_point"]["email"] = serde_json::json!(format!("fp{n}@example.pk"));
        assert_eq!(server.register(&body).await.status(), 201);
    }
    let db = server.data_dir.path().join("accredit.sqlite3");
    let wal = server.data_dir.path().join("accredit.sqlite3-wal");
    // Everything in the database file, for a fair "before".
    let conn = rusqlite::Connection::open(&db).unwrap();
    let auto_vacuum: i64 = conn
        .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
        .unwrap();
    assert_eq!(auto_vacuum, 2, "incremental auto_vacuum");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let before = file_size(&db);

    let storage = server.storage();
    let events = events::demo();
    let deletion = purge::deletion_date(&events[EVENT]);
    let report = purge::run(
        &storage,
        &events,
        deletion,
        server.clock.now(),
        Actor::Server,
    )
    .unwrap();
    assert_eq!(report.events[0].1.registrations, 6);
    let after = file_size(&db);
    assert_eq!(file_size(&wal), 0, "the WAL is truncated (or gone)");
    assert!(
        after * 2 < before,
        "the database file shrank: {before} bytes before, {after} after"
    );
}

#[tokio::test]
async fn an_event_removed_from_the_configuration_is_purged_after_a_month() {
    let server = TestServer::start().await;
    assert_eq!(server.register(&registration()).await.status(), 201);
    server.token();
    let storage = server.storage();
    let events = events::Events::new();
    let now = server.clock.now();

    // A configuration without the event (a mistake, perhaps): kept a while.
    let report = purge::run(
        &storage,
        &events,
        test_today(),
        now + 29 * 86_400,
        Actor::Server,
    )
    .unwrap();
    assert!(report.events.is_empty(), "{report:?}");
    assert_eq!(storage.registrations(EVENT).unwrap().len(), 1);

    let report = purge::run(
        &storage,
        &events,
        test_today(),
        now + 31 * 86_400,
        Actor::Server,
    )
    .unwrap();
    assert_eq!(report.events.len(), 1, "{report:?}");
    assert_eq!(report.events[0].0, EVENT);
    assert_eq!(report.events[0].1.registrations, 1);
    assert_eq!(report.events[0].1.tokens, 1);
    assert!(storage.registrations(EVENT).unwrap().is_empty());
    assert!(storage.tokens(EVENT).unwrap().is_empty());
    assert!(storage.stored_events().unwrap().is_empty());
}
