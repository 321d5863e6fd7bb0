//! The Panel screen's state: the chair's consolidation of one submission. A grid of standards ×
//! voting reviewers, what in each row still needs the chair, and the edits to the panel's
//! outcomes, notes, recommendations, commendations, conditions and decision. Pure: every edit
//! changes the consolidation held here, and the app saves the whole of it through an effect.
//! Reviewer judgements are only read.

pub mod data;
mod detail;
mod keys;
pub mod view;

pub use keys::Panel;

use std::time::Instant;

use jiff::civil::Date;
use ratatui_textarea::TextArea;

use crate::domain::Outcome;
use crate::domain::agreement::Agreement;
use crate::domain::consolidation::{Condition, ConditionStatus, Decision, DecisionKind, Note, PanelOutcome, next_id};
use crate::tui::autosave::TextEditor;
use crate::tui::editor_keys::VimState;
pub use crate::tui::screens::panel::data::{Cell, Flag, PanelData, PanelStandard, Record, Voter, reviewer_outcomes};
pub use crate::tui::screens::report::ReportPreview;
use crate::tui::screens::review::new_editor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelFocus {
    Grid,
    /// One standard: every reviewer's rationale and the panel's.
    Detail,
    /// The conditions, recommendations and commendations: one is selected to edit or remove.
    Records,
}

/// How many changes to the consolidation `undo` can take back.
pub const UNDO_DEPTH: usize = 50;

/// What settling the unanimous standards in one step would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlePlan {
    /// The standards the reviewers' shared outcome settles (nothing else needed), in order.
    pub settle: Vec<(String, Outcome)>,
    /// Unanimous standards with no panel outcome that it leaves open: their outcome needs the
    /// panel's rationale (or a condition).
    pub stay_open: Vec<(String, Outcome)>,
}

/// Which record a form writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Condition,
    Recommendation,
    Commendation,
}

impl RecordKind {
    pub fn word(self) -> &'static str {
        match self {
            RecordKind::Condition => "condition",
            RecordKind::Recommendation => "recommendation",
            RecordKind::Commendation => "commendation",
        }
    }

    pub fn of_id(id: &str) -> RecordKind {
        match id.chars().next() {
            Some('C') => RecordKind::Condition,
            Some('G') => RecordKind::Commendation,
            _ => RecordKind::Recommendation,
        }
    }
}

/// One field of a record form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Text,
    Evidence,
    Due,
    Standards,
}

impl FormField {
    pub fn label(self, kind: RecordKind) -> &'static str {
        match (self, kind) {
            (FormField::Text, RecordKind::Condition) => "What the provider must do",
            (FormField::Text, RecordKind::Recommendation) => "What the panel advises",
            (FormField::Text, RecordKind::Commendation) => "The good practice",
            (FormField::Evidence, _) => "Evidence the provider must send",
            (FormField::Due, _) => "Due (YYYY-MM-DD)",
            (FormField::Standards, _) => "Standards, comma-separated",
        }
    }

    /// Whether the field wraps over several rows (a text), or is one short line.
    pub fn wraps(self) -> bool {
        matches!(self, FormField::Text | FormField::Evidence)
    }
}

/// The small form that adds or edits a condition, recommendation or commendation.
pub struct RecordForm {
    pub kind: RecordKind,
    /// The id of the record being edited; `None` adds one.
    pub id: Option<String>,
    pub fields: Vec<(FormField, TextArea<'static>)>,
    pub focus: usize,
    /// A past due date the chair was warned about: saving again with it keeps it.
    pub past_due_warned: Option<Date>,
}

impl RecordForm {
    fn with(kind: RecordKind, id: Option<String>, text: &str, evidence: &str, due: &str, standards: &str) -> Self {
        let mut fields = vec![(FormField::Text, form_editor(text, true))];
        if kind == RecordKind::Condition {
            fields.push((FormField::Evidence, form_editor(evidence, true)));
            fields.push((FormField::Due, form_editor(due, false)));
        }
        fields.push((FormField::Standards, form_editor(standards, false)));
        RecordForm { kind, id, fields, focus: 0, past_due_warned: None }
    }

    /// A new record tied to `code`; a condition is due in three months unless changed.
    pub fn new(kind: RecordKind, code: &str, today: Date) -> RecordForm {
        let due = today.checked_add(jiff::Span::new().months(3)).unwrap_or(today);
        RecordForm::with(kind, None, "", "", &due.to_string(), code)
    }

    /// A form holding what `id` says now.
    pub fn edit(consolidation: &crate::domain::consolidation::Consolidation, id: &str) -> Option<RecordForm> {
        if let Some(c) = consolidation.conditions.iter().find(|c| c.id == id) {
            let due = c.due.to_string();
            let standards = c.standards.join(", ");
            return Some(RecordForm::with(
                RecordKind::Condition,
                Some(c.id.clone()),
                &c.text,
                &c.evidence_required,
                &due,
                &standards,
            ));
        }
        let n = consolidation.recommendations.iter().chain(&consolidation.commendations).find(|n| n.id == id)?;
        Some(RecordForm::with(RecordKind::of_id(&n.id), Some(n.id.clone()), &n.text, "", "", &n.standards.join(", ")))
    }

    /// "New condition for MPF 1.4", "Edit C2".
    pub fn title(&self) -> String {
        match &self.id {
            Some(id) => format!("Edit {} {id}", self.kind.word()),
            None => {
                let code = self.value(FormField::Standards);
                let first = code.split(',').next().unwrap_or_default().trim().to_string();
                format!("New {} for {first}", self.kind.word())
            }
        }
    }

    pub fn value(&self, field: FormField) -> String {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, e)| e.lines().join(" ")).unwrap_or_default()
    }

    pub fn current(&mut self) -> &mut TextArea<'static> {
        let at = self.focus.min(self.fields.len() - 1);
        &mut self.fields[at].1
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
    }
}

/// A field of the record form: texts wrap, the rest is one line.
fn form_editor(text: &str, wraps: bool) -> TextArea<'static> {
    let mut editor = line_editor(text);
    if wraps {
        editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    }
    editor
}

/// A text of the panel's outcome that is edited inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Rationale,
    ResolutionNote,
    NoConditionReason,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Rationale => "panel rationale",
            Field::ResolutionNote => "resolution note",
            Field::NoConditionReason => "\"no condition because\" note",
        }
    }

    fn of(self, outcome: &PanelOutcome) -> &str {
        match self {
            Field::Rationale => &outcome.rationale,
            Field::ResolutionNote => &outcome.resolution_note,
            Field::NoConditionReason => &outcome.no_condition_reason,
        }
    }

    fn of_mut(self, outcome: &mut PanelOutcome) -> &mut String {
        match self {
            Field::Rationale => &mut outcome.rationale,
            Field::ResolutionNote => &mut outcome.resolution_note,
            Field::NoConditionReason => &mut outcome.no_condition_reason,
        }
    }
}

/// What a one-line prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Why the panel departs from the rules' decision.
    OverrideReason(DecisionKind),
}

pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextArea<'static>,
}

impl Prompt {
    pub fn new(kind: PromptKind) -> Prompt {
        let mut input = line_editor("");
        input.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        Prompt { kind, input }
    }

    /// What is asked.
    pub fn question(&self) -> String {
        match self.kind {
            PromptKind::OverrideReason(kind) => {
                format!("\"{}\" departs from the rules: why? (kept in the report)", kind.label())
            }
        }
    }

    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }
}

/// A one-line text field.
pub fn line_editor(text: &str) -> TextArea<'static> {
    let mut editor = TextArea::new(vec![text.to_string()]);
    editor.set_cursor_line_style(ratatui::style::Style::new());
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

pub struct PanelState {
    pub data: PanelData,
    /// Indexes into `data.standards`, in display order (sorted, filtered).
    pub rows: Vec<usize>,
    /// Index into `rows`.
    pub selected: usize,
    pub splits_first: bool,
    pub needs_me_only: bool,
    pub focus: PanelFocus,
    /// The selected reviewer (a column): whose wording `adopt` takes.
    pub reviewer: usize,
    /// The standard and field being typed in, if any.
    pub editing: Option<(String, Field)>,
    /// The text being written: its editor, vim mode, and whether it is saved.
    pub editor: TextEditor,
    /// A save the busy cache refused, to try again.
    pub retry: crate::tui::autosave::Retry,
    pub detail_scroll: u16,
    pub prompt: Option<Prompt>,
    /// The decision chooser, open at this choice.
    pub chooser: Option<usize>,
    /// A sync brought changes while text was being typed: reload when the editor closes.
    pub stale: bool,
    /// The record form (add or edit a condition, recommendation or commendation).
    pub form: Option<RecordForm>,
    /// The selected record when the records pane has the focus (index into `data.records()`).
    pub record: usize,
    /// The consolidation before each change, newest last, with what the change was.
    pub undo: Vec<(String, crate::domain::consolidation::Consolidation)>,
}

impl PanelState {
    pub fn new(data: PanelData, select: Option<&str>) -> PanelState {
        let mut state = PanelState {
            data,
            rows: Vec::new(),
            selected: 0,
            splits_first: false,
            needs_me_only: false,
            focus: PanelFocus::Grid,
            reviewer: 0,
            editing: None,
            editor: TextEditor::default(),
            retry: crate::tui::autosave::Retry::Idle,
            detail_scroll: 0,
            prompt: None,
            chooser: None,
            stale: false,
            form: None,
            record: 0,
            undo: Vec::new(),
        };
        state.refresh_rows();
        if let Some(i) = select.and_then(|code| state.rows.iter().position(|&r| state.data.standards[r].code == code)) {
            state.selected = i;
        }
        state
    }

    /// Takes a reload of the same submission, keeping the sort, filter, focus and selection.
    pub fn reloaded(self, data: PanelData, select: Option<&str>) -> PanelState {
        let code = select.map(str::to_string).or_else(|| self.current().map(|s| s.code.clone()));
        let mut state = PanelState::new(data, code.as_deref());
        state.splits_first = self.splits_first;
        state.needs_me_only = self.needs_me_only;
        state.focus = self.focus;
        state.reviewer = self.reviewer.min(state.data.voters.len().saturating_sub(1));
        state.record = self.record.min(state.data.records().len().saturating_sub(1));
        state.undo = self.undo;
        state.form = self.form;
        state.prompt = self.prompt;
        state.chooser = self.chooser;
        state.refresh_rows();
        if let Some(i) = code.and_then(|c| state.position(&c)) {
            state.selected = i;
        }
        state
    }

    pub fn current(&self) -> Option<&PanelStandard> {
        self.rows.get(self.selected).map(|&i| &self.data.standards[i])
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.rows.iter().position(|&i| self.data.standards[i].code == code)
    }

    /// Recomputes the rows from the sort and filter, keeping the selected standard if it is
    /// still listed, else the same place in the list (the next one).
    pub fn refresh_rows(&mut self) {
        let code = self.current().map(|s| s.code.clone());
        let data = &self.data;
        let mut rows: Vec<usize> =
            (0..data.standards.len()).filter(|&i| !self.needs_me_only || data.needs_me(&data.standards[i])).collect();
        if self.splits_first {
            let rank = |i: &usize| {
                let s = &data.standards[*i];
                match (s.agreement == Some(Agreement::Split), data.needs_me(s)) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                }
            };
            rows.sort_by_key(rank);
        }
        self.rows = rows;
        self.selected = match code.and_then(|c| self.position(&c)) {
            Some(i) => i,
            None => self.selected.min(self.rows.len().saturating_sub(1)),
        };
    }

    /// Moves the selection by `delta` rows. A row that no longer needs me leaves the filtered
    /// list as the selection moves off it.
    pub fn move_by(&mut self, delta: isize) {
        let code = self.current().map(|s| s.code.clone());
        let was = self.selected as isize;
        self.refresh_rows();
        let target = match code.and_then(|c| self.position(&c)) {
            Some(i) => i as isize + delta,
            // The rows after it moved up into its place.
            None if delta > 0 => was + delta - 1,
            None => was + delta,
        };
        self.select(target.clamp(0, self.rows.len().saturating_sub(1) as isize) as usize);
    }

    pub fn select(&mut self, index: usize) {
        let index = index.min(self.rows.len().saturating_sub(1));
        if index != self.selected {
            self.detail_scroll = 0;
        }
        self.selected = index;
    }

    /// The next (or previous) row that needs me, after the selected one, wrapping.
    pub fn next_needing_me(&self, forward: bool) -> Option<usize> {
        let n = self.rows.len();
        (1..=n)
            .map(|k| if forward { (self.selected + k) % n } else { (self.selected + n - k % n) % n })
            .find(|&i| self.data.needs_me(&self.data.standards[self.rows[i]]))
    }

    pub fn voter(&self) -> Option<&Voter> {
        self.data.voters.get(self.reviewer)
    }

    /// The next (or previous) reviewer who judges the selected standard (a lay member limited
    /// to other standards is passed over).
    pub fn cycle_reviewer(&mut self, forward: bool) {
        let n = self.data.voters.len().max(1);
        let judges = |i: usize| self.current().is_none_or(|s| !matches!(s.cells.get(i), Some(Cell::NotTheirs)));
        let mut next = self.reviewer;
        for _ in 0..n {
            next = if forward { (next + 1) % n } else { (next + n - 1) % n };
            if judges(next) {
                break;
            }
        }
        self.reviewer = next;
    }

    /// Keeps the consolidation as it is now, to undo the change about to be made.
    pub fn checkpoint(&mut self, what: impl Into<String>) {
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push((what.into(), self.data.consolidation.clone()));
    }

    /// Takes back the last change to the consolidation; what it was. Snapshots equal to what is
    /// there now (an editor opened and closed with nothing typed) are passed over.
    pub fn undo(&mut self) -> Option<String> {
        while let Some((what, before)) = self.undo.pop() {
            if before != self.data.consolidation {
                self.data.consolidation = before;
                self.refresh_rows();
                return Some(what);
            }
        }
        None
    }

    /// Clears the panel's outcome of `code` (and its texts); `false` if it had none.
    pub fn clear_outcome(&mut self, code: &str) -> bool {
        let before = self.data.consolidation.outcomes.len();
        self.data.consolidation.outcomes.retain(|o| o.standard != code);
        self.data.consolidation.outcomes.len() != before
    }

    /// The unanimous standards without a panel outcome, split into those the reviewers' shared
    /// outcome settles by itself and those it would leave needing the chair (by the same
    /// flags the grid shows, so the two never disagree).
    pub fn settle_plan(&self) -> SettlePlan {
        let mut trial = self.data.clone();
        let mut candidates = Vec::new();
        for s in &self.data.standards {
            let Some(&shared) = s.reviewer_outcomes.first() else { continue };
            let unanimous = s.agreement == Some(Agreement::Unanimous)
                && s.reviewer_outcomes.iter().all(|&o| o == shared)
                && !s.cells.iter().any(|c| matches!(c, Cell::Awaiting));
            if unanimous && self.data.consolidation.outcome(&s.code).is_none() {
                trial.consolidation.outcomes.push(PanelOutcome {
                    standard: s.code.clone(),
                    outcome: shared,
                    rationale: String::new(),
                    resolution_note: String::new(),
                    no_condition_reason: String::new(),
                });
                candidates.push((s.code.clone(), shared));
            }
        }
        let (settle, stay_open) = candidates
            .into_iter()
            .partition(|(code, _)| trial.standard(code).is_some_and(|s| trial.flags(s).is_empty()));
        SettlePlan { settle, stay_open }
    }

    /// Gives each standard of the plan the reviewers' shared outcome; how many.
    pub fn settle(&mut self, plan: &SettlePlan) -> usize {
        plan.settle.iter().filter(|(code, outcome)| self.set_outcome(code, *outcome)).count()
    }

    /// Keeps the selected record in the list after a change.
    pub fn clamp_record(&mut self) {
        self.record = self.record.min(self.data.records().len().saturating_sub(1));
    }

    /// Sets the panel's outcome of `code`, keeping its texts; `true` if it changed.
    pub fn set_outcome(&mut self, code: &str, outcome: Outcome) -> bool {
        let outcomes = &mut self.data.consolidation.outcomes;
        match outcomes.iter_mut().find(|o| o.standard == code) {
            Some(existing) if existing.outcome == outcome => false,
            Some(existing) => {
                existing.outcome = outcome;
                true
            }
            None => {
                outcomes.push(PanelOutcome {
                    standard: code.to_string(),
                    outcome,
                    rationale: String::new(),
                    resolution_note: String::new(),
                    no_condition_reason: String::new(),
                });
                true
            }
        }
    }

    /// The stored text of a field of `code`'s panel outcome.
    pub fn field_text(&self, code: &str, field: Field) -> Option<&str> {
        self.data.consolidation.outcome(code).map(|o| field.of(o))
    }

    /// Writes a field of `code`'s panel outcome; `false` when there is no panel outcome.
    pub fn set_field(&mut self, code: &str, field: Field, text: &str) -> bool {
        match self.data.consolidation.outcomes.iter_mut().find(|o| o.standard == code) {
            Some(outcome) => {
                *field.of_mut(outcome) = text.to_string();
                true
            }
            None => false,
        }
    }

    /// Opens the editor on a field of the selected standard's panel outcome.
    pub fn start_editing(&mut self, field: Field) -> bool {
        let Some(code) = self.current().map(|s| s.code.clone()) else { return false };
        let Some(text) = self.field_text(&code, field).map(str::to_string) else { return false };
        self.editor.text = new_editor(&text);
        self.editor.text.set_placeholder_text(match field {
            Field::Rationale => "The panel's rationale, in the panel's own words: saved as you type.",
            Field::ResolutionNote => "Why the panel differs from a reviewer: saved as you type.",
            Field::NoConditionReason => "Why no condition is set for this standard: saved as you type.",
        });
        self.editor.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        self.editor.text.move_cursor(ratatui_textarea::CursorMove::End);
        self.editor.vim = VimState::default();
        self.editing = Some((code, field));
        self.focus = PanelFocus::Detail;
        true
    }

    pub fn typed(&mut self, now: Instant) {
        self.editor.autosave.typed(now);
    }

    pub fn is_dirty(&self) -> bool {
        self.editor.autosave.is_dirty()
    }

    /// Takes the editor's text into the consolidation; `true` if there was unsaved text.
    pub fn take_typed_text(&mut self) -> bool {
        if !self.editor.autosave.take() {
            return false;
        }
        let Some((code, field)) = self.editing.clone() else { return false };
        let text = self.editor.text.lines().join("\n");
        self.set_field(&code, field, &text)
    }

    /// Adopts `voter`'s wording as the start of the panel rationale of `code` (after what is
    /// there, never over it), and their outcome when the panel has none yet.
    pub fn adopt(&mut self, code: &str, voter: usize) -> Result<Adopted, String> {
        let Some(standard) = self.data.standard(code) else { return Err("No standard is selected.".into()) };
        let Some(who) = self.data.voters.get(voter).map(|v| v.name.clone()) else {
            return Err("This panel has no voting reviewer.".into());
        };
        let (outcome, rationale) = match standard.cells.get(voter) {
            Some(Cell::Judged { outcome, rationale }) if !rationale.trim().is_empty() => (*outcome, rationale.clone()),
            Some(Cell::Judged { .. }) => return Err(format!("{who} wrote no rationale for {code}.")),
            Some(Cell::NotTheirs) => return Err(format!("{code} is not one of {who}'s standards.")),
            _ => return Err(format!("{who} has submitted nothing for {code} yet.")),
        };
        let mut took_outcome = None;
        if self.data.consolidation.outcome(code).is_none() {
            let Some(outcome) = outcome else { return Err(format!("{who} gave {code} no outcome.")) };
            self.set_outcome(code, outcome);
            took_outcome = Some(outcome);
        }
        let existing = self.field_text(code, Field::Rationale).unwrap_or_default().trim_end().to_string();
        let text = if existing.is_empty() { rationale } else { format!("{existing}\n\n{rationale}") };
        self.set_field(code, Field::Rationale, &text);
        Ok(Adopted { name: who, outcome: took_outcome })
    }

    /// Adds a recommendation or commendation tied to `standards`; its new id.
    pub fn add_note(&mut self, kind: RecordKind, standards: &[String], text: &str) -> String {
        let c = &mut self.data.consolidation;
        let (prefix, list) = match kind {
            RecordKind::Commendation => ('G', &mut c.commendations),
            _ => ('R', &mut c.recommendations),
        };
        let id = next_id(prefix, list.iter().map(|n| n.id.as_str()));
        list.push(Note { id: id.clone(), standards: standards.to_vec(), text: text.to_string(), withdrawn: false });
        id
    }

    /// Adds an open condition tied to `standards`; its new id.
    pub fn add_condition(&mut self, standards: &[String], text: &str, evidence: &str, due: Date) -> String {
        let c = &mut self.data.consolidation;
        let id = next_id('C', c.conditions.iter().map(|c| c.id.as_str()));
        c.conditions.push(Condition {
            id: id.clone(),
            standards: standards.to_vec(),
            text: text.to_string(),
            evidence_required: evidence.to_string(),
            due,
            status: ConditionStatus::Open,
            signed_off_on: None,
        });
        id
    }

    pub fn decide(&mut self, kind: DecisionKind, override_reason: &str) {
        self.data.consolidation.decision = Some(Decision::new(kind, override_reason));
    }

    /// Whether `kind` departs from what the rules suggest now.
    pub fn contradicts_rules(&self, kind: DecisionKind) -> bool {
        self.data.consolidation.contradicts_rules(kind, self.data.rules)
    }

    pub fn suggested(&self) -> DecisionKind {
        self.data.consolidation.suggested_decision(self.data.rules)
    }
}

/// The first-person words of `text` ("I would want…"), if any: a reviewer's wording adopted as
/// the panel's reaches the provider, where "I" reads as no one.
pub fn first_person(text: &str) -> Option<String> {
    const WORDS: [&str; 8] = ["i", "i'd", "i'm", "i've", "i'll", "me", "my", "myself"];
    let words: Vec<&str> = text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).collect();
    let at = words.iter().position(|w| WORDS.contains(&w.replace('’', "'").to_lowercase().as_str()))?;
    let quote: Vec<&str> = words[at..].iter().filter(|w| !w.is_empty()).take(3).copied().collect();
    Some(format!("{}…", quote.join(" ")))
}

/// What adopting a reviewer's wording did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    pub name: String,
    /// Their outcome, taken because the panel had none yet.
    pub outcome: Option<Outcome>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::consolidation::{Consolidation, Rules};
    use crate::domain::{MemberRole, Stage};
    use crate::store::SubmissionSummary;
    use Outcome::*;

    /// Four standards judged by two reviewers and a lay member limited to the last one.
    fn state() -> PanelState {
        let voter = |id: &str, role, limited_to| Voter {
            id: id.into(),
            name: format!("Name {id}"),
            short: id.into(),
            role,
            limited_to,
        };
        let judged = |o: Outcome| Cell::Judged { outcome: Some(o), rationale: format!("{} because.", o.label()) };
        let standard = |code: &str, cells: Vec<Cell>, agreement| {
            let reviewer_outcomes = cells.iter().filter_map(Cell::outcome).collect();
            PanelStandard {
                code: code.into(),
                title: format!("Title {code}"),
                section: "Section".into(),
                cells,
                agreement: Some(agreement),
                reviewer_outcomes,
                rationale_required: vec![PartiallyMet, NotMet],
            }
        };
        let data = PanelData {
            submission: SubmissionSummary {
                id: "S-1".into(),
                header: crate::domain::SubmissionHeader {
                    provider: "P".into(),
                    programme: "Prog".into(),
                    award: "MSc".into(),
                    programme_code: None,
                    modes: None,
                    version: 1,
                    submitted_at: jiff::civil::date(2026, 1, 1),
                },
                stage: Stage::PanelReview,
                stage_note: None,
            },
            voters: vec![
                voter("a", MemberRole::Reviewer, None),
                voter("b", MemberRole::Reviewer, None),
                voter("lay", MemberRole::Lay, Some(1)),
            ],
            recused: Vec::new(),
            standards: vec![
                standard("S1", vec![judged(Met), judged(Met), Cell::NotTheirs], Agreement::Unanimous),
                standard("S2", vec![judged(Met), judged(NotMet), Cell::NotTheirs], Agreement::Split),
                standard("S3", vec![judged(Met), judged(Met), Cell::NotTheirs], Agreement::Unanimous),
                standard("S4", vec![judged(Met), judged(PartiallyMet), judged(NotMet)], Agreement::Split),
            ],
            consolidation: Consolidation::default(),
            rules: Rules::default(),
            kappa: None,
            observed: None,
            kappa_standards: 2,
            pushed: false,
        };
        PanelState::new(data, None)
    }

    fn codes(state: &PanelState) -> Vec<&str> {
        state.rows.iter().map(|&i| state.data.standards[i].code.as_str()).collect()
    }

    fn settle(state: &mut PanelState, code: &str) {
        state.set_outcome(code, Met);
        state.set_field(code, Field::Rationale, "Met.");
        state.set_field(code, Field::ResolutionNote, "Seen at the panel.");
    }

    #[test]
    fn splits_sort_first_then_what_needs_me_keeping_the_order_within_each() {
        let mut state = state();
        settle(&mut state, "S1");
        settle(&mut state, "S4");
        state.splits_first = true;
        state.refresh_rows();
        assert_eq!(codes(&state), ["S2", "S4", "S3", "S1"], "unsettled split, settled split, needs me, settled");
        assert_eq!(state.current().unwrap().code, "S1", "the selection follows its standard");
    }

    #[test]
    fn a_settled_row_leaves_the_filter_when_the_selection_moves_on() {
        let mut state = state();
        state.needs_me_only = true;
        state.refresh_rows();
        state.select(1);
        settle(&mut state, "S2");
        assert_eq!(codes(&state), ["S1", "S2", "S3", "S4"], "still listed while selected");
        state.move_by(1);
        assert_eq!(codes(&state), ["S1", "S3", "S4"]);
        assert_eq!(state.current().unwrap().code, "S3", "the next one, not one further");
        settle(&mut state, "S3");
        state.move_by(-1);
        assert_eq!(state.current().unwrap().code, "S1");
        assert_eq!(state.next_needing_me(false).map(|i| codes(&state)[i].to_string()), Some("S4".into()), "wraps");
    }

    #[test]
    fn flags_say_what_needs_the_chair_and_leniency_is_only_a_warning() {
        let mut state = state();
        let flags = |state: &PanelState, code: &str| state.data.flags(state.data.standard(code).unwrap());
        assert_eq!(flags(&state, "S1"), [Flag::NoOutcome]);
        assert_eq!(flags(&state, "S2"), [Flag::Split, Flag::NoOutcome]);
        state.set_outcome("S4", PartiallyMet);
        assert_eq!(flags(&state, "S4"), [Flag::Split, Flag::NoRationale, Flag::NoteRequired, Flag::ConditionRequired]);
        let s4 = state.data.standard("S4").unwrap();
        assert_eq!(state.data.leniency(s4), Some(NotMet), "more lenient than the lay member");
        state.set_field("S4", Field::Rationale, "Uneven.");
        state.set_field("S4", Field::ResolutionNote, "The lay member's concern is upheld in part.");
        state.add_condition(&["S4".into()], "Involve them.", "Minutes.", jiff::civil::date(2026, 6, 30));
        assert_eq!(flags(&state, "S4"), [], "settled, though still more lenient than one reviewer");
        assert_eq!(state.data.problems().iter().filter(|p| p.starts_with("S4")).count(), 0);
    }

    #[test]
    fn adopting_wording_starts_the_rationale_and_never_overwrites_it() {
        let mut state = state();
        assert_eq!(state.adopt("S2", 1), Ok(Adopted { name: "Name b".into(), outcome: Some(NotMet) }));
        assert_eq!(state.field_text("S2", Field::Rationale), Some("not met because."));
        state.set_field("S2", Field::Rationale, "not met because. Mine.");
        assert_eq!(state.adopt("S2", 0), Ok(Adopted { name: "Name a".into(), outcome: None }));
        assert_eq!(state.field_text("S2", Field::Rationale), Some("not met because. Mine.\n\nmet because."));
        assert_eq!(state.data.consolidation.outcome("S2").unwrap().outcome, NotMet, "the outcome stays");
        assert!(state.adopt("S1", 2).unwrap_err().contains("not one of"));
    }

    #[test]
    fn first_person_wording_is_found_and_quoted() {
        assert_eq!(first_person("Met. I would want the audit published."), Some("I would want…".to_string()));
        assert_eq!(first_person("In my view it is met."), Some("my view it…".to_string()));
        assert_eq!(first_person("The panel finds it met; Imogen's point stands."), None);
    }

    #[test]
    fn the_editor_writes_into_the_field_it_was_opened_on() {
        let mut state = state();
        assert!(!state.start_editing(Field::Rationale), "no panel outcome yet");
        state.set_outcome("S1", Met);
        assert!(state.start_editing(Field::ResolutionNote));
        state.editor.text.insert_str("Why.");
        assert!(!state.take_typed_text(), "nothing typed counts until marked");
        state.typed(Instant::now());
        assert!(state.take_typed_text());
        assert_eq!(state.field_text("S1", Field::ResolutionNote), Some("Why."));
        assert_eq!(state.field_text("S1", Field::Rationale), Some(""));
    }
}
