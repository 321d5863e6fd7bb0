//! The cache's schema, as an ordered list of migrations.
//!
//! A migration is never edited once released: a change is a new entry at the end. Each runs in
//! its own transaction with `user_version` bumped in the same transaction, so a crash leaves the
//! database at one version or the next, never between.

use rusqlite::Connection;

pub const MIGRATIONS: &[&str] = &[
    // 1: the offline reviewer workstation.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE people (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        title      TEXT NOT NULL DEFAULT '',
        background TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE frameworks (
        id                 TEXT NOT NULL,
        version            TEXT NOT NULL,
        title              TEXT NOT NULL,
        official           INTEGER NOT NULL,
        note               TEXT,
        rationale_required TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );
    CREATE TABLE sections (
        framework_id      TEXT NOT NULL,
        framework_version TEXT NOT NULL,
        code              TEXT NOT NULL,
        title             TEXT NOT NULL,
        ord               INTEGER NOT NULL,
        PRIMARY KEY (framework_id, framework_version, code),
        FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version) ON DELETE CASCADE
    );
    CREATE TABLE standards (
        framework_id      TEXT NOT NULL,
        framework_version TEXT NOT NULL,
        code              TEXT NOT NULL,
        section_code      TEXT NOT NULL,
        title             TEXT NOT NULL,
        statement         TEXT NOT NULL,
        guidance          TEXT NOT NULL,
        ord               INTEGER NOT NULL,
        PRIMARY KEY (framework_id, framework_version, code),
        FOREIGN KEY (framework_id, framework_version, section_code)
            REFERENCES sections (framework_id, framework_version, code) ON DELETE CASCADE
    );
    CREATE TABLE submissions (
        id             TEXT PRIMARY KEY,
        provider       TEXT NOT NULL,
        programme      TEXT NOT NULL,
        award          TEXT NOT NULL,
        programme_code TEXT,
        modes          TEXT,
        version        INTEGER NOT NULL,
        submitted_at   TEXT NOT NULL,
        stage          TEXT NOT NULL,
        stage_note     TEXT
    );
    -- The standards under review in a submission, in display order.
    CREATE TABLE submission_standards (
        submission_id     TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
        standard_code     TEXT NOT NULL,
        framework_id      TEXT NOT NULL,
        framework_version TEXT NOT NULL,
        ord               INTEGER NOT NULL,
        PRIMARY KEY (submission_id, standard_code),
        FOREIGN KEY (framework_id, framework_version, standard_code)
            REFERENCES standards (framework_id, framework_version, code)
    );
    -- Document contents, stored once by SHA-256 of their bytes.
    CREATE TABLE blobs (
        sha256  TEXT PRIMARY KEY,
        content TEXT NOT NULL
    );
    CREATE TABLE documents (
        submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
        id            TEXT NOT NULL,
        title         TEXT NOT NULL,
        media_type    TEXT NOT NULL,
        sha256        TEXT NOT NULL REFERENCES blobs (sha256),
        ord           INTEGER NOT NULL,
        PRIMARY KEY (submission_id, id)
    );
    CREATE TABLE mappings (
        submission_id TEXT NOT NULL,
        standard_code TEXT NOT NULL,
        narrative     TEXT NOT NULL,
        evidence      TEXT NOT NULL,
        PRIMARY KEY (submission_id, standard_code),
        FOREIGN KEY (submission_id, standard_code)
            REFERENCES submission_standards (submission_id, standard_code) ON DELETE CASCADE
    );
    CREATE TABLE panels (
        submission_id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
        chair         TEXT NOT NULL REFERENCES people (id),
        reviews_due   TEXT NOT NULL,
        panel_date    TEXT
    );
    CREATE TABLE panel_members (
        submission_id  TEXT NOT NULL REFERENCES panels (submission_id) ON DELETE CASCADE,
        user_id        TEXT NOT NULL REFERENCES people (id),
        role           TEXT NOT NULL,
        standards      TEXT,
        recused        INTEGER NOT NULL DEFAULT 0,
        recusal_reason TEXT,
        PRIMARY KEY (submission_id, user_id)
    );
    CREATE INDEX panel_members_by_user ON panel_members (user_id);
    CREATE TABLE judgements (
        submission_id TEXT NOT NULL,
        standard_code TEXT NOT NULL,
        reviewer_id   TEXT NOT NULL REFERENCES people (id),
        outcome       TEXT,
        rationale     TEXT NOT NULL DEFAULT '',
        state         TEXT NOT NULL,
        version       INTEGER NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (submission_id, reviewer_id, standard_code),
        FOREIGN KEY (submission_id, standard_code)
            REFERENCES submission_standards (submission_id, standard_code) ON DELETE CASCADE
    );
    -- Local changes not yet acknowledged by the hub. Unsent ops on one entity coalesce.
    CREATE TABLE outbox (
        op_id      TEXT PRIMARY KEY,
        entity     TEXT NOT NULL,
        entity_key TEXT NOT NULL,
        base_rev   INTEGER NOT NULL,
        payload    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent       INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX outbox_unsent_entity ON outbox (entity, entity_key) WHERE sent = 0;
    "#,
    // 2: syncing with the hub.
    r#"
    -- The hub's revision of each judgement as this replica last saw it.
    ALTER TABLE judgements ADD COLUMN hub_rev INTEGER NOT NULL DEFAULT 0;
    -- Pushes the hub did not apply: a conflict (someone changed it first) or a rejection.
    -- Both texts are kept until the user chooses; nothing typed is discarded.
    CREATE TABLE conflicts (
        id            INTEGER PRIMARY KEY,
        submission_id TEXT NOT NULL,
        standard_code TEXT NOT NULL,
        reviewer_id   TEXT NOT NULL,
        kind          TEXT NOT NULL,
        mine          TEXT NOT NULL,
        theirs        TEXT,
        reason        TEXT,
        created_at    TEXT NOT NULL,
        resolved_at   TEXT,
        resolution    TEXT
    );
    CREATE INDEX conflicts_open ON conflicts (submission_id, standard_code, reviewer_id) WHERE resolved_at IS NULL;
    CREATE TABLE sync_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        level   TEXT NOT NULL,
        message TEXT NOT NULL
    );
    "#,
    // 3: the chair's consolidation, one document per submission (only the chair writes it),
    // and the panel reports pushed to the hub.
    r#"
    CREATE TABLE consolidations (
        submission_id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
        body          TEXT NOT NULL,
        version       INTEGER NOT NULL,
        hub_rev       INTEGER NOT NULL DEFAULT 0,
        updated_at    TEXT NOT NULL
    );
    CREATE TABLE reports (
        submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
        version       INTEGER NOT NULL,
        sha256        TEXT NOT NULL,
        json          TEXT NOT NULL,
        markdown      TEXT NOT NULL,
        html          TEXT NOT NULL,
        pushed_by     TEXT NOT NULL,
        pushed_at     TEXT NOT NULL,
        PRIMARY KEY (submission_id, version),
        UNIQUE (submission_id, sha256)
    );
    "#,
    // 4: evidence as pages: the originals of extracted documents (PDF, DOCX, XLSX) kept byte
    // for byte, which document came from which original by which extractor, and a full-text
    // index over pages, narratives and standards (filled from Rust, see store/search.rs).
    r#"
    CREATE TABLE originals (
        sha256     TEXT PRIMARY KEY,
        media_type TEXT NOT NULL,
        bytes      BLOB NOT NULL
    );
    CREATE TABLE document_originals (
        submission_id   TEXT NOT NULL,
        document_id     TEXT NOT NULL,
        original_sha256 TEXT NOT NULL REFERENCES originals (sha256),
        extractor       TEXT NOT NULL,
        pages           INTEGER NOT NULL,
        notes           TEXT NOT NULL,
        PRIMARY KEY (submission_id, document_id),
        FOREIGN KEY (submission_id, document_id) REFERENCES documents (submission_id, id) ON DELETE CASCADE
    );
    -- kind 'page': key1 = blob sha256, key2 = page number; 'narrative': key1 = submission,
    -- key2 = standard; 'standard': key1 = framework id@version, key2 = code.
    CREATE VIRTUAL TABLE search_index USING fts5 (
        body, kind UNINDEXED, key1 UNINDEXED, key2 UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE indexed_blobs (sha256 TEXT PRIMARY KEY);
    CREATE TABLE indexed_frameworks (framework TEXT PRIMARY KEY);
    "#,
    // 5: each pushed version also as the provider's letter (no internal appendix), beside the
    // panel's record in `reports`.
    r#"
    CREATE TABLE report_letters (
        submission_id TEXT NOT NULL,
        version       INTEGER NOT NULL,
        json          TEXT NOT NULL,
        markdown      TEXT NOT NULL,
        html          TEXT NOT NULL,
        PRIMARY KEY (submission_id, version),
        FOREIGN KEY (submission_id, version) REFERENCES reports (submission_id, version) ON DELETE CASCADE
    );
    "#,
    // 6: extracted pages keyed by the original file's SHA-256 and the extractor's version, so
    // importing the same file again reuses them and a new extractor version extracts it again
    // (store/extractions.rs). Not filled from earlier imports: their warnings and labels were
    // not kept, and a cache entry that lost them would hide them; such a file is extracted once
    // more when next imported. And the lookups a search makes per hit, and per import
    // (store/search.rs).
    r#"
    CREATE TABLE extractions (
        original_sha256 TEXT NOT NULL,
        extractor       TEXT NOT NULL,
        -- The pages behind physical [page N] markers, no offset applied (not a blob: blobs are
        -- what documents show, and every blob is indexed for search).
        pages_text      TEXT NOT NULL,
        pages           INTEGER NOT NULL,
        -- What the extractor warned about (a JSON array of intake::Warning).
        warnings        TEXT NOT NULL,
        -- The PDF's /PageLabels, one per physical page (a JSON array), or NULL.
        page_labels     TEXT,
        PRIMARY KEY (original_sha256, extractor)
    );
    CREATE INDEX documents_by_sha256 ON documents (sha256);
    CREATE INDEX submission_standards_by_code ON submission_standards (standard_code);
    -- Which rows of the index are a submission's narratives, so a re-import replaces them without
    -- reading the whole index (its key columns are UNINDEXED).
    CREATE TABLE indexed_narratives (
        submission_id TEXT NOT NULL,
        fts_rowid     INTEGER NOT NULL,
        PRIMARY KEY (submission_id, fts_rowid)
    );
    INSERT INTO indexed_narratives (submission_id, fts_rowid)
        SELECT key1, rowid FROM search_index WHERE kind = 'narrative';
    "#,
    // 7: a replica learns which original a document came from (from the hub's change feed) before
    // it holds the original's bytes, and fetches them afterwards: the link no longer needs the
    // bytes to be here (`originals` holds those this machine has), and keeps the original's size.
    r#"
    CREATE TABLE document_originals_7 (
        submission_id   TEXT NOT NULL,
        document_id     TEXT NOT NULL,
        original_sha256 TEXT NOT NULL,
        extractor       TEXT NOT NULL,
        pages           INTEGER NOT NULL,
        notes           TEXT NOT NULL,
        size            INTEGER NOT NULL,
        PRIMARY KEY (submission_id, document_id),
        FOREIGN KEY (submission_id, document_id) REFERENCES documents (submission_id, id) ON DELETE CASCADE
    );
    INSERT INTO document_originals_7 (submission_id, document_id, original_sha256, extractor, pages, notes, size)
        SELECT d.submission_id, d.document_id, d.original_sha256, d.extractor, d.pages, d.notes,
               coalesce((SELECT length(o.bytes) FROM originals o WHERE o.sha256 = d.original_sha256), 0)
        FROM document_originals d;
    DROP TABLE document_originals;
    ALTER TABLE document_originals_7 RENAME TO document_originals;
    CREATE INDEX document_originals_by_sha256 ON document_originals (original_sha256);
    "#,
];

/// The schema version a fully migrated cache has.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies every migration newer than the database's `user_version`.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<i64> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 7 keeps every link from a document to its original, with the original's size.
    #[test]
    fn migration_7_keeps_the_links_to_originals_with_their_sizes() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        for (i, sql) in MIGRATIONS.iter().take(6).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO submissions (id, provider, programme, award, version, submitted_at, stage)
                 VALUES ('S-1', 'p', 'p', 'a', 1, '2026-01-01', 'standards_review');
             INSERT INTO blobs (sha256, content) VALUES ('t', '[page 1]');
             INSERT INTO documents (submission_id, id, title, media_type, sha256, ord)
                 VALUES ('S-1', 'E01', 'Spec', 'application/pdf', 't', 0);
             INSERT INTO originals (sha256, media_type, bytes) VALUES ('o', 'application/pdf', x'25504446');
             INSERT INTO document_originals (submission_id, document_id, original_sha256, extractor, pages, notes)
                 VALUES ('S-1', 'E01', 'o', 'pdftotext-layout/2', 1, 'a note');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let row: (String, String, i64, String, i64) = conn
            .query_row(
                "SELECT document_id, original_sha256, pages, notes, size FROM document_originals WHERE submission_id = 'S-1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(row, ("E01".into(), "o".into(), 1, "a note".into(), 4));
        // A link no longer needs the bytes to be here (a replica fetches them afterwards), and
        // still goes with its document.
        conn.execute_batch(
            "INSERT INTO documents (submission_id, id, title, media_type, sha256, ord)
                 VALUES ('S-1', 'E02', 'Handbook', 'application/pdf', 't', 1);
             INSERT INTO document_originals (submission_id, document_id, original_sha256, extractor, pages, notes, size)
                 VALUES ('S-1', 'E02', 'not-here-yet', 'pdftotext-layout/2', 3, '', 9);
             DELETE FROM documents WHERE submission_id = 'S-1';",
        )
        .unwrap();
        let left: i64 = conn.query_row("SELECT count(*) FROM document_originals", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn every_migration_applies_from_every_earlier_version() {
        for start in 0..=MIGRATIONS.len() {
            let mut conn = Connection::open_in_memory().unwrap();
            for (i, sql) in MIGRATIONS.iter().take(start).enumerate() {
                conn.execute_batch(sql).unwrap();
                conn.pragma_update(None, "user_version", (i + 1) as i64).unwrap();
            }
            assert_eq!(migrate(&mut conn).unwrap(), start as i64);
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
            assert_eq!(version, latest_version());
            // Migrating again is a no-op.
            assert_eq!(migrate(&mut conn).unwrap(), latest_version());
        }
    }
}
