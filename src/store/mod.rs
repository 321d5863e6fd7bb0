//! The local SQLite cache: the workstation's only source of state.
//!
//! Every edit is one transaction holding the row and its outbox entry, committed (WAL,
//! `synchronous=FULL`) before the caller is told it is saved.

mod confirmations;
mod consolidation;
pub use consolidation::{ORGANISATION_KEY, PushedVersion};
mod documents;
mod extractions;
mod frameworks;
mod health;
mod import;
mod judgements;
mod rank;
mod read;
mod replica;
pub mod schema;
mod search;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

pub use confirmations::{ConfirmStatus, PendingConfirmation};
pub use health::CacheHealth;
pub use judgements::SubmitOutcome;
pub use replica::{Conflict, OutboxEntry, PushTally, Resolution, WantedOriginal};
pub use search::{HitPlace, OfflineReadiness, SearchHit, fts_query};

pub use read::{
    Assignment, DocumentInfo, FinderEntry, FrameworkInfo, OthersJudgement, ReviewData, SectionView, StandardView,
    SubmissionSummary,
};

use crate::domain::Gap;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the cache database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the cache at {path} cannot be opened: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("cannot make {path} private to its owner: {source}")]
    Private { path: String, source: std::io::Error },
    #[error("the cache was written by a newer accredit (schema {found}, this one knows {known}); update accredit")]
    TooNew { found: i64, known: i64 },
    #[error("no submission {0} in the cache (see `accredit status` for yours)")]
    UnknownSubmission(String),
    #[error("{standard} is not under review in {submission}")]
    UnknownStandard { submission: String, standard: String },
    #[error("you are not on the panel of {0}")]
    NotAssigned(String),
    #[error("you are recused from {0}")]
    Recused(String),
    #[error("you do not judge {standard} in {submission} (your role: {role})")]
    NotYourStandard { submission: String, standard: String, role: String },
    #[error("only the chair of {0}'s panel consolidates it")]
    NotChair(String),
    #[error("your judgements for {0} are submitted and read-only")]
    AlreadySubmitted(String),
    #[error("{submission} is at the {stage} stage: judgements cannot be recorded")]
    StageClosed { submission: String, stage: String },
    #[error("{} gap(s) must be closed before {submission} can be submitted", gaps.len())]
    Gaps { submission: String, gaps: Vec<(String, Gap)> },
    #[error("the cache holds bad data ({0}); run `accredit demo --reset` for the demo, or report a bug")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How long a write waits for another connection's write lock before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// The page cache of a connection while it pulls, in KiB (as `PRAGMA cache_size` takes a
/// negative number); SQLite's default otherwise.
const PULL_CACHE_KIB: i64 = -64 * 1024;
const DEFAULT_CACHE_KIB: i64 = -2000;
const DEFAULT_AUTOCHECKPOINT_PAGES: i64 = 1000;
/// What a WAL file is cut back to once checkpointed (after a first sync it can be as large as
/// everything the sync wrote).
const WAL_SIZE_LIMIT_BYTES: i64 = 16 * 1024 * 1024;

impl StoreError {
    /// Whether the write failed only because another connection held the database, so the same
    /// write may succeed if tried again.
    pub fn is_busy(&self) -> bool {
        let StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) = self else { return false };
        matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    }
}

pub struct Store {
    conn: Connection,
    /// What `rank::FUNCTION` on `conn` remembers of the search index.
    row_lengths: std::sync::Arc<rank::RowLengths>,
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let conn =
            Connection::open(path).map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        let store = Self::setup(conn)?;
        // Judgements and token hashes are nobody else's business: the database and the WAL
        // and shared-memory files beside it are 0600, also when an older accredit made them.
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            crate::paths::make_private(&file)
                .map_err(|source| StoreError::Private { path: file.display().to_string(), source })?;
        }
        Ok(store)
    }

    /// A second connection to an existing database, for reading only (the hub's readers beside
    /// its one writer; WAL lets them read while it writes): no migration, and SQLite refuses
    /// any write through it (`query_only`).
    pub fn open_reader(path: &Path) -> Result<Store> {
        let conn =
            Connection::open(path).map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        reused_statements(&conn)?;
        conn.pragma_update(None, "query_only", true)?;
        let row_lengths = rank::register(&conn)?;
        Ok(Store { conn, row_lengths })
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        reused_statements(&conn)?;
        // Every transaction here may write, and a DEFERRED one that reads and then writes after
        // another connection (the sync worker, the CLI, another hub request) has committed cannot
        // take the write lock over its older snapshot: SQLite answers SQLITE_BUSY at once, without
        // waiting for the busy timeout. IMMEDIATE takes the write lock at BEGIN, where waiting works.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT_BYTES)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > schema::latest_version() {
            return Err(StoreError::TooNew { found, known: schema::latest_version() });
        }
        schema::migrate(&mut conn)?;
        if search::needs_refresh(&conn)? {
            let tx = conn.transaction()?;
            search::refresh(&tx, None)?;
            tx.commit()?;
        }
        let row_lengths = rank::register(&conn)?;
        Ok(Store { conn, row_lengths })
    }

    /// Readies this connection for a pull's writes (tens of megabytes of text and originals on
    /// a first sync): no WAL checkpoint inside its commits, and a page cache that holds a page's
    /// transaction without spilling it to the WAL half-written. The checkpoint was a fifth of
    /// applying a page of PDF packs, and the spills a sixth (`perf` over the sync benchmark's
    /// phase 5); `end_pull` undoes both, and `checkpoint` does the deferred work after.
    pub fn begin_pull(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        self.conn.pragma_update(None, "cache_size", PULL_CACHE_KIB)?;
        Ok(())
    }

    /// Back to SQLite's defaults after `begin_pull` (the cache's pages are given back). Until
    /// `checkpoint`, the next commit of any connection may checkpoint what the pull wrote.
    pub fn end_pull(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", DEFAULT_CACHE_KIB)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", DEFAULT_AUTOCHECKPOINT_PAGES)?;
        Ok(())
    }

    /// Copies what the WAL holds into the database, without waiting for readers or the writer
    /// (a passive checkpoint): what a pull deferred, done where nobody waits for it (the sync
    /// worker after it has reported the sync, the CLI after printing it).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute((key, value))?;
        Ok(())
    }

    /// The user this cache belongs to.
    pub fn me(&self) -> Result<Option<String>> {
        self.meta("me")
    }

    pub fn person_name(&self, id: &str) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM people WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| id.to_string()))
    }

    /// Changes made here that the hub has not acknowledged yet.
    pub fn unsynced_count(&self) -> Result<usize> {
        Ok(self.conn.prepare_cached("SELECT count(*) FROM outbox")?.query_row([], |r| r.get::<_, i64>(0))? as usize)
    }

    /// Runs SQLite's own consistency check.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// The underlying connection, for benchmarks and tests that measure raw SQLite.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The connection for writing, for the hub, whose database extends this schema.
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// How many compiled statements a connection keeps: more than the code has `prepare_cached`
/// calls (about a hundred). rusqlite's default of 16 is fewer than one sync or one push uses, so
/// the least recently used was thrown away and compiled again on every sync (SQLite's parser
/// in the load clients' and the hub's profiles, `perf` over the sync benchmark's phase 4).
const CACHED_STATEMENTS: usize = 256;

/// Compiled statements kept and reused as they are: enough of them kept (`CACHED_STATEMENTS`),
/// and query plans that do not depend on the values bound (SQLite's query planner stability
/// guarantee). Without that, a cached statement with a bound `LIMIT ?` (the change feed's, the
/// outbox's) is compiled again every time it is bound, as if it were new: two thirds of the
/// hub's CPU for a pull with new rows (`perf` over the sync benchmark's phase 4b).
fn reused_statements(conn: &Connection) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

pub(crate) fn now_timestamp() -> String {
    jiff::Timestamp::now().round(jiff::Unit::Millisecond).map(|t| t.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    /// A cache and a read-only connection to it, in a folder that lasts as long as its `TempDir`.
    fn writer_and_reader() -> (tempfile::TempDir, Store, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let writer = Store::open(&path).unwrap();
        let reader = Store::open_reader(&path).unwrap();
        (dir, writer, reader)
    }

    /// A cached statement bound again with another `LIMIT` runs its compiled plan, on the
    /// cache's connection and on a reader's (the hub's pulls).
    #[test]
    fn a_bound_limit_does_not_compile_a_statement_again() {
        let (_dir, writer, reader) = writer_and_reader();
        for store in [&writer, &reader] {
            let mut stmt = store.conn.prepare_cached("SELECT key FROM meta ORDER BY key LIMIT ?1").unwrap();
            for limit in [1, 5, 2, 5] {
                stmt.query_map([limit], |r| r.get::<_, String>(0)).unwrap().for_each(drop);
            }
            assert_eq!(stmt.get_status(StatementStatus::Run), 4);
            assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0, "compiled again for each LIMIT");
        }
    }

    /// A statement used once per sync is still compiled when the next sync comes, after all
    /// the others a sync uses (rusqlite kept 16 and dropped the least recently used).
    #[test]
    fn a_cached_statement_outlives_a_hundred_others() {
        let (_dir, writer, reader) = writer_and_reader();
        for store in [&writer, &reader] {
            let first = "SELECT count(*) FROM meta";
            store.conn.prepare_cached(first).unwrap().query_row([], |r| r.get::<_, i64>(0)).unwrap();
            for n in 0..100 {
                store
                    .conn
                    .prepare_cached(&format!("SELECT {n}"))
                    .unwrap()
                    .query_row([], |r| r.get::<_, i64>(0))
                    .unwrap();
            }
            // The same compiled statement (a new one has not run yet).
            assert_eq!(store.conn.prepare_cached(first).unwrap().get_status(StatementStatus::Run), 1);
        }
    }
}
