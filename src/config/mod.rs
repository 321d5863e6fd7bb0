//! The user's settings file, `config.toml`.
//!
//! Parsing is pure: text in, `Config` or every problem out, each with its line, its key and
//! what is allowed. A file lists only what it changes; everything else keeps its built-in
//! default. This module checks the file's shape (known keys, types, choices); the names that
//! belong to the TUI (screens, actions, keys, colours) are checked by `tui::settings`, which
//! reports them the same way.

mod error;
mod viewer;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use error::{ConfigError, ConfigProblem};
pub use viewer::{ViewerCommand, split_words};

pub const FILE_NAME: &str = "config.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Side-by-side panes with borders.
    #[default]
    Panes,
    /// One pane at a time, no box drawing, focus announced in words (for screen readers).
    Linear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditorKeys {
    /// Emacs-flavoured keys (Ctrl-a, Ctrl-e, Alt-f ...), typing straight away.
    #[default]
    Emacs,
    /// Vim-flavoured: insert and normal modes with the common motions.
    Vim,
}

pub const THEMES: &[(&str, ThemeName)] =
    &[("dark", ThemeName::Dark), ("light", ThemeName::Light), ("high-contrast", ThemeName::HighContrast)];
pub const LAYOUTS: &[(&str, Layout)] = &[("panes", Layout::Panes), ("linear", Layout::Linear)];
pub const EDITORS: &[(&str, EditorKeys)] = &[("emacs", EditorKeys::Emacs), ("vim", EditorKeys::Vim)];

/// The name a choice is written with in the file.
pub fn name_of<T: PartialEq + Copy>(choices: &[(&'static str, T)], value: T) -> &'static str {
    choices.iter().find(|(_, v)| *v == value).map_or("", |(name, _)| name)
}

/// A value from the file with the line it is on, so later checks can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

/// `[keys.CONTEXT] action = ["key", ...]`: the keys replace the action's built-in ones; an
/// empty list removes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub context: Located<String>,
    pub action: Located<String>,
    pub keys: Vec<Located<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub theme: ThemeName,
    pub layout: Layout,
    pub editor: EditorKeys,
    pub mouse: bool,
    /// More conditions than this and the decision rules suggest refusal.
    pub max_conditions: usize,
    /// `[colors] meaning = "style words"`, applied over the theme.
    pub colors: Vec<(Located<String>, Located<String>)>,
    pub keys: Vec<KeyOverride>,
    /// The program that opens an evidence document's original (`{path}`, `{page}`); the
    /// system's default program when unset.
    pub viewer: Option<ViewerCommand>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            theme: ThemeName::default(),
            layout: Layout::default(),
            editor: EditorKeys::default(),
            mouse: false,
            max_conditions: crate::domain::consolidation::Rules::default().max_conditions,
            colors: Vec::new(),
            keys: Vec::new(),
            viewer: None,
        }
    }
}

const TOP_LEVEL: &[&str] = &["theme", "layout", "editor", "mouse", "max_conditions", "viewer", "colors", "keys"];

/// Parses a config file's text. `file` names it in problems.
pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
    let (config, problems) = parse_partly(file, text)?;
    if problems.is_empty() { Ok(config) } else { Err(ConfigError::new(file, problems)) }
}

/// Parses what can be parsed: a TOML syntax error stops at once, other problems come back
/// beside the settings that were understood, so later checks can add theirs to one report.
pub fn parse_partly(file: &str, text: &str) -> Result<(Config, Vec<ConfigProblem>), ConfigError> {
    let root = DeTable::parse(text).map_err(|e| ConfigError::new(file, vec![syntax_problem(text, &e)]))?;
    let mut walk = Walk { text, problems: Vec::new() };
    let mut config = Config::default();
    for (key, value) in root.get_ref() {
        let name = key.get_ref().as_ref();
        match name {
            "theme" => config.theme = walk.choice(name, value, THEMES).unwrap_or(config.theme),
            "layout" => config.layout = walk.choice(name, value, LAYOUTS).unwrap_or(config.layout),
            "editor" => config.editor = walk.choice(name, value, EDITORS).unwrap_or(config.editor),
            "mouse" => match value.get_ref() {
                DeValue::Boolean(b) => config.mouse = *b,
                other => walk.problem(
                    value,
                    name,
                    format!("{} is not true or false", describe(other)),
                    "write mouse = true or mouse = false",
                ),
            },
            "max_conditions" => match value.get_ref() {
                DeValue::Integer(i) => match usize::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) if (1..=50).contains(&n) => config.max_conditions = n,
                    _ => walk.problem(value, name, format!("{i} is out of range"), "write a whole number from 1 to 50"),
                },
                other => walk.problem(
                    value,
                    name,
                    format!("{} is not a whole number", describe(other)),
                    "write a whole number from 1 to 50, like max_conditions = 5",
                ),
            },
            "viewer" => {
                let hint = "write the program and its arguments, like viewer = \"zathura --page={page} {path}\"";
                if let Some(text) = walk.string(name, value, hint) {
                    match ViewerCommand::parse(text) {
                        Ok(viewer) => config.viewer = Some(viewer),
                        Err(why) => walk.problem(value, name, why, hint),
                    }
                }
            }
            "colors" => config.colors = walk.colors(value),
            "keys" => config.keys = walk.keys(value),
            _ => walk.problem(key, name, "unknown key", allowed(name, TOP_LEVEL)),
        }
    }
    Ok((config, walk.problems))
}

struct Walk<'t> {
    text: &'t str,
    problems: Vec<ConfigProblem>,
}

impl Walk<'_> {
    fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        line_of(self.text, spanned.span().start)
    }

    fn problem<T>(&mut self, at: &Spanned<T>, key: &str, message: impl Into<String>, hint: impl Into<String>) {
        let line = self.line(at);
        self.problems.push(ConfigProblem::new(line, key, message, hint));
    }

    fn string<'v>(&mut self, key: &str, value: &'v Spanned<DeValue<'_>>, hint: &str) -> Option<&'v str> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            other => {
                self.problem(value, key, format!("{} is not text", describe(other)), hint);
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, key: &str, value: &Spanned<DeValue<'_>>, choices: &[(&str, T)]) -> Option<T> {
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let hint = format!("allowed: {}", names.join(", "));
        let text = self.string(key, value, &hint)?;
        match choices.iter().find(|(n, _)| *n == text) {
            Some((_, v)) => Some(*v),
            None => {
                let plain: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                let hint = match did_you_mean(text, &plain) {
                    Some(close) => format!("did you mean \"{close}\"? {hint}"),
                    None => hint,
                };
                self.problem(value, key, format!("\"{text}\" is not one of the choices"), hint);
                None
            }
        }
    }

    fn table<'v, 'i>(&mut self, key: &str, value: &'v Spanned<DeValue<'i>>, hint: &str) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.problem(value, key, format!("{} is not a table", describe(other)), hint);
                None
            }
        }
    }

    fn colors(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<(Located<String>, Located<String>)> {
        let Some(table) = self.table("colors", value, "write a [colors] section of meaning = \"style\" lines") else {
            return Vec::new();
        };
        let mut colors = Vec::new();
        for (meaning, style) in table {
            let key = format!("colors.{}", meaning.get_ref());
            if let Some(text) = self.string(&key, style, "write a style as words, such as \"green bold\"") {
                colors.push((
                    Located { value: meaning.get_ref().to_string(), line: self.line(meaning) },
                    Located { value: text.to_string(), line: self.line(style) },
                ));
            }
        }
        colors
    }

    fn keys(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<KeyOverride> {
        let Some(table) = self.table("keys", value, "write a [keys.SCREEN] section, such as [keys.review]") else {
            return Vec::new();
        };
        let mut overrides = Vec::new();
        for (context, actions) in table {
            let context_key = format!("keys.{}", context.get_ref());
            let hint = format!("write a [{context_key}] section of action = [\"key\", ...] lines");
            let Some(actions) = self.table(&context_key, actions, &hint) else { continue };
            for (action, keys) in actions {
                let key = format!("{context_key}.{}", action.get_ref());
                let list_hint = "write a list of keys, such as [\"m\", \"Ctrl-m\"]; [] removes the action's keys";
                let DeValue::Array(items) = keys.get_ref() else {
                    self.problem(keys, &key, format!("{} is not a list", describe(keys.get_ref())), list_hint);
                    continue;
                };
                let mut located = Vec::new();
                for item in items.iter() {
                    if let Some(text) = self.string(&key, item, list_hint) {
                        located.push(Located { value: text.to_string(), line: self.line(item) });
                    }
                }
                overrides.push(KeyOverride {
                    context: Located { value: context.get_ref().to_string(), line: self.line(context) },
                    action: Located { value: action.get_ref().to_string(), line: self.line(action) },
                    keys: located,
                });
            }
        }
        overrides
    }
}

/// A TOML syntax error, at its line, naming the key on that line when there is one.
fn syntax_problem(text: &str, error: &toml::de::Error) -> ConfigProblem {
    let line = error.span().map_or(0, |span| line_of(text, span.start));
    let key = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.split_once('='))
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['))
        .unwrap_or_default();
    let message = error.message().trim().replace('\n', "; ");
    ConfigProblem::new(
        line,
        key,
        format!("this is not valid TOML: {message}"),
        "a line is key = value; text needs \"quotes\", lists [\"brackets\"], sections [a.header]",
    )
}

/// The 1-based line holding byte `offset` of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// How a value is described when it has the wrong type.
fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the text \"{s}\""),
        DeValue::Integer(i) => format!("the number {i}"),
        DeValue::Float(f) => format!("the number {f}"),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// "allowed: a, b, c", with a suggestion when `wrong` is close to one of them.
pub fn allowed(wrong: &str, names: &[&str]) -> String {
    let list = format!("allowed: {}", names.join(", "));
    match did_you_mean(wrong, names) {
        Some(close) => format!("did you mean {close}? {list}"),
        None => list,
    }
}

/// The name closest to `wrong`, if it is a likely typo of it.
pub fn did_you_mean<'a>(wrong: &str, names: &[&'a str]) -> Option<&'a str> {
    let wrong = wrong.to_lowercase();
    names
        .iter()
        .map(|name| (edit_distance(&wrong, &name.to_lowercase()), *name))
        .filter(|(d, name)| *d <= (name.chars().count() / 3).min(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests;
