//! The bookkeeping of an editor that saves by itself: text typed and not yet saved, since when,
//! the last key, and what the screen says about it. One copy, shared by the review's rationale
//! and the panel's texts (the merge editor on the Sync screen applies on a key and needs none).
//! The clock comes in from `App::update`; nothing here reads it.

use std::time::{Duration, Instant};

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
}
