//! A whole review driven through `update` with key actions, checked in the store.

use std::time::{Duration, Instant};

use accredit::domain::{JudgementState, Outcome};
use accredit::tui::app::Flash;

use accredit::tui::{Action, Overlay, Runtime, ScreenId, Settings};
use jiff::civil::date;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::{keys, press, runtime};

const ME: &str = "u-demo";
const SUBMISSION: &str = "S-2026-014";

fn open_first_submission(rt: &mut Runtime) {
    assert_eq!(rt.app.queue[0].submission, SUBMISSION, "the soonest due comes first");
    press(rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Review);
}

fn selected_code(rt: &Runtime) -> String {
    rt.app.review.as_ref().unwrap().current().unwrap().code.clone()
}

#[test]
fn a_whole_review_from_queue_to_submission() {
    let mut rt = runtime();
    open_first_submission(&mut rt);
    assert_eq!(selected_code(&rt), "MPF 1.1", "the review opens on the first gap");

    // Independence: nothing of the other members' judgements is loaded before submitting.
    let review = rt.app.review.as_ref().unwrap();
    assert!(!review.data.others_visible);
    assert!(review.data.standards().all(|s| s.others.is_empty()));

    // A partially met judgement with a rationale typed inline, then every other standard met,
    // walking from gap to gap.
    keys(&mut rt, "2e");
    keys(&mut rt, "Scope teaching is clear; assessment of it is thin.");
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "]");
    for _ in 0..60 {
        if rt.app.review.as_ref().unwrap().gaps_now().is_empty() {
            break;
        }
        keys(&mut rt, "1]");
    }
    let review = rt.app.review.as_ref().unwrap();
    assert!(review.gaps_now().is_empty());
    assert!(matches!(&rt.app.flash, Some(Flash::Info(text)) if text.contains("No gaps left")));

    // Submitting asks first, then makes everything read-only and reveals the others.
    keys(&mut rt, "S");
    assert!(matches!(&rt.app.overlay, Some(Overlay::ConfirmSubmit { gaps, count: 51, .. }) if gaps.is_empty()));
    keys(&mut rt, "y");
    assert!(rt.app.overlay.is_none());
    let review = rt.app.review.as_ref().unwrap();
    assert!(review.data.submitted);
    assert!(review.data.others_visible);
    let mpf_2_11 = review.data.standards().find(|s| s.code == "MPF 2.11").unwrap();
    assert!(
        mpf_2_11.others.iter().any(|o| o.outcome == Some(Outcome::PartiallyMet)),
        "F.5: a reviewer split on MPF 2.11"
    );

    // In the store: 51 submitted judgements, the typed rationale word for word.
    let stored = rt.store.load_review(SUBMISSION, ME).unwrap();
    let mine: Vec<_> = stored.standards().filter_map(|s| s.mine.clone()).collect();
    assert_eq!(mine.len(), 51);
    assert!(mine.iter().all(|j| j.state == JudgementState::Submitted));
    let first = &mine[0];
    assert_eq!((first.standard.as_str(), first.outcome), ("MPF 1.1", Some(Outcome::PartiallyMet)));
    assert_eq!(first.rationale, "Scope teaching is clear; assessment of it is thin.");
    assert_eq!(rt.store.unsynced_count().unwrap(), 51, "one coalesced outbox op per judgement");

    // Read-only now: a key that would change a judgement changes nothing.
    keys(&mut rt, "3");
    assert!(matches!(&rt.app.flash, Some(Flash::Info(text)) if text.contains("read-only")));
    let again = rt.store.load_review(SUBMISSION, ME).unwrap();
    assert_eq!(
        again.standards().filter_map(|s| s.mine.as_ref()).filter(|j| j.outcome == Some(Outcome::NotMet)).count(),
        0
    );
    assert_eq!(rt.app.queue.iter().find(|a| a.submission == SUBMISSION).map(|a| a.submitted), Some(true));

    // Where I differ: `d` walks the standards whose outcome another member judged otherwise.
    let review = rt.app.review.as_ref().unwrap();
    let differing: Vec<String> = review
        .data
        .standards()
        .filter(|s| accredit::tui::screens::review::differs(s))
        .map(|s| s.code.clone())
        .collect();
    assert!(differing.contains(&"MPF 2.11".to_string()), "I said met where a member said partially: {differing:?}");
    let mut visited = Vec::new();
    for _ in 0..differing.len() {
        keys(&mut rt, "d");
        visited.push(selected_code(&rt));
    }
    visited.sort();
    let mut expected = differing.clone();
    expected.sort();
    assert_eq!(visited, expected, "d visits each differing standard once");
}

#[test]
fn submitting_with_gaps_lists_every_gap_and_jumps_to_one() {
    let mut rt = runtime();
    open_first_submission(&mut rt);
    keys(&mut rt, "1j3"); // MPF 1.1 met; MPF 1.2 not met with no rationale
    keys(&mut rt, "S");
    let Some(Overlay::ConfirmSubmit { gaps, .. }) = &rt.app.overlay else { panic!("no confirmation shown") };
    assert_eq!(gaps.len(), 50, "49 without an outcome and one missing its required rationale");
    assert_eq!(gaps[0].0, "MPF 1.2");
    keys(&mut rt, "y");
    assert!(rt.app.overlay.is_some(), "y cannot submit while gaps remain");
    press(&mut rt, KeyCode::Down);
    press(&mut rt, KeyCode::Enter);
    assert!(rt.app.overlay.is_none());
    assert_eq!(selected_code(&rt), "MPF 1.3");
    let stored = rt.store.load_review(SUBMISSION, ME).unwrap();
    assert!(!stored.submitted);
}

#[test]
fn typed_text_is_saved_within_a_second_and_on_leaving() {
    let mut rt = runtime();
    open_first_submission(&mut rt);
    keys(&mut rt, "e");
    keys(&mut rt, "First thoughts");
    let rationale = |rt: &Runtime| {
        rt.store
            .load_review(SUBMISSION, ME)
            .unwrap()
            .standards()
            .next()
            .and_then(|s| s.mine.clone())
            .map(|j| j.rationale)
    };
    assert_eq!(rationale(&rt), None, "not yet written: typing is still going on");
    rt.dispatch(Action::Tick(Instant::now() + Duration::from_secs(1)));
    assert_eq!(rationale(&rt).as_deref(), Some("First thoughts"));

    keys(&mut rt, " and more");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rationale(&rt).as_deref(), Some("First thoughts and more"), "leaving the editor saves");
    let review = rt.app.review.as_ref().unwrap();
    assert!(!review.is_dirty());
}

#[test]
fn the_finder_jumps_to_a_standard_of_another_submission() {
    let mut rt = runtime();
    keys(&mut rt, "/");
    keys(&mut rt, "S-2026-021 SET-DEMO 5.2");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Review);
    assert_eq!(rt.app.review.as_ref().unwrap().data.submission.id, "S-2026-021");
    assert_eq!(selected_code(&rt), "SET-DEMO 5.2");
}

#[test]
fn evidence_opens_at_its_cited_page() {
    let mut rt = runtime();
    open_first_submission(&mut rt);
    keys(&mut rt, "/");
    keys(&mut rt, "S-2026-014 MPF 1.6");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(selected_code(&rt), "MPF 1.6");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Document);
    let doc = rt.app.document.as_ref().unwrap();
    assert_eq!(doc.info.id, "E02");
    let marked = doc.mark.expect("the cited page is found");
    assert_eq!(doc.lines[marked].trim(), "[page 4]");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Review);
}

#[test]
fn a_returned_submission_cannot_be_judged() {
    let mut rt = runtime();
    // Nothing to do on a returned submission: it comes below the work to do.
    let row = rt.app.queue.iter().position(|a| a.submission == "S-2026-015").expect("the returned submission");
    assert_eq!(row + 1, rt.app.queue.len(), "the returned submission is last in the queue");
    for _ in 0..row {
        press(&mut rt, KeyCode::Down);
    }
    assert_eq!(rt.app.queue[rt.app.queue_selected].submission, "S-2026-015");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1");
    assert!(matches!(&rt.app.flash, Some(Flash::Info(text)) if text.contains("returned at threshold")));
    let stored = rt.store.load_review("S-2026-015", ME).unwrap();
    assert!(stored.standards().all(|s| s.mine.is_none()));
}

#[test]
fn the_chair_sees_every_submitted_judgement_and_judges_nothing() {
    let mut rt = runtime();
    let chair_row = rt.app.queue.iter().position(|a| a.submission == "S-2026-009").unwrap();
    for _ in 0..chair_row {
        press(&mut rt, KeyCode::Down);
    }
    press(&mut rt, KeyCode::Enter);
    assert_eq!(rt.app.screen, ScreenId::Panel, "the chair's Enter opens the Panel screen");
    keys(&mut rt, "v");
    assert_eq!(rt.app.screen, ScreenId::Review, "v reads the submission on the Review screen");
    let review = rt.app.review.as_ref().unwrap();
    assert!(review.data.others_visible);
    assert!(review.data.standards().all(|s| !s.judged_by_me));
    assert!(review.data.standards().any(|s| s.others.len() == 3), "the lay member's standards have three votes");
    assert!(
        review.data.standards().flat_map(|s| &s.others).all(|o| o.reviewer != "u-rev1"),
        "the recused member has no judgements"
    );
    keys(&mut rt, "1");
    assert!(matches!(&rt.app.flash, Some(Flash::Info(text)) if text.contains("do not judge")));
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.screen, ScreenId::Panel, "back from the Review screen to the panel it was opened from");
}

#[test]
fn esc_and_a_key_arriving_together_leave_the_editor_and_run_the_key() {
    let mut rt = runtime();
    open_first_submission(&mut rt);
    keys(&mut rt, "e");
    keys(&mut rt, "Fine");
    // What a terminal sends for Esc followed at once by `2`.
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::ALT)));
    let review = rt.app.review.as_ref().unwrap();
    assert_eq!(review.rationale(), "Fine", "the 2 was not typed into the rationale");
    assert_eq!(review.current_outcome(), Some(Outcome::PartiallyMet));
}

/// A conflict as a push would leave it: my draft, and the hub's newer text.
fn with_a_conflict(rt: &mut Runtime) -> i64 {
    use accredit::wire::{HubJudgement, OpOutcome, OpResult};
    rt.store
        .save_judgement(SUBMISSION, "MPF 1.6", ME, Some(Outcome::Met), "Mine: reasoning is assessed twice.")
        .unwrap();
    let ops = rt.store.outbox_batch(10).unwrap();
    let theirs = HubJudgement {
        submission: SUBMISSION.into(),
        standard: "MPF 1.6".into(),
        reviewer: ME.into(),
        outcome: Some(Outcome::PartiallyMet),
        rationale: "Theirs: written on the other laptop.".into(),
        state: JudgementState::Draft,
        rev: 4,
        updated_at: "2026-03-01T10:00:00Z".into(),
    };
    let results = vec![OpResult { op_id: ops[0].op_id.clone(), outcome: OpOutcome::Conflict { current: theirs } }];
    assert_eq!(rt.store.apply_push_results(ME, &results).unwrap().conflicts, 1);
    rt.store.open_conflicts().unwrap()[0].id
}

#[test]
fn a_conflict_is_settled_on_the_sync_screen_keeping_mine() {
    let mut rt = runtime();
    with_a_conflict(&mut rt);
    keys(&mut rt, "y");
    assert_eq!(rt.app.screen, ScreenId::Sync);
    let view = rt.app.sync_view.as_ref().unwrap();
    assert_eq!(view.conflicts.len(), 1);
    assert_eq!(view.conflicts[0].mine.rationale, "Mine: reasoning is assessed twice.");
    assert_eq!(rt.app.conflicts, 1);
    // Until settled, the replica shows the hub's value; my text waits in the conflict.
    let shown = rt.store.load_review(SUBMISSION, ME).unwrap();
    let mpf_1_6 = shown.standards().find(|s| s.code == "MPF 1.6").unwrap().mine.clone().unwrap();
    assert_eq!(mpf_1_6.rationale, "Theirs: written on the other laptop.");

    keys(&mut rt, "m");
    assert!(rt.app.sync_view.as_ref().unwrap().conflicts.is_empty());
    assert_eq!(rt.app.conflicts, 0);
    let ops = rt.store.outbox_batch(10).unwrap();
    assert_eq!(ops.len(), 1, "keeping mine is a new op");
    assert_eq!(ops[0].base_rev, 4, "based on the hub's revision, so it applies");
    let accredit::wire::OpKind::Judgement { judgement } = &ops[0].kind else { panic!("a judgement op") };
    assert_eq!(judgement.rationale, "Mine: reasoning is assessed twice.");
}

#[test]
fn a_conflict_can_be_merged_by_hand() {
    let mut rt = runtime();
    with_a_conflict(&mut rt);
    keys(&mut rt, "ye");
    let merge = rt.app.sync_view.as_ref().unwrap().merge.as_ref().expect("the merge editor is open");
    let text = merge.contents();
    assert!(text.contains("Mine: reasoning") && text.contains("Theirs: written"), "both texts to merge: {text}");
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL)));
    keys(&mut rt, "Both: ");
    press(&mut rt, KeyCode::Esc);
    let ops = rt.store.outbox_batch(10).unwrap();
    let accredit::wire::OpKind::Judgement { judgement } = &ops[0].kind else { panic!("a judgement op") };
    assert!(judgement.rationale.starts_with("Both: Mine: reasoning"), "{}", judgement.rationale);
    assert_eq!(judgement.outcome, Some(Outcome::Met), "the merge keeps my outcome");
}

#[test]
fn taking_theirs_leaves_the_hubs_value_and_sends_nothing() {
    let mut rt = runtime();
    with_a_conflict(&mut rt);
    keys(&mut rt, "yt");
    assert!(rt.store.outbox_batch(10).unwrap().is_empty());
    let shown = rt.store.load_review(SUBMISSION, ME).unwrap();
    let mpf_1_6 = shown.standards().find(|s| s.code == "MPF 1.6").unwrap().mine.clone().unwrap();
    assert_eq!(mpf_1_6.outcome, Some(Outcome::PartiallyMet));
    keys(&mut rt, "s");
    assert!(matches!(&rt.app.flash, Some(Flash::Info(text)) if text.contains("not connected")));
}

/// Issue 9 #8: `accredit judge` run beside the open TUI (another process writing the same cache
/// file) shows up in the open review and the queue without a restart, and the user stays put.
#[test]
fn a_cli_write_while_the_tui_is_open_appears_on_screen() {
    let dir = crate::support::demo_data_dir();
    let store = accredit::store::Store::open(&dir.path().join("cache.sqlite")).expect("open the cache");
    let mut rt = Runtime::new(store, date(2026, 3, 1), Settings::default()).expect("runtime");
    open_first_submission(&mut rt);
    let mine = |rt: &Runtime, code: &str| {
        let review = rt.app.review.as_ref().expect("review open");
        review.data.standards().find(|s| s.code == code).and_then(|s| s.mine.clone())
    };
    assert!(mine(&rt, "MPF 2.3").is_none(), "MPF 2.3 is not judged yet");
    let progress = |rt: &Runtime| rt.app.queue.iter().find(|a| a.submission == SUBMISSION).map(|a| a.done);
    let before = progress(&rt);

    rt.notice_outside_writes();
    assert!(mine(&rt, "MPF 2.3").is_none(), "nothing changed, nothing reloads");

    let out = crate::support::accredit(
        dir.path(),
        &["judge", SUBMISSION, "MPF 2.3", "--outcome", "not-met", "--rationale", "No assessment found."],
    );
    assert!(out.status.success(), "accredit judge: {}", crate::support::stderr(&out));

    rt.notice_outside_writes();
    let judged = mine(&rt, "MPF 2.3").expect("the CLI's judgement is on screen");
    assert_eq!(judged.outcome, Some(Outcome::NotMet));
    assert_eq!(judged.rationale, "No assessment found.");
    assert_eq!(rt.app.screen, ScreenId::Review, "the reload keeps the user on the review");
    assert_eq!(progress(&rt), before.map(|n| n + 1), "the queue counts the new judgement");
}

/// Issue 9 #4: one gap rule. A rationale of only a line break is a gap at submit, and the
/// queue does not count it as done either.
#[test]
fn the_queue_and_submit_agree_on_what_a_gap_is() {
    let mut rt = runtime();
    let done = |rt: &Runtime| rt.app.queue.iter().find(|a| a.submission == SUBMISSION).map(|a| a.done);
    let before = done(&rt);
    rt.store.save_judgement(SUBMISSION, "MPF 1.1", ME, Some(Outcome::NotMet), "\n").expect("save");
    rt.store.save_judgement(SUBMISSION, "MPF 1.2", ME, Some(Outcome::NotMet), "Not assessed.").expect("save");
    rt.dispatch(Action::CacheChanged);
    assert_eq!(done(&rt), before.map(|n| n + 1), "only the judgement with a real rationale is done");
    open_first_submission(&mut rt);
    let gaps: Vec<String> = rt.app.review.as_ref().unwrap().gaps_now().into_iter().map(|(code, _)| code).collect();
    assert!(gaps.contains(&"MPF 1.1".to_string()), "a line break is no rationale at submit either");
    assert!(!gaps.contains(&"MPF 1.2".to_string()));
}
