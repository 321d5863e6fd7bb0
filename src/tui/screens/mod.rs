//! The screens. Each is one folder (`<name>/`) holding its state, its keys and its view, and
//! is reached through the one trait `Screen`: the app asks the screen on display for its
//! title, which keys apply, what a key does and how it draws, so nothing outside the folder
//! matches on which screen it is. `ScreenId::screen` is the one place a screen is registered.
//! How to add one: `docs/architecture.md`.

pub mod document;
pub mod panel;
pub mod queue;
pub mod report;
pub mod review;
pub mod sync;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::app::{App, Effect};
use super::keymap::{Command, Context};
use super::mouse::Hits;

/// Which screen is on display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Queue,
    Review,
    Document,
    Sync,
    Panel,
    Report,
}

impl ScreenId {
    /// The screen's behaviour: the one match on which screen it is.
    pub fn screen(self) -> &'static dyn Screen {
        match self {
            ScreenId::Queue => &queue::Queue,
            ScreenId::Review => &review::Review,
            ScreenId::Document => &document::Document,
            ScreenId::Sync => &sync::Syncing,
            ScreenId::Panel => &panel::Panel,
            ScreenId::Report => &report::Report,
        }
    }
}

/// What the app asks of the screen on display. A screen keeps its state in `App` (screens
/// hand each other the submission and standard they show), so the methods take the app.
pub trait Screen {
    /// Where you are, for the header: "Review S-2026-009".
    fn title(&self, app: &App) -> String;

    /// The keymap context whose keys apply now (an editor or prompt of this screen's, or the
    /// screen's own).
    fn context(&self, app: &App) -> Context;

    /// A key in a context of this screen's that takes every key (an editor, a prompt, a
    /// search line): the effects, or `None` to let the key go the usual way (global
    /// commands first, then `on_command`).
    fn on_modal_key(&self, app: &mut App, event: KeyEvent, command: Option<Command>) -> Option<Vec<Effect>> {
        let _ = (app, event, command);
        None
    }

    /// A command of this screen's context that no global binding took.
    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect>;

    /// A turn of the mouse wheel (`Down` or `Up`): by default a move of the selection.
    fn on_wheel(&self, app: &mut App, command: Command) -> Vec<Effect> {
        self.on_command(app, command)
    }

    /// Pasted text (one edit, whatever its length).
    fn on_paste(&self, app: &mut App, text: &str) -> Vec<Effect> {
        let _ = (app, text);
        Vec::new()
    }

    /// Draws the screen into `area`, recording where its clickable rows went in `hits`. The
    /// linear layout is one way each screen draws itself (`layout = "linear"`).
    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits);

    /// The linear layout's sentence: where the keys are and what is selected.
    fn announcement(&self, app: &App) -> String;

    /// The keys the hint bar shows in `context` (by default every binding of it).
    fn hints(&self, app: &App, context: Context) -> Vec<(String, &'static str)> {
        app.keymap.hints(context)
    }

    /// A line that replaces the hint bar while this screen reads input there (a search).
    fn input_line(&self, app: &App) -> Option<Line<'static>> {
        let _ = app;
        None
    }

    /// The submission (and standard) on screen, where the finder starts.
    fn here<'a>(&self, app: &'a App) -> Option<(&'a str, Option<&'a str>)> {
        let _ = app;
        None
    }
}
