//! The linear layout: one pane at a time, no box drawing, focus said in words, and the
//! terminal cursor on the selected row (screen readers follow it).

use accredit::config::Layout;
use accredit::tui::screens::review::Focus;
use accredit::tui::{Action, Runtime, Settings, views};
use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Position;

use crate::support::demo_store;

fn runtime() -> Runtime {
    let settings = Settings { layout: Layout::Linear, ..Settings::default() };
    Runtime::new(demo_store(), date(2026, 3, 1), settings).expect("runtime")
}

fn press(rt: &mut Runtime, code: KeyCode) {
    rt.dispatch(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn keys(rt: &mut Runtime, text: &str) {
    for c in text.chars() {
        press(rt, KeyCode::Char(c));
    }
}

/// The screen's text and where the terminal cursor is.
fn draw(rt: &Runtime, width: u16, height: u16) -> (String, Position) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            views::render(&rt.app, frame);
        })
        .expect("draw");
    let cursor = terminal.backend_mut().get_cursor_position().expect("cursor");
    let buffer = terminal.backend().buffer();
    let rows: Vec<String> =
        buffer.content().chunks(width as usize).map(|row| row.iter().map(|c| c.symbol()).collect()).collect();
    (rows.join("\n"), cursor)
}

/// The announcement: the rows under the header, up to the pane, as one sentence.
fn said(screen: &str) -> String {
    let rows: Vec<&str> = screen.lines().skip(1).take(3).map(str::trim).collect();
    rows.join(" ")
}

fn row(screen: &str, y: u16) -> &str {
    screen.lines().nth(y as usize).unwrap_or_default()
}

fn assert_linear(name: &str, screen: &str) {
    let drawing: Vec<char> = screen.chars().filter(|c| ('\u{2500}'..='\u{257f}').contains(c)).collect();
    assert!(drawing.is_empty(), "{name}: box drawing {drawing:?} in:\n{screen}");
    assert!(!screen.contains('▸'), "{name}: the selection is marked with > in words' place:\n{screen}");
}

/// Snapshots a screen at 80×24 and checks it holds no box drawing.
fn snapshot(name: &str, rt: &Runtime) -> (String, Position) {
    let (screen, cursor) = draw(rt, 80, 24);
    assert_linear(name, &screen);
    insta::assert_snapshot!(format!("linear_{name}_80x24"), screen);
    (screen, cursor)
}

#[test]
fn the_queue_says_what_is_selected_and_puts_the_cursor_on_it() {
    let mut rt = runtime();
    let (screen, cursor) = snapshot("queue", &rt);
    assert!(
        said(&screen).starts_with("Queue, 5 submissions. Selected 1 of 5: S-2026-014, MSc Advanced Clinical"),
        "{screen}"
    );
    assert!(row(&screen, cursor.y).starts_with("> S-2026-014: "), "the cursor is on the selected row:\n{screen}");
    keys(&mut rt, "j");
    let (screen, cursor) = draw(&rt, 80, 24);
    assert!(said(&screen).contains("Selected 2 of 5"), "{screen}");
    assert!(row(&screen, cursor.y).starts_with("> "), "{screen}");
}

#[test]
fn the_review_shows_one_pane_at_a_time() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "3");
    let (screen, cursor) = snapshot("review_standards", &rt);
    assert!(said(&screen).contains("standards list. Selected 1 of 51: MPF 1.1"), "{screen}");
    assert!(said(&screen).contains("not met, rationale required"), "{screen}");
    assert!(
        row(&screen, cursor.y).starts_with("> MPF 1.1 Practise within code and scope: not met, rationale"),
        "{screen}"
    );
    assert!(!screen.contains("Statement"), "the details are a pane of their own:\n{screen}");

    press(&mut rt, KeyCode::Tab);
    assert_eq!(rt.app.review.as_ref().unwrap().focus, Focus::Evidence);
    let (screen, _) = snapshot("review_details", &rt);
    assert!(said(&screen).contains("details of MPF 1.1"), "{screen}");
    assert!(screen.contains("Statement") && screen.contains("Provider's narrative"), "{screen}");

    // Details to the end: my judgement is said there, as the judgement pane is not shown.
    for _ in 0..6 {
        keys(&mut rt, "J");
    }
    let (screen, _) = draw(&rt, 80, 24);
    assert!(screen.contains("Evidence"), "{screen}");
    assert!(screen.contains("My judgement") && screen.contains("Outcome: not met"), "{screen}");

    // Back goes to the list first, then to the queue.
    press(&mut rt, KeyCode::Esc);
    assert_eq!(rt.app.review.as_ref().unwrap().focus, Focus::Standards);

    keys(&mut rt, "e");
    let (screen, _) = snapshot("review_editor", &rt);
    assert!(said(&screen).starts_with("Editing the rationale of MPF 1.1. Esc when done"), "{screen}");
}

#[test]
fn a_standard_without_evidence_still_has_its_details_pane() {
    let mut rt = runtime();
    keys(&mut rt, "/S-2026-014 MPF 3.4");
    press(&mut rt, KeyCode::Enter);
    press(&mut rt, KeyCode::Tab);
    assert_eq!(rt.app.review.as_ref().unwrap().focus, Focus::Evidence);
}

#[test]
fn overlays_and_the_document_take_the_whole_body() {
    let mut rt = runtime();
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "?");
    let (screen, _) = snapshot("help", &rt);
    assert!(said(&screen).starts_with("Help: the keys of this screen."), "{screen}");
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "1j3S");
    let (screen, _) = snapshot("confirm", &rt);
    assert!(said(&screen).starts_with("Not ready to submit: 50 gaps. Selected 1 of 50: MPF 1.2"), "{screen}");
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "/S-2026-014 MPF 1.6");
    let (screen, _) = snapshot("finder", &rt);
    assert!(said(&screen).starts_with("Find: "), "{screen}");
    press(&mut rt, KeyCode::Enter);
    press(&mut rt, KeyCode::Enter);
    let (screen, _) = snapshot("document", &rt);
    assert!(said(&screen).starts_with("Document E02 of S-2026-014, p.4, page 4 of 34, line "), "{screen}");
    assert!(screen.contains("\n> "), "the cited line is marked:\n{screen}");
}
