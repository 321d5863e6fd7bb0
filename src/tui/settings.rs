//! Everything `config.toml` decides for the TUI, checked as a whole: the keymap, the theme,
//! the layout, the editor's keys and the mouse. Built from text by a pure function, so every
//! config error is tested without files.

use std::path::Path;

use super::keymap::Keymap;
use super::theme::{self, Theme};
use crate::config::{self, ConfigError, ConfigProblem, EDITORS, EditorKeys, LAYOUTS, Layout, THEMES, ThemeName};

#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    pub layout: Layout,
    pub editor: EditorKeys,
    pub mouse: bool,
    /// More conditions than this and the decision rules suggest refusal (stamped on the
    /// chair's consolidation when they edit it).
    pub max_conditions: usize,
    /// The program that opens an evidence document's original; the system's when `None`.
    pub viewer: Option<config::ViewerCommand>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::with_theme(Theme::dark())
    }
}

impl Settings {
    /// The built-in settings with `theme`.
    pub fn with_theme(theme: Theme) -> Settings {
        Settings {
            keymap: Keymap::default(),
            theme,
            layout: Layout::default(),
            editor: EditorKeys::default(),
            mouse: false,
            max_conditions: crate::domain::consolidation::Rules::default().max_conditions,
            viewer: None,
        }
    }

    /// Settings from a parsed config. `no_color` (from `NO_COLOR`) wins over the theme.
    pub fn from_config(config: &config::Config, no_color: bool) -> Result<Settings, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let keymap = Keymap::configured(&config.keys).map_err(|p| problems.extend(p)).ok();
        let base = if no_color { Theme::monochrome() } else { Theme::preset(config.theme) };
        let theme = base.with_colors(&config.colors, no_color).map_err(|p| problems.extend(p)).ok();
        match (keymap, theme) {
            (Some(keymap), Some(theme)) if problems.is_empty() => Ok(Settings {
                keymap,
                theme,
                layout: config.layout,
                editor: config.editor,
                mouse: config.mouse,
                max_conditions: config.max_conditions,
                viewer: config.viewer.clone(),
            }),
            _ => Err(problems),
        }
    }

    /// Settings from a config file's text; `file` names it in problems.
    pub fn parse(file: &str, text: &str, no_color: bool) -> Result<Settings, ConfigError> {
        let (config, mut problems) = config::parse_partly(file, text)?;
        match Settings::from_config(&config, no_color) {
            Ok(settings) if problems.is_empty() => Ok(settings),
            Ok(_) => Err(ConfigError::new(file, problems)),
            Err(more) => {
                problems.extend(more);
                Err(ConfigError::new(file, problems))
            }
        }
    }

    /// Reads `path`; a missing file means every default.
    pub fn load(path: &Path, no_color: bool) -> Result<Settings, ConfigError> {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Settings::parse(&name, &text, no_color),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Settings::with_theme(if no_color { Theme::monochrome() } else { Theme::dark() }))
            }
            Err(e) => Err(ConfigError::new(
                name,
                vec![ConfigProblem::new(
                    0,
                    "",
                    format!("cannot read it: {e}"),
                    "check the file's permissions, or remove it to use the defaults",
                )],
            )),
        }
    }

    /// Reads `path`, honouring `NO_COLOR` from the environment.
    pub fn load_from_env(path: &Path) -> Result<Settings, ConfigError> {
        Settings::load(path, theme::no_color())
    }

    /// The whole default config, every key with its default and what it does: what
    /// `accredit config --default` prints.
    pub fn default_toml() -> String {
        let choices = |names: Vec<&str>| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let mut out = String::new();
        out.push_str(HEADER);
        out.push_str(&format!(
            "\n# Colours: {}. NO_COLOR=1 in the environment turns colour off, whatever this says.\ntheme = \"{}\"\n",
            choices(THEMES.iter().map(|(n, _)| *n).collect()),
            config::name_of(THEMES, ThemeName::default()),
        ));
        out.push_str(&format!(
            "\n# \"panes\" shows panes side by side with borders; \"linear\" shows one pane at a time, without\n# box drawing, and says in words which pane has the keys (for screen readers).\nlayout = \"{}\"\n",
            config::name_of(LAYOUTS, Layout::default()),
        ));
        out.push_str(&format!(
            "\n# Keys in the rationale editor: \"emacs\" types at once (Ctrl-a, Ctrl-e, Alt-f, Alt-b, Ctrl-k, Ctrl-u\n# ...); \"vim\" starts in insert mode, Esc gives normal mode (h j k l w b e 0 $ x dd u o ...), and Esc\n# in normal mode leaves the editor.\neditor = \"{}\"\n",
            config::name_of(EDITORS, EditorKeys::default()),
        ));
        out.push_str("\n# Scroll and click to select in lists. Off by default: it keeps the terminal from selecting text,\n# and every action has a key.\nmouse = false\n");
        out.push_str(&format!(
            "\n# The chair's decision rules: more conditions than this and the rules suggest \"not accredited\"\n# (the NMC uses 5). Kept with each consolidation the chair edits, so the hub applies the same.\nmax_conditions = {}\n",
            crate::domain::consolidation::Rules::default().max_conditions,
        ));
        out.push_str("\n# The program that opens an evidence document's original file (o in the document viewer):\n# {path} is the file, {page} the page you are on (the PDF's own page number). Split into words\n# like a shell would, but never run through one. Unset: the system's default program.\n# viewer = \"zathura --page={page} {path}\"\n");
        out.push_str(COLORS_HEADER);
        for line in Theme::default_toml().lines() {
            if line.is_empty() || line.starts_with('[') {
                out.push_str(&format!("{line}\n"));
            } else {
                out.push_str(&format!("# {line}\n"));
            }
        }
        out.push_str(KEYS_HEADER);
        out.push_str(&Keymap::default_toml());
        out
    }
}

const HEADER: &str = "# accredit: config.toml
#
# Every key is optional: copy only the lines you change into your config.toml, and everything else
# keeps the default shown here. A mistake stops accredit with the line and what is allowed;
# `accredit doctor` checks the file.
";

const COLORS_HEADER: &str = "
# Restyle single meanings over the theme (shown commented out with the dark theme's styles). A style is
# words: a colour (black, red, green, yellow, blue, magenta, cyan, gray, dark-gray, white, light-red,
# light-green, light-yellow, light-blue, light-magenta, light-cyan, #rrggbb or 0 to 255), \"on\" and a
# background colour, and modifiers (bold, dim, italic, underlined, reversed, crossed-out); \"plain\" is
# no style.";

const KEYS_HEADER: &str = "
# Keys per screen: action = [\"key\", ...]. The keys replace the action's built-in ones on that screen;
# an empty list removes them. A screen's keys win over the global ones. Keys are written \"m\", \"S\"
# (Shift-s), \"Ctrl-s\", \"Alt-x\", Enter, Esc, Tab, Shift-Tab, Space, Backspace, Delete, Up, Down, Left,
# Right, Home, End, PageUp, PageDown, F1 to F12. One key runs one action per screen; submit is never a
# single unmodified key; keys that type characters cannot be bound in the editor or in Find.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Command, Context, Key};

    #[test]
    fn the_default_config_is_the_default_settings() {
        let text = Settings::default_toml();
        let settings = Settings::parse("config.toml", &text, false).expect("the default config is valid");
        assert_eq!(settings.theme, Theme::dark());
        assert_eq!(settings.layout, Layout::Panes);
        assert_eq!(settings.editor, EditorKeys::Emacs);
        assert!(!settings.mouse);
        assert_eq!(settings.keymap.bindings().len(), Keymap::default().bindings().len());
    }

    #[test]
    fn uncommenting_the_colours_of_the_default_config_gives_the_dark_theme() {
        let text = Settings::default_toml().replace("\n# text = ", "\ntext = ").replace("\n# met = ", "\nmet = ");
        let settings = Settings::parse("config.toml", &text, false).unwrap();
        assert_eq!(settings.theme, Theme::dark());
    }

    #[test]
    fn a_theme_and_a_key_change_take_effect_together() {
        let text =
            "theme = \"high-contrast\"\n[colors]\nalert = \"white on red\"\n[keys.review]\njudge_met = [\"m\"]\n";
        let settings = Settings::parse("config.toml", text, false).unwrap();
        assert_eq!(settings.theme.met, Theme::high_contrast().met);
        assert_eq!(settings.theme.alert, theme::parse_style("white on red").unwrap());
        assert_eq!(
            settings.keymap.lookup(Context::Review, Key::char('m')),
            Some(Command::SetOutcome(crate::domain::Outcome::Met))
        );
        assert_eq!(settings.keymap.lookup(Context::Review, Key::char('1')), None);
    }

    #[test]
    fn no_color_wins_over_the_theme() {
        let settings = Settings::parse("config.toml", "theme = \"high-contrast\"\n", true).unwrap();
        assert_eq!(settings.theme, Theme::monochrome());
    }

    #[test]
    fn problems_from_every_part_are_reported_together() {
        let text = "theme = \"lite\"\n[colors]\nmett = \"green\"\n[keys.review]\njudge_met = [\"e\"]\n";
        let error = Settings::parse("config.toml", text, false).unwrap_err();
        assert_eq!(error.problems.iter().map(|p| p.line).collect::<Vec<_>>(), vec![1, 3, 5]);
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_an_unreadable_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::load(&dir.path().join("config.toml"), false).unwrap();
        assert_eq!(settings.theme, Theme::dark());
        // A folder where the file should be cannot be read as one.
        let error = Settings::load(dir.path(), false).unwrap_err();
        assert!(error.to_string().contains("cannot read it"), "{error}");
    }
}
