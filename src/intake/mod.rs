//! Reading a provider's evidence files into pages, once, at import.
//!
//! A PDF is read by poppler's `pdftotext -layout` as a child process with a time limit (one
//! page per physical page), a DOCX by its explicit page breaks or, without any, by heading
//! section, an XLSX one page per sheet with its rows as aligned text. Every page's text is
//! NFKC-normalised (ligatures become letters, so search finds "fine" in "ﬁne"), and a line that
//! looks like one of our `[page N]` markers is escaped so a document cannot forge a page.

pub mod docx;
pub mod labels;
pub mod pack;
pub mod pdf;
mod printed;
mod xlsx;
mod zipread;

use std::path::Path;
use std::time::Duration;

use unicode_normalization::UnicodeNormalization;

pub use printed::{PrintedNumbering, detect_printed, from_labels, printed_numbering};

use crate::format::media;

/// The version of each extractor. Stored with the pages: a new version re-extracts.
/// (PDF 2: the `/PageLabels` are read too.)
pub const PDF_EXTRACTOR: &str = "pdftotext-layout/2";
pub const DOCX_EXTRACTOR: &str = "docx/1";
pub const XLSX_EXTRACTOR: &str = "xlsx/1";
pub const TEXT_EXTRACTOR: &str = "text/1";

/// The largest evidence file intake reads.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most a DOCX or XLSX may unzip to (a zip bomb is refused).
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// How long `pdftotext` may take over one file.
pub const PDF_TIME_LIMIT: Duration = Duration::from_secs(60);

/// One page of extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The physical page (1-based): a PDF's page, a DOCX's section, an XLSX's sheet.
    pub number: u32,
    /// A heading for the page where the format has one (a sheet's name, a section's heading).
    pub title: Option<String>,
    pub text: String,
}

/// Something intake noticed that the officer should confirm, not a refusal. Kept with the
/// extracted pages (as JSON), so pages reused on a later import still warn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Warning {
    TrackedChanges,
    Comments,
    /// Physical pages with no text layer (probably scanned images).
    NoTextLayer(Vec<u32>),
    /// A PDF's `/PageLabels` could not be read (why); the footers are looked at instead.
    PageLabelsUnreadable(String),
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::TrackedChanges => {
                write!(f, "tracked changes are left in (the accepted text is used); accept or reject them in Word")
            }
            Warning::Comments => write!(f, "comments are left in (they are not part of the text); remove them in Word"),
            Warning::NoTextLayer(pages) => {
                let list: Vec<String> = pages.iter().map(u32::to_string).collect();
                write!(
                    f,
                    "page(s) {} have no text layer (probably scanned): search cannot find their words; ask for a PDF with text",
                    list.join(", ")
                )
            }
            Warning::PageLabelsUnreadable(why) => write!(
                f,
                "its page labels (/PageLabels) cannot be read ({why}); the printed page numbers are looked for in the footers instead"
            ),
        }
    }
}

/// A document's pages, with what the extractor noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub extractor: &'static str,
    pub pages: Vec<Page>,
    pub warnings: Vec<Warning>,
    /// `/PageLabels` read from a PDF, one per physical page, when it has them.
    pub page_labels: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{file} is {size} bytes, over the limit of {limit}; split it or compress its images")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file} is a legacy Word .doc file; save it as .docx (Word: File > Save As > Word Document)")]
    LegacyDoc { file: String },
    #[error("{file} is password-protected; save a copy without the password")]
    Password { file: String },
    #[error("{file} is not a readable {kind} file ({detail}); open it and save it again")]
    Corrupt { file: String, kind: &'static str, detail: String },
    #[error("{file}: zip entry \"{entry}\" {problem}; the file is refused")]
    UnsafeZip { file: String, entry: String, problem: &'static str },
    #[error("{file} unzips to more than {limit} bytes (a zip bomb?); the file is refused")]
    ZipBomb { file: String, limit: u64 },
    #[error("pdftotext is not installed, so {file} cannot be read; install poppler-utils (apt install poppler-utils)")]
    NoPdftotext { file: String },
    #[error("pdftotext took longer than {seconds} s over {file} and was stopped; check the file opens in a PDF viewer")]
    Timeout { file: String, seconds: u64 },
    #[error("pdftotext failed on {file}: {detail}")]
    Crashed { file: String, detail: String },
    #[error("{file}: media type {media_type} cannot be extracted")]
    Unsupported { file: String, media_type: String },
}

/// The extractor (and its version) that reads `media_type`, if one does.
pub fn extractor_for(media_type: &str) -> Option<&'static str> {
    match media_type {
        media::PDF => Some(PDF_EXTRACTOR),
        media::DOCX => Some(DOCX_EXTRACTOR),
        media::XLSX => Some(XLSX_EXTRACTOR),
        media::TEXT | media::MARKDOWN => Some(TEXT_EXTRACTOR),
        _ => None,
    }
}

/// Extracts `bytes` (the file called `file`, of `media_type`) into pages.
pub fn extract(file: &str, media_type: &str, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge { file: file.into(), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    let mut extracted = match media_type {
        media::PDF => pdf::extract(file, bytes, PDF_TIME_LIMIT)?,
        media::DOCX => docx::extract(file, bytes)?,
        media::XLSX => xlsx::extract(file, bytes)?,
        media::TEXT | media::MARKDOWN => {
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| ExtractError::Corrupt {
                file: file.into(),
                kind: "UTF-8 text",
                detail: "not UTF-8".into(),
            })?;
            Extracted { extractor: TEXT_EXTRACTOR, pages: text_pages(&text), warnings: vec![], page_labels: None }
        }
        other => return Err(ExtractError::Unsupported { file: file.into(), media_type: other.into() }),
    };
    for page in &mut extracted.pages {
        page.text = clean(&page.text);
    }
    Ok(extracted)
}

/// Reads a file from disk (refusing symlinks and oversized files) and extracts it.
pub fn extract_file(path: &Path, media_type: &str) -> Result<(Vec<u8>, Extracted), ExtractError> {
    let file = path.display().to_string();
    let meta = std::fs::symlink_metadata(path).map_err(|e| ExtractError::Corrupt {
        file: file.clone(),
        kind: "evidence",
        detail: e.to_string(),
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge { file, size: meta.len(), limit: MAX_FILE_BYTES });
    }
    let bytes = std::fs::read(path).map_err(|e| ExtractError::Corrupt {
        file: file.clone(),
        kind: "evidence",
        detail: e.to_string(),
    })?;
    let extracted = extract(&file, media_type, &bytes)?;
    Ok((bytes, extracted))
}

/// Splits text that carries `[page N]` markers into pages (text before the first marker is page
/// 1's); text without markers is one page.
pub fn text_pages(text: &str) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut current = Page { number: 1, title: None, text: String::new() };
    let mut seen_marker = false;
    for line in text.lines() {
        if let Some(n) = marker_number(line) {
            if seen_marker || !current.text.trim().is_empty() {
                pages.push(std::mem::replace(&mut current, Page { number: n, title: None, text: String::new() }));
            } else {
                current.number = n;
            }
            seen_marker = true;
            continue;
        }
        current.text.push_str(line);
        current.text.push('\n');
    }
    pages.push(current);
    pages
}

/// The page number of a `[page N]` marker line.
pub fn marker_number(line: &str) -> Option<u32> {
    let t = line.trim();
    if t.starts_with(UNNUMBERED) && t.ends_with(']') {
        return Some(0);
    }
    t.strip_prefix("[page ")?.strip_suffix(']')?.trim().parse().ok()
}

/// NFKC-normalises text, drops control characters other than newline and tab, and escapes any
/// line that would read as a page marker.
///
/// Line by line: no normalisation reaches across a line break, and a line of printable ASCII is
/// already NFKC, so it is copied as it is (running every character through NFKC was three
/// quarters of the time a first sync took to index a pack of PDFs).
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut normal = String::new();
    for raw in text.split('\n') {
        let line = if raw.bytes().all(|b| (b' '..=b'~').contains(&b) || b == b'\t') {
            raw
        } else {
            normal.clear();
            normal.extend(raw.nfkc().filter(|c| !c.is_control() || *c == '\t'));
            normal.as_str()
        };
        if looks_like_marker(line) {
            out.push('\\');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    // As `str::lines`: a final line break ends the last line, it does not start another.
    if text.is_empty() || text.ends_with('\n') {
        out.pop();
        if text.is_empty() {
            out.clear();
        }
    }
    out
}

fn looks_like_marker(line: &str) -> bool {
    // Compared in place (no lowercased copy of every line: that was most of the time indexing
    // a first sync's pages took here); the prefixes are ASCII, so ASCII case folding is enough.
    let t = line.trim_start().as_bytes();
    ["[page", "[pdf", "[unnumbered"]
        .iter()
        .any(|m| t.get(..m.len()).is_some_and(|p| p.eq_ignore_ascii_case(m.as_bytes())))
}

/// The text stored for a document: its pages behind `[page N]` markers. With the officer's
/// confirmed `offset`, N is the printed page (what providers cite) and a `[PDF p.M]` line names
/// the physical page; a page before printed p.1 (a cover) is `[unnumbered page, PDF p.M]`.
pub fn render(pages: &[Page], offset: Option<i64>) -> String {
    let mut out = String::new();
    for page in pages {
        match offset {
            None => out.push_str(&format!("[page {}]\n", page.number)),
            Some(o) => {
                let printed = page.number as i64 - o;
                if printed >= 1 {
                    out.push_str(&format!("[page {printed}]\n[PDF p.{}]\n", page.number));
                } else {
                    out.push_str(&format!("{UNNUMBERED}{}]\n", page.number));
                }
            }
        }
        if let Some(title) = &page.title {
            out.push_str(title);
            out.push('\n');
        }
        out.push_str(&page.text);
        if !page.text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

const UNNUMBERED: &str = "[unnumbered page, PDF p.";

/// The pages a locator names (`p.4`, `pp.3-4`, `pages 3–5`, `page 7`), or `None` for another kind
/// of locator (a section, a heading).
pub fn locator_pages(locator: &str) -> Option<(i64, i64)> {
    let l = locator.trim().to_lowercase();
    let rest = ["pages", "page", "pp.", "pp", "p.", "p"].iter().find_map(|p| l.strip_prefix(p))?;
    let rest = rest.trim_start();
    let first: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let start: i64 = first.parse().ok()?;
    let after = rest[first.len()..].trim_start();
    let end = after
        .strip_prefix(['-', '–', '—'])
        .map(|r| r.trim_start().chars().take_while(char::is_ascii_digit).collect::<String>())
        .and_then(|n| n.parse().ok())
        .unwrap_or(start);
    Some((start, end.max(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_normalises_ligatures_and_escapes_markers() {
        let text = clean("e\u{FB03}cient \u{FB01}ne\n[page 9]\n  [page 3]\nok\u{7}\n");
        assert_eq!(text, "efficient fine\n\\[page 9]\n\\  [page 3]\nok\n");
        // Cleaning twice changes nothing more.
        assert_eq!(clean(&text), text);
        assert_eq!(text_pages(&render(&[Page { number: 1, title: None, text }], None)).len(), 1);
        // In any case, and only the markers' own words.
        assert_eq!(
            clean("[PAGE 4]\n[Pdf p.2]\n [UNNUMBERED page, PDF p.1]\n[pagé 5]\n[pag\n"),
            "\\[PAGE 4]\n\\[Pdf p.2]\n\\ [UNNUMBERED page, PDF p.1]\n[pagé 5]\n[pag\n"
        );
    }

    #[test]
    fn clean_is_nfkc_of_the_whole_text_line_by_line() {
        // What clean did in one pass over the whole text, before it went line by line.
        let whole = |text: &str| {
            let normal: String = text.nfkc().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
            normal
                .lines()
                .map(|l| format!("{}{}\n", if looks_like_marker(l) { "\\" } else { "" }, l.trim_end()))
                .collect::<String>()
        };
        for text in [
            "",
            "\n",
            "plain\n",
            "no end",
            "a\r\nb\r\n",
            "x\ry\u{7}z\n\n\n",
            "e\u{301}\ncombining on the next line\u{301}\n",
            "\u{FB01}ne \u{2460} \u{FF21}\ttab  \n[page 2]\n  [PDF p.3]\n",
            "caf\u{E9} ok\n\u{0}\n",
        ] {
            assert_eq!(clean(text), whole(text), "{text:?}");
        }
    }

    #[test]
    fn locators_name_pages() {
        assert_eq!(locator_pages("p.4"), Some((4, 4)));
        assert_eq!(locator_pages("pp.3-4"), Some((3, 4)));
        assert_eq!(locator_pages("pages 3–5"), Some((3, 5)));
        assert_eq!(locator_pages("section 3.2"), None);
    }

    #[test]
    fn an_offset_renders_printed_markers() {
        let pages = [
            Page { number: 1, title: None, text: "Cover".into() },
            Page { number: 2, title: None, text: "Intro".into() },
        ];
        let text = render(&pages, Some(1));
        assert_eq!(text, "[unnumbered page, PDF p.1]\nCover\n[page 1]\n[PDF p.2]\nIntro\n");
        assert_eq!(text_pages(&text).iter().map(|p| p.number).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn text_pages_split_on_markers() {
        let pages = text_pages("[page 1]\none\n[page 2]\ntwo\n");
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[1].number, pages[1].text.as_str()), (2, "two\n"));
        assert_eq!(text_pages("no markers").len(), 1);
    }
}
