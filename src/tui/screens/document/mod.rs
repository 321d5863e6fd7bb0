//! The evidence viewer's state: sanitised lines, scrolling, search, and locators.

mod keys;
pub(crate) mod view;

pub use keys::Document;

use crate::store::DocumentInfo;
use crate::text::sanitize;

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentState {
    pub submission: String,
    pub info: DocumentInfo,
    pub lines: Vec<String>,
    pub scroll: usize,
    /// The line the locator or the current match points at.
    pub mark: Option<usize>,
    pub locator: String,
    /// Text being typed after `/`.
    pub search_input: Option<String>,
    pub search: Option<String>,
    pub matches: Vec<usize>,
    pub current_match: usize,
}

impl DocumentState {
    pub fn new(submission: String, info: DocumentInfo, text: &str, locator: &str) -> DocumentState {
        let lines = sanitize(text).lines().map(str::to_string).collect();
        let mut state = DocumentState {
            submission,
            info,
            lines,
            scroll: 0,
            mark: None,
            locator: locator.to_string(),
            search_input: None,
            search: None,
            matches: Vec::new(),
            current_match: 0,
        };
        if let Some(line) = locate(&state.lines, locator) {
            state.mark = Some(line);
            state.scroll = line;
        }
        state
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let max = self.lines.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
    }

    /// Finds every line containing `query` (case-insensitive) and goes to the first one at or
    /// after the current position.
    pub fn search(&mut self, query: &str) {
        let needle = query.to_lowercase();
        self.matches = if needle.is_empty() {
            Vec::new()
        } else {
            self.lines.iter().enumerate().filter(|(_, l)| l.to_lowercase().contains(&needle)).map(|(i, _)| i).collect()
        };
        self.search = Some(query.to_string()).filter(|q| !q.is_empty());
        self.current_match = self.matches.iter().position(|&l| l >= self.scroll).unwrap_or(0);
        self.go_to_match();
    }

    pub fn next_match(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        let n = self.matches.len();
        self.current_match = if forward { (self.current_match + 1) % n } else { (self.current_match + n - 1) % n };
        self.go_to_match();
    }

    fn go_to_match(&mut self) {
        if let Some(&line) = self.matches.get(self.current_match) {
            self.mark = Some(line);
            self.scroll = line.saturating_sub(2);
        }
    }
}

/// The line a locator points at: `p.N` (or `p.N–M`) at the `[page N]` marker, `§N` at the first
/// line starting with it, anything else at its first occurrence.
pub fn locate(lines: &[String], locator: &str) -> Option<usize> {
    let locator = locator.trim();
    if locator.is_empty() {
        return None;
    }
    if let Some(pages) = locator.strip_prefix("p.").or_else(|| locator.strip_prefix("pp.")) {
        let first: String = pages.trim().chars().take_while(char::is_ascii_digit).collect();
        if !first.is_empty() {
            let marker = format!("[page {first}]");
            if let Some(i) = lines.iter().position(|l| l.trim() == marker) {
                return Some(i);
            }
        }
    }
    if locator.starts_with('§')
        && let Some(i) = lines.iter().position(|l| l.trim_start().starts_with(locator))
    {
        return Some(i);
    }
    let needle = locator.to_lowercase();
    lines.iter().position(|l| l.to_lowercase().contains(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn page_locators_find_page_markers() {
        let doc = lines("intro\n[page 1]\none\n[page 18]\neighteen\n[page 19]");
        assert_eq!(locate(&doc, "p.18"), Some(3));
        assert_eq!(locate(&doc, "p.18–22"), Some(3));
        assert_eq!(locate(&doc, "p.1"), Some(1));
    }

    #[test]
    fn section_and_free_text_locators() {
        let doc = lines("Agreement\n§1 Parties\n§3 Scope of practice\nSupervision schedule");
        assert_eq!(locate(&doc, "§3"), Some(2));
        assert_eq!(locate(&doc, "supervision SCHEDULE"), Some(3));
        assert_eq!(locate(&doc, "p.99"), None);
        assert_eq!(locate(&doc, ""), None);
    }

    #[test]
    fn search_wraps_around_matches() {
        let info =
            DocumentInfo { id: "E1".into(), title: "t".into(), media_type: "text/plain".into(), sha256: String::new() };
        let mut doc = DocumentState::new("S".into(), info, "alpha\nbeta\nalpha two\ngamma", "");
        doc.search("ALPHA");
        assert_eq!(doc.matches, vec![0, 2]);
        assert_eq!(doc.mark, Some(0));
        doc.next_match(true);
        assert_eq!(doc.mark, Some(2));
        doc.next_match(true);
        assert_eq!(doc.mark, Some(0));
        doc.next_match(false);
        assert_eq!(doc.mark, Some(2));
    }

    #[test]
    fn escape_sequences_in_documents_are_removed() {
        let info =
            DocumentInfo { id: "E1".into(), title: "t".into(), media_type: "text/plain".into(), sha256: String::new() };
        let doc = DocumentState::new("S".into(), info, "a\u{1b}[2Jb", "");
        assert_eq!(doc.lines, vec!["ab".to_string()]);
    }
}
