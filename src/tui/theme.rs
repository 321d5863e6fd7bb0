//! Colours named by meaning. Every meaning is also carried by a mark or a word, so a screen
//! read without colour (`NO_COLOR`, a monochrome terminal) says the same thing.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Outcome;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub text: Style,
    pub muted: Style,
    pub title: Style,
    pub heading: Style,
    pub focus: Style,
    pub selected: Style,
    pub met: Style,
    pub partially_met: Style,
    pub not_met: Style,
    pub open: Style,
    pub alert: Style,
    pub ok: Style,
    pub bar: Style,
    pub highlight: Style,
}

impl Theme {
    /// The default: the terminal's own 16 colours plus modifiers.
    pub fn dark() -> Theme {
        Theme {
            text: Style::new(),
            muted: Style::new().fg(Color::DarkGray),
            title: Style::new().add_modifier(Modifier::BOLD),
            heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            focus: Style::new().fg(Color::Cyan),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            met: Style::new().fg(Color::Green),
            partially_met: Style::new().fg(Color::Yellow),
            not_met: Style::new().fg(Color::Red),
            open: Style::new(),
            alert: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            bar: Style::new().add_modifier(Modifier::REVERSED),
            highlight: Style::new().fg(Color::Black).bg(Color::Yellow),
        }
    }

    /// No colour at all, for `NO_COLOR`: meaning rides on marks, words and modifiers.
    pub fn monochrome() -> Theme {
        Theme {
            text: Style::new(),
            muted: Style::new().add_modifier(Modifier::DIM),
            title: Style::new().add_modifier(Modifier::BOLD),
            heading: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            focus: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            met: Style::new(),
            partially_met: Style::new(),
            not_met: Style::new().add_modifier(Modifier::BOLD),
            open: Style::new(),
            alert: Style::new().add_modifier(Modifier::BOLD),
            ok: Style::new(),
            bar: Style::new().add_modifier(Modifier::REVERSED),
            highlight: Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
        }
    }

    /// `NO_COLOR` (any non-empty value, per no-color.org) selects the monochrome theme.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::dark(),
        }
    }

    pub fn outcome(&self, outcome: Option<Outcome>) -> Style {
        match outcome {
            Some(Outcome::Met) => self.met,
            Some(Outcome::PartiallyMet) => self.partially_met,
            Some(Outcome::NotMet) => self.not_met,
            None => self.open,
        }
    }
}

/// The mark and word for an outcome, `· open` when there is none.
pub fn outcome_mark(outcome: Option<Outcome>) -> &'static str {
    outcome.map_or("·", Outcome::mark)
}

pub fn outcome_word(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::PartiallyMet) => "partial",
        Some(o) => o.label(),
        None => "open",
    }
}
