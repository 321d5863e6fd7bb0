//! The optional mouse: a click selects the row drawn under the pointer, the wheel scrolls, and
//! with `mouse = false` (the default) mouse events change nothing.

use accredit::config::Layout;
use accredit::tui::{Action, Overlay, Runtime, Settings, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::support::{press, runtime_with};

fn runtime(mouse: bool, layout: Layout) -> Runtime {
    runtime_with(Settings { mouse, layout, ..Settings::default() })
}

/// Draws a frame (the app keeps where its rows went, for the clicks) and returns its rows.
fn draw(rt: &mut Runtime) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal.draw(|frame| views::draw(&mut rt.app, frame)).expect("draw");
    terminal.backend().buffer().content().chunks(100).map(|row| row.iter().map(|c| c.symbol()).collect()).collect()
}

fn mouse(rt: &mut Runtime, kind: MouseEventKind, column: u16, row: u16) {
    rt.dispatch(Action::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
}

fn click_on(rt: &mut Runtime, text: &str) {
    let rows = draw(rt);
    let (y, line) =
        rows.iter().enumerate().find(|(_, l)| l.contains(text)).unwrap_or_else(|| panic!("{text} is not on screen"));
    let x = line.find(text).map(|byte| line[..byte].chars().count()).unwrap_or_default();
    mouse(rt, MouseEventKind::Down(MouseButton::Left), x as u16, y as u16);
}

fn selected_code(rt: &Runtime) -> String {
    rt.app.review.as_ref().and_then(|r| r.current()).map(|s| s.code.clone()).unwrap_or_default()
}

#[test]
fn a_click_selects_the_submission_and_the_standard_under_it() {
    for layout in [Layout::Panes, Layout::Linear] {
        let mut rt = runtime(true, layout);
        click_on(&mut rt, "S-2026-009");
        assert_eq!(rt.app.queue[rt.app.queue_selected].submission, "S-2026-009", "{layout:?}");
        click_on(&mut rt, "S-2026-014");
        press(&mut rt, KeyCode::Enter);
        click_on(&mut rt, "MPF 1.6");
        assert_eq!(selected_code(&rt), "MPF 1.6", "{layout:?}");
        click_on(&mut rt, "Pillar 1");
        assert_eq!(selected_code(&rt), "MPF 1.6", "a heading selects nothing ({layout:?})");
    }
}

#[test]
fn a_click_selects_a_find_result_and_the_wheel_moves() {
    let mut rt = runtime(true, Layout::Panes);
    for c in "/S-2026-014 MPF 1.".chars() {
        press(&mut rt, KeyCode::Char(c));
    }
    let Some(Overlay::Finder(finder)) = &rt.app.overlay else { panic!("Find is open") };
    assert_eq!(finder.selected, 0);
    mouse(&mut rt, MouseEventKind::ScrollDown, 50, 10);
    mouse(&mut rt, MouseEventKind::ScrollDown, 50, 10);
    let Some(Overlay::Finder(finder)) = &rt.app.overlay else { panic!("Find is open") };
    assert_eq!(finder.selected, 2, "the wheel moves the selection");
    click_on(&mut rt, "MPF 1.10");
    press(&mut rt, KeyCode::Enter);
    assert_eq!(selected_code(&rt), "MPF 1.10");
    mouse(&mut rt, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(selected_code(&rt), "MPF 1.11", "the wheel moves through the standards");
}

#[test]
fn without_mouse_in_the_config_mouse_events_change_nothing() {
    let mut rt = runtime(false, Layout::Panes);
    click_on(&mut rt, "S-2026-009");
    mouse(&mut rt, MouseEventKind::ScrollDown, 10, 5);
    assert_eq!(rt.app.queue_selected, 0);
}
