//! The Panel screen's part of `update`: keys, the one-line prompt, the decision
//! chooser, autosave of the text being typed, and the results of loads and saves. Every edit
//! changes the consolidation held by the screen and asks for it to be saved whole.

use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::view;
use crate::domain::Outcome;
use crate::domain::consolidation::{DecisionKind, needs_resolution_note};
use crate::domain::consolidation::{RecordEdit, Removed};
use crate::domain::input::{check_due, parse_date, resolve_codes};
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash, SAVE_RETRY_AFTER};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::panel::{
    Field, FormField, PanelData, PanelFocus, PanelState, Prompt, PromptKind, RecordForm, RecordKind, line_editor,
};
use crate::tui::screens::review::Retry;
use crate::tui::screens::{Screen, ScreenId};

/// The save of the whole consolidation the screen holds.
fn save(panel: &PanelState) -> Effect {
    Effect::SaveConsolidation {
        submission: panel.data.submission.id.clone(),
        consolidation: Box::new(panel.data.consolidation.clone()),
    }
}

pub struct Panel;

impl Screen for Panel {
    fn title(&self, app: &App) -> String {
        app.panel.as_ref().map_or("Panel".into(), |p| format!("Panel {}", sanitize(&p.data.submission.id)))
    }

    fn context(&self, app: &App) -> Context {
        match &app.panel {
            Some(p) if p.prompt.is_some() || p.form.is_some() => Context::Prompt,
            Some(p) if p.chooser.is_some() => Context::Decide,
            Some(p) if p.editing.is_some() => Context::Editor,
            _ => Context::Panel,
        }
    }

    fn on_modal_key(&self, app: &mut App, event: KeyEvent, command: Option<Command>) -> Option<Vec<Effect>> {
        match self.context(app) {
            Context::Prompt if app.panel.as_ref().is_some_and(|p| p.form.is_some()) => {
                Some(app.form_key(event, command))
            }
            Context::Prompt => Some(app.prompt_key(event, command)),
            Context::Decide => Some(app.decide_key(command)),
            Context::Editor => Some(app.editor_key(event, command)),
            _ => None,
        }
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.panel_command(command)
    }

    fn on_wheel(&self, app: &mut App, command: Command) -> Vec<Effect> {
        match self.context(app) {
            Context::Prompt | Context::Editor => Vec::new(),
            Context::Decide => app.decide_key(Some(command)),
            // Over one standard's details, the wheel scrolls them.
            _ if app.panel.as_ref().is_some_and(|p| p.focus == PanelFocus::Detail) => {
                app.panel_command(if command == Command::Down {
                    Command::ScrollDetailDown
                } else {
                    Command::ScrollDetailUp
                })
            }
            _ => app.panel_command(command),
        }
    }

    fn on_paste(&self, app: &mut App, text: &str) -> Vec<Effect> {
        match self.context(app) {
            Context::Editor => {
                app.paste_into_editor(text);
                app.panel_save().into_iter().collect()
            }
            Context::Prompt => {
                let text = text.replace(['\n', '\r'], " ");
                if let Some(panel) = app.panel.as_mut() {
                    if let Some(form) = panel.form.as_mut() {
                        form.current().insert_str(text);
                    } else if let Some(prompt) = panel.prompt.as_mut() {
                        prompt.input.insert_str(text);
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
        view::render(app, frame, area, hits);
    }

    /// The side-by-side view and the records pane hint their own keys, not the grid's.
    fn hints(&self, app: &App, context: Context) -> Vec<(String, &'static str)> {
        let focus = app.panel.as_ref().map(|p| p.focus);
        if context != Context::Panel || focus == Some(PanelFocus::Grid) || focus.is_none() {
            return app.keymap.hints(context);
        }
        let key = |command| app.keymap.key_for(Context::Panel, command);
        let keys = |commands: &[Command]| commands.iter().map(|&c| key(c)).collect::<Vec<_>>().join(" ");
        if focus == Some(PanelFocus::Records) {
            return vec![
                (key(Command::EditRationale), "edit"),
                (key(Command::RemoveRecord), "remove"),
                (key(Command::Undo), "undo"),
                (key(Command::Back), "back"),
            ];
        }
        vec![
            (key(Command::NextReviewer), "reviewer"),
            (
                keys(&[
                    Command::PanelOutcome(Outcome::Met),
                    Command::PanelOutcome(Outcome::PartiallyMet),
                    Command::PanelOutcome(Outcome::NotMet),
                ]),
                "outcome",
            ),
            (key(Command::AdoptWording), "adopt"),
            (key(Command::EditResolutionNote), "note"),
            (key(Command::EditNoConditionNote), "because"),
            (keys(&[Command::AddCondition, Command::AddRecommendation, Command::AddCommendation]), "add"),
            (key(Command::Back), "back"),
            (key(Command::EditRationale), "rationale"),
        ]
    }

    fn announcement(&self, app: &App) -> String {
        view::announcement(app)
    }

    fn here<'a>(&self, app: &'a App) -> Option<(&'a str, Option<&'a str>)> {
        app.panel.as_ref().map(|p| (p.data.submission.id.as_str(), p.current().map(|s| s.code.as_str())))
    }
}

impl App {
    pub(in crate::tui) fn panel_loaded(&mut self, data: PanelData, select: Option<String>, show: bool) -> Vec<Effect> {
        match self.panel.take() {
            // The open panel again: keep where the chair is in it.
            Some(open) if open.data.submission.id == data.submission.id => {
                // What the cache holds differs from what is on screen only when someone else
                // changed it (the chair's own edits are saved before any reload): an undo would
                // then take back their change too, so the history starts afresh.
                let outside = open.data.consolidation != data.consolidation && !open.undo.is_empty();
                let mut reloaded = open.reloaded(data, select.as_deref());
                if outside {
                    reloaded.undo.clear();
                    self.flash = Some(Flash::Info(
                        "The consolidation was changed outside this window (`accredit panel`, or another machine): \
                         what is shown is the latest, and undo starts afresh from here."
                            .into(),
                    ));
                }
                self.panel = Some(reloaded);
            }
            // A reload of a panel that was closed meanwhile.
            other if !show => self.panel = other,
            _ => self.panel = Some(PanelState::new(data, select.as_deref())),
        }
        if show {
            self.screen = ScreenId::Panel;
        }
        Vec::new()
    }

    pub(in crate::tui) fn consolidation_saved(&mut self, submission: &str) -> Vec<Effect> {
        if let Some(panel) = self.panel.as_mut().filter(|p| p.data.submission.id == submission) {
            panel.retry = Retry::Idle;
            if !panel.is_dirty() {
                panel.editor.autosave.saved();
            }
        }
        Vec::new()
    }

    pub(in crate::tui) fn consolidation_failed(&mut self, submission: &str, message: &str, busy: bool) -> Vec<Effect> {
        let Some(panel) = self.panel.as_mut().filter(|p| p.data.submission.id == submission) else {
            return Vec::new();
        };
        panel.editor.autosave.failed(message.to_string());
        self.flash = Some(Flash::Error(if busy {
            panel.retry = Retry::Armed;
            format!(
                "The panel's work on {submission} is not saved yet: the cache was busy ({message}). It stays on \
                 screen and is saved again in {} seconds.",
                SAVE_RETRY_AFTER.as_secs()
            )
        } else {
            format!(
                "Could not save the panel's work on {submission}: {message}. It stays on screen and is saved with \
                 your next change."
            )
        }));
        Vec::new()
    }

    /// Saves the text being typed on the Panel screen, if there is any not yet saved.
    pub(in crate::tui) fn panel_save(&mut self) -> Option<Effect> {
        let panel = self.panel.as_mut()?;
        panel.take_typed_text().then(|| save(panel))
    }

    pub(in crate::tui) fn panel_autosave(&mut self, now: Instant) -> Option<Effect> {
        let panel = self.panel.as_mut()?;
        if panel.retry.fire(now, SAVE_RETRY_AFTER) {
            return Some(save(panel));
        }
        if panel.editor.autosave.due(now) { self.panel_save() } else { None }
    }

    pub(in crate::tui) fn leave_panel_editor(&mut self) -> Vec<Effect> {
        let mut effects: Vec<Effect> = self.panel_save().into_iter().collect();
        if let Some(panel) = self.panel.as_mut() {
            panel.editing = None;
        }
        effects.extend(self.reload_panel_if_stale());
        effects
    }

    fn reload_panel_if_stale(&mut self) -> Option<Effect> {
        let panel = self.panel.as_mut().filter(|p| p.stale)?;
        panel.stale = false;
        Some(Effect::OpenPanel {
            submission: panel.data.submission.id.clone(),
            select: panel.current().map(|s| s.code.clone()),
            show: false,
        })
    }

    /// After a sync: reload the panel (later, if the chair is typing) and the report preview.
    pub(in crate::tui) fn reload_panel_after_sync(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(panel) = self.panel.as_mut() {
            panel.stale = true;
            // Not under the chair's hands: the editor, a prompt or the chooser reload when closed.
            if panel.editing.is_none() && panel.prompt.is_none() && panel.chooser.is_none() && panel.form.is_none() {
                effects.extend(self.reload_panel_if_stale());
            }
        }
        if self.screen == ScreenId::Report
            && let Some(report) = &self.report
        {
            effects.push(Effect::OpenReport { submission: report.submission.clone() });
        }
        effects
    }

    pub(in crate::tui) fn panel_command(&mut self, command: Command) -> Vec<Effect> {
        let keys = &self.keymap;
        let key = |command| keys.key_for(Context::Panel, command);
        let outcome_keys = format!(
            "{} met, {} partially met, {} not met",
            key(Command::PanelOutcome(Outcome::Met)),
            key(Command::PanelOutcome(Outcome::PartiallyMet)),
            key(Command::PanelOutcome(Outcome::NotMet))
        );
        let note_key = key(Command::EditResolutionNote);
        let undo_key = key(Command::Undo);
        let leave_key = keys.key_for(Context::Editor, Command::LeaveEditor);
        let records_key = key(Command::FocusRecords);
        let today = self.today;
        let Some(panel) = self.panel.as_mut() else { return Vec::new() };
        let code = panel.current().map(|s| s.code.clone());
        let mut effects = Vec::new();
        let mut flash = None;
        if panel.focus == PanelFocus::Records {
            let n = panel.data.records().len();
            let selected = panel.data.records().get(panel.record).map(|r| r.id.clone());
            match command {
                Command::Down | Command::PageDown => panel.record = (panel.record + 1).min(n.saturating_sub(1)),
                Command::Up | Command::PageUp => panel.record = panel.record.saturating_sub(1),
                Command::Top => panel.record = 0,
                Command::Bottom => panel.record = n.saturating_sub(1),
                Command::Back | Command::FocusRecords => panel.focus = PanelFocus::Grid,
                Command::Open | Command::EditRationale => {
                    match selected.and_then(|id| RecordForm::edit(&panel.data.consolidation, &id)) {
                        Some(form) => panel.form = Some(form),
                        None => flash = Some("No record is selected.".to_string()),
                    }
                }
                Command::RemoveRecord => {
                    let Some(id) = selected else { return effects };
                    let pushed = panel.data.pushed;
                    panel.checkpoint(format!("removing {id}"));
                    match panel.data.consolidation.remove_record(&id, pushed) {
                        Ok(removed) => {
                            panel.clamp_record();
                            effects.push(save(panel));
                            flash = Some(match removed {
                                Removed::Removed(id) => format!("Removed {id}; {undo_key} brings it back."),
                                Removed::Withdrawn(id) => format!(
                                    "Withdrew {id}: a pushed report carried it, so it stays in the history (out of the report; the other numbers stay). {undo_key} undoes it."
                                ),
                            });
                        }
                        Err(e) => {
                            panel.undo.pop();
                            flash = Some(e.to_string());
                        }
                    }
                }
                Command::Undo => {
                    flash = Some(undo(panel, &mut effects));
                    panel.clamp_record();
                }
                _ => {}
            }
            if let Some(text) = flash {
                self.flash = Some(Flash::Info(text));
            }
            return effects;
        }
        match command {
            Command::Down => panel.move_by(1),
            Command::Up => panel.move_by(-1),
            Command::PageDown => panel.move_by(10),
            Command::PageUp => panel.move_by(-10),
            Command::Top => {
                panel.refresh_rows();
                panel.select(0);
            }
            Command::Bottom => {
                panel.refresh_rows();
                panel.select(panel.rows.len().saturating_sub(1));
            }
            Command::ScrollDetailDown => panel.detail_scroll = panel.detail_scroll.saturating_add(3),
            Command::ScrollDetailUp => panel.detail_scroll = panel.detail_scroll.saturating_sub(3),
            Command::NextReviewer | Command::PreviousReviewer => {
                panel.cycle_reviewer(command == Command::NextReviewer);
                panel.detail_scroll = 0;
            }
            Command::Open if code.is_some() => panel.focus = PanelFocus::Detail,
            Command::FocusRecords if panel.data.records().is_empty() => {
                flash = Some("No condition, recommendation or commendation yet.".to_string());
            }
            Command::FocusRecords => {
                panel.focus = PanelFocus::Records;
                panel.clamp_record();
            }
            Command::RemoveRecord => flash = Some(format!("{records_key} first selects the record to remove.")),
            Command::Undo => flash = Some(undo(panel, &mut effects)),
            Command::ClearOutcome => {
                let Some(code) = code else { return effects };
                panel.checkpoint(format!("clearing the outcome of {code}"));
                if panel.clear_outcome(&code) {
                    effects.push(save(panel));
                    flash = Some(format!("{code}: the panel's outcome is cleared (open again); {undo_key} undoes it."));
                } else {
                    panel.undo.pop();
                    flash = Some(format!("{code} has no panel outcome to clear."));
                }
            }
            Command::SettleUnanimous => {
                let plan = panel.settle_plan();
                if plan.settle.is_empty() {
                    flash = Some(if plan.stay_open.is_empty() {
                        "No unanimous standard is waiting for the panel's outcome.".to_string()
                    } else {
                        format!(
                            "The {} unanimous standards left need the panel's rationale (or a condition): settle them one by one.",
                            plan.stay_open.len()
                        )
                    });
                } else {
                    let submission = panel.data.submission.id.clone();
                    self.overlay = Some(crate::tui::app::Overlay::ConfirmSettle { submission, plan });
                    return effects;
                }
            }
            Command::Back if panel.focus == PanelFocus::Detail => {
                panel.focus = PanelFocus::Grid;
                panel.refresh_rows();
            }
            Command::Back => {
                self.panel = None;
                self.report = None;
                self.screen = ScreenId::Queue;
                effects.push(Effect::LoadQueue);
            }
            Command::SortSplitsFirst => {
                panel.splits_first = !panel.splits_first;
                panel.refresh_rows();
                // The splits are now on top: start on the first of them.
                if panel.splits_first {
                    panel.select(0);
                }
                flash = Some(if panel.splits_first {
                    "Sorted: splits first, then what needs you, then the rest.".to_string()
                } else {
                    "In the frameworks' order.".to_string()
                });
            }
            Command::FilterNeedsMe => {
                panel.needs_me_only = !panel.needs_me_only;
                panel.refresh_rows();
                flash = Some(match (panel.needs_me_only, panel.rows.len()) {
                    (false, n) => format!("Showing all {n} standards."),
                    (true, 0) => "Nothing needs you: every standard is settled.".to_string(),
                    (true, n) => format!("Showing the {n} standards that need you."),
                });
            }
            Command::NextGap | Command::PreviousGap => match panel.next_needing_me(command == Command::NextGap) {
                Some(i) => panel.select(i),
                None => flash = Some("Nothing else needs you here.".to_string()),
            },
            Command::PanelOutcome(outcome) => {
                let Some(code) = code else { return effects };
                panel.checkpoint(format!("the outcome of {code}"));
                if panel.set_outcome(&code, outcome) {
                    effects.push(save(panel));
                } else {
                    panel.undo.pop();
                }
                flash = Some(outcome_message(panel, &code, outcome, &note_key));
            }
            Command::EditRationale | Command::EditResolutionNote | Command::EditNoConditionNote => {
                let field = match command {
                    Command::EditRationale => Field::Rationale,
                    Command::EditResolutionNote => Field::ResolutionNote,
                    _ => Field::NoConditionReason,
                };
                panel.checkpoint(format!("the {} of {}", field.label(), code.clone().unwrap_or_default()));
                if !panel.start_editing(field) {
                    panel.undo.pop();
                    flash = Some(format!("Set the panel's outcome first: {outcome_keys}."));
                }
            }
            Command::AdoptWording => {
                let Some(code) = code else { return effects };
                panel.checkpoint(format!("adopting wording for {code}"));
                match panel.adopt(&code, panel.reviewer) {
                    Ok(adopted) => {
                        effects.push(save(panel));
                        panel.start_editing(Field::Rationale);
                        let outcome =
                            adopted.outcome.map(|o| format!(" and outcome ({})", o.label())).unwrap_or_default();
                        let text = panel.field_text(&code, Field::Rationale).unwrap_or_default();
                        let warning = super::first_person(text).map_or_else(String::new, |quote| {
                            format!("⚠ It says \"{quote}\": the provider reads it as the panel's words. ")
                        });
                        flash = Some(format!(
                            "{warning}Adopted {}'s wording{outcome} to start the panel rationale: make it the panel's own; {leave_key} when done.",
                            adopted.name
                        ));
                    }
                    Err(why) => {
                        panel.undo.pop();
                        flash = Some(why);
                    }
                }
            }
            Command::AddRecommendation | Command::AddCommendation | Command::AddCondition => {
                let Some(code) = code else { return effects };
                let kind = match command {
                    Command::AddRecommendation => RecordKind::Recommendation,
                    Command::AddCommendation => RecordKind::Commendation,
                    _ => RecordKind::Condition,
                };
                panel.form = Some(RecordForm::new(kind, &code, today));
            }
            Command::Decide => {
                let current = panel.data.consolidation.decision.as_ref().map_or_else(|| panel.suggested(), |d| d.kind);
                panel.chooser = DecisionKind::ALL.iter().position(|&k| k == current);
            }
            Command::OpenReview => {
                effects.push(Effect::OpenReview {
                    submission: panel.data.submission.id.clone(),
                    select: code,
                    show: true,
                });
            }
            Command::OpenReport => {
                effects.push(Effect::OpenReport { submission: panel.data.submission.id.clone() });
            }
            _ => {}
        }
        if let Some(text) = flash {
            self.flash = Some(Flash::Info(text));
        }
        effects
    }

    pub(in crate::tui) fn prompt_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let Some(panel) = self.panel.as_mut() else { return Vec::new() };
        let Some(prompt) = panel.prompt.as_mut() else { return Vec::new() };
        match command {
            Some(Command::Cancel) => {
                panel.prompt = None;
                return self.reload_panel_if_stale().into_iter().collect();
            }
            Some(Command::Confirm) => {
                let text = prompt.text().trim().to_string();
                if text.is_empty() {
                    self.flash = Some(Flash::Info("Type the text first, or Esc to cancel.".into()));
                    return Vec::new();
                }
                let message = match prompt.kind {
                    PromptKind::OverrideReason(decision) => {
                        panel.checkpoint("the decision");
                        panel.decide(decision, &text);
                        format!("Decision recorded: {}, with the override reason.", decision.label())
                    }
                };
                panel.prompt = None;
                self.flash = Some(Flash::Info(message));
                let mut effects = vec![save(panel)];
                effects.extend(self.reload_panel_if_stale());
                return effects;
            }
            _ => {}
        }
        // One line: line breaks are not typed.
        let newline = matches!(event.code, KeyCode::Enter)
            || (event.modifiers.contains(KeyModifiers::CONTROL) && event.code == KeyCode::Char('m'));
        if !newline {
            prompt.input.input(event);
        }
        Vec::new()
    }

    pub(in crate::tui) fn decide_key(&mut self, command: Option<Command>) -> Vec<Effect> {
        let Some(panel) = self.panel.as_mut() else { return Vec::new() };
        let Some(selected) = panel.chooser.as_mut() else { return Vec::new() };
        match command {
            Some(Command::Down) => *selected = (*selected + 1).min(DecisionKind::ALL.len() - 1),
            Some(Command::Up) => *selected = selected.saturating_sub(1),
            Some(Command::Cancel) => {
                panel.chooser = None;
                return self.reload_panel_if_stale().into_iter().collect();
            }
            Some(Command::Open) => {
                let kind = DecisionKind::ALL[*selected];
                panel.chooser = None;
                if panel.contradicts_rules(kind) {
                    let reason = panel
                        .data
                        .consolidation
                        .decision
                        .as_ref()
                        .filter(|d| d.kind == kind)
                        .map(|d| d.override_reason.clone())
                        .unwrap_or_default();
                    let mut prompt = Prompt::new(PromptKind::OverrideReason(kind));
                    prompt.input = line_editor(&reason);
                    panel.prompt = Some(prompt);
                    return Vec::new();
                }
                panel.checkpoint("the decision");
                panel.decide(kind, "");
                self.flash = Some(Flash::Info(format!("Decision recorded: {}.", kind.label())));
                let mut effects = vec![save(panel)];
                effects.extend(self.reload_panel_if_stale());
                return effects;
            }
            _ => {}
        }
        Vec::new()
    }
}

/// What the bottom line says after the panel's outcome is set: what it now needs, and the
/// leniency warning.
fn outcome_message(panel: &PanelState, code: &str, outcome: Outcome, note_key: &str) -> String {
    let mut text = format!("{code}: the panel's outcome is {}.", outcome.label());
    let Some(standard) = panel.data.standard(code) else { return text };
    if let Some(severe) = panel.data.leniency(standard) {
        text.push_str(&format!(
            " ⚠ More lenient than the most severe reviewer ({}): a warning, not a block.",
            severe.label()
        ));
    }
    let note = panel.field_text(code, Field::ResolutionNote).unwrap_or_default();
    if needs_resolution_note(outcome, &standard.reviewer_outcomes) && note.trim().is_empty() {
        text.push_str(&format!(" It differs from a reviewer: {note_key} writes the resolution note it needs."));
    }
    text
}

/// Takes back the last change and saves what it was before; the bottom line's words.
fn undo(panel: &mut PanelState, effects: &mut Vec<Effect>) -> String {
    match panel.undo() {
        Some(what) => {
            effects.push(save(panel));
            let left = panel.undo.len();
            format!("Undone: {what}.{}", if left == 0 { String::new() } else { format!(" {left} more to undo.") })
        }
        None => "Nothing to undo.".to_string(),
    }
}

impl App {
    /// Keys of the settle-the-unanimous confirmation.
    pub(in crate::tui) fn settle_confirm_key(&mut self, command: Option<Command>) -> Vec<Effect> {
        let Some(crate::tui::app::Overlay::ConfirmSettle { submission, plan }) = &self.overlay else {
            return Vec::new();
        };
        match command {
            Some(Command::Confirm) => {
                let (submission, plan) = (submission.clone(), plan.clone());
                self.overlay = None;
                let undo_key = self.keymap.key_for(Context::Panel, Command::Undo);
                let Some(panel) = self.panel.as_mut().filter(|p| p.data.submission.id == submission) else {
                    return Vec::new();
                };
                panel.checkpoint(format!("settling {} unanimous standards", plan.settle.len()));
                let settled = panel.settle(&plan);
                panel.refresh_rows();
                let open = plan.stay_open.len();
                self.flash = Some(Flash::Info(format!(
                    "Settled {settled} unanimous standards with the reviewers' shared outcome{}; {undo_key} undoes all of it.",
                    if open == 0 {
                        String::new()
                    } else {
                        format!(" ({open} left open: they need the panel's rationale)")
                    }
                )));
                vec![save(panel)]
            }
            Some(Command::Cancel) => {
                self.overlay = None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Keys of the record form: Tab moves between fields, Enter saves the whole record.
    pub(in crate::tui) fn form_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let today = self.today;
        let undo_key = self.keymap.key_for(Context::Panel, Command::Undo);
        let confirm_key = self.keymap.key_for(Context::Prompt, Command::Confirm);
        let Some(panel) = self.panel.as_mut() else { return Vec::new() };
        let Some(form) = panel.form.as_mut() else { return Vec::new() };
        match command {
            Some(Command::Cancel) => {
                panel.form = None;
                return self.reload_panel_if_stale().into_iter().collect();
            }
            Some(Command::FocusNext) => form.move_focus(true),
            Some(Command::FocusPrevious) => form.move_focus(false),
            Some(Command::Confirm) => {
                let text = form.value(FormField::Text).trim().to_string();
                if text.is_empty() {
                    form.focus = 0;
                    self.flash = Some(Flash::Info("Type the text first, or Esc to cancel.".into()));
                    return Vec::new();
                }
                let codes = panel.data.standards.iter().map(|s| s.code.as_str());
                let wanted: Vec<String> = form.value(FormField::Standards).split(',').map(str::to_string).collect();
                let standards = match resolve_codes(codes, &wanted) {
                    Ok(standards) => standards,
                    Err(e) => {
                        form.focus = form.fields.len() - 1;
                        self.flash = Some(Flash::Error(format!("Standards: {e}.")));
                        return Vec::new();
                    }
                };
                let (kind, id) = (form.kind, form.id.clone());
                let mut evidence = None;
                let mut due = None;
                if kind == RecordKind::Condition {
                    let date = match parse_date(&form.value(FormField::Due)) {
                        Ok(date) => date,
                        Err(e) => {
                            form.focus = 2;
                            self.flash = Some(Flash::Error(format!("{e}.")));
                            return Vec::new();
                        }
                    };
                    let unchanged = id.as_ref().is_some_and(|id| {
                        panel.data.consolidation.conditions.iter().any(|c| &c.id == id && c.due == date)
                    });
                    let confirmed = unchanged || form.past_due_warned == Some(date);
                    if let Err(e) = check_due(date, today, confirmed) {
                        form.focus = 2;
                        form.past_due_warned = Some(date);
                        let e = e.split(':').next().unwrap_or_default().to_string();
                        self.flash = Some(Flash::Error(format!(
                            "{e}: {confirm_key} again keeps it (a condition recorded late)."
                        )));
                        return Vec::new();
                    }
                    due = Some(date);
                    evidence = Some(form.value(FormField::Evidence).trim().to_string());
                }
                let message = match id {
                    Some(id) => {
                        panel.checkpoint(format!("editing {id}"));
                        let edit = RecordEdit { text: Some(text), evidence, due, standards: Some(standards) };
                        match panel.data.consolidation.edit_record(&id, edit) {
                            Ok(id) => format!("Saved {id}; {undo_key} undoes the edit."),
                            Err(e) => {
                                panel.undo.pop();
                                self.flash = Some(Flash::Error(e.to_string()));
                                return Vec::new();
                            }
                        }
                    }
                    None => {
                        panel.checkpoint(format!("adding a {}", kind.word()));
                        let tied = standards.join(", ");
                        let id = match (kind, due) {
                            (RecordKind::Condition, Some(due)) => {
                                panel.add_condition(&standards, &text, &evidence.unwrap_or_default(), due)
                            }
                            (RecordKind::Commendation, _) => {
                                panel.add_note(RecordKind::Commendation, &standards, &text)
                            }
                            _ => panel.add_note(RecordKind::Recommendation, &standards, &text),
                        };
                        match due {
                            Some(due) => format!("Added condition {id} to {tied}, due {due}."),
                            None => format!("Added {id} to {tied}."),
                        }
                    }
                };
                panel.form = None;
                self.flash = Some(Flash::Info(message));
                let mut effects = vec![save(panel)];
                effects.extend(self.reload_panel_if_stale());
                return effects;
            }
            _ => {
                // One logical line per field: line breaks are not typed.
                let newline = matches!(event.code, KeyCode::Enter)
                    || (event.modifiers.contains(KeyModifiers::CONTROL) && event.code == KeyCode::Char('m'));
                if !newline {
                    form.current().input(event);
                }
            }
        }
        Vec::new()
    }
}
