//! Keys in the text editor, in the key style the config chose (`editor_keys`): the review's
//! rationale, or a text of the panel's outcome on the Panel screen.

use super::autosave::TextEditor;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Overlay};
use super::editor_keys::{VimMode, VimState, is_emacs_meta};
use super::keymap::{Command, Context, Key};
use super::screens::ScreenId;
use super::screens::review::Focus;
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
        let global_help = self.keymap.keys_for(Context::Global, Command::Help).contains(&Key::from_event(event));
        let Some(TextEditor { text: editor, vim: vim_state, .. }) = self.editing_text() else {
            return Vec::new();
        };
        if vim {
            match vim_state.mode {
                VimMode::Insert if event.code == KeyCode::Esc && event.modifiers.is_empty() => {
                    vim_state.to_normal(editor);
                    return Vec::new();
                }
                VimMode::Insert => {}
                VimMode::Normal if matches!(command, Some(Command::LeaveEditor | Command::Help)) => {}
                VimMode::Normal if global_help => {
                    self.overlay = Some(Overlay::Help);
                    return Vec::new();
                }
                VimMode::Normal => {
                    if vim_state.normal_key(editor, Key::from_event(event)) {
                        self.typed_in_editor();
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
            return self.leave_editor();
        }
        if editor.input(event) {
            self.typed_in_editor();
        }
        Vec::new()
    }

    /// The editor being typed in: a panel text on the Panel screen, else the review's rationale.
    pub(super) fn editing_text(&mut self) -> Option<&mut TextEditor> {
        if self.screen == ScreenId::Panel {
            return self.panel.as_mut().filter(|p| p.editing.is_some()).map(|p| &mut p.editor);
        }
        self.review.as_mut().map(|r| &mut r.editor)
    }

    pub(super) fn editing_vim(&self) -> Option<&VimState> {
        if self.screen == ScreenId::Panel {
            return self.panel.as_ref().filter(|p| p.editing.is_some()).map(|p| &p.editor.vim);
        }
        self.review.as_ref().map(|r| &r.editor.vim)
    }

    /// Inserts pasted text in the open editor as one edit (terminals send a pasted line
    /// break as CR).
    pub(super) fn paste_into_editor(&mut self, text: &str) {
        if let Some(editor) = self.editing_text() {
            editor.text.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
            self.typed_in_editor();
        }
    }

    /// Marks what the editor holds as typed and not yet saved.
    pub(super) fn typed_in_editor(&mut self) {
        if self.screen == ScreenId::Panel {
            if let Some(panel) = self.panel.as_mut() {
                panel.typed(self.now);
            }
        } else if let Some(review) = self.review.as_mut() {
            review.typed(self.now);
        }
    }

    fn leave_editor(&mut self) -> Vec<Effect> {
        if self.screen == ScreenId::Panel {
            return self.leave_panel_editor();
        }
        if let Some(review) = self.review.as_mut() {
            review.focus = Focus::Standards;
        }
        let mut effects: Vec<Effect> = self.save_current().into_iter().collect();
        effects.extend(self.reload_if_stale());
        effects
    }
}
