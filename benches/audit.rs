//! What the audit trail costs a push (issue 11: aim ≤ 1.2× the push without it).
//!
//! Run with `cargo bench --bench audit`. Plain `fn main`, no harness. On the demo hub in a
//! database file (WAL, synchronous FULL, as `accredit serve` has it), one round is ten pushes of
//! 51 draft judgements through `Hub::apply_ops` (each push one transaction, each op audited as it
//! is in production), then, in the same database, the 510 `audit::append` calls those pushes made,
//! timed inside one open transaction (their commit is left out: it is shared with the push's).
//! The ratio per round is push / (push − its audit appends): the push beside the same push
//! without the audit's work. Medians of nine rounds, after one warm-up round.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use accredit::domain::{JudgementState, Outcome};
use accredit::hub::Hub;
use accredit::hub::audit::{self, AuditAction, Record};
use accredit::wire::{JudgementBody, Op, OpKind, OpOutcome};
use common::{Samples, ms, print_table};

const SUBMISSION: &str = "S-2026-014";
const ME: &str = "u-demo";
const PUSHES: usize = 10;
const ROUNDS: usize = 9;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut hub = Hub::open(&dir.path().join("hub.sqlite")).expect("open the hub");
    let tokens: HashMap<String, String> = hub.seed_demo().expect("seed the demo").into_iter().collect();
    let caller = hub.authenticate(&tokens[ME]).expect("authenticate").expect("Sam's token");
    let standards: Vec<String> = {
        let conn = hub.store().connection();
        let mut stmt =
            conn.prepare("SELECT standard_code FROM submission_standards WHERE submission_id = ?1").expect("query");
        stmt.query_map([SUBMISSION], |r| r.get(0)).expect("standards").collect::<Result<_, _>>().expect("read")
    };
    let mut revs: HashMap<String, i64> = HashMap::new();
    let mut push_times = Samples::new(format!("{PUSHES} pushes of {} ops, audited", standards.len()), None);
    let mut audit_times = Samples::new(format!("their {} audit appends", PUSHES * standards.len()), None);
    let mut ratios = Vec::new();
    let mut n = 0usize;
    for round in 0..=ROUNDS {
        let mut push = Duration::ZERO;
        for _ in 0..PUSHES {
            let ops: Vec<Op> = standards
                .iter()
                .map(|standard| {
                    n += 1;
                    Op {
                        op_id: uuid::Uuid::now_v7().to_string(),
                        base_rev: revs.get(standard).copied().unwrap_or(0),
                        kind: OpKind::Judgement {
                            judgement: JudgementBody {
                                submission: SUBMISSION.into(),
                                standard: standard.clone(),
                                outcome: Some(Outcome::PartiallyMet),
                                rationale: format!("Edit {n}: the evidence in E02 p.4 covers most of {standard}."),
                                state: JudgementState::Draft,
                            },
                        },
                    }
                })
                .collect();
            let start = Instant::now();
            let answers = hub.apply_ops(&caller, &ops).expect("push");
            push += start.elapsed();
            for (op, answer) in ops.iter().zip(answers) {
                let (OpKind::Judgement { judgement }, OpOutcome::Applied { rev, .. }) = (&op.kind, answer.outcome)
                else {
                    panic!("op not applied");
                };
                revs.insert(judgement.standard.clone(), rev);
            }
        }
        // The same appends (same sizes of payload and keys) on the same chain, without the push.
        let payloads: Vec<(String, String, Vec<u8>)> = (0..PUSHES * standards.len())
            .map(|i| {
                let standard = &standards[i % standards.len()];
                let body = format!(
                    r#"{{"submission":"{SUBMISSION}","standard":"{standard}","outcome":"partially_met","rationale":"Edit {i}: the evidence in E02 p.4 covers most of {standard}.","state":"draft"}}"#
                );
                (uuid::Uuid::now_v7().to_string(), standard.clone(), body.into_bytes())
            })
            .collect();
        let conn = hub.store_mut().connection_mut();
        let tx = conn.transaction().expect("begin");
        let start = Instant::now();
        for (op_id, standard, payload) in &payloads {
            let record = Record {
                submission: Some(SUBMISSION),
                standard: Some(standard),
                op_id: Some(op_id),
                ..Record::new(ME, AuditAction::JudgementDraft, payload)
            };
            audit::append(&tx, &record).expect("append");
        }
        let appends = start.elapsed();
        tx.commit().expect("commit");
        if round == 0 {
            continue; // warm-up
        }
        push_times.push(push);
        audit_times.push(appends);
        ratios.push(push.as_secs_f64() / (push - appends.min(push)).as_secs_f64());
    }
    println!("audit trail cost per push (demo hub, file database, WAL, synchronous FULL)\n");
    print_table([&push_times, &audit_times], 36);
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!(
        "push with its audit / the same push without it: median {median:.3}x (min {:.3}x, max {:.3}x; aim <= 1.2x)",
        ratios[0],
        ratios[ratios.len() - 1]
    );
    println!(
        "per op: {:.3} ms pushed, of which {:.3} ms auditing",
        push_times.median_ms() / (PUSHES * standards.len()) as f64,
        audit_times.median_ms() / (PUSHES * standards.len()) as f64
    );
    let verified = audit::verify(hub.store().connection()).expect("read").expect("the chain verifies after the bench");
    println!("chain of {} entries verifies in {:.1} ms", verified.entries, {
        let start = Instant::now();
        let _ = audit::verify(hub.store().connection());
        ms(start.elapsed())
    });
}
