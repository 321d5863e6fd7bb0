//! The `/` finder: fuzzy matching over standards, submissions and evidence.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::store::FinderEntry;

/// How many matches the finder keeps (and so at most shows).
const MAX_RESULTS: usize = 200;

pub struct FinderState {
    pub query: String,
    /// Indexes into the entries, best match first.
    pub results: Vec<usize>,
    pub selected: usize,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for FinderState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FinderState").field("query", &self.query).field("results", &self.results.len()).finish()
    }
}

impl FinderState {
    pub fn new(entries: &[FinderEntry]) -> FinderState {
        let mut state = FinderState {
            query: String::new(),
            results: Vec::new(),
            selected: 0,
            matcher: SkimMatcherV2::default().smart_case(),
        };
        state.refresh(entries);
        state
    }

    /// Re-ranks every entry against the query.
    pub fn refresh(&mut self, entries: &[FinderEntry]) {
        self.selected = 0;
        if self.query.is_empty() {
            self.results = (0..entries.len().min(MAX_RESULTS)).collect();
            return;
        }
        let mut scored: Vec<(i64, usize)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| self.matcher.fuzzy_match(e.label(), &self.query).map(|score| (score, i)))
            .collect();
        let keep = scored.len().min(MAX_RESULTS);
        if keep > 0 && scored.len() > keep {
            scored.select_nth_unstable_by(keep - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.truncate(keep);
        }
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.results = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn selected_entry<'e>(&self, entries: &'e [FinderEntry]) -> Option<&'e FinderEntry> {
        self.results.get(self.selected).and_then(|&i| entries.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(code: &str, title: &str) -> FinderEntry {
        FinderEntry::Standard { submission: "S-1".into(), code: code.into(), label: format!("{code}  {title}") }
    }

    #[test]
    fn the_best_match_comes_first() {
        let entries = vec![
            standard("MPF 1.1", "Scope of practice"),
            standard("MPF 2.11", "Negotiating scope of practice"),
            standard("MPF 4.1", "Research"),
        ];
        let mut finder = FinderState::new(&entries);
        assert_eq!(finder.results.len(), 3);
        finder.query = "research".into();
        finder.refresh(&entries);
        assert_eq!(finder.selected_entry(&entries), Some(&entries[2]));
        finder.query = "zzz".into();
        finder.refresh(&entries);
        assert!(finder.results.is_empty());
    }
}
