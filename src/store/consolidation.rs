//! The chair's consolidation in the cache, and everything a panel report is made from.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, now_timestamp};
use crate::domain::consolidation::Consolidation;
use crate::domain::report_input::{
    ConfirmationFacts, FrameworkFacts, IssueInput, ReportInput, StandardFacts, SubmissionFacts,
};
use crate::domain::{JudgementState, Outcome};

pub(super) fn confirmations_key(submission: &str) -> String {
    format!("confirmations/{submission}")
}

impl Store {
    /// Keeps the hub's list of members' confirmations, for the sign-off of reports built here.
    pub fn record_confirmations(&self, submission: &str, confirmations: &[ConfirmationFacts]) -> Result<()> {
        let json = serde_json::to_string(confirmations).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.set_meta(&confirmations_key(submission), &json)
    }
}

/// A pushed version of a panel report as this cache holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedVersion {
    pub version: i64,
    pub markdown: String,
    pub pushed_at: String,
}

/// The `meta` key of the organisation that sends reports (set on the hub, copied to clients).
pub const ORGANISATION_KEY: &str = "organisation";

impl Store {
    /// The consolidation of `submission` (empty until the chair starts one).
    pub fn consolidation(&self, submission: &str) -> Result<Consolidation> {
        let body: Option<String> = self
            .conn
            .query_row("SELECT body FROM consolidations WHERE submission_id = ?1", [submission], |r| r.get(0))
            .optional()?;
        match body {
            Some(body) => serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("consolidation of {submission}: {e}"))),
            None => Ok(Consolidation::default()),
        }
    }

    /// Saves the chair's consolidation; only the panel's chair may.
    /// The decision's date and conditions' sign-off dates are stamped here (see
    /// [`Consolidation::stamp_dates`]).
    pub fn save_consolidation(&mut self, submission: &str, me: &str, consolidation: &Consolidation) -> Result<()> {
        let panel = self.panel(submission)?;
        if panel.chair != me {
            return Err(StoreError::NotChair(submission.to_string()));
        }
        let mut consolidation = consolidation.clone();
        consolidation.stamp_dates(&self.consolidation(submission)?, jiff::Zoned::now().date());
        let consolidation = &consolidation;
        let body = serde_json::to_string(consolidation).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let queued = serde_json::to_string(&super::replica::QueuedConsolidation {
            submission: submission.to_string(),
            consolidation: consolidation.clone(),
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = now_timestamp();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO consolidations (submission_id, body, version, updated_at) VALUES (?1, ?2, 1, ?3)
             ON CONFLICT (submission_id) DO UPDATE SET body = excluded.body, version = version + 1,
               updated_at = excluded.updated_at",
            params![submission, body, now],
        )?;
        // The row and its outbox op in one transaction; unsent edits coalesce.
        let hub_rev: i64 =
            tx.query_row("SELECT hub_rev FROM consolidations WHERE submission_id = ?1", [submission], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO outbox (op_id, entity, entity_key, base_rev, payload, created_at)
             VALUES (?1, 'consolidation', ?2, ?3, ?4, ?5)
             ON CONFLICT (entity, entity_key) WHERE sent = 0 DO UPDATE SET payload = excluded.payload",
            params![uuid::Uuid::now_v7().to_string(), submission, hub_rev, queued, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps the Markdown of a version pushed to the hub, to show what changed since (which
    /// Markdown, the caller asks the report module's `kept_markdown`: the store renders nothing).
    pub fn record_pushed_report(
        &self,
        submission: &str,
        version: i64,
        sha256: &str,
        markdown: &str,
        pushed_by: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO reports (submission_id, version, sha256, json, markdown, html, pushed_by, pushed_at)
             VALUES (?1, ?2, ?3, '', ?4, '', ?5, ?6)
             ON CONFLICT DO NOTHING",
            params![submission, version, sha256, markdown, pushed_by, now_timestamp()],
        )?;
        Ok(())
    }

    /// The latest pushed version this cache knows of: (version, sha256 of its draft JSON, when).
    pub fn last_pushed_version(&self, submission: &str) -> Result<Option<(i64, String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT version, sha256, pushed_at FROM reports WHERE submission_id = ?1 ORDER BY version DESC LIMIT 1",
                [submission],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// The latest pushed version this cache knows of.
    pub fn last_pushed_report(&self, submission: &str) -> Result<Option<PushedVersion>> {
        Ok(self
            .conn
            .query_row(
                "SELECT version, markdown, pushed_at FROM reports WHERE submission_id = ?1 ORDER BY version DESC LIMIT 1",
                [submission],
                |r| Ok(PushedVersion { version: r.get(0)?, markdown: r.get(1)?, pushed_at: r.get(2)? }),
            )
            .optional()?)
    }

    /// The content hash of a pushed version: a draft with the same hash is that version.
    pub fn pushed_report_sha256(&self, submission: &str, version: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT sha256 FROM reports WHERE submission_id = ?1 AND version = ?2",
                rusqlite::params![submission, version],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Gathers what the panel report of `submission` is made from.
    pub fn report_input(&self, submission: &str) -> Result<ReportInput> {
        let s = self.submission_summary(submission)?;
        let panel = self.panel(submission)?;
        let consolidation = self.consolidation(submission)?;
        let partial = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT ss.framework_id, ss.framework_version, count(*),
                        (SELECT count(*) FROM standards st WHERE st.framework_id = ss.framework_id
                            AND st.framework_version = ss.framework_version)
                 FROM submission_standards ss WHERE ss.submission_id = ?1 GROUP BY ss.framework_id, ss.framework_version",
            )?;
            let rows: Vec<(i64, i64)> =
                stmt.query_map([submission], |r| Ok((r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
            rows.iter().any(|(in_scope, total)| in_scope < total)
        };
        let frameworks = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT f.id, f.version, f.title, f.official FROM frameworks f
                 WHERE EXISTS (SELECT 1 FROM submission_standards ss WHERE ss.submission_id = ?1
                     AND ss.framework_id = f.id AND ss.framework_version = f.version)
                 ORDER BY (SELECT min(ord) FROM submission_standards ss WHERE ss.submission_id = ?1
                     AND ss.framework_id = f.id AND ss.framework_version = f.version)",
            )?;
            stmt.query_map([submission], |r| {
                Ok(FrameworkFacts { id: r.get(0)?, version: r.get(1)?, title: r.get(2)?, official: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let standards = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT ss.framework_id, sec.title, ss.standard_code, st.title, m.evidence, st.statement,
                     f.rationale_required
                 FROM submission_standards ss
                 JOIN frameworks f ON f.id = ss.framework_id AND f.version = ss.framework_version
                 JOIN standards st ON st.framework_id = ss.framework_id AND st.framework_version = ss.framework_version
                     AND st.code = ss.standard_code
                 JOIN sections sec ON sec.framework_id = st.framework_id AND sec.framework_version = st.framework_version
                     AND sec.code = st.section_code
                 LEFT JOIN mappings m ON m.submission_id = ss.submission_id AND m.standard_code = ss.standard_code
                 WHERE ss.submission_id = ?1 ORDER BY ss.ord",
            )?;
            type Row = (String, String, String, String, Option<String>, String, String);
            let rows: Vec<Row> = stmt
                .query_map([submission], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .map(|(framework, section, code, title, evidence, statement, required)| {
                    Ok(StandardFacts {
                        framework,
                        section,
                        code,
                        title,
                        statement,
                        evidence: evidence
                            .as_deref()
                            .map(serde_json::from_str)
                            .transpose()
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?
                            .unwrap_or_default(),
                        rationale_required: serde_json::from_str(&required)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        };
        let documents = self.documents(submission)?.into_iter().map(|d| (d.id, d.title)).collect();
        let names = std::iter::once(&panel.chair)
            .chain(panel.members.iter().map(|m| &m.user))
            .map(|id| Ok((id.clone(), self.person_name(id)?)))
            .collect::<Result<Vec<_>>>()?;
        let judgements = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT standard_code, reviewer_id, outcome FROM judgements
                 WHERE submission_id = ?1 AND state = ?2 AND outcome IS NOT NULL ORDER BY standard_code, reviewer_id",
            )?;
            let rows: Vec<(String, String, String)> = stmt
                .query_map(params![submission, JudgementState::Submitted.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .filter_map(|(code, reviewer, outcome)| Outcome::parse(&outcome).map(|o| (code, reviewer, o)))
                .collect()
        };
        Ok(ReportInput {
            submission: SubmissionFacts { id: s.id, header: s.header, partial },
            frameworks,
            standards,
            documents,
            panel,
            names,
            judgements,
            rules: consolidation.rules(),
            consolidation,
            organisation: self.meta(ORGANISATION_KEY)?,
            issue: IssueInput::Draft,
            confirmations: match self.meta(&confirmations_key(submission))? {
                Some(json) => serde_json::from_str(&json)
                    .map_err(|e| StoreError::Corrupt(format!("confirmations of {submission}: {e}")))?,
                None => Vec::new(),
            },
        })
    }
}
