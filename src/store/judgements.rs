//! Recording and submitting my judgements: each write is the row and its outbox op in one
//! transaction.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, now_timestamp};
use crate::domain::{Judgement, JudgementState, Member, MemberRole, Outcome};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitOutcome {
    /// How many judgements were submitted.
    pub submitted: usize,
}

impl Store {
    /// Records my outcome and rationale for one standard, as a draft.
    ///
    /// Saving what is already stored writes nothing, so autosave can call this freely.
    pub fn save_judgement(
        &mut self,
        submission: &str,
        standard: &str,
        me: &str,
        outcome: Option<Outcome>,
        rationale: &str,
    ) -> Result<Judgement> {
        self.check_may_judge(submission, standard, me)?;
        let tx = self.conn.transaction()?;
        let existing = current(&tx, submission, standard, me)?;
        if let Some(j) = &existing {
            if j.state == JudgementState::Submitted {
                return Err(StoreError::AlreadySubmitted(submission.to_string()));
            }
            if j.outcome == outcome && j.rationale == rationale {
                return Ok(j.clone());
            }
        }
        let base = existing.as_ref().map_or(0, |j| j.version);
        let hub_rev = hub_rev(&tx, submission, standard, me)?;

        let judgement = Judgement {
            submission: submission.to_string(),
            standard: standard.to_string(),
            reviewer: me.to_string(),
            outcome,
            rationale: rationale.to_string(),
            state: JudgementState::Draft,
            version: base + 1,
            updated_at: now_timestamp(),
        };
        write(&tx, &judgement)?;
        queue(&tx, &judgement, hub_rev)?;
        tx.commit()?;
        Ok(judgement)
    }

    /// Submits all my judgements for `submission`, refusing with every gap listed if any remain.
    pub fn submit(&mut self, submission: &str, me: &str) -> Result<SubmitOutcome> {
        let review = self.load_review(submission, me)?;
        if !review.role.votes() {
            return Err(StoreError::NotYourStandard {
                submission: submission.to_string(),
                standard: "any standard".into(),
                role: review.role.label().into(),
            });
        }
        if review.submitted {
            return Err(StoreError::AlreadySubmitted(submission.to_string()));
        }
        if !review.submission.stage.allows_judging() {
            return Err(StoreError::StageClosed {
                submission: submission.to_string(),
                stage: review.submission.stage.label().into(),
            });
        }
        let gaps = review.gaps();
        if !gaps.is_empty() {
            return Err(StoreError::Gaps { submission: submission.to_string(), gaps });
        }
        let tx = self.conn.transaction()?;
        let now = now_timestamp();
        let mut submitted = 0;
        for standard in review.standards().filter(|s| s.judged_by_me) {
            let Some(mine) = &standard.mine else { continue };
            let judgement = Judgement {
                state: JudgementState::Submitted,
                version: mine.version + 1,
                updated_at: now.clone(),
                ..mine.clone()
            };
            write(&tx, &judgement)?;
            let hub_rev = hub_rev(&tx, submission, &mine.standard, me)?;
            queue(&tx, &judgement, hub_rev)?;
            submitted += 1;
        }
        tx.commit()?;
        Ok(SubmitOutcome { submitted })
    }

    /// Whether `me` may record a judgement of `standard`: one cached query (a save runs this
    /// on every autosave, so it stays cheap), then the same checks in the same order as ever.
    fn check_may_judge(&self, submission: &str, standard: &str, me: &str) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.stage, p.chair, pm.role, pm.standards, coalesce(pm.recused, 0),
                    EXISTS (SELECT 1 FROM submission_standards ss WHERE ss.submission_id = s.id AND ss.standard_code = ?2)
             FROM submissions s
             JOIN panels p ON p.submission_id = s.id
             LEFT JOIN panel_members pm ON pm.submission_id = s.id AND pm.user_id = ?3
             WHERE s.id = ?1",
        )?;
        let row = stmt
            .query_row([submission, standard, me], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })
            .optional()?;
        let Some((stage, chair, role, standards, recused, in_scope)) = row else {
            return Err(StoreError::UnknownSubmission(submission.into()));
        };
        if !in_scope {
            return Err(StoreError::UnknownStandard { submission: submission.into(), standard: standard.into() });
        }
        let member = match role {
            Some(role) => Some(Member {
                user: me.to_string(),
                role: MemberRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("bad role {role:?}")))?,
                standards: standards.as_deref().map(super::read::parse_json_list).transpose()?,
                recused,
                recusal_reason: None,
            }),
            None => None,
        };
        let role = if chair == me {
            MemberRole::Chair
        } else {
            member.as_ref().map(|m| m.role).ok_or_else(|| StoreError::NotAssigned(submission.into()))?
        };
        if member.as_ref().is_some_and(|m| m.recused) {
            return Err(StoreError::Recused(submission.into()));
        }
        if role == MemberRole::Chair || !member.as_ref().is_some_and(|m| m.judges(standard)) {
            return Err(StoreError::NotYourStandard {
                submission: submission.into(),
                standard: standard.into(),
                role: role.label().into(),
            });
        }
        let stage = super::read::parse_stage(&stage)?;
        if !stage.allows_judging() {
            return Err(StoreError::StageClosed { submission: submission.into(), stage: stage.label().into() });
        }
        Ok(())
    }
}

impl Store {
    /// One reviewer's judgement of one standard, if there is one.
    pub fn judgement(&self, submission: &str, standard: &str, reviewer: &str) -> Result<Option<Judgement>> {
        current(&self.conn, submission, standard, reviewer)
    }
}

fn current(conn: &Connection, submission: &str, standard: &str, me: &str) -> Result<Option<Judgement>> {
    let row = conn
        .prepare_cached(
            "SELECT outcome, rationale, state, version, updated_at FROM judgements
             WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3",
        )?
        .query_row([submission, standard, me], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()?;
    let Some((outcome, rationale, state, version, updated_at)) = row else {
        return Ok(None);
    };
    Ok(Some(Judgement {
        submission: submission.to_string(),
        standard: standard.to_string(),
        reviewer: me.to_string(),
        outcome: outcome
            .as_deref()
            .map(|o| Outcome::parse(o).ok_or_else(|| StoreError::Corrupt(format!("bad outcome {o:?}"))))
            .transpose()?,
        rationale,
        state: JudgementState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("bad state {state:?}")))?,
        version,
        updated_at,
    }))
}

/// The hub revision this replica last saw of a judgement (0: never synced).
fn hub_rev(tx: &Transaction<'_>, submission: &str, standard: &str, me: &str) -> Result<i64> {
    Ok(tx
        .prepare_cached(
            "SELECT hub_rev FROM judgements WHERE submission_id = ?1 AND standard_code = ?2 AND reviewer_id = ?3",
        )?
        .query_row([submission, standard, me], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub(crate) fn write(tx: &Transaction<'_>, j: &Judgement) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO judgements (submission_id, standard_code, reviewer_id, outcome, rationale, state, version, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (submission_id, reviewer_id, standard_code) DO UPDATE SET outcome = excluded.outcome,
           rationale = excluded.rationale, state = excluded.state, version = excluded.version,
           updated_at = excluded.updated_at",
    )?
    .execute(params![j.submission, j.standard, j.reviewer, j.outcome.map(Outcome::as_str), j.rationale, j.state.as_str(), j.version, j.updated_at])?;
    Ok(())
}

/// Adds the change to the outbox; an unsent op on the same judgement is replaced by this one
/// (keeping the revision the first unsent edit was based on).
pub(crate) fn queue(tx: &Transaction<'_>, j: &Judgement, base_rev: i64) -> Result<()> {
    let payload = serde_json::to_string(j).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let key = format!("{}\u{1f}{}\u{1f}{}", j.submission, j.standard, j.reviewer);
    tx.prepare_cached(
        "INSERT INTO outbox (op_id, entity, entity_key, base_rev, payload, created_at)
         VALUES (?1, 'judgement', ?2, ?3, ?4, ?5)
         ON CONFLICT (entity, entity_key) WHERE sent = 0 DO UPDATE SET payload = excluded.payload",
    )?
    .execute(params![uuid::Uuid::now_v7().to_string(), key, base_rev, payload, j.updated_at])?;
    Ok(())
}
