//! Applying pushed ops: each in its own transaction, each answered once and for all
//! (docs/sync-protocol.md §4).

use rusqlite::{Connection, OptionalExtension, params};

use super::feed::append_judgement_change;
use super::permissions::{Action, Decision, PanelContext, decide};
use super::{Caller, Hub, HubError, Result};
use crate::domain::{Gap, JudgementState, Outcome};
use crate::store::now_timestamp;
use crate::wire::{HubJudgement, JudgementBody, Op, OpKind, OpOutcome, OpResult};

/// The longest rationale the hub keeps, in characters (a long report section, many times over).
pub(crate) const MAX_RATIONALE_CHARS: usize = 100_000;

impl Hub {
    /// Applies a push. Each op is applied atomically on its own (a savepoint), and the whole push
    /// commits once before any answer leaves: one flush to disk per push rather than per op, and
    /// still nothing answered that is not durable (docs/sync-protocol.md §4).
    pub fn apply_ops(&mut self, caller: &Caller, ops: &[Op]) -> Result<Vec<OpResult>> {
        self.store.connection().execute_batch("BEGIN IMMEDIATE")?;
        let done = self.apply_each(caller, ops).and_then(|results| {
            if results.iter().any(|r| matches!(r.outcome, OpOutcome::Rejected { .. })) {
                forget_old_rejections(self.store.connection(), &caller.user.id)?;
            }
            Ok(results)
        });
        match done {
            Ok(results) => {
                self.store.connection().execute_batch("COMMIT")?;
                Ok(results)
            }
            Err(e) => {
                let _ = self.store.connection().execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Applies several pushes (each caller's ops, in order) in one transaction: each push as
    /// `apply_ops` applies it, atomically on its own (a savepoint: one that fails is undone and
    /// answered with its error, the others stand), and one commit, so one flush to disk, for
    /// them all before any is answered. What the hub's writer does with the pushes that arrived
    /// while it was busy (`http`).
    pub fn apply_pushes<'a>(
        &mut self,
        pushes: impl IntoIterator<Item = (&'a Caller, &'a [Op])>,
    ) -> Result<Vec<Result<Vec<OpResult>>>> {
        let conn = self.store.connection();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut answers = Vec::new();
        for (caller, ops) in pushes {
            let answer =
                self.store.connection().execute_batch("SAVEPOINT push").map_err(HubError::from).and_then(|()| {
                    let results = self.apply_each(caller, ops)?;
                    if results.iter().any(|r| matches!(r.outcome, OpOutcome::Rejected { .. })) {
                        forget_old_rejections(self.store.connection(), &caller.user.id)?;
                    }
                    Ok(results)
                });
            let conn = self.store.connection();
            let ended = match &answer {
                Ok(_) => conn.execute_batch("RELEASE push"),
                Err(_) => conn.execute_batch("ROLLBACK TO push; RELEASE push"),
            };
            if let Err(e) = ended {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
            answers.push(answer);
        }
        if let Err(e) = self.store.connection().execute_batch("COMMIT") {
            let _ = self.store.connection().execute_batch("ROLLBACK");
            return Err(e.into());
        }
        Ok(answers)
    }

    fn apply_each(&mut self, caller: &Caller, ops: &[Op]) -> Result<Vec<OpResult>> {
        let mut results = Vec::with_capacity(ops.len());
        for op in ops {
            // A malformed op is refused unrecorded: what the hub keeps per op stays bounded, and
            // an empty or huge id cannot block an id for everyone.
            if let Err(reason) = check_shape(op) {
                results.push(OpResult {
                    op_id: bounded(&op.op_id),
                    outcome: OpOutcome::Rejected { reason, current: None },
                });
                continue;
            }
            let seen: Option<(String, String)> = self
                .store
                .connection()
                .prepare_cached("SELECT user_id, answer FROM hub_ops WHERE op_id = ?1")?
                .query_row([&op.op_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let outcome = match seen {
                Some((user, answer)) if user == caller.user.id => {
                    match serde_json::from_str(&answer).map_err(|e| HubError::Invalid(e.to_string()))? {
                        // A rejection is kept without the hub's judgement (`record_answer`):
                        // the one to return to is the hub's judgement now.
                        OpOutcome::Rejected { reason, current: None } => OpOutcome::Rejected {
                            reason,
                            current: match &op.kind {
                                OpKind::Judgement { judgement } => {
                                    self.judgement(&judgement.submission, &judgement.standard, &caller.user.id)?
                                }
                                OpKind::Consolidation { .. } => None,
                            },
                        },
                        answer => answer,
                    }
                }
                // `op_id` is unique hub-wide: recording this one would fail the whole push with a
                // 500, and every retry with it. Refuse it (unrecorded; the client keeps the text)
                // without saying whose it was (tests/it/sync.rs, an_op_id_already_used_by_*).
                Some(_) => OpOutcome::Rejected {
                    reason: "this op_id was already used; send the edit again as a new op".into(),
                    current: match &op.kind {
                        OpKind::Judgement { judgement } => {
                            self.judgement(&judgement.submission, &judgement.standard, &caller.user.id)?
                        }
                        OpKind::Consolidation { .. } => None,
                    },
                },
                None => self.apply_op(caller, op)?,
            };
            results.push(OpResult { op_id: op.op_id.clone(), outcome });
        }
        Ok(results)
    }

    fn apply_op(&mut self, caller: &Caller, op: &Op) -> Result<OpOutcome> {
        let body = match &op.kind {
            OpKind::Judgement { judgement } => judgement,
            OpKind::Consolidation { submission, consolidation } => {
                return self.apply_consolidation(caller, op, submission, consolidation);
            }
        };
        let me = caller.user.id.as_str();
        let current = self.judgement(&body.submission, &body.standard, me)?;
        let decision = self.may_write(caller, body, current.as_ref())?;
        let outcome = match decision {
            Decision::Deny(reason) => OpOutcome::Rejected { reason: reason.to_string(), current: current.clone() },
            Decision::Allow => match check_body(body, self.rationale_required(&body.submission, &body.standard)?) {
                Err(reason) => OpOutcome::Rejected { reason, current: current.clone() },
                Ok(()) => {
                    let current_rev = current.as_ref().map_or(0, |j| j.rev);
                    match &current {
                        // Two machines wrote the same thing: nothing to merge.
                        Some(c) if same(c, body) => OpOutcome::Applied { rev: c.rev, seq: 0 },
                        Some(c) if op.base_rev != current_rev => OpOutcome::Conflict { current: c.clone() },
                        _ => OpOutcome::Applied { rev: current_rev + 1, seq: 0 },
                    }
                }
            },
        };
        let tx = self.store.connection_mut().savepoint()?;
        let outcome = match outcome {
            OpOutcome::Applied { rev, .. } if current.as_ref().is_none_or(|c| c.rev != rev) => {
                let seq = write(&tx, me, body, rev)?;
                super::audit::append(&tx, &judgement_record(me, op, body, &payload(body)?))?;
                if body.state == JudgementState::Submitted {
                    reveal_if_complete(&tx, me, &body.submission)?;
                }
                OpOutcome::Applied { rev, seq }
            }
            OpOutcome::Conflict { current } => {
                let payload = serde_json::to_string(body).map_err(|e| HubError::Invalid(e.to_string()))?;
                tx.prepare_cached(
                    "INSERT INTO hub_conflicts (op_id, user_id, payload, current_rev, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![op.op_id, me, payload, current.rev, now_timestamp()])?;
                OpOutcome::Conflict { current }
            }
            other => other,
        };
        record_answer(&tx, &op.op_id, me, &outcome)?;
        tx.commit()?;
        Ok(outcome)
    }

    fn may_write(&self, caller: &Caller, body: &JudgementBody, current: Option<&HubJudgement>) -> Result<Decision> {
        let Some(access) = self.access(&body.submission)? else { return Ok(Decision::Deny("not on this panel")) };
        let in_scope: bool = self
            .store
            .connection()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM submission_standards WHERE submission_id = ?1 AND standard_code = ?2)",
            )?
            .query_row([&body.submission, &body.standard], |r| r.get(0))?;
        let action = Action::WriteJudgement {
            standard: &body.standard,
            current: current.map(|c| c.state),
            unchanged: current.is_some_and(|c| same(c, body)),
        };
        let context: PanelContext<'_> = self.context_for(&access, caller, &action)?;
        let decision = decide(caller.actor(), Some(&context), action);
        Ok(match decision {
            Decision::Allow if !in_scope => Decision::Deny("not one of your standards"),
            other => other,
        })
    }

    fn rationale_required(&self, submission: &str, standard: &str) -> Result<Vec<Outcome>> {
        let required: Option<String> = self
            .store
            .connection()
            .prepare_cached(
                "SELECT f.rationale_required FROM submission_standards ss
                 JOIN frameworks f ON f.id = ss.framework_id AND f.version = ss.framework_version
                 WHERE ss.submission_id = ?1 AND ss.standard_code = ?2",
            )?
            .query_row([submission, standard], |r| r.get(0))
            .optional()?;
        // A damaged value is an error, not "nothing required": the hub is where the rule holds.
        let required = required.map(|r| serde_json::from_str(&r)).transpose().map_err(|e| {
            crate::store::StoreError::Corrupt(format!("the rationale rule of {submission}'s framework: {e}"))
        })?;
        Ok(required.unwrap_or_default())
    }
}

/// The most rejected ops the hub remembers per user (docs/sync-protocol.md §4): enough that a
/// push retried after a lost answer (at most `MAX_OPS_PER_PUSH`, 500) gets the same answers
/// even after another push's rejections, and few enough that refused ops cannot fill the disk
/// (each is kept as its id and reason, a few hundred bytes).
pub const MAX_KEPT_REJECTIONS: i64 = 1_000;

/// Records the answer to a well-formed op, so that a retry gets it again. A rejection changed
/// nothing, so it is kept small (its reason, without the hub's judgement, which a retry reads
/// afresh) and marked, so that only a user's newest `MAX_KEPT_REJECTIONS` are kept.
pub(super) fn record_answer(conn: &Connection, op_id: &str, user: &str, outcome: &OpOutcome) -> Result<()> {
    let (kept, rejected) = match outcome {
        OpOutcome::Rejected { reason, .. } => (OpOutcome::Rejected { reason: reason.clone(), current: None }, true),
        other => (other.clone(), false),
    };
    conn.prepare_cached(
        "INSERT INTO hub_ops (op_id, user_id, answer, received_at, rejected) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        op_id,
        user,
        serde_json::to_string(&kept).map_err(|e| HubError::Invalid(e.to_string()))?,
        now_timestamp(),
        rejected
    ])?;
    Ok(())
}

/// Forgets `user`'s rejected ops past the newest `MAX_KEPT_REJECTIONS`. One sent again after
/// that is judged afresh: it changed nothing the first time, so it can apply at most once, as a
/// new op would (docs/sync-protocol.md §4).
fn forget_old_rejections(conn: &Connection, user: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM hub_ops WHERE rowid IN (
           SELECT rowid FROM hub_ops WHERE user_id = ?1 AND rejected = 1 ORDER BY rowid DESC LIMIT -1 OFFSET ?2)",
    )?
    .execute(params![user, MAX_KEPT_REJECTIONS])?;
    Ok(())
}

/// The longest submission id or standard code an op may name (docs/sync-protocol.md §4).
pub const MAX_KEY_CHARS: usize = 64;

/// What every op must look like before anything else is looked at: a UUID for its id, and
/// submission and standard keys of a sane length.
fn check_shape(op: &Op) -> Result<(), String> {
    if uuid::Uuid::parse_str(&op.op_id).is_err() {
        return Err("op_id must be a UUID (the client makes a new UUID v7 for each edit)".into());
    }
    let keys: Vec<&str> = match &op.kind {
        OpKind::Judgement { judgement } => vec![&judgement.submission, &judgement.standard],
        OpKind::Consolidation { submission, .. } => vec![submission],
    };
    if keys.iter().any(|k| k.is_empty() || k.chars().count() > MAX_KEY_CHARS) {
        return Err(format!("a submission id or standard code is empty or longer than {MAX_KEY_CHARS} characters"));
    }
    Ok(())
}

/// An op id echoed back in an answer, cut to a UUID's length so a huge one is not sent back whole.
fn bounded(op_id: &str) -> String {
    op_id.chars().take(36).collect()
}

/// The JSON body a judgement's audit entry digests.
fn payload(body: &JudgementBody) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| HubError::Invalid(e.to_string()))
}

fn judgement_record<'a>(
    reviewer: &'a str,
    op: &'a Op,
    body: &'a JudgementBody,
    payload: &'a [u8],
) -> super::audit::Record<'a> {
    use super::audit::{AuditAction, Record};
    let action = match body.state {
        JudgementState::Submitted => AuditAction::JudgementSubmit,
        JudgementState::Draft => AuditAction::JudgementDraft,
    };
    Record {
        submission: Some(&body.submission),
        standard: Some(&body.standard),
        op_id: Some(&op.op_id),
        ..Record::new(reviewer, action, payload)
    }
}

fn same(current: &HubJudgement, body: &JudgementBody) -> bool {
    current.outcome == body.outcome && current.rationale == body.rationale && current.state == body.state
}

/// What the hub refuses whatever the caller's rights: a submitted judgement with a gap, or an
/// unreasonable rationale.
fn check_body(body: &JudgementBody, required: Vec<Outcome>) -> Result<(), String> {
    if body.rationale.chars().count() > MAX_RATIONALE_CHARS {
        return Err(format!("the rationale is longer than {MAX_RATIONALE_CHARS} characters"));
    }
    if body.state == JudgementState::Submitted
        && let Some(gap) = Gap::of(body.outcome, &body.rationale, &required)
    {
        return Err(format!("cannot submit: {}", gap.describe()));
    }
    Ok(())
}

fn write(tx: &Connection, reviewer: &str, body: &JudgementBody, rev: i64) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO judgements (submission_id, standard_code, reviewer_id, outcome, rationale, state, version, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (submission_id, reviewer_id, standard_code) DO UPDATE SET outcome = excluded.outcome,
           rationale = excluded.rationale, state = excluded.state, version = excluded.version, updated_at = excluded.updated_at",
    )?
    .execute(params![
        body.submission,
        body.standard,
        reviewer,
        body.outcome.map(Outcome::as_str),
        body.rationale,
        body.state.as_str(),
        rev,
        now_timestamp()
    ])?;
    append_judgement_change(tx, &body.submission, &body.standard, reviewer, None)
}

/// The visibility pitfall: once a reviewer has submitted every judgement they owe, the other
/// members' submitted judgements become visible to them, but those changes have sequence
/// numbers the reviewer has already passed. Re-issue each to them alone.
fn reveal_if_complete(tx: &Connection, reviewer: &str, submission: &str) -> Result<()> {
    let member: Option<(String, Option<String>, bool)> = tx
        .prepare_cached("SELECT role, standards, recused FROM panel_members WHERE submission_id = ?1 AND user_id = ?2")?
        .query_row([submission, reviewer], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((_, limited, false)) = member else { return Ok(()) };
    let limited: Option<Vec<String>> = limited.and_then(|l| serde_json::from_str(&l).ok());
    let owes = |code: &String| limited.as_ref().is_none_or(|l| l.contains(code));
    let scope: Vec<String> = {
        let mut stmt = tx.prepare_cached("SELECT standard_code FROM submission_standards WHERE submission_id = ?1")?;
        stmt.query_map([submission], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    let done: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT standard_code FROM judgements WHERE submission_id = ?1 AND reviewer_id = ?2 AND state = 'submitted'",
        )?;
        stmt.query_map([submission, reviewer], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    if !scope.iter().filter(|c| owes(c)).all(|c| done.contains(c)) {
        return Ok(());
    }
    let others: Vec<(String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT standard_code, reviewer_id FROM judgements
             WHERE submission_id = ?1 AND reviewer_id <> ?2 AND state = 'submitted' ORDER BY reviewer_id, standard_code",
        )?;
        stmt.query_map([submission, reviewer], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
    };
    for (standard, other) in others.iter().filter(|(standard, _)| owes(standard)) {
        append_judgement_change(tx, submission, standard, other, Some(reviewer))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// The demo hub and Sam, who reviews S-2026-014.
    fn demo_hub_and_sam() -> (Hub, Caller) {
        let mut hub = Hub::open_in_memory().unwrap();
        let tokens: HashMap<String, String> = hub.seed_demo().unwrap().into_iter().collect();
        let sam = hub.authenticate(&tokens["u-demo"]).unwrap().unwrap();
        (hub, sam)
    }

    /// Sam's submitted "not met" with no rationale, on a standard of S-2026-014.
    fn submit_without_rationale(hub: &mut Hub, sam: &Caller) -> Result<Vec<OpResult>> {
        let standard: String = hub
            .store()
            .connection()
            .query_row(
                "SELECT standard_code FROM submission_standards WHERE submission_id = 'S-2026-014' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let current = hub.judgement("S-2026-014", &standard, "u-demo").unwrap();
        let op = Op {
            op_id: uuid::Uuid::now_v7().to_string(),
            base_rev: current.map_or(0, |j| j.rev),
            kind: OpKind::Judgement {
                judgement: JudgementBody {
                    submission: "S-2026-014".into(),
                    standard,
                    outcome: Some(Outcome::NotMet),
                    rationale: String::new(),
                    state: JudgementState::Submitted,
                },
            },
        };
        hub.apply_ops(sam, &[op])
    }

    #[test]
    fn a_submission_the_framework_wants_a_rationale_for_is_refused_without_one() {
        let (mut hub, sam) = demo_hub_and_sam();
        let results = submit_without_rationale(&mut hub, &sam).unwrap();
        assert!(
            matches!(&results[0].outcome, OpOutcome::Rejected { reason, .. } if reason.starts_with("cannot submit")),
            "{results:?}"
        );
    }

    /// A damaged rule must not read as "no rationale needed": the push fails and nothing is
    /// applied (the client keeps the op and sends it again).
    #[test]
    fn a_damaged_rationale_rule_fails_the_push_instead_of_waiving_it() {
        let (mut hub, sam) = demo_hub_and_sam();
        hub.store().connection().execute_batch("UPDATE frameworks SET rationale_required = 'not json'").unwrap();
        let error = submit_without_rationale(&mut hub, &sam).unwrap_err();
        assert!(error.to_string().contains("rationale rule"), "{error}");
        let recorded: i64 =
            hub.store().connection().query_row("SELECT count(*) FROM hub_ops", [], |r| r.get(0)).unwrap();
        assert_eq!(recorded, 0, "nothing recorded");
    }
}
