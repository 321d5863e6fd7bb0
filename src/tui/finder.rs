//! The `/` finder: fuzzy matching over standards, submissions and evidence, and below those
//! the pages of evidence (and providers' narratives) whose text has the words (full-text search,
//! asked of the store as the query changes).
//!
//! Like fzf, the query is split into words that may match in any order, each either the entry's
//! submission id or its text. Every standard appears once per submission, so the entries share
//! few distinct strings: each word is scored once per distinct string, not once per entry, which
//! keeps a keystroke well under a frame even over every standard of 200 submissions.

use std::collections::HashMap;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::store::{FinderEntry, HitPlace, SearchHit};

/// How many matches the finder keeps (and so at most shows).
const MAX_RESULTS: usize = 200;
/// How many full-text hits it shows below them.
pub const MAX_TEXT_HITS: usize = 30;
/// Shorter queries than this do not search the text of the evidence (every page has "a").
pub const MIN_TEXT_QUERY: usize = 3;

pub struct FinderState {
    pub query: String,
    /// Indexes into the entries, best match first.
    pub results: Vec<usize>,
    /// Pages and narratives whose text has the query's words, best first (after `results`).
    pub text_hits: Vec<SearchHit>,
    /// Over `results` then `text_hits`.
    pub selected: usize,
    /// The submission the user is in, and the standard selected there: with an empty query the
    /// finder lists that submission first, from that standard.
    here: Option<(String, Option<String>)>,
    matcher: SkimMatcherV2,
    index: Index,
}

/// The entries' distinct scopes and texts, and which pair each entry is.
struct Index {
    scopes: Vec<String>,
    texts: Vec<String>,
    pairs: Vec<(usize, usize)>,
}

impl Index {
    fn build(entries: &[FinderEntry]) -> Index {
        fn intern(table: &mut HashMap<String, usize>, list: &mut Vec<String>, value: &str) -> usize {
            if let Some(&i) = table.get(value) {
                return i;
            }
            list.push(value.to_string());
            table.insert(value.to_string(), list.len() - 1);
            list.len() - 1
        }
        let (mut scopes, mut texts) = (Vec::new(), Vec::new());
        let (mut scope_ids, mut text_ids) = (HashMap::new(), HashMap::new());
        let pairs = entries
            .iter()
            .map(|e| (intern(&mut scope_ids, &mut scopes, e.scope()), intern(&mut text_ids, &mut texts, e.text())))
            .collect();
        Index { scopes, texts, pairs }
    }
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
            text_hits: Vec::new(),
            selected: 0,
            here: None,
            matcher: SkimMatcherV2::default().smart_case(),
            index: Index::build(entries),
        };
        state.refresh(entries);
        state
    }

    /// Starts from `submission` (and its `standard`): listed first while the query is empty.
    pub fn start_at(&mut self, entries: &[FinderEntry], submission: &str, standard: Option<&str>) {
        self.here = Some((submission.to_string(), standard.map(str::to_string)));
        self.refresh(entries);
    }

    /// Re-ranks every entry against the query.
    pub fn refresh(&mut self, entries: &[FinderEntry]) {
        self.selected = 0;
        let words: Vec<&str> = self.query.split_whitespace().collect();
        if words.is_empty() || entries.len() != self.index.pairs.len() {
            self.results = self.unfiltered(entries);
            return;
        }
        // Total score per entry; `None` once a word matches neither its scope nor its text.
        let mut totals: Vec<Option<i64>> = vec![Some(0); entries.len()];
        for word in words {
            let score = |list: &[String]| list.iter().map(|s| self.matcher.fuzzy_match(s, word)).collect::<Vec<_>>();
            let (scope_scores, text_scores) = (score(&self.index.scopes), score(&self.index.texts));
            for (total, &(scope, text)) in totals.iter_mut().zip(&self.index.pairs) {
                *total = match (*total, scope_scores[scope].max(text_scores[text])) {
                    (Some(sum), Some(word_score)) => Some(sum + word_score),
                    _ => None,
                };
            }
        }
        let mut scored: Vec<(i64, usize)> =
            totals.into_iter().enumerate().filter_map(|(i, total)| total.map(|score| (score, i))).collect();
        let by_rank = |a: &(i64, usize), b: &(i64, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > MAX_RESULTS {
            scored.select_nth_unstable_by(MAX_RESULTS - 1, by_rank);
            scored.truncate(MAX_RESULTS);
        }
        scored.sort_unstable_by(by_rank);
        self.results = scored.into_iter().map(|(_, i)| i).collect();
    }

    /// Every entry in the cache's order, the submission the user is in first, from the standard
    /// selected there.
    fn unfiltered(&mut self, entries: &[FinderEntry]) -> Vec<usize> {
        let Some((submission, standard)) = &self.here else {
            return (0..entries.len().min(MAX_RESULTS)).collect();
        };
        let (mut results, others): (Vec<usize>, Vec<usize>) =
            (0..entries.len()).partition(|&i| entries[i].scope() == submission.as_str());
        results.extend(others);
        results.truncate(MAX_RESULTS);
        self.selected = standard
            .as_deref()
            .and_then(|code| {
                results.iter().position(|&i| matches!(&entries[i], FinderEntry::Standard { code: c, .. } if c == code))
            })
            .unwrap_or(0);
        results
    }

    pub fn selected_entry<'e>(&self, entries: &'e [FinderEntry]) -> Option<&'e FinderEntry> {
        self.results.get(self.selected).and_then(|&i| entries.get(i))
    }

    /// The full-text hit selected, when the selection is below the fuzzy results.
    pub fn selected_hit(&self) -> Option<&SearchHit> {
        self.selected.checked_sub(self.results.len()).and_then(|i| self.text_hits.get(i))
    }

    /// Rows to choose from: the fuzzy results, then the full-text hits.
    pub fn len(&self) -> usize {
        self.results.len() + self.text_hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text search this query asks for, if it is long enough to be worth one.
    pub fn text_query(&self) -> Option<String> {
        let query = self.query.trim();
        (query.chars().count() >= MIN_TEXT_QUERY && crate::store::fts_query(query).is_some()).then(|| query.to_string())
    }

    /// Takes the full-text hits for `query`, if it is still what is typed.
    pub fn text_found(&mut self, query: &str, hits: Vec<SearchHit>) {
        if self.query.trim() != query {
            return;
        }
        // Standards are already among the fuzzy results.
        self.text_hits = hits.into_iter().filter(|h| !matches!(h.place, HitPlace::Standard { .. })).collect();
        self.text_hits.truncate(MAX_TEXT_HITS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(submission: &str, code: &str, title: &str) -> FinderEntry {
        FinderEntry::Standard { submission: submission.into(), code: code.into(), text: format!("{code}  {title}") }
    }

    fn found(finder: &FinderState, entries: &[FinderEntry]) -> Vec<String> {
        finder.results.iter().map(|&i| entries[i].label()).collect()
    }

    #[test]
    fn the_best_match_comes_first() {
        let entries = vec![
            standard("S-1", "MPF 1.1", "Scope of practice"),
            standard("S-1", "MPF 2.11", "Negotiating scope of practice"),
            standard("S-1", "MPF 4.1", "Research"),
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

    #[test]
    fn words_match_in_any_order_across_submission_and_text() {
        let entries = vec![
            standard("S-2026-014", "SET-DEMO 4.1", "Workplace supervisors prepared"),
            standard("S-2026-009", "SET-DEMO 4.1", "Workplace supervisors prepared"),
            standard("S-2026-014", "MPF 4.1", "Engage critically in research"),
        ];
        let mut finder = FinderState::new(&entries);
        finder.query = "supervision 4.1".into();
        finder.refresh(&entries);
        assert_eq!(finder.results.len(), 0, "\"supervision\" is not in \"supervisors\"");
        finder.query = "supervisors 4.1 009".into();
        finder.refresh(&entries);
        assert_eq!(found(&finder, &entries), vec!["S-2026-009  SET-DEMO 4.1  Workplace supervisors prepared"]);
        finder.query = "4.1 S-2026-014".into();
        finder.refresh(&entries);
        assert_eq!(finder.results.len(), 2);
    }

    #[test]
    fn an_empty_query_starts_from_the_submission_and_standard_i_am_in() {
        let entries = vec![
            standard("S-2026-014", "MPF 1.1", "Scope of practice"),
            standard("S-2026-009", "SET-DEMO 4.1", "Workplace supervisors prepared"),
            standard("S-2026-009", "SET-DEMO 4.2", "Supervision agreements"),
        ];
        let mut finder = FinderState::new(&entries);
        finder.start_at(&entries, "S-2026-009", Some("SET-DEMO 4.2"));
        assert_eq!(finder.results, vec![1, 2, 0], "my submission first, the rest after");
        assert_eq!(finder.selected_entry(&entries), Some(&entries[2]), "on the standard I was on");
        finder.query = "scope".into();
        finder.refresh(&entries);
        assert_eq!(finder.selected_entry(&entries), Some(&entries[0]), "a query searches everything");
        finder.query.clear();
        finder.refresh(&entries);
        assert_eq!(finder.results[0], 1, "emptied again, it starts from where I am");
    }
}
