//! Full-text search (SQLite FTS5) over evidence pages, the providers' narratives and the
//! standards, within what the user may see; and what each submission's evidence needs offline.
//!
//! The index is filled here and only here: `refresh` after every import of a submission (on the
//! hub and on a replica alike, since a pulled submission is imported the same way), and once
//! over the whole cache when migration 4 has just added the index.
//!
//! A query is one ranked FTS5 query over all three kinds with a `LIMIT`, so FTS5 orders the
//! matches itself and nothing is joined to every match; each row is then checked against what
//! the user may see (`Scope`). When too few rows survive the check, the query is asked again
//! with a larger limit, until enough hits are found or the matches run out.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Result, Store};
use crate::domain::EvidenceRef;
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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

/// How many rows the first round asks FTS5 for, per hit wanted: a few are usually filtered out
/// (a standard of a framework no visible submission reviews, a document a lay member's standards
/// do not cite).
const FIRST_ROUND_FACTOR: usize = 2;
/// How much each further round widens the limit.
const WIDENING: usize = 8;

/// What one user may find: the submissions they chair or sit on unrecused, and for a member
/// limited to some standards (a lay member) only those standards, their narratives and the
/// documents those standards cite (as the hub sends them: docs/sync-protocol.md §8).
struct Scope {
    submissions: HashMap<String, Option<Limited>>,
}

struct Limited {
    standards: HashSet<String>,
    documents: HashSet<String>,
}

impl Scope {
    fn load(conn: &rusqlite::Connection, me: &str, only: Option<&str>) -> Result<Scope> {
        let rows: Vec<(String, bool, Option<String>)> = {
            let mut stmt = conn.prepare_cached(
                "SELECT p.submission_id, 1, NULL FROM panels p WHERE p.chair = ?1 AND (?2 IS NULL OR p.submission_id = ?2)
                 UNION ALL
                 SELECT pm.submission_id, 0, pm.standards FROM panel_members pm
                 WHERE pm.user_id = ?1 AND pm.recused = 0 AND (?2 IS NULL OR pm.submission_id = ?2)",
            )?;
            stmt.query_map(params![me, only], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let chaired: HashSet<String> = rows.iter().filter(|(_, chair, _)| *chair).map(|(s, ..)| s.clone()).collect();
        let mut submissions = HashMap::new();
        for (submission, chair, standards) in rows {
            let limited = match standards {
                Some(json) if !chair && !chaired.contains(&submission) => {
                    let standards: HashSet<String> = serde_json::from_str(&json).map_err(|e| {
                        super::StoreError::Corrupt(format!("the standards of a member of {submission}: {e}"))
                    })?;
                    Some(Limited { documents: cited(conn, &submission, &standards)?, standards })
                }
                _ => None,
            };
            submissions.entry(submission).or_insert(limited);
        }
        Ok(Scope { submissions })
    }

    /// Whether a hit in `submission` (on `standard`, or in `document`) may be shown.
    fn allows(&self, submission: &str, standard: Option<&str>, document: Option<&str>) -> bool {
        match self.submissions.get(submission) {
            None => false,
            Some(None) => true,
            Some(Some(limited)) => {
                standard.is_none_or(|s| limited.standards.contains(s))
                    && document.is_none_or(|d| limited.documents.contains(d))
            }
        }
    }
}

/// The documents of `submission` that the mappings of `standards` cite.
fn cited(conn: &rusqlite::Connection, submission: &str, standards: &HashSet<String>) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT standard_code, evidence FROM mappings WHERE submission_id = ?1")?;
    let rows: Vec<(String, String)> =
        stmt.query_map([submission], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut documents = HashSet::new();
    for (standard, evidence) in rows.into_iter().filter(|(code, _)| standards.contains(code)) {
        let evidence: Vec<EvidenceRef> = serde_json::from_str(&evidence)
            .map_err(|e| super::StoreError::Corrupt(format!("the evidence of {standard} in {submission}: {e}")))?;
        documents.extend(evidence.into_iter().map(|e| e.document));
    }
    Ok(documents)
}

/// One row of the index, as the ranked query returns it.
struct Row {
    rowid: i64,
    kind: String,
    key1: String,
    key2: String,
    rank: f64,
}

impl Store {
    /// Full-text search over what `me` may see, best matches first.
    pub fn search(&self, me: &str, query: &str, submission: Option<&str>, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else { return Ok(vec![]) };
        if limit == 0 {
            return Ok(vec![]);
        }
        // One snapshot for the whole search, so the lengths the ranking remembers are of the
        // generation of the index it reads (a read: DEFERRED, not the cache's IMMEDIATE).
        let _snapshot = if self.conn.is_autocommit() {
            Some(rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Deferred)?)
        } else {
            None
        };
        let scope = Scope::load(&self.conn, me, submission)?;
        if scope.submissions.is_empty() {
            return Ok(vec![]);
        }
        self.row_lengths.hold_for(generation(&self.conn)?);
        let mut places = Places::default();
        let mut asked = limit.saturating_mul(FIRST_ROUND_FACTOR);
        let mut hits = loop {
            let rows = self.ranked_rows(&q, asked)?;
            let mut hits = Vec::new();
            for row in &rows {
                places.resolve(&self.conn, &scope, row, &mut hits)?;
                // Rows come best first, so once `limit` hits are in, no later row can displace one.
                if hits.len() >= limit {
                    break;
                }
            }
            if hits.len() >= limit || rows.len() < asked {
                break hits;
            }
            asked = asked.saturating_mul(WIDENING);
        };
        hits.truncate(limit);
        // Snippets for the hits kept only (making one for every match was most of the time on a
        // common word); a row shared by two hits (one text in two submissions) is made once.
        let mut stmt = self.conn.prepare_cached(
            "SELECT snippet(search_index, 0, '«', '»', '…', 12) FROM search_index WHERE search_index MATCH ?1 AND rowid = ?2",
        )?;
        let mut made: HashMap<i64, String> = HashMap::new();
        for hit in &mut hits {
            if let Some(s) = made.get(&hit.rowid) {
                hit.snippet = s.clone();
                continue;
            }
            hit.snippet = stmt.query_row(params![q, hit.rowid], |r| r.get(0)).optional()?.unwrap_or_default();
            made.insert(hit.rowid, hit.snippet.clone());
        }
        Ok(hits)
    }

    /// The best `limit` rows of the index matching `q`, of every kind, by bm25 (FTS5's, over
    /// remembered row lengths: `store::rank`), equal scores in index order.
    ///
    /// Ordered by the score and the rowid rather than by FTS5's `rank` alone: with the single
    /// `rank` term FTS5 sorts every match itself, with its position lists, before the `LIMIT`
    /// applies (on a word on every page, 10,000 rows sorted to keep 40); ordered by a function
    /// and the rowid, SQLite keeps only the best `LIMIT` rows as they come, about a third less
    /// time (benches/intake.rs). The inner query reads nothing but the index (no stored
    /// column), so the stored key columns are read for the kept rows only.
    fn ranked_rows(&self, q: &str, limit: usize) -> Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT best.id, x.kind, x.key1, CAST(x.key2 AS TEXT), best.score FROM
                 (SELECT rowid AS id, {}(search_index) AS score FROM search_index
                  WHERE search_index MATCH ?1 ORDER BY score, rowid LIMIT ?2) AS best
             JOIN search_index x ON x.rowid = best.id
             ORDER BY best.score, best.id",
            super::rank::FUNCTION
        ))?;
        let rows = stmt.query_map(params![q, limit.min(i64::MAX as usize) as i64], |r| {
            Ok(Row { rowid: r.get(0)?, kind: r.get(1)?, key1: r.get(2)?, key2: r.get(3)?, rank: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether every document of a submission is in this cache, with its original where it has
    /// one (a reviewer checks before going offline): a document whose original is not here yet
    /// is missing, since it cannot be opened in a viewer.
    pub fn offline_readiness(&self, submission: &str) -> Result<OfflineReadiness> {
        Ok(self.readiness(Some(submission), None)?.remove(submission).unwrap_or_default())
    }

    /// The same for every submission on `me`'s panels, in one query (the queue's).
    pub fn offline_readiness_for(&self, me: &str) -> Result<HashMap<String, OfflineReadiness>> {
        self.readiness(None, Some(me))
    }

    /// The one rule for both: of `submission`, or of the submissions on `me`'s panels.
    fn readiness(&self, submission: Option<&str>, me: Option<&str>) -> Result<HashMap<String, OfflineReadiness>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.submission_id, d.id, EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256)
                 AND NOT EXISTS (SELECT 1 FROM document_originals x WHERE x.submission_id = d.submission_id
                     AND x.document_id = d.id
                     AND NOT EXISTS (SELECT 1 FROM originals o WHERE o.sha256 = x.original_sha256))
             FROM documents d
             WHERE d.submission_id = ?1
                OR d.submission_id IN (SELECT submission_id FROM panels WHERE chair = ?2
                                       UNION SELECT submission_id FROM panel_members WHERE user_id = ?2)
             ORDER BY d.submission_id, d.ord",
        )?;
        let mut rows = stmt.query(params![submission, me])?;
        let mut readiness: HashMap<String, OfflineReadiness> = HashMap::new();
        while let Some(r) = rows.next()? {
            let submission = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let here: bool = r.get(2)?;
            if !readiness.contains_key(submission) {
                readiness.insert(submission.to_string(), OfflineReadiness::default());
            }
            let entry = readiness.get_mut(submission).expect("just inserted");
            entry.documents += 1;
            if !here {
                entry.missing.push(r.get(1)?);
            }
        }
        Ok(readiness)
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

/// Where the rows of the index are in the cache (each looked up once per search: one document's
/// pages are many rows).
#[derive(Default)]
struct Places {
    documents: HashMap<String, Vec<(String, String, String)>>,
    standards: HashMap<(String, String), Vec<String>>,
}

impl Places {
    /// The hits `row` makes for what `scope` allows, appended to `hits`.
    fn resolve(
        &mut self,
        conn: &rusqlite::Connection,
        scope: &Scope,
        row: &Row,
        hits: &mut Vec<SearchHit>,
    ) -> Result<()> {
        let hit = |submission: &str, place: HitPlace| SearchHit {
            submission: submission.to_string(),
            place,
            snippet: String::new(),
            rank: row.rank,
            rowid: row.rowid,
        };
        match row.kind.as_str() {
            "page" => {
                let Ok(page) = row.key2.parse::<u32>() else { return Ok(()) };
                if !self.documents.contains_key(&row.key1) {
                    let mut stmt = conn.prepare_cached(
                        "SELECT submission_id, id, title FROM documents WHERE sha256 = ?1 ORDER BY submission_id, ord",
                    )?;
                    let found = stmt
                        .query_map([&row.key1], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect::<rusqlite::Result<_>>()?;
                    self.documents.insert(row.key1.clone(), found);
                }
                for (submission, document, title) in &self.documents[&row.key1] {
                    if scope.allows(submission, None, Some(document)) {
                        hits.push(hit(
                            submission,
                            HitPlace::Page { document: document.clone(), title: title.clone(), page },
                        ));
                    }
                }
            }
            "narrative" if scope.allows(&row.key1, Some(&row.key2), None) => {
                hits.push(hit(&row.key1, HitPlace::Narrative { standard: row.key2.clone() }));
            }
            "standard" => {
                let key = (row.key1.clone(), row.key2.clone());
                if !self.standards.contains_key(&key) {
                    let mut stmt = conn.prepare_cached(
                        "SELECT submission_id FROM submission_standards
                         WHERE standard_code = ?2 AND framework_id || '@' || framework_version = ?1 ORDER BY submission_id",
                    )?;
                    let found =
                        stmt.query_map([&row.key1, &row.key2], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    self.standards.insert(key.clone(), found);
                }
                for submission in &self.standards[&key] {
                    if scope.allows(submission, Some(&row.key2), None) {
                        hits.push(hit(submission, HitPlace::Standard { standard: row.key2.clone() }));
                    }
                }
            }
            _ => {}
        }
        Ok(())
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
/// `submissions`, or every submission the first time) the narratives.
///
/// Everything old goes out before anything new goes in, and a caller importing several
/// submissions in one transaction refreshes once, after them all: FTS5 writes the terms it holds
/// in memory out to a new segment at every statement that can be undone on its own (a
/// multi-row `DELETE`, as each import makes), and merges segments as they pile up. Indexing
/// between imports wrote and merged a segment per submission, half of applying a first sync's
/// page of PDF packs (`perf` over the sync benchmark's phase 5).
pub(crate) fn refresh(tx: &Transaction<'_>, submissions: Option<&[&str]>) -> Result<()> {
    let first = tx
        .query_row("SELECT value FROM meta WHERE key = 'search_index'", [], |r| r.get::<_, String>(0))
        .optional()?
        .is_none();
    // Whose narratives to index again: `None` for every submission's.
    let narrated: Vec<Option<&str>> = match submissions {
        Some(ids) => ids.iter().copied().map(Some).collect(),
        None if first => vec![None],
        None => Vec::new(),
    };
    // The submission's narrative rows are found through indexed_narratives: a condition on the
    // index's UNINDEXED columns reads every row of it, once per import, which was most of a
    // first sync's time. One submission by its key (`?1 IS NULL OR ...` would read every row).
    let only = |submission: Option<&str>| if submission.is_some() { "submission_id = ?1" } else { "?1 IS NULL" };
    for &submission in &narrated {
        let old: Vec<i64> = {
            let mut stmt =
                tx.prepare_cached(&format!("SELECT fts_rowid FROM indexed_narratives WHERE {}", only(submission)))?;
            stmt.query_map([submission], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut delete = tx.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?;
        for rowid in old {
            delete.execute([rowid])?;
        }
        tx.prepare_cached(&format!("DELETE FROM indexed_narratives WHERE {}", only(submission)))?
            .execute([submission])?;
    }
    // After an import, only its submissions' documents can be new to the index (looking at
    // every blob once per import of a first sync added up); the first time, every blob.
    match submissions {
        Some(ids) => {
            for id in ids {
                let blobs: Vec<(String, String)> = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT DISTINCT b.sha256, b.content FROM documents d JOIN blobs b ON b.sha256 = d.sha256
                         WHERE d.submission_id = ?1 AND b.sha256 NOT IN (SELECT sha256 FROM indexed_blobs)",
                    )?;
                    stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
                };
                index_blobs(tx, blobs)?;
            }
        }
        None => {
            let blobs: Vec<(String, String)> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT sha256, content FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM indexed_blobs)",
                )?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
            };
            index_blobs(tx, blobs)?;
        }
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
    for &submission in &narrated {
        let narratives: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT submission_id, standard_code, narrative FROM mappings WHERE {} AND narrative <> ''",
                only(submission)
            ))?;
            stmt.query_map([submission], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let mut insert =
            tx.prepare_cached("INSERT INTO search_index (body, kind, key1, key2) VALUES (?1, 'narrative', ?2, ?3)")?;
        let mut record =
            tx.prepare_cached("INSERT INTO indexed_narratives (submission_id, fts_rowid) VALUES (?1, ?2)")?;
        for (submission, standard, narrative) in narratives {
            insert.execute(params![narrative, submission, standard])?;
            record.execute(params![submission, tx.last_insert_rowid()])?;
        }
    }
    if !narrated.is_empty() {
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_index', '1')", [])?;
    }
    // The rows may have changed, and a new row can take a deleted one's rowid: the lengths the
    // ranking remembers (store::rank) are of the generation before.
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('search_generation', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )?;
    Ok(())
}

/// The index's generation: moved on by every `refresh`.
fn generation(conn: &rusqlite::Connection) -> Result<i64> {
    let found: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'search_generation'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(found.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Indexes each blob's pages and records it as indexed.
fn index_blobs(tx: &Transaction<'_>, blobs: Vec<(String, String)>) -> Result<()> {
    let mut insert =
        tx.prepare_cached("INSERT INTO search_index (body, kind, key1, key2) VALUES (?1, 'page', ?2, ?3)")?;
    let mut record = tx.prepare_cached("INSERT INTO indexed_blobs (sha256) VALUES (?1)")?;
    for (sha, content) in blobs {
        for page in intake::text_pages(&content) {
            let body = intake::clean(&page.text);
            if !body.trim().is_empty() {
                insert.execute(params![body, sha, page.number])?;
            }
        }
        record.execute([&sha])?;
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

#[cfg(test)]
mod ranking_tests {
    use super::*;

    /// Each ranked row's score, beside FTS5's own bm25 of it.
    fn scores(store: &Store, q: &str) -> Vec<(i64, f64, f64)> {
        let mut bm25 = store
            .conn
            .prepare("SELECT bm25(search_index) FROM search_index WHERE search_index MATCH ?1 AND rowid = ?2")
            .unwrap();
        store
            .ranked_rows(q, 1000)
            .unwrap()
            .into_iter()
            .map(|row| (row.rowid, row.rank, bm25.query_row(params![q, row.rowid], |r| r.get(0)).unwrap()))
            .collect()
    }

    /// A narrative written again takes its old rowid with another length; the ranking forgets
    /// the lengths it remembered once `refresh` has run, so its scores stay FTS5's.
    #[test]
    fn the_ranking_follows_a_refreshed_index() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::install(&mut store).unwrap();
        let me = store.me().unwrap().unwrap();
        let (submission, standard): (String, String) = store
            .conn
            .query_row(
                // The submission whose narratives are the index's last rows, so that rows written
                // again take the same rowids.
                "SELECT m.submission_id, m.standard_code FROM mappings m
                 WHERE m.narrative <> '' AND m.submission_id =
                     (SELECT submission_id FROM indexed_narratives ORDER BY fts_rowid DESC LIMIT 1)
                 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let q = fts_query("supervision").unwrap();
        let narrative_rows = |store: &Store| -> Vec<i64> {
            let mut stmt = store
                .conn
                .prepare("SELECT fts_rowid FROM indexed_narratives WHERE submission_id = ?1 ORDER BY 1")
                .unwrap();
            stmt.query_map([&submission], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
        };
        let rewrite = |store: &mut Store, narrative: &str| {
            store
                .conn
                .execute(
                    "UPDATE mappings SET narrative = ?3 WHERE submission_id = ?1 AND standard_code = ?2",
                    params![submission, standard, narrative],
                )
                .unwrap();
            let tx = store.conn.transaction().unwrap();
            refresh(&tx, Some(&[submission.as_str()])).unwrap();
            tx.commit().unwrap();
        };
        rewrite(&mut store, "Supervision is in the portfolio.");
        let before = narrative_rows(&store);
        // The narrative's length is remembered by this search...
        assert!(!store.search(&me, "supervision", None, 20).unwrap().is_empty());
        let g = generation(&store.conn).unwrap();
        // ...and the narrative written again, longer, under the same rowid.
        rewrite(&mut store, &"Supervision in the portfolio. ".repeat(100));
        assert_eq!(narrative_rows(&store), before, "the narratives took their old rowids again");
        assert_eq!(generation(&store.conn).unwrap(), g + 1, "refresh moved the index's generation on");

        let hits = store.search(&me, "supervision", None, 20).unwrap();
        assert!(matches!(&hits[0].place, HitPlace::Narrative { standard: s } if *s == standard), "{:?}", hits[0]);
        for (rowid, ours, fts5) in scores(&store, &q) {
            assert_eq!(ours.to_bits(), fts5.to_bits(), "row {rowid}: {ours} against FTS5's {fts5}");
        }
    }
}
