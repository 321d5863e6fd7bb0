//! The Document screen's keys: scrolling, searching, going back.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::view;
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::{Screen, ScreenId};

pub struct Document;

impl Screen for Document {
    fn title(&self, app: &App) -> String {
        app.document
            .as_ref()
            .map_or("Document".into(), |d| format!("Document {} {}", sanitize(&d.submission), sanitize(&d.info.id)))
    }

    fn context(&self, _app: &App) -> Context {
        Context::Document
    }

    /// While the search line is open it takes every key.
    fn on_modal_key(&self, app: &mut App, event: KeyEvent, _command: Option<Command>) -> Option<Vec<Effect>> {
        app.document.as_ref()?.search_input.as_ref()?;
        app.document_search_key(event);
        Some(Vec::new())
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.document_command(command)
    }

    fn on_wheel(&self, app: &mut App, command: Command) -> Vec<Effect> {
        (0..3).flat_map(|_| app.document_command(command)).collect()
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, _hits: &mut Hits) {
        view::render(app, frame, area);
    }

    fn announcement(&self, app: &App) -> String {
        match &app.document {
            None => "Document.".into(),
            Some(doc) => {
                let search = doc
                    .search
                    .as_ref()
                    .map(|q| format!(", \"{}\": {} matches", sanitize(q), doc.matches.len()))
                    .unwrap_or_default();
                format!(
                    "Document {} of {}, line {} of {}{search}.",
                    sanitize(&doc.info.id),
                    sanitize(&doc.submission),
                    (doc.scroll + 1).min(doc.lines.len().max(1)),
                    doc.lines.len()
                )
            }
        }
    }

    fn input_line(&self, app: &App) -> Option<Line<'static>> {
        let input = app.document.as_ref()?.search_input.as_ref()?;
        Some(Line::from(vec![
            Span::styled(" search: ", app.theme.title),
            Span::raw(sanitize(input).into_owned()),
            Span::styled("█", app.theme.focus),
        ]))
    }

    /// The document belongs to the review it was opened from.
    fn here<'a>(&self, app: &'a App) -> Option<(&'a str, Option<&'a str>)> {
        super::super::review::Review.here(app)
    }
}

impl App {
    fn document_command(&mut self, command: Command) -> Vec<Effect> {
        let Some(doc) = self.document.as_mut() else {
            return Vec::new();
        };
        match command {
            Command::Down => doc.scroll_by(1),
            Command::Up => doc.scroll_by(-1),
            Command::PageDown => doc.scroll_by(20),
            Command::PageUp => doc.scroll_by(-20),
            Command::Top => doc.scroll = 0,
            Command::Bottom => doc.scroll = doc.lines.len().saturating_sub(1),
            Command::Search => doc.search_input = Some(String::new()),
            Command::NextMatch => doc.next_match(true),
            Command::PreviousMatch => doc.next_match(false),
            Command::Back => {
                self.screen = if self.review.is_some() { ScreenId::Review } else { ScreenId::Queue };
            }
            _ => {}
        }
        Vec::new()
    }

    fn document_search_key(&mut self, event: KeyEvent) {
        let Some(doc) = self.document.as_mut() else {
            return;
        };
        let Some(input) = doc.search_input.as_mut() else {
            return;
        };
        match event.code {
            KeyCode::Esc => doc.search_input = None,
            KeyCode::Enter => {
                let query = doc.search_input.take().unwrap_or_default();
                doc.search(&query);
                if doc.matches.is_empty() && !query.is_empty() {
                    self.flash = Some(Flash::Info(format!("\"{query}\" is not in this document")));
                }
            }
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Char(c) => input.push(c),
            _ => {}
        }
    }
}
