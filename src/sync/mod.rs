//! The workstation side of sync: credentials, the HTTP client, and the engine that pushes the
//! outbox and pulls changes (docs/sync-protocol.md).

mod client;
mod credentials;
mod resolver;
mod worker;

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;

pub use client::{HubClient, check_server};
pub use credentials::Credentials;
pub use worker::{Outcome as WorkerOutcome, SyncWorker};

use crate::store::{Store, StoreError, WantedOriginal};
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
    #[error("the hub refused the token: log in again with `accredit login --server URL` (it asks for the token)")]
    Unauthorized,
    #[error("the hub answered {status}: {message}")]
    Refused { status: u16, message: String },
    #[error("the hub sent something unexpected: {0}")]
    Protocol(String),
    #[error("not logged in: run `accredit login --server URL` (it asks for the token) first")]
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

/// How far the download of a page's originals may run ahead of their keeping, which waits for
/// the page to be applied: at most this many handoffs of up to `KEEP_BYTES` wait in memory.
const ORIGINALS_AHEAD: usize = 3;

/// One original's download: its bytes, or why it stays missing.
enum Download {
    Arrived(Vec<u8>),
    /// Over `MAX_ORIGINAL_BYTES`: not fetched.
    TooLarge,
    /// The hub refused it (403 or 404), with its message.
    Refused(String),
}

/// Downloads one original (verified by the client). A refusal is an answer, not a failure: no
/// longer ours to read (a recusal since the feed listed it), the rest still come, and a later
/// submission change drops the link. Anything else (unreachable, a corrupt download) fails.
fn download(client: &HubClient, wanted: &WantedOriginal) -> Result<Download, SyncError> {
    if wanted.size > MAX_ORIGINAL_BYTES {
        return Ok(Download::TooLarge);
    }
    match client.original(&wanted.sha256) {
        Ok(bytes) => Ok(Download::Arrived(bytes)),
        Err(SyncError::Refused { status: 403 | 404, message }) => Ok(Download::Refused(message)),
        Err(e) => Err(e),
    }
}

/// Keeps downloaded originals a batch per transaction (one fsync per `KEEP_DOCUMENTS`
/// originals or `KEEP_BYTES`, not per original: a PDF pack per submission made that most of a
/// first sync's time), and names in the sync log each one left missing.
#[derive(Default)]
struct OriginalsKeeper {
    arrived: Vec<(String, String, Vec<u8>)>,
    bytes: usize,
    kept: usize,
    /// Every original downloaded or tried in this sync, so that none is asked for twice.
    tried: HashSet<String>,
}

impl OriginalsKeeper {
    fn take(&mut self, store: &Store, wanted: WantedOriginal, download: Download) -> Result<(), SyncError> {
        self.tried.insert(wanted.sha256.clone());
        match download {
            Download::Arrived(bytes) => {
                self.bytes += bytes.len();
                self.arrived.push((wanted.sha256, wanted.media_type, bytes));
                if self.arrived.len() >= KEEP_DOCUMENTS || self.bytes >= KEEP_BYTES {
                    self.flush(store)?;
                }
            }
            Download::TooLarge => store.log_sync(
                "error",
                &format!(
                    "the original of {} is {:.1} MiB, over the {} MiB a replica takes: open it on the hub's machine",
                    wanted.document,
                    wanted.size as f64 / (1024.0 * 1024.0),
                    MAX_ORIGINAL_BYTES / (1024 * 1024)
                ),
            )?,
            Download::Refused(message) => {
                store.log_sync("error", &format!("the hub refused the original of {}: {message}", wanted.document))?
            }
        }
        Ok(())
    }

    fn flush(&mut self, store: &Store) -> Result<(), SyncError> {
        store.keep_originals(&self.arrived)?;
        self.kept += self.arrived.len();
        self.arrived.clear();
        self.bytes = 0;
        Ok(())
    }

    /// Downloads and keeps, one after another, every original this replica lacks that this
    /// sync has not tried yet; whatever arrived before a failure is kept, so an interrupted sync
    /// fetches only those still missing next time. One over `MAX_ORIGINAL_BYTES` is not fetched:
    /// it is named in the sync log and stays missing (the submission is not offline-ready); so
    /// is one the hub refuses. A corrupt download fails the sync, storing nothing of it.
    fn fetch_missing(&mut self, store: &Store, client: &HubClient) -> Result<(), SyncError> {
        let fetched = (|| {
            for wanted in store.missing_originals()? {
                if !self.tried.contains(&wanted.sha256) {
                    let download = download(client, &wanted)?;
                    self.take(store, wanted, download)?;
                }
            }
            Ok(())
        })();
        self.flush(store)?;
        fetched
    }
}

/// Applies a page of changes while the originals it names download on a second thread (the
/// page's texts came first: a sync cut off meanwhile still leaves the review possible), then
/// keeps them as they come. Applying a page is the replica's own work (indexing and writing
/// tens of megabytes of text on a first sync), so the network is not left idle meanwhile.
fn apply_downloading_originals(
    store: &mut Store,
    client: &HubClient,
    me: &str,
    page: &crate::wire::ChangesResponse,
    keeper: &mut OriginalsKeeper,
) -> Result<usize, SyncError> {
    let wanted = store.missing_originals_of(&page.changes)?;
    if wanted.is_empty() {
        return Ok(store.apply_changes(me, &page.changes, page.next, &HashMap::new())?);
    }
    std::thread::scope(|scope| {
        let (handoff, arrivals) = mpsc::sync_channel::<Vec<(WantedOriginal, Download)>>(ORIGINALS_AHEAD);
        let downloader = scope.spawn(move || -> Result<(), SyncError> {
            let (mut batch, mut bytes) = (Vec::new(), 0);
            for wanted in wanted {
                match download(client, &wanted) {
                    Ok(download) => {
                        if let Download::Arrived(b) = &download {
                            bytes += b.len();
                        }
                        batch.push((wanted, download));
                    }
                    Err(e) => {
                        // What arrived before the failure is still kept.
                        let _ = handoff.send(batch);
                        return Err(e);
                    }
                }
                if bytes >= KEEP_BYTES {
                    // The receiver gone (the page failed to apply): stop downloading.
                    if handoff.send(std::mem::take(&mut batch)).is_err() {
                        return Ok(());
                    }
                    bytes = 0;
                }
            }
            let _ = handoff.send(batch);
            Ok(())
        });
        // On failure here, `arrivals` is dropped as the closure returns, which stops the
        // downloader at its next handoff; the scope then waits for it.
        let applied = store.apply_changes(me, &page.changes, page.next, &HashMap::new())?;
        for (wanted, download) in arrivals.iter().flatten() {
            keeper.take(store, wanted, download)?;
        }
        keeper.flush(store)?;
        downloader.join().map_err(|_| SyncError::Protocol("the download of originals stopped".into()))??;
        Ok(applied)
    })
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

/// Pushes the outbox, then pulls every change, as `me`. The pull's WAL checkpoint is left to
/// the caller (`Store::checkpoint`), to do once the sync has been reported.
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
    let mut originals = OriginalsKeeper::default();
    store.begin_pull()?;
    let pulled = (|| {
        loop {
            let since = store.sync_cursor()?;
            let page = client.changes(since, DEFAULT_PULL_LIMIT)?;
            // Documents in batches, each kept as it arrives (verified): a sync cut off in the
            // middle resumes with the documents still missing.
            let missing: Vec<String> = store.missing_documents(&page.changes)?.into_iter().map(String::from).collect();
            summary.documents += fetch_documents(store, client, &missing)?;
            summary.pulled += apply_downloading_originals(store, client, me, &page, &mut originals)?;
            if !page.more || page.next <= since {
                break;
            }
        }
        // Then any other original still missing (one an earlier sync was cut off before): the
        // feed's links are remembered, so a sync cut off here fetches the rest next time.
        originals.fetch_missing(store, client)
    })();
    summary.originals += originals.kept;
    let finished = pulled.and_then(|()| Ok(store.log_finished_sync(&summary.to_string())?));
    store.end_pull()?;
    finished.map(|()| summary)
}
