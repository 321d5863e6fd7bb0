//! Colours named by meaning. Every meaning is also carried by a mark or a word, so a screen
//! read without colour (`NO_COLOR`, a monochrome terminal) says the same thing.
//!
//! Presets: `dark` (the default: the terminal's 16 colours plus modifiers), `light`,
//! `high-contrast`, and `monochrome` for `NO_COLOR`. `config.toml` picks a preset and may
//! restyle single meanings (`[colors] met = "green bold"`).

mod presets;
mod style;

use ratatui::style::{Color, Style};

pub use style::{parse_style, style_syntax, style_words};

use crate::config::{ConfigProblem, Located, ThemeName, allowed};
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
    pub info: Style,
    pub key: Style,
    pub border: Style,
    pub bar: Style,
    pub highlight: Style,
}

/// Every meaning: its name in `config.toml` and what it colours.
pub const MEANINGS: &[(&str, &str)] = &[
    ("text", "ordinary text"),
    ("muted", "secondary text: guidance, labels, what is not yours"),
    ("title", "titles, names and standard codes"),
    ("heading", "section headings"),
    ("focus", "the border of the pane that has the keys"),
    ("selected", "the selected row"),
    ("met", "the outcome met (✓)"),
    ("partially_met", "the outcome partially met (◐)"),
    ("not_met", "the outcome not met (✗)"),
    ("open", "no outcome yet (·)"),
    ("alert", "problems: overdue, rationale required, errors"),
    ("ok", "good news: saved, synced"),
    ("info", "messages in the bottom line"),
    ("key", "keys in the hint bar and the help"),
    ("border", "the borders of panes without the keys"),
    ("bar", "the top bar"),
    ("highlight", "the cited line or the search match in a document"),
];

impl Theme {
    /// The default: the terminal's own 16 colours plus modifiers.
    pub fn dark() -> Theme {
        presets::dark()
    }

    /// For terminals with a light background.
    pub fn light() -> Theme {
        presets::light()
    }

    /// Bright colours and bold, never dim or grey.
    pub fn high_contrast() -> Theme {
        presets::high_contrast()
    }

    /// No colour at all, for `NO_COLOR`: meaning rides on marks, words and modifiers.
    pub fn monochrome() -> Theme {
        presets::monochrome()
    }

    pub fn preset(name: ThemeName) -> Theme {
        match name {
            ThemeName::Dark => Theme::dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::HighContrast => Theme::high_contrast(),
        }
    }

    /// `NO_COLOR` (any non-empty value, per no-color.org) selects the monochrome theme.
    pub fn from_env() -> Theme {
        if no_color() { Theme::monochrome() } else { Theme::dark() }
    }

    /// The style of a meaning, by its name in `config.toml`.
    pub fn meaning(&self, name: &str) -> Option<Style> {
        let mut copy = *self;
        copy.meaning_mut(name).map(|s| *s)
    }

    fn meaning_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "title" => &mut self.title,
            "heading" => &mut self.heading,
            "focus" => &mut self.focus,
            "selected" => &mut self.selected,
            "met" => &mut self.met,
            "partially_met" => &mut self.partially_met,
            "not_met" => &mut self.not_met,
            "open" => &mut self.open,
            "alert" => &mut self.alert,
            "ok" => &mut self.ok,
            "info" => &mut self.info,
            "key" => &mut self.key,
            "border" => &mut self.border,
            "bar" => &mut self.bar,
            "highlight" => &mut self.highlight,
            _ => return None,
        })
    }

    /// Restyles meanings from `[colors]`. With `no_color`, colours are dropped and only the
    /// modifiers are kept.
    pub fn with_colors(
        mut self,
        colors: &[(Located<String>, Located<String>)],
        no_color: bool,
    ) -> Result<Theme, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        for (meaning, words) in colors {
            let key = format!("colors.{}", meaning.value);
            let names: Vec<&str> = MEANINGS.iter().map(|(n, _)| *n).collect();
            let Some(slot) = self.meaning_mut(&meaning.value) else {
                problems.push(ConfigProblem::new(
                    meaning.line,
                    key,
                    "no such meaning",
                    allowed(&meaning.value, &names),
                ));
                continue;
            };
            match parse_style(&words.value) {
                Ok(style) if no_color => *slot = Style { fg: None, bg: None, ..style },
                Ok(style) => *slot = style,
                Err(why) => problems.push(ConfigProblem::new(words.line, key, why, style_syntax())),
            }
        }
        if problems.is_empty() { Ok(self) } else { Err(problems) }
    }

    pub fn outcome(&self, outcome: Option<Outcome>) -> Style {
        match outcome {
            Some(Outcome::Met) => self.met,
            Some(Outcome::PartiallyMet) => self.partially_met,
            Some(Outcome::NotMet) => self.not_met,
            None => self.open,
        }
    }

    /// Whether any meaning sets a colour (false for the monochrome theme).
    pub fn uses_colour(&self) -> bool {
        MEANINGS
            .iter()
            .filter_map(|(name, _)| self.meaning(name))
            .any(|s| s.fg.is_some_and(|c| c != Color::Reset) || s.bg.is_some_and(|c| c != Color::Reset))
    }

    /// The `[colors]` section of the default config: every meaning with its dark style.
    pub fn default_toml() -> String {
        let dark = Theme::dark();
        let rows: Vec<(String, &str)> = MEANINGS
            .iter()
            .map(|(name, what)| (format!("{name} = {:?}", style_words(dark.meaning(name).unwrap_or_default())), *what))
            .collect();
        let width = rows.iter().map(|(line, _)| line.chars().count()).max().unwrap_or(0);
        let mut out = String::from("\n[colors]\n");
        for (line, what) in rows {
            out.push_str(&format!("{line:<width$}  # {what}\n"));
        }
        out
    }
}

/// Whether `NO_COLOR` asks for no colour (any non-empty value, per no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn located(value: &str, line: usize) -> Located<String> {
        Located { value: value.into(), line }
    }

    #[test]
    fn every_meaning_has_a_name_and_every_name_a_meaning() {
        let theme = Theme::dark();
        for (name, _) in MEANINGS {
            assert!(theme.meaning(name).is_some(), "{name}");
        }
        assert_eq!(theme.meaning("sparkle"), None);
    }

    #[test]
    fn a_meaning_can_be_restyled_over_the_preset() {
        let colors = vec![(located("met", 3), located("light-green bold", 3))];
        let theme = Theme::light().with_colors(&colors, false).unwrap();
        assert_eq!(theme.met, parse_style("light-green bold").unwrap());
        assert_eq!(theme.not_met, Theme::light().not_met, "the other meanings keep the preset's style");
    }

    #[test]
    fn no_color_keeps_only_the_modifiers_of_restyled_meanings() {
        let colors = vec![(located("met", 3), located("green bold", 3))];
        let theme = Theme::monochrome().with_colors(&colors, true).unwrap();
        assert_eq!(theme.met, parse_style("bold").unwrap());
        assert!(!theme.uses_colour());
    }

    #[test]
    fn bad_meanings_and_styles_name_their_line() {
        let colors = vec![(located("mett", 2), located("green", 2)), (located("alert", 3), located("redd", 3))];
        let problems = Theme::dark().with_colors(&colors, false).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert_eq!((problems[0].line, problems[0].key.as_str()), (2, "colors.mett"));
        assert!(problems[0].hint.starts_with("did you mean met? allowed: text, muted"), "{}", problems[0].hint);
        assert_eq!((problems[1].line, problems[1].key.as_str()), (3, "colors.alert"));
        assert_eq!(problems[1].message, "\"redd\" is not a colour or modifier (did you mean red?)");
        assert!(problems[1].hint.contains("\"on COLOUR\" sets the background"));
    }

    #[test]
    fn only_the_monochrome_theme_is_without_colour() {
        assert!(Theme::dark().uses_colour());
        assert!(Theme::light().uses_colour());
        assert!(Theme::high_contrast().uses_colour());
        assert!(!Theme::monochrome().uses_colour());
    }

    #[test]
    fn high_contrast_is_never_dim_or_grey() {
        let theme = Theme::high_contrast();
        for (name, _) in MEANINGS {
            let style = theme.meaning(name).unwrap();
            assert!(!style.add_modifier.contains(ratatui::style::Modifier::DIM), "{name} is dim");
            assert!(!matches!(style.fg, Some(Color::DarkGray | Color::Gray)), "{name} is grey");
        }
    }
}
