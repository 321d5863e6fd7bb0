//! Sync against a real hub on 127.0.0.1 (in-process), with replicas driven through the library:
//! the independence rule and the reveal, idempotent pushes, conflicts and rejections (nothing
//! typed is lost), documents checked by hash, and the permission matrix over HTTP
//! (docs/sync-protocol.md §3–§8).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use accredit::domain::{JudgementState, Outcome};
use accredit::hub::Hub;
use accredit::hub::admin::Assignment;
use accredit::store::Resolution;
use accredit::sync::{HubClient, SyncError};
use accredit::wire::{Change, JudgementBody, Op, OpKind, OpOutcome, UserRole};
use sha2::{Digest, Sha256};

use crate::support::{Fault, FaultProxy, Machine, Row, TestHub, conflict_texts};

/// u-demo and u-rev3 review it (two standards each), u-chair chairs it; u-rev3 has a draft.
const S21: &str = "S-2026-021";
const A: &str = "SET-DEMO 2.1";
const B: &str = "SET-DEMO 5.2";
/// u-demo, u-rev1..3 and u-lay (4 standards) review it, u-off is its officer, u-chair chairs it.
const S14: &str = "S-2026-014";
/// u-demo chairs it; u-rev1 is recused from it.
const S09: &str = "S-2026-009";
/// Returned at threshold: u-demo and u-rev2 are on it but nobody judges.
const S15: &str = "S-2026-015";
const LAY_STANDARDS: [&str; 4] = ["SET-DEMO 1.2", "SET-DEMO 2.3", "SET-DEMO 3.1", "SET-DEMO 5.3"];

fn of(rows: &[Row], submission: &str) -> Vec<Row> {
    rows.iter().filter(|r| r.submission == submission).cloned().collect()
}

/// Judges every standard `me` owes on `submission` as met, with `text` and the code.
fn judge_all(machine: &mut Machine, submission: &str, text: &str) {
    let me = machine.me.clone();
    let codes: Vec<String> = machine
        .store
        .load_review(submission, &me)
        .expect("load the review")
        .standards()
        .filter(|s| s.judged_by_me)
        .map(|s| s.code.clone())
        .collect();
    assert!(!codes.is_empty(), "{me} judges something in {submission}");
    for code in codes {
        machine.save(submission, &code, Some(Outcome::Met), &format!("{text} ({code})"));
    }
}

fn submit(machine: &mut Machine, submission: &str) {
    let me = machine.me.clone();
    machine.store.submit(submission, &me).unwrap_or_else(|e| panic!("{me} cannot submit {submission}: {e}"));
}

/// The hub's rows of one reviewer.
fn hub_rows_of(hub: &TestHub, reviewer: &str) -> Vec<Row> {
    hub.rows().into_iter().filter(|r| r.reviewer == reviewer).collect()
}

fn count(hub: &Hub, sql: &str) -> i64 {
    hub.store().connection().query_row(sql, [], |r| r.get(0)).expect(sql)
}

#[test]
fn independence_drafts_stay_home_and_others_wait_until_i_submit() {
    let hub = TestHub::demo();
    let mut a = hub.machine("u-demo");
    let mut b = hub.machine("u-rev3");
    let mut chair = hub.machine("u-chair");
    for m in [&mut a, &mut b, &mut chair] {
        m.sync();
    }
    // u-rev3 has a draft on the hub from the demo: hers alone.
    assert_eq!(of(&b.rows_of("u-rev3"), S21).len(), 1, "my own draft comes to me");
    assert!(of(&a.rows_of("u-rev3"), S21).is_empty(), "another reviewer's draft never travels");
    assert!(of(&chair.rows_of("u-rev3"), S21).is_empty(), "not even to the chair");

    // A drafts both standards: still nobody else sees them.
    judge_all(&mut a, S21, "A's draft");
    a.sync();
    assert_eq!(hub_rows_of(&hub, "u-demo").len(), 2, "the hub has A's drafts");
    b.sync();
    chair.sync();
    assert!(b.rows_of("u-demo").is_empty(), "B does not get A's drafts");
    assert!(chair.rows_of("u-demo").is_empty(), "the chair does not get drafts");

    // A submits. B has not submitted, so A's submitted judgements still do not reach B; the chair gets them.
    submit(&mut a, S21);
    a.sync();
    b.sync();
    chair.sync();
    assert!(b.rows_of("u-demo").is_empty(), "hidden from B until B submits");
    let chair_sees: Vec<Row> = chair.rows_of("u-demo");
    assert_eq!(chair_sees.len(), 2);
    assert!(chair_sees.iter().all(|r| r.state == "submitted" && r.rationale.starts_with("A's draft")));
    // A submitted everything: reveal for A, but B has only a draft, which stays B's.
    assert!(of(&a.rows_of("u-rev3"), S21).is_empty(), "B's draft stays B's even after A submits");

    // B's cursor is now past A's submitted changes: only the reveal re-issue can bring them.
    let a_submitted_seq =
        count(&hub.open(), "SELECT max(seq) FROM hub_changes WHERE kind = 'judgement' AND entity_key LIKE '%u-demo'");
    assert!(b.store.sync_cursor().unwrap() >= a_submitted_seq, "B already pulled past A's submission");
    judge_all(&mut b, S21, "B's view");
    b.sync();
    assert!(b.rows_of("u-demo").is_empty(), "B's drafts do not reveal anything");
    assert!(of(&a.rows_of("u-rev3"), S21).is_empty());
    submit(&mut b, S21);
    let summary = b.sync();
    assert_eq!(summary.applied, 2);
    let revealed = b.rows_of("u-demo");
    assert_eq!(revealed.len(), 2, "B's reveal re-issues A's submitted judgements: {summary}");
    assert!(revealed.iter().all(|r| r.state == "submitted" && r.rationale.starts_with("A's draft")));
    let review = b.store.load_review(S21, "u-rev3").unwrap();
    assert!(review.others_visible);
    assert!(review.standards().all(|s| s.others.iter().any(|o| o.reviewer == "u-demo")));

    // A gets B's submitted judgements as ordinary new changes; the chair sees everyone's.
    a.sync();
    chair.sync();
    assert_eq!(of(&a.rows_of("u-rev3"), S21), of(&hub_rows_of(&hub, "u-rev3"), S21));
    assert_eq!(of(&chair.rows(), S21), of(&hub.rows(), S21), "the chair holds every submitted judgement of S21");
    assert!(chair.rows().iter().all(|r| r.state == "submitted"), "and never a draft");
}

#[test]
fn the_chair_gets_every_submitted_judgement_and_no_draft() {
    let hub = TestHub::demo();
    // u-demo drafts on S-2026-014 (chaired by u-chair) before the chair syncs.
    let mut demo = hub.machine("u-demo");
    demo.sync();
    demo.save(S14, "MPF 1.1", Some(Outcome::Met), "a draft the chair must not see");
    demo.sync();
    let mut chair = hub.machine("u-chair");
    chair.sync();
    let submitted: Vec<Row> = hub
        .rows()
        .into_iter()
        .filter(|r| r.state == "submitted" && [S14, S21, S15].contains(&r.submission.as_str()))
        .collect();
    assert!(submitted.len() > 150, "the demo has many submitted judgements");
    let chair_rows = chair.rows();
    assert_eq!(chair_rows, submitted, "exactly the submitted judgements of the panels u-chair chairs");
    assert!(chair.rows_of("u-demo").is_empty());
    // u-demo chairs S-2026-009: gets its submitted judgements, though u-demo reviews elsewhere.
    let s09: Vec<Row> = of(&hub.rows(), S09).into_iter().filter(|r| r.state == "submitted").collect();
    assert!(!s09.is_empty());
    assert_eq!(of(&demo.rows(), S09), s09);
}

#[test]
fn a_recused_member_gets_nothing_of_that_submission() {
    let hub = TestHub::demo();
    let mut rev1 = hub.machine("u-rev1");
    rev1.sync();
    let conn = rev1.store.connection();
    for table in [
        "submissions WHERE id",
        "panels WHERE submission_id",
        "submission_standards WHERE submission_id",
        "mappings WHERE submission_id",
        "documents WHERE submission_id",
        "judgements WHERE submission_id",
    ] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table} = ?1"), [S09], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "u-rev1 is recused from {S09} but holds rows in {table}");
    }
    // ... while getting the submission they do review, with the others' submitted judgements.
    assert!(!of(&rev1.rows(), S14).is_empty());
    assert!(rev1.store.assignments("u-rev1").unwrap().iter().all(|a| a.submission != S09));
}

#[test]
fn a_lay_member_gets_only_her_standards() {
    let hub = TestHub::demo();
    let mut lay = hub.machine("u-lay");
    lay.sync();
    let conn = lay.store.connection();
    let scope: BTreeSet<String> = conn
        .prepare("SELECT standard_code FROM submission_standards WHERE submission_id = ?1")
        .unwrap()
        .query_map([S14], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let expected: BTreeSet<String> = LAY_STANDARDS.iter().map(|s| s.to_string()).collect();
    assert_eq!(scope, expected, "the submission comes limited to her standards");
    let mappings: i64 =
        conn.query_row("SELECT count(*) FROM mappings WHERE submission_id = ?1", [S14], |r| r.get(0)).unwrap();
    assert!(mappings <= 4, "mappings of other standards stay on the hub");
    let rows = of(&lay.rows(), S14);
    assert!(rows.iter().any(|r| r.reviewer != "u-lay"), "she has submitted, so others' judgements come");
    for row in &rows {
        assert!(LAY_STANDARDS.contains(&row.standard.as_str()), "{row:?} is not one of her standards");
    }
    // Every other reviewer's submitted judgement of her standards, no more.
    let hub_rows: Vec<Row> = of(&hub.rows(), S14)
        .into_iter()
        .filter(|r| LAY_STANDARDS.contains(&r.standard.as_str()) && r.state == "submitted")
        .collect();
    assert_eq!(rows, hub_rows);
}

fn op(op_id: &str, base_rev: i64, standard: &str, rationale: &str, state: JudgementState) -> Op {
    Op {
        op_id: op_id.into(),
        base_rev,
        kind: OpKind::Judgement {
            judgement: JudgementBody {
                submission: S21.into(),
                standard: standard.into(),
                outcome: Some(Outcome::Met),
                rationale: rationale.into(),
                state,
            },
        },
    }
}

#[test]
fn a_push_sent_twice_gets_the_same_answers_and_applies_once() {
    let hub = TestHub::demo();
    let client = hub.client("u-demo");
    let ops = vec![
        op("0190c3a0-0000-7000-8000-00000000000a", 0, A, "first", JudgementState::Draft),
        op("0190c3a0-0000-7000-8000-00000000000b", 0, B, "second", JudgementState::Draft),
    ];
    let first = client.push(&ops).expect("push");
    assert!(first.iter().all(|r| matches!(r.outcome, OpOutcome::Applied { rev: 1, .. })), "{first:?}");
    let seq_after_first = count(&hub.open(), "SELECT max(seq) FROM hub_changes");
    let again = client.push(&ops).expect("push again");
    assert_eq!(again, first, "an op seen before gets the same answer");
    // Even an op reusing an op_id with another payload is answered as before and changes nothing.
    let replay = client.push(&[op("0190c3a0-0000-7000-8000-00000000000a", 0, A, "changed", JudgementState::Draft)]);
    assert_eq!(replay.expect("push")[0], first[0]);
    let db = hub.open();
    assert_eq!(count(&db, "SELECT max(seq) FROM hub_changes"), seq_after_first, "no new change");
    assert_eq!(count(&db, "SELECT count(*) FROM hub_ops"), 2, "each op recorded once");
    for (standard, text) in [(A, "first"), (B, "second")] {
        let j = db.judgement(S21, standard, "u-demo").unwrap().expect("applied");
        assert_eq!((j.rev, j.rationale.as_str()), (1, text));
        let changes: i64 = db
            .store()
            .connection()
            .query_row(
                "SELECT count(*) FROM hub_changes WHERE entity_key = ?1",
                [format!("{S21}\u{1f}{standard}\u{1f}u-demo")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(changes, 1, "{standard}: one change");
    }
}

/// u-demo on two machines: "home" wrote first, "work" wrote the same judgement without having
/// seen it, and its sync came back with a conflict.
fn conflicted() -> (TestHub, Machine, Machine) {
    let hub = TestHub::demo();
    let mut home = hub.machine("u-demo");
    let mut work = hub.machine("u-demo");
    home.sync();
    work.sync();
    home.save(S21, A, Some(Outcome::Met), "typed at home");
    assert_eq!(home.sync().applied, 1);
    work.save(S21, A, Some(Outcome::PartiallyMet), "typed at work");
    let summary = work.sync();
    assert_eq!(summary.conflicts, 1, "{summary}");
    let conflicts = work.store.open_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let conflict = &conflicts[0];
    assert_eq!((conflict.kind.as_str(), conflict.standard.as_str()), ("conflict", A));
    assert_eq!(conflict.mine.rationale, "typed at work");
    assert_eq!(conflict.mine.outcome, Some(Outcome::PartiallyMet));
    let theirs = conflict.theirs.as_ref().expect("the hub's value comes with a conflict");
    assert_eq!((theirs.rationale.as_str(), theirs.rev), ("typed at home", 1));
    // The replica shows the hub's value as the base; my text is in the conflict, not lost.
    assert_eq!(work.row(S21, A, "u-demo").unwrap().rationale, "typed at home");
    assert_eq!(work.store.unsynced_count().unwrap(), 0, "nothing is sent while the conflict is open");
    // The hub kept its value, and the losing op as a conflict copy.
    let db = hub.open();
    assert_eq!(db.judgement(S21, A, "u-demo").unwrap().unwrap().rationale, "typed at home");
    let copy: String =
        db.store().connection().query_row("SELECT payload FROM hub_conflicts", [], |r| r.get(0)).unwrap();
    assert!(copy.contains("typed at work"), "{copy}");
    (hub, home, work)
}

/// Both machines sync until quiet; they and the hub then hold the same judgements of u-demo.
fn converge(hub: &TestHub, home: &mut Machine, work: &mut Machine, expected: &str, theirs: &str) {
    work.sync();
    home.sync();
    work.sync();
    let on_hub = hub_rows_of(hub, "u-demo");
    assert_eq!(on_hub.iter().find(|r| r.standard == A).unwrap().rationale, expected);
    assert_eq!(home.rows_of("u-demo"), on_hub, "home converged on the hub");
    assert_eq!(work.rows_of("u-demo"), on_hub, "work converged on the hub");
    for m in [&*home, &*work] {
        assert!(m.store.open_conflicts().unwrap().is_empty());
        assert_eq!(m.store.unsynced_count().unwrap(), 0);
    }
    // The conflict record stays (resolved) with both texts: nothing typed is lost.
    let texts = conflict_texts(&work.store);
    assert!(texts.contains(&"typed at work".to_string()) && texts.contains(&theirs.to_string()), "{texts:?}");
}

#[test]
fn a_conflict_resolved_by_keeping_mine() {
    let (hub, mut home, mut work) = conflicted();
    let id = work.store.open_conflicts().unwrap()[0].id;
    work.store.resolve_conflict("u-demo", id, Resolution::KeepMine).unwrap();
    assert_eq!(work.row(S21, A, "u-demo").unwrap().rationale, "typed at work", "my text is back at once");
    assert_eq!(work.sync().applied, 1);
    converge(&hub, &mut home, &mut work, "typed at work", "typed at home");
    assert_eq!(hub.open().judgement(S21, A, "u-demo").unwrap().unwrap().outcome, Some(Outcome::PartiallyMet));
}

#[test]
fn a_conflict_resolved_by_taking_theirs() {
    let (hub, mut home, mut work) = conflicted();
    let id = work.store.open_conflicts().unwrap()[0].id;
    work.store.resolve_conflict("u-demo", id, Resolution::TakeTheirs).unwrap();
    assert_eq!(work.sync().pushed, 0, "taking theirs sends nothing");
    converge(&hub, &mut home, &mut work, "typed at home", "typed at home");
    assert_eq!(hub.open().judgement(S21, A, "u-demo").unwrap().unwrap().rev, 1, "the hub's value stayed");
}

#[test]
fn a_conflict_resolved_by_a_merge() {
    let (hub, mut home, mut work) = conflicted();
    let id = work.store.open_conflicts().unwrap()[0].id;
    let merged = "typed at home; and typed at work";
    let resolution = Resolution::Merge { outcome: Some(Outcome::PartiallyMet), rationale: merged.into() };
    work.store.resolve_conflict("u-demo", id, resolution).unwrap();
    assert_eq!(work.sync().applied, 1);
    converge(&hub, &mut home, &mut work, merged, "typed at home");
}

/// The hub moved on while the conflict was open (home wrote again): whatever is chosen, both
/// replicas still end on the hub's latest value.
#[test]
fn taking_theirs_after_the_hub_moved_on_ends_on_the_latest_value() {
    let (hub, mut home, mut work) = conflicted();
    home.save(S21, A, Some(Outcome::Met), "typed at home, again");
    home.sync();
    work.sync(); // pulls home's second write while the conflict is still open
    let conflict = work.store.open_conflicts().unwrap().remove(0);
    work.store.resolve_conflict("u-demo", conflict.id, Resolution::TakeTheirs).unwrap();
    work.sync();
    home.sync();
    assert_eq!(hub_rows_of(&hub, "u-demo")[0].rationale, "typed at home, again");
    assert_eq!(work.rows_of("u-demo"), hub_rows_of(&hub, "u-demo"), "work is not left on a stale value");
    assert_eq!(home.rows_of("u-demo"), hub_rows_of(&hub, "u-demo"));
}

/// Keeping mine after the hub moved on is not silently based on a stale revision either.
#[test]
fn keeping_mine_after_the_hub_moved_on_wins_without_a_second_conflict() {
    let (hub, mut home, mut work) = conflicted();
    home.save(S21, A, Some(Outcome::Met), "typed at home, again");
    home.sync();
    work.sync();
    let conflict = work.store.open_conflicts().unwrap().remove(0);
    assert_eq!(
        conflict.theirs.as_ref().map(|t| t.rationale.as_str()),
        Some("typed at home, again"),
        "the conflict shows the hub's latest text"
    );
    work.store.resolve_conflict("u-demo", conflict.id, Resolution::KeepMine).unwrap();
    let summary = work.sync();
    assert_eq!((summary.applied, summary.conflicts), (1, 0), "{summary}");
    converge(&hub, &mut home, &mut work, "typed at work", "typed at home, again");
}

/// An edit made while a conflict is open (the editor does not stop it) is not thrown away when
/// the conflict is then settled.
#[test]
fn an_edit_made_while_a_conflict_is_open_survives_its_resolution() {
    for resolution in [
        Resolution::KeepMine,
        Resolution::TakeTheirs,
        Resolution::Merge { outcome: Some(Outcome::Met), rationale: "a merge".into() },
    ] {
        let (_hub, _home, mut work) = conflicted();
        work.save(S21, A, Some(Outcome::Met), "typed at work after the conflict");
        let id = work.store.open_conflicts().unwrap()[0].id;
        work.store.resolve_conflict("u-demo", id, resolution.clone()).unwrap();
        work.sync();
        let kept = work.rows().iter().any(|r| r.rationale == "typed at work after the conflict")
            || conflict_texts(&work.store).contains(&"typed at work after the conflict".to_string());
        assert!(kept, "{resolution:?}: the text typed during the conflict is lost");
        let texts = conflict_texts(&work.store);
        assert!(texts.contains(&"typed at work".to_string()), "{resolution:?}: the conflict's own text is kept");
    }
}

#[test]
fn writing_after_submitting_on_another_machine_is_rejected_and_the_text_kept() {
    let hub = TestHub::demo();
    let mut home = hub.machine("u-demo");
    let mut laptop = hub.machine("u-demo");
    home.sync();
    laptop.sync();
    judge_all(&mut home, S21, "final");
    submit(&mut home, S21);
    assert_eq!(home.sync().applied, 2);
    // The laptop has not heard of the submission and edits a draft.
    laptop.save(S21, A, Some(Outcome::NotMet), "second thoughts on the train");
    let summary = laptop.sync();
    assert_eq!((summary.rejected, summary.applied), (1, 0), "{summary}");
    let conflict = laptop.store.open_conflicts().unwrap().remove(0);
    assert_eq!(conflict.kind, "rejected");
    assert_eq!(conflict.mine.rationale, "second thoughts on the train");
    assert!(conflict.reason.as_deref().unwrap_or_default().contains("submitted"), "{conflict:?}");
    // The replica is back on the hub's value (submitted), and read-only again.
    assert_eq!(laptop.rows_of("u-demo"), hub_rows_of(&hub, "u-demo"));
    assert!(laptop.rows_of("u-demo").iter().all(|r| r.state == "submitted"));
    assert!(laptop.store.load_review(S21, "u-demo").unwrap().submitted);
    // The hub is unchanged.
    assert!(hub_rows_of(&hub, "u-demo").iter().all(|r| r.rationale.starts_with("final")));
    // Taking theirs settles it; the text stays in the record.
    laptop.store.resolve_conflict("u-demo", conflict.id, Resolution::TakeTheirs).unwrap();
    laptop.sync();
    assert_eq!(laptop.rows_of("u-demo"), home.rows_of("u-demo"));
    assert!(conflict_texts(&laptop.store).contains(&"second thoughts on the train".to_string()));
}

#[test]
fn a_pulled_judgement_never_overwrites_an_unsent_local_edit() {
    let hub = TestHub::demo();
    let mut home = hub.machine("u-demo");
    let mut work = hub.machine("u-demo");
    home.sync();
    work.sync();
    home.save(S21, A, Some(Outcome::Met), "home");
    home.sync();
    work.save(S21, A, Some(Outcome::Met), "work, not sent yet");
    // Pull only (as the engine does after a push), with the local edit still unsent.
    let page = work.client.changes(work.store.sync_cursor().unwrap(), 500).unwrap();
    assert!(
        page.changes.iter().any(|c| matches!(c, Change::Judgement { judgement, .. } if judgement.rationale == "home"))
    );
    work.store.apply_changes("u-demo", &page.changes, page.next, &HashMap::new()).unwrap();
    assert_eq!(work.row(S21, A, "u-demo").unwrap().rationale, "work, not sent yet", "the local edit wins locally");
    assert_eq!(work.store.unsynced_count().unwrap(), 1);
}

#[test]
fn paging_through_changes_sees_what_one_page_sees_and_applying_twice_is_harmless() {
    let hub = TestHub::demo();
    let client = hub.client("u-rev1");
    let whole = client.changes(0, 1000).unwrap();
    assert!(!whole.more, "the demo fits in one page of 1000");
    let key = |c: &Change| match c {
        Change::Framework { framework, .. } => format!("framework {} {}", framework.id, framework.version),
        Change::Submission { submission, .. } => format!("submission {}", submission.id),
        Change::Panel { panel, .. } => format!("panel {}", panel.submission),
        Change::Judgement { judgement: j, .. } => format!("judgement {} {} {}", j.submission, j.standard, j.reviewer),
        Change::Consolidation { submission, .. } => format!("consolidation {submission}"),
        Change::Report { pushed, .. } => format!("report {}", pushed.report.submission),
    };
    let all: BTreeSet<String> = whole.changes.iter().map(key).collect();
    let mut paged = BTreeSet::new();
    let (mut since, mut pages) = (0, 0);
    loop {
        let page = client.changes(since, 7).unwrap();
        assert!(page.changes.len() <= 7);
        assert!(page.changes.iter().all(|c| c.seq() > since && c.seq() <= page.next), "changes lie in (since, next]");
        paged.extend(page.changes.iter().map(key));
        pages += 1;
        if !page.more {
            break;
        }
        assert!(page.next > since, "the cursor moves");
        since = page.next;
    }
    assert!(pages > 10);
    assert_eq!(paged, all, "pages of 7 see exactly what one page sees");
    assert!(!all.iter().any(|k| k.contains(S09)), "u-rev1 is recused from S-2026-009");

    // Applying the same page twice is harmless.
    let mut m = hub.machine("u-rev1");
    m.sync();
    let before = m.rows();
    m.store.apply_changes("u-rev1", &whole.changes, whole.next, &HashMap::new()).unwrap();
    assert_eq!(m.rows(), before);
}

#[test]
fn a_tampered_document_is_refused_and_nothing_is_stored() {
    let hub = TestHub::demo();
    let proxy =
        FaultProxy::start(
            hub.addr,
            |_, line| {
                if line.contains("/api/v1/documents/") { Fault::Tamper } else { Fault::Pass }
            },
        );
    // The client itself checks the hash.
    let sha = hub.open().store().documents(S21).unwrap()[0].sha256.clone();
    let direct = HubClient::new(&hub.url, hub.token("u-demo")).document(&sha).expect("the real document");
    assert_eq!(format!("{:x}", Sha256::digest(direct.as_bytes())), sha);
    let tampered = HubClient::new(&proxy.url, hub.token("u-demo")).document(&sha);
    match tampered {
        Err(SyncError::Protocol(message)) => assert!(message.contains("corrupt"), "{message}"),
        other => panic!("a tampered document must be refused, got {other:?}"),
    }
    // A whole sync through the tampering proxy fails, and the page is not applied.
    let mut m = Machine::new(&proxy.url, hub.token("u-demo"), "u-demo");
    // (Documents come in batches: the tampered answer is refused as corrupt or unreadable.)
    let error = m.try_sync().expect_err("a corrupt document fails the sync");
    assert!(error.to_string().contains("corrupt") || error.to_string().contains("unreadable"), "{error}");
    let conn = m.store.connection();
    for table in ["blobs", "documents", "submissions", "judgements"] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "nothing is stored in {table}");
    }
    assert_eq!(m.store.sync_cursor().unwrap(), 0, "the cursor did not move");
    // Straight to the hub, the same sync succeeds and every stored document matches its hash.
    m.reconnect(&hub.url, hub.token("u-demo"));
    assert!(m.sync().documents > 0);
    let blobs: Vec<(String, String)> = m
        .store
        .connection()
        .prepare("SELECT sha256, content FROM blobs")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!blobs.is_empty());
    for (sha, content) in blobs {
        assert_eq!(format!("{:x}", Sha256::digest(content.as_bytes())), sha);
    }
}

/// A reviewer with long rationales: the outbox is more than one request body can carry.
#[test]
fn an_outbox_larger_than_one_request_body_is_pushed_in_several() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    m.sync();
    let codes: Vec<String> = m.store.load_review(S14, "u-demo").unwrap().standards().map(|s| s.code.clone()).collect();
    assert_eq!(codes.len(), 51);
    for (n, code) in codes.iter().enumerate() {
        let text = format!("{n} {}", "long careful reasoning ".repeat(2_500)); // ~57 KB each, ~2.9 MB in all
        m.save(S14, code, Some(Outcome::Met), &text);
    }
    let summary = m.try_sync().unwrap_or_else(|e| panic!("a large outbox must sync: {e}"));
    assert_eq!(summary.applied, 51, "{summary}");
    assert_eq!(m.store.unsynced_count().unwrap(), 0);
    assert_eq!(of(&hub_rows_of(&hub, "u-demo"), S14), of(&m.rows_of("u-demo"), S14));
}

// --- The permission matrix, through HTTP -----------------------------------------------------

/// What one user may see after pulling everything.
#[derive(Debug, Default)]
struct Seen {
    submissions: BTreeMap<String, BTreeSet<String>>,
    panels: BTreeSet<String>,
    /// (submission, standard, reviewer, state)
    judgements: BTreeSet<(String, String, String, String)>,
}

fn pull_everything(client: &HubClient) -> Seen {
    let mut seen = Seen::default();
    let mut since = 0;
    loop {
        let page = client.changes(since, 1000).expect("pull");
        for change in &page.changes {
            match change {
                Change::Submission { submission, .. } => {
                    let standards = submission.mappings.iter().map(|m| m.standard.clone()).collect();
                    seen.submissions.insert(submission.id.clone(), standards);
                }
                Change::Panel { panel, .. } => {
                    seen.panels.insert(panel.submission.clone());
                }
                Change::Judgement { judgement: j, .. } => {
                    seen.judgements.insert((
                        j.submission.clone(),
                        j.standard.clone(),
                        j.reviewer.clone(),
                        j.state.as_str().to_string(),
                    ));
                }
                Change::Framework { .. } | Change::Consolidation { .. } | Change::Report { .. } => {}
            }
        }
        if !page.more {
            return seen;
        }
        since = page.next;
    }
}

#[test]
fn permission_matrix_over_http() {
    let hub = TestHub::demo_with(|hub, tokens| {
        let (_, admin) = hub.add_user(Some("u-admin"), "Ada Admin", UserRole::Admin).unwrap();
        let (_, stranger) = hub.add_user(Some("u-stranger"), "Sam Stranger", UserRole::Reviewer).unwrap();
        tokens.insert("u-admin".into(), admin);
        tokens.insert("u-stranger".into(), stranger);
        // u-lay joins S-2026-021 for one standard, with nothing judged yet.
        let assignment = Assignment {
            chair: "u-chair".into(),
            reviewers: vec!["u-demo".into(), "u-rev3".into()],
            lay: vec![("u-lay".into(), vec![A.to_string()])],
            ..Assignment::default()
        };
        hub.assign(S21, &assignment).unwrap();
    });
    // A draft of u-demo's on S-2026-014, which nobody else may ever read.
    let demo = hub.client("u-demo");
    let answer = demo.push(&[Op {
        op_id: "0190c3a0-0000-7000-8000-0000000000d1".into(),
        base_rev: 0,
        kind: OpKind::Judgement {
            judgement: JudgementBody {
                submission: S14.into(),
                standard: "MPF 1.1".into(),
                outcome: Some(Outcome::Met),
                rationale: "draft".into(),
                state: JudgementState::Draft,
            },
        },
    }]);
    assert!(matches!(answer.unwrap()[0].outcome, OpOutcome::Applied { .. }));
    let db = hub.open();
    let all = hub.rows();
    let submitted_on = |sub: &str| -> BTreeSet<_> {
        all.iter()
            .filter(|r| r.submission == sub && r.state == "submitted")
            .map(|r| (r.submission.clone(), r.standard.clone(), r.reviewer.clone(), r.state.clone()))
            .collect()
    };
    let own = |sub: &str, me: &str| -> BTreeSet<_> {
        all.iter()
            .filter(|r| r.submission == sub && r.reviewer == me)
            .map(|r| (r.submission.clone(), r.standard.clone(), r.reviewer.clone(), r.state.clone()))
            .collect()
    };
    let on =
        |seen: &Seen, sub: &str| -> BTreeSet<_> { seen.judgements.iter().filter(|j| j.0 == sub).cloned().collect() };

    // --- reads: (who, submission) -> (sees the submission, the judgements they get)
    let seen: HashMap<&str, Seen> =
        ["u-admin", "u-chair", "u-demo", "u-rev1", "u-lay", "u-off", "u-stranger", "u-rev3"]
            .into_iter()
            .map(|u| (u, pull_everything(&hub.client(u))))
            .collect();
    let lay_standards: BTreeSet<String> = LAY_STANDARDS.iter().map(|s| s.to_string()).collect();
    // admin: every submission, every submitted judgement, no draft
    for sub in [S09, S14, S15, S21] {
        assert!(seen["u-admin"].submissions.contains_key(sub), "admin reads {sub}");
        assert_eq!(on(&seen["u-admin"], sub), submitted_on(sub), "admin: others' submitted, no drafts, on {sub}");
    }
    // chair of the panel: submitted judgements, no drafts; not a panel they are not on
    assert_eq!(on(&seen["u-chair"], S14), submitted_on(S14));
    assert!(!seen["u-chair"].submissions.contains_key(S09), "u-chair is not on S-2026-009");
    // reviewer who has not submitted: own judgements (drafts included), nobody else's
    assert_eq!(on(&seen["u-demo"], S14), own(S14, "u-demo"), "u-demo before submitting: own only");
    assert!(on(&seen["u-demo"], S14).iter().any(|j| j.3 == "draft"));
    // reviewer who has submitted: own, and others' submitted (never the draft)
    let mut rev1_expected = submitted_on(S14);
    rev1_expected.extend(own(S14, "u-rev1"));
    assert_eq!(on(&seen["u-rev1"], S14), rev1_expected);
    // lay member: limited submission, others' submitted judgements of her standards only
    assert_eq!(seen["u-lay"].submissions[S14], lay_standards, "the submission is limited to her standards");
    let lay_expected: BTreeSet<_> = submitted_on(S14).into_iter().filter(|j| lay_standards.contains(&j.1)).collect();
    assert_eq!(on(&seen["u-lay"], S14), lay_expected);
    assert_eq!(seen["u-lay"].submissions[S21], BTreeSet::from([A.to_string()]));
    // officer: reads the submission, judges nothing, reads no judgement
    assert!(seen["u-off"].submissions.contains_key(S14));
    assert!(on(&seen["u-off"], S14).is_empty(), "an officer reads no judgements");
    // recused: nothing of the submission; unassigned: nothing of it
    assert!(!seen["u-rev1"].submissions.contains_key(S09) && on(&seen["u-rev1"], S09).is_empty());
    assert!(!seen["u-rev1"].panels.contains(S09));
    assert!(!seen["u-rev1"].submissions.contains_key(S21) && on(&seen["u-rev1"], S21).is_empty());
    assert!(seen["u-stranger"].submissions.is_empty() && seen["u-stranger"].judgements.is_empty());
    assert!(seen["u-stranger"].panels.is_empty());
    // nobody but its author reads a draft
    for (user, s) in &seen {
        for j in s.judgements.iter().filter(|j| j.3 == "draft") {
            assert_eq!(&j.2, user, "{user} got {j:?}");
        }
    }

    // --- documents: readable exactly where the submission is
    let unique_doc = |sub: &str| -> String {
        let others: BTreeSet<String> = [S09, S14, S15, S21]
            .iter()
            .filter(|s| **s != sub)
            .flat_map(|s| db.store().documents(s).unwrap().into_iter().map(|d| d.sha256))
            .collect();
        db.store().documents(sub).unwrap().into_iter().map(|d| d.sha256).find(|h| !others.contains(h)).unwrap()
    };
    for (user, sub, allowed) in [
        ("u-admin", S09, true),
        ("u-chair", S14, true),
        ("u-chair", S09, false),
        ("u-demo", S09, true), // chair of S-2026-009
        ("u-demo", S14, true),
        ("u-lay", S14, true),
        ("u-off", S14, true),
        ("u-rev1", S09, false), // recused
        ("u-rev1", S21, false), // unassigned
        ("u-stranger", S14, false),
    ] {
        let result = hub.client(user).document(&unique_doc(sub));
        match (allowed, result) {
            (true, Ok(_)) => {}
            (false, Err(SyncError::Refused { status: 403, .. })) => {}
            (allowed, other) => panic!("{user} reading a document of {sub}: expected allowed={allowed}, got {other:?}"),
        }
    }

    // --- writes: (who, submission, standard, base_rev) -> applied or rejected
    let rev_of = |sub: &str, std: &str, me: &str| db.judgement(sub, std, me).unwrap().map_or(0, |j| j.rev);
    let cases: Vec<(&str, &str, &str, bool, &str)> = vec![
        ("u-demo", S14, "MPF 1.2", true, "own standard, new draft"),
        ("u-demo", S14, "MPF 1.1", true, "own draft, edited"),
        ("u-rev3", S21, A, true, "own draft from the demo, edited"),
        ("u-lay", S21, A, true, "lay member, her standard"),
        ("u-lay", S21, B, false, "lay member, not her standard"),
        ("u-lay", S14, "MPF 1.1", false, "lay member, not her standard"),
        ("u-lay", S14, "SET-DEMO 1.2", false, "lay member, her standard, already submitted"),
        ("u-rev1", S14, "MPF 1.1", false, "own judgement, submitted"),
        ("u-rev1", S09, "MPF 1.1", false, "recused"),
        ("u-rev1", S21, A, false, "not on the panel"),
        ("u-demo", S09, "MPF 1.1", false, "chair of the panel"),
        ("u-chair", S14, "MPF 1.1", false, "chair of the panel"),
        ("u-demo", S15, "MPF 1.1", false, "on the panel, stage closed"),
        ("u-off", S14, "MPF 1.1", false, "officer"),
        ("u-admin", S14, "MPF 1.1", false, "admin"),
        ("u-stranger", S14, "MPF 1.1", false, "anyone else"),
        ("u-demo", "S-2099-000", "MPF 1.1", false, "no such submission"),
        ("u-demo", S14, "MPF 9.9", false, "no such standard"),
    ];
    for (n, (user, sub, standard, allowed, what)) in cases.into_iter().enumerate() {
        let before = db.judgement(sub, standard, user).unwrap();
        let op = Op {
            op_id: format!("0190c3a0-0000-7000-8000-{:012}", 0xe00 + n),
            base_rev: rev_of(sub, standard, user),
            kind: OpKind::Judgement {
                judgement: JudgementBody {
                    submission: sub.into(),
                    standard: standard.into(),
                    outcome: Some(Outcome::Met),
                    rationale: format!("written by {user}"),
                    state: JudgementState::Draft,
                },
            },
        };
        let result = hub.client(user).push(&[op]).expect("push").remove(0);
        match (&result.outcome, allowed) {
            (OpOutcome::Applied { .. }, true) => {
                assert_eq!(db.judgement(sub, standard, user).unwrap().unwrap().rationale, format!("written by {user}"));
            }
            (OpOutcome::Rejected { current, .. }, false) => {
                assert_eq!(db.judgement(sub, standard, user).unwrap(), before, "{what}: nothing changed");
                if let Some(current) = current {
                    assert_eq!(current.reviewer, user, "{what}: a rejection reveals only the caller's own judgement");
                }
            }
            (outcome, _) => {
                panic!("{user} writing {sub} {standard} ({what}): expected allowed={allowed}, got {outcome:?}")
            }
        }
    }
}

/// Op ids are the client's UUIDs; one that another user already sent (a client bug, a copied
/// cache) must get an answer, not a 500 that blocks every later sync of this user.
#[test]
fn an_op_id_already_used_by_another_user_is_refused_not_an_error() {
    let hub = TestHub::demo();
    let shared = "0190c3a0-0000-7000-8000-0000000000ff";
    let first = hub.client("u-demo").push(&[op(shared, 0, A, "u-demo's", JudgementState::Draft)]).unwrap();
    assert!(matches!(first[0].outcome, OpOutcome::Applied { .. }));
    let other = hub.client("u-rev3").push(&[op(shared, 1, A, "u-rev3's", JudgementState::Draft)]);
    let answer = other.unwrap_or_else(|e| panic!("the hub must answer the op: {e}"));
    assert!(matches!(answer[0].outcome, OpOutcome::Rejected { .. }), "{answer:?}");
    let db = hub.open();
    assert_eq!(db.judgement(S21, A, "u-demo").unwrap().unwrap().rationale, "u-demo's", "u-demo's write stands");
    assert_ne!(db.judgement(S21, A, "u-rev3").unwrap().unwrap().rationale, "u-rev3's", "nothing applied");
    // Through the engine: the refused edit is kept as a rejection, and the next edit goes through.
    let mut rev3 = hub.machine("u-rev3");
    rev3.sync();
    rev3.save(S21, B, Some(Outcome::Met), "a fresh edit");
    assert_eq!(rev3.sync().applied, 1);
}

/// A chair appointed after the reviewers submitted has already pulled past their judgements:
/// the appointment must bring them.
#[test]
fn a_chair_appointed_after_judgements_were_submitted_receives_them() {
    let hub = TestHub::demo();
    let mut demo = hub.machine("u-demo");
    demo.sync();
    judge_all(&mut demo, S21, "before the new chair");
    submit(&mut demo, S21);
    demo.sync();
    // u-rev2 is on other panels and syncs past everything.
    let mut rev2 = hub.machine("u-rev2");
    rev2.sync();
    assert!(of(&rev2.rows(), S21).is_empty());
    let panel = Assignment {
        chair: "u-rev2".into(),
        reviewers: vec!["u-demo".into(), "u-rev3".into()],
        ..Assignment::default()
    };
    hub.open().assign(S21, &panel).unwrap();
    rev2.sync();
    assert!(rev2.store.assignments("u-rev2").unwrap().iter().any(|a| a.submission == S21), "the panel arrived");
    let submitted: Vec<Row> = of(&hub.rows(), S21).into_iter().filter(|r| r.state == "submitted").collect();
    assert_eq!(submitted.len(), 2);
    assert_eq!(of(&rev2.rows(), S21), submitted, "the new chair holds every submitted judgement");
}

/// §3: unsent edits of one judgement coalesce (newest text, first base); a sent op is never
/// changed, so a later edit is a new op, sent after the first is answered and based on it.
#[test]
fn unsent_edits_coalesce_and_a_sent_op_is_never_changed() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    m.sync();
    let outbox = |m: &Machine| -> Vec<(String, i64, bool, String)> {
        let mut stmt =
            m.store.connection().prepare("SELECT op_id, base_rev, sent, payload FROM outbox ORDER BY rowid").unwrap();
        stmt.query_map([], |r| {
            let payload: String = r.get(3)?;
            let value: serde_json::Value = serde_json::from_str(&payload).unwrap();
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, value["rationale"].as_str().unwrap().to_string()))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    m.save(S21, A, Some(Outcome::Met), "one");
    m.save(S21, A, Some(Outcome::Met), "two");
    let first = outbox(&m);
    assert_eq!(first.len(), 1, "unsent edits coalesce");
    assert_eq!((first[0].1, first[0].2, first[0].3.as_str()), (0, false, "two"));
    // Sending marks it; it is never changed again.
    let sent = m.store.outbox_batch(500).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].op_id, first[0].0);
    m.save(S21, A, Some(Outcome::Met), "three");
    let both = outbox(&m);
    assert_eq!(both.len(), 2, "a later edit is a new op");
    assert_eq!((both[0].0.as_str(), both[0].2, both[0].3.as_str()), (first[0].0.as_str(), true, "two"));
    assert_eq!((both[1].2, both[1].3.as_str()), (false, "three"));
    // Only the oldest op of a judgement goes in a batch; the next waits for its answer.
    assert_eq!(
        m.store.outbox_batch(500).unwrap().iter().map(|o| o.op_id.clone()).collect::<Vec<_>>(),
        vec![first[0].0.clone()]
    );
    // The sync sends the first again (same op_id), then the second rebased on the first's revision.
    let summary = m.sync();
    assert_eq!((summary.pushed, summary.applied, summary.conflicts), (2, 2, 0), "{summary}");
    let j = hub.open().judgement(S21, A, "u-demo").unwrap().unwrap();
    assert_eq!((j.rationale.as_str(), j.rev), ("three", 2));
}

/// The hub checks what it is sent whatever the client checked: no submitting with a gap.
#[test]
fn the_hub_refuses_to_submit_a_judgement_with_a_gap() {
    let hub = TestHub::demo();
    let client = hub.client("u-demo");
    let mut no_outcome = op("0190c3a0-0000-7000-8000-0000000000c1", 0, A, "why", JudgementState::Submitted);
    let OpKind::Judgement { judgement } = &mut no_outcome.kind else { unreachable!("a judgement op") };
    judgement.outcome = None;
    let mut no_rationale = op("0190c3a0-0000-7000-8000-0000000000c2", 0, B, "  ", JudgementState::Submitted);
    let OpKind::Judgement { judgement } = &mut no_rationale.kind else { unreachable!("a judgement op") };
    judgement.outcome = Some(Outcome::NotMet);
    let answers = client.push(&[no_outcome, no_rationale]).unwrap();
    for answer in &answers {
        match &answer.outcome {
            OpOutcome::Rejected { reason, .. } => assert!(reason.contains("cannot submit"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    assert!(hub.open().judgement(S21, A, "u-demo").unwrap().is_none());
    assert!(hub.open().judgement(S21, B, "u-demo").unwrap().is_none());
}

/// A sync with nothing to do (every few seconds from every client) writes nothing but its one
/// log line: the empty page leaves the cache untouched, and an empty outbox is read without
/// the write lock, so it does not wait on the UI's write in progress.
#[test]
fn a_sync_with_nothing_to_do_neither_writes_nor_waits_for_the_writer() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    m.sync();
    let cursor = m.store.sync_cursor().unwrap();
    let before = m.store.connection().total_changes();
    assert_eq!(m.store.apply_changes("u-demo", &[], cursor, &HashMap::new()).unwrap(), 0);
    assert_eq!(m.store.connection().total_changes(), before, "an empty page wrote");
    let path = m.store.connection().path().unwrap().to_string();
    let ui = rusqlite::Connection::open(&path).unwrap();
    ui.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Without a busy timeout, taking the lock now fails at once instead of waiting.
    m.store.connection().busy_timeout(std::time::Duration::ZERO).unwrap();
    assert!(m.store.outbox_batch(10).expect("read without the write lock").is_empty());
    ui.execute_batch("ROLLBACK").unwrap();
}
