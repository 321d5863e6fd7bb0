//! Finding the page numbers printed on a document's pages.
//!
//! A PDF's own `/PageLabels` come first (read by `labels.rs`): the offset of its decimal pages
//! from the physical ones. Without them, a strict pattern only ("Page N", "Page N of M", "- N -",
//! or a line that is only a number), on the first or last three non-empty lines of a page, and
//! only when most numbered pages agree on one offset from the physical page. Either way the
//! result is a proposal the import reports; nothing is applied until the officer confirms it.

use super::{Extracted, Page};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedNumbering {
    /// printed = physical - offset (an unnumbered cover gives offset 1).
    pub offset: i64,
    /// How many pages carry a number agreeing with the offset, of how many pages.
    pub agreeing: usize,
    pub pages: usize,
    /// Where it was found: "footer/header pattern" or "/PageLabels".
    pub source: &'static str,
    /// What else the import should say: the labels' ranges, a footer pattern that disagrees.
    pub detail: Option<String>,
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
            )?;
        } else {
            write!(
                f,
                "printed p.1 is physical page {} (offset {}; {} of {} pages numbered, {})",
                1 + self.offset,
                self.offset,
                self.agreeing,
                self.pages,
                self.source
            )?;
        }
        match &self.detail {
            Some(detail) => write!(f, "; {detail}"),
            None => Ok(()),
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
        detail: None,
    })
}

/// The printed numbering of an extracted document: its `/PageLabels` when they number some
/// pages in decimal (preferred: the document says so itself), else the footer/header pattern.
pub fn printed_numbering(extracted: &Extracted) -> Option<PrintedNumbering> {
    let footer = detect_printed(&extracted.pages);
    let Some(mut found) = extracted.page_labels.as_deref().and_then(from_labels) else { return footer };
    if let Some(footer) = footer.filter(|f| f.offset != found.offset) {
        let detail = found.detail.take().unwrap_or_default();
        found.detail = Some(format!("{detail}; the footers suggest offset {} instead: check", footer.offset));
    }
    Some(found)
}

/// The numbering `/PageLabels` give (one label per physical page): the offset most decimal
/// labels agree on, with the labels' ranges to report. `None` when no page has a decimal label.
pub fn from_labels(labels: &[String]) -> Option<PrintedNumbering> {
    let number = |label: &str| -> Option<i64> {
        (!label.is_empty() && label.len() <= 6 && label.bytes().all(|b| b.is_ascii_digit()))
            .then(|| label.parse().ok())
            .flatten()
            .filter(|n| *n >= 1)
    };
    let mut votes: std::collections::BTreeMap<i64, usize> = Default::default();
    for (i, label) in labels.iter().enumerate() {
        if let Some(n) = number(label) {
            *votes.entry(i as i64 + 1 - n).or_default() += 1;
        }
    }
    let (&offset, &agreeing) = votes.iter().max_by_key(|(o, n)| (**n, -o.abs()))?;
    Some(PrintedNumbering {
        offset,
        agreeing,
        pages: labels.len(),
        source: "/PageLabels",
        detail: Some(format!("labels {}", label_runs(labels, number))),
    })
}

/// The labels as runs of one kind ("PDF p.1 Cover, PDF pp.2-3 i–ii, PDF pp.4-9 1–6"): decimal
/// labels counting up by one, roman numerals, or anything else.
fn label_runs(labels: &[String], number: impl Fn(&str) -> Option<i64>) -> String {
    #[derive(PartialEq)]
    enum Kind {
        Decimal(i64),
        Roman,
        Other,
    }
    let kind = |i: usize, label: &str| match number(label) {
        Some(n) => Kind::Decimal(i as i64 - n),
        None if !label.is_empty() && label.chars().all(|c| "ivxlcdmIVXLCDM".contains(c)) => Kind::Roman,
        None => Kind::Other,
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in 0..labels.len() {
        match runs.last_mut() {
            Some((start, end)) if kind(*start, &labels[*start]) == kind(i, &labels[i]) => *end = i,
            _ => runs.push((i, i)),
        }
    }
    let shown = |l: &str| if l.is_empty() { "(no label)".to_string() } else { l.to_string() };
    let mut parts: Vec<String> = runs
        .iter()
        .take(8)
        .map(|&(start, end)| {
            if start == end {
                format!("PDF p.{} {}", start + 1, shown(&labels[start]))
            } else {
                format!("PDF pp.{}-{} {}–{}", start + 1, end + 1, shown(&labels[start]), shown(&labels[end]))
            }
        })
        .collect();
    if runs.len() > 8 {
        parts.push(format!("and {} more runs", runs.len() - 8));
    }
    parts.join(", ")
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

    fn labels(list: &[&str]) -> Vec<String> {
        list.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn page_labels_give_the_offset_of_the_decimal_pages() {
        let found = from_labels(&labels(&["Cover", "i", "ii", "1", "2", "3", "4"])).unwrap();
        assert_eq!((found.offset, found.agreeing, found.pages, found.source), (3, 4, 7, "/PageLabels"));
        assert_eq!(
            found.to_string(),
            "printed p.1 is physical page 4 (offset 3; 4 of 7 pages numbered, /PageLabels); \
             labels PDF p.1 Cover, PDF pp.2-3 i–ii, PDF pp.4-7 1–4"
        );
        // Labels that match the physical pages say so.
        let plain = from_labels(&labels(&["1", "2", "3"])).unwrap();
        assert_eq!(plain.offset, 0);
        assert!(plain.to_string().starts_with("printed page numbers match the physical pages"), "{plain}");
        // No decimal label: nothing to offset by.
        assert!(from_labels(&labels(&["i", "ii", "A-1"])).is_none());
    }

    #[test]
    fn labels_are_preferred_over_the_footers_and_a_disagreement_is_said() {
        let pages = [page(1, "Cover\n"), page(2, "Intro\nPage 1\n"), page(3, "More\nPage 2\n")];
        let mut extracted = Extracted { extractor: "test", pages: pages.to_vec(), warnings: vec![], page_labels: None };
        assert_eq!(printed_numbering(&extracted).unwrap().source, "footer/header pattern");
        extracted.page_labels = Some(labels(&["a", "b", "1"]));
        let found = printed_numbering(&extracted).unwrap();
        assert_eq!((found.offset, found.source), (2, "/PageLabels"));
        assert!(found.to_string().ends_with("the footers suggest offset 1 instead: check"), "{found}");
        extracted.page_labels = Some(labels(&["x", "1", "2"]));
        assert!(!printed_numbering(&extracted).unwrap().to_string().contains("footers"));
    }
}
