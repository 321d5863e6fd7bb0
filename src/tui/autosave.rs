//! The one text editor of the TUI (`TextEditor`: the text, its vim state, and the bookkeeping of
//! an editor that saves by itself: text typed and not yet saved, since when, the last key, what
//! the screen says about it), shared by the review's rationale, the panel's texts and the Sync
//! screen's merge (which applies on a key, so its bookkeeping stays idle); and when a save that a
//! busy cache refused is tried again (`Retry`). The clock comes in from `App::update`; nothing
//! here reads it.

use std::time::{Duration, Instant};

use ratatui_textarea::{TextArea, WrapMode};

use super::editor_keys::VimState;

/// Text being written: the editor, its vim mode (`editor = "vim"`), and whether it is saved.
#[derive(Debug, Clone, Default)]
pub struct TextEditor {
    pub text: TextArea<'static>,
    pub vim: VimState,
    pub autosave: Autosave,
}

impl TextEditor {
    /// An editor holding `text`, in normal (not typed) state.
    pub fn with_text(text: &str) -> TextEditor {
        TextEditor { text: new_editor(text), ..TextEditor::default() }
    }

    /// What the editor holds.
    pub fn contents(&self) -> String {
        self.text.lines().join("\n")
    }
}

/// How long typed text may wait before it is written, at most.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(700);
/// A pause in typing this long saves at once.
pub const AUTOSAVE_IDLE: Duration = Duration::from_millis(250);

/// Whether what the screen shows of the text is in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// Typed but not yet written (autosave is due within a second).
    Unsaved,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Autosave {
    dirty: bool,
    /// When the text first differed from what is saved (by typing).
    dirty_since: Option<Instant>,
    last_typed: Option<Instant>,
    pub status: SaveStatus,
}

impl Default for Autosave {
    fn default() -> Autosave {
        Autosave { dirty: false, dirty_since: None, last_typed: None, status: SaveStatus::Saved }
    }
}

impl Autosave {
    /// A key changed the text at `now`.
    pub fn typed(&mut self, now: Instant) {
        self.dirty = true;
        self.dirty_since.get_or_insert(now);
        self.last_typed = Some(now);
        self.status = SaveStatus::Unsaved;
    }

    /// The text differs from what is saved, not by typing (a paste, `$EDITOR`, text kept from a
    /// failed save): due at once.
    pub fn changed(&mut self) {
        self.dirty = true;
        self.dirty_since = None;
        self.last_typed = None;
        self.status = SaveStatus::Unsaved;
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Whether a save should go now: text has waited `AUTOSAVE_AFTER`, or typing paused for
    /// `AUTOSAVE_IDLE`.
    pub fn due(&self, now: Instant) -> bool {
        let waited = |t: Option<Instant>, d| t.is_none_or(|t| now.saturating_duration_since(t) >= d);
        self.dirty && (waited(self.dirty_since, AUTOSAVE_AFTER) || waited(self.last_typed, AUTOSAVE_IDLE))
    }

    /// The text goes to a save: clean from now on (so the next tick does not save it again);
    /// `false` if there was nothing to save. The status stays until the save reports back.
    pub fn take(&mut self) -> bool {
        let was = self.dirty;
        self.dirty = false;
        self.dirty_since = None;
        self.last_typed = None;
        was
    }

    /// What the screen shows is what the cache holds.
    pub fn saved(&mut self) {
        self.take();
        self.status = SaveStatus::Saved;
    }

    pub fn failed(&mut self, message: String) {
        self.status = SaveStatus::Failed(message);
    }
}

/// When a save that a busy cache refused is tried again: armed by the failure, given its time by
/// the next tick (the clock comes in with the tick), fired by a later one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Retry {
    #[default]
    Idle,
    Armed,
    Due(Instant),
}

impl Retry {
    /// Advances the retry to `now`: true when the save is to be tried now.
    pub fn fire(&mut self, now: Instant, after: std::time::Duration) -> bool {
        match *self {
            Retry::Idle => false,
            Retry::Armed => {
                *self = Retry::Due(now + after);
                false
            }
            Retry::Due(at) if at <= now => {
                *self = Retry::Idle;
                true
            }
            Retry::Due(_) => false,
        }
    }
}

pub fn new_editor(text: &str) -> TextArea<'static> {
    let mut editor = TextArea::new(text.split('\n').map(str::to_string).collect());
    editor.set_wrap_mode(WrapMode::WordOrGlyph);
    editor.set_placeholder_text("Type the rationale here: it is saved as you type.");
    editor.set_cursor_line_style(ratatui::style::Style::new());
    editor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_due_after_a_pause_or_at_the_latest_after_the_wait() {
        let t0 = Instant::now();
        let mut a = Autosave::default();
        assert!(!a.due(t0), "nothing typed, nothing due");
        // Steady typing every 100 ms: not due until AUTOSAVE_AFTER has passed since the first key.
        let step = Duration::from_millis(100);
        let mut t = t0;
        while t.duration_since(t0) < AUTOSAVE_AFTER {
            a.typed(t);
            assert!(!a.due(t + step / 2), "typing goes on");
            t += step;
        }
        a.typed(t);
        assert!(a.due(t), "typed text never waits longer than AUTOSAVE_AFTER");
        assert!(a.take());
        assert!(!a.due(t + AUTOSAVE_AFTER), "taken text is not saved twice");
        assert_eq!(a.status, SaveStatus::Unsaved, "until the save reports back");
        a.saved();
        assert_eq!(a.status, SaveStatus::Saved);

        a.typed(t);
        assert!(!a.due(t + AUTOSAVE_IDLE / 2));
        assert!(a.due(t + AUTOSAVE_IDLE), "a pause saves");
    }

    #[test]
    fn a_change_not_typed_is_due_at_once() {
        let mut a = Autosave::default();
        a.changed();
        assert!(a.is_dirty());
        assert!(a.due(Instant::now()));
        assert!(a.take());
        assert!(!a.take(), "nothing left to save");
    }

    #[test]
    fn an_editor_holds_its_text_line_for_line_and_starts_saved() {
        let editor = TextEditor::with_text("First line.\n\nThird.");
        assert_eq!(editor.contents(), "First line.\n\nThird.");
        assert_eq!(editor.text.lines().len(), 3);
        assert!(!editor.autosave.is_dirty());
        assert_eq!(editor.autosave.status, SaveStatus::Saved);
    }
}
