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
}

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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Changed(AuditEntry),
    NotFound,
    NotAllowed { from: Status },
}

#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub id: String,
    pub event: String,
    pub media_type: &'static str,
    pub data: Vec<u8>,
    pub created_at: i64,
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
}

/// What a purge deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deleted {
    pub registrations: u64,
    pub attachments: u64,
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
    fn insert_attachment(&self, new: &NewAttachment) -> StorageResult<()>;
    fn attachment(&self, event: &str, id: &str) -> StorageResult<Option<Attachment>>;
    /// Type and owner of those of `ids` that exist for the event.
    fn attachment_info(&self, event: &str, ids: &[String]) -> StorageResult<Vec<AttachmentInfo>>;
    fn insert_token(&self, token: &TokenRecord) -> StorageResult<()>;
    fn tokens(&self, event: &str) -> StorageResult<Vec<TokenRecord>>;
    /// Deletes the token with this id; whether there was one. Requests
    /// with it fail from then on (tokens are looked up on every request).
    fn revoke_token(&self, id: &str) -> StorageResult<bool>;
    /// Deletes every registration, attachment and idempotency record of the event.
    fn purge_event(&self, event: &str) -> StorageResult<Deleted>;
    /// Deletes attachments that no registration uses, uploaded before `before`.
    fn expire_unused_attachments(&self, before: i64) -> StorageResult<u64>;
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
