//! Members' confirmations of the panel report on this replica: the hub's list, as the feed
//! brings it with each pushed version, and a member's own confirmation from the moment it is
//! typed until the hub has it (offline too: the next sync sends it, and a refusal keeps the
//! comment).

use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Result, Store, StoreError};
use crate::domain::report_input::ConfirmationFacts;
use crate::wire::{ConfirmationsResponse, PushedReport};

fn status_key(submission: &str) -> String {
    format!("report_confirmations/{submission}")
}

const PENDING_PREFIX: &str = "pending_confirmation/";

fn pending_key(submission: &str) -> String {
    format!("{PENDING_PREFIX}{submission}")
}

/// A member's confirmation typed here and not yet accepted by the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingConfirmation {
    pub submission: String,
    /// The version they read.
    pub version: i64,
    pub comment: String,
    /// Why the hub refused it, if it did (it is then kept, not sent again).
    #[serde(default)]
    pub refused: Option<String>,
}

/// Where the latest pushed report of a submission stands for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ConfirmStatus {
    /// The chair pushed `version` and the member has not confirmed a report yet.
    ToConfirm { version: i64 },
    /// Confirmed here, waiting for the next sync to reach the hub.
    Waiting { version: i64 },
    /// The hub refused the confirmation typed here (a newer version, say); the comment is kept.
    Refused { version: i64, reason: String },
    /// The hub holds the member's confirmation of `version`; `latest` is the newest pushed.
    Confirmed { version: i64, latest: i64 },
}

impl ConfirmStatus {
    /// Whether the member has something to do about the report.
    pub fn needs_me(&self) -> bool {
        matches!(self, ConfirmStatus::ToConfirm { .. } | ConfirmStatus::Refused { .. })
    }

    /// The queue's words for it.
    pub fn label(&self) -> String {
        match self {
            ConfirmStatus::ToConfirm { version } => format!("report v{version} to confirm"),
            ConfirmStatus::Waiting { version } => format!("v{version} confirmed, to sync"),
            ConfirmStatus::Refused { .. } => "confirmation refused".into(),
            ConfirmStatus::Confirmed { version, latest } if version == latest => format!("report v{version} confirmed"),
            ConfirmStatus::Confirmed { version, latest } => format!("confirmed v{version}, v{latest} since"),
        }
    }
}

/// The status of one member who confirms (voting, not the chair, not recused), from the hub's
/// list and what is pending here: the one rule for it. As the hub has it, a member who has
/// confirmed any version is not awaited again; a newer version is named.
pub fn confirm_status(
    me: &str,
    latest: i64,
    list: &ConfirmationsResponse,
    pending: Option<&PendingConfirmation>,
) -> ConfirmStatus {
    let confirmed = list.confirmations.iter().find(|c| c.member == me);
    match (pending, confirmed) {
        (Some(p), _) => match &p.refused {
            Some(reason) => ConfirmStatus::Refused { version: p.version, reason: reason.clone() },
            None => ConfirmStatus::Waiting { version: p.version },
        },
        (None, Some(c)) => ConfirmStatus::Confirmed { version: c.version, latest },
        (None, None) => ConfirmStatus::ToConfirm { version: latest },
    }
}

/// Keeps a pushed report as the feed carries it: the version (a chair's own copy, kept when
/// they pushed it, stays), who has confirmed it, and the confirmations for the sign-off of
/// reports built here.
pub(super) fn apply_pushed_report(tx: &rusqlite::Connection, pushed: &PushedReport) -> Result<()> {
    let r = &pushed.report;
    tx.execute(
        "INSERT INTO reports (submission_id, version, sha256, json, markdown, html, pushed_by, pushed_at)
         VALUES (?1, ?2, ?3, '', ?4, '', ?5, ?6)
         ON CONFLICT DO NOTHING",
        params![r.submission, r.version, r.sha256, pushed.markdown, r.pushed_by, r.pushed_at],
    )?;
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
    let facts: Vec<ConfirmationFacts> =
        pushed.confirmations.confirmations.iter().map(ConfirmationFacts::from).collect();
    let rows = [
        (status_key(&r.submission), serde_json::to_string(&pushed.confirmations).map_err(corrupt)?),
        (super::consolidation::confirmations_key(&r.submission), serde_json::to_string(&facts).map_err(corrupt)?),
    ];
    for (key, value) in rows {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
    }
    Ok(())
}

impl Store {
    /// The hub's list of who has confirmed the latest report of `submission`, as last synced.
    pub fn report_confirmations(&self, submission: &str) -> Result<Option<ConfirmationsResponse>> {
        self.meta(&status_key(submission))?
            .map(|json| {
                serde_json::from_str(&json)
                    .map_err(|e| StoreError::Corrupt(format!("confirmations of {submission}: {e}")))
            })
            .transpose()
    }

    /// Keeps `me`'s confirmation of `version` of the report of `submission` until a sync brings
    /// it to the hub (confirming again replaces it).
    pub fn queue_confirmation(&self, submission: &str, version: i64, comment: &str) -> Result<()> {
        let pending = PendingConfirmation {
            submission: submission.to_string(),
            version,
            comment: comment.trim().to_string(),
            refused: None,
        };
        let json = serde_json::to_string(&pending).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.set_meta(&pending_key(submission), &json)
    }

    /// Every confirmation typed here that the hub has not taken, refused ones too.
    pub fn pending_confirmations(&self) -> Result<Vec<PendingConfirmation>> {
        let mut stmt = self.conn.prepare_cached("SELECT value FROM meta WHERE key >= ?1 AND key < ?2 ORDER BY key")?;
        let end = format!("{}\u{10ffff}", PENDING_PREFIX);
        let rows = stmt.query_map([PENDING_PREFIX, end.as_str()], |r| r.get::<_, String>(0))?;
        let mut pending = Vec::new();
        for json in rows {
            pending.push(
                serde_json::from_str(&json?)
                    .map_err(|e| StoreError::Corrupt(format!("a confirmation waiting to sync: {e}")))?,
            );
        }
        Ok(pending)
    }

    pub fn pending_confirmation(&self, submission: &str) -> Result<Option<PendingConfirmation>> {
        Ok(self.pending_confirmations()?.into_iter().find(|p| p.submission == submission))
    }

    /// The hub took the confirmation: nothing is pending any more.
    pub fn confirmation_sent(&self, submission: &str) -> Result<()> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [pending_key(submission)])?;
        Ok(())
    }

    /// The hub refused the confirmation: kept with the reason (and its comment), not sent again.
    pub fn confirmation_refused(&self, submission: &str, reason: &str) -> Result<()> {
        let Some(mut pending) = self.pending_confirmation(submission)? else { return Ok(()) };
        pending.refused = Some(reason.to_string());
        let json = serde_json::to_string(&pending).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.set_meta(&pending_key(submission), &json)
    }

    /// Where the latest pushed report stands for `me`, per submission whose panel I vote on
    /// (not as chair, not recused).
    pub fn confirm_statuses(&self, me: &str) -> Result<HashMap<String, ConfirmStatus>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT pm.submission_id, max(r.version) FROM panel_members pm
             JOIN panels p ON p.submission_id = pm.submission_id
             JOIN reports r ON r.submission_id = pm.submission_id
             WHERE pm.user_id = ?1 AND pm.recused = 0 AND p.chair <> ?1 AND pm.role IN ('reviewer', 'lay')
             GROUP BY pm.submission_id",
        )?;
        let latest: Vec<(String, i64)> =
            stmt.query_map([me], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let pending = self.pending_confirmations()?;
        let mut statuses = HashMap::new();
        for (submission, version) in latest {
            let list = self
                .report_confirmations(&submission)?
                .unwrap_or(ConfirmationsResponse { confirmations: Vec::new(), awaiting: Vec::new() });
            let mine = pending.iter().find(|p| p.submission == submission);
            statuses.insert(submission.clone(), confirm_status(me, version, &list, mine));
        }
        Ok(statuses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Confirmation;

    fn list(confirmed: &[(&str, i64)], awaiting: &[&str]) -> ConfirmationsResponse {
        ConfirmationsResponse {
            confirmations: confirmed
                .iter()
                .map(|(member, version)| Confirmation {
                    member: member.to_string(),
                    name: member.to_string(),
                    version: *version,
                    comment: String::new(),
                    confirmed_at: "2026-12-02T10:00:00Z".into(),
                })
                .collect(),
            awaiting: awaiting.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn pending(refused: Option<&str>) -> PendingConfirmation {
        PendingConfirmation {
            submission: "S-1".into(),
            version: 2,
            comment: "Accurate.".into(),
            refused: refused.map(str::to_string),
        }
    }

    #[test]
    fn a_member_is_asked_until_the_hub_holds_their_confirmation() {
        let awaited = list(&[("r2", 2)], &["Me"]);
        assert_eq!(confirm_status("me", 2, &awaited, None), ConfirmStatus::ToConfirm { version: 2 });
        assert!(confirm_status("me", 2, &awaited, None).needs_me());
        let typed = pending(None);
        assert_eq!(confirm_status("me", 2, &awaited, Some(&typed)), ConfirmStatus::Waiting { version: 2 });
        let held = list(&[("me", 2)], &[]);
        assert_eq!(confirm_status("me", 2, &held, None), ConfirmStatus::Confirmed { version: 2, latest: 2 });
        // A new version after mine (the sign-off now lists me): confirmed, with the newer one named.
        let status = confirm_status("me", 3, &held, None);
        assert_eq!(status, ConfirmStatus::Confirmed { version: 2, latest: 3 });
        assert!(!status.needs_me());
        assert_eq!(status.label(), "confirmed v2, v3 since");
    }

    #[test]
    fn a_refused_confirmation_needs_the_member_again_and_keeps_its_comment() {
        let refused = pending(Some("version 3 was pushed since"));
        let status = confirm_status("me", 3, &list(&[], &["Me"]), Some(&refused));
        assert!(status.needs_me());
        assert_eq!(status, ConfirmStatus::Refused { version: 2, reason: "version 3 was pushed since".into() });
    }
}
