//! The hub's audit trail (issue 11, item 15): every accepted change and administrative act is
//! chained by hash, `accredit hub audit --verify` names the first entry that was tampered with,
//! and `accredit history` shows a member what the permission rules let them see of it.

use accredit::domain::consolidation::Consolidation;
use accredit::domain::{JudgementState, Outcome};
use accredit::hub::audit;
use accredit::wire::{HistoryEntry, JudgementBody, Op, OpKind, OpOutcome, UserRole};

use crate::support::{TestHub, accredit, stderr, stdout};

const SUBMISSION: &str = "S-2026-014";
/// Sam Okafor, a reviewer of S-2026-014 with nothing submitted yet.
const SAM: &str = "u-demo";
const CHAIR: &str = "u-chair";
/// A reviewer of S-2026-014 who has submitted every judgement (in the demo).
const OTHER: &str = "u-rev1";
const RATIONALE: &str = "Mapped on E02 p.4 and again in the portfolio handbook; a private working note.";

fn judgement(standard: &str, state: JudgementState) -> Op {
    Op {
        op_id: uuid::Uuid::now_v7().to_string(),
        base_rev: 0,
        kind: OpKind::Judgement {
            judgement: JudgementBody {
                submission: SUBMISSION.into(),
                standard: standard.into(),
                outcome: Some(Outcome::Met),
                rationale: RATIONALE.into(),
                state,
            },
        },
    }
}

fn applied(hub: &TestHub, user: &str, op: Op) -> i64 {
    let answer = hub.client(user).push(&[op]).expect("push");
    match answer[0].outcome {
        OpOutcome::Applied { rev, .. } => rev,
        ref other => panic!("{user}'s op was not applied: {other:?}"),
    }
}

fn first_standard(hub: &TestHub) -> String {
    hub.open()
        .store()
        .connection()
        .query_row(
            "SELECT standard_code FROM submission_standards WHERE submission_id = ?1 ORDER BY standard_code LIMIT 1",
            [SUBMISSION],
            |r| r.get(0),
        )
        .expect("a standard of the submission")
}

/// A demo hub with an office account, where Sam saved a draft and then submitted one judgement,
/// and then (the submission moved on to panel review) the chair changed the consolidation.
fn hub_with_activity() -> (TestHub, String) {
    let hub = TestHub::demo_with(|hub, tokens| {
        let (_, token) = hub.add_user(Some("u-admin"), "Ada Admin", UserRole::Admin).expect("add an admin");
        tokens.insert("u-admin".into(), token);
        let (_, token) = hub.add_user(Some("u-out"), "Olu Outsider", UserRole::Reviewer).expect("add an outsider");
        tokens.insert("u-out".into(), token);
    });
    let standard = first_standard(&hub);
    let rev = applied(&hub, SAM, judgement(&standard, JudgementState::Draft));
    applied(&hub, SAM, Op { base_rev: rev, ..judgement(&standard, JudgementState::Submitted) });
    hub.open()
        .store()
        .connection()
        .execute("UPDATE submissions SET stage = 'panel_review' WHERE id = ?1", [SUBMISSION])
        .expect("move the submission to panel review");
    let consolidation = Op {
        op_id: uuid::Uuid::now_v7().to_string(),
        base_rev: 0,
        kind: OpKind::Consolidation { submission: SUBMISSION.into(), consolidation: Consolidation::default() },
    };
    applied(&hub, CHAIR, consolidation);
    (hub, standard)
}

fn history(hub: &TestHub, user: &str) -> Vec<HistoryEntry> {
    hub.client(user).history(SUBMISSION).unwrap_or_else(|e| panic!("{user}'s history: {e}"))
}

/// `(actor, action)` of each entry, in order, leaving out the office's imports and assignment.
fn acts(entries: &[HistoryEntry]) -> Vec<(String, String)> {
    entries.iter().filter(|e| e.actor != audit::OFFICE).map(|e| (e.actor.clone(), e.action.clone())).collect()
}

fn pair(actor: &str, action: &str) -> (String, String) {
    (actor.to_string(), action.to_string())
}

#[test]
fn every_accepted_write_and_administrative_act_is_chained_and_verifies() {
    let (hub, standard) = hub_with_activity();
    let opened = hub.open();
    let conn = opened.store().connection();
    let verified = audit::verify(conn).expect("read the log").expect("an untouched log verifies");
    let entries = audit::entries(conn, None).expect("the entries");
    assert_eq!(verified.entries, entries.len() as i64);
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for expected in ["user.add", "demo.seed", "judgement.draft", "judgement.submit", "consolidation.save"] {
        assert!(actions.contains(&expected), "{expected} is audited: {actions:?}");
    }
    let submit = entries.iter().find(|e| e.action == "judgement.submit").expect("the submission is audited");
    assert_eq!(
        (submit.actor.as_str(), submit.submission.as_deref(), submit.standard.as_deref()),
        (SAM, Some(SUBMISSION), Some(standard.as_str()))
    );
    assert!(submit.op_id.is_some(), "the op is named");
    // Who, what and a digest: never the text written, a token, or a token's hash.
    let dump: String = entries.iter().map(|e| format!("{e:?}")).collect();
    assert!(!dump.contains("private working note"), "no rationale text in the audit log");
    for token in hub.tokens.values() {
        assert!(!dump.contains(token.as_str()), "no token in the audit log");
        assert!(!dump.contains(&accredit::hub::hash_token(token)), "no token hash in the audit log");
    }
}

#[test]
fn an_edited_audit_row_is_detected_naming_the_entry() {
    let (hub, _) = hub_with_activity();
    let data = tempfile::tempdir().expect("temporary folder");
    let db = hub.db.to_string_lossy().to_string();
    let verify = accredit(data.path(), &["hub", "--db", &db, "audit", "--verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).contains("verifies"), "{}", stdout(&verify));

    let seq: i64 = {
        let opened = hub.open();
        let conn = opened.store().connection();
        // A plain edit is refused: the log is append-only.
        assert!(conn.execute("UPDATE hub_audit SET actor = 'u-rev2' WHERE action = 'judgement.submit'", []).is_err());
        // Someone with the file drops the guard and makes the submission look like another's.
        conn.execute_batch("DROP TRIGGER hub_audit_no_update").expect("drop the guard");
        conn.query_row(
            "UPDATE hub_audit SET actor = 'u-rev2' WHERE action = 'judgement.submit' RETURNING seq",
            [],
            |r| r.get(0),
        )
        .expect("tamper with the entry")
    };
    let verify = accredit(data.path(), &["hub", "--db", &db, "audit", "--verify"]);
    assert_eq!(verify.status.code(), Some(1), "a tampered log fails: {}", stdout(&verify));
    assert!(stderr(&verify).contains(&format!("entry {seq}:")), "names the entry: {}", stderr(&verify));

    // Listing one submission's entries shows the act, with its op and digest.
    let listing = accredit(data.path(), &["hub", "--db", &db, "audit", "--submission", SUBMISSION]);
    assert!(listing.status.success(), "{}", stderr(&listing));
    assert!(stdout(&listing).contains("consolidation.save"), "{}", stdout(&listing));
    assert!(!stdout(&listing).contains("user.add"), "only that submission's entries: {}", stdout(&listing));
}

#[test]
fn history_shows_the_reviewers_submit_then_the_chairs_consolidation() {
    let (hub, standard) = hub_with_activity();
    let chair = history(&hub, CHAIR);
    assert_eq!(
        acts(&chair),
        [pair(SAM, "judgement.submit"), pair(CHAIR, "consolidation.save")],
        "the chair sees submissions and the consolidation, in order, never a draft"
    );
    assert!(chair.windows(2).all(|w| w[0].seq < w[1].seq), "oldest first");
    assert_eq!(chair[chair.len() - 2].standard.as_deref(), Some(standard.as_str()));

    // The binary prints the same, as a member logged in to the hub would see it.
    let data = tempfile::tempdir().expect("temporary folder");
    let login = accredit(data.path(), &["login", "--server", &hub.url, "--token", hub.token(CHAIR)]);
    assert!(login.status.success(), "{}", stderr(&login));
    let printed = accredit(data.path(), &["history", SUBMISSION]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let text = stdout(&printed);
    let submitted = text.find("submitted a judgement").expect("the submit is listed");
    let consolidated = text.find("changed the panel's consolidation").expect("the consolidation is listed");
    assert!(submitted < consolidated, "in order:\n{text}");
    assert!(text.contains("Sam Okafor (u-demo)"), "who, by name:\n{text}");
    let one = accredit(data.path(), &["history", SUBMISSION, &standard.to_lowercase().replace(' ', "")]);
    let one = stdout(&one);
    assert!(one.contains("submitted a judgement") && !one.contains("consolidation"), "one standard:\n{one}");
}

#[test]
fn who_may_read_a_submissions_history() {
    let (hub, _) = hub_with_activity();
    // The reviewer: their own draft and submission, not the chair's consolidation.
    assert_eq!(acts(&history(&hub, SAM)), [pair(SAM, "judgement.draft"), pair(SAM, "judgement.submit")]);
    // Another reviewer, who has submitted theirs: Sam's submission, never his draft.
    assert_eq!(acts(&history(&hub, OTHER)), [pair(SAM, "judgement.submit")]);
    // The office with an admin token: everything but a member's draft.
    assert_eq!(acts(&history(&hub, "u-admin")), [pair(SAM, "judgement.submit"), pair(CHAIR, "consolidation.save")]);
    // Off the panel: refused, the same answer as for a submission that does not exist.
    let outsider = hub.client("u-out").history(SUBMISSION).expect_err("an outsider is refused").to_string();
    let missing = hub.client("u-out").history("S-1999-000").expect_err("a missing one is refused").to_string();
    assert_eq!(outsider.replace(SUBMISSION, "S"), missing.replace("S-1999-000", "S"));
}

#[test]
fn a_reviewer_who_has_not_submitted_sees_nothing_of_the_others() {
    let hub = TestHub::demo();
    let standard = first_standard(&hub);
    // u-rev1 has submitted; Sam has not: neither learns of the other's drafts.
    applied(&hub, SAM, judgement(&standard, JudgementState::Draft));
    let sam = history(&hub, SAM);
    assert!(sam.iter().all(|e| e.actor == SAM || e.actor == audit::OFFICE), "{sam:?}");
    let other = history(&hub, OTHER);
    assert!(other.iter().all(|e| e.actor != SAM), "Sam's draft stays his: {other:?}");
}

#[test]
fn a_recused_member_reads_no_history_of_that_submission() {
    let hub = TestHub::demo_with(|hub, _| {
        let assignment = accredit::hub::admin::Assignment {
            chair: CHAIR.into(),
            reviewers: vec![SAM.into(), OTHER.into()],
            recused: vec!["u-rev2".into()],
            ..Default::default()
        };
        hub.assign(SUBMISSION, &assignment).expect("recuse u-rev2");
    });
    let refused = hub.client("u-rev2").history(SUBMISSION).expect_err("a recused member is refused").to_string();
    assert!(refused.contains("403") || refused.contains("not on"), "{refused}");
    // The chair sees the reassignment, made by the office.
    let chair = history(&hub, CHAIR);
    assert!(chair.iter().any(|e| e.action == "panel.assign" && e.actor == audit::OFFICE), "{chair:?}");
}
