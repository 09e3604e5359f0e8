//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Each migration runs in its own `BEGIN IMMEDIATE` transaction together
//! with the version bump, so a crash leaves the schema at one version or
//! the next, never in between. Migrations are append-only: a released one
//! is never edited.

use rusqlite::{Connection, TransactionBehavior};

/// Migration `n` (1-based) brings the schema from version `n - 1` to `n`.
pub const MIGRATIONS: &[&str] = &[
    // 1: registrations, idempotency records, attachments, audit trail, tokens.
    r"
    CREATE TABLE registrations (
        id          TEXT PRIMARY KEY,
        event       TEXT NOT NULL,
        reference   TEXT NOT NULL,
        status      TEXT NOT NULL,
        payload     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        UNIQUE (event, reference)
    );
    CREATE INDEX registrations_by_event ON registrations (event, created_at);

    CREATE TABLE idempotency (
        event           TEXT NOT NULL,
        key             TEXT NOT NULL,
        body_hash       BLOB NOT NULL,
        status          INTEGER NOT NULL,
        response        TEXT NOT NULL,
        registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (event, key)
    ) WITHOUT ROWID;
    CREATE INDEX idempotency_by_registration ON idempotency (registration_id);

    CREATE TABLE attachments (
        id              TEXT PRIMARY KEY,
        event           TEXT NOT NULL,
        media_type      TEXT NOT NULL,
        size            INTEGER NOT NULL,
        data            BLOB NOT NULL,
        registration_id TEXT REFERENCES registrations (id) ON DELETE CASCADE,
        created_at      INTEGER NOT NULL
    );
    CREATE INDEX attachments_by_event ON attachments (event);
    CREATE INDEX attachments_by_registration ON attachments (registration_id);
    CREATE INDEX attachments_unused ON attachments (created_at) WHERE registration_id IS NULL;

    CREATE TABLE audit (
        seq             INTEGER PRIMARY KEY,
        registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        at              INTEGER NOT NULL,
        actor_token     TEXT NOT NULL,
        actor_label     TEXT NOT NULL,
        from_status     TEXT NOT NULL,
        to_status       TEXT NOT NULL,
        note            TEXT NOT NULL
    );
    CREATE INDEX audit_by_registration ON audit (registration_id, seq);

    CREATE TABLE tokens (
        id          TEXT PRIMARY KEY,
        event       TEXT NOT NULL,
        label       TEXT NOT NULL,
        hash        BLOB NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL
    );
    CREATE INDEX tokens_by_event ON tokens (event);
    ",
];

/// Brings the database to the latest version. Refuses a database written
/// by a newer server rather than guessing at its schema.
pub fn migrate(conn: &mut Connection) -> Result<u32, String> {
    let latest = MIGRATIONS.len() as u32;
    let current: u32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if current > latest {
        return Err(format!(
            "the database has schema version {current}, newer than this server's {latest}; \
             upgrade the server"
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as u32 + 1;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        tx.execute_batch(sql)
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.pragma_update(None, "user_version", version)
            .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
    }
    Ok(latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_refuses_newer_databases() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() as u32);
        // Running again is a no-op.
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() as u32);
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(migrate(&mut conn).unwrap_err().contains("newer"));
    }
}
