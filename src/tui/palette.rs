//! The `:` command palette: every action of the screen and the global ones by name, fuzzy
//! matched, each with its key, from the same keymap data that builds the help and the hints.
//! Choosing one runs it exactly as its key would.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::keymap::{Command, Context, Key, Keymap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteEntry {
    /// Every key of the action, as help shows them ("q / Ctrl-c").
    pub keys: String,
    /// The key the palette presses for it.
    pub key: Key,
    pub name: &'static str,
    pub description: &'static str,
}

pub struct PaletteState {
    pub query: String,
    /// The context whose actions are listed (what had the keys when the palette opened).
    pub under: Context,
    pub entries: Vec<PaletteEntry>,
    /// Indexes into `entries`, best match first.
    pub results: Vec<usize>,
    pub selected: usize,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for PaletteState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaletteState").field("query", &self.query).field("under", &self.under).finish()
    }
}

impl PaletteState {
    pub fn new(keymap: &Keymap, under: Context) -> PaletteState {
        let entries = keymap
            .help(under)
            .into_iter()
            .filter(|b| b.command != Command::OpenPalette)
            .filter_map(|b| {
                let key = *b.keys.first()?;
                // A global key the context binds to something else would not run the global action.
                if b.context != under && keymap.lookup(under, key) != Some(b.command) {
                    return None;
                }
                let keys = b.keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(" / ");
                Some(PaletteEntry { keys, key, name: b.command.name(), description: b.description })
            })
            .collect();
        let mut state = PaletteState {
            query: String::new(),
            under,
            entries,
            results: Vec::new(),
            selected: 0,
            matcher: SkimMatcherV2::default().smart_case(),
        };
        state.refresh();
        state
    }

    /// Re-ranks the actions against the query (description or name, words in any order).
    pub fn refresh(&mut self) {
        self.selected = 0;
        let words: Vec<&str> = self.query.split_whitespace().collect();
        let mut scored: Vec<(i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let mut total = 0;
                for word in &words {
                    let best =
                        self.matcher.fuzzy_match(e.description, word).max(self.matcher.fuzzy_match(e.name, word));
                    total += best?;
                }
                Some((total, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.results = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn selected_entry(&self) -> Option<&PaletteEntry> {
        self.results.get(self.selected).and_then(|&i| self.entries.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_screen_and_global_actions_with_their_keys_and_matches_by_name() {
        let keymap = Keymap::default();
        let mut palette = PaletteState::new(&keymap, Context::Review);
        let submit = palette.entries.iter().find(|e| e.name == "submit").expect("submit is listed");
        assert_eq!(submit.keys, "S");
        assert!(palette.entries.iter().any(|e| e.name == "quit"), "global actions are listed too");
        assert!(!palette.entries.iter().any(|e| e.name == "command_palette"), "not itself");
        palette.query = "partially".into();
        palette.refresh();
        assert_eq!(palette.selected_entry().map(|e| e.key), Some(Key::char('2')));
        palette.query = "zzzz".into();
        palette.refresh();
        assert!(palette.selected_entry().is_none());
    }

    #[test]
    fn a_global_action_whose_key_the_screen_takes_is_not_offered() {
        let palette = PaletteState::new(&Keymap::default(), Context::Document);
        assert!(!palette.entries.iter().any(|e| e.name == "find"), "/ searches the document here");
        assert!(palette.entries.iter().any(|e| e.name == "search"));
    }
}
