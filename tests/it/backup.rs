//! Backups while the hub serves, and restoring one (issue 11, item 14): the real `accredit
//! serve` on loopback takes pushes continuously while `accredit hub backup` copies it; the copy
//! is sound and holds a prefix of the pushes, each whole; restored, the hub serves the same data.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use accredit::domain::{JudgementState, Outcome};
use accredit::sync::HubClient;
use accredit::wire::{JudgementBody, Op, OpKind, OpOutcome};

use crate::support::{HubProcess, Machine, accredit, demo_hub_db, judgement_rows, stderr, stdout, wait_until};

const SUBMISSION: &str = "S-2026-014";
const ME: &str = "u-demo";

fn mine(rows: Vec<crate::support::Row>) -> Vec<crate::support::Row> {
    rows.into_iter().filter(|r| r.reviewer == ME && r.submission == SUBMISSION).collect()
}

/// One push as the pushing thread saw it: its op ids, in order, and when its answer came.
struct Pushed {
    ops: Vec<String>,
    answered: Instant,
}

fn standards(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open the hub database");
    let mut stmt = conn
        .prepare("SELECT standard_code FROM submission_standards WHERE submission_id = ?1 ORDER BY standard_code")
        .expect("query standards");
    stmt.query_map([SUBMISSION], |r| r.get(0)).expect("standards").collect::<rusqlite::Result<_>>().expect("read")
}

/// Pushes batches of three draft judgements until `stop`, recording each answered push.
fn push_until(client: HubClient, standards: Vec<String>, stop: Arc<AtomicBool>, log: Arc<Mutex<Vec<Pushed>>>) {
    let mut revs: HashMap<String, i64> = HashMap::new();
    let mut batch = 0usize;
    while !stop.load(Ordering::SeqCst) {
        let ops: Vec<Op> = (0..3)
            .map(|k| {
                let standard = &standards[(batch * 3 + k) % standards.len()];
                Op {
                    op_id: uuid::Uuid::now_v7().to_string(),
                    base_rev: revs.get(standard).copied().unwrap_or(0),
                    kind: OpKind::Judgement {
                        judgement: JudgementBody {
                            submission: SUBMISSION.into(),
                            standard: standard.clone(),
                            outcome: Some(Outcome::PartiallyMet),
                            rationale: format!("push {batch}, op {k}"),
                            state: JudgementState::Draft,
                        },
                    },
                }
            })
            .collect();
        let answers = client.push(&ops).expect("the hub answers every push during the backup");
        for (op, answer) in ops.iter().zip(&answers) {
            let OpKind::Judgement { judgement } = &op.kind else { unreachable!() };
            match answer.outcome {
                OpOutcome::Applied { rev, .. } => revs.insert(judgement.standard.clone(), rev),
                ref other => panic!("op {} was not applied: {other:?}", op.op_id),
            };
        }
        log.lock()
            .expect("log")
            .push(Pushed { ops: ops.iter().map(|o| o.op_id.clone()).collect(), answered: Instant::now() });
        batch += 1;
    }
}

#[test]
fn a_backup_during_a_push_load_holds_a_prefix_of_whole_pushes_and_restores() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (db, tokens) = demo_hub_db(dir.path());
    let mut hub = HubProcess::start(&db, "127.0.0.1:0").expect("start the hub");
    let stop = Arc::new(AtomicBool::new(false));
    let log: Arc<Mutex<Vec<Pushed>>> = Arc::default();
    let pusher = {
        let (client, standards, stop, log) =
            (HubClient::new(&hub.url, &tokens[ME]), standards(&db), stop.clone(), log.clone());
        std::thread::spawn(move || push_until(client, standards, stop, log))
    };
    let pushed = |log: &Mutex<Vec<Pushed>>| log.lock().expect("log").len();
    wait_until("20 pushes before the backup", || pushed(&log) >= 20);

    let admin = tempfile::tempdir().expect("the office's data folder");
    let file = dir.path().join("backup.sqlite");
    let db_arg = db.to_string_lossy().to_string();
    let began = Instant::now();
    let backup = accredit(admin.path(), &["hub", "--db", &db_arg, "backup", &file.to_string_lossy()]);
    let after = pushed(&log);
    wait_until("more pushes after the backup", || pushed(&log) >= after + 5);
    stop.store(true, Ordering::SeqCst);
    pusher.join().expect("the pushing thread");
    assert!(backup.status.success(), "{}", stderr(&backup));
    assert!(stdout(&backup).contains("integrity ok"), "{}", stdout(&backup));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("the backup").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup holds token hashes and judgements: private");
    }
    let copy = rusqlite::Connection::open(&file).expect("the backup opens");
    let integrity: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check");
    assert_eq!(integrity, "ok");
    assert!(accredit::hub::audit::verify(&copy).expect("read the audit").is_ok(), "the copy's audit chain verifies");
    let held: HashSet<String> = {
        let mut stmt = copy.prepare("SELECT op_id FROM hub_ops").expect("query ops");
        stmt.query_map([], |r| r.get(0)).expect("ops").collect::<rusqlite::Result<_>>().expect("read")
    };
    let audited: HashSet<String> = {
        let mut stmt = copy.prepare("SELECT op_id FROM hub_audit WHERE op_id IS NOT NULL").expect("query audit");
        stmt.query_map([], |r| r.get(0)).expect("audit").collect::<rusqlite::Result<_>>().expect("read")
    };
    let log = log.lock().expect("log");
    // Every push is in the copy whole or not at all, and those in it are the first ones.
    let inside: Vec<bool> = log
        .iter()
        .map(|p| {
            let count = p.ops.iter().filter(|id| held.contains(*id)).count();
            assert!(count == 0 || count == p.ops.len(), "a push is in the backup whole or not at all");
            count > 0
        })
        .collect();
    let prefix = inside.iter().take_while(|&&i| i).count();
    assert!(inside[prefix..].iter().all(|&i| !i), "the backup holds a prefix of the pushes: {inside:?}");
    // Every push answered before the backup began is in it, with its audit entries.
    for p in log.iter().filter(|p| p.answered < began) {
        assert!(p.ops.iter().all(|id| held.contains(id) && audited.contains(id)), "an answered push is in the backup");
    }
    assert!(prefix < log.len(), "the load went on past the backup");
    let backed_up = judgement_rows(&copy);
    drop(copy);

    // A member's machine that has pulled everything, after the backup too.
    let mut early = Machine::new(&hub.url, &tokens[ME], ME);
    early.sync();
    assert_ne!(mine(early.rows()), mine(backed_up.clone()), "the machine holds changes the backup does not");

    // Restoring is refused while the hub serves the database, then works once it is stopped.
    let refused = accredit(admin.path(), &["hub", "--db", &db_arg, "restore", &file.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("stop it before restoring"), "{}", stderr(&refused));
    hub.kill();
    let restored = accredit(admin.path(), &["hub", "--db", &db_arg, "restore", &file.to_string_lossy()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(stdout(&restored).contains("kept as"), "{}", stdout(&restored));

    let hub = HubProcess::start(&db, "127.0.0.1:0").expect("serve the restored database");
    let mut sam = Machine::new(&hub.url, &tokens[ME], ME);
    sam.sync();
    assert_eq!(mine(sam.rows()), mine(backed_up.clone()), "the restored hub serves what the backup holds");
    // The machine whose cursor is past the backup's feed comes back to the restored state.
    early.reconnect(&hub.url, &tokens[ME]);
    early.sync();
    assert_eq!(mine(early.rows()), mine(backed_up), "a machine that pulled past the backup converges");
    // The restore is in the audit trail, and the chain goes on from the backup's.
    let audit = accredit(admin.path(), &["hub", "--db", &db_arg, "audit", "--verify"]);
    assert!(audit.status.success(), "{}", stderr(&audit));
    assert!(stdout(&audit).contains("hub.restore"), "{}", stdout(&audit));
}
