//! XLSX by calamine: one page per sheet, its rows as aligned text (the values Excel cached).

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::docx::layout_table;
use super::zipread::SafeZip;
use super::{ExtractError, Extracted, Page, XLSX_EXTRACTOR};

pub(super) fn extract(file: &str, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    // Checks the entries and their sizes before calamine unzips anything.
    SafeZip::open(file, "Excel .xlsx", bytes)?;
    let corrupt = |detail: String| ExtractError::Corrupt { file: file.into(), kind: "Excel .xlsx", detail };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let mut pages = Vec::new();
    for (i, name) in book.sheet_names().into_iter().enumerate() {
        let range = book.worksheet_range(&name).map_err(|e| corrupt(format!("sheet {name}: {e}")))?;
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        pages.push(Page { number: i as u32 + 1, title: Some(format!("Sheet: {name}")), text: layout_table(&rows) });
    }
    if pages.is_empty() {
        return Err(corrupt("it has no sheets".into()));
    }
    Ok(Extracted { extractor: XLSX_EXTRACTOR, pages, warnings: vec![], page_labels: None })
}
