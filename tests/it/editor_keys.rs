//! The rationale editor in each key style, driven through `update` and checked in the store.

use accredit::config::EditorKeys;
use accredit::tui::screens::review::Focus;
use accredit::tui::{Action, Overlay, Runtime, Settings, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::{keys, press, runtime_with};

fn runtime(editor: EditorKeys) -> Runtime {
    let mut rt = runtime_with(Settings { editor, ..Settings::default() });
    press(&mut rt, KeyCode::Enter);
    rt
}

fn alt(rt: &mut Runtime, c: char) {
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)));
}

fn rationale(rt: &Runtime) -> String {
    rt.app.review.as_ref().expect("a review").rationale()
}

fn focus(rt: &Runtime) -> Focus {
    rt.app.review.as_ref().expect("a review").focus
}

fn screen(rt: &Runtime) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|frame| {
            views::render(&rt.app, frame);
        })
        .expect("draw");
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .chunks(120)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn saved_rationale(rt: &Runtime) -> String {
    let review = rt.store.load_review("S-2026-014", "u-demo").expect("load");
    review
        .standards()
        .find(|s| s.code == "MPF 1.1")
        .and_then(|s| s.mine.clone())
        .map(|j| j.rationale)
        .unwrap_or_default()
}

#[test]
fn vim_starts_in_insert_mode_esc_gives_normal_mode_and_esc_again_leaves() {
    let mut rt = runtime(EditorKeys::Vim);
    keys(&mut rt, "3e");
    assert!(screen(&rt).contains("My judgement · draft · saved · INSERT"), "{}", screen(&rt));
    assert!(screen(&rt).contains(" Esc normal mode"), "{}", screen(&rt));
    keys(&mut rt, "Not assessed at all");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(focus(&rt), Focus::Editor, "the first Esc stays in the editor");
    assert!(screen(&rt).contains("· NORMAL"), "{}", screen(&rt));
    // Normal mode: to the start, delete the first word, insert a new one.
    keys(&mut rt, "0dwiNever ");
    assert_eq!(rationale(&rt), "Never assessed at all");
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "$x");
    assert_eq!(rationale(&rt), "Never assessed at al");
    keys(&mut rt, "u");
    assert_eq!(rationale(&rt), "Never assessed at all");
    press(&mut rt, KeyCode::Esc);
    assert_eq!(focus(&rt), Focus::Standards, "Esc in normal mode leaves the editor");
    assert_eq!(saved_rationale(&rt), "Never assessed at all", "leaving saves");
}

#[test]
fn vim_help_lists_the_vim_keys_from_normal_mode() {
    let mut rt = runtime(EditorKeys::Vim);
    keys(&mut rt, "e");
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "?");
    assert!(matches!(rt.app.overlay, Some(Overlay::Help)));
    let help = screen(&rt);
    assert!(help.contains("Vim keys"), "{help}");
    assert!(help.contains(" dd            delete the line"), "{help}");
    assert!(help.contains("stop editing"), "{help}");
    keys(&mut rt, "x");
    assert!(matches!(rt.app.overlay, Some(Overlay::Help)), "only Esc, ? and q close the help");
    press(&mut rt, KeyCode::Esc);
    assert!(rt.app.overlay.is_none(), "Esc closes the help");
    assert_eq!(focus(&rt), Focus::Editor);
}

#[test]
fn emacs_alt_keys_are_meta_commands_or_esc_and_a_key() {
    let mut rt = runtime(EditorKeys::Emacs);
    keys(&mut rt, "e");
    keys(&mut rt, "alpha beta");
    alt(&mut rt, 'b');
    keys(&mut rt, "X");
    assert_eq!(rationale(&rt), "alpha Xbeta", "Alt-b moved back a word");
    assert_eq!(focus(&rt), Focus::Editor);
    alt(&mut rt, '2');
    assert_eq!(focus(&rt), Focus::Standards, "Alt-2 is Esc then 2");
    // Esc then Tab typed quickly arrive as Alt-Tab: leave, then Tab.
    keys(&mut rt, "e");
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::ALT)));
    assert_eq!(focus(&rt), Focus::Evidence, "Alt-Tab is Esc then Tab");
    press(&mut rt, KeyCode::Tab);
    assert_eq!(saved_rationale(&rt), "alpha Xbeta");
    keys(&mut rt, "e?");
    assert!(rt.app.overlay.is_none(), "in emacs style ? is typed");
    assert_eq!(rationale(&rt), "alpha Xbeta?");
}

#[test]
fn f1_in_the_editor_lists_the_editor_keys_in_force() {
    let mut rt = runtime(EditorKeys::Emacs);
    keys(&mut rt, "e");
    assert!(screen(&rt).contains(" F1 help"), "the hint bar says how to get help:\n{}", screen(&rt));
    press(&mut rt, KeyCode::F(1));
    let help = screen(&rt);
    assert!(help.contains("Emacs keys") && help.contains(" Ctrl-k        delete to the end of the line"), "{help}");
    assert!(help.contains("stop editing"), "{help}");
    press(&mut rt, KeyCode::Char('x'));
    assert_eq!(focus(&rt), Focus::Editor, "closing the help goes back to the editor");
    assert_eq!(rationale(&rt), "", "the key that closed the help was not typed");

    let mut rt = runtime(EditorKeys::Vim);
    keys(&mut rt, "e");
    press(&mut rt, KeyCode::F(1));
    assert!(screen(&rt).contains("Vim keys"), "F1 works in insert mode too");
}
