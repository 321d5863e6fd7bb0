//! Themes with their styles, NO_COLOR and high contrast on every screen, and a configured
//! keymap reaching the screen: the TUI as config.toml makes it.

use std::fmt::Write as _;

use accredit::domain::Outcome;
use accredit::tui::theme::Theme;
use accredit::tui::{Runtime, Settings, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier, Style};

use crate::support::{keys, press, runtime_with as runtime};

fn draw(rt: &Runtime, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            views::render(&rt.app, frame);
        })
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let symbols: Vec<&str> = buffer.content().iter().map(|c| c.symbol()).collect();
    symbols.chunks(width).map(|row| row.concat()).collect::<Vec<_>>().join("\n")
}

/// The screen's text, each row followed by its styled runs (`[from..to] fg bg +modifiers`),
/// so a snapshot pins down what is coloured how, not only what is written.
fn styled(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let mut out = String::new();
    for (y, row) in buffer.content().chunks(width).enumerate() {
        let line: String = row.iter().map(|c| c.symbol()).collect();
        writeln!(out, "{y:>2} {line}").unwrap();
        let mut runs: Vec<(usize, usize, Style)> = Vec::new();
        for (x, cell) in row.iter().enumerate() {
            let style = Style::new().fg(cell.fg).bg(cell.bg).add_modifier(cell.modifier);
            match runs.last_mut() {
                Some((_, end, s)) if *s == style && *end == x => *end = x + 1,
                _ => runs.push((x, x + 1, style)),
            }
        }
        let described: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, s)| *s != Style::new().fg(Color::Reset).bg(Color::Reset))
            .map(|(from, to, s)| format!("[{from}..{to}] {}", describe(s)))
            .collect();
        if !described.is_empty() {
            writeln!(out, "   {}", described.join(" ")).unwrap();
        }
    }
    out
}

fn describe(style: Style) -> String {
    let mut words = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
        words.push(format!("{fg:?}"));
    }
    if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
        words.push(format!("on {bg:?}"));
    }
    if !style.add_modifier.is_empty() {
        words.push(format!("+{:?}", style.add_modifier).replace(" | ", "+"));
    }
    words.join(" ")
}

type Preset = fn() -> Theme;

const THEMES: [(&str, Preset); 4] = [
    ("dark", Theme::dark),
    ("light", Theme::light),
    ("high_contrast", Theme::high_contrast),
    ("monochrome", Theme::monochrome),
];

/// The review with every kind of mark: met, partially met with a rationale missing, not met.
fn review_with_marks(theme: Theme) -> Runtime {
    let mut rt = runtime(Settings::with_theme(theme));
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1j2j3");
    rt
}

#[test]
fn each_theme_styles_the_review_by_meaning() {
    for (name, theme) in THEMES {
        let rt = review_with_marks(theme());
        insta::assert_snapshot!(format!("theme_{name}_review_80x24"), styled(&draw(&rt, 80, 24)));
    }
}

#[test]
fn each_theme_styles_the_queue_by_meaning() {
    for (name, theme) in THEMES {
        let rt = runtime(Settings::with_theme(theme()));
        insta::assert_snapshot!(format!("theme_{name}_queue_80x24"), styled(&draw(&rt, 80, 24)));
    }
}

/// Every screen and overlay, reached with real keys.
fn every_screen(theme: Theme, mut check: impl FnMut(&str, &Buffer)) {
    let mut rt = review_with_marks(theme);
    check("review", &draw(&rt, 100, 30));
    keys(&mut rt, "e");
    check("editor", &draw(&rt, 100, 30));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "S");
    check("confirm", &draw(&rt, 100, 30));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "?");
    check("help", &draw(&rt, 100, 30));
    press(&mut rt, KeyCode::Esc);
    keys(&mut rt, "/MPF 1.6");
    check("finder", &draw(&rt, 100, 30));
    press(&mut rt, KeyCode::Enter);
    press(&mut rt, KeyCode::Enter);
    check("document", &draw(&rt, 100, 30));
    keys(&mut rt, "/page");
    press(&mut rt, KeyCode::Enter);
    check("document search", &draw(&rt, 100, 30));
    keys(&mut rt, "qh");
    check("queue", &draw(&rt, 100, 30));
}

#[test]
fn no_color_draws_no_colour_on_any_screen() {
    every_screen(Theme::monochrome(), |screen, buffer| {
        for cell in buffer.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{screen}: {:?} is coloured", cell.symbol());
        }
    });
}

#[test]
fn high_contrast_draws_nothing_dim_or_grey_on_any_screen() {
    every_screen(Theme::high_contrast(), |screen, buffer| {
        for cell in buffer.content() {
            assert!(!cell.modifier.contains(Modifier::DIM), "{screen}: {:?} is dim", cell.symbol());
            assert!(
                !matches!(cell.fg, Color::DarkGray | Color::Gray) && !matches!(cell.bg, Color::DarkGray | Color::Gray),
                "{screen}: {:?} is grey",
                cell.symbol()
            );
        }
    });
}

#[test]
fn the_meaning_of_marks_survives_without_colour() {
    let rt = review_with_marks(Theme::monochrome());
    let screen = text(&draw(&rt, 100, 30));
    for mark in ["✓", "◐!", "✗", "·"] {
        assert!(screen.contains(mark), "{mark} is missing:\n{screen}");
    }
    assert!(screen.contains("Outcome: ✗ not met"), "{screen}");
}

fn configured(text: &str) -> Runtime {
    runtime(Settings::parse("config.toml", text, false).expect("a valid config"))
}

#[test]
fn a_changed_key_works_and_help_and_hints_show_it() {
    let mut rt = configured("[keys.review]\njudge_met = [\"m\"]\nclear_outcome = []\n[keys.global]\nhelp = [\"F1\"]\n");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1");
    let review = rt.app.review.as_ref().expect("the review is open");
    assert_eq!(review.current_outcome(), None, "1 no longer judges");
    keys(&mut rt, "m");
    let review = rt.app.review.as_ref().expect("the review is open");
    assert_eq!(review.current_outcome(), Some(Outcome::Met), "m judges met");

    let screen = text(&draw(&rt, 120, 30));
    assert!(screen.contains(" m met "), "the hint bar shows m:\n{screen}");
    assert!(screen.contains("F1 help"), "the hint bar shows F1 for help:\n{screen}");
    assert!(screen.contains("m met · 2 partially met · 3 not met"), "the outcome line names m:\n{screen}");

    press(&mut rt, KeyCode::F(1));
    let help = text(&draw(&rt, 120, 40));
    assert!(help.contains(" m           judge: met"), "help lists m:\n{help}");
    assert!(help.contains(" (no key)    clear the outcome"), "help shows the removed key:\n{help}");
    assert!(help.contains(" F1          show every key"), "{help}");
    assert!(!help.contains(" ?           show every key"), "{help}");
}

#[test]
fn a_configured_theme_and_colour_reach_the_screen() {
    let mut rt = configured("theme = \"high-contrast\"\n[colors]\nmet = \"blue underlined\"\n");
    press(&mut rt, KeyCode::Enter);
    keys(&mut rt, "1");
    let buffer = draw(&rt, 100, 30);
    let mark = buffer.content().iter().find(|c| c.symbol() == "✓").expect("a met mark");
    assert_eq!(mark.fg, Color::Blue);
    assert!(mark.modifier.contains(Modifier::UNDERLINED));
    let heading = buffer.content().iter().find(|c| c.symbol() == "P").expect("a heading");
    assert!(heading.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED), "headings keep the high-contrast style");
}
