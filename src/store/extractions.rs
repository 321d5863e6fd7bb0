//! Extracted pages keyed by the original file's SHA-256 and the extractor's version (migration
//! 6): importing the same file again takes its pages from here instead of running the extractor,
//! and a new extractor version, having another key, extracts it again. What syncs to reviewers is
//! the document's text made from these pages, so their machines never extract anything.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError};
use crate::format::Original;
use crate::intake::{self, Extracted, Warning};

impl Store {
    /// The pages `extractor` (this version of it) made from the original with this SHA-256, if
    /// this store has them.
    pub fn extraction(&self, original_sha256: &str, extractor: &'static str) -> Result<Option<Extracted>> {
        let row: Option<(String, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT pages_text, warnings, page_labels FROM extractions WHERE original_sha256 = ?1 AND extractor = ?2",
                [original_sha256, extractor],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((text, warnings, labels)) = row else { return Ok(None) };
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("the extraction of {original_sha256}: {e}"));
        let warnings: Vec<Warning> = serde_json::from_str(&warnings).map_err(corrupt)?;
        let page_labels: Option<Vec<String>> = labels.map(|l| serde_json::from_str(&l)).transpose().map_err(corrupt)?;
        Ok(Some(Extracted { extractor, pages: intake::text_pages(&text), warnings, page_labels }))
    }
}

/// Keeps the extraction an imported original's pages came from.
pub(crate) fn keep(tx: &Transaction<'_>, original: &Original) -> Result<()> {
    let x = &original.extracted;
    let pages = intake::render(&x.pages, None);
    let warnings = serde_json::to_string(&x.warnings).unwrap_or_else(|_| "[]".into());
    let labels = x.page_labels.as_ref().map(|l| serde_json::to_string(l).unwrap_or_else(|_| "[]".into()));
    tx.execute(
        "INSERT INTO extractions (original_sha256, extractor, pages_text, pages, warnings, page_labels)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (original_sha256, extractor) DO UPDATE SET pages_text = excluded.pages_text,
           pages = excluded.pages, warnings = excluded.warnings, page_labels = excluded.page_labels",
        params![original.sha256, x.extractor, pages, x.pages.len() as i64, warnings, labels],
    )?;
    Ok(())
}
