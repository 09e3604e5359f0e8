//! Durable storage behind a small trait.
//!
//! The API needs a handful of operations, each one atomic. SQLite
//! ([`sqlite::Sqlite`]) serves a single instance; a PostgreSQL implementation
//! of the same trait is what a multi-instance deployment would add. The
//! trait is synchronous: implementations block, and the API calls them on
//! the blocking thread pool ([`crate::storage::run`]), never on the executor.
//!
//! Registrations are stored as the model's normalised payload (JSON) plus
//! the few columns the server looks things up by. Everything an export or a
//! filter needs is derived from the payload, so the storage never has to
//! understand the model.

pub mod migrations;
pub mod sqlite;

use crate::upload_quota::{self, UploadLimits};
use accredit_model::api::{Author, MessageKind};
use accredit_model::review::Status;
use std::fmt;
use std::sync::Arc;

pub type StorageResult<T> = Result<T, StorageError>;

/// Why storage could not do what was asked. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The disk (or a file size limit, or a configured database size limit) is full.
    Full,
    /// The database is read-only or cannot be written.
    ReadOnly,
    /// The database stayed locked longer than the busy timeout.
    Busy,
    /// Too many writes are waiting already; this one was not queued.
    Overloaded,
    /// Reading or writing the file failed (a file size limit, a failing
    /// disk); the text is for the log only.
    Io(String),
    /// Anything else; the text is for the log only.
    Other(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Full => f.write_str("storage is full"),
            StorageError::ReadOnly => f.write_str("storage is read-only"),
            StorageError::Busy => f.write_str("storage is busy"),
            StorageError::Overloaded => f.write_str("the write queue is full"),
            StorageError::Io(text) => write!(f, "storage I/O error: {text}"),
            StorageError::Other(text) => write!(f, "storage error: {text}"),
        }
    }
}

impl std::error::Error for StorageError {}

/// The stored outcome of the first request with an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub body_hash: [u8; 32],
    pub status: u16,
    pub response: String,
}

/// A registration to store, with the response that its idempotency key
/// will replay.
#[derive(Clone, Debug)]
pub struct NewRegistration {
    pub id: String,
    pub event: String,
    pub reference: String,
    /// The normalised payload, as JSON.
    pub payload: String,
    pub created_at: i64,
    pub idempotency_key: String,
    pub body_hash: [u8; 32],
    pub response_status: u16,
    pub response: String,
    /// Attachment ids the payload references; they become the registration's.
    pub attachments: Vec<String>,
    /// SHA-256 of the first manage token (generation 1).
    pub manage_hash: [u8; 32],
    /// Messages the registration causes, queued in the same transaction.
    pub messages: Vec<NewMessage>,
}

/// A composed message for the outbox. It is written in the transaction of
/// the change that causes it, so a change is never stored without its
/// message nor a message without its change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    pub id: String,
    pub kind: MessageKind,
    /// The `Message-ID` header, the same on every delivery attempt, so a
    /// message delivered twice (at-least-once) is recognisably one.
    pub message_id: String,
    pub to_name: String,
    pub to_email: String,
    pub language: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A message waiting in the outbox, or delivered from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    pub message: NewMessage,
    pub registration_id: String,
    pub created_at: i64,
    pub attempts: u32,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

/// One stored version of a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRecord {
    pub version: u32,
    pub payload: String,
    pub at: i64,
    pub author: Author,
}

/// A focal point's new version of their registration.
#[derive(Clone, Debug)]
pub struct Amendment {
    pub event: String,
    pub registration_id: String,
    /// The version it was made against (`If-Match`).
    pub expected_version: u32,
    /// The normalised payload, as JSON.
    pub payload: String,
    pub at: i64,
    pub idempotency_key: String,
    pub body_hash: [u8; 32],
    /// What the key replays: the response for `expected_version + 1`.
    pub response: String,
    /// Attachment ids the payload references.
    pub attachments: Vec<String>,
    pub messages: Vec<NewMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmendOutcome {
    Amended {
        version: u32,
        from: Status,
    },
    NotFound,
    /// The registration is at another version now.
    Stale {
        current: u32,
    },
    /// Rejected or withdrawn: no more amendments.
    Final(Status),
    KeyTaken(IdempotencyRecord),
    AttachmentsUnavailable(Vec<String>),
}

/// A focal point withdrawing their registration.
#[derive(Clone, Debug)]
pub struct Withdrawal {
    pub event: String,
    pub registration_id: String,
    pub expected_version: Option<u32>,
    pub at: i64,
    pub messages: Vec<NewMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WithdrawOutcome {
    Withdrawn {
        version: u32,
    },
    /// It already was (a retried request): nothing changed, nothing queued.
    AlreadyWithdrawn {
        version: u32,
    },
    NotFound,
    Stale {
        current: u32,
    },
    Final(Status),
}

/// The actor recorded in the audit trail for a focal point's own changes.
pub const FOCAL_POINT_ACTOR: &str = "focal_point";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InsertOutcome {
    Created,
    /// Another registration of the event has this reference; try another.
    ReferenceTaken,
    /// The key was used meanwhile (another instance, or a lost race).
    KeyTaken(IdempotencyRecord),
    /// These attachments vanished or were claimed meanwhile.
    AttachmentsUnavailable(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRegistration {
    pub id: String,
    pub event: String,
    pub reference: String,
    pub status: Status,
    pub payload: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Current version (1 as first submitted).
    pub version: u32,
    /// The version an organiser last decided on.
    pub reviewed_version: Option<u32>,
    /// How many manage tokens were issued (the current one is this one).
    pub manage_generation: u32,
}

impl StoredRegistration {
    /// Changed by the focal point since an organiser last decided.
    pub fn amended(&self) -> bool {
        self.reviewed_version.is_some_and(|v| v < self.version)
    }
}

/// One status change, as the audit trail keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_token: String,
    pub actor_label: String,
    pub from: Status,
    pub to: Status,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct StatusChange {
    pub event: String,
    pub registration_id: String,
    pub to: Status,
    pub note: String,
    pub actor_token: String,
    pub actor_label: String,
    pub at: i64,
    /// The version the organiser decided on; refused when stale.
    pub expected_version: Option<u32>,
    pub messages: Vec<NewMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Changed(AuditEntry),
    NotFound,
    NotAllowed { from: Status },
    Stale { current: u32 },
}

#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub id: String,
    pub event: String,
    pub media_type: &'static str,
    pub data: Vec<u8>,
    pub created_at: i64,
    /// The uploader's address as the rate limiter keys it
    /// ([`crate::rate_limit::client_key`]), kept until a registration
    /// claims the attachment.
    pub client: String,
}

/// Whether an upload was stored, or which upload limit refused it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentOutcome {
    Stored,
    /// The client's unclaimed uploads of the window leave no room; it has
    /// room again at this Unix time.
    QuotaExceeded {
        until: i64,
    },
    /// The event's unclaimed uploads leave no room.
    EventFull,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub media_type: String,
    pub data: Vec<u8>,
    pub registration_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: String,
    pub media_type: String,
    pub registration_id: Option<String>,
}

/// An organiser token; only the SHA-256 of the secret is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: String,
    pub event: String,
    pub label: String,
    pub hash: [u8; 32],
    pub created_at: i64,
    /// Unix seconds from which the token is refused.
    pub expires_at: i64,
}

/// What a purge deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deleted {
    pub registrations: u64,
    pub attachments: u64,
    pub tokens: u64,
}

pub trait Storage: Send + Sync + 'static {
    fn idempotency_record(
        &self,
        event: &str,
        key: &str,
    ) -> StorageResult<Option<IdempotencyRecord>>;
    /// Stores the registration, its idempotency record and its claim on
    /// its attachments in one transaction, or nothing.
    fn insert_registration(&self, new: &NewRegistration) -> StorageResult<InsertOutcome>;
    /// Every registration of the event, oldest first.
    fn registrations(&self, event: &str) -> StorageResult<Vec<StoredRegistration>>;
    fn registration(&self, event: &str, id: &str) -> StorageResult<Option<StoredRegistration>>;
    /// Status changes of a registration, oldest first.
    fn audit_trail(&self, event: &str, id: &str) -> StorageResult<Vec<AuditEntry>>;
    /// Changes the status if [`Status::can_change_to`] allows it, and
    /// records the change in the audit trail, atomically.
    fn change_status(&self, change: &StatusChange) -> StorageResult<ChangeOutcome>;
    /// Stores the upload unless it would take the client's unclaimed
    /// uploads of the last [`upload_quota::WINDOW_SECS`] or the event's
    /// unclaimed uploads over `limits`; the check and the insert are one
    /// transaction, so concurrent uploads cannot overshoot.
    fn insert_attachment(
        &self,
        new: &NewAttachment,
        limits: &UploadLimits,
    ) -> StorageResult<AttachmentOutcome>;
    fn attachment(&self, event: &str, id: &str) -> StorageResult<Option<Attachment>>;
    /// Type and owner of those of `ids` that exist for the event.
    fn attachment_info(&self, event: &str, ids: &[String]) -> StorageResult<Vec<AttachmentInfo>>;
    fn insert_token(&self, token: &TokenRecord) -> StorageResult<()>;
    fn tokens(&self, event: &str) -> StorageResult<Vec<TokenRecord>>;
    /// Deletes the token with this id; whether there was one. Requests
    /// with it fail from then on (tokens are looked up on every request).
    fn revoke_token(&self, id: &str) -> StorageResult<bool>;
    /// The registration whose current manage token hashes to `hash`.
    fn registration_by_manage_hash(
        &self,
        event: &str,
        hash: &[u8; 32],
    ) -> StorageResult<Option<StoredRegistration>>;
    /// Every version of a registration's payload, oldest first.
    fn versions(&self, event: &str, id: &str) -> StorageResult<Vec<VersionRecord>>;
    /// Stores a new version, its idempotency record, its attachments and its
    /// messages atomically; an approved or changes-requested registration
    /// goes back to pending.
    fn amend(&self, amendment: &Amendment) -> StorageResult<AmendOutcome>;
    /// Withdraws the registration and queues its messages atomically.
    fn withdraw(&self, withdrawal: &Withdrawal) -> StorageResult<WithdrawOutcome>;
    /// Replaces the manage token (generation `generation`, whose hash is
    /// `hash`) if the current one is `generation - 1`, and queues the
    /// message carrying it, queued at `at`; whether it did.
    fn renew_manage_token(
        &self,
        event: &str,
        id: &str,
        generation: u32,
        hash: &[u8; 32],
        message: &NewMessage,
        at: i64,
    ) -> StorageResult<bool>;
    /// Messages due for an attempt at `now`, oldest first, at most `limit`.
    fn due_messages(&self, now: i64, limit: usize) -> StorageResult<Vec<OutboxMessage>>;
    /// When the next undelivered message is due, if any.
    fn next_message_due(&self) -> StorageResult<Option<i64>>;
    /// Records a delivery.
    fn message_sent(&self, id: &str, at: i64) -> StorageResult<()>;
    /// Records a failed attempt; `retry_at: None` gives up on the message.
    fn message_failed(
        &self,
        id: &str,
        at: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> StorageResult<()>;
    /// The messages of a registration, oldest first.
    fn messages(&self, event: &str, id: &str) -> StorageResult<Vec<OutboxMessage>>;
    /// Deletes every registration, attachment, idempotency record and
    /// organiser token of the event.
    fn purge_event(&self, event: &str) -> StorageResult<Deleted>;
    /// Every event that has data stored (registrations, attachments or
    /// organiser tokens), with the Unix time of its newest record.
    fn stored_events(&self) -> StorageResult<Vec<(String, i64)>>;
    /// Deletes attachments that no registration uses, uploaded before `before`.
    fn expire_unused_attachments(&self, before: i64) -> StorageResult<u64>;
    /// Whether the stored data can be read now, as a new reader would (a
    /// replaced or damaged database shows here, not hidden by a cache).
    fn check_read(&self) -> StorageResult<()>;
    /// Whether a write would be taken now: an empty transaction through the
    /// same path as every write, answered within `timeout`.
    fn check_write(&self, timeout: std::time::Duration) -> StorageResult<()>;
}

pub type SharedStorage = Arc<dyn Storage>;

/// Runs a storage call on the blocking thread pool.
pub async fn run<T, F>(storage: &SharedStorage, f: F) -> StorageResult<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Storage) -> StorageResult<T> + Send + 'static,
{
    let storage = storage.clone();
    tokio::task::spawn_blocking(move || f(storage.as_ref()))
        .await
        .unwrap_or_else(|e| Err(StorageError::Other(format!("storage task failed: {e}"))))
}
