//! The evidence viewer's state: sanitised lines, scrolling, search, and locators.

mod keys;
pub(crate) mod view;

pub use keys::Document;

use crate::intake::marker_number;
use crate::store::DocumentInfo;
use crate::text::sanitize;

/// What the line at the bottom is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `/`: a word to find in the document.
    Search,
    /// `p`: a page to go to (as cited: the printed number when the document has one).
    Page,
}

/// Where a page starts, and its numbers: as printed (what providers cite) and as the file's
/// physical page, when the import recorded both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    pub line: usize,
    /// The number of its `[page N]` marker; `None` for a page before printed p.1 (a cover).
    pub cited: Option<u32>,
    /// The physical page (`[PDF p.M]`), when printed and physical pages differ.
    pub physical: Option<u32>,
}

impl PageStart {
    /// `p.12 (PDF p.14)`, `p.3`, or `unnumbered (PDF p.1)`.
    pub fn label(&self) -> String {
        match (self.cited, self.physical) {
            (Some(cited), Some(physical)) => format!("p.{cited} (PDF p.{physical})"),
            (Some(cited), None) => format!("p.{cited}"),
            (None, Some(physical)) => format!("unnumbered (PDF p.{physical})"),
            (None, None) => "unnumbered".into(),
        }
    }

    /// The page a viewer program opens at: the physical page, else the cited one.
    pub fn viewer_page(&self) -> Option<u32> {
        self.physical.or(self.cited)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentState {
    pub submission: String,
    pub info: DocumentInfo,
    pub lines: Vec<String>,
    /// The pages, in order (empty for a document without page markers).
    pub pages: Vec<PageStart>,
    /// The first line shown.
    pub scroll: usize,
    /// Long lines wrap (the default); off, layout lines stay whole and scroll sideways (tables).
    pub wrap: bool,
    /// With wrapping off: the first column shown.
    pub column: usize,
    /// The line the locator or the current match points at.
    pub mark: Option<usize>,
    pub locator: String,
    /// Whether the locator is a citation (from a standard's evidence) rather than the page a
    /// search found.
    pub cited: bool,
    /// What is being typed at the bottom, and for what.
    pub input: Option<(InputKind, String)>,
    pub search: Option<String>,
    pub matches: Vec<usize>,
    pub current_match: usize,
}

impl DocumentState {
    pub fn new(submission: String, info: DocumentInfo, text: &str, locator: &str) -> DocumentState {
        let lines: Vec<String> = sanitize(text).lines().map(str::to_string).collect();
        let pages = page_starts(&lines);
        let mut state = DocumentState {
            submission,
            info,
            lines,
            pages,
            scroll: 0,
            wrap: true,
            column: 0,
            mark: None,
            locator: locator.to_string(),
            cited: true,
            input: None,
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

    /// Sideways, with wrapping off (columns of the longest line at most).
    pub fn scroll_sideways(&mut self, delta: isize) {
        let widest = self.lines.iter().map(|l| crate::text::width(l)).max().unwrap_or(0);
        self.column = self.column.saturating_add_signed(delta).min(widest.saturating_sub(1));
    }

    pub fn toggle_wrap(&mut self) {
        self.wrap = !self.wrap;
        self.column = 0;
    }

    /// The page the first line shown is on, and its place among the pages (from 0).
    pub fn page_at_scroll(&self) -> Option<(usize, &PageStart)> {
        let i = self.pages.partition_point(|p| p.line <= self.scroll).checked_sub(1).or(
            // Text before the first marker belongs to the first page.
            (!self.pages.is_empty()).then_some(0),
        )?;
        Some((i, &self.pages[i]))
    }

    /// Goes to the page cited as `number`; `false` when the document has no such page.
    pub fn go_to_page(&mut self, number: u32) -> bool {
        match self.pages.iter().find(|p| p.cited == Some(number)) {
            Some(page) => {
                self.scroll = page.line;
                self.mark = Some(page.line);
                true
            }
            None => false,
        }
    }

    /// The cited page numbers this document has, as "p.1–p.9" (for a refusal).
    pub fn page_range(&self) -> String {
        let cited: Vec<u32> = self.pages.iter().filter_map(|p| p.cited).collect();
        match (cited.iter().min(), cited.iter().max()) {
            (Some(first), Some(last)) if first == last => format!("only p.{first}"),
            (Some(first), Some(last)) => format!("p.{first}–p.{last}"),
            _ => "no numbered pages".into(),
        }
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

    /// Searches for words a full-text hit found on the page shown: the whole phrase if it is
    /// on one line there, else its first word; the page stays in view either way.
    pub fn find_from_here(&mut self, words: &str) {
        self.cited = false;
        let here = self.scroll;
        let first_word = words.split_whitespace().next().unwrap_or_default().trim_end_matches('*').to_string();
        for query in [words.trim().to_string(), first_word] {
            self.search(&query);
            if self.matches.iter().any(|&line| line >= here) {
                return;
            }
        }
        // Nothing on a line of its own from here on: stay on the page.
        self.scroll = here;
        self.mark = Some(here);
    }

    pub fn next_match(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        let n = self.matches.len();
        self.current_match = if forward { (self.current_match + 1) % n } else { (self.current_match + n - 1) % n };
        self.go_to_match();
    }

    /// "3 of 9" for the match the mark is on, once a search has run.
    pub fn match_count(&self) -> Option<String> {
        let query = self.search.as_ref()?;
        let query = sanitize(query);
        Some(match self.matches.len() {
            0 => format!("\"{query}\": no matches"),
            n => format!("\"{query}\": {} of {n}", self.current_match + 1),
        })
    }

    fn go_to_match(&mut self) {
        if let Some(&line) = self.matches.get(self.current_match) {
            self.mark = Some(line);
            // Two lines of context above, but not across the start of the match's page, so the
            // page shown is the match's.
            let page_start = self.pages.iter().rev().find(|p| p.line <= line).map_or(0, |p| p.line);
            self.scroll = line.saturating_sub(2).max(page_start);
        }
    }
}

/// The pages of a document's text: each `[page N]` marker (with the `[PDF p.M]` line the
/// import writes after it when printed and physical pages differ), and each unnumbered page.
pub fn page_starts(lines: &[String]) -> Vec<PageStart> {
    let mut pages = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(number) = marker_number(line) else { continue };
        let physical_line = |l: &str| l.trim().strip_prefix("[PDF p.")?.strip_suffix(']')?.parse().ok();
        if number == 0 {
            // `[unnumbered page, PDF p.M]`
            let physical = line.trim().rsplit("PDF p.").next().and_then(|r| r.strip_suffix(']')?.parse().ok());
            pages.push(PageStart { line: i, cited: None, physical });
        } else {
            let physical = lines.get(i + 1).and_then(|l| physical_line(l));
            pages.push(PageStart { line: i, cited: Some(number), physical });
        }
    }
    pages
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

    fn info() -> DocumentInfo {
        DocumentInfo { id: "E2".into(), title: "t".into(), media_type: "application/pdf".into(), sha256: String::new() }
    }

    #[test]
    fn pages_carry_printed_and_physical_numbers() {
        let text = "[unnumbered page, PDF p.1]\nCover\n[page 1]\n[PDF p.2]\nIntro\n[page 2]\n[PDF p.3]\nMore\n";
        let mut doc = DocumentState::new("S".into(), info(), text, "p.2");
        let labels: Vec<String> = doc.pages.iter().map(PageStart::label).collect();
        assert_eq!(labels, ["unnumbered (PDF p.1)", "p.1 (PDF p.2)", "p.2 (PDF p.3)"]);
        assert_eq!(doc.page_at_scroll().map(|(i, p)| (i, p.label())), Some((2, "p.2 (PDF p.3)".into())));
        assert_eq!(doc.pages[2].viewer_page(), Some(3), "a viewer opens the physical page");
        assert!(doc.go_to_page(1));
        assert_eq!((doc.scroll, doc.mark), (2, Some(2)));
        assert!(!doc.go_to_page(7));
        assert_eq!(doc.page_range(), "p.1–p.2");
        doc.scroll = 0;
        assert_eq!(doc.page_at_scroll().map(|(i, _)| i), Some(0));
    }

    #[test]
    fn matches_are_counted_and_wrapping_toggles() {
        let mut doc = DocumentState::new("S".into(), info(), "one fish\ntwo fish\nred fish\n", "");
        assert_eq!(doc.match_count(), None);
        doc.search("fish");
        assert_eq!(doc.match_count().as_deref(), Some("\"fish\": 1 of 3"));
        doc.next_match(true);
        assert_eq!(doc.match_count().as_deref(), Some("\"fish\": 2 of 3"));
        doc.search("whale");
        assert_eq!(doc.match_count().as_deref(), Some("\"whale\": no matches"));
        assert!(doc.wrap);
        doc.scroll_sideways(3);
        assert_eq!(doc.column, 3);
        doc.scroll_sideways(100);
        assert_eq!(doc.column, 7, "no further than the widest line");
        doc.toggle_wrap();
        assert!(!doc.wrap);
        assert_eq!(doc.column, 0);
        assert!(doc.pages.is_empty());
        assert_eq!(doc.page_at_scroll(), None);
    }

    #[test]
    fn escape_sequences_in_documents_are_removed() {
        let info =
            DocumentInfo { id: "E1".into(), title: "t".into(), media_type: "text/plain".into(), sha256: String::new() };
        let doc = DocumentState::new("S".into(), info, "a\u{1b}[2Jb", "");
        assert_eq!(doc.lines, vec!["ab".to_string()]);
    }
}
