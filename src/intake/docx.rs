//! DOCX by hand: `word/document.xml` read with quick-xml. Tables keep their grid (a cell spanning
//! columns fills them, a vertically merged cell repeats the text above it); tracked insertions
//! are kept and deletions dropped (the accepted text), and both are reported.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::zipread::SafeZip;
use super::{DOCX_EXTRACTOR, ExtractError, Extracted, Page, Warning};

/// A paragraph or a table of a Word document, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph {
        text: String,
        heading: bool,
        page_break_before: bool,
    },
    /// Rows of cells, every row as wide as the table's grid.
    Table(Vec<Vec<String>>),
    PageBreak,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordDocument {
    pub blocks: Vec<Block>,
    pub tracked_changes: bool,
    pub comments: bool,
}

pub(super) fn extract(file: &str, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let doc = read(file, bytes)?;
    let mut warnings = Vec::new();
    if doc.tracked_changes {
        warnings.push(Warning::TrackedChanges);
    }
    if doc.comments {
        warnings.push(Warning::Comments);
    }
    Ok(Extracted { extractor: DOCX_EXTRACTOR, pages: paginate(&doc.blocks), warnings, page_labels: None })
}

/// Reads a DOCX's body.
pub fn read(file: &str, bytes: &[u8]) -> Result<WordDocument, ExtractError> {
    let mut zip = SafeZip::open(file, "Word .docx", bytes)?;
    let xml = zip.text("word/document.xml")?.ok_or_else(|| ExtractError::Corrupt {
        file: file.into(),
        kind: "Word .docx",
        detail: "it has no word/document.xml".into(),
    })?;
    let mut doc = parse(file, &xml)?;
    if let Some(comments) = zip.text("word/comments.xml")? {
        doc.comments |= comments.contains("<w:comment ");
    }
    Ok(doc)
}

#[derive(Default)]
struct TableState {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    span: usize,
    /// The cell continues a vertical merge.
    continued: bool,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

fn parse(file: &str, xml: &str) -> Result<WordDocument, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut doc = WordDocument::default();
    let mut tables: Vec<TableState> = Vec::new();
    let mut para = String::new();
    let (mut heading, mut break_before) = (false, false);
    let mut in_text = false;
    let mut deleted = 0usize;
    let corrupt = |detail: String| ExtractError::Corrupt { file: file.into(), kind: "Word .docx", detail };
    loop {
        let event = reader.read_event().map_err(|e| corrupt(format!("word/document.xml: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "w:t" if !empty => in_text = true,
                    "w:tab" if empty => para.push('\t'),
                    "w:br" | "w:cr" => {
                        if attr(e, "w:type").as_deref() == Some("page") && tables.is_empty() {
                            flush_paragraph(&mut doc, &mut para, heading, break_before);
                            break_before = false;
                            doc.blocks.push(Block::PageBreak);
                        } else {
                            para.push('\n');
                        }
                    }
                    "w:pageBreakBefore" => break_before = attr(e, "w:val").is_none_or(|v| v != "0" && v != "false"),
                    "w:pStyle" => {
                        let style = attr(e, "w:val").unwrap_or_default().to_ascii_lowercase();
                        heading = style.starts_with("heading1") || style == "title";
                    }
                    "w:ins" | "w:moveTo" => doc.tracked_changes = true,
                    "w:del" | "w:moveFrom" if !empty => {
                        doc.tracked_changes = true;
                        deleted += 1;
                    }
                    "w:commentRangeStart" | "w:commentReference" => doc.comments = true,
                    "w:tbl" if !empty => tables.push(TableState::default()),
                    "w:tr" if !empty && tables.len() == 1 => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                        }
                    }
                    "w:tc" if !empty && tables.len() == 1 => {
                        if let Some(t) = tables.last_mut() {
                            t.cell.clear();
                            t.span = 1;
                            t.continued = false;
                        }
                    }
                    "w:gridSpan" if tables.len() == 1 => {
                        if let Some(t) = tables.last_mut() {
                            t.span = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1usize).clamp(1, 64);
                        }
                    }
                    "w:vMerge" if tables.len() == 1 => {
                        if let Some(t) = tables.last_mut() {
                            t.continued = attr(e, "w:val").is_none_or(|v| v != "restart");
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && deleted == 0 => para.push_str(&t.xml10_content()),
            Event::CData(t) if in_text && deleted == 0 => para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text && deleted == 0 => match r.resolve_char_ref() {
                Ok(Some(c)) => para.push(c),
                _ => para.push_str(match r.xml10_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:del" | "w:moveFrom" => deleted = deleted.saturating_sub(1),
                "w:p" => {
                    if let Some(t) = tables.last_mut() {
                        if !t.cell.is_empty() {
                            t.cell.push('\n');
                        }
                        t.cell.push_str(para.trim_end());
                        para.clear();
                    } else {
                        flush_paragraph(&mut doc, &mut para, heading, break_before);
                    }
                    heading = false;
                    break_before = false;
                }
                "w:tc" if tables.len() == 1 => {
                    if let Some(t) = tables.last_mut() {
                        let col = t.row.len();
                        let text = if t.continued {
                            t.rows.last().and_then(|r| r.get(col)).cloned().unwrap_or_default()
                        } else {
                            std::mem::take(&mut t.cell).trim().to_string()
                        };
                        for _ in 0..t.span {
                            t.row.push(text.clone());
                        }
                    }
                }
                "w:tr" if tables.len() == 1 => {
                    if let Some(t) = tables.last_mut() {
                        let row = std::mem::take(&mut t.row);
                        t.rows.push(row);
                    }
                }
                "w:tbl" => {
                    if let Some(done) = tables.pop() {
                        match tables.last_mut() {
                            // A nested table's text joins the outer cell.
                            Some(outer) => {
                                for row in done.rows {
                                    outer.cell.push_str(&row.join(" | "));
                                    outer.cell.push('\n');
                                }
                            }
                            None => {
                                let width = done.rows.iter().map(Vec::len).max().unwrap_or(0);
                                let mut rows = done.rows;
                                for row in &mut rows {
                                    row.resize(width, String::new());
                                }
                                doc.blocks.push(Block::Table(rows));
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    flush_paragraph(&mut doc, &mut para, heading, break_before);
    Ok(doc)
}

fn flush_paragraph(doc: &mut WordDocument, para: &mut String, heading: bool, page_break_before: bool) {
    let text = std::mem::take(para);
    if text.trim().is_empty() && !page_break_before {
        if !doc.blocks.is_empty() {
            doc.blocks.push(Block::Paragraph { text: String::new(), heading: false, page_break_before: false });
        }
        return;
    }
    doc.blocks.push(Block::Paragraph { text, heading, page_break_before });
}

/// Pages: split at explicit page breaks; a document without any is split before each top-level
/// heading (a section per page).
fn paginate(blocks: &[Block]) -> Vec<Page> {
    let breaks =
        blocks.iter().any(|b| matches!(b, Block::PageBreak | Block::Paragraph { page_break_before: true, .. }));
    let mut pages = vec![Page { number: 1, title: None, text: String::new() }];
    for block in blocks {
        let new_page = match block {
            Block::PageBreak => breaks,
            Block::Paragraph { page_break_before, heading, .. } => {
                if breaks {
                    *page_break_before
                } else {
                    *heading
                }
            }
            Block::Table(_) => false,
        };
        if new_page && pages.last().is_some_and(|p| !p.text.trim().is_empty()) {
            let number = pages.len() as u32 + 1;
            pages.push(Page { number, title: None, text: String::new() });
        }
        let Some(page) = pages.last_mut() else { continue };
        match block {
            Block::PageBreak => {}
            Block::Paragraph { text, .. } => {
                page.text.push_str(text);
                page.text.push('\n');
            }
            Block::Table(rows) => page.text.push_str(&layout_table(rows)),
        }
    }
    pages
}

/// A table as aligned text: one line per row (a cell's lines joined), columns padded.
pub fn layout_table(rows: &[Vec<String>]) -> String {
    let flat: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")).collect()).collect();
    let cols = flat.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| flat.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0).min(60))
        .collect();
    let mut out = String::new();
    for row in &flat {
        let cells: Vec<String> =
            row.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0))).collect();
        out.push_str(cells.join(" | ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"<w:document xmlns:w="x"><w:body>"#;

    #[test]
    fn merged_cells_and_tracked_changes() {
        let xml = format!(
            "{W}<w:p><w:r><w:t>Fish &amp; chips</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t> new</w:t></w:r></w:ins></w:p>\
             <w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>wide</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
        );
        let doc = parse("t.docx", &xml).unwrap();
        assert!(doc.tracked_changes);
        assert_eq!(
            doc.blocks[0],
            Block::Paragraph { text: "Fish & chips new".into(), heading: false, page_break_before: false }
        );
        let Block::Table(rows) = &doc.blocks[1] else { panic!("{:?}", doc.blocks) };
        assert_eq!(rows, &[vec!["wide", "wide"], vec!["A", "1"], vec!["A", "2"]]);
    }

    #[test]
    fn page_breaks_or_heading_sections() {
        let xml = format!(
            "{W}<w:p><w:r><w:t>one</w:t></w:r></w:p><w:p><w:r><w:br w:type=\"page\"/><w:t>two</w:t></w:r></w:p></w:body></w:document>"
        );
        let pages = paginate(&parse("t", &xml).unwrap().blocks);
        assert_eq!(pages.iter().map(|p| p.text.trim()).collect::<Vec<_>>(), ["one", "two"]);
        let xml = format!(
            "{W}<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>A</w:t></w:r></w:p><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>B</w:t></w:r></w:p></w:body></w:document>"
        );
        let pages = paginate(&parse("t", &xml).unwrap().blocks);
        assert_eq!(pages.len(), 2);
        assert!(pages[1].text.starts_with("B"));
    }
}
