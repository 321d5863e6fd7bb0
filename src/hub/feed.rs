//! The change feed: every accepted change gets the next number of one hub-wide sequence, and a
//! pull returns the changes after a cursor that the caller may see, as their current state
//! (docs/sync-protocol.md §5).

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};

use super::permissions::{Action, decide};
use super::{Caller, Hub, HubError, Result, SubmissionAccess};
use crate::domain::{FrameworkRef, Mapping, Person};
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

/// Appends a change to the feed and returns its sequence number.
pub fn append_change(
    tx: &rusqlite::Connection,
    kind: &str,
    submission: Option<&str>,
    key: &str,
    recipient: Option<&str>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO hub_changes (kind, submission_id, entity_key, recipient) VALUES (?1, ?2, ?3, ?4)",
        params![kind, submission, key, recipient],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Per-pull memo of what the caller may do on each submission.
struct Visibility<'h> {
    hub: &'h Hub,
    caller: &'h Caller,
    access: HashMap<String, Option<(SubmissionAccess, bool)>>,
}

impl Visibility<'_> {
    fn allowed(&mut self, submission: &str, action: Action<'_>) -> Result<bool> {
        if !self.access.contains_key(submission) {
            let entry = match self.hub.access(submission)? {
                Some(access) => {
                    let submitted_all = self.hub.submitted_all(submission, &access.panel, &self.caller.user.id)?;
                    Some((access, submitted_all))
                }
                None => None,
            };
            self.access.insert(submission.to_string(), entry);
        }
        let context =
            self.access[submission].as_ref().map(|(access, submitted_all)| super::permissions::PanelContext {
                chair: &access.panel.chair,
                member: access.panel.member(&self.caller.user.id),
                stage: access.stage,
                submitted_all: *submitted_all,
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
        // Changes the caller may not see are skipped, but a page scans a bounded number of rows.
        let scan = (limit * 4) as i64;
        let rows: Vec<(i64, String, Option<String>, String)> = {
            let mut stmt = self.store.connection().prepare_cached(
                "SELECT seq, kind, submission_id, entity_key FROM hub_changes
                 WHERE seq > ?1 AND (recipient IS NULL OR recipient = ?2) ORDER BY seq LIMIT ?3",
            )?;
            stmt.query_map(params![since, caller.user.id, scan], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let scanned_all = (rows.len() as i64) < scan;
        let mut visibility = Visibility { hub: self, caller, access: HashMap::new() };
        let mut changes = Vec::new();
        let mut seen = HashSet::new();
        let mut next = since;
        for (seq, kind, submission, key) in &rows {
            if changes.len() >= limit {
                break;
            }
            next = *seq;
            // The feed carries current state, so one entity once per page is enough.
            if !seen.insert((kind.clone(), key.clone())) {
                continue;
            }
            if let Some(change) = self.change(&mut visibility, *seq, kind, submission.as_deref(), key)? {
                changes.push(change);
            }
        }
        let more = !scanned_all || rows.last().is_some_and(|(seq, ..)| *seq > next);
        Ok(ChangesResponse { changes, next, more })
    }

    fn change(
        &self,
        visibility: &mut Visibility<'_>,
        seq: i64,
        kind: &str,
        submission: Option<&str>,
        key: &str,
    ) -> Result<Option<Change>> {
        let parts: Vec<&str> = key.split(super::feed::SEPARATOR).collect();
        Ok(match (kind, submission, parts.as_slice()) {
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
            ("judgement", Some(id), [_, standard, reviewer]) => match self.judgement(id, standard, reviewer)? {
                Some(j) if visibility.allowed(id, Action::ReadJudgement { reviewer, standard, state: j.state })? => {
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
            let total: i64 = conn.query_row(
                "SELECT count(*) FROM standards WHERE framework_id = ?1 AND framework_version = ?2",
                [&f.id, &f.version],
                |r| r.get(0),
            )?;
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
            .query_row("SELECT content FROM blobs WHERE sha256 = ?1", [sha256], |r| r.get(0))
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
            .query_row("SELECT bytes FROM originals WHERE sha256 = ?1", [sha256], |r| r.get(0))
            .optional()?)
    }
}
