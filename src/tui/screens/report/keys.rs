//! The Report screen's keys: scrolling the preview, going back, pushing the report.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::view;
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash, Overlay};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::panel::line_editor;
use crate::tui::screens::{Screen, ScreenId};

pub struct Report;

impl Screen for Report {
    fn title(&self, app: &App) -> String {
        app.report.as_ref().map_or("Report".into(), |r| format!("Report {}", sanitize(&r.submission)))
    }

    fn context(&self, app: &App) -> Context {
        let typing = app.report.as_ref().and_then(|r| r.confirming.as_ref()).is_some_and(|c| c.comment.is_some());
        if typing { Context::Prompt } else { Context::Report }
    }

    fn on_modal_key(&self, app: &mut App, event: KeyEvent, command: Option<Command>) -> Option<Vec<Effect>> {
        (self.context(app) == Context::Prompt).then(|| app.confirm_comment_key(event, command))
    }

    fn on_paste(&self, app: &mut App, text: &str) -> Vec<Effect> {
        if let Some(comment) = app.report.as_mut().and_then(|r| r.confirming.as_mut()).and_then(|c| c.comment.as_mut())
        {
            // One line: a pasted line break is a space.
            comment.insert_str(text.replace(['\r', '\n'], " "));
        }
        Vec::new()
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.report_command(command)
    }

    /// A member reading the pushed version confirms it; the chair's preview pushes.
    fn hints(&self, app: &App, context: Context) -> Vec<(String, &'static str)> {
        let member = app.report.as_ref().is_some_and(|r| r.confirming.is_some());
        app.keymap.hints_where(context, |command| match command {
            Command::ConfirmReport => member,
            Command::PushReport => !member,
            _ => true,
        })
    }

    fn on_wheel(&self, app: &mut App, command: Command) -> Vec<Effect> {
        (0..3).flat_map(|_| app.report_command(command)).collect()
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, _hits: &mut Hits) {
        view::render(app, frame, area);
    }

    fn announcement(&self, app: &App) -> String {
        view::announcement(app)
    }

    /// The report is the panel's.
    fn here<'a>(&self, app: &'a App) -> Option<(&'a str, Option<&'a str>)> {
        super::super::panel::Panel.here(app)
    }
}

impl App {
    fn report_command(&mut self, command: Command) -> Vec<Effect> {
        let Some(report) = self.report.as_mut() else { return Vec::new() };
        if let Some(confirm) = report.confirming.as_mut() {
            match command {
                Command::ConfirmReport => {
                    confirm.comment = Some(line_editor(&confirm.kept_comment));
                    return Vec::new();
                }
                Command::PushReport => {
                    self.flash = Some(Flash::Info("Only the chair pushes the report; you confirm it.".into()));
                    return Vec::new();
                }
                Command::Back => {
                    self.screen = ScreenId::Queue;
                    return Vec::new();
                }
                _ => {}
            }
        }
        match command {
            Command::Down => report.scroll_by(1),
            Command::Up => report.scroll_by(-1),
            Command::PageDown => report.scroll_by(20),
            Command::PageUp => report.scroll_by(-20),
            Command::Top => report.scroll = 0,
            Command::Bottom => report.to_bottom(),
            Command::Back => self.screen = if self.panel.is_some() { ScreenId::Panel } else { ScreenId::Queue },
            // The hub refuses an incomplete report: say so here, with the list on screen.
            Command::PushReport if !report.problems.is_empty() => {
                let n = report.problems.len();
                self.flash = Some(Flash::Info(format!(
                    "Not complete: {n} thing{} to settle (listed at the top) before the report can be pushed.",
                    if n == 1 { "" } else { "s" }
                )));
            }
            Command::PushReport => {
                self.overlay = Some(Overlay::ConfirmPush { submission: report.submission.clone() });
            }
            Command::ConfirmReport => {
                self.flash =
                    Some(Flash::Info("The panel's members confirm the report the chair pushed; you chair it.".into()));
            }
            _ => {}
        }
        Vec::new()
    }

    /// Typing the comment of a confirmation: Enter confirms (the comment may stay empty).
    pub(in crate::tui) fn confirm_comment_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let Some(report) = self.report.as_mut() else { return Vec::new() };
        let submission = report.submission.clone();
        let Some(confirm) = report.confirming.as_mut() else { return Vec::new() };
        let Some(comment) = confirm.comment.as_mut() else { return Vec::new() };
        match command {
            Some(Command::Cancel) => confirm.comment = None,
            Some(Command::Confirm) => {
                let comment = comment.lines().join(" ").trim().to_string();
                confirm.kept_comment.clone_from(&comment);
                confirm.comment = None;
                return vec![Effect::ConfirmReport { submission, version: confirm.version, comment }];
            }
            _ => {
                // One line: line breaks are not typed.
                let newline = matches!(event.code, KeyCode::Enter)
                    || (event.modifiers.contains(KeyModifiers::CONTROL) && event.code == KeyCode::Char('m'));
                if !newline {
                    comment.input(event);
                }
            }
        }
        Vec::new()
    }
}
