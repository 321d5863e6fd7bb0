//! The Sync screen's state: what is waiting to go out, the conflicts to settle, the recent log;
//! and the sync status shown in the header.

mod keys;
pub(crate) mod view;

pub use keys::Syncing;

use crate::store::{Conflict, OutboxEntry};

/// Where syncing stands, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    /// No hub configured for this cache (`accredit login` first).
    NotConnected,
    Never,
    Running,
    /// Synced at this (local) time.
    Synced(String),
    /// The hub could not be reached.
    Offline,
    Failed(String),
}

#[derive(Debug)]
pub struct SyncView {
    pub conflicts: Vec<Conflict>,
    pub outbox: Vec<OutboxEntry>,
    /// (when, level, message), newest first.
    pub log: Vec<(String, String, String)>,
    pub selected: usize,
    /// The merged text being edited for the selected conflict.
    pub merge: Option<crate::tui::autosave::TextEditor>,
}

impl SyncView {
    pub fn selected_conflict(&self) -> Option<&Conflict> {
        self.conflicts.get(self.selected)
    }

    /// Starts a merge holding both texts, marked, for the user to edit into one.
    pub fn start_merge(&mut self) {
        let Some(conflict) = self.selected_conflict() else { return };
        let theirs = conflict.theirs.as_ref().map_or("", |t| t.rationale.as_str());
        let text =
            format!("{}\n--- the hub's text (edit both into one, then Esc) ---\n{theirs}", conflict.mine.rationale);
        self.merge = Some(crate::tui::autosave::TextEditor::with_text(&text));
    }
}
