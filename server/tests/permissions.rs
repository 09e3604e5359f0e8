//! The data folder and the database are the server's user's alone, whatever
//! the umask. A test binary of its own: the umask is the whole process's.

#![cfg(unix)]

#[allow(dead_code)]
#[path = "api/common.rs"]
mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
// The workspace denies unsafe code; setting the umask is a foreign call.
#[allow(unsafe_code)]
async fn the_database_and_its_folders_are_private_even_with_an_open_umask() {
    // A umask that takes nothing away: every mode below is the server's own.
    // SAFETY: umask has no memory effects; this binary runs this test only.
    unsafe { libc::umask(0) };
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let settings_dir = data.clone();
    let server = TestServer::with(move |s| s.data_dir = settings_dir).await;
    server.upload_ok(png_photo(600, 800)).await;
    server.upload_ok(pdf()).await;
    // The confirmation goes to the outbox folder as an .eml file.
    assert_eq!(server.register(&registration()).await.status(), 201);
    let outbox = data.join("outbox");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let message = loop {
        let found = std::fs::read_dir(&outbox)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "eml"));
        if let Some(path) = found {
            break path;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no .eml file in the outbox within 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(mode(&message), 0o600, "{}", message.display());
    let text = std::fs::read_to_string(&message).unwrap();
    assert!(
        text.contains("a.khan@example.pk"),
        "the whole message: {text}"
    );

    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&data.join("outbox")), 0o700, "the outbox folder");
    for file in [
        "accredit.sqlite3",
        "accredit.sqlite3-wal",
        "accredit.sqlite3-shm",
        "secret.key",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    // Nothing else is there: attachments live in the database, not on disk.
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "accredit.sqlite3",
            "accredit.sqlite3-shm",
            "accredit.sqlite3-wal",
            "outbox",
            "secret.key"
        ]
    );
}
