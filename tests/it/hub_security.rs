//! Issue 11's findings replayed against the hub's own entry points (the same ones its HTTP
//! handlers call): each was possible on the hub before, and each must be refused now.

use std::collections::HashMap;

use accredit::domain::consolidation::Consolidation;
use accredit::hub::panel::PushRefused;
use accredit::hub::{Caller, Hub};
use accredit::wire::{Change, Op, OpKind, OpOutcome, UserRole};

/// The demo hub in memory, with an office account, and every token by user.
fn demo_hub() -> (Hub, HashMap<String, String>) {
    let mut hub = Hub::open_in_memory().expect("hub in memory");
    let mut tokens: HashMap<String, String> = hub.seed_demo().expect("seed the demo").into_iter().collect();
    let (_, admin) = hub.add_user(Some("u-admin"), "Ada Admin", UserRole::Admin).expect("add an admin");
    tokens.insert("u-admin".into(), admin);
    (hub, tokens)
}

fn caller(hub: &Hub, tokens: &HashMap<String, String>, user: &str) -> Caller {
    hub.authenticate(&tokens[user]).expect("authenticate").expect("a known token")
}

fn consolidation_op(submission: &str) -> Op {
    Op {
        op_id: uuid::Uuid::now_v7().to_string(),
        base_rev: 0,
        kind: OpKind::Consolidation { submission: submission.into(), consolidation: Consolidation::default() },
    }
}

fn rejection(outcome: &OpOutcome) -> String {
    match outcome {
        OpOutcome::Rejected { reason, .. } => reason.clone(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn sql(hub: &Hub, statement: &str) {
    hub.store().connection().execute_batch(statement).expect(statement);
}

#[test]
fn a_chair_cannot_consolidate_or_push_a_report_for_a_submission_returned_at_threshold() {
    let (mut hub, tokens) = demo_hub();
    // S-2026-015 was returned at threshold; u-chair chairs it.
    let chair = caller(&hub, &tokens, "u-chair");
    let answer = hub.apply_ops(&chair, &[consolidation_op("S-2026-015")]).expect("push");
    assert!(rejection(&answer[0].outcome).contains("panel review stage"), "{answer:?}");
    match hub.push_report(&chair, "S-2026-015").expect("push a report") {
        Err(PushRefused::Stage(stage)) => assert_eq!(stage, "returned at threshold"),
        other => panic!("a report for a returned submission must be refused: {other:?}"),
    }
}

#[test]
fn a_report_is_pushed_only_once_every_voting_member_has_submitted() {
    let (mut hub, tokens) = demo_hub();
    // S-2026-014 at panel review with nobody's judgements submitted.
    sql(&hub, "UPDATE submissions SET stage = 'panel_review' WHERE id = 'S-2026-014'");
    let chair = caller(&hub, &tokens, "u-chair");
    match hub.push_report(&chair, "S-2026-014").expect("push a report") {
        Err(PushRefused::NotSubmitted(names)) => {
            // The demo's other reviewers have submitted; Sam has not.
            assert_eq!(names, ["Sam Okafor"], "who has not submitted, by name");
        }
        other => panic!("a report before the members submitted must be refused: {other:?}"),
    }
}

#[test]
fn a_consolidation_op_for_someone_elses_submission_is_answered_as_for_a_missing_one() {
    let (mut hub, tokens) = demo_hub();
    // u-rev1 is not on S-2026-015's panel; S-1999-000 does not exist.
    let outsider = caller(&hub, &tokens, "u-rev1");
    let existing = hub.apply_ops(&outsider, &[consolidation_op("S-2026-015")]).expect("push");
    let missing = hub.apply_ops(&outsider, &[consolidation_op("S-1999-000")]).expect("push");
    assert_eq!(rejection(&existing[0].outcome), rejection(&missing[0].outcome));
    assert_eq!(hub.reports(&outsider, "S-2026-015").unwrap(), hub.reports(&outsider, "S-1999-000").unwrap());
}

#[test]
fn a_member_recused_later_has_no_judgements_in_the_chairs_feed() {
    let (hub, tokens) = demo_hub();
    // u-demo chairs S-2026-009, where u-rev2 submitted judgements; u-rev2 is recused afterwards.
    let chair = caller(&hub, &tokens, "u-demo");
    let by_rev2 = |hub: &Hub| -> usize {
        let feed = hub.changes(&chair, 0, 1_000).expect("the chair's feed");
        feed.changes
            .iter()
            .filter(|c| matches!(c, Change::Judgement { judgement, .. } if judgement.submission == "S-2026-009" && judgement.reviewer == "u-rev2"))
            .count()
    };
    assert!(by_rev2(&hub) > 0, "before the recusal the chair sees u-rev2's submitted judgements");
    sql(&hub, "UPDATE panel_members SET recused = 1 WHERE submission_id = 'S-2026-009' AND user_id = 'u-rev2'");
    assert_eq!(by_rev2(&hub), 0, "a recused member's judgements leave the chair's feed");
}

#[test]
fn without_a_panel_the_office_reads_no_draft() {
    let (hub, tokens) = demo_hub();
    // S-2026-021 holds u-rev3's draft; its panel is then removed.
    let drafts = |hub: &Hub, user: &str| -> usize {
        let feed = hub.changes(&caller(hub, &tokens, user), 0, 1_000).expect("the feed");
        feed.changes
            .iter()
            .filter(|c| matches!(c, Change::Judgement { judgement, .. } if judgement.submission == "S-2026-021" && judgement.state == accredit::domain::JudgementState::Draft))
            .count()
    };
    assert!(drafts(&hub, "u-rev3") > 0, "the demo gives u-rev3 a draft on S-2026-021");
    sql(&hub, "DELETE FROM panels WHERE submission_id = 'S-2026-021'");
    assert_eq!(drafts(&hub, "u-admin"), 0, "the office never reads a draft");
}

#[test]
fn a_rotated_token_replaces_the_old_one_and_a_revoked_one_dies_at_once() {
    let (mut hub, tokens) = demo_hub();
    let old = tokens["u-rev1"].clone();
    assert!(hub.authenticate(&old).unwrap().is_some());
    let new = hub.rotate_token("u-rev1").expect("rotate");
    assert!(hub.authenticate(&old).unwrap().is_none(), "the old token is dead");
    assert_eq!(hub.authenticate(&new).unwrap().expect("the new token works").user.id, "u-rev1");
    hub.revoke("u-rev1").expect("revoke");
    assert!(hub.authenticate(&new).unwrap().is_none(), "revoked at once");
    assert!(hub.rotate_token("u-nobody").is_err());

    let accounts = hub.users().expect("list the accounts");
    let rev1 = accounts.iter().find(|a| a.id == "u-rev1").expect("u-rev1 is listed");
    assert!(rev1.revoked && rev1.last_seen.is_some(), "{rev1:?}");
    let never = accounts.iter().find(|a| a.id == "u-admin").expect("the admin is listed");
    assert!(!never.revoked && never.last_seen.is_none(), "{never:?}");
}

#[test]
fn malformed_op_ids_and_keys_are_refused_unrecorded() {
    let (mut hub, tokens) = demo_hub();
    let chair = caller(&hub, &tokens, "u-demo");
    let recorded = |hub: &Hub| -> i64 {
        hub.store().connection().query_row("SELECT count(*) FROM hub_ops", [], |r| r.get(0)).unwrap()
    };
    let before = recorded(&hub);
    let with_id = |id: String| Op { op_id: id, ..consolidation_op("S-2026-009") };
    let long_key = Op {
        kind: OpKind::Consolidation { submission: "S".repeat(65), consolidation: Consolidation::default() },
        ..consolidation_op("S-2026-009")
    };
    let ops = [with_id(String::new()), with_id("x".repeat(1_900_000)), with_id("not-a-uuid".into()), long_key];
    let answers = hub.apply_ops(&chair, &ops).expect("push");
    for answer in &answers {
        assert!(answer.op_id.len() <= 36, "a huge id is not echoed whole");
        let reason = rejection(&answer.outcome);
        assert!(reason.contains("UUID") || reason.contains("64 characters"), "{reason}");
    }
    assert_eq!(recorded(&hub), before, "nothing of a malformed op is kept");
    // A well-formed op still goes through.
    let answer = hub.apply_ops(&chair, &[consolidation_op("S-2026-009")]).expect("push");
    assert!(matches!(answer[0].outcome, OpOutcome::Applied { .. }), "{answer:?}");
}

#[test]
fn a_lay_member_receives_and_fetches_only_the_documents_their_standards_cite() {
    let (hub, tokens) = demo_hub();
    // u-lay judges four SET-DEMO standards of S-2026-009.
    let lay = caller(&hub, &tokens, "u-lay");
    let feed = hub.changes(&lay, 0, 1_000).expect("the lay member's feed");
    let submission = feed
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Submission { submission, .. } if submission.id == "S-2026-009" => Some(submission),
            _ => None,
        })
        .expect("the lay member gets S-2026-009");
    let cited: Vec<&str> =
        submission.mappings.iter().flat_map(|m| m.evidence.iter().map(|e| e.document.as_str())).collect();
    assert!(!cited.is_empty(), "their standards cite evidence");
    let sent: Vec<&str> = submission.documents.iter().map(|d| d.id.as_str()).collect();
    assert!(sent.iter().all(|d| cited.contains(d)), "only cited documents are sent: {sent:?} vs {cited:?}");

    let all = hub.store().documents("S-2026-009").expect("the submission's documents");
    let uncited = all.iter().filter(|d| !cited.contains(&d.id.as_str())).collect::<Vec<_>>();
    assert!(!uncited.is_empty(), "the demo has documents the lay member's standards do not cite");
    for document in &uncited {
        assert_eq!(hub.document(&lay, &document.sha256).unwrap(), None, "{} is not theirs to fetch", document.id);
    }
    let mine = all.iter().find(|d| cited.contains(&d.id.as_str())).expect("a cited document");
    assert!(hub.document(&lay, &mine.sha256).unwrap().is_some(), "a cited document is fetched");
    // A reviewer of the whole submission still fetches everything.
    let reviewer = caller(&hub, &tokens, "u-rev2");
    for document in &uncited {
        assert!(hub.document(&reviewer, &document.sha256).unwrap().is_some(), "{}", document.id);
    }
}

/// Issue 11 #3, the rest: what the office marks as for everyone reaches a lay member too, and
/// no longer once the mark is taken off; the mark is in the audit trail.
#[test]
fn a_document_the_office_marks_for_everyone_reaches_a_lay_member() {
    let (mut hub, tokens) = demo_hub();
    let lay = caller(&hub, &tokens, "u-lay");
    let sent_ids = |hub: &accredit::hub::Hub| -> Vec<String> {
        let feed = hub.changes(&lay, 0, 1_000).expect("the lay member's feed");
        feed.changes
            .iter()
            .find_map(|c| match c {
                Change::Submission { submission, .. } if submission.id == "S-2026-009" => {
                    Some(submission.documents.iter().map(|d| d.id.clone()).collect())
                }
                _ => None,
            })
            .expect("the lay member gets S-2026-009")
    };
    let before = sent_ids(&hub);
    let all = hub.store().documents("S-2026-009").expect("the submission's documents");
    let spec = all.iter().find(|d| !before.contains(&d.id)).expect("a document the lay member's standards do not cite");
    assert_eq!(hub.document(&lay, &spec.sha256).unwrap(), None);

    let cursor = hub.changes(&lay, 0, 1_000).expect("the lay member's feed").next;
    hub.share_document("S-2026-009", &spec.id, true).expect("mark it for everyone");
    assert!(sent_ids(&hub).contains(&spec.id), "a marked document is sent to the lay member");
    // A replica already synced gets the submission again, with the document.
    let after = hub.changes(&lay, cursor, 1_000).expect("the lay member's next pull");
    assert!(
        after.changes.iter().any(|c| matches!(c, Change::Submission { submission, .. }
            if submission.documents.iter().any(|d| d.id == spec.id))),
        "the next pull brings it: {after:?}"
    );
    assert!(hub.document(&lay, &spec.sha256).unwrap().is_some(), "and fetched by them");
    assert!(hub.share_document("S-2026-009", "E99", true).is_err(), "only a document of the submission is marked");

    hub.share_document("S-2026-009", &spec.id, false).expect("take the mark off");
    assert!(!sent_ids(&hub).contains(&spec.id));
    assert_eq!(hub.document(&lay, &spec.sha256).unwrap(), None);
    let actions: Vec<String> = hub
        .store()
        .connection()
        .prepare(
            "SELECT action FROM hub_audit WHERE submission_id = 'S-2026-009' AND action LIKE 'document.%' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["document.share", "document.unshare"]);
}

#[test]
fn many_rejected_pushes_leave_the_op_log_bounded_and_a_retry_is_answered_alike() {
    let (mut hub, tokens) = demo_hub();
    // u-rev2 submitted their judgements of S-2026-009: every edit of one is rejected, and each
    // rejection names the hub's judgement (the one to return to).
    let standard: String = hub
        .store()
        .connection()
        .query_row(
            "SELECT standard_code FROM judgements
             WHERE submission_id = 'S-2026-009' AND reviewer_id = 'u-rev2' AND state = 'submitted' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a submitted judgement of u-rev2");
    let reviewer = caller(&hub, &tokens, "u-rev2");
    let edit = || Op {
        op_id: uuid::Uuid::now_v7().to_string(),
        base_rev: 1,
        kind: OpKind::Judgement {
            judgement: accredit::wire::JudgementBody {
                submission: "S-2026-009".into(),
                standard: standard.clone(),
                outcome: Some(accredit::domain::Outcome::NotMet),
                rationale: "changed my mind".repeat(100),
                state: accredit::domain::JudgementState::Draft,
            },
        },
    };
    let count =
        |hub: &Hub, query: &str| -> i64 { hub.store().connection().query_row(query, [], |r| r.get(0)).unwrap() };
    let all_ops = "SELECT count(*) FROM hub_ops";
    let before = count(&hub, all_ops);

    let pushes: Vec<Vec<Op>> =
        (0..6).map(|_| (0..accredit::wire::MAX_OPS_PER_PUSH).map(|_| edit()).collect()).collect();
    let mut answers = Vec::new();
    for push in &pushes {
        let answer = hub.apply_ops(&reviewer, push).expect("push");
        for result in &answer {
            match &result.outcome {
                OpOutcome::Rejected { current: Some(current), .. } => assert_eq!(current.reviewer, "u-rev2"),
                other => panic!("an edit of a submitted judgement is rejected with the hub's judgement: {other:?}"),
            }
        }
        answers.push(answer);
    }
    let kept = accredit::hub::MAX_KEPT_REJECTIONS;
    assert!(pushes.len() as i64 * accredit::wire::MAX_OPS_PER_PUSH as i64 > kept, "more rejections than are kept");
    assert_eq!(count(&hub, all_ops) - before, kept, "only the newest rejections are kept");
    assert_eq!(
        count(&hub, "SELECT count(*) FROM hub_ops WHERE user_id = 'u-rev2' AND answer LIKE '%changed my mind%'"),
        0,
        "a kept rejection holds no text"
    );
    assert!(
        count(&hub, "SELECT max(length(answer)) FROM hub_ops WHERE user_id = 'u-rev2' AND rejected = 1") < 200,
        "a kept rejection is its reason only"
    );

    // A push retried after a lost answer gets the same answers and changes nothing.
    let last = pushes.last().unwrap();
    assert_eq!(&hub.apply_ops(&reviewer, last).expect("retry"), answers.last().unwrap());
    // One sent again after it was forgotten is judged afresh: rejected again, nothing applied.
    let retried = hub.apply_ops(&reviewer, &pushes[0]).expect("a late retry");
    assert_eq!(retried, answers[0], "judged afresh, answered alike");
    assert_eq!(count(&hub, all_ops) - before, kept, "still bounded");
    assert_eq!(
        count(&hub, "SELECT count(*) FROM judgements WHERE reviewer_id = 'u-rev2' AND state = 'draft'"),
        0,
        "nothing was applied"
    );
}
