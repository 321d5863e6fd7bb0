//! The change feed: every accepted change gets the next number of one hub-wide sequence, and a
//! pull returns the changes after a cursor that the caller may see, as their current state
//! (docs/sync-protocol.md §5).

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};

use super::permissions::{Action, decide};
use super::{Caller, Hub, HubError, Result, SubmissionAccess};
use crate::domain::{FrameworkRef, JudgementState, Mapping, Outcome, Person};
use crate::store::StoreError;
use crate::wire::{
    Change, ChangesResponse, HubDocument, HubJudgement, HubOriginal, HubPanel, HubSubmission, MAX_PULL_LIMIT,
};

const SEPARATOR: char = '\u{1f}';

pub fn framework_key(id: &str, version: &str) -> String {
    format!("{id}{SEPARATOR}{version}")
}

pub fn judgement_key(submission: &str, standard: &str, reviewer: &str) -> String {
    format!("{submission}{SEPARATOR}{standard}{SEPARATOR}{reviewer}")
}

/// Appends a change to the feed and returns its sequence number. A judgement's goes through
/// `append_judgement_change`, which also fills its standard and reviewer columns.
pub fn append_change(
    tx: &rusqlite::Connection,
    kind: &str,
    submission: Option<&str>,
    key: &str,
    recipient: Option<&str>,
) -> Result<i64> {
    debug_assert_ne!(kind, "judgement", "judgement changes go through append_judgement_change");
    tx.prepare_cached("INSERT INTO hub_changes (kind, submission_id, entity_key, recipient) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![kind, submission, key, recipient])?;
    Ok(tx.last_insert_rowid())
}

/// Appends a change of `reviewer`'s judgement of `standard` to the feed (for `recipient` alone,
/// when re-issued to one reader) and returns its sequence number.
pub fn append_judgement_change(
    tx: &rusqlite::Connection,
    submission: &str,
    standard: &str,
    reviewer: &str,
    recipient: Option<&str>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO hub_changes (kind, submission_id, entity_key, recipient, standard_code, reviewer_id)
         VALUES ('judgement', ?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![submission, judgement_key(submission, standard, reviewer), recipient, standard, reviewer])?;
    Ok(tx.last_insert_rowid())
}

/// One row of a pull: a change, and for a judgement's change the judgement as it is now (read
/// in the same query, so that no judgement is read on its own).
struct FeedRow {
    seq: i64,
    kind: String,
    submission: Option<String>,
    key: String,
    judgement: Option<HubJudgement>,
}

/// The changes after `?1`, up to `?3` (the feed's end when the pull began), addressed to
/// everyone or to the caller `?2`, at most `?5` of them, narrowed to what `decide` could allow
/// the caller, so that rows it would refuse are not read at all: a change of a submission only
/// for the office (`?4`) or someone on its panel (chair or member; `decide` refuses everyone
/// else every read of it), and a judgement only the caller's own, or one that is not a draft
/// (`decide` shows a draft to its author alone) on a submission the caller chairs, or the
/// office, or where the caller has submitted a judgement of their own (a member sees the
/// others' only once they have submitted all theirs, so at least one). `decide` still rules on
/// every row returned: these are conditions it needs, never ones it is satisfied by.
///
/// The judgement condition is written as two terms, the first on the change alone, so that
/// SQLite tests it before it looks the judgement up: a reviewer's first pull passes every other
/// reviewer's judgement of their submissions, and the sets of submissions are built once per
/// query rather than probed per row.
const FEED_QUERY: &str = "
    SELECT c.seq, c.kind, c.submission_id, c.entity_key, c.standard_code, c.reviewer_id,
           j.outcome, j.rationale, j.state, j.version, j.updated_at
    FROM hub_changes c
    LEFT JOIN judgements j ON c.kind = 'judgement' AND j.submission_id = c.submission_id
        AND j.reviewer_id = c.reviewer_id AND j.standard_code = c.standard_code
    WHERE c.seq > ?1 AND c.seq <= ?3 AND (c.recipient IS NULL OR c.recipient = ?2)
      AND (?4 OR c.submission_id IS NULL OR c.submission_id IN (
            SELECT submission_id FROM panels WHERE chair = ?2
            UNION SELECT submission_id FROM panel_members WHERE user_id = ?2))
      AND (c.kind <> 'judgement' OR c.reviewer_id = ?2 OR ?4 OR c.submission_id IN (
            SELECT submission_id FROM panels WHERE chair = ?2
            UNION SELECT submission_id FROM judgements WHERE reviewer_id = ?2 AND state = 'submitted'))
      AND (c.kind <> 'judgement' OR c.reviewer_id = ?2 OR j.state <> 'draft')
    ORDER BY c.seq LIMIT ?5";

/// A judgement as `FEED_QUERY` reads it: standard, reviewer, outcome, rationale, state, rev,
/// updated at (parsed by `FeedRow::parse`, where a bad value can be reported).
type RawJudgement = (String, String, Option<String>, String, String, i64, String);

/// A row of `FEED_QUERY` as read.
struct RawRow {
    seq: i64,
    kind: String,
    submission: Option<String>,
    key: String,
    judgement: Option<RawJudgement>,
}

fn feed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    // No judgement row (a change of something else, or of a judgement since removed): no state.
    let judgement = match r.get::<_, Option<String>>(8)? {
        Some(state) => Some((r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, state, r.get(9)?, r.get(10)?)),
        None => None,
    };
    Ok(RawRow { seq: r.get(0)?, kind: r.get(1)?, submission: r.get(2)?, key: r.get(3)?, judgement })
}

impl FeedRow {
    fn parse(RawRow { seq, kind, submission, key, judgement }: RawRow) -> Result<FeedRow> {
        let judgement = match (judgement, &submission) {
            (Some((standard, reviewer, outcome, rationale, state, rev, updated_at)), Some(submission)) => {
                Some(HubJudgement {
                    submission: submission.clone(),
                    standard,
                    reviewer,
                    outcome: outcome
                        .as_deref()
                        .map(|o| Outcome::parse(o).ok_or_else(|| HubError::Invalid(format!("bad outcome {o:?}"))))
                        .transpose()?,
                    rationale,
                    state: JudgementState::parse(&state)
                        .ok_or_else(|| HubError::Invalid(format!("bad state {state:?}")))?,
                    rev,
                    updated_at,
                })
            }
            _ => None,
        };
        Ok(FeedRow { seq, kind, submission, key, judgement })
    }
}

/// Per-pull memo of what the caller may do on each submission.
struct Visibility<'h> {
    hub: &'h Hub,
    caller: &'h Caller,
    /// Each submission's panel and stage, and (once a judgement needs it) whether the caller
    /// has submitted all theirs.
    access: HashMap<String, Option<(SubmissionAccess, Option<bool>)>>,
}

impl Visibility<'_> {
    fn allowed(&mut self, submission: &str, action: Action<'_>) -> Result<bool> {
        if !self.access.contains_key(submission) {
            let entry = self.hub.access(submission)?.map(|access| (access, None));
            self.access.insert(submission.to_string(), entry);
        }
        if let Some((access, submitted_all @ None)) = self.access.get_mut(submission).and_then(Option::as_mut)
            && action.depends_on_submitted_all(&self.caller.user.id)
        {
            *submitted_all = Some(self.hub.submitted_all(submission, &access.panel, &self.caller.user.id)?);
        }
        let context =
            self.access[submission].as_ref().map(|(access, submitted_all)| super::permissions::PanelContext {
                chair: &access.panel.chair,
                member: access.panel.member(&self.caller.user.id),
                stage: access.stage,
                // Not needed for this action (above), so either value decides alike.
                submitted_all: submitted_all.unwrap_or(false),
                members: &access.panel.members,
            });
        Ok(decide(self.caller.actor(), context.as_ref(), action).allowed())
    }

    /// The standards the caller is limited to on a submission, if any.
    fn limited_to(&self, submission: &str) -> Option<Vec<String>> {
        let (access, _) = self.access.get(submission)?.as_ref()?;
        access.panel.member(&self.caller.user.id).and_then(|m| m.standards.clone())
    }
}

impl Hub {
    /// The changes after `since` that `caller` may see, at most `limit` of them.
    pub fn changes(&self, caller: &Caller, since: i64, limit: usize) -> Result<ChangesResponse> {
        let limit = limit.clamp(1, MAX_PULL_LIMIT);
        let conn = self.store.connection();
        // The feed's end as the pull begins: rows committed later have higher numbers and are
        // left for the next pull, so a page that reaches this end may say so as its cursor.
        let end: i64 =
            conn.prepare_cached("SELECT coalesce(max(seq), 0) FROM hub_changes")?.query_row([], |r| r.get(0))?;
        if since >= end {
            // Nothing since the cursor (a sync with nothing to do): no more reading.
            return Ok(ChangesResponse { changes: Vec::new(), next: since, more: false });
        }
        // Rows `decide` would refuse anyway are left out by the query; of the rest, a page
        // reads a bounded number.
        let scan = (limit * 4) as i64;
        let admin = caller.actor().admin;
        let rows: Vec<FeedRow> = {
            let mut stmt = conn.prepare_cached(FEED_QUERY)?;
            let raw = stmt
                .query_map(params![since, caller.user.id, end, admin, scan], feed_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            raw.into_iter().map(FeedRow::parse).collect::<Result<_>>()?
        };
        let scanned_all = (rows.len() as i64) < scan;
        let mut visibility = Visibility { hub: self, caller, access: HashMap::new() };
        let mut changes = Vec::new();
        let mut seen = HashSet::new();
        let mut next = since;
        let mut full = false;
        for row in rows {
            if changes.len() >= limit {
                full = true;
                break;
            }
            next = row.seq;
            // The feed carries current state, so one entity once per page is enough.
            if !seen.insert((row.kind.clone(), row.key.clone())) {
                continue;
            }
            if let Some(change) = self.change(&mut visibility, row)? {
                changes.push(change);
            }
        }
        // Every row up to the end was looked at (those the query left out are not the
        // caller's): the cursor goes to the end, so the next pull does not pass them again.
        if scanned_all && !full {
            next = end;
        }
        Ok(ChangesResponse { changes, next, more: !scanned_all || full })
    }

    fn change(&self, visibility: &mut Visibility<'_>, row: FeedRow) -> Result<Option<Change>> {
        let FeedRow { seq, kind, submission, key, judgement } = row;
        let parts: Vec<&str> = key.split(super::feed::SEPARATOR).collect();
        Ok(match (kind.as_str(), submission.as_deref(), parts.as_slice()) {
            ("framework", _, [id, version]) => {
                self.store.load_framework(id, version)?.map(|framework| Change::Framework { seq, framework })
            }
            ("submission", Some(id), _) if visibility.allowed(id, Action::ReadSubmission)? => {
                let limited = visibility.limited_to(id);
                Some(Change::Submission { seq, submission: Box::new(self.submission_payload(id, limited.as_deref())?) })
            }
            ("panel", Some(id), _) if visibility.allowed(id, Action::ReadSubmission)? => match self.panel_payload(id) {
                Ok(panel) => Some(Change::Panel { seq, panel }),
                // A panel since removed: nothing to send, and no reason to fail the whole page.
                Err(HubError::Store(StoreError::UnknownSubmission(_))) => None,
                Err(e) => return Err(e),
            },
            ("judgement", Some(id), _) => match judgement {
                Some(j)
                    if visibility.allowed(
                        id,
                        Action::ReadJudgement { reviewer: &j.reviewer, standard: &j.standard, state: j.state },
                    )? =>
                {
                    Some(Change::Judgement { seq, judgement: j })
                }
                _ => None,
            },
            ("consolidation", Some(id), _) if visibility.allowed(id, Action::ReadConsolidation)? => {
                let (consolidation, rev) = self.consolidation(id)?;
                Some(Change::Consolidation { seq, submission: id.to_string(), consolidation, rev })
            }
            // The panel's record where the caller may read it, else the provider's report.
            ("report", Some(id), _) if visibility.allowed(id, Action::ReadReport { record: false })? => {
                let audience = if visibility.allowed(id, Action::ReadReport { record: true })? {
                    crate::report::Audience::Panel
                } else {
                    crate::report::Audience::Provider
                };
                self.pushed_report(id, audience)?.map(|pushed| Change::Report { seq, pushed: Box::new(pushed) })
            }
            _ => None,
        })
    }

    /// The hub's current judgement, if there is one.
    pub fn judgement(&self, submission: &str, standard: &str, reviewer: &str) -> Result<Option<HubJudgement>> {
        // On the hub a judgement's version is its revision.
        Ok(self.store.judgement(submission, standard, reviewer)?.map(|j| HubJudgement {
            submission: j.submission,
            standard: j.standard,
            reviewer: j.reviewer,
            outcome: j.outcome,
            rationale: j.rationale,
            state: j.state,
            rev: j.version,
            updated_at: j.updated_at,
        }))
    }

    /// A submission as a caller sees it: a member limited to some standards gets only those.
    fn submission_payload(&self, id: &str, limited: Option<&[String]>) -> Result<HubSubmission> {
        let s = self.store.submission_summary(id)?;
        let conn = self.store.connection();
        let scope: Vec<(String, String, String)> = {
            let mut stmt = conn.prepare_cached(
                "SELECT framework_id, framework_version, standard_code FROM submission_standards WHERE submission_id = ?1 ORDER BY ord",
            )?;
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let visible = |code: &str| limited.is_none_or(|l| l.iter().any(|c| c == code));
        let mut frameworks: Vec<FrameworkRef> = Vec::new();
        for (framework, version, code) in &scope {
            if !frameworks.iter().any(|f| &f.id == framework && &f.version == version) {
                frameworks.push(FrameworkRef {
                    id: framework.clone(),
                    version: version.clone(),
                    standards: Some(Vec::new()),
                });
            }
            if visible(code) {
                let f =
                    frameworks.iter_mut().find(|f| &f.id == framework && &f.version == version).expect("pushed above");
                f.standards.get_or_insert_with(Vec::new).push(code.clone());
            }
        }
        // A framework reviewed in full is named without a list of standards.
        for f in &mut frameworks {
            let total: i64 = conn
                .prepare_cached("SELECT count(*) FROM standards WHERE framework_id = ?1 AND framework_version = ?2")?
                .query_row([&f.id, &f.version], |r| r.get(0))?;
            if f.standards.as_ref().is_some_and(|s| s.len() as i64 == total) {
                f.standards = None;
            }
        }
        frameworks.retain(|f| f.standards.as_ref().is_none_or(|s| !s.is_empty()));
        let mappings: Vec<Mapping> = {
            let mut stmt = conn.prepare_cached(
                "SELECT m.standard_code, m.narrative, m.evidence FROM mappings m
                 JOIN submission_standards ss ON ss.submission_id = m.submission_id AND ss.standard_code = m.standard_code
                 WHERE m.submission_id = ?1 ORDER BY ss.ord",
            )?;
            let rows: Vec<(String, String, String)> =
                stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .filter(|(code, ..)| visible(code))
                .map(|(standard, narrative, evidence)| {
                    Ok(Mapping {
                        standard,
                        narrative,
                        evidence: serde_json::from_str(&evidence).map_err(|e| HubError::Invalid(e.to_string()))?,
                    })
                })
                .collect::<Result<_>>()?
        };
        // A member limited to some standards (a lay member) gets only the documents those cite
        // and those marked for everyone.
        let allowed = limited.map(|standards| self.documents_for_limited(id, standards)).transpose()?;
        let mut original = conn.prepare_cached(
            "SELECT d.original_sha256, o.media_type, length(o.bytes), d.extractor, d.pages
             FROM document_originals d JOIN originals o ON o.sha256 = d.original_sha256
             WHERE d.submission_id = ?1 AND d.document_id = ?2",
        )?;
        let mut documents = Vec::new();
        for d in
            self.store.documents(id)?.into_iter().filter(|d| allowed.as_ref().is_none_or(|ids| ids.contains(&d.id)))
        {
            let original = original
                .query_row([id, d.id.as_str()], |r| {
                    Ok(HubOriginal {
                        sha256: r.get(0)?,
                        media_type: r.get(1)?,
                        size: r.get::<_, i64>(2)?.max(0) as u64,
                        extractor: r.get(3)?,
                        pages: r.get(4)?,
                    })
                })
                .optional()?;
            documents.push(HubDocument {
                id: d.id,
                title: d.title,
                media_type: d.media_type,
                sha256: d.sha256,
                original,
            });
        }
        Ok(HubSubmission {
            id: s.id,
            frameworks,
            header: s.header,
            stage: s.stage,
            stage_note: s.stage_note,
            documents,
            mappings,
        })
    }

    fn panel_payload(&self, id: &str) -> Result<HubPanel> {
        let panel = self.store.panel(id)?;
        let mut people = Vec::new();
        let mut stmt =
            self.store.connection().prepare_cached("SELECT id, name, title, background FROM people WHERE id = ?1")?;
        for user in std::iter::once(&panel.chair).chain(panel.members.iter().map(|m| &m.user)) {
            if let Some(person) = stmt
                .query_row([user], |r| {
                    Ok(Person { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, background: r.get(3)? })
                })
                .optional()?
            {
                people.push(person);
            }
        }
        Ok(HubPanel {
            submission: panel.submission,
            chair: panel.chair,
            reviews_due: panel.reviews_due,
            panel_date: panel.panel_date,
            members: panel.members,
            people,
        })
    }

    /// The documents of `submission` that a member limited to `standards` (a lay member)
    /// receives: those their standards' mappings cite, and those the office marked for everyone
    /// (`accredit hub share`). The one rule for the feed and for fetching text or original.
    fn documents_for_limited(&self, submission: &str, standards: &[String]) -> Result<HashSet<String>> {
        let conn = self.store.connection();
        let mut stmt = conn.prepare_cached("SELECT standard_code, evidence FROM mappings WHERE submission_id = ?1")?;
        let mappings: Vec<(String, String)> =
            stmt.query_map([submission], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut ids = HashSet::new();
        for (standard, evidence) in mappings.iter().filter(|(code, _)| standards.contains(code)) {
            let evidence: Vec<crate::domain::EvidenceRef> = serde_json::from_str(evidence)
                .map_err(|e| HubError::Invalid(format!("bad evidence of {standard}: {e}")))?;
            ids.extend(evidence.into_iter().map(|e| e.document));
        }
        let mut stmt = conn.prepare_cached("SELECT document_id FROM hub_shared_documents WHERE submission_id = ?1")?;
        for id in stmt.query_map([submission], |r| r.get::<_, String>(0))? {
            ids.insert(id?);
        }
        Ok(ids)
    }

    /// Whether `caller` may read a document's content (its text or its original) held by the
    /// documents `holders` (submission, document id): someone who may read one of those
    /// submissions, and a member limited to some standards (a lay member) only where those
    /// standards cite the document or the office marked it for everyone. The one rule for
    /// `document` and `original`.
    fn may_read_content(&self, caller: &Caller, holders: &[(String, String)]) -> Result<bool> {
        let mut visibility = Visibility { hub: self, caller, access: HashMap::new() };
        let mut submissions: Vec<&str> = holders.iter().map(|(s, _)| s.as_str()).collect();
        submissions.dedup();
        for submission in submissions {
            if !visibility.allowed(submission, Action::ReadSubmission)? {
                continue;
            }
            let readable = match visibility.limited_to(submission) {
                None => true,
                Some(standards) => {
                    let allowed = self.documents_for_limited(submission, &standards)?;
                    holders.iter().any(|(s, d)| s == submission && allowed.contains(d))
                }
            };
            if readable {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The (submission, document id) pairs of `sql`'s rows for `sha256`, in submission order.
    fn holders(&self, sql: &str, sha256: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.store.connection().prepare_cached(sql)?;
        Ok(stmt.query_map([sha256], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?)
    }

    /// A document's text by SHA-256, if the caller may read a submission that cites it.
    pub fn document(&self, caller: &Caller, sha256: &str) -> Result<Option<String>> {
        let holders = self
            .holders("SELECT submission_id, id FROM documents WHERE sha256 = ?1 ORDER BY submission_id, id", sha256)?;
        if !self.may_read_content(caller, &holders)? {
            return Ok(None);
        }
        Ok(self
            .store
            .connection()
            .prepare_cached("SELECT content FROM blobs WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?)
    }

    /// An original file's bytes by SHA-256, under the same permission as its document's text.
    pub fn original(&self, caller: &Caller, sha256: &str) -> Result<Option<Vec<u8>>> {
        let holders = self.holders(
            "SELECT submission_id, document_id FROM document_originals WHERE original_sha256 = ?1
             ORDER BY submission_id, document_id",
            sha256,
        )?;
        if !self.may_read_content(caller, &holders)? {
            return Ok(None);
        }
        Ok(self
            .store
            .connection()
            .prepare_cached("SELECT bytes FROM originals WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::wire::UserRole;

    /// What `caller` may see of the whole feed, computed the plain way the pull did before it
    /// was narrowed in SQL: every row addressed to everyone or to them, each judgement read on
    /// its own, `decide` on each. The narrowed pull must give exactly this.
    fn reference(hub: &Hub, caller: &Caller) -> BTreeSet<String> {
        let rows: Vec<(i64, String, Option<String>, String)> = {
            let mut stmt = hub
                .store
                .connection()
                .prepare(
                    "SELECT seq, kind, submission_id, entity_key FROM hub_changes
                     WHERE recipient IS NULL OR recipient = ?1 ORDER BY seq",
                )
                .unwrap();
            stmt.query_map([&caller.user.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let mut visibility = Visibility { hub, caller, access: HashMap::new() };
        let mut out = BTreeSet::new();
        for (_, kind, submission, key) in rows {
            let parts: Vec<&str> = key.split(SEPARATOR).collect();
            let visible = match (kind.as_str(), submission.as_deref(), parts.as_slice()) {
                ("framework", _, _) => true,
                ("submission", Some(id), _) => visibility.allowed(id, Action::ReadSubmission).unwrap(),
                ("panel", Some(id), _) => {
                    visibility.allowed(id, Action::ReadSubmission).unwrap() && hub.store.panel(id).is_ok()
                }
                ("consolidation", Some(id), _) => visibility.allowed(id, Action::ReadConsolidation).unwrap(),
                ("report", Some(id), _) => {
                    visibility.allowed(id, Action::ReadReport { record: false }).unwrap()
                        && hub.pushed_report(id, crate::report::Audience::Provider).unwrap().is_some()
                }
                ("judgement", Some(id), [_, standard, reviewer]) => {
                    match hub.judgement(id, standard, reviewer).unwrap() {
                        Some(j) => visibility
                            .allowed(id, Action::ReadJudgement { reviewer, standard, state: j.state })
                            .unwrap(),
                        None => false,
                    }
                }
                _ => false,
            };
            if visible {
                out.insert(format!("{kind} {key}"));
            }
        }
        out
    }

    /// What a pull from 0 in pages of `limit` gives `caller`, checking each page's cursor.
    fn pulled(hub: &Hub, caller: &Caller, limit: usize) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut since = 0;
        loop {
            let page = hub.changes(caller, since, limit).unwrap();
            assert!(page.changes.len() <= limit);
            assert!(
                page.changes.iter().all(|c| c.seq() > since && c.seq() <= page.next),
                "changes lie in (since, next]"
            );
            for change in &page.changes {
                out.insert(match change {
                    Change::Framework { framework, .. } => {
                        format!("framework {}", framework_key(&framework.id, &framework.version))
                    }
                    Change::Submission { submission, .. } => format!("submission {}", submission.id),
                    Change::Panel { panel, .. } => format!("panel {}", panel.submission),
                    Change::Judgement { judgement: j, .. } => {
                        format!("judgement {}", judgement_key(&j.submission, &j.standard, &j.reviewer))
                    }
                    Change::Consolidation { submission, .. } => format!("consolidation {submission}"),
                    Change::Report { pushed, .. } => format!("report {}", pushed.report.submission),
                });
            }
            if !page.more {
                // Nothing after the cursor is for the caller: asking again gives nothing.
                let again = hub.changes(caller, page.next, limit).unwrap();
                assert!(again.changes.is_empty() && !again.more && again.next == page.next);
                return out;
            }
            assert!(page.next > since, "the cursor moves");
            since = page.next;
        }
    }

    fn sql(hub: &Hub, statement: &str) {
        hub.store.connection().execute_batch(statement).unwrap();
    }

    /// Every demo person, an office account and someone on no panel, in every state the demo
    /// can be put in that changes what they see: as seeded; with one judgement of a reviewer
    /// submitted and then all (the reveal to them); with a member recused after judging; with a
    /// panel removed (the office alone reads it, drafts never); with a lay member limited.
    #[test]
    fn the_narrowed_pull_gives_exactly_what_decide_allows_everyone() {
        let mut hub = Hub::open_in_memory().unwrap();
        let mut tokens: HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
        for (id, role) in [("u-admin", UserRole::Admin), ("u-stranger", UserRole::Reviewer)] {
            let (_, token) = hub.add_user(Some(id), id, role).unwrap();
            tokens.insert(id.into(), token);
        }
        let steps: [(&str, &str); 6] = [
            ("as seeded", ""),
            (
                "u-demo submitted one of several",
                "UPDATE judgements SET state = 'submitted'
                 WHERE rowid = (SELECT min(rowid) FROM judgements WHERE reviewer_id = 'u-demo')",
            ),
            ("u-demo submitted everything", "UPDATE judgements SET state = 'submitted' WHERE reviewer_id = 'u-demo'"),
            (
                "a member recused after judging",
                "UPDATE panel_members SET recused = 1 WHERE user_id = (SELECT reviewer_id FROM judgements
                     WHERE reviewer_id <> 'u-demo' AND state = 'submitted' LIMIT 1)",
            ),
            (
                "a panel removed",
                "DELETE FROM panels WHERE submission_id = (SELECT submission_id FROM judgements WHERE state = 'draft' LIMIT 1)",
            ),
            (
                "a member limited to one standard",
                "UPDATE panel_members SET standards = json_array((SELECT standard_code FROM submission_standards
                     WHERE submission_standards.submission_id = panel_members.submission_id LIMIT 1))
                 WHERE rowid = (SELECT min(rowid) FROM panel_members WHERE recused = 0)",
            ),
        ];
        let mut users: Vec<&String> = tokens.keys().collect();
        users.sort();
        for (step, statement) in steps {
            if !statement.is_empty() {
                sql(&hub, statement);
            }
            for user in &users {
                let caller = hub.authenticate(&tokens[*user]).unwrap().unwrap();
                let expected = reference(&hub, &caller);
                assert_eq!(pulled(&hub, &caller, 1000), expected, "{user}, {step}, one page");
                assert_eq!(pulled(&hub, &caller, 7), expected, "{user}, {step}, pages of 7");
            }
        }
    }

    #[test]
    fn a_judgement_change_names_its_standard_and_reviewer() {
        let hub = Hub::open_in_memory().unwrap();
        let conn = hub.store.connection();
        let seq = append_judgement_change(conn, "S-1", "SET 1", "u-a", Some("u-b")).unwrap();
        let row: (String, String, String, String, String) = conn
            .query_row(
                "SELECT kind, entity_key, standard_code, reviewer_id, recipient FROM hub_changes WHERE seq = ?1",
                [seq],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            ("judgement".into(), judgement_key("S-1", "SET 1", "u-a"), "SET 1".into(), "u-a".into(), "u-b".into())
        );
    }
}
