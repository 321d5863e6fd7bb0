//! Full-text search (SQLite FTS5) over evidence pages, the providers' narratives and the
//! standards, within what the user may see; and what each submission's evidence needs offline.
//!
//! The index is filled here and only here: `refresh` after every import of a submission (on the
//! hub and on a replica alike, since a pulled submission is imported the same way), and once
//! over the whole cache when migration 4 has just added the index.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Result, Store};
use crate::intake;

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub submission: String,
    #[serde(flatten)]
    pub place: HitPlace,
    /// The matching text, the matched words between « and ».
    pub snippet: String,
    #[serde(skip)]
    rank: f64,
    #[serde(skip)]
    rowid: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HitPlace {
    Page { document: String, title: String, page: u32 },
    Narrative { standard: String },
    Standard { standard: String },
}

impl std::fmt::Display for SearchHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            HitPlace::Page { document, page, .. } => write!(f, "{}  {document} p.{page}", self.submission)?,
            HitPlace::Narrative { standard } => write!(f, "{}  {standard} narrative", self.submission)?,
            HitPlace::Standard { standard } => write!(f, "{}  {standard}", self.submission)?,
        }
        write!(f, "  {}", self.snippet.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Whether a submission's evidence is all on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfflineReadiness {
    pub documents: usize,
    pub missing: Vec<String>,
}

impl OfflineReadiness {
    pub fn ready(&self) -> bool {
        self.missing.is_empty()
    }
}

/// A user's words as an FTS5 query: every word must appear (each quoted, so no word is read as
/// FTS5 syntax); a trailing `*` asks for a prefix.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter_map(|w| {
            let (word, prefix) = match w.strip_suffix('*') {
                Some(w) => (w, true),
                None => (w, false),
            };
            let word: String = word.chars().filter(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '.')).collect();
            (!word.is_empty()).then(|| format!("\"{}\"{}", word.replace('"', "\"\""), if prefix { "*" } else { "" }))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

const VISIBLE: &str = "(SELECT p.submission_id FROM panels p WHERE p.chair = ?1
     UNION SELECT pm.submission_id FROM panel_members pm WHERE pm.user_id = ?1 AND pm.recused = 0)";

impl Store {
    /// Full-text search over what `me` may see, best matches first.
    pub fn search(&self, me: &str, query: &str, submission: Option<&str>, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else { return Ok(vec![]) };
        let only = "(?3 IS NULL OR s.id = ?3)";
        // The snippets are made for the hits kept only (making one for every match first was
        // most of the time on a common word).
        let snippet = "x.rowid";
        let limit = limit as i64;
        let mut hits = Vec::new();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT d.submission_id, d.id, d.title, CAST(x.key2 AS INTEGER), {snippet}, x.rank
             FROM search_index x JOIN documents d ON d.sha256 = x.key1 JOIN submissions s ON s.id = d.submission_id
             WHERE search_index MATCH ?2 AND x.kind = 'page' AND d.submission_id IN {VISIBLE} AND {only}
             ORDER BY x.rank LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![me, q, submission, limit], |r| {
            Ok(SearchHit {
                submission: r.get(0)?,
                place: HitPlace::Page { document: r.get(1)?, title: r.get(2)?, page: r.get(3)? },
                snippet: String::new(),
                rowid: r.get(4)?,
                rank: r.get(5)?,
            })
        })?;
        hits.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT x.key1, x.key2, {snippet}, x.rank FROM search_index x JOIN submissions s ON s.id = x.key1
             WHERE search_index MATCH ?2 AND x.kind = 'narrative' AND s.id IN {VISIBLE} AND {only}
             ORDER BY x.rank LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![me, q, submission, limit], |r| {
            Ok(SearchHit {
                submission: r.get(0)?,
                place: HitPlace::Narrative { standard: r.get(1)? },
                snippet: String::new(),
                rowid: r.get(2)?,
                rank: r.get(3)?,
            })
        })?;
        hits.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT ss.submission_id, x.key2, {snippet}, x.rank
             FROM search_index x
             JOIN submission_standards ss ON ss.framework_id || '@' || ss.framework_version = x.key1
                 AND ss.standard_code = x.key2
             JOIN submissions s ON s.id = ss.submission_id
             WHERE search_index MATCH ?2 AND x.kind = 'standard' AND s.id IN {VISIBLE} AND {only}
             ORDER BY x.rank LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![me, q, submission, limit], |r| {
            Ok(SearchHit {
                submission: r.get(0)?,
                place: HitPlace::Standard { standard: r.get(1)? },
                snippet: String::new(),
                rowid: r.get(2)?,
                rank: r.get(3)?,
            })
        })?;
        hits.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit.max(0) as usize);
        let mut stmt = self.conn.prepare_cached(
            "SELECT snippet(search_index, 0, '«', '»', '…', 12) FROM search_index WHERE search_index MATCH ?1 AND rowid = ?2",
        )?;
        for hit in &mut hits {
            hit.snippet = stmt.query_row(params![q, hit.rowid], |r| r.get(0)).optional()?.unwrap_or_default();
        }
        Ok(hits)
    }

    /// Whether every document of a submission is in this cache (a reviewer checks before
    /// going offline).
    pub fn offline_readiness(&self, submission: &str) -> Result<OfflineReadiness> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256)
             FROM documents d WHERE d.submission_id = ?1 ORDER BY d.ord",
        )?;
        let rows: Vec<(String, bool)> =
            stmt.query_map([submission], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(OfflineReadiness {
            documents: rows.len(),
            missing: rows.into_iter().filter(|(_, here)| !here).map(|(id, _)| id).collect(),
        })
    }

    /// The original bytes of an extracted document (a PDF, DOCX or XLSX), where this cache
    /// holds them.
    pub fn document_original(&self, submission: &str, document: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT o.media_type, o.bytes FROM document_originals d JOIN originals o ON o.sha256 = d.original_sha256
                 WHERE d.submission_id = ?1 AND d.document_id = ?2",
                [submission, document],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

/// Whether `refresh` has anything to do (a read, so opening a cache takes no write lock when
/// the index is current).
pub(crate) fn needs_refresh(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_index')
             OR EXISTS (SELECT 1 FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM indexed_blobs))
             OR EXISTS (SELECT 1 FROM frameworks WHERE id || '@' || version NOT IN (SELECT framework FROM indexed_frameworks))",
        [],
        |r| r.get(0),
    )?)
}

/// Brings the index up to date: new blobs' pages, new frameworks' standards, and (for
/// `submission`, or every submission the first time) the narratives.
pub(crate) fn refresh(tx: &Transaction<'_>, submission: Option<&str>) -> Result<()> {
    let blobs: Vec<(String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT sha256, content FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM indexed_blobs)",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
    };
    for (sha, content) in blobs {
        for page in intake::text_pages(&content) {
            let body = intake::clean(&page.text);
            if !body.trim().is_empty() {
                tx.execute(
                    "INSERT INTO search_index (body, kind, key1, key2) VALUES (?1, 'page', ?2, ?3)",
                    params![body, sha, page.number],
                )?;
            }
        }
        tx.execute("INSERT INTO indexed_blobs (sha256) VALUES (?1)", [&sha])?;
    }
    let frameworks: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id || '@' || version FROM frameworks WHERE id || '@' || version NOT IN (SELECT framework FROM indexed_frameworks)",
        )?;
        stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    for key in frameworks {
        tx.execute(
            "INSERT INTO search_index (body, kind, key1, key2)
             SELECT code || ' ' || title || char(10) || statement || char(10) || guidance, 'standard', ?1, code
             FROM standards WHERE framework_id || '@' || framework_version = ?1",
            [&key],
        )?;
        tx.execute("INSERT INTO indexed_frameworks (framework) VALUES (?1)", [&key])?;
    }
    let first = tx
        .query_row("SELECT value FROM meta WHERE key = 'search_index'", [], |r| r.get::<_, String>(0))
        .optional()?
        .is_none();
    if first || submission.is_some() {
        tx.execute("DELETE FROM search_index WHERE kind = 'narrative' AND (?1 IS NULL OR key1 = ?1)", [submission])?;
        tx.execute(
            "INSERT INTO search_index (body, kind, key1, key2)
             SELECT narrative, 'narrative', submission_id, standard_code FROM mappings
             WHERE (?1 IS NULL OR submission_id = ?1) AND narrative <> ''",
            [submission],
        )?;
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_index', '1')", [])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_cannot_inject_fts_syntax() {
        assert_eq!(fts_query("mini-CEX  p.4").as_deref(), Some("\"mini-CEX\" \"p.4\""));
        assert_eq!(fts_query("NEAR( \"x\" OR").as_deref(), Some("\"NEAR\" \"x\" \"OR\""));
        assert_eq!(fts_query("assess*").as_deref(), Some("\"assess\"*"));
        assert_eq!(fts_query(" () ").as_deref(), None);
    }
}
