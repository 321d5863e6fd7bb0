//! Writing frameworks, submissions, people and panels into the cache.

use std::collections::HashMap;

use rusqlite::{Transaction, params};

use super::{Result, Store, now_timestamp};
use crate::domain::{Framework, Person};
use crate::format::{PanelPackage, SubmissionPackage};

impl Store {
    /// Imports a framework version; a version already in the cache is kept as it is, since a
    /// framework version never changes (a change is a new version).
    pub fn import_framework(&mut self, framework: &Framework) -> Result<()> {
        let tx = self.conn.transaction()?;
        import_framework(&tx, framework)?;
        tx.commit()?;
        Ok(())
    }

    /// Imports (or replaces) a submission with its documents; judgements already made on
    /// standards still under review are kept.
    pub fn import_submission(&mut self, package: &SubmissionPackage) -> Result<()> {
        let tx = self.conn.transaction()?;
        import_submission(&tx, package)?;
        tx.commit()?;
        Ok(())
    }

    pub fn import_people(&mut self, people: &[Person]) -> Result<()> {
        let tx = self.conn.transaction()?;
        import_people(&tx, people)?;
        tx.commit()?;
        Ok(())
    }

    /// Imports a panel and the judgements its members have already made.
    pub fn import_panel(&mut self, demo: &PanelPackage) -> Result<()> {
        let tx = self.conn.transaction()?;
        import_panel(&tx, demo)?;
        tx.commit()?;
        Ok(())
    }
}

pub(crate) fn import_framework(tx: &Transaction<'_>, framework: &Framework) -> Result<()> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM frameworks WHERE id = ?1 AND version = ?2)",
        (&framework.id, &framework.version),
        |r| r.get(0),
    )?;
    if exists {
        return Ok(());
    }
    let required = serde_json::to_string(&framework.rationale_required).unwrap_or_else(|_| "[]".into());
    tx.prepare_cached(
        "INSERT INTO frameworks (id, version, title, official, note, rationale_required) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![framework.id, framework.version, framework.title, framework.official, framework.note, required])?;
    let mut ord = 0;
    for (i, section) in framework.sections.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO sections (framework_id, framework_version, code, title, ord) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![framework.id, framework.version, section.code, section.title, i as i64])?;
        for standard in &section.standards {
            tx.prepare_cached(
                "INSERT INTO standards (framework_id, framework_version, code, section_code, title, statement, guidance, ord)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                framework.id,
                framework.version,
                standard.code,
                section.code,
                standard.title,
                standard.statement,
                standard.guidance,
                ord,
            ])?;
            ord += 1;
        }
    }
    Ok(())
}

pub(crate) fn import_submission(tx: &Transaction<'_>, package: &SubmissionPackage) -> Result<()> {
    import_submission_with(tx, package, &HashMap::new())?;
    super::search::refresh(tx, Some(&[package.submission.id.as_str()]))
}

/// `import_submission`, where `stored` names (by document id) the SHA-256 of documents whose text
/// is already in `blobs` under that hash and is not in the package: a replica keeps each
/// downloaded text (checked against its hash) before applying the submission, and hashing and
/// copying megabytes of it once more was a large part of a first sync. The search index is the
/// caller's to refresh (`search::refresh`), once after everything it imports in the transaction.
pub(crate) fn import_submission_with(
    tx: &Transaction<'_>,
    package: &SubmissionPackage,
    stored: &HashMap<String, String>,
) -> Result<()> {
    let s = &package.submission;
    let h = &s.header;
    tx.prepare_cached(
        "INSERT INTO submissions (id, provider, programme, award, programme_code, modes, version, submitted_at, stage, stage_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, programme = excluded.programme,
         award = excluded.award, programme_code = excluded.programme_code, modes = excluded.modes,
         version = excluded.version, submitted_at = excluded.submitted_at, stage = excluded.stage,
         stage_note = excluded.stage_note",
    )?
    .execute(params![
        s.id,
        h.provider,
        h.programme,
        h.award,
        h.programme_code,
        h.modes,
        h.version,
        h.submitted_at.to_string(),
        s.stage.as_str(),
        s.stage_note,
    ])?;
    tx.prepare_cached("DELETE FROM mappings WHERE submission_id = ?1")?.execute([&s.id])?;
    tx.prepare_cached("DELETE FROM documents WHERE submission_id = ?1")?.execute([&s.id])?;
    insert_scope(tx, package)?;
    for (ord, doc) in s.documents.iter().enumerate() {
        let hash = match (package.documents.get(&doc.id), stored.get(&doc.id)) {
            (None, Some(hash)) => hash.clone(),
            (content, _) => store_blob(tx, content.map(String::as_str).unwrap_or_default())?,
        };
        tx.prepare_cached(
            "INSERT INTO documents (submission_id, id, title, media_type, sha256, ord) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![s.id, doc.id, doc.title, doc.media_type, hash, ord as i64])?;
    }
    for mapping in &s.mappings {
        let evidence = serde_json::to_string(&mapping.evidence).unwrap_or_else(|_| "[]".into());
        tx.prepare_cached(
            "INSERT INTO mappings (submission_id, standard_code, narrative, evidence) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![s.id, mapping.standard, mapping.narrative, evidence])?;
    }
    for (id, original) in &package.originals {
        let media_type = s.documents.iter().find(|d| &d.id == id).map(|d| d.media_type.as_str()).unwrap_or_default();
        tx.prepare_cached("INSERT OR IGNORE INTO originals (sha256, media_type, bytes) VALUES (?1, ?2, ?3)")?
            .execute(params![original.sha256, media_type, original.bytes])?;
        tx.prepare_cached(
            "INSERT INTO document_originals (submission_id, document_id, original_sha256, extractor, pages, notes, size)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            s.id,
            id,
            original.sha256,
            original.extractor,
            original.pages,
            original.notes.join("\n"),
            original.bytes.len() as i64,
        ])?;
        super::extractions::keep(tx, original)?;
    }
    Ok(())
}

pub(crate) fn import_people(tx: &Transaction<'_>, people: &[Person]) -> Result<()> {
    for p in people {
        tx.prepare_cached(
            "INSERT INTO people (id, name, title, background) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, background = excluded.background",
        )?
        .execute(params![p.id, p.name, p.title, p.background])?;
    }
    Ok(())
}

pub(crate) fn import_panel(tx: &Transaction<'_>, demo: &PanelPackage) -> Result<()> {
    let panel = &demo.panel;
    tx.prepare_cached("DELETE FROM panels WHERE submission_id = ?1")?.execute([&panel.submission])?;
    tx.prepare_cached("INSERT INTO panels (submission_id, chair, reviews_due, panel_date) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            panel.submission,
            panel.chair,
            panel.reviews_due.to_string(),
            panel.panel_date.map(|d| d.to_string())
        ])?;
    for m in &panel.members {
        let standards = m.standards.as_ref().map(|s| serde_json::to_string(s).unwrap_or_else(|_| "[]".into()));
        tx.prepare_cached(
            "INSERT INTO panel_members (submission_id, user_id, role, standards, recused, recusal_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![panel.submission, m.user, m.role.as_str(), standards, m.recused, m.recusal_reason])?;
    }
    let now = now_timestamp();
    for j in &demo.judgements {
        tx.prepare_cached(
            "INSERT INTO judgements (submission_id, standard_code, reviewer_id, outcome, rationale, state, version, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)
             ON CONFLICT (submission_id, reviewer_id, standard_code) DO UPDATE SET outcome = excluded.outcome,
             rationale = excluded.rationale, state = excluded.state, version = version + 1, updated_at = excluded.updated_at",
        )?
        .execute(params![
            panel.submission,
            j.standard,
            j.reviewer,
            j.outcome.map(|o| o.as_str()),
            j.rationale,
            j.state.as_str(),
            now,
        ])?;
    }
    Ok(())
}

/// Records which standards the submission is judged against, in framework order.
fn insert_scope(tx: &Transaction<'_>, package: &SubmissionPackage) -> Result<()> {
    let s = &package.submission;
    tx.prepare_cached(
        "DELETE FROM submission_standards WHERE submission_id = ?1 AND standard_code NOT IN (SELECT standard_code FROM judgements WHERE submission_id = ?1)",
    )?
    .execute([&s.id])?;
    let mut ord = 0i64;
    for fref in &s.frameworks {
        let mut codes = tx.prepare_cached(
            "SELECT code FROM standards WHERE framework_id = ?1 AND framework_version = ?2 ORDER BY ord",
        )?;
        let all: Vec<String> =
            codes.query_map((&fref.id, &fref.version), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for code in all {
            if fref.standards.as_ref().is_some_and(|limited| !limited.contains(&code)) {
                continue;
            }
            tx.prepare_cached(
                "INSERT INTO submission_standards (submission_id, standard_code, framework_id, framework_version, ord)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (submission_id, standard_code) DO UPDATE SET framework_id = excluded.framework_id,
                   framework_version = excluded.framework_version, ord = excluded.ord",
            )?
            .execute(params![s.id, code, fref.id, fref.version, ord])?;
            ord += 1;
        }
    }
    Ok(())
}

pub(crate) fn store_blob(tx: &Transaction<'_>, content: &str) -> Result<String> {
    let hash = crate::digest::sha256_hex(content.as_bytes());
    tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, content) VALUES (?1, ?2)")?.execute((&hash, content))?;
    Ok(hash)
}
