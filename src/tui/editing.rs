//! Keys in the rationale editor, in the key style the config chose (`editor_keys`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Overlay};
use super::editor_keys::{VimMode, is_emacs_meta};
use super::keymap::{Command, Context, Key};
use super::review::Focus;
use crate::config::EditorKeys;

impl App {
    pub(super) fn editor_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let vim = self.editor_keys == EditorKeys::Vim;
        // Terminals send Esc then a key typed quickly after it as one Alt-key: take it as the
        // Esc and the key the user pressed, except for emacs's own Meta commands.
        let emacs_meta = match event.code {
            KeyCode::Char(c) => is_emacs_meta(c),
            KeyCode::Backspace | KeyCode::Delete => true,
            _ => false,
        };
        if event.modifiers == KeyModifiers::ALT && event.code != KeyCode::Esc && (vim || !emacs_meta) {
            let mut effects = self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            effects.extend(self.on_key(KeyEvent::new(event.code, KeyModifiers::NONE)));
            return effects;
        }
        let Some(review) = self.review.as_mut() else {
            return Vec::new();
        };
        if vim {
            match review.vim.mode {
                VimMode::Insert if event.code == KeyCode::Esc && event.modifiers.is_empty() => {
                    review.vim.to_normal(&mut review.editor);
                    return Vec::new();
                }
                VimMode::Insert => {}
                VimMode::Normal if matches!(command, Some(Command::LeaveEditor | Command::Help)) => {}
                VimMode::Normal
                    if self.keymap.keys_for(Context::Global, Command::Help).contains(&Key::from_event(event)) =>
                {
                    self.overlay = Some(Overlay::Help);
                    return Vec::new();
                }
                VimMode::Normal => {
                    if review.vim.normal_key(&mut review.editor, Key::from_event(event)) {
                        review.typed();
                    }
                    return Vec::new();
                }
            }
        }
        if command == Some(Command::Help) {
            self.overlay = Some(Overlay::Help);
            return Vec::new();
        }
        if command == Some(Command::LeaveEditor) {
            review.focus = Focus::Standards;
            let mut effects: Vec<Effect> = self.save_current().into_iter().collect();
            effects.extend(self.reload_if_stale());
            return effects;
        }
        if review.editor.input(event) {
            review.typed();
        }
        Vec::new()
    }
}
