//! Finding the page numbers printed on a document's pages.
//!
//! A strict pattern only ("Page N", "Page N of M", "- N -", or a line that is only a number), on
//! the first or last three non-empty lines of a page, and only when most numbered pages agree on
//! one offset from the physical page. The result is a proposal the import reports; nothing is
//! applied until the officer confirms it.

use super::Page;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedNumbering {
    /// printed = physical - offset (an unnumbered cover gives offset 1).
    pub offset: i64,
    /// How many pages carry a number agreeing with the offset, of how many pages.
    pub agreeing: usize,
    pub pages: usize,
    /// Where it was found: "footer/header pattern" or "/PageLabels".
    pub source: &'static str,
}

impl PrintedNumbering {
    /// The printed page shown on a physical page, if the page is numbered.
    pub fn printed(&self, physical: u32) -> Option<i64> {
        let p = physical as i64 - self.offset;
        (p >= 1).then_some(p)
    }

    /// The physical page a printed page number is on.
    pub fn physical(&self, printed: i64) -> i64 {
        printed + self.offset
    }
}

impl std::fmt::Display for PrintedNumbering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.offset == 0 {
            write!(
                f,
                "printed page numbers match the physical pages ({} of {} pages numbered, {})",
                self.agreeing, self.pages, self.source
            )
        } else {
            write!(
                f,
                "printed p.1 is physical page {} (offset {}; {} of {} pages numbered, {})",
                1 + self.offset,
                self.offset,
                self.agreeing,
                self.pages,
                self.source
            )
        }
    }
}

/// The number a line prints, by the strict pattern.
pub fn page_number_of_line(line: &str) -> Option<i64> {
    let t = line.trim();
    let t = t.trim_start_matches(['-', '–', ' ']).trim_end_matches(['-', '–', ' ']);
    let lower = t.to_lowercase();
    let rest = lower.strip_prefix("page ").unwrap_or(&lower);
    let number = match rest.split_once(" of ") {
        Some((n, total)) if total.trim().chars().all(|c| c.is_ascii_digit()) && !total.trim().is_empty() => n.trim(),
        Some(_) => return None,
        None => rest.trim(),
    };
    if number.is_empty() || number.len() > 4 || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    number.parse().ok().filter(|n| *n >= 1)
}

/// Proposes the printed numbering of `pages`, or `None` when no strict pattern is agreed by most
/// pages (at least half of them, and at least two).
pub fn detect_printed(pages: &[Page]) -> Option<PrintedNumbering> {
    let mut votes: std::collections::BTreeMap<i64, usize> = Default::default();
    for page in pages {
        let lines: Vec<&str> = page.text.lines().filter(|l| !l.trim().is_empty()).collect();
        let edge = lines.iter().take(3).chain(lines.iter().rev().take(3));
        let mut offsets: Vec<i64> =
            edge.filter_map(|l| page_number_of_line(l)).map(|n| page.number as i64 - n).collect();
        offsets.sort_unstable();
        offsets.dedup();
        for o in offsets {
            *votes.entry(o).or_default() += 1;
        }
    }
    let (&offset, &agreeing) = votes.iter().max_by_key(|(o, n)| (**n, -o.abs()))?;
    (agreeing >= 2 && agreeing * 2 >= pages.len()).then_some(PrintedNumbering {
        offset,
        agreeing,
        pages: pages.len(),
        source: "footer/header pattern",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, text: &str) -> Page {
        Page { number, title: None, text: text.into() }
    }

    #[test]
    fn strict_patterns_only() {
        assert_eq!(page_number_of_line("  Page 3 of 12 "), Some(3));
        assert_eq!(page_number_of_line("- 7 -"), Some(7));
        assert_eq!(page_number_of_line("12"), Some(12));
        assert_eq!(page_number_of_line("v3.2"), None);
        assert_eq!(page_number_of_line("Page three"), None);
        assert_eq!(page_number_of_line("2026"), Some(2026));
    }

    #[test]
    fn an_unnumbered_cover_gives_offset_one() {
        let pages =
            [page(1, "Cover\n"), page(2, "Intro\n\nPage 1\n"), page(3, "More\nPage 2\n"), page(4, "End\nPage 3")];
        let found = detect_printed(&pages).unwrap();
        assert_eq!((found.offset, found.agreeing), (1, 3));
        assert_eq!(found.printed(1), None);
        assert_eq!(found.physical(12), 13);
        assert!(detect_printed(&[page(1, "v3.2 draft"), page(2, "nothing")]).is_none());
    }
}
