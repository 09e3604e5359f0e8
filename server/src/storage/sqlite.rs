//! SQLite storage: one file in the data directory, WAL journal,
//! `synchronous=FULL`.
//!
//! With `synchronous=FULL` a transaction is on disk (WAL fsynced) before
//! `COMMIT` returns, so a 201 is only sent for a registration that survives
//! a crash or power loss.
//!
//! All writes go to one dedicated writer thread that owns the only write
//! connection (group commit). It takes every write waiting in its queue,
//! up to [`MAX_BATCH`], runs each in its own savepoint inside one
//! `BEGIN IMMEDIATE` transaction, commits once, and only then answers each
//! caller. Under load many registrations share one fsync; a write that
//! fails rolls back to its savepoint without touching the others; if the
//! commit fails, every write of the batch fails and nothing of it is
//! stored. `BEGIN IMMEDIATE` takes the write lock up front, and the busy
//! timeout covers other processes (`accredit-server purge`, `token create`)
//! writing meanwhile.
//!
//! The queue in front of the writer is bounded ([`DEFAULT_WRITE_QUEUE`]
//! unless configured): a write from a request that finds it full is
//! refused at once with [`StorageError::Overloaded`], before anything is
//! queued, so a flood of requests cannot grow memory without bound and the
//! client is told to come back. Background writes (deliveries, purges)
//! wait for room instead.
//!
//! Reads use a small pool of read-only connections, which WAL lets run
//! alongside the writer. `secure_delete` overwrites deleted rows, so purged
//! personal data does not linger in free pages of the file.

use super::migrations;
use super::*;
use accredit_model::review::Status;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// The database file inside the data directory.
pub const FILE_NAME: &str = "accredit.sqlite3";

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const IDLE_READERS: usize = 4;
/// Most writes committed together.
pub const MAX_BATCH: usize = 64;

/// Writes that may wait for the writer: four full batches. Under a burst
/// the writer drains it within a few commits; past it, requests are
/// answered 503 rather than held in memory.
pub const DEFAULT_WRITE_QUEUE: usize = 4 * MAX_BATCH;

pub struct Sqlite {
    path: PathBuf,
    writer: Option<SyncSender<Request>>,
    writer_thread: Option<JoinHandle<()>>,
    readers: Mutex<Vec<Connection>>,
}

enum Request {
    Write(Box<dyn Job>),
    /// Returns freed pages to the file system (`incremental_vacuum`) and
    /// runs `PRAGMA wal_checkpoint(TRUNCATE)` after the writes before it,
    /// until it truncates; answers whether it did.
    Checkpoint(SyncSender<bool>),
}

/// One caller's write, as the writer thread sees it.
trait Job: Send {
    /// Runs inside the batch's transaction; on failure its changes are
    /// rolled back to its savepoint.
    fn run(&mut self, conn: &Connection) -> StorageResult<()>;
    /// Answers the caller once the batch committed, or failed.
    fn finish(self: Box<Self>, batch: StorageResult<()>);
}

struct Pending<T, F> {
    work: Option<F>,
    result: Option<StorageResult<T>>,
    reply: SyncSender<StorageResult<T>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> rusqlite::Result<T> + Send,
{
    fn run(&mut self, conn: &Connection) -> StorageResult<()> {
        let Some(work) = self.work.take() else {
            return Err(StorageError::Other("write run twice".into()));
        };
        let result = match catch_unwind(AssertUnwindSafe(|| work(conn))) {
            Ok(result) => result.map_err(classify),
            Err(_) => Err(StorageError::Other("a storage write panicked".into())),
        };
        let outcome = result.as_ref().map(|_| ()).map_err(Clone::clone);
        self.result = Some(result);
        outcome
    }

    fn finish(self: Box<Self>, batch: StorageResult<()>) {
        let result = match (self.result, batch) {
            (Some(Err(e)), _) | (_, Err(e)) => Err(e),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (None, Ok(())) => Err(StorageError::Other("write was not run".into())),
        };
        let _ = self.reply.send(result);
    }
}

fn run_writer(conn: Connection, requests: Receiver<Request>) {
    while let Ok(first) = requests.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match requests.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        let mut jobs = Vec::with_capacity(batch.len());
        for request in batch {
            match request {
                Request::Write(job) => jobs.push(job),
                Request::Checkpoint(done) => {
                    commit_batch(&conn, std::mem::take(&mut jobs));
                    if let Err(e) = incremental_vacuum(&conn) {
                        tracing::warn!("incremental vacuum failed: {e}");
                    }
                    let _ = done.send(checkpoint_until_truncated(&conn));
                }
            }
        }
        commit_batch(&conn, jobs);
    }
}

/// Gives every free page back to the file system. The pragma frees one
/// page per step, so it is stepped to the end (`execute_batch` would step
/// it once).
fn incremental_vacuum(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA incremental_vacuum")?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// Attempts of `wal_checkpoint(TRUNCATE)`, 10 ms apart at first and twice
/// as long each time (about 10 s in all).
const CHECKPOINT_ATTEMPTS: u32 = 10;

/// Copies the WAL into the database and truncates it to 0 bytes. A reader
/// in the middle of a transaction (another process, or one of the pool)
/// keeps old frames alive and the checkpoint reports "busy"; it is tried
/// again, with back-off, until it truncates or the attempts are spent.
/// Whether it truncated.
fn checkpoint_until_truncated(conn: &Connection) -> bool {
    let mut pause = Duration::from_millis(10);
    for attempt in 1..=CHECKPOINT_ATTEMPTS {
        match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
            row.get::<_, i64>(0)
        }) {
            Ok(0) => return true,
            Ok(_) => tracing::debug!(attempt, "checkpoint busy; trying again"),
            Err(e) => tracing::warn!(attempt, "checkpoint failed: {e}"),
        }
        if attempt < CHECKPOINT_ATTEMPTS {
            std::thread::sleep(pause);
            pause *= 2;
        }
    }
    tracing::warn!(
        "the WAL could not be truncated after {CHECKPOINT_ATTEMPTS} attempts; \
         deleted data may remain in it until the next checkpoint"
    );
    false
}

/// Runs the jobs in one transaction, each in a savepoint, and answers them.
fn commit_batch(conn: &Connection, mut jobs: Vec<Box<dyn Job>>) {
    if jobs.is_empty() {
        return;
    }
    let sql = |statement: &str| conn.execute_batch(statement).map_err(classify);
    let outcome = (|| -> StorageResult<()> {
        sql("BEGIN IMMEDIATE")?;
        for job in &mut jobs {
            sql("SAVEPOINT job")?;
            match job.run(conn) {
                Ok(()) => sql("RELEASE job")?,
                // SQLite rolled the whole transaction back itself (disk
                // full, I/O error): the batch is lost, for the same reason.
                Err(e) if conn.is_autocommit() => return Err(e),
                Err(_) => sql("ROLLBACK TO job; RELEASE job")?,
            }
        }
        sql("COMMIT")
    })();
    if outcome.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    for job in jobs {
        job.finish(outcome.clone());
    }
}

/// Opens a connection with the pragmas every connection of the server uses.
/// Public so that benchmarks compare against exactly the same settings.
pub fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "journal_mode is {mode}, WAL is required"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA journal_size_limit = 67108864;",
    )?;
    Ok(conn)
}

/// Makes the database give pages freed by deletions back to the file
/// system on `PRAGMA incremental_vacuum` (run after each purge), so a purge
/// shrinks the file. A new database takes the setting before its first
/// table; an existing one is rebuilt once by `VACUUM` to switch.
pub fn incremental_auto_vacuum(conn: &Connection) -> rusqlite::Result<()> {
    const INCREMENTAL: i64 = 2;
    let mode = |conn: &Connection| conn.query_row("PRAGMA auto_vacuum", [], |r| r.get::<_, i64>(0));
    if mode(conn)? == INCREMENTAL {
        return Ok(());
    }
    conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL")?;
    if mode(conn)? != INCREMENTAL {
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

impl Sqlite {
    /// Opens (creating if needed) `data_dir/accredit.sqlite3` and migrates
    /// it, with the default write queue.
    pub fn open(data_dir: &Path) -> Result<Sqlite, String> {
        Sqlite::open_with_queue(data_dir, DEFAULT_WRITE_QUEUE)
    }

    /// Like [`Sqlite::open`], with room for `write_queue` (at least 1)
    /// writes waiting for the writer.
    pub fn open_with_queue(data_dir: &Path, write_queue: usize) -> Result<Sqlite, String> {
        crate::private_files::folder(data_dir)
            .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        let path = data_dir.join(FILE_NAME);
        crate::private_files::database(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        let mut writer =
            open_connection(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        incremental_auto_vacuum(&writer).map_err(|e| format!("{}: {e}", path.display()))?;
        migrations::migrate(&mut writer).map_err(|e| format!("{}: {e}", path.display()))?;
        let (requests, queue) = mpsc::sync_channel(write_queue.max(1));
        let writer_thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run_writer(writer, queue))
            .map_err(|e| format!("cannot start the writer thread: {e}"))?;
        Ok(Sqlite {
            path,
            writer: Some(requests),
            writer_thread: Some(writer_thread),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the writer thread, in a transaction; returns once that
    /// transaction is committed (or failed). A full queue refuses it with
    /// [`StorageError::Overloaded`]: nothing was queued, nothing is stored.
    fn write<T, F>(&self, f: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        self.submit(f, false)?
            .recv()
            .map_err(|_| writer_stopped())?
    }

    /// Like [`Sqlite::write`], but waits for room in the queue: for work
    /// with nobody to tell "come back later" (deliveries, purges, the
    /// command line).
    fn write_waiting<T, F>(&self, f: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        self.submit(f, true)?.recv().map_err(|_| writer_stopped())?
    }

    /// Queues `f` for the writer thread; the receiver gets its outcome.
    /// Unless `wait`, a full queue refuses it at once (`Overloaded`).
    fn submit<T, F>(&self, f: F, wait: bool) -> StorageResult<Receiver<StorageResult<T>>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Pending {
            work: Some(f),
            result: None,
            reply,
        };
        let writer = self.writer.as_ref().ok_or_else(writer_stopped)?;
        let request = Request::Write(Box::new(job));
        if wait {
            writer.send(request).map_err(|_| writer_stopped())?;
        } else {
            writer.try_send(request).map_err(|e| match e {
                TrySendError::Full(_) => StorageError::Overloaded,
                TrySendError::Disconnected(_) => writer_stopped(),
            })?;
        }
        Ok(answer)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> StorageResult<T> {
        let pooled = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = open_connection(&self.path).map_err(classify)?;
                conn.execute_batch("PRAGMA query_only = ON")
                    .map_err(classify)?;
                conn
            }
        };
        let result = f(&conn).map_err(classify);
        let mut idle = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        result
    }
}

fn writer_stopped() -> StorageError {
    StorageError::Other("the writer thread has stopped".into())
}

fn classify(error: rusqlite::Error) -> StorageError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StorageError::Full,
        Some(ErrorCode::ReadOnly) => StorageError::ReadOnly,
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StorageError::Busy,
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen) => {
            StorageError::Io(error.to_string())
        }
        _ => StorageError::Other(error.to_string()),
    }
}

/// The client's unclaimed uploads still in the quota's window at `now`,
/// as `(size, uploaded_at)`, oldest first.
fn unclaimed_uploads_of(
    tx: &Connection,
    client: &str,
    now: i64,
) -> rusqlite::Result<Vec<(u64, i64)>> {
    let mut stmt = tx.prepare_cached(
        "SELECT size, created_at FROM attachments
         WHERE client = ?1 AND registration_id IS NULL AND created_at > ?2
         ORDER BY created_at, rowid",
    )?;
    let rows = stmt.query_map(params![client, now - upload_quota::WINDOW_SECS], |row| {
        Ok((row.get::<_, i64>(0)? as u64, row.get(1)?))
    })?;
    rows.collect()
}

fn status_of(text: String) -> rusqlite::Result<Status> {
    text.parse()
        .map_err(|()| rusqlite::Error::InvalidColumnType(0, text, rusqlite::types::Type::Text))
}

fn hash_of(bytes: Vec<u8>) -> rusqlite::Result<[u8; 32]> {
    let len = bytes.len();
    bytes.try_into().map_err(|_| {
        rusqlite::Error::InvalidColumnType(
            0,
            format!("hash of {len} bytes"),
            rusqlite::types::Type::Blob,
        )
    })
}

const REGISTRATION_COLUMNS: &str = "id, event, reference, status, payload, created_at, updated_at, version, reviewed_version, manage_generation";

fn registration_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRegistration> {
    Ok(StoredRegistration {
        id: row.get(0)?,
        event: row.get(1)?,
        reference: row.get(2)?,
        status: status_of(row.get(3)?)?,
        payload: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
        version: row.get(7)?,
        reviewed_version: row.get(8)?,
        manage_generation: row.get(9)?,
    })
}

fn kind_of(text: String) -> rusqlite::Result<MessageKind> {
    serde_json::from_value(serde_json::Value::String(text.clone()))
        .map_err(|_| rusqlite::Error::InvalidColumnType(0, text, rusqlite::types::Type::Text))
}

fn kind_name(kind: MessageKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn author_name(author: Author) -> &'static str {
    match author {
        Author::FocalPoint => "focal_point",
        Author::Organiser => "organiser",
    }
}

fn author_of(text: String) -> rusqlite::Result<Author> {
    match text.as_str() {
        "focal_point" => Ok(Author::FocalPoint),
        "organiser" => Ok(Author::Organiser),
        _ => Err(rusqlite::Error::InvalidColumnType(
            0,
            text,
            rusqlite::types::Type::Text,
        )),
    }
}

fn queue_messages(
    tx: &Connection,
    registration_id: &str,
    at: i64,
    messages: &[NewMessage],
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO outbox (id, registration_id, kind, message_id, to_name, to_email, language,
                             subject, text_body, html_body, created_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?;
    for m in messages {
        insert.execute(params![
            m.id,
            registration_id,
            kind_name(m.kind),
            m.message_id,
            m.to_name,
            m.to_email,
            m.language,
            m.subject,
            m.text,
            m.html,
            at
        ])?;
    }
    Ok(())
}

fn insert_version(
    tx: &Connection,
    registration_id: &str,
    version: u32,
    payload: &str,
    at: i64,
    author: Author,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO versions (registration_id, version, payload, at, author) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![registration_id, version, payload, at, author_name(author)])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_audit(
    tx: &Connection,
    registration_id: &str,
    at: i64,
    actor_token: &str,
    actor_label: &str,
    from: Status,
    to: Status,
    note: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (registration_id, at, actor_token, actor_label, from_status, to_status, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        registration_id,
        at,
        actor_token,
        actor_label,
        from.as_str(),
        to.as_str(),
        note
    ])?;
    Ok(())
}

/// Status and version of a registration, inside a write.
fn current_state(
    tx: &Connection,
    event: &str,
    id: &str,
) -> rusqlite::Result<Option<(Status, u32)>> {
    tx.prepare_cached("SELECT status, version FROM registrations WHERE event = ?1 AND id = ?2")?
        .query_row(params![event, id], |row| {
            Ok((status_of(row.get(0)?)?, row.get(1)?))
        })
        .optional()
}

/// Which of `ids` cannot be claimed by `owner` (missing, another event's,
/// or another registration's).
fn unavailable_attachments(
    tx: &Connection,
    event: &str,
    owner: &str,
    ids: &[String],
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT registration_id IS NULL OR registration_id = ?3 FROM attachments WHERE id = ?1 AND event = ?2",
    )?;
    let mut unavailable = Vec::new();
    for id in ids {
        let free: Option<bool> = stmt
            .query_row(params![id, event, owner], |row| row.get(0))
            .optional()?;
        if free != Some(true) {
            unavailable.push(id.clone());
        }
    }
    Ok(unavailable)
}

const OUTBOX_COLUMNS: &str = "id, kind, message_id, to_name, to_email, language, subject, text_body, html_body, registration_id, created_at, attempts, sent_at, failed_at, last_error";

fn outbox_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxMessage> {
    Ok(OutboxMessage {
        message: NewMessage {
            id: row.get(0)?,
            kind: kind_of(row.get(1)?)?,
            message_id: row.get(2)?,
            to_name: row.get(3)?,
            to_email: row.get(4)?,
            language: row.get(5)?,
            subject: row.get(6)?,
            text: row.get(7)?,
            html: row.get(8)?,
        },
        registration_id: row.get(9)?,
        created_at: row.get(10)?,
        attempts: row.get(11)?,
        sent_at: row.get(12)?,
        failed_at: row.get(13)?,
        last_error: row.get(14)?,
    })
}

fn idempotency_record(
    conn: &Connection,
    event: &str,
    key: &str,
) -> rusqlite::Result<Option<IdempotencyRecord>> {
    conn.prepare_cached(
        "SELECT body_hash, status, response FROM idempotency WHERE event = ?1 AND key = ?2",
    )?
    .query_row(params![event, key], |row| {
        Ok(IdempotencyRecord {
            body_hash: hash_of(row.get(0)?)?,
            status: row.get(1)?,
            response: row.get(2)?,
        })
    })
    .optional()
}

impl Storage for Sqlite {
    fn idempotency_record(
        &self,
        event: &str,
        key: &str,
    ) -> StorageResult<Option<IdempotencyRecord>> {
        self.read(|conn| idempotency_record(conn, event, key))
    }

    fn insert_registration(&self, new: &NewRegistration) -> StorageResult<InsertOutcome> {
        let new = new.clone();
        self.write(move |tx| {
            if let Some(record) = idempotency_record(tx, &new.event, &new.idempotency_key)? {
                return Ok(InsertOutcome::KeyTaken(record));
            }
            let taken: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM registrations WHERE event = ?1 AND reference = ?2)")?
                .query_row(params![new.event, new.reference], |row| row.get(0))?;
            if taken {
                return Ok(InsertOutcome::ReferenceTaken);
            }
            let unavailable = unavailable_attachments(tx, &new.event, &new.id, &new.attachments)?;
            if !unavailable.is_empty() {
                return Ok(InsertOutcome::AttachmentsUnavailable(unavailable));
            }
            tx.prepare_cached(
                "INSERT INTO registrations (id, event, reference, status, payload, created_at, updated_at,
                                            version, manage_generation, manage_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1, 1, ?7)",
            )?
            .execute(params![
                new.id,
                new.event,
                new.reference,
                Status::Pending.as_str(),
                new.payload,
                new.created_at,
                &new.manage_hash[..]
            ])?;
            insert_version(tx, &new.id, 1, &new.payload, new.created_at, Author::FocalPoint)?;
            queue_messages(tx, &new.id, new.created_at, &new.messages)?;
            tx.prepare_cached(
                "INSERT INTO idempotency (event, key, body_hash, status, response, registration_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                new.event,
                new.idempotency_key,
                &new.body_hash[..],
                new.response_status,
                new.response,
                new.id,
                new.created_at
            ])?;
            let mut claim = tx.prepare_cached(
                "UPDATE attachments SET registration_id = ?1, client = NULL WHERE id = ?2",
            )?;
            for id in &new.attachments {
                claim.execute(params![new.id, id])?;
            }
            Ok(InsertOutcome::Created)
        })
    }

    fn registrations(&self, event: &str) -> StorageResult<Vec<StoredRegistration>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE event = ?1 ORDER BY created_at, rowid"
            ))?;
            let rows = stmt.query_map([event], registration_row)?;
            rows.collect()
        })
    }

    fn registration(&self, event: &str, id: &str) -> StorageResult<Option<StoredRegistration>> {
        self.read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE event = ?1 AND id = ?2"
            ))?
            .query_row(params![event, id], registration_row)
            .optional()
        })
    }

    fn audit_trail(&self, event: &str, id: &str) -> StorageResult<Vec<AuditEntry>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT a.at, a.actor_token, a.actor_label, a.from_status, a.to_status, a.note
                 FROM audit a JOIN registrations r ON r.id = a.registration_id
                 WHERE r.event = ?1 AND r.id = ?2 ORDER BY a.seq",
            )?;
            let rows = stmt.query_map(params![event, id], |row| {
                Ok(AuditEntry {
                    at: row.get(0)?,
                    actor_token: row.get(1)?,
                    actor_label: row.get(2)?,
                    from: status_of(row.get(3)?)?,
                    to: status_of(row.get(4)?)?,
                    note: row.get(5)?,
                })
            })?;
            rows.collect()
        })
    }

    fn change_status(&self, change: &StatusChange) -> StorageResult<ChangeOutcome> {
        let change = change.clone();
        self.write(move |tx| {
            let Some((from, version)) = current_state(tx, &change.event, &change.registration_id)?
            else {
                return Ok(ChangeOutcome::NotFound);
            };
            if change.expected_version.is_some_and(|v| v != version) {
                return Ok(ChangeOutcome::Stale { current: version });
            }
            if !from.can_change_to(change.to) {
                return Ok(ChangeOutcome::NotAllowed { from });
            }
            tx.prepare_cached(
                "UPDATE registrations SET status = ?1, updated_at = ?2, reviewed_version = version WHERE id = ?3",
            )?
            .execute(params![change.to.as_str(), change.at, change.registration_id])?;
            insert_audit(
                tx,
                &change.registration_id,
                change.at,
                &change.actor_token,
                &change.actor_label,
                from,
                change.to,
                &change.note,
            )?;
            queue_messages(tx, &change.registration_id, change.at, &change.messages)?;
            Ok(ChangeOutcome::Changed(AuditEntry {
                at: change.at,
                actor_token: change.actor_token.clone(),
                actor_label: change.actor_label.clone(),
                from,
                to: change.to,
                note: change.note.clone(),
            }))
        })
    }

    fn registration_by_manage_hash(
        &self,
        event: &str,
        hash: &[u8; 32],
    ) -> StorageResult<Option<StoredRegistration>> {
        self.read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE manage_hash = ?1 AND event = ?2"
            ))?
            .query_row(params![&hash[..], event], registration_row)
            .optional()
        })
    }

    fn versions(&self, event: &str, id: &str) -> StorageResult<Vec<VersionRecord>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT v.version, v.payload, v.at, v.author
                 FROM versions v JOIN registrations r ON r.id = v.registration_id
                 WHERE r.event = ?1 AND r.id = ?2 ORDER BY v.version",
            )?;
            let rows = stmt.query_map(params![event, id], |row| {
                Ok(VersionRecord {
                    version: row.get(0)?,
                    payload: row.get(1)?,
                    at: row.get(2)?,
                    author: author_of(row.get(3)?)?,
                })
            })?;
            rows.collect()
        })
    }

    fn amend(&self, amendment: &Amendment) -> StorageResult<AmendOutcome> {
        let a = amendment.clone();
        self.write(move |tx| {
            if let Some(record) = idempotency_record(tx, &a.event, &a.idempotency_key)? {
                return Ok(AmendOutcome::KeyTaken(record));
            }
            let Some((from, version)) = current_state(tx, &a.event, &a.registration_id)? else {
                return Ok(AmendOutcome::NotFound);
            };
            if !from.is_amendable() {
                return Ok(AmendOutcome::Final(from));
            }
            if version != a.expected_version {
                return Ok(AmendOutcome::Stale { current: version });
            }
            let unavailable =
                unavailable_attachments(tx, &a.event, &a.registration_id, &a.attachments)?;
            if !unavailable.is_empty() {
                return Ok(AmendOutcome::AttachmentsUnavailable(unavailable));
            }
            let next = version + 1;
            tx.prepare_cached(
                "UPDATE registrations SET payload = ?1, version = ?2, status = ?3, updated_at = ?4 WHERE id = ?5",
            )?
            .execute(params![
                a.payload,
                next,
                Status::Pending.as_str(),
                a.at,
                a.registration_id
            ])?;
            insert_version(tx, &a.registration_id, next, &a.payload, a.at, Author::FocalPoint)?;
            if from != Status::Pending {
                insert_audit(
                    tx,
                    &a.registration_id,
                    a.at,
                    FOCAL_POINT_ACTOR,
                    "Focal point (amendment)",
                    from,
                    Status::Pending,
                    "",
                )?;
            }
            tx.prepare_cached(
                "INSERT INTO idempotency (event, key, body_hash, status, response, registration_id, created_at)
                 VALUES (?1, ?2, ?3, 200, ?4, ?5, ?6)",
            )?
            .execute(params![
                a.event,
                a.idempotency_key,
                &a.body_hash[..],
                a.response,
                a.registration_id,
                a.at
            ])?;
            let mut claim = tx.prepare_cached(
                "UPDATE attachments SET registration_id = ?1, client = NULL
                 WHERE id = ?2 AND registration_id IS NULL",
            )?;
            for id in &a.attachments {
                claim.execute(params![a.registration_id, id])?;
            }
            queue_messages(tx, &a.registration_id, a.at, &a.messages)?;
            Ok(AmendOutcome::Amended { version: next, from })
        })
    }

    fn withdraw(&self, withdrawal: &Withdrawal) -> StorageResult<WithdrawOutcome> {
        let w = withdrawal.clone();
        self.write(move |tx| {
            let Some((from, version)) = current_state(tx, &w.event, &w.registration_id)? else {
                return Ok(WithdrawOutcome::NotFound);
            };
            if from == Status::Withdrawn {
                return Ok(WithdrawOutcome::AlreadyWithdrawn { version });
            }
            if !from.is_amendable() {
                return Ok(WithdrawOutcome::Final(from));
            }
            if w.expected_version.is_some_and(|v| v != version) {
                return Ok(WithdrawOutcome::Stale { current: version });
            }
            tx.prepare_cached(
                "UPDATE registrations SET status = ?1, updated_at = ?2 WHERE id = ?3",
            )?
            .execute(params![Status::Withdrawn.as_str(), w.at, w.registration_id])?;
            insert_audit(
                tx,
                &w.registration_id,
                w.at,
                FOCAL_POINT_ACTOR,
                "Focal point",
                from,
                Status::Withdrawn,
                "",
            )?;
            queue_messages(tx, &w.registration_id, w.at, &w.messages)?;
            Ok(WithdrawOutcome::Withdrawn { version })
        })
    }

    fn renew_manage_token(
        &self,
        event: &str,
        id: &str,
        generation: u32,
        hash: &[u8; 32],
        message: &NewMessage,
        at: i64,
    ) -> StorageResult<bool> {
        let (event, id, hash, message) = (event.to_owned(), id.to_owned(), *hash, message.clone());
        self.write(move |tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE registrations SET manage_generation = ?1, manage_hash = ?2
                     WHERE event = ?3 AND id = ?4 AND manage_generation = ?1 - 1",
                )?
                .execute(params![generation, &hash[..], event, id])?;
            if changed == 1 {
                queue_messages(tx, &id, at, std::slice::from_ref(&message))?;
            }
            Ok(changed == 1)
        })
    }

    fn due_messages(&self, now: i64, limit: usize) -> StorageResult<Vec<OutboxMessage>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox
                 WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1
                 ORDER BY next_attempt_at, created_at, rowid LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![now, limit as i64], outbox_row)?;
            rows.collect()
        })
    }

    fn next_message_due(&self) -> StorageResult<Option<i64>> {
        self.read(|conn| {
            conn.query_row(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
                [],
                |row| row.get(0),
            )
        })
    }

    fn message_sent(&self, id: &str, at: i64) -> StorageResult<()> {
        let id = id.to_owned();
        self.write_waiting(move |tx| {
            tx.execute(
                "UPDATE outbox SET sent_at = ?1, attempts = attempts + 1, last_error = NULL WHERE id = ?2",
                params![at, id],
            )?;
            Ok(())
        })
    }

    fn message_failed(
        &self,
        id: &str,
        at: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> StorageResult<()> {
        let (id, error) = (id.to_owned(), error.to_owned());
        self.write_waiting(move |tx| {
            match retry_at {
                Some(next) => tx.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2 WHERE id = ?3",
                    params![error, next, id],
                )?,
                None => tx.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, failed_at = ?2 WHERE id = ?3",
                    params![error, at, id],
                )?,
            };
            Ok(())
        })
    }

    fn messages(&self, event: &str, id: &str) -> StorageResult<Vec<OutboxMessage>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {cols} FROM outbox o JOIN registrations r ON r.id = o.registration_id
                 WHERE r.event = ?1 AND r.id = ?2 ORDER BY o.created_at, o.rowid",
                cols = OUTBOX_COLUMNS
                    .split(", ")
                    .map(|c| format!("o.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
            let rows = stmt.query_map(params![event, id], outbox_row)?;
            rows.collect()
        })
    }

    fn insert_attachment(
        &self,
        new: &NewAttachment,
        limits: &UploadLimits,
    ) -> StorageResult<AttachmentOutcome> {
        let (new, limits) = (new.clone(), *limits);
        self.write(move |tx| {
            let size = new.data.len() as u64;
            if let Some(quota) = limits.per_client.bytes() {
                let counted = unclaimed_uploads_of(tx, &new.client, new.created_at)?;
                if let Some(until) = upload_quota::quota_frees_at(&counted, size, quota) {
                    return Ok(AttachmentOutcome::QuotaExceeded { until });
                }
            }
            if let Some(cap) = limits.per_event.bytes() {
                let used: i64 = tx
                    .prepare_cached(
                        "SELECT COALESCE(SUM(size), 0) FROM attachments
                         WHERE event = ?1 AND registration_id IS NULL",
                    )?
                    .query_row([&new.event], |row| row.get(0))?;
                if (used as u64).saturating_add(size) > cap {
                    return Ok(AttachmentOutcome::EventFull);
                }
            }
            tx.prepare_cached(
                "INSERT INTO attachments (id, event, media_type, size, data, created_at, client)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                new.id,
                new.event,
                new.media_type,
                size as i64,
                new.data,
                new.created_at,
                new.client
            ])?;
            Ok(AttachmentOutcome::Stored)
        })
    }

    fn attachment(&self, event: &str, id: &str) -> StorageResult<Option<Attachment>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT id, media_type, data, registration_id FROM attachments WHERE event = ?1 AND id = ?2",
            )?
            .query_row(params![event, id], |row| {
                Ok(Attachment {
                    id: row.get(0)?,
                    media_type: row.get(1)?,
                    data: row.get(2)?,
                    registration_id: row.get(3)?,
                })
            })
            .optional()
        })
    }

    fn attachment_info(&self, event: &str, ids: &[String]) -> StorageResult<Vec<AttachmentInfo>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, media_type, registration_id FROM attachments WHERE event = ?1 AND id = ?2",
            )?;
            let mut found = Vec::new();
            for id in ids {
                let info = stmt
                    .query_row(params![event, id], |row| {
                        Ok(AttachmentInfo {
                            id: row.get(0)?,
                            media_type: row.get(1)?,
                            registration_id: row.get(2)?,
                        })
                    })
                    .optional()?;
                found.extend(info);
            }
            Ok(found)
        })
    }

    fn insert_token(&self, token: &TokenRecord) -> StorageResult<()> {
        let token = token.clone();
        self.write_waiting(move |tx| {
            tx.execute(
                "INSERT INTO tokens (id, event, label, hash, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    token.id,
                    token.event,
                    token.label,
                    &token.hash[..],
                    token.created_at,
                    token.expires_at
                ],
            )?;
            Ok(())
        })
    }

    fn tokens(&self, event: &str) -> StorageResult<Vec<TokenRecord>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, event, label, hash, created_at, expires_at FROM tokens WHERE event = ?1",
            )?;
            let rows = stmt.query_map([event], |row| {
                Ok(TokenRecord {
                    id: row.get(0)?,
                    event: row.get(1)?,
                    label: row.get(2)?,
                    hash: hash_of(row.get(3)?)?,
                    created_at: row.get(4)?,
                    expires_at: row.get(5)?,
                })
            })?;
            rows.collect()
        })
    }

    fn revoke_token(&self, id: &str) -> StorageResult<bool> {
        let id = id.to_owned();
        self.write_waiting(move |tx| Ok(tx.execute("DELETE FROM tokens WHERE id = ?1", [&id])? > 0))
    }

    fn purge_event(&self, event: &str) -> StorageResult<Deleted> {
        let event = event.to_owned();
        let deleted = self.write_waiting(move |tx| {
            let event = event.as_str();
            let attachments = tx.execute("DELETE FROM attachments WHERE event = ?1", [event])?;
            tx.execute("DELETE FROM idempotency WHERE event = ?1", [event])?;
            // An event's organiser tokens give access to nothing once its
            // data is gone; a token left behind would open the event again
            // if it were ever configured anew.
            let tokens = tx.execute("DELETE FROM tokens WHERE event = ?1", [event])?;
            // The audit trail goes with its registrations (ON DELETE CASCADE).
            let registrations =
                tx.execute("DELETE FROM registrations WHERE event = ?1", [event])?;
            Ok(Deleted {
                registrations: registrations as u64,
                attachments: attachments as u64,
                tokens: tokens as u64,
            })
        })?;
        if deleted != Deleted::default() {
            self.checkpoint();
        }
        Ok(deleted)
    }

    fn check_read(&self) -> StorageResult<()> {
        // A connection of its own, not one of the pool: a pooled one may
        // answer from its page cache, or from a file deleted since.
        let conn = Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(classify)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(classify)?;
        conn.query_row(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM registrations LIMIT 1)),
                    (SELECT COUNT(*) FROM (SELECT 1 FROM attachments LIMIT 1))",
            [],
            |_| Ok(()),
        )
        .map_err(classify)
    }

    fn check_write(&self, timeout: Duration) -> StorageResult<()> {
        // A full queue is a busy writer, not a dead one: wait for room
        // within the same time limit, rather than report it down.
        let deadline = std::time::Instant::now() + timeout;
        let answer = loop {
            match self.submit(|_| Ok(()), false) {
                Err(StorageError::Overloaded) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                queued => break queued?,
            }
        };
        match answer.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(outcome) => outcome,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(StorageError::Busy),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(writer_stopped()),
        }
    }

    fn stored_events(&self) -> StorageResult<Vec<(String, i64)>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT event, MAX(at) FROM (
                     SELECT event, updated_at AS at FROM registrations
                     UNION ALL SELECT event, created_at FROM attachments
                     UNION ALL SELECT event, created_at FROM tokens
                 ) GROUP BY event ORDER BY event",
            )?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        })
    }

    fn expire_unused_attachments(&self, before: i64) -> StorageResult<u64> {
        let n = self.write_waiting(move |tx| {
            tx.execute(
                "DELETE FROM attachments WHERE registration_id IS NULL AND created_at < ?1",
                [before],
            )
        })?;
        if n > 0 {
            self.checkpoint();
        }
        Ok(n as u64)
    }
}

impl Sqlite {
    /// Gives the freed pages back to the file system and copies the WAL
    /// into the database file and truncates it, so deleted data
    /// (overwritten in the file by `secure_delete`) does not live on in old
    /// WAL frames either. Whether the WAL was truncated.
    pub fn checkpoint(&self) -> bool {
        let (done, wait) = mpsc::sync_channel(1);
        match &self.writer {
            Some(writer) if writer.send(Request::Checkpoint(done)).is_ok() => {
                wait.recv().unwrap_or(false)
            }
            _ => false,
        }
    }
}

impl Drop for Sqlite {
    /// Lets the writer finish what is queued, then closes its connection.
    fn drop(&mut self) {
        self.writer.take();
        if let Some(thread) = self.writer_thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn token(n: u8, hash: u8) -> TokenRecord {
        TokenRecord {
            id: format!("tok_{n}"),
            event: "e".into(),
            label: "desk".into(),
            hash: [hash; 32],
            created_at: 0,
            expires_at: 86_400,
        }
    }

    #[test]
    fn concurrent_writes_share_commits_but_fail_alone() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(Sqlite::open(dir.path()).unwrap());
        let threads: Vec<_> = (0..32u8)
            .map(|n| {
                let storage = storage.clone();
                // Threads 30 and 31 reuse hash 0, which must be unique.
                let hash = if n >= 30 { 0 } else { n };
                std::thread::spawn(move || storage.insert_token(&token(n, hash)).is_ok())
            })
            .collect();
        let ok = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|ok| *ok)
            .count();
        assert_eq!(ok, 30, "every write but the two duplicates succeeds");
        assert_eq!(storage.tokens("e").unwrap().len(), 30);
        drop(storage);
        // Everything acknowledged is in the file after reopening.
        assert_eq!(
            Sqlite::open(dir.path()).unwrap().tokens("e").unwrap().len(),
            30
        );
    }

    #[test]
    fn a_full_queue_refuses_request_writes_at_once_and_background_writes_wait() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(Sqlite::open_with_queue(dir.path(), 1).unwrap());
        // A write that holds the writer until released.
        let (started, has_started) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let holder = std::thread::spawn({
            let storage = storage.clone();
            move || {
                storage.write(move |_| {
                    started.send(()).unwrap();
                    released.recv().unwrap();
                    Ok(())
                })
            }
        });
        has_started.recv().unwrap();
        // The one place in the queue, taken without waiting for the answer.
        let (reply, queued_answer) = mpsc::sync_channel(1);
        let queued = Pending {
            work: Some(|tx: &Connection| tx.execute_batch("CREATE TABLE queued (x)")),
            result: None,
            reply,
        };
        let writer = storage.writer.as_ref().unwrap();
        writer
            .try_send(Request::Write(Box::new(queued)))
            .ok()
            .unwrap();
        // A request's write is refused now, and nothing of it is stored.
        let refused = NewAttachment {
            id: "refused".into(),
            event: "e".into(),
            media_type: "application/pdf",
            data: vec![1, 2, 3],
            created_at: 0,
            client: "192.0.2.1".into(),
        };
        let limits = UploadLimits::default();
        assert_eq!(
            storage.insert_attachment(&refused, &limits),
            Err(StorageError::Overloaded)
        );
        // A background write waits for room instead.
        let waiting = std::thread::spawn({
            let storage = storage.clone();
            move || storage.insert_token(&token(1, 1))
        });
        release.send(()).unwrap();
        assert_eq!(holder.join().unwrap(), Ok(()));
        assert_eq!(queued_answer.recv().unwrap(), Ok(()));
        assert_eq!(waiting.join().unwrap(), Ok(()));
        assert_eq!(storage.tokens("e").unwrap().len(), 1);
        assert_eq!(storage.attachment("e", "refused").unwrap(), None);
        // Once drained, request writes go through again.
        assert_eq!(
            storage.insert_attachment(&refused, &limits),
            Ok(AttachmentOutcome::Stored)
        );
        assert!(storage.attachment("e", "refused").unwrap().is_some());
    }

    #[test]
    fn schema_is_migrated_and_pragmas_are_set() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Sqlite::open(dir.path()).unwrap();
        let conn = open_connection(storage.path()).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "FULL");
        assert_eq!(version as usize, migrations::MIGRATIONS.len());
    }
}
