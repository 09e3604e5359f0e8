//! The folders and files that hold personal data are the server's user's
//! alone: folders 0700, files 0600.
//!
//! The modes are set explicitly after creating, not left to the process's
//! umask: a umask of 022 (the usual default) would leave the database
//! readable by every user of the machine, and SQLite creates its files
//! 0644. SQLite gives the `-wal` and `-shm` files it creates the mode of
//! the database file, so a database created 0600 keeps its companions
//! 0600 too. Elsewhere than unix nothing is done: access there is governed
//! by the folder's access-control list.

use std::io;
use std::path::Path;

/// Creates `dir` (and its missing parents) and makes it 0700, also when it
/// was there already: it is the server's own folder.
pub fn folder(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Creates the database file if it is missing, empty and 0600, so that
/// SQLite opens it rather than creating it with its own mode, and makes an
/// existing one (and its `-wal` and `-shm` files, if any) 0600.
pub fn database(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    drop(options.open(path)?);
    set_mode(path, 0o600)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        match set_mode(Path::new(&companion), 0o600) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(path: &Path, _mode: u32) -> io::Result<()> {
    std::fs::metadata(path).map(drop)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn existing_files_and_folders_are_made_private() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        folder(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);

        let db = dir.join("accredit.sqlite3");
        let wal = dir.join("accredit.sqlite3-wal");
        for file in [&db, &wal] {
            std::fs::write(file, b"").unwrap();
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        database(&db).unwrap();
        assert_eq!((mode(&db), mode(&wal)), (0o600, 0o600));
        assert!(!dir.join("accredit.sqlite3-shm").exists());
    }
}
