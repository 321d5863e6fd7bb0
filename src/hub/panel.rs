//! The chair's side of the hub: the consolidation (one document per submission, written by the
//! chair alone) and the panel reports pushed to the accreditation office.

use rusqlite::{OptionalExtension, params};

use super::audit::{AuditAction, Record};
use super::feed::append_change;
use super::permissions::{Action, Decision, decide};
use super::{Caller, Hub, HubError, Result};
use crate::domain::consolidation::Consolidation;
use crate::domain::report_input::ConfirmationFacts;
use crate::report::{self, Audience, Format};
use crate::store::now_timestamp;
use crate::wire::{Op, OpOutcome, PushedReport, ReportVersion};

/// Why a report cannot be pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushRefused {
    Forbidden,
    /// The chair's, but the submission is not at the panel review stage.
    Stage(String),
    /// Voting members who have not submitted their judgements, by name.
    NotSubmitted(Vec<String>),
    /// The consolidation is not a complete report: every problem.
    Incomplete(Vec<String>),
}

/// Why a pushed version of a report is not served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRefused {
    /// No such version, or (the same answer) the caller is not on the panel.
    Missing,
    /// On the panel, but not allowed this rendering: why.
    Denied(&'static str),
}

impl Hub {
    fn consolidation_access(&self, caller: &Caller, submission: &str, action: Action<'_>) -> Result<Decision> {
        let Some(access) = self.access(submission)? else {
            return Ok(decide(caller.actor(), None, action));
        };
        let context = self.context_for(&access, caller, &action)?;
        Ok(decide(caller.actor(), Some(&context), action))
    }

    /// The hub's consolidation of `submission` and its revision (0: none yet).
    pub fn consolidation(&self, submission: &str) -> Result<(Consolidation, i64)> {
        let rev: i64 = self
            .store
            .connection()
            .query_row("SELECT version FROM consolidations WHERE submission_id = ?1", [submission], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        Ok((self.store.consolidation(submission)?, rev))
    }

    /// Applies the chair's consolidation. Only the chair writes it, so two versions can only come
    /// from one person on two machines: the newer push wins, and the version it replaces is kept
    /// as a conflict copy, never discarded.
    pub(super) fn apply_consolidation(
        &mut self,
        caller: &Caller,
        op: &Op,
        submission: &str,
        body: &Consolidation,
    ) -> Result<OpOutcome> {
        if let Decision::Deny(reason) = self.consolidation_access(caller, submission, Action::WriteConsolidation)? {
            let outcome = OpOutcome::Rejected { reason: reason.into(), current: None };
            super::ops::record_answer(self.store.connection(), &op.op_id, &caller.user.id, &outcome)?;
            return Ok(outcome);
        }
        let (current, rev) = self.consolidation(submission)?;
        let text = serde_json::to_string(body).map_err(|e| HubError::Invalid(e.to_string()))?;
        // Inside the push's transaction (see `apply_ops`).
        let tx = self.store.connection_mut().savepoint()?;
        if op.base_rev != rev && rev > 0 {
            tx.execute(
                "INSERT INTO hub_conflicts (op_id, user_id, payload, current_rev, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    op.op_id,
                    caller.user.id,
                    serde_json::to_string(&current).map_err(|e| HubError::Invalid(e.to_string()))?,
                    rev,
                    now_timestamp()
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO consolidations (submission_id, body, version, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (submission_id) DO UPDATE SET body = excluded.body, version = excluded.version,
               updated_at = excluded.updated_at",
            params![submission, text, rev + 1, now_timestamp()],
        )?;
        let seq = append_change(&tx, "consolidation", Some(submission), submission, None)?;
        let record = Record {
            submission: Some(submission),
            op_id: Some(&op.op_id),
            ..Record::new(&caller.user.id, AuditAction::ConsolidationSave, text.as_bytes())
        };
        super::audit::append(&tx, &record)?;
        let outcome = OpOutcome::Applied { rev: rev + 1, seq };
        super::ops::record_answer(&tx, &op.op_id, &caller.user.id, &outcome)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Builds the panel report from the hub's own data and keeps it as a new version, unless
    /// this exact report was pushed before. Only the panel's chair pushes, and only a complete
    /// report.
    pub fn push_report(
        &mut self,
        caller: &Caller,
        submission: &str,
    ) -> Result<Result<(ReportVersion, bool), PushRefused>> {
        let Some(access) = self.access(submission)? else { return Ok(Err(PushRefused::Forbidden)) };
        let action = Action::WriteConsolidation;
        if !decide(caller.actor(), Some(&self.context_for(&access, caller, &action)?), action).allowed() {
            return Ok(Err(if access.panel.chair == caller.user.id {
                PushRefused::Stage(access.stage.label().to_string())
            } else {
                PushRefused::Forbidden
            }));
        }
        let mut waiting = Vec::new();
        for member in access.panel.members.iter().filter(|m| m.role.votes() && !m.recused) {
            if !self.submitted_all(submission, &access.panel, &member.user)? {
                waiting.push(self.store.person_name(&member.user)?);
            }
        }
        if !waiting.is_empty() {
            return Ok(Err(PushRefused::NotSubmitted(waiting)));
        }
        let input = self.store.report_input(submission)?;
        let problems = input.problems();
        if !problems.is_empty() {
            return Ok(Err(PushRefused::Incomplete(problems)));
        }
        // The hash is of the draft, so the same consolidation is the same version; the kept
        // renderings are FINAL with their version and date of issue.
        let mut input = input;
        input.confirmations =
            self.confirmation_list(submission)?.confirmations.iter().map(ConfirmationFacts::from).collect();
        let sha256 = report::content_sha256(&report::build(&input));
        if let Some(existing) = self.report_versions(submission)?.into_iter().find(|r| r.sha256 == sha256) {
            return Ok(Ok((existing, false)));
        }
        let tx = self.store.connection_mut().transaction()?;
        let version: i64 = tx.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM reports WHERE submission_id = ?1",
            [submission],
            |r| r.get(0),
        )?;
        let pushed_at = now_timestamp();
        input.issue =
            report::IssueInput::Final { version, issued_on: pushed_at.get(..10).unwrap_or(&pushed_at).to_string() };
        let built = report::build(&input);
        let json = report::render(&built, Format::Json);
        tx.execute(
            "INSERT INTO reports (submission_id, version, sha256, json, markdown, html, pushed_by, pushed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                submission,
                version,
                sha256,
                json,
                report::render(&built, Format::Markdown),
                report::render(&built, Format::Html),
                caller.user.id,
                pushed_at
            ],
        )?;
        let record = Record {
            submission: Some(submission),
            ..Record::new(&caller.user.id, AuditAction::ReportPush, json.as_bytes())
        };
        super::audit::append(&tx, &record)?;
        // The members who confirm it (and the chair's other machines) learn of it from the feed.
        append_change(&tx, "report", Some(submission), submission, None)?;
        let letter = built.clone().for_audience(Audience::Provider);
        tx.execute(
            "INSERT INTO report_letters (submission_id, version, json, markdown, html) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                submission,
                version,
                report::render(&letter, Format::Json),
                report::render(&letter, Format::Markdown),
                report::render(&letter, Format::Html)
            ],
        )?;
        tx.commit()?;
        Ok(Ok((
            ReportVersion {
                submission: submission.into(),
                version,
                sha256,
                pushed_by: caller.user.id.clone(),
                pushed_at,
            },
            true,
        )))
    }

    /// The latest pushed version with its Markdown (for `audience`) and confirmations, as the
    /// feed carries it.
    pub(super) fn pushed_report(&self, submission: &str, audience: Audience) -> Result<Option<PushedReport>> {
        let Some(report) = self.report_versions(submission)?.pop() else { return Ok(None) };
        let markdown = self.rendering(submission, report.version, Format::Markdown, audience)?.unwrap_or_default();
        Ok(Some(PushedReport { report, markdown, confirmations: self.confirmation_list(submission)? }))
    }

    fn report_versions(&self, submission: &str) -> Result<Vec<ReportVersion>> {
        let mut stmt = self.store.connection().prepare_cached(
            "SELECT version, sha256, pushed_by, pushed_at FROM reports WHERE submission_id = ?1 ORDER BY version",
        )?;
        let rows = stmt
            .query_map([submission], |r| {
                Ok(ReportVersion {
                    submission: submission.to_string(),
                    version: r.get(0)?,
                    sha256: r.get(1)?,
                    pushed_by: r.get(2)?,
                    pushed_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every pushed version, for the chair, the office and the members who confirm; `None` when the caller may not see them.
    pub fn reports(&self, caller: &Caller, submission: &str) -> Result<Option<Vec<ReportVersion>>> {
        if !self.consolidation_access(caller, submission, Action::ReadReport { record: false })?.allowed() {
            return Ok(None);
        }
        Ok(Some(self.report_versions(submission)?))
    }

    /// One pushed version in one format, as the panel's record.
    pub fn report(&self, caller: &Caller, submission: &str, version: i64, format: Format) -> Result<Option<String>> {
        Ok(self.report_for(caller, submission, version, format, Audience::Panel)?.ok())
    }

    /// One pushed version in one format, for `audience` (the provider's letter has no appendix).
    pub fn report_for(
        &self,
        caller: &Caller,
        submission: &str,
        version: i64,
        format: Format,
        audience: Audience,
    ) -> Result<std::result::Result<String, ReportRefused>> {
        let record = audience == Audience::Panel;
        match self.consolidation_access(caller, submission, Action::ReadReport { record })? {
            Decision::Allow => {}
            // Off the panel, the same answer as for a submission that does not exist.
            Decision::Deny("not on this panel") => return Ok(Err(ReportRefused::Missing)),
            Decision::Deny(reason) => return Ok(Err(ReportRefused::Denied(reason))),
        }
        Ok(self.rendering(submission, version, format, audience)?.ok_or(ReportRefused::Missing))
    }

    /// A kept rendering of a pushed version (the panel's record, or the provider's letter).
    fn rendering(&self, submission: &str, version: i64, format: Format, audience: Audience) -> Result<Option<String>> {
        let column = match format {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
        };
        let table = match audience {
            Audience::Panel => "reports",
            Audience::Provider => "report_letters",
        };
        Ok(self
            .store
            .connection()
            .query_row(
                &format!("SELECT {column} FROM {table} WHERE submission_id = ?1 AND version = ?2"),
                params![submission, version],
                |r| r.get(0),
            )
            .optional()?)
    }
}
