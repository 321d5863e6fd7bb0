//! The Review screen's state: the standards of one submission and my judgement of each.

mod keys;

pub use keys::Review;
pub(in crate::tui) use keys::save_if_dirty;
pub(crate) mod view;

use std::collections::HashMap;
use std::time::Instant;

use crate::domain::{Gap, Judgement, Outcome};
use crate::store::{ReviewData, StandardView};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Standards,
    Evidence,
    Editor,
}

pub use crate::tui::autosave::{Retry, SaveStatus, TextEditor, new_editor};

/// A save to try again: what the reviewer meant to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSave {
    pub outcome: Option<Outcome>,
    pub rationale: String,
    pub retry: Retry,
}

pub struct ReviewState {
    pub data: ReviewData,
    /// (section, standard) of each standard in display order.
    pub order: Vec<(usize, usize)>,
    pub selected: usize,
    pub focus: Focus,
    pub evidence_selected: usize,
    /// The rationale being written: its text, vim mode, and whether it is saved.
    pub editor: TextEditor,
    pub detail_scroll: u16,
    /// Rationales whose save failed, by standard, so moving away never drops them.
    pub unsaved: HashMap<String, String>,
    /// Saves that failed because the cache was busy, by standard, tried again on a later tick.
    pub retries: HashMap<String, PendingSave>,
}

impl ReviewState {
    pub fn new(data: ReviewData, select: Option<&str>) -> ReviewState {
        let order: Vec<(usize, usize)> =
            data.sections.iter().enumerate().flat_map(|(i, s)| (0..s.standards.len()).map(move |j| (i, j))).collect();
        let mut state = ReviewState {
            data,
            order,
            selected: 0,
            focus: Focus::Standards,
            evidence_selected: 0,
            editor: TextEditor::default(),
            detail_scroll: 0,
            unsaved: HashMap::new(),
            retries: HashMap::new(),
        };
        let start = select.and_then(|code| state.position(code)).or_else(|| state.next_gap_from(0, true)).unwrap_or(0);
        state.select(start);
        state
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.order.iter().position(|&(s, j)| self.data.sections[s].standards[j].code == code)
    }

    pub fn current(&self) -> Option<&StandardView> {
        self.order.get(self.selected).map(|&(s, j)| &self.data.sections[s].standards[j])
    }

    fn standard_mut(&mut self, code: &str) -> Option<&mut StandardView> {
        self.data.sections.iter_mut().flat_map(|s| s.standards.iter_mut()).find(|s| s.code == code)
    }

    /// Selects the standard at `index` and loads its rationale into the editor.
    pub fn select(&mut self, index: usize) {
        if self.order.is_empty() {
            return;
        }
        self.selected = index.min(self.order.len() - 1);
        self.evidence_selected = 0;
        self.detail_scroll = 0;
        let (text, dirty) = match self.current() {
            Some(s) => match self.unsaved.get(&s.code) {
                Some(text) => (text.clone(), true),
                None => (s.mine.as_ref().map(|j| j.rationale.clone()).unwrap_or_default(), false),
            },
            None => (String::new(), false),
        };
        self.editor.text = new_editor(&text);
        if dirty {
            self.editor.autosave.changed();
        } else {
            self.editor.autosave.saved();
        }
        if self.focus == Focus::Editor {
            self.focus = Focus::Standards;
        }
    }

    pub fn rationale(&self) -> String {
        self.editor.text.lines().join("\n")
    }

    /// Marks the editor's text as typed and not yet saved.
    pub fn typed(&mut self, now: Instant) {
        self.editor.autosave.typed(now);
    }

    pub fn is_dirty(&self) -> bool {
        self.editor.autosave.is_dirty()
    }

    pub fn current_outcome(&self) -> Option<Outcome> {
        self.current().and_then(|s| s.mine.as_ref()).and_then(|j| j.outcome)
    }

    /// The outcome a save of the selected standard should carry: one still waiting to be
    /// retried wins over the recorded one, so saving the rationale never undoes it.
    pub fn outcome_to_save(&self) -> Option<Outcome> {
        let code = &self.current()?.code;
        match self.retries.get(code) {
            Some(pending) => pending.outcome,
            None => self.current_outcome(),
        }
    }

    /// Every gap, counting the rationale in the editor for the selected standard.
    pub fn gaps_now(&self) -> Vec<(String, Gap)> {
        let selected = self.current().map(|s| s.code.clone());
        let editor_text = self.rationale();
        self.data
            .standards()
            .filter(|s| s.judged_by_me)
            .filter_map(|s| {
                let outcome = s.mine.as_ref().and_then(|j| j.outcome);
                let rationale = if Some(&s.code) == selected.as_ref() {
                    editor_text.as_str()
                } else {
                    s.mine.as_ref().map_or("", |j| j.rationale.as_str())
                };
                Gap::of(outcome, rationale, &s.rationale_required).map(|g| (s.code.clone(), g))
            })
            .collect()
    }

    /// The next (or previous) standard with a gap, starting at `from` (inclusive), wrapping.
    /// The next standard from `from` (itself included) where my outcome differs from another
    /// member's submitted one (only once the others are shown).
    pub fn next_difference_from(&self, from: usize, forward: bool) -> Option<usize> {
        let n = self.order.len();
        (0..n).map(|k| if forward { (from + k) % n } else { (from + n - k % n) % n }).find(|&i| {
            let (s, j) = self.order[i];
            differs(&self.data.sections[s].standards[j]) && self.data.others_visible
        })
    }

    pub fn next_gap_from(&self, from: usize, forward: bool) -> Option<usize> {
        let n = self.order.len();
        let gaps: Vec<String> = self.gaps_now().into_iter().map(|(code, _)| code).collect();
        (0..n).map(|k| if forward { (from + k) % n } else { (from + n - k % n) % n }).find(|&i| {
            let (s, j) = self.order[i];
            gaps.contains(&self.data.sections[s].standards[j].code)
        })
    }

    /// Takes a saved judgement into the screen's data.
    pub fn apply_saved(&mut self, judgement: Judgement) {
        let code = judgement.standard.clone();
        let text = judgement.rationale.clone();
        self.unsaved.remove(&code);
        self.retries.remove(&code);
        let selected_code = self.current().map(|s| s.code.clone());
        if let Some(standard) = self.standard_mut(&code) {
            standard.mine = Some(judgement);
        }
        if selected_code.as_deref() == Some(code.as_str()) && self.rationale() == text {
            self.editor.autosave.saved();
        }
    }
}

/// Whether my outcome of `standard` differs from a submitted outcome of another member.
pub fn differs(standard: &crate::store::StandardView) -> bool {
    let mine = standard.mine.as_ref().and_then(|j| j.outcome);
    mine.is_some() && standard.others.iter().any(|o| o.outcome.is_some() && o.outcome != mine)
}
