//! The Document screen's keys: scrolling, searching, going back.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{InputKind, view};
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

    /// While the bottom line reads a search or a page it takes every key.
    fn on_modal_key(&self, app: &mut App, event: KeyEvent, _command: Option<Command>) -> Option<Vec<Effect>> {
        app.document.as_ref()?.input.as_ref()?;
        app.document_input_key(event);
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
        view::announcement(app)
    }

    fn input_line(&self, app: &App) -> Option<Line<'static>> {
        let (kind, input) = app.document.as_ref()?.input.as_ref()?;
        let prompt = match kind {
            InputKind::Search => " search: ",
            InputKind::Page => " go to page: ",
        };
        Some(Line::from(vec![
            Span::styled(prompt, app.theme.title),
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
            Command::ScrollRight if !doc.wrap => doc.scroll_sideways(8),
            Command::ScrollLeft if !doc.wrap => doc.scroll_sideways(-8),
            Command::ScrollRight | Command::ScrollLeft => {
                let key = self.keymap.key_for(Context::Document, Command::ToggleWrap);
                self.flash =
                    Some(Flash::Info(format!("Lines wrap, so there is nothing to the side: {key} keeps them whole.")));
            }
            Command::ToggleWrap => {
                doc.toggle_wrap();
                self.flash = Some(Flash::Info(
                    if doc.wrap {
                        "Long lines wrap."
                    } else {
                        "Lines kept whole (tables line up); ← → scroll sideways."
                    }
                    .into(),
                ));
            }
            Command::Search => doc.input = Some((InputKind::Search, String::new())),
            Command::GoToPage if doc.pages.is_empty() => {
                self.flash = Some(Flash::Info(format!("{} has no pages to go to.", sanitize(&doc.info.id))));
            }
            Command::GoToPage => doc.input = Some((InputKind::Page, String::new())),
            Command::NextMatch => doc.next_match(true),
            Command::PreviousMatch => doc.next_match(false),
            Command::OpenOriginal => {
                let page = doc.page_at_scroll().and_then(|(_, page)| page.viewer_page());
                return vec![Effect::OpenOriginal {
                    submission: doc.submission.clone(),
                    document: doc.info.id.clone(),
                    page,
                }];
            }
            Command::Back => {
                self.screen = if self.review.is_some() { ScreenId::Review } else { ScreenId::Queue };
            }
            _ => {}
        }
        Vec::new()
    }

    /// A key while the bottom line reads a search or a page number.
    fn document_input_key(&mut self, event: KeyEvent) {
        let Some(doc) = self.document.as_mut() else { return };
        let Some((kind, input)) = doc.input.as_mut() else { return };
        match event.code {
            KeyCode::Esc => doc.input = None,
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Char(c) if *kind == InputKind::Page && !c.is_ascii_digit() => {}
            KeyCode::Char(c) => input.push(c),
            KeyCode::Enter => {
                let Some((kind, text)) = doc.input.take() else { return };
                let id = sanitize(&doc.info.id).into_owned();
                match kind {
                    InputKind::Search => {
                        doc.search(&text);
                        if doc.matches.is_empty() && !text.is_empty() {
                            self.flash = Some(Flash::Info(format!("\"{}\" is not in this document", sanitize(&text))));
                        }
                    }
                    InputKind::Page => match text.parse::<u32>() {
                        Ok(n) if doc.go_to_page(n) => {}
                        Ok(n) => {
                            self.flash = Some(Flash::Info(format!("{id} has no p.{n}: it has {}.", doc.page_range())))
                        }
                        Err(_) => {}
                    },
                }
            }
            _ => {}
        }
    }
}
