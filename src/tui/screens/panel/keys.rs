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
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash, SAVE_RETRY_AFTER};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::panel::{Field, PanelData, PanelFocus, PanelState, Prompt, PromptKind, line_editor};
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
            Some(p) if p.prompt.is_some() => Context::Prompt,
            Some(p) if p.chooser.is_some() => Context::Decide,
            Some(p) if p.editing.is_some() => Context::Editor,
            _ => Context::Panel,
        }
    }

    fn on_modal_key(&self, app: &mut App, event: KeyEvent, command: Option<Command>) -> Option<Vec<Effect>> {
        match self.context(app) {
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
                if let Some(prompt) = app.panel.as_mut().and_then(|p| p.prompt.as_mut()) {
                    prompt.input.insert_str(text.replace(['\n', '\r'], " "));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
        view::render(app, frame, area, hits);
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
                self.panel = Some(open.reloaded(data, select.as_deref()));
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
                panel.autosave.saved();
            }
        }
        Vec::new()
    }

    pub(in crate::tui) fn consolidation_failed(&mut self, submission: &str, message: &str, busy: bool) -> Vec<Effect> {
        let Some(panel) = self.panel.as_mut().filter(|p| p.data.submission.id == submission) else {
            return Vec::new();
        };
        panel.autosave.failed(message.to_string());
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
        if panel.autosave.due(now) { self.panel_save() } else { None }
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
            if panel.editing.is_none() && panel.prompt.is_none() && panel.chooser.is_none() {
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
        let leave_key = keys.key_for(Context::Editor, Command::LeaveEditor);
        let Some(panel) = self.panel.as_mut() else { return Vec::new() };
        let code = panel.current().map(|s| s.code.clone());
        let mut effects = Vec::new();
        let mut flash = None;
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
                if panel.set_outcome(&code, outcome) {
                    effects.push(save(panel));
                }
                flash = Some(outcome_message(panel, &code, outcome, &note_key));
            }
            Command::EditRationale | Command::EditResolutionNote | Command::EditNoConditionNote => {
                let field = match command {
                    Command::EditRationale => Field::Rationale,
                    Command::EditResolutionNote => Field::ResolutionNote,
                    _ => Field::NoConditionReason,
                };
                if !panel.start_editing(field) {
                    flash = Some(format!("Set the panel's outcome first: {outcome_keys}."));
                }
            }
            Command::AdoptWording => {
                let Some(code) = code else { return effects };
                match panel.adopt(&code, panel.reviewer) {
                    Ok(adopted) => {
                        effects.push(save(panel));
                        panel.start_editing(Field::Rationale);
                        let outcome =
                            adopted.outcome.map(|o| format!(" and outcome ({})", o.label())).unwrap_or_default();
                        flash = Some(format!(
                            "Adopted {}'s wording{outcome} to start the panel rationale: make it the panel's own; {leave_key} when done.",
                            adopted.name
                        ));
                    }
                    Err(why) => flash = Some(why),
                }
            }
            Command::AddRecommendation | Command::AddCommendation | Command::AddCondition => {
                let Some(code) = code else { return effects };
                let kind = match command {
                    Command::AddRecommendation => PromptKind::Recommendation,
                    Command::AddCommendation => PromptKind::Commendation,
                    _ => PromptKind::Condition,
                };
                panel.prompt = Some(Prompt::new(kind, code));
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
        let today = self.today;
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
                let (kind, code) = (prompt.kind, prompt.standard.clone());
                let message = match kind {
                    PromptKind::Recommendation | PromptKind::Commendation => {
                        let id = panel.add_note(kind, &code, &text);
                        format!("Added {id} to {code}.")
                    }
                    PromptKind::Condition if prompt.answers.len() < 2 => {
                        prompt.answers.push(text);
                        let due = today.checked_add(jiff::Span::new().months(3)).unwrap_or(today);
                        prompt.input =
                            line_editor(&if prompt.answers.len() == 2 { due.to_string() } else { String::new() });
                        return Vec::new();
                    }
                    PromptKind::Condition => {
                        let Ok(due) = text.parse::<jiff::civil::Date>() else {
                            self.flash = Some(Flash::Error(format!(
                                "\"{text}\" is not a date: write it as YYYY-MM-DD, such as 2026-06-30."
                            )));
                            return Vec::new();
                        };
                        let (what, evidence) = (prompt.answers[0].clone(), prompt.answers[1].clone());
                        let id = panel.add_condition(&code, &what, &evidence, due);
                        format!("Added condition {id} to {code}, due {due}.")
                    }
                    PromptKind::OverrideReason(decision) => {
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
                    let mut prompt = Prompt::new(PromptKind::OverrideReason(kind), String::new());
                    prompt.input = line_editor(&reason);
                    panel.prompt = Some(prompt);
                    return Vec::new();
                }
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
