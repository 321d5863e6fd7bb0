//! The Queue screen: my assignments, what needs me first.

pub(crate) mod view;

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Screen;
use crate::domain::MemberRole;
use crate::store::Assignment;
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;

pub struct Queue;

impl Screen for Queue {
    fn title(&self, _app: &App) -> String {
        "Queue".into()
    }

    fn context(&self, _app: &App) -> Context {
        Context::Queue
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.queue_command(command)
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
        view::render(app, frame, area, hits);
    }

    /// `r` is offered where there is a report to read: one pushed, or the chair's preview.
    fn hints(&self, app: &App, context: Context) -> Vec<(String, &'static str)> {
        let readable = app
            .queue
            .get(app.queue_selected)
            .is_some_and(|a| !a.recused && (a.report.is_some() || a.role == MemberRole::Chair));
        app.keymap.hints_where(context, |command| command != Command::OpenReport || readable)
    }

    fn announcement(&self, app: &App) -> String {
        match app.queue.get(app.queue_selected) {
            None => "Queue: no submissions.".into(),
            Some(a) => format!(
                "Queue, {} submissions. Selected {} of {}: {}, {}.",
                app.queue.len(),
                app.queue_selected + 1,
                app.queue.len(),
                sanitize(&a.submission),
                sanitize(&a.programme)
            ),
        }
    }

    fn here<'a>(&self, app: &'a App) -> Option<(&'a str, Option<&'a str>)> {
        app.queue.get(app.queue_selected).map(|a| (a.submission.as_str(), None))
    }
}

impl App {
    /// The queue as loaded, what needs me first; the selection stays on its submission.
    pub(in crate::tui) fn queue_loaded(&mut self, mut queue: Vec<Assignment>, to_settle: HashMap<String, usize>) {
        let selected = self.queue.get(self.queue_selected).map(|a| a.submission.clone());
        // What needs me first; the store's order (soonest due) within each.
        queue.sort_by_key(|a| !needs_me(a, &to_settle));
        self.queue = queue;
        self.queue_to_settle = to_settle;
        self.queue_selected = selected
            .and_then(|id| self.queue.iter().position(|a| a.submission == id))
            .unwrap_or(self.queue_selected)
            .min(self.queue.len().saturating_sub(1));
    }

    fn queue_command(&mut self, command: Command) -> Vec<Effect> {
        let n = self.queue.len();
        match command {
            Command::Down => self.queue_selected = (self.queue_selected + 1).min(n.saturating_sub(1)),
            Command::Up => self.queue_selected = self.queue_selected.saturating_sub(1),
            Command::PageDown => self.queue_selected = (self.queue_selected + 10).min(n.saturating_sub(1)),
            Command::PageUp => self.queue_selected = self.queue_selected.saturating_sub(10),
            Command::Top => self.queue_selected = 0,
            Command::Bottom => self.queue_selected = n.saturating_sub(1),
            Command::OpenReport => {
                if let Some(a) = self.queue.get(self.queue_selected) {
                    if a.report.is_some() && !a.recused {
                        return vec![Effect::OpenPushedReport { submission: a.submission.clone() }];
                    } else if a.role == MemberRole::Chair && !a.recused {
                        return vec![Effect::OpenReport { submission: a.submission.clone() }];
                    }
                    self.flash = Some(Flash::Info(format!(
                        "The chair of {} has not pushed a panel report yet (it comes with a sync once they have).",
                        a.submission
                    )));
                }
            }
            Command::Open => {
                if let Some(a) = self.queue.get(self.queue_selected) {
                    if a.recused {
                        self.flash = Some(Flash::Error(format!(
                            "You are recused from {}: nothing of it is shown.",
                            a.submission
                        )));
                    } else if a.role == MemberRole::Chair {
                        return vec![Effect::OpenPanel { submission: a.submission.clone(), select: None, show: true }];
                    } else {
                        return vec![Effect::OpenReview { submission: a.submission.clone(), select: None, show: true }];
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }
}

/// Whether a row of the queue has work for me: a review I can still judge and submit, a
/// report to confirm, or a panel I chair with something left to settle.
pub fn needs_me(a: &Assignment, to_settle: &HashMap<String, usize>) -> bool {
    if a.recused {
        return false;
    }
    if a.report.as_ref().is_some_and(crate::store::ConfirmStatus::needs_me) {
        return true;
    }
    match a.role {
        MemberRole::Chair => a.stage != crate::domain::Stage::Decided && to_settle.get(&a.submission) != Some(&0),
        MemberRole::Officer => false,
        _ => a.stage.allows_judging() && !a.submitted && a.total > 0,
    }
}
