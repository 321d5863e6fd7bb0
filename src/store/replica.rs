//! The cache as a replica of the hub: the outbox going out, changes coming in, and the
//! conflicts in between (docs/sync-protocol.md §3–§6).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::import::{import_framework, import_panel, import_people, import_submission_with};
use super::judgements::{queue, write};
use super::{Result, Store, StoreError, now_timestamp};
use crate::domain::{DocumentRef, Judgement, JudgementState, Outcome, Submission};

use crate::format::{PanelPackage, SubmissionPackage};
use crate::wire::{Change, HubJudgement, HubSubmission, JudgementBody, Op, OpKind, OpOutcome, OpResult};

/// What a push did, for the one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushTally {
    pub applied: usize,
    pub conflicts: usize,
    pub rejected: usize,
}

/// A push the hub did not apply, kept with both texts until the user chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: i64,
    pub submission: String,
    pub standard: String,
    /// `conflict` (changed elsewhere first) or `rejected` (refused by the hub).
    pub kind: String,
    pub mine: JudgementBody,
    pub theirs: Option<HubJudgement>,
    pub reason: Option<String>,
    pub created_at: String,
}

/// How the user settles a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    KeepMine,
    TakeTheirs,
    /// An edited text (and outcome) to send instead of either.
    Merge {
        outcome: Option<Outcome>,
        rationale: String,
    },
}

/// One line of the outbox, for the Sync screen.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub op_id: String,
    pub submission: String,
    pub standard: String,
    pub outcome: Option<Outcome>,
    pub state: JudgementState,
    pub sent: bool,
    pub created_at: String,
}

fn key(submission: &str, standard: &str, reviewer: &str) -> String {
    format!("{submission}\u{1f}{standard}\u{1f}{reviewer}")
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// The next ops to push: the oldest op of each judgement (a later op on the same judgement
    /// waits for the answer to this one), none for a judgement with an open conflict. They are
    /// marked sent, so they are never coalesced with later edits again.
    pub fn outbox_batch(&mut self, limit: usize) -> Result<Vec<Op>> {
        // An empty outbox (most syncs) is answered without taking the write lock: an op saved
        // just after this look goes with the next sync.
        if !self.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox)")?.query_row([], |r| r.get::<_, bool>(0))? {
            return Ok(Vec::new());
        }
        let tx = self.conn.transaction()?;
        let rows: Vec<(String, String, i64, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT o.op_id, o.entity, o.base_rev, o.payload FROM outbox o
                 WHERE o.rowid = (SELECT min(rowid) FROM outbox o2 WHERE o2.entity = o.entity AND o2.entity_key = o.entity_key)
                   AND (o.entity = 'consolidation' OR (o.entity = 'judgement'
                       AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.resolved_at IS NULL
                           AND o.entity_key = c.submission_id || char(31) || c.standard_code || char(31) || c.reviewer_id)))
                 ORDER BY o.rowid LIMIT ?1",
            )?;
            stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut ops = Vec::with_capacity(rows.len());
        for (op_id, entity, base_rev, payload) in rows {
            let kind = if entity == "consolidation" {
                let queued: QueuedConsolidation = serde_json::from_str(&payload).map_err(corrupt)?;
                OpKind::Consolidation { submission: queued.submission, consolidation: queued.consolidation }
            } else {
                let j: Judgement = serde_json::from_str(&payload).map_err(corrupt)?;
                OpKind::Judgement { judgement: body(&j) }
            };
            tx.prepare_cached("UPDATE outbox SET sent = 1 WHERE op_id = ?1")?.execute([&op_id])?;
            ops.push(Op { op_id, base_rev, kind });
        }
        tx.commit()?;
        Ok(ops)
    }

    /// Takes the hub's answers to pushed ops; an op leaves the outbox only here.
    pub fn apply_push_results(&mut self, me: &str, results: &[OpResult]) -> Result<PushTally> {
        let tx = self.conn.transaction()?;
        let mut tally = PushTally::default();
        for result in results {
            let Some((entity, payload)): Option<(String, String)> = tx
                .prepare_cached("SELECT entity, payload FROM outbox WHERE op_id = ?1")?
                .query_row([&result.op_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            else {
                continue; // answered before (a retried push): nothing left to do
            };
            if entity == "consolidation" {
                let queued: QueuedConsolidation = serde_json::from_str(&payload).map_err(corrupt)?;
                tx.prepare_cached("DELETE FROM outbox WHERE op_id = ?1")?.execute([&result.op_id])?;
                match &result.outcome {
                    OpOutcome::Applied { rev, .. } => {
                        tally.applied += 1;
                        tx.prepare_cached("UPDATE consolidations SET hub_rev = ?2 WHERE submission_id = ?1")?
                            .execute(params![queued.submission, rev])?;
                        tx.prepare_cached(
                            "UPDATE outbox SET base_rev = ?2 WHERE entity = 'consolidation' AND entity_key = ?1",
                        )?
                        .execute(params![queued.submission, rev])?;
                    }
                    // The chair's consolidation stays as it is here: nothing is lost, and the
                    // refusal is in the sync log.
                    OpOutcome::Rejected { reason, .. } => {
                        tally.rejected += 1;
                        tx.prepare_cached("INSERT INTO sync_log (at, level, message) VALUES (?1, 'error', ?2)")?
                            .execute(params![
                                now_timestamp(),
                                format!("the hub refused the consolidation of {}: {reason}", queued.submission)
                            ])?;
                    }
                    OpOutcome::Conflict { .. } => tally.conflicts += 1,
                }
                continue;
            }
            let sent: Judgement = serde_json::from_str(&payload).map_err(corrupt)?;
            let k = key(&sent.submission, &sent.standard, me);
            tx.prepare_cached("DELETE FROM outbox WHERE op_id = ?1")?.execute([&result.op_id])?;
            match &result.outcome {
                OpOutcome::Applied { rev, .. } => {
                    tally.applied += 1;
                    tx.prepare_cached(
                        "UPDATE judgements SET hub_rev = ?4
                 WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3",
                    )?
                    .execute(params![sent.submission, sent.standard, me, rev])?;
                    // A later edit of the same judgement now builds on this revision.
                    tx.prepare_cached(
                        "UPDATE outbox SET base_rev = ?2 WHERE entity = 'judgement' AND entity_key = ?1",
                    )?
                    .execute(params![k, rev])?;
                }
                OpOutcome::Conflict { current } => {
                    tally.conflicts += 1;
                    keep_as_conflict(&tx, &sent, me, "conflict", Some(current), None)?;
                }
                OpOutcome::Rejected { reason, current } => {
                    tally.rejected += 1;
                    keep_as_conflict(&tx, &sent, me, "rejected", current.as_ref(), Some(reason))?;
                }
            }
        }
        tx.commit()?;
        Ok(tally)
    }

    /// Applies a page of pulled changes and the cursor after it, in one transaction, committed
    /// without waiting for the disk (`without_waiting_for_the_disk`: a page a power cut takes
    /// is pulled again, since the cursor goes with it). `documents` holds the text of every
    /// document the page needs, by SHA-256. An empty page that leaves the cursor where it was
    /// (the pull of a sync with nothing new, every few seconds from every client) writes
    /// nothing: no commit.
    pub fn apply_changes(
        &mut self,
        me: &str,
        changes: &[Change],
        next: i64,
        documents: &HashMap<String, String>,
    ) -> Result<usize> {
        if changes.is_empty() && self.sync_cursor()? == next {
            return Ok(0);
        }
        self.without_waiting_for_the_disk(|store| {
            let tx = store.conn.transaction()?;
            let mut applied = 0;
            let mut imported: Vec<&str> = Vec::new();
            for change in changes {
                applied += match change {
                    Change::Framework { framework, .. } => {
                        import_framework(&tx, framework)?;
                        1
                    }
                    Change::Submission { submission, .. } => {
                        let (package, stored) = package(submission, &tx, documents)?;
                        import_submission_with(&tx, &package, &stored)?;
                        link_originals(&tx, submission)?;
                        imported.push(&submission.id);
                        1
                    }
                    Change::Panel { panel, .. } => {
                        import_people(&tx, &panel.people)?;
                        let domain = crate::domain::Panel {
                            submission: panel.submission.clone(),
                            chair: panel.chair.clone(),
                            reviews_due: panel.reviews_due,
                            panel_date: panel.panel_date,
                            members: panel.members.clone(),
                        };
                        import_panel(&tx, &PanelPackage { panel: domain, judgements: Vec::new() })?;
                        1
                    }
                    Change::Judgement { judgement, .. } => usize::from(apply_judgement(&tx, me, judgement)?),
                    Change::Consolidation { submission, consolidation, rev, .. } => {
                        usize::from(apply_consolidation(&tx, submission, consolidation, *rev)?)
                    }
                    Change::Report { pushed, .. } => {
                        super::confirmations::apply_pushed_report(&tx, pushed)?;
                        1
                    }
                };
            }
            if !imported.is_empty() {
                super::search::refresh(&tx, Some(&imported))?;
            }
            tx.prepare_cached(
                "INSERT INTO meta (key, value)
                     VALUES ('sync_cursor', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([next.to_string()])?;
            tx.commit()?;
            Ok(applied)
        })
    }

    /// Where the next pull starts.
    pub fn sync_cursor(&self) -> Result<i64> {
        Ok(self.meta("sync_cursor")?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Which of these document hashes are not in the cache yet.
    pub fn missing_documents<'c>(&self, changes: &'c [Change]) -> Result<Vec<&'c str>> {
        let mut stmt = self.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1)")?;
        let mut missing = Vec::new();
        for change in changes {
            if let Change::Submission { submission, .. } = change {
                for doc in &submission.documents {
                    let have: bool = stmt.query_row([&doc.sha256], |r| r.get(0))?;
                    if !have && !missing.contains(&doc.sha256.as_str()) {
                        missing.push(doc.sha256.as_str());
                    }
                }
            }
        }
        Ok(missing)
    }

    /// The originals a page of changes names that this replica does not hold yet, each once,
    /// in the page's order: what a sync fetches while it applies the page.
    pub fn missing_originals_of(&self, changes: &[Change]) -> Result<Vec<WantedOriginal>> {
        let mut stmt = self.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM originals WHERE sha256 = ?1)")?;
        let mut missing: Vec<WantedOriginal> = Vec::new();
        for change in changes {
            let Change::Submission { submission, .. } = change else { continue };
            for doc in &submission.documents {
                let Some(original) = &doc.original else { continue };
                if missing.iter().any(|w| w.sha256 == original.sha256)
                    || stmt.query_row([&original.sha256], |r| r.get::<_, bool>(0))?
                {
                    continue;
                }
                missing.push(WantedOriginal {
                    sha256: original.sha256.clone(),
                    media_type: original.media_type.clone(),
                    size: original.size,
                    document: format!("{} {}", submission.id, doc.id),
                });
            }
        }
        Ok(missing)
    }

    /// The originals this replica knows of (from the hub's feed) but does not hold yet, each
    /// once, smallest first: what the next sync fetches.
    pub fn missing_originals(&self) -> Result<Vec<WantedOriginal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.original_sha256, min(doc.media_type), max(d.size), min(d.submission_id || ' ' || d.document_id)
             FROM document_originals d
             JOIN documents doc ON doc.submission_id = d.submission_id AND doc.id = d.document_id
             WHERE NOT EXISTS (SELECT 1 FROM originals o WHERE o.sha256 = d.original_sha256)
             GROUP BY d.original_sha256 ORDER BY max(d.size), d.original_sha256",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(WantedOriginal {
                sha256: r.get(0)?,
                media_type: r.get(1)?,
                size: r.get::<_, i64>(2)?.max(0) as u64,
                document: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps an original's bytes (already checked against its SHA-256 by the client), in its
    /// own transaction: what arrived stays when a later download fails.
    pub fn keep_original(&self, sha256: &str, media_type: &str, bytes: &[u8]) -> Result<()> {
        self.keep_originals(&[(sha256.to_string(), media_type.to_string(), bytes.to_vec())])
    }

    /// Keeps several originals (sha256, media type, bytes; each already checked) in one
    /// transaction: one commit, so one fsync, for all of them.
    pub fn keep_originals(&self, originals: &[(String, String, Vec<u8>)]) -> Result<()> {
        if originals.is_empty() {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction()?;
        {
            let mut stmt =
                tx.prepare_cached("INSERT OR IGNORE INTO originals (sha256, media_type, bytes) VALUES (?1, ?2, ?3)")?;
            for (sha256, media_type, bytes) in originals {
                stmt.execute(params![sha256, media_type, bytes])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// How many conflicts wait for the user (the header's count, after every save).
    pub fn open_conflict_count(&self) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL")?;
        Ok(stmt.query_row([], |r| r.get::<_, i64>(0))? as usize)
    }

    pub fn open_conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, submission_id, standard_code, kind, mine, theirs, reason, created_at
             FROM conflicts WHERE resolved_at IS NULL ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, submission, standard, kind, mine, theirs, reason, created_at)| {
                Ok(Conflict {
                    id,
                    submission,
                    standard,
                    kind,
                    mine: serde_json::from_str(&mine).map_err(corrupt)?,
                    theirs: theirs.as_deref().map(serde_json::from_str).transpose().map_err(corrupt)?,
                    reason,
                    created_at,
                })
            })
            .collect()
    }

    /// Settles a conflict. Keeping mine or a merge becomes a new op based on the hub's revision;
    /// taking theirs leaves the hub's value in place. The conflict record stays, resolved.
    pub fn resolve_conflict(&mut self, me: &str, id: i64, resolution: Resolution) -> Result<()> {
        let conflict = self
            .open_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::Corrupt(format!("no open conflict {id}")))?;
        let tx = self.conn.transaction()?;
        let (label, wanted) = match resolution {
            Resolution::KeepMine => ("kept mine", Some((conflict.mine.outcome, conflict.mine.rationale.clone()))),
            Resolution::TakeTheirs => ("took theirs", None),
            Resolution::Merge { outcome, rationale } => ("merged", Some((outcome, rationale))),
        };
        if let Some((outcome, rationale)) = wanted {
            // A local edit made while the conflict was open (still in the outbox) is about to be
            // replaced: keep its text in the conflict history, since nothing typed is discarded
            // (tests/it/sync.rs, an_edit_made_while_a_conflict_is_open_survives_its_resolution).
            let edited: Option<(Option<String>, String)> = tx
                .prepare_cached(
                    "SELECT outcome, rationale FROM judgements
                     WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3
                       AND EXISTS (SELECT 1 FROM outbox WHERE entity = 'judgement' AND entity_key = ?4)",
                )?
                .query_row(
                    params![
                        conflict.submission,
                        conflict.standard,
                        me,
                        key(&conflict.submission, &conflict.standard, me)
                    ],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((edited_outcome, edited_rationale)) = edited {
                let edited_outcome = edited_outcome.as_deref().and_then(Outcome::parse);
                if (edited_outcome, edited_rationale.as_str()) != (outcome, rationale.as_str()) {
                    let superseded = JudgementBody {
                        submission: conflict.submission.clone(),
                        standard: conflict.standard.clone(),
                        outcome: edited_outcome,
                        rationale: edited_rationale,
                        state: JudgementState::Draft,
                    };
                    let now = now_timestamp();
                    tx.prepare_cached(
                        "INSERT INTO conflicts (submission_id, standard_code, reviewer_id, kind, mine, theirs, reason,
                           created_at, resolved_at, resolution)
                         VALUES (?1, ?2, ?3, 'superseded', ?4, ?5, 'edited while a conflict was open', ?6, ?6, ?7)",
                    )?
                    .execute(params![
                        conflict.submission,
                        conflict.standard,
                        me,
                        serde_json::to_string(&superseded).map_err(corrupt)?,
                        conflict.theirs.as_ref().map(serde_json::to_string).transpose().map_err(corrupt)?,
                        now,
                        label
                    ])?;
                }
            }
            let (version, hub_rev): (i64, i64) = tx
                .prepare_cached(
                    "SELECT version, hub_rev FROM judgements
                 WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3",
                )?
                .query_row(params![conflict.submission, conflict.standard, me], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or((0, 0));
            let judgement = Judgement {
                submission: conflict.submission.clone(),
                standard: conflict.standard.clone(),
                reviewer: me.to_string(),
                outcome,
                rationale,
                state: JudgementState::Draft,
                version: version + 1,
                updated_at: now_timestamp(),
            };
            write(&tx, &judgement)?;
            queue(&tx, &judgement, hub_rev)?;
        }
        tx.prepare_cached("UPDATE conflicts SET resolved_at = ?2, resolution = ?3 WHERE id = ?1")?.execute(params![
            id,
            now_timestamp(),
            label
        ])?;
        tx.commit()?;
        Ok(())
    }

    pub fn outbox_entries(&self) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT op_id, payload, sent, created_at, entity, entity_key FROM outbox ORDER BY rowid")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(op_id, payload, sent, created_at, entity, key)| {
                if entity == "consolidation" {
                    let standard = "the panel's consolidation".to_string();
                    return Ok(OutboxEntry {
                        op_id,
                        submission: key,
                        standard,
                        outcome: None,
                        state: JudgementState::Draft,
                        sent,
                        created_at,
                    });
                }
                let j: Judgement = serde_json::from_str(&payload).map_err(corrupt)?;
                Ok(OutboxEntry {
                    op_id,
                    submission: j.submission,
                    standard: j.standard,
                    outcome: j.outcome,
                    state: j.state,
                    sent,
                    created_at,
                })
            })
            .collect()
    }

    /// Records a line in the sync log (shown on the Sync screen), keeping the last 200.
    pub fn log_sync(&self, level: &str, message: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        append_sync_log(&tx, level, message)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the end of a sync: when (`last_sync`, shown by `status` and the queue) and its
    /// summary in the sync log, in one transaction, committed without waiting for the disk.
    /// Nobody typed it, and a power cut can lose only this line and time. A sync with nothing
    /// to do (every few seconds, from every client) wrote three fsync'd commits here, most of
    /// its time on the client (the load phases of `benches/sync.rs`).
    pub fn log_finished_sync(&mut self, summary: &str) -> Result<()> {
        self.without_waiting_for_the_disk(|store| {
            let tx = store.conn.unchecked_transaction()?;
            let now = jiff::Timestamp::now().round(jiff::Unit::Second).map(|t| t.to_string()).unwrap_or_default();
            store.set_meta("last_sync", &now)?;
            append_sync_log(&tx, "info", summary)?;
            Ok(tx.commit()?)
        })
    }

    /// Runs `work` with its commits not waiting for the disk (WAL's `synchronous=NORMAL`), then
    /// waits again for every later commit. After a power cut each such commit is whole or
    /// absent, never half there, and the next fsync'd commit or checkpoint makes it durable
    /// with everything before it. Only for what nobody typed: what the hub still has (a pulled
    /// page, with its cursor) or what can go (the sync log). Pulled pages waited for the disk
    /// at each commit: that flush was most of a client's CPU pulling others' pushes (`perf`
    /// over the sync benchmark's phase 4b: a quarter of the load clients' samples in fsync,
    /// three quarters of them a pulled page's commit), and every reviewer's sync pays it.
    fn without_waiting_for_the_disk<T>(&mut self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let done = work(self);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        done
    }

    /// The latest sync log lines, newest first: (when, level, message).
    pub fn sync_log(&self, limit: usize) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT at, level, message FROM sync_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt
            .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Appends a line to the sync log, keeping the last 200.
fn append_sync_log(tx: &Transaction<'_>, level: &str, message: &str) -> Result<()> {
    tx.prepare_cached("INSERT INTO sync_log (at, level, message) VALUES (?1, ?2, ?3)")?.execute(params![
        now_timestamp(),
        level,
        message
    ])?;
    tx.prepare_cached("DELETE FROM sync_log WHERE id <= (SELECT max(id) - 200 FROM sync_log)")?.execute([])?;
    Ok(())
}

/// An original a replica lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedOriginal {
    pub sha256: String,
    pub media_type: String,
    /// Its size in bytes, as the hub said.
    pub size: u64,
    /// A document it is the original of (`S-2026-014 E01`), for messages.
    pub document: String,
}

/// Records which original each document of a pulled submission came from, as the hub lists it;
/// the bytes follow (`Store::missing_originals`), and an original already here is not fetched.
fn link_originals(tx: &Transaction<'_>, s: &HubSubmission) -> Result<()> {
    for doc in &s.documents {
        let Some(original) = &doc.original else { continue };
        tx.prepare_cached(
            "INSERT INTO document_originals (submission_id, document_id, original_sha256, extractor, pages, notes, size)
             VALUES (?1, ?2, ?3, ?4, ?5, '', ?6)
             ON CONFLICT (submission_id, document_id) DO UPDATE SET original_sha256 = excluded.original_sha256,
               extractor = excluded.extractor, pages = excluded.pages, size = excluded.size",
        )?
        .execute(params![
            s.id,
            doc.id,
            original.sha256,
            original.extractor,
            original.pages,
            original.size.min(i64::MAX as u64) as i64
        ])?;
    }
    Ok(())
}

/// A consolidation waiting in the outbox.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct QueuedConsolidation {
    pub submission: String,
    pub consolidation: crate::domain::consolidation::Consolidation,
}

/// Applies the hub's consolidation unless a local edit of it waits to be pushed.
fn apply_consolidation(
    tx: &Transaction<'_>,
    submission: &str,
    consolidation: &crate::domain::consolidation::Consolidation,
    rev: i64,
) -> Result<bool> {
    let skip: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity = 'consolidation' AND entity_key = ?1)
             OR NOT EXISTS (SELECT 1 FROM submissions WHERE id = ?1)",
        )?
        .query_row([submission], |r| r.get(0))?;
    if skip {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO consolidations (submission_id, body, version, hub_rev, updated_at) VALUES (?1, ?2, 1, ?3, ?4)
         ON CONFLICT (submission_id) DO UPDATE SET body = excluded.body, version = version + 1,
           hub_rev = excluded.hub_rev, updated_at = excluded.updated_at",
    )?
    .execute(params![submission, serde_json::to_string(consolidation).map_err(corrupt)?, rev, now_timestamp()])?;
    Ok(true)
}

fn body(j: &Judgement) -> JudgementBody {
    JudgementBody {
        submission: j.submission.clone(),
        standard: j.standard.clone(),
        outcome: j.outcome,
        rationale: j.rationale.clone(),
        state: j.state,
    }
}

/// Records a push the hub did not apply, with my latest text, and returns the replica to the
/// hub's value (or to nothing, when the hub has none I may see). Later unsent edits of the same
/// judgement are folded into the record: it holds my latest text.
fn keep_as_conflict(
    tx: &Transaction<'_>,
    sent: &Judgement,
    me: &str,
    kind: &str,
    current: Option<&HubJudgement>,
    reason: Option<&String>,
) -> Result<()> {
    let local: Option<(Option<String>, String, String)> = tx
        .prepare_cached(
            "SELECT outcome, rationale, state FROM judgements
                 WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3",
        )?
        .query_row(params![sent.submission, sent.standard, me], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let mine = match local {
        Some((outcome, rationale, state)) => JudgementBody {
            submission: sent.submission.clone(),
            standard: sent.standard.clone(),
            outcome: outcome.as_deref().and_then(Outcome::parse),
            rationale,
            state: JudgementState::parse(&state).unwrap_or(JudgementState::Draft),
        },
        None => body(sent),
    };
    tx.prepare_cached(
        "INSERT INTO conflicts (submission_id, standard_code, reviewer_id, kind, mine, theirs, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        sent.submission,
        sent.standard,
        me,
        kind,
        serde_json::to_string(&mine).map_err(corrupt)?,
        current.map(serde_json::to_string).transpose().map_err(corrupt)?,
        reason,
        now_timestamp()
    ])?;
    tx.prepare_cached("DELETE FROM outbox WHERE entity = 'judgement' AND entity_key = ?1")?.execute([key(
        &sent.submission,
        &sent.standard,
        me,
    )])?;
    match current {
        Some(current) => store_hub_judgement(tx, current)?,
        None => {
            tx.prepare_cached(
                "DELETE FROM judgements WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3",
            )?
            .execute(params![sent.submission, sent.standard, me])?;
        }
    }
    Ok(())
}

/// Applies a pulled judgement unless a local edit of it is waiting to be pushed.
fn apply_judgement(tx: &Transaction<'_>, me: &str, j: &HubJudgement) -> Result<bool> {
    if j.reviewer == me {
        // An open conflict shows the hub's latest value as theirs, and the replica (which holds
        // the hub's value while the conflict is open) moves on with the hub: skipping it would
        // leave a stale value after "take theirs" and a stale base after "keep mine"
        // (tests/it/sync.rs, *_after_the_hub_moved_on_*).
        tx.prepare_cached(
            "UPDATE conflicts SET theirs = ?4 WHERE resolved_at IS NULL AND submission_id = ?1 AND standard_code = ?2
               AND reviewer_id = ?3",
        )?
        .execute(params![j.submission, j.standard, me, serde_json::to_string(j).map_err(corrupt)?])?;
        let pending: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE entity = 'judgement' AND entity_key = ?1)")?
            .query_row([key(&j.submission, &j.standard, me)], |r| r.get(0))?;
        if pending {
            return Ok(false);
        }
    }
    let in_scope: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM submission_standards WHERE submission_id = ?1 AND standard_code = ?2)
            AND EXISTS (SELECT 1 FROM people WHERE id = ?3)",
        )?
        .query_row(params![j.submission, j.standard, j.reviewer], |r| r.get(0))?;
    if !in_scope {
        return Ok(false);
    }
    store_hub_judgement(tx, j)?;
    Ok(true)
}

fn store_hub_judgement(tx: &Transaction<'_>, j: &HubJudgement) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO judgements
           (submission_id, standard_code, reviewer_id, outcome, rationale, state, version, updated_at, hub_rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)
         ON CONFLICT (submission_id, reviewer_id, standard_code) DO UPDATE SET outcome = excluded.outcome,
           rationale = excluded.rationale, state = excluded.state, version = version + 1,
           updated_at = excluded.updated_at, hub_rev = excluded.hub_rev",
    )?
    .execute(params![
        j.submission,
        j.standard,
        j.reviewer,
        j.outcome.map(Outcome::as_str),
        j.rationale,
        j.state.as_str(),
        j.updated_at,
        j.rev
    ])?;
    Ok(())
}

/// A pulled submission with the text of the documents this page downloaded, and the hashes of
/// those already in the cache (not read back: `import_submission_with` links them as they are).
fn package(
    s: &HubSubmission,
    tx: &Transaction<'_>,
    documents: &HashMap<String, String>,
) -> Result<(SubmissionPackage, HashMap<String, String>)> {
    let mut texts = HashMap::new();
    let mut stored = HashMap::new();
    let mut have = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?1)")?;
    for doc in &s.documents {
        if let Some(text) = documents.get(&doc.sha256) {
            texts.insert(doc.id.clone(), text.clone());
        } else if have.query_row([&doc.sha256], |r| r.get(0))? {
            stored.insert(doc.id.clone(), doc.sha256.clone());
        } else {
            return Err(StoreError::Corrupt(format!("document {} ({}) was not downloaded", doc.id, doc.sha256)));
        }
    }
    let submission = Submission {
        id: s.id.clone(),
        frameworks: s.frameworks.clone(),
        header: s.header.clone(),
        stage: s.stage,
        stage_note: s.stage_note.clone(),
        documents: s
            .documents
            .iter()
            .map(|d| DocumentRef {
                id: d.id.clone(),
                title: d.title.clone(),
                media_type: d.media_type.clone(),
                path: d.id.clone(),
                page_offset: None,
            })
            .collect(),
        mappings: s.mappings.clone(),
    };
    Ok((SubmissionPackage { submission, documents: texts, originals: HashMap::new() }, stored))
}
