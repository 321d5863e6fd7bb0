//! The Report screen's keys: scrolling the preview, going back, pushing the report.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::view;
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash, Overlay};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::{Screen, ScreenId};

pub struct Report;

impl Screen for Report {
    fn title(&self, app: &App) -> String {
        app.report.as_ref().map_or("Report".into(), |r| format!("Report {}", sanitize(&r.submission)))
    }

    fn context(&self, _app: &App) -> Context {
        Context::Report
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.report_command(command)
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
            _ => {}
        }
        Vec::new()
    }
}
