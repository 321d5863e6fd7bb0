//! The workstation side of sync: credentials, the HTTP client, and the engine that pushes the
//! outbox and pulls changes (docs/sync-protocol.md).

mod client;
mod credentials;
mod worker;

use std::collections::HashMap;

pub use client::{HubClient, check_server};
pub use credentials::Credentials;
pub use worker::{Outcome as WorkerOutcome, SyncWorker};

use crate::store::{Store, StoreError};
use crate::wire::{DEFAULT_PULL_LIMIT, MAX_BODY_BYTES, MAX_OPS_PER_PUSH, MAX_ORIGINAL_BYTES, Op};

impl SyncError {
    /// Whether the hub could not be reached at all (rather than refusing).
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Unreachable { .. })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the hub at {server} cannot be reached ({detail}); your work is safe in the cache and will sync later")]
    Unreachable { server: String, detail: String },
    #[error("refusing to talk to {server}: {reason}")]
    Insecure { server: String, reason: String },
    #[error(
        "the hub at {server} could not be verified ({detail}); if it uses a private certificate authority, log in with `accredit login --ca-cert FILE`"
    )]
    Untrusted { server: String, detail: String },
    #[error("the CA certificate {path} cannot be used: {detail}")]
    CaCert { path: String, detail: String },
    #[error("the hub refused the token: log in again with `accredit login --server URL --token TOKEN`")]
    Unauthorized,
    #[error("the hub answered {status}: {message}")]
    Refused { status: u16, message: String },
    #[error("the hub sent something unexpected: {0}")]
    Protocol(String),
    #[error("not logged in: run `accredit login --server URL --token TOKEN` first")]
    NotLoggedIn,
    #[error("the credentials file {path} cannot be used: {detail}")]
    Credentials { path: String, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub pushed: usize,
    pub applied: usize,
    pub conflicts: usize,
    pub rejected: usize,
    pub pulled: usize,
    pub documents: usize,
    /// Original files (PDF, DOCX, XLSX) fetched.
    pub originals: usize,
    /// Members' confirmations of a panel report sent (typed here, perhaps offline).
    pub confirmed: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pushed {} (applied {}", self.pushed, self.applied)?;
        if self.conflicts > 0 {
            write!(f, ", {} conflict{}", self.conflicts, if self.conflicts == 1 { "" } else { "s" })?;
        }
        if self.rejected > 0 {
            write!(f, ", {} rejected", self.rejected)?;
        }
        write!(f, "), pulled {} change{}", self.pulled, if self.pulled == 1 { "" } else { "s" })?;
        if self.documents > 0 {
            write!(f, " and {} document{}", self.documents, if self.documents == 1 { "" } else { "s" })?;
        }
        if self.originals > 0 {
            write!(f, ", {} original{}", self.originals, if self.originals == 1 { "" } else { "s" })?;
        }
        if self.confirmed > 0 {
            write!(f, "; sent {} report confirmation{}", self.confirmed, if self.confirmed == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

/// Splits ops into consecutive runs whose request body stays under the hub's limit (one op
/// always fits: a rationale is at most 100,000 characters).
pub fn under_body_limit(ops: &[Op]) -> Vec<&[Op]> {
    // Room for `{"ops":[...]}` and the separators, with a margin.
    let budget = MAX_BODY_BYTES - 4096;
    let mut runs = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, op) in ops.iter().enumerate() {
        let len = serde_json::to_vec(op).map_or(budget, |bytes| bytes.len()) + 1;
        if i > start && size + len > budget {
            runs.push(&ops[start..i]);
            (start, size) = (i, 0);
        }
        size += len;
    }
    if start < ops.len() {
        runs.push(&ops[start..]);
    }
    runs
}

/// How many downloaded documents are kept in one transaction: one fsync per batch the hub sends
/// (`MAX_DOCUMENTS_PER_BATCH`), not per document, which was most of a first sync's time.
const KEEP_DOCUMENTS: usize = crate::wire::MAX_DOCUMENTS_PER_BATCH;
/// ... or per this many bytes, whichever comes first.
const KEEP_BYTES: usize = crate::wire::DOCUMENT_BATCH_BYTES;

/// Fetches the `missing` documents (in batches, each verified by the client) and keeps them as
/// they arrive, a batch per transaction; whatever arrived before a failure is kept too, so an
/// interrupted first sync resumes with only what is still missing.
pub fn fetch_documents(store: &Store, client: &HubClient, missing: &[String]) -> Result<usize, SyncError> {
    let mut arrived: Vec<(String, String)> = Vec::new();
    let mut bytes = 0;
    let fetched = client.documents(missing, |sha, text| {
        arrived.push((sha.to_string(), text.to_string()));
        bytes += text.len();
        if arrived.len() >= KEEP_DOCUMENTS || bytes >= KEEP_BYTES {
            store.keep_documents(&arrived)?;
            arrived.clear();
            bytes = 0;
        }
        Ok(())
    });
    store.keep_documents(&arrived)?;
    fetched
}

/// Fetches the originals this replica knows of but lacks, each verified as it arrives and kept a
/// batch per transaction (one fsync per `KEEP_DOCUMENTS` originals or `KEEP_BYTES`, not per
/// original: a PDF pack per submission made that most of a first sync's time fetching them);
/// whatever arrived before a failure is kept, so an interrupted sync fetches only those still
/// missing next time. One over `MAX_ORIGINAL_BYTES` is not fetched: it is named in the sync log
/// and stays missing (the submission is not offline-ready); so is one the hub refuses. A corrupt
/// download fails the sync, storing nothing of it.
pub fn fetch_originals(store: &Store, client: &HubClient) -> Result<usize, SyncError> {
    let mut arrived: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut bytes = 0;
    let fetched = fetch_originals_into(store, client, |original| {
        bytes += original.2.len();
        arrived.push(original);
        if arrived.len() >= KEEP_DOCUMENTS || bytes >= KEEP_BYTES {
            store.keep_originals(&arrived)?;
            arrived.clear();
            bytes = 0;
        }
        Ok(())
    });
    store.keep_originals(&arrived)?;
    fetched
}

fn fetch_originals_into(
    store: &Store,
    client: &HubClient,
    mut keep: impl FnMut((String, String, Vec<u8>)) -> Result<(), SyncError>,
) -> Result<usize, SyncError> {
    let mut fetched = 0;
    for wanted in store.missing_originals()? {
        if wanted.size > MAX_ORIGINAL_BYTES {
            store.log_sync(
                "error",
                &format!(
                    "the original of {} is {:.1} MiB, over the {} MiB a replica takes: open it on the hub's machine",
                    wanted.document,
                    wanted.size as f64 / (1024.0 * 1024.0),
                    MAX_ORIGINAL_BYTES / (1024 * 1024)
                ),
            )?;
            continue;
        }
        let bytes = match client.original(&wanted.sha256) {
            Ok(bytes) => bytes,
            // No longer ours to read (a recusal since the feed listed it): the rest still come,
            // and a later submission change drops the link.
            Err(SyncError::Refused { status: 403 | 404, message }) => {
                store.log_sync("error", &format!("the hub refused the original of {}: {message}", wanted.document))?;
                continue;
            }
            Err(e) => return Err(e),
        };
        keep((wanted.sha256, wanted.media_type, bytes))?;
        fetched += 1;
    }
    Ok(fetched)
}

/// Sends the report confirmations typed here. One the hub refuses (a newer version was pushed
/// since the member read theirs, say) is kept with the reason and its comment, for the member to
/// read the new version and confirm again; the rest still go.
pub fn send_confirmations(store: &Store, client: &HubClient) -> Result<usize, SyncError> {
    let mut sent = 0;
    for pending in store.pending_confirmations()?.into_iter().filter(|p| p.refused.is_none()) {
        match client.confirm(&pending.submission, &pending.comment, Some(pending.version)) {
            Ok(_) => {
                store.confirmation_sent(&pending.submission)?;
                sent += 1;
            }
            Err(SyncError::Refused { status: 400 | 403 | 404 | 409, message }) => {
                store.log_sync(
                    "error",
                    &format!("the hub refused your confirmation of the report of {}: {message}", pending.submission),
                )?;
                store.confirmation_refused(&pending.submission, &message)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(sent)
}

/// Pushes the outbox, then pulls every change, as `me`.
pub fn sync(store: &mut Store, client: &HubClient, me: &str) -> Result<Summary, SyncError> {
    let mut summary = Summary::default();
    // Push: the oldest op per judgement each round, until nothing is left to send.
    loop {
        let batch = store.outbox_batch(MAX_OPS_PER_PUSH)?;
        if batch.is_empty() {
            break;
        }
        // Long rationales can make a batch larger than the hub takes in one body (413): send it
        // in requests under the limit (tests/it/sync.rs, an_outbox_larger_than_one_request_body).
        for ops in under_body_limit(&batch) {
            let results = client.push(ops)?;
            if results.len() != ops.len() || results.iter().zip(ops).any(|(r, o)| r.op_id != o.op_id) {
                return Err(SyncError::Protocol("the push answers do not match the ops sent".into()));
            }
            let tally = store.apply_push_results(me, &results)?;
            summary.pushed += ops.len();
            summary.applied += tally.applied;
            summary.conflicts += tally.conflicts;
            summary.rejected += tally.rejected;
        }
    }
    summary.confirmed += send_confirmations(store, client)?;
    // Pull: page by page, each page and its cursor in one transaction.
    loop {
        let since = store.sync_cursor()?;
        let page = client.changes(since, DEFAULT_PULL_LIMIT)?;
        // Documents in batches, each kept as it arrives (verified): a sync cut off in the
        // middle resumes with the documents still missing.
        let missing: Vec<String> = store.missing_documents(&page.changes)?.into_iter().map(String::from).collect();
        summary.documents += fetch_documents(store, client, &missing)?;
        summary.pulled += store.apply_changes(me, &page.changes, page.next, &HashMap::new())?;
        if !page.more || page.next <= since {
            break;
        }
    }
    // The originals last: the texts are what a review needs first, and what the feed listed is
    // remembered, so a sync cut off here fetches the rest next time.
    summary.originals += fetch_originals(store, client)?;
    store.set_meta(
        "last_sync",
        &jiff::Timestamp::now().round(jiff::Unit::Second).map(|t| t.to_string()).unwrap_or_default(),
    )?;
    store.log_sync("info", &summary.to_string())?;
    Ok(summary)
}
