//! The rationale editor's key styles (`editor = "emacs" | "vim"` in config.toml), as data:
//! each table lists its keys with a description, the `?` help shows the table in force, and
//! the vim table is also what dispatches normal-mode keys.
//!
//! - emacs (the default): ratatui-textarea's own emacs-like keys, typing at once. Alt-f, Alt-b,
//!   Alt-d, Alt-< and Alt-> are the Meta commands; any other Alt-key is taken as Esc typed
//!   quickly before the key (terminals send the two as one Alt-key).
//! - vim: insert mode (typing, as emacs) and normal mode with the common motions and edits.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use super::keymap::Key;

/// The emacs-flavoured keys the editor understands (ratatui-textarea's defaults).
pub const EMACS_KEYS: &[(&str, &str)] = &[
    ("Ctrl-a Ctrl-e", "start and end of the line"),
    ("Ctrl-f Ctrl-b", "forward and back a character"),
    ("Alt-f Alt-b", "forward and back a word"),
    ("Ctrl-n Ctrl-p", "next and previous line"),
    ("Alt-< Alt->", "start and end of the text"),
    ("Ctrl-k", "delete to the end of the line"),
    ("Ctrl-j", "delete to the start of the line"),
    ("Ctrl-w Alt-d", "delete the word before, after"),
    ("Ctrl-u Ctrl-r", "undo, redo"),
    ("Ctrl-y", "paste what was deleted"),
];

/// Alt-letters that are emacs Meta commands in the editor.
const EMACS_META: &[char] = &['f', 'b', 'd', '<', '>'];

/// Whether Alt-`c` is an emacs Meta command rather than Esc then `c`.
pub fn is_emacs_meta(c: char) -> bool {
    EMACS_META.contains(&c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VimMode {
    #[default]
    Insert,
    Normal,
}

impl VimMode {
    pub fn label(self) -> &'static str {
        match self {
            VimMode::Insert => "INSERT",
            VimMode::Normal => "NORMAL",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VimState {
    pub mode: VimMode,
    /// The first key of a two-key command (`d` of `dd`, `g` of `gg`, `y` of `yy`).
    pending: Option<char>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Move(CursorMove),
    Insert(Entry),
    DeleteChar,
    DeleteLine,
    DeleteWord,
    DeleteToEnd,
    ChangeToEnd,
    JoinLines,
    YankLine,
    Paste,
    Undo,
    Redo,
}

/// How insert mode is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Here,
    After,
    LineStart,
    LineEnd,
    Below,
    Above,
}

/// Normal-mode keys: the spellings that run each command (space-separated), what it does.
const VIM_NORMAL: &[(&str, &str, Op)] = &[
    ("h ←", "left", Op::Move(CursorMove::Back)),
    ("l →", "right", Op::Move(CursorMove::Forward)),
    ("j ↓", "down a line", Op::Move(CursorMove::Down)),
    ("k ↑", "up a line", Op::Move(CursorMove::Up)),
    ("w", "next word", Op::Move(CursorMove::WordForward)),
    ("b", "previous word", Op::Move(CursorMove::WordBack)),
    ("e", "end of the word", Op::Move(CursorMove::WordEnd)),
    ("0 ^", "start of the line", Op::Move(CursorMove::Head)),
    ("$", "end of the line", Op::Move(CursorMove::End)),
    ("gg", "first line", Op::Move(CursorMove::Top)),
    ("G", "last line", Op::Move(CursorMove::Bottom)),
    ("i", "insert before the cursor", Op::Insert(Entry::Here)),
    ("a", "insert after the cursor", Op::Insert(Entry::After)),
    ("I", "insert at the start of the line", Op::Insert(Entry::LineStart)),
    ("A", "insert at the end of the line", Op::Insert(Entry::LineEnd)),
    ("o", "open a line below", Op::Insert(Entry::Below)),
    ("O", "open a line above", Op::Insert(Entry::Above)),
    ("x", "delete the character", Op::DeleteChar),
    ("dd", "delete the line", Op::DeleteLine),
    ("dw", "delete to the next word", Op::DeleteWord),
    ("D", "delete to the end of the line", Op::DeleteToEnd),
    ("C", "change to the end of the line", Op::ChangeToEnd),
    ("J", "join the next line", Op::JoinLines),
    ("yy", "copy the line", Op::YankLine),
    ("p", "paste after the cursor", Op::Paste),
    ("u", "undo", Op::Undo),
    ("Ctrl-r", "redo", Op::Redo),
];

/// The vim keys for help: (keys, description), normal mode and the mode changes.
pub fn vim_help() -> Vec<(String, &'static str)> {
    let mut rows = vec![("Esc".to_string(), "insert mode: to normal mode")];
    rows.extend(VIM_NORMAL.iter().map(|(keys, what, _)| ((*keys).to_string(), *what)));
    rows
}

/// How a key is spelled in the table.
fn token(key: Key) -> Option<String> {
    match (key.code, key.modifiers) {
        (KeyCode::Char(c), m) if m.is_empty() => Some(c.to_string()),
        (KeyCode::Char(c), KeyModifiers::CONTROL) => Some(format!("Ctrl-{c}")),
        (KeyCode::Left, _) => Some("←".into()),
        (KeyCode::Right, _) => Some("→".into()),
        (KeyCode::Up, _) => Some("↑".into()),
        (KeyCode::Down, _) => Some("↓".into()),
        _ => None,
    }
}

impl VimState {
    /// Runs a normal-mode key on `editor`; returns whether the text changed.
    pub fn normal_key(&mut self, editor: &mut TextArea<'static>, key: Key) -> bool {
        let Some(token) = token(key) else {
            self.pending = None;
            return false;
        };
        let typed = match self.pending.take() {
            Some(first) => format!("{first}{token}"),
            None => token,
        };
        let found = VIM_NORMAL.iter().find(|(keys, _, _)| keys.split(' ').any(|k| k == typed));
        let Some((_, _, op)) = found else {
            // The first key of a two-key command waits for the second.
            let mut chars = typed.chars();
            if let (Some(first), None) = (chars.next(), chars.next())
                && VIM_NORMAL.iter().any(|(keys, _, _)| keys.split(' ').any(|k| k.len() == 2 && k.starts_with(first)))
            {
                self.pending = Some(first);
            }
            return false;
        };
        let before: Vec<String> = editor.lines().to_vec();
        self.run(editor, *op);
        if self.mode == VimMode::Normal {
            rest_on_a_character(editor);
        }
        editor.lines() != before.as_slice()
    }

    /// Insert mode to normal mode: the cursor steps back onto the last character typed.
    pub fn to_normal(&mut self, editor: &mut TextArea<'static>) {
        self.mode = VimMode::Normal;
        self.pending = None;
        if editor.cursor().1 > 0 {
            editor.move_cursor(CursorMove::Back);
        }
    }

    fn run(&mut self, editor: &mut TextArea<'static>, op: Op) {
        match op {
            Op::Move(to) => editor.move_cursor(to),
            Op::Insert(entry) => {
                editor.cancel_selection();
                match entry {
                    Entry::Here => {}
                    Entry::After => {
                        if !at_line_end(editor) {
                            editor.move_cursor(CursorMove::Forward);
                        }
                    }
                    Entry::LineStart => editor.move_cursor(CursorMove::Head),
                    Entry::LineEnd => editor.move_cursor(CursorMove::End),
                    Entry::Below => {
                        editor.move_cursor(CursorMove::End);
                        editor.insert_newline();
                    }
                    Entry::Above => {
                        editor.move_cursor(CursorMove::Head);
                        editor.insert_newline();
                        editor.move_cursor(CursorMove::Up);
                    }
                }
                self.mode = VimMode::Insert;
            }
            Op::DeleteChar => {
                editor.delete_next_char();
            }
            Op::DeleteLine => {
                let row = editor.cursor().0;
                let count = editor.lines().len();
                let line = editor.lines().get(row).cloned().unwrap_or_default();
                if count == 1 {
                    editor.move_cursor(CursorMove::Head);
                    editor.delete_line_by_end();
                } else if row + 1 < count {
                    select_line(editor);
                    editor.cut();
                } else {
                    // The last line goes with the line break before it.
                    editor.move_cursor(CursorMove::Up);
                    editor.move_cursor(CursorMove::End);
                    editor.start_selection();
                    editor.move_cursor(CursorMove::Bottom);
                    editor.move_cursor(CursorMove::End);
                    editor.cut();
                    editor.move_cursor(CursorMove::Head);
                }
                editor.set_yank_text(format!("{line}\n"));
            }
            Op::DeleteWord => {
                // To the start of the next word, or to the end of the line on its last word.
                let row = editor.cursor().0;
                editor.start_selection();
                editor.move_cursor(CursorMove::WordForward);
                if editor.cursor().0 != row {
                    let len = editor.lines().get(row).map_or(0, |l| l.chars().count());
                    editor.move_cursor(CursorMove::Jump(row as u16, len as u16));
                }
                if !editor.cut() {
                    editor.cancel_selection();
                }
            }
            Op::DeleteToEnd => {
                editor.delete_line_by_end();
            }
            Op::ChangeToEnd => {
                editor.delete_line_by_end();
                self.mode = VimMode::Insert;
            }
            Op::JoinLines => {
                if editor.cursor().0 + 1 < editor.lines().len() {
                    editor.move_cursor(CursorMove::End);
                    editor.delete_next_char();
                    editor.insert_char(' ');
                }
            }
            Op::YankLine => {
                let line = editor.lines().get(editor.cursor().0).cloned().unwrap_or_default();
                editor.set_yank_text(format!("{line}\n"));
            }
            Op::Paste => {
                let text = editor.yank_text();
                match text.strip_suffix('\n') {
                    // A whole line goes below the current one.
                    Some(line) => {
                        editor.move_cursor(CursorMove::End);
                        editor.insert_newline();
                        editor.insert_str(line);
                        editor.move_cursor(CursorMove::Head);
                    }
                    None => {
                        if !at_line_end(editor) {
                            editor.move_cursor(CursorMove::Forward);
                        }
                        editor.paste();
                    }
                }
            }
            Op::Undo => {
                editor.undo();
            }
            Op::Redo => {
                editor.redo();
            }
        }
    }
}

/// Selects the cursor's line with its line break (to the end of the text on the last line).
fn select_line(editor: &mut TextArea<'static>) {
    editor.move_cursor(CursorMove::Head);
    editor.start_selection();
    let row = editor.cursor().0;
    editor.move_cursor(CursorMove::Down);
    if editor.cursor().0 == row {
        editor.move_cursor(CursorMove::End);
    } else {
        editor.move_cursor(CursorMove::Head);
    }
}

/// In normal mode the cursor sits on a character, never past the end of a line.
fn rest_on_a_character(editor: &mut TextArea<'static>) {
    if at_line_end(editor) && editor.cursor().1 > 0 {
        editor.move_cursor(CursorMove::Back);
    }
}

fn at_line_end(editor: &TextArea<'static>) -> bool {
    let (row, col) = (editor.cursor().0, editor.cursor().1);
    editor.lines().get(row).is_none_or(|line| col >= line.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(text: &str) -> TextArea<'static> {
        TextArea::new(text.split('\n').map(str::to_string).collect())
    }

    fn normal(state: &mut VimState, editor: &mut TextArea<'static>, keys: &str) -> bool {
        let mut changed = false;
        for c in keys.chars() {
            changed |= state.normal_key(editor, Key::char(c));
        }
        changed
    }

    #[test]
    fn motions_move_and_change_nothing() {
        let mut state = VimState { mode: VimMode::Normal, pending: None };
        let mut text = editor("alpha beta\ngamma");
        assert!(!normal(&mut state, &mut text, "wlj$0gg"));
        assert_eq!((text.cursor().0, text.cursor().1), (0, 0));
        normal(&mut state, &mut text, "G$");
        assert_eq!(text.cursor().0, 1);
        normal(&mut state, &mut text, "gg");
        assert_eq!(text.cursor().0, 0, "gg goes to the first line");
    }

    #[test]
    fn edits_change_the_text_and_undo_restores_it() {
        let mut state = VimState { mode: VimMode::Normal, pending: None };
        let mut text = editor("one\ntwo\nthree");
        assert!(normal(&mut state, &mut text, "dd"));
        assert_eq!(text.lines(), ["two", "three"]);
        assert!(normal(&mut state, &mut text, "p"));
        assert_eq!(text.lines(), ["two", "one", "three"], "a deleted line pastes below");
        assert!(normal(&mut state, &mut text, "x"));
        assert_eq!(text.lines()[1], "ne");
        assert!(normal(&mut state, &mut text, "u"));
        assert_eq!(text.lines()[1], "one");
        assert!(normal(&mut state, &mut text, "J"));
        assert_eq!(text.lines(), ["two", "one three"]);
        normal(&mut state, &mut text, "0D");
        assert_eq!(text.lines(), ["two", ""]);
    }

    #[test]
    fn insert_commands_enter_insert_mode_where_vim_does() {
        let mut state = VimState { mode: VimMode::Normal, pending: None };
        let mut text = editor("ab");
        normal(&mut state, &mut text, "A");
        assert_eq!((state.mode, text.cursor().1), (VimMode::Insert, 2));
        state.mode = VimMode::Normal;
        assert!(normal(&mut state, &mut text, "o"));
        assert_eq!((state.mode, text.lines().len(), text.cursor().0), (VimMode::Insert, 2, 1));
        state.mode = VimMode::Normal;
        normal(&mut state, &mut text, "ggC");
        assert_eq!((state.mode, text.lines()[0].as_str()), (VimMode::Insert, ""));
    }

    #[test]
    fn yy_copies_the_line_and_unknown_keys_do_nothing() {
        let mut state = VimState { mode: VimMode::Normal, pending: None };
        let mut text = editor("keep");
        assert!(!normal(&mut state, &mut text, "yy"));
        assert!(normal(&mut state, &mut text, "p"));
        assert_eq!(text.lines(), ["keep", "keep"]);
        assert!(!normal(&mut state, &mut text, "zq!"));
        assert!(!normal(&mut state, &mut text, "dz"), "d then an unknown key is dropped");
        assert_eq!(text.lines(), ["keep", "keep"]);
        let mut last = editor("one\ntwo");
        normal(&mut state, &mut last, "Gdd");
        assert_eq!(last.lines(), ["one"], "dd on the last line removes it");
        normal(&mut state, &mut last, "dd");
        assert_eq!(last.lines(), [""]);
        assert!(normal(&mut state, &mut last, "u"));
        assert!(state.normal_key(&mut last, Key::ctrl('r')));
    }

    #[test]
    fn only_some_alt_keys_are_emacs_meta_commands() {
        assert!(is_emacs_meta('f') && is_emacs_meta('b') && is_emacs_meta('d'));
        assert!(!is_emacs_meta('2') && !is_emacs_meta(']') && !is_emacs_meta('j'));
    }
}
