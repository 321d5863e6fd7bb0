//! The built-in themes. Meanings that share a style in one theme may differ in another.

use ratatui::style::{Color, Modifier, Style};

use super::Theme;

const BOLD: Modifier = Modifier::BOLD;

pub fn dark() -> Theme {
    Theme {
        text: Style::new(),
        muted: Style::new().fg(Color::DarkGray),
        title: Style::new().add_modifier(BOLD),
        heading: Style::new().fg(Color::Cyan).add_modifier(BOLD),
        focus: Style::new().fg(Color::Cyan),
        selected: Style::new().add_modifier(Modifier::REVERSED),
        met: Style::new().fg(Color::Green),
        partially_met: Style::new().fg(Color::Yellow),
        not_met: Style::new().fg(Color::Red),
        open: Style::new(),
        alert: Style::new().fg(Color::Red).add_modifier(BOLD),
        ok: Style::new().fg(Color::Green),
        info: Style::new().add_modifier(BOLD),
        key: Style::new().fg(Color::Cyan),
        border: Style::new().fg(Color::DarkGray),
        bar: Style::new().add_modifier(Modifier::REVERSED),
        highlight: Style::new().fg(Color::Black).bg(Color::Yellow),
    }
}

/// Yellow and cyan fade on white: partially met is magenta, accents are blue.
pub fn light() -> Theme {
    Theme {
        text: Style::new(),
        muted: Style::new().fg(Color::DarkGray),
        title: Style::new().add_modifier(BOLD),
        heading: Style::new().fg(Color::Blue).add_modifier(BOLD),
        focus: Style::new().fg(Color::Blue),
        selected: Style::new().add_modifier(Modifier::REVERSED),
        met: Style::new().fg(Color::Green),
        partially_met: Style::new().fg(Color::Magenta),
        not_met: Style::new().fg(Color::Red),
        open: Style::new(),
        alert: Style::new().fg(Color::Red).add_modifier(BOLD),
        ok: Style::new().fg(Color::Green),
        info: Style::new().add_modifier(BOLD),
        key: Style::new().fg(Color::Blue).add_modifier(BOLD),
        border: Style::new().fg(Color::DarkGray),
        bar: Style::new().add_modifier(Modifier::REVERSED),
        highlight: Style::new().fg(Color::White).bg(Color::Blue),
    }
}

/// For a dark background: bright colours, bold everywhere that carries meaning, nothing dim
/// or grey; secondary text stays at full strength.
pub fn high_contrast() -> Theme {
    Theme {
        text: Style::new(),
        muted: Style::new().add_modifier(Modifier::ITALIC),
        title: Style::new().add_modifier(BOLD),
        heading: Style::new().fg(Color::White).add_modifier(BOLD | Modifier::UNDERLINED),
        focus: Style::new().fg(Color::LightCyan).add_modifier(BOLD),
        selected: Style::new().add_modifier(Modifier::REVERSED | BOLD),
        met: Style::new().fg(Color::LightGreen).add_modifier(BOLD),
        partially_met: Style::new().fg(Color::LightYellow).add_modifier(BOLD),
        not_met: Style::new().fg(Color::LightRed).add_modifier(BOLD),
        open: Style::new().fg(Color::White),
        alert: Style::new().fg(Color::LightRed).add_modifier(BOLD | Modifier::UNDERLINED),
        ok: Style::new().fg(Color::LightGreen).add_modifier(BOLD),
        info: Style::new().fg(Color::White).add_modifier(BOLD),
        key: Style::new().fg(Color::LightCyan).add_modifier(BOLD),
        border: Style::new().fg(Color::White),
        bar: Style::new().add_modifier(Modifier::REVERSED | BOLD),
        highlight: Style::new().fg(Color::Black).bg(Color::LightYellow).add_modifier(BOLD),
    }
}

pub fn monochrome() -> Theme {
    Theme {
        text: Style::new(),
        muted: Style::new().add_modifier(Modifier::DIM),
        title: Style::new().add_modifier(BOLD),
        heading: Style::new().add_modifier(BOLD | Modifier::UNDERLINED),
        focus: Style::new().add_modifier(BOLD),
        selected: Style::new().add_modifier(Modifier::REVERSED),
        met: Style::new(),
        partially_met: Style::new(),
        not_met: Style::new().add_modifier(BOLD),
        open: Style::new(),
        alert: Style::new().add_modifier(BOLD),
        ok: Style::new(),
        info: Style::new().add_modifier(BOLD),
        key: Style::new().add_modifier(BOLD),
        border: Style::new().add_modifier(Modifier::DIM),
        bar: Style::new().add_modifier(Modifier::REVERSED),
        highlight: Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
    }
}
