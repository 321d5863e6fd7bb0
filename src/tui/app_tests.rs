//! `App::update` alone: actions in, effects and state out, with no store, terminal or clock
//! (the time comes in as an argument).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::civil::date;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::{MemberRole, Stage};

fn assignment(submission: &str, role: MemberRole, recused: bool) -> Assignment {
    Assignment {
        submission: submission.into(),
        provider: "University of Northshire".into(),
        programme: "MSc Advanced Clinical Practice".into(),
        stage: Stage::StandardsReview,
        role,
        recused,
        due: date(2026, 3, 20),
        total: 10,
        done: 3,
        submitted: false,
        reviewers_submitted: 0,
        reviewers_total: 2,
        evidence: crate::store::OfflineReadiness { documents: 3, missing: Vec::new() },
        report: None,
    }
}

fn app() -> (App, Instant) {
    let t0 = Instant::now();
    let mut app = App::new("u-me".into(), "Me".into(), date(2026, 3, 1), Settings::default(), t0);
    let queue = vec![
        assignment("S-1", MemberRole::Reviewer, false),
        assignment("S-2", MemberRole::Chair, false),
        assignment("S-3", MemberRole::Reviewer, true),
    ];
    let to_settle = HashMap::from([("S-2".to_string(), 4)]);
    assert!(app.update(Action::QueueLoaded { queue, to_settle }, t0).is_empty());
    (app, t0)
}

fn key(app: &mut App, code: KeyCode, at: Instant) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)), at)
}

#[test]
fn enter_on_the_queue_asks_for_the_review_or_the_panel_by_role() {
    let (mut app, t) = app();
    assert_eq!(
        key(&mut app, KeyCode::Enter, t),
        vec![Effect::OpenReview { submission: "S-1".into(), select: None, show: true }]
    );
    assert_eq!(app.screen, ScreenId::Queue, "the screen changes when the review has loaded, not before");
    key(&mut app, KeyCode::Char('j'), t);
    assert_eq!(
        key(&mut app, KeyCode::Enter, t),
        vec![Effect::OpenPanel { submission: "S-2".into(), select: None, show: true }]
    );
    key(&mut app, KeyCode::Char('j'), t);
    assert!(key(&mut app, KeyCode::Enter, t).is_empty(), "nothing of a recused submission is loaded");
    assert!(matches!(&app.flash, Some(Flash::Error(m)) if m.contains("recused from S-3")));
    key(&mut app, KeyCode::Char('j'), t);
    assert_eq!(app.queue_selected, 2, "the selection stops at the last row");
}

#[test]
fn quit_help_and_a_sync_without_a_hub() {
    let (mut app, t) = app();
    key(&mut app, KeyCode::Char('?'), t);
    assert!(matches!(app.overlay, Some(Overlay::Help)));
    key(&mut app, KeyCode::Char('x'), t);
    assert!(matches!(app.overlay, Some(Overlay::Help)), "another key does nothing behind the help (issue 12)");
    key(&mut app, KeyCode::Char('j'), t);
    assert_eq!(app.help_scroll, 1, "j scrolls the help");
    key(&mut app, KeyCode::Esc, t);
    assert!(app.overlay.is_none(), "Esc closes the help");
    assert_eq!(app.help_scroll, 0);
    assert!(key(&mut app, KeyCode::Char('s'), t).is_empty(), "not connected: nothing to run");
    assert!(matches!(&app.flash, Some(Flash::Info(m)) if m.contains("not connected")));
    app.sync_status = SyncStatus::Never;
    assert_eq!(key(&mut app, KeyCode::Char('s'), t), vec![Effect::SyncNow]);
    assert!(key(&mut app, KeyCode::Char('s'), t).is_empty(), "a sync already running is not started twice");
    assert!(key(&mut app, KeyCode::Char('q'), t).is_empty());
    assert!(app.quit);
}

#[test]
fn a_reload_after_a_sync_never_changes_the_screen() {
    let (mut app, t) = app();
    app.sync_status = SyncStatus::Running;
    let effects = app.update(Action::SyncFinished { result: Ok("pulled 3".into()), at: "10:00".into() }, t);
    assert_eq!(effects, vec![Effect::LoadQueue], "only the queue is open, so only the queue reloads");
    assert_eq!(app.sync_status, SyncStatus::Synced("10:00".into()));
    assert_eq!(app.screen, ScreenId::Queue);
    assert_eq!(app.update(Action::CacheChanged, t), vec![Effect::LoadQueue]);
}

#[test]
fn no_tick_saves_when_nothing_was_typed() {
    let (mut app, t) = app();
    assert!(!app.wants_tick());
    assert!(app.update(Action::Tick(t + Duration::from_secs(5)), t + Duration::from_secs(5)).is_empty());
}

#[test]
fn the_queue_puts_what_needs_me_first_and_keeps_the_selection() {
    let (mut app, t) = app();
    key(&mut app, KeyCode::Char('j'), t);
    assert_eq!(app.queue[app.queue_selected].submission, "S-2");
    let mut returned = assignment("S-0", MemberRole::Reviewer, false);
    returned.stage = Stage::Returned;
    let mut settled = assignment("S-4", MemberRole::Chair, false);
    settled.reviewers_submitted = 2;
    let queue = vec![
        returned,
        assignment("S-1", MemberRole::Reviewer, false),
        settled,
        assignment("S-2", MemberRole::Chair, false),
    ];
    let to_settle = HashMap::from([("S-2".to_string(), 3), ("S-4".to_string(), 0)]);
    app.update(Action::QueueLoaded { queue, to_settle }, t);
    let order: Vec<&str> = app.queue.iter().map(|a| a.submission.as_str()).collect();
    assert_eq!(order, ["S-1", "S-2", "S-0", "S-4"], "work to do first, in the store's order within each");
    assert_eq!(app.queue[app.queue_selected].submission, "S-2", "the selection follows its row");
}

#[test]
fn drawing_writes_no_state_and_clicks_use_the_rows_it_returned() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

    let now = Instant::now();
    let settings = Settings { mouse: true, ..Settings::default() };
    let mut app = App::new("me".into(), "Me".into(), date(2026, 12, 1), settings, now);
    let queue = vec![
        assignment("S-1", MemberRole::Reviewer, false),
        assignment("S-2", MemberRole::Reviewer, false),
        assignment("S-3", MemberRole::Reviewer, false),
    ];
    app.update(Action::QueueLoaded { queue, to_settle: HashMap::new() }, now);
    let click = |app: &mut App, row: u16| {
        let event =
            MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column: 5, row, modifiers: KeyModifiers::NONE };
        app.update(Action::Mouse(event), now)
    };

    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut hits = None;
    terminal.draw(|frame| hits = Some(crate::tui::views::render(&app, frame))).unwrap();
    let hits = hits.unwrap();
    let row_of = |target| (0..30).find(|&y| hits.at(5, y) == Some(target)).expect("the row is drawn");
    let third = row_of(crate::tui::mouse::Target::QueueRow(2));

    // Before the app is handed the frame's rows, a click finds nothing to select.
    click(&mut app, third);
    assert_eq!(app.queue_selected, 0);
    app.drawn(hits.clone());
    click(&mut app, third);
    assert_eq!(app.queue_selected, 2);

    // Drawing the same state again gives the same rows.
    let mut again = None;
    terminal.draw(|frame| again = Some(crate::tui::views::render(&app, frame))).unwrap();
    assert_eq!(again, Some(hits));
}

#[test]
fn the_queue_says_whether_a_submissions_evidence_is_all_on_this_machine() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    let now = Instant::now();
    let mut app = App::new("me".into(), "Me".into(), date(2026, 12, 1), Settings::default(), now);
    let mut missing = assignment("S-1", MemberRole::Reviewer, false);
    missing.evidence = crate::store::OfflineReadiness { documents: 9, missing: vec!["E02".into(), "E07".into()] };
    let ready = assignment("S-2", MemberRole::Reviewer, false);
    app.update(Action::QueueLoaded { queue: vec![missing, ready], to_settle: HashMap::new() }, now);
    let screen = |app: &App| {
        let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
        terminal.draw(|frame| drop(crate::tui::views::render(app, frame))).unwrap();
        terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect::<String>()
    };
    let text = screen(&app);
    assert!(
        text.contains("Not offline-ready: 2 of 9 evidence documents are not on this machine yet (E02, E07)"),
        "{text}"
    );
    app.update(Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)), now);
    assert!(screen(&app).contains("Offline-ready: all 3 evidence documents are on this machine."));
}
