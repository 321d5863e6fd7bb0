//! Members confirm the collated report is accurate (as university validation panels do): once
//! the chair has pushed a version, each voting member confirms it, with an optional comment. The
//! next push lists the confirmations in the report's sign-off.

use rusqlite::params;

use super::audit::{AuditAction, Record};
use super::{Caller, Hub, Result};
use crate::store::now_timestamp;
use crate::wire::{Confirmation, ConfirmationsResponse};

/// Why a confirmation is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmRefused {
    /// Not a voting member of this panel (the chair approves rather than confirms).
    NotAMember,
    /// The chair has pushed no report yet.
    NothingPushed,
    /// The member read `read`, but the chair has pushed `latest` since.
    NewerReport { read: i64, latest: i64 },
    /// The comment is longer than a rationale may be.
    CommentTooLong,
}

impl Hub {
    /// The members who confirm: voting, not recused, not the chair.
    fn confirmers(&self, submission: &str) -> Result<Vec<String>> {
        let panel = self.store.panel(submission)?;
        Ok(panel
            .members
            .iter()
            .filter(|m| m.role.votes() && !m.recused && m.user != panel.chair)
            .map(|m| m.user.clone())
            .collect())
    }

    /// Records the caller's confirmation of the latest pushed version (again: replaces theirs).
    pub fn confirm(
        &mut self,
        caller: &Caller,
        submission: &str,
        comment: &str,
        read: Option<i64>,
    ) -> Result<std::result::Result<Confirmation, ConfirmRefused>> {
        if self.access(submission)?.is_none() || !self.confirmers(submission)?.contains(&caller.user.id) {
            return Ok(Err(ConfirmRefused::NotAMember));
        }
        if comment.chars().count() > super::ops::MAX_RATIONALE_CHARS {
            return Ok(Err(ConfirmRefused::CommentTooLong));
        }
        let version: Option<i64> = self.store.connection().query_row(
            "SELECT max(version) FROM reports WHERE submission_id = ?1",
            [submission],
            |r| r.get(0),
        )?;
        let Some(version) = version else { return Ok(Err(ConfirmRefused::NothingPushed)) };
        if let Some(read) = read.filter(|&read| read != version) {
            return Ok(Err(ConfirmRefused::NewerReport { read, latest: version }));
        }
        let confirmed_at = now_timestamp();
        let tx = self.store.connection_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO hub_confirmations (submission_id, user_id, version, comment, confirmed_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (submission_id, user_id) DO UPDATE SET version = excluded.version,
               comment = excluded.comment, confirmed_at = excluded.confirmed_at",
            params![submission, caller.user.id, version, comment.trim(), confirmed_at],
        )?;
        let payload = serde_json::json!({ "version": version, "comment": comment.trim() }).to_string();
        let record = Record {
            submission: Some(submission),
            ..Record::new(&caller.user.id, AuditAction::ReportConfirm, payload.as_bytes())
        };
        super::audit::append(&tx, &record)?;
        // The chair sees it arrive, and the member's other machines see it done.
        super::feed::append_change(&tx, "report", Some(submission), submission, None)?;
        tx.commit()?;
        Ok(Ok(Confirmation {
            member: caller.user.id.clone(),
            name: self.store.person_name(&caller.user.id)?,
            version,
            comment: comment.trim().to_string(),
            confirmed_at,
        }))
    }

    /// Every confirmation of `submission` and who has not confirmed, in panel order.
    pub fn confirmation_list(&self, submission: &str) -> Result<ConfirmationsResponse> {
        let mut confirmations = Vec::new();
        let mut awaiting = Vec::new();
        for member in self.confirmers(submission)? {
            let found = self.store.connection().query_row(
                "SELECT version, comment, confirmed_at FROM hub_confirmations WHERE submission_id = ?1 AND user_id = ?2",
                params![submission, member],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
            );
            match found {
                Ok((version, comment, confirmed_at)) => confirmations.push(Confirmation {
                    name: self.store.person_name(&member)?,
                    member,
                    version,
                    comment,
                    confirmed_at,
                }),
                Err(rusqlite::Error::QueryReturnedNoRows) => awaiting.push(self.store.person_name(&member)?),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(ConfirmationsResponse { confirmations, awaiting })
    }

    /// The list for the panel's members and the office; `None` for anyone else.
    pub fn confirmations(&self, caller: &Caller, submission: &str) -> Result<Option<ConfirmationsResponse>> {
        let Some(access) = self.access(submission)? else { return Ok(None) };
        let on_panel = access.panel.chair == caller.user.id
            || access.panel.members.iter().any(|m| m.user == caller.user.id && !m.recused);
        if !on_panel && caller.user.role != crate::wire::UserRole::Admin {
            return Ok(None);
        }
        Ok(Some(self.confirmation_list(submission)?))
    }
}
