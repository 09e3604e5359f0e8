//! The release build's manifest against the files themselves, with
//! OpenSSL and gzip as the oracles: every file listed exists with the size
//! and the SHA-384 (SRI) the manifest gives, its precompressed copies are
//! the sizes given and the gzip one holds the same bytes, the demo pages pin
//! their loaders with the right hashes, and the loader names only files
//! that exist.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn dist() -> PathBuf {
    accredit_e2e::env_path("ACCREDIT_DIST")
}

fn manifest() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(dist().join("manifest.json")).expect("dist/manifest.json");
    let json: Value = serde_json::from_str(&text).expect("the manifest is JSON");
    json["files"].as_object().expect("a files object").clone()
}

/// `sha384-<base64>` of `path`, computed by the `openssl` command.
fn sri_by_openssl(path: &Path) -> String {
    let digest = Command::new("openssl")
        .args(["dgst", "-sha384", "-binary"])
        .arg(path)
        .output()
        .expect("openssl runs");
    assert!(digest.status.success());
    let mut base64 = Command::new("openssl")
        .args(["base64", "-A"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("openssl base64 runs");
    base64
        .stdin
        .take()
        .unwrap()
        .write_all(&digest.stdout)
        .unwrap();
    let encoded = base64.wait_with_output().unwrap();
    format!(
        "sha384-{}",
        String::from_utf8(encoded.stdout).unwrap().trim()
    )
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

#[test]
fn every_file_matches_its_size_and_integrity() {
    let files = manifest();
    assert!(files.len() >= 10, "the manifest lists the build: {files:?}");
    for (name, entry) in &files {
        let path = dist().join(name);
        assert_eq!(Some(size(&path)), entry["bytes"].as_u64(), "{name}: bytes");
        assert_eq!(
            Some(sri_by_openssl(&path).as_str()),
            entry["integrity"].as_str(),
            "{name}: integrity"
        );
        let br = dist().join(format!("{name}.br"));
        let gz = dist().join(format!("{name}.gz"));
        assert_eq!(Some(size(&br)), entry["brotli"].as_u64(), "{name}: brotli");
        assert_eq!(Some(size(&gz)), entry["gzip"].as_u64(), "{name}: gzip");
        let unzipped = Command::new("gzip")
            .arg("-dc")
            .arg(&gz)
            .output()
            .expect("gzip runs");
        assert!(unzipped.status.success(), "{name}.gz is gzip");
        assert!(
            unzipped.stdout == std::fs::read(&path).unwrap(),
            "{name}.gz holds the same bytes"
        );
    }
}

#[test]
fn pages_pin_their_loaders_and_the_loader_names_existing_files() {
    let files = manifest();
    for (page, loader) in [
        ("index.html", "accredit.js"),
        ("organiser.html", "accredit-organiser.js"),
    ] {
        let html = std::fs::read_to_string(dist().join(page)).unwrap();
        let sri = sri_by_openssl(&dist().join(loader));
        assert!(
            html.contains(&format!("src=\"{loader}\" integrity=\"{sri}\"")),
            "{page} pins {loader} with its hash"
        );
    }
    let loader = std::fs::read_to_string(dist().join("accredit.js")).unwrap();
    // Every content-hashed file name the loader mentions is in the build.
    let mut named = 0;
    for word in loader.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))) {
        let hashed = word
            .rsplit_once('.')
            .and_then(|(stem, _)| stem.rsplit_once('-'))
            .is_some_and(|(_, hash)| {
                hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())
            });
        if hashed && word.starts_with(['a', 'i']) {
            named += 1;
            assert!(
                files.contains_key(word),
                "the loader names {word}, which is not built"
            );
        }
    }
    assert!(
        named >= 3,
        "the loader names its glue, module and catalogues"
    );
}
