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
    // 2: the lifecycle after submission. Every version of a payload is
    // kept; a registration knows its current version, the one an organiser
    // last decided on, and the hash of its manage token; the outbox holds
    // each message from the transaction of the change that caused it until
    // it is delivered.
    r"
    ALTER TABLE registrations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE registrations ADD COLUMN reviewed_version INTEGER;
    ALTER TABLE registrations ADD COLUMN manage_generation INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE registrations ADD COLUMN manage_hash BLOB;
    CREATE UNIQUE INDEX registrations_by_manage_hash ON registrations (manage_hash)
        WHERE manage_hash IS NOT NULL;
    UPDATE registrations SET reviewed_version = 1 WHERE status <> 'pending';

    CREATE TABLE versions (
        registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        version         INTEGER NOT NULL,
        payload         TEXT NOT NULL,
        at              INTEGER NOT NULL,
        author          TEXT NOT NULL,
        PRIMARY KEY (registration_id, version)
    ) WITHOUT ROWID;
    INSERT INTO versions (registration_id, version, payload, at, author)
        SELECT id, 1, payload, created_at, 'focal_point' FROM registrations;

    CREATE TABLE outbox (
        id              TEXT PRIMARY KEY,
        registration_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        kind            TEXT NOT NULL,
        message_id      TEXT NOT NULL UNIQUE,
        to_name         TEXT NOT NULL,
        to_email        TEXT NOT NULL,
        language        TEXT NOT NULL,
        subject         TEXT NOT NULL,
        text_body       TEXT NOT NULL,
        html_body       TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        sent_at         INTEGER,
        failed_at       INTEGER,
        last_error      TEXT
    );
    CREATE INDEX outbox_by_registration ON outbox (registration_id, created_at);
    CREATE INDEX outbox_due ON outbox (next_attempt_at)
        WHERE sent_at IS NULL AND failed_at IS NULL;
    ",
    // 3: organiser tokens expire. Tokens created before expiries existed
    // get the default lifetime (90 days) from their creation, so an old,
    // forgotten token stops working rather than living for ever.
    r"
    ALTER TABLE tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
    UPDATE tokens SET expires_at = created_at + 90 * 86400;
    ",
    // 4: upload quotas. An unclaimed attachment knows the client address it
    // came from (as the rate limiter keys it), so each address's unclaimed
    // bytes can be summed; the claim clears it, so no registration keeps
    // its uploader's address. Uploads from before have none and count only
    // towards their event's total.
    r"
    ALTER TABLE attachments ADD COLUMN client TEXT;
    CREATE INDEX attachments_unclaimed_by_client ON attachments (client, created_at)
        WHERE registration_id IS NULL;
    CREATE INDEX attachments_unclaimed_by_event ON attachments (event)
        WHERE registration_id IS NULL;
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
        // Another process (a second server, `token create`) may have
        // migrated while this one waited for the write lock: read the
        // version again under the lock.
        let now: u32 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| e.to_string())?;
        if now >= version {
            continue;
        }
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
        // A second connection that read the old version before the first
        // migrated finds the work done under the lock.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut a = Connection::open(&path).unwrap();
        let mut b = Connection::open(&path).unwrap();
        for c in [&a, &b] {
            c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        }
        let threads = [
            std::thread::spawn(move || migrate(&mut a)),
            std::thread::spawn(move || migrate(&mut b)),
        ];
        for thread in threads {
            assert_eq!(thread.join().unwrap().unwrap(), MIGRATIONS.len() as u32);
        }
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert!(migrate(&mut conn).unwrap_err().contains("newer"));
    }
}
