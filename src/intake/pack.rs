//! Intake of a provider's pack: a folder holding the Word mapping document(s) and the evidence
//! files, turned into a draft `submission.json` package for the officer to check.
//!
//! Every problem is collected (with file, table, row and column) before anything is written;
//! while one error remains nothing is written. Warnings are for the officer to confirm.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::docx::{Block, WordDocument};
use super::{ExtractError, extract, printed_numbering};
use crate::domain::{DocumentRef, EvidenceRef, Framework, FrameworkRef, Mapping, Stage, Submission};
use crate::format::media;

/// The optional `intake.toml` in the pack folder.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub id: Option<String>,
    pub provider: Option<String>,
    pub programme: Option<String>,
    pub award: Option<String>,
    /// Column headings as the mapping document spells them.
    #[serde(default)]
    pub columns: Columns,
    #[serde(default)]
    pub documents: Vec<ManifestDocument>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub standard: Option<String>,
    pub taught: Option<String>,
    pub assessed: Option<String>,
    pub evidence: Option<String>,
    pub narrative: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestDocument {
    pub file: String,
    pub id: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub page_offset: Option<i64>,
}

/// One line of the intake report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `file`, `file, table 1, row 4, column "Evidence"`.
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// What intake made of a pack.
#[derive(Debug, Default)]
pub struct IntakeReport {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// What was read (header fields, printed numbering found, counts).
    pub notes: Vec<Finding>,
    pub draft: Option<Draft>,
}

/// The draft submission and the files it lists.
#[derive(Debug)]
pub struct Draft {
    pub submission: Submission,
    /// Document id → the pack file it is.
    pub files: BTreeMap<String, PathBuf>,
    /// Each evidence file's pages as intake extracted them, by the file's SHA-256: importing
    /// the draft takes them from here instead of extracting every PDF a second time.
    pub extractions: HashMap<String, crate::intake::Extracted>,
}

impl Draft {
    /// The pages of the file with `sha256` by `extractor`, if intake extracted them (for
    /// `format::load_submission_dir_reusing`).
    pub fn extraction(&self, sha256: &str, extractor: &str) -> Option<crate::intake::Extracted> {
        self.extractions.get(sha256).filter(|x| x.extractor == extractor).cloned()
    }
}

struct Evidence {
    file: String,
    path: PathBuf,
    id: String,
    title: String,
    aliases: Vec<String>,
    media_type: &'static str,
    page_offset: Option<i64>,
    pages: u32,
}

const MANIFEST: &str = "intake.toml";

/// Reads the pack in `dir` against the hub's `frameworks`.
pub fn read_pack(dir: &Path, frameworks: &[Framework], today: jiff::civil::Date) -> IntakeReport {
    read_pack_reusing(dir, frameworks, today, |_, _| None)
}

/// As `read_pack`, taking an evidence file's pages from `reuse` when this very file was
/// extracted before by the extractor version in use (the demo's pack: its pages are embedded).
pub fn read_pack_reusing(
    dir: &Path,
    frameworks: &[Framework],
    today: jiff::civil::Date,
    reuse: impl crate::format::Reuse,
) -> IntakeReport {
    let mut report = IntakeReport::default();
    let err = |r: &mut IntakeReport, place: &str, message: String| {
        r.errors.push(Finding { place: place.to_string(), message });
    };
    let manifest: Manifest = match std::fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) => match toml::from_str(&text) {
            Ok(m) => m,
            Err(e) => {
                err(&mut report, MANIFEST, format!("{e}"));
                return report;
            }
        },
        Err(_) => Manifest::default(),
    };
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            err(&mut report, &dir.display().to_string(), format!("cannot read the folder: {e}"));
            return report;
        }
    };
    entries.sort();

    let mut mapping_docs: Vec<(String, WordDocument)> = Vec::new();
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut pdf_named_mapping = Vec::new();
    let mut seen_hashes: HashMap<String, String> = HashMap::new();
    let mut extractions = HashMap::new();
    let mut next_id = 1;
    for path in entries {
        let file = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if file == MANIFEST || file.starts_with('.') {
            continue;
        }
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                err(&mut report, &file, format!("cannot read it: {e}"));
                continue;
            }
        };
        if meta.file_type().is_symlink() {
            err(&mut report, &file, "is a symbolic link; copy the file itself into the pack".into());
            continue;
        }
        if meta.is_dir() {
            continue;
        }
        let media_type = match media::from_file_name(&file) {
            Ok(m) => m,
            Err(why) => {
                err(&mut report, &file, why.to_string());
                continue;
            }
        };
        if meta.len() > super::MAX_FILE_BYTES {
            err(
                &mut report,
                &file,
                ExtractError::TooLarge { file: file.clone(), size: meta.len(), limit: super::MAX_FILE_BYTES }
                    .to_string(),
            );
            continue;
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                err(&mut report, &file, format!("cannot read it: {e}"));
                continue;
            }
        };
        if media_type == media::DOCX {
            match super::docx::read(&file, &bytes) {
                Ok(doc) if is_mapping(&doc, frameworks) => {
                    if doc.tracked_changes {
                        report
                            .warnings
                            .push(Finding { place: file.clone(), message: super::Warning::TrackedChanges.to_string() });
                    }
                    if doc.comments {
                        report
                            .warnings
                            .push(Finding { place: file.clone(), message: super::Warning::Comments.to_string() });
                    }
                    mapping_docs.push((file, doc));
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    err(&mut report, &file, e.to_string());
                    continue;
                }
            }
        }
        if media_type == media::PDF && file.to_lowercase().contains("mapping") {
            pdf_named_mapping.push(file.clone());
        }
        let hash = crate::digest::sha256_hex(&bytes);
        if let Some(first) = seen_hashes.get(&hash) {
            report.warnings.push(Finding {
                place: file.clone(),
                message: format!("is the same file as {first}; only {first} is kept"),
            });
            continue;
        }
        let reused = super::extractor_for(media_type).and_then(|x| reuse(&hash, x));
        seen_hashes.insert(hash.clone(), file.clone());
        let extracted = match reused.map_or_else(|| extract(&file, media_type, &bytes), Ok) {
            Ok(x) => x,
            Err(e) => {
                err(&mut report, &file, e.to_string());
                continue;
            }
        };
        for w in &extracted.warnings {
            report.warnings.push(Finding { place: file.clone(), message: w.to_string() });
        }
        if super::extractor_for(media_type).is_some() {
            extractions.insert(hash, extracted.clone());
        }
        let listed = manifest.documents.iter().find(|d| d.file == file);
        let id = listed.and_then(|d| d.id.clone()).unwrap_or_else(|| {
            let id = format!("E{next_id:02}");
            next_id += 1;
            id
        });
        let stem =
            Path::new(&file).file_stem().map(|s| s.to_string_lossy().replace(['_', '-'], " ")).unwrap_or_default();
        let printed = printed_numbering(&extracted);
        let page_offset = listed.and_then(|d| d.page_offset);
        match (&printed, page_offset) {
            (Some(found), None) if found.offset != 0 => report.warnings.push(Finding {
                place: file.clone(),
                message: format!("{found}: confirm it with page_offset = {} in intake.toml; until then citations are read as physical pages", found.offset),
            }),
            (Some(found), Some(set)) if found.offset != set => report.warnings.push(Finding {
                place: file.clone(),
                message: format!("{found}, but intake.toml sets page_offset = {set}: check which is right"),
            }),
            (Some(found), _) => report.notes.push(Finding { place: file.clone(), message: found.to_string() }),
            (None, _) if media_type == media::PDF => report.notes.push(Finding {
                place: file.clone(),
                message: "no printed page numbers found; citations are read as physical pages".into(),
            }),
            _ => {}
        }
        evidence.push(Evidence {
            title: listed.and_then(|d| d.title.clone()).unwrap_or(stem),
            aliases: listed.map(|d| d.aliases.clone()).unwrap_or_default(),
            file,
            path: path.clone(),
            id,
            media_type,
            page_offset,
            pages: extracted.pages.len() as u32,
        });
    }
    if mapping_docs.is_empty() {
        let message = if let Some(pdf) = pdf_named_mapping.first() {
            format!("the mapping document is given only as PDF ({pdf}); ask the provider for the Word (.docx) file")
        } else {
            "no Word table whose codes match a framework on the hub; check the framework is imported, or name the columns in intake.toml".into()
        };
        err(&mut report, &dir.display().to_string(), message);
        return report;
    }

    let mut header: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut threshold = String::new();
    let mut rows: BTreeMap<String, (String, Mapping)> = BTreeMap::new();
    let mut used: Vec<&Framework> = Vec::new();
    for (file, doc) in &mapping_docs {
        read_header(doc, &mut header, &mut threshold);
        for (t, table) in
            doc.blocks.iter().filter_map(|b| if let Block::Table(r) = b { Some(r) } else { None }).enumerate()
        {
            let Some((head_row, cols)) = find_columns(table, &manifest.columns) else { continue };
            for (r, row) in table.iter().enumerate().skip(head_row + 1) {
                let place = |col: usize| {
                    format!(
                        "{file}, table {}, row {}, column \"{}\"",
                        t + 1,
                        r + 1,
                        table[head_row].get(col).map(String::as_str).unwrap_or("")
                    )
                };
                let cell =
                    |col: Option<usize>| col.and_then(|c| row.get(c)).map(|s| s.trim().to_string()).unwrap_or_default();
                let code_cell = cell(Some(cols.standard));
                if code_cell.is_empty() {
                    continue;
                }
                let Some((framework, code)) = match_code(&code_cell, frameworks) else {
                    err(
                        &mut report,
                        &place(cols.standard),
                        format!("\"{}\" is not a standard of any framework on the hub", first_words(&code_cell)),
                    );
                    continue;
                };
                if !used.iter().any(|f| f.id == framework.id && f.version == framework.version) {
                    used.push(framework);
                }
                let mut evidence_refs = Vec::new();
                for item in split_items(&cell(cols.evidence)) {
                    let cited = cite(&item, &evidence);
                    if let Cited::Found(e) | Cited::Loose(e, _) = &cited
                        && let Some(doc) = evidence.iter().find(|d| d.id == e.document)
                        && let Some((first, last)) = super::locator_pages(&e.locator)
                    {
                        let count = doc.pages as i64 - doc.page_offset.unwrap_or(0).max(0);
                        if first < 1 || last > count {
                            err(
                                &mut report,
                                &place(cols.evidence.unwrap_or(0)),
                                format!(
                                    "{code} cites {} {}, but {} ({}) has {count} pages",
                                    e.document, e.locator, doc.file, doc.title
                                ),
                            );
                        }
                    }
                    match cited {
                        Cited::Found(e) => evidence_refs.push(e),
                        Cited::Loose(e, title) => {
                            report.warnings.push(Finding {
                                place: place(cols.evidence.unwrap_or(0)),
                                message: format!(
                                    "\"{item}\" was read as {} ({title}): confirm it, or add an alias in intake.toml",
                                    e.document
                                ),
                            });
                            evidence_refs.push(e);
                        }
                        Cited::Missing => err(
                            &mut report,
                            &place(cols.evidence.unwrap_or(0)),
                            format!(
                                "\"{item}\" cites a document not in the pack; add the file, or an alias in intake.toml"
                            ),
                        ),
                    }
                }
                let mut narrative = cell(cols.narrative);
                for (label, col) in [("Taught", cols.taught), ("Assessed", cols.assessed)] {
                    let text = cell(col);
                    if !text.is_empty() {
                        narrative.push_str(&format!("\n{label}: {text}"));
                    }
                }
                let here = format!("{file}, table {}, row {}", t + 1, r + 1);
                if let Some((first, _)) = rows.get(&code) {
                    err(
                        &mut report,
                        &here,
                        format!("a second row for {code} (the first is {first}); merge the two rows"),
                    );
                    continue;
                }
                rows.insert(
                    code.clone(),
                    (
                        here,
                        Mapping { standard: code, narrative: narrative.trim().to_string(), evidence: evidence_refs },
                    ),
                );
            }
        }
    }
    for f in &used {
        for (_, st) in f.standards() {
            if !rows.contains_key(&st.code) {
                report.warnings.push(Finding {
                    place: mapping_docs[0].0.clone(),
                    message: format!("{} has no row (not mapped)", st.code),
                });
            }
        }
    }
    if used.is_empty() {
        err(&mut report, &mapping_docs[0].0, "no table row names a standard of a framework on the hub".into());
    }
    for (k, v) in &header {
        report.notes.push(Finding { place: "header".into(), message: format!("{k}: {v}") });
    }
    if !threshold.trim().is_empty() {
        report.notes.push(Finding {
            place: "threshold".into(),
            message: format!("{} characters read", threshold.trim().len()),
        });
    }
    let pick = |m: &Option<String>, k: &str| m.clone().or_else(|| header.get(k).cloned()).unwrap_or_default();
    let provider = pick(&manifest.provider, "provider");
    let programme = pick(&manifest.programme, "programme");
    let award = pick(&manifest.award, "award");
    for (field, value) in [("provider", &provider), ("programme", &programme), ("award", &award)] {
        if value.is_empty() {
            err(&mut report, &mapping_docs[0].0, format!("no {field} found in the header; set {field} in intake.toml"));
        }
    }
    let code = header.get("programme code").cloned();
    let id = manifest.id.clone().or_else(|| {
        code.as_ref()
            .map(|c| format!("S-{}", c.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>()))
    });
    let Some(id) = id else {
        err(
            &mut report,
            MANIFEST,
            "no submission id: set id = \"S-…\" in intake.toml (or give a programme code in the header)".into(),
        );
        return report;
    };
    if !report.errors.is_empty() {
        return report;
    }
    evidence.sort_by(|a, b| a.id.cmp(&b.id));
    let mut files = BTreeMap::new();
    let documents = evidence
        .iter()
        .map(|e| {
            files.insert(e.id.clone(), e.path.clone());
            let ext = Path::new(&e.file).extension().map(|x| x.to_string_lossy().to_lowercase()).unwrap_or_default();
            DocumentRef {
                id: e.id.clone(),
                title: e.title.clone(),
                media_type: e.media_type.to_string(),
                path: format!("documents/{}.{ext}", e.id),
                page_offset: e.page_offset,
            }
        })
        .collect();
    let submission = Submission {
        id,
        frameworks: used
            .iter()
            .map(|f| FrameworkRef { id: f.id.clone(), version: f.version.clone(), standards: None })
            .collect(),
        header: crate::domain::SubmissionHeader {
            provider,
            programme,
            award,
            programme_code: code,
            modes: None,
            version: 1,
            submitted_at: today,
        },
        stage: Stage::Submitted,
        stage_note: (!threshold.trim().is_empty())
            .then(|| format!("Threshold requirements (from the mapping document): {}", threshold.trim())),
        documents,
        mappings: rows.into_values().map(|(_, m)| m).collect(),
    };
    report.notes.push(Finding {
        place: submission.id.clone(),
        message: format!("{} documents, {} standards mapped", submission.documents.len(), submission.mappings.len()),
    });
    report.draft = Some(Draft { submission, files, extractions });
    report
}

/// Writes the draft package (submission.json and documents/) into `out`.
pub fn write_draft(draft: &Draft, out: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(out.join("documents"))?;
    for doc in &draft.submission.documents {
        if let Some(src) = draft.files.get(&doc.id) {
            std::fs::copy(src, out.join(&doc.path))?;
        }
    }
    let mut value = serde_json::to_value(&draft.submission).map_err(std::io::Error::other)?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("format".into(), crate::format::SUBMISSION_FORMAT.into());
    }
    let text = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
    std::fs::write(out.join("submission.json"), text + "\n")
}

fn is_mapping(doc: &WordDocument, frameworks: &[Framework]) -> bool {
    doc.blocks.iter().any(|b| match b {
        Block::Table(rows) => rows.iter().any(|r| r.first().is_some_and(|c| match_code(c, frameworks).is_some())),
        _ => false,
    })
}

const HEADER_FIELDS: [(&str, &[&str]); 6] = [
    ("provider", &["education provider", "provider", "university", "institution"]),
    ("programme", &["programme name", "name of programme", "programme title", "programme"]),
    ("programme code", &["programme code", "code or link", "programme link", "code"]),
    ("award", &["award", "qualification"]),
    ("validated", &["date of the most recent validation", "most recent validation", "date of validation"]),
    ("next validation", &["next validation", "date the next validation"]),
];

/// Header fields (`Label: value` paragraphs, or two-cell table rows) and the threshold section
/// (the paragraphs under a heading naming "threshold").
fn read_header(doc: &WordDocument, header: &mut BTreeMap<&'static str, String>, threshold: &mut String) {
    let mut in_threshold = false;
    let field = |label: &str, value: &str, header: &mut BTreeMap<&'static str, String>| {
        let label = label.trim().trim_end_matches(':').to_lowercase();
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        for (key, names) in HEADER_FIELDS {
            if names.iter().any(|n| label.starts_with(n) || label == *n) && !header.contains_key(key) {
                header.insert(key, value.to_string());
                return;
            }
        }
    };
    for block in &doc.blocks {
        match block {
            Block::Paragraph { text, heading, .. } => {
                if *heading || text.to_lowercase().starts_with("threshold") {
                    in_threshold = text.to_lowercase().contains("threshold");
                    continue;
                }
                if in_threshold {
                    threshold.push_str(text.trim());
                    threshold.push('\n');
                } else if let Some((label, value)) = text.split_once(':') {
                    field(label, value, header);
                }
            }
            Block::Table(rows) => {
                in_threshold = false;
                for row in rows {
                    if let [label, value] = row.as_slice() {
                        field(label, value, header);
                    }
                }
            }
            Block::PageBreak => {}
        }
    }
}

struct ColumnIndex {
    standard: usize,
    taught: Option<usize>,
    assessed: Option<usize>,
    evidence: Option<usize>,
    narrative: Option<usize>,
}

/// The heading row and the columns, matched by meaning (or by the manifest's names).
fn find_columns(table: &[Vec<String>], names: &Columns) -> Option<(usize, ColumnIndex)> {
    for (i, row) in table.iter().enumerate().take(3) {
        let heads: Vec<String> = row.iter().map(|h| h.to_lowercase()).collect();
        let find = |given: &Option<String>, words: &[&str]| -> Option<usize> {
            match given {
                Some(name) => heads.iter().position(|h| h.trim() == name.to_lowercase().trim()),
                None => heads.iter().position(|h| words.iter().any(|w| h.contains(w))),
            }
        };
        let Some(standard) = find(&names.standard, &["capabilit", "standard", "code", "requirement"]) else { continue };
        let evidence = find(&names.evidence, &["evidence", "document"]);
        let narrative =
            find(&names.narrative, &["narrative", "how the programme", "commentary", "rationale", "explanation"]);
        if evidence.is_none() && narrative.is_none() {
            continue;
        }
        let taught = find(&names.taught, &["taught", "where covered", "learning outcome"]);
        let assessed = find(&names.assessed, &["assessed", "assessment"]);
        return Some((i, ColumnIndex { standard, taught, assessed, evidence, narrative }));
    }
    None
}

fn normal_code(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

/// The framework standard a cell starts with ("MPF 1.3 Practise in…" → MPF 1.3).
fn match_code<'f>(cell: &str, frameworks: &'f [Framework]) -> Option<(&'f Framework, String)> {
    let cell = normal_code(cell);
    let mut best: Option<(&Framework, String)> = None;
    for f in frameworks {
        for (_, st) in f.standards() {
            let code = normal_code(&st.code);
            let rest = cell.strip_prefix(&code);
            if rest.is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.'))
                && best.as_ref().is_none_or(|(_, b)| b.len() < st.code.len())
            {
                best = Some((f, st.code.clone()));
            }
        }
    }
    best
}

fn first_words(text: &str) -> String {
    text.split_whitespace().take(4).collect::<Vec<_>>().join(" ")
}

fn split_items(cell: &str) -> Vec<String> {
    cell.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

enum Cited {
    Found(EvidenceRef),
    Loose(EvidenceRef, String),
    Missing,
}

/// Reads one evidence item: a document (its id, file name, title or alias) and a locator.
fn cite(item: &str, evidence: &[Evidence]) -> Cited {
    let (doc_part, locator) = split_locator(item);
    let doc_norm = doc_part.trim().trim_end_matches([',', ':']).trim().to_lowercase();
    let exact = evidence.iter().find(|e| {
        e.id.to_lowercase() == doc_norm
            || e.file.to_lowercase() == doc_norm
            || e.title.to_lowercase() == doc_norm
            || e.aliases.iter().any(|a| a.to_lowercase() == doc_norm)
    });
    let make = |e: &Evidence| EvidenceRef { document: e.id.clone(), locator: locator.clone() };
    if let Some(e) = exact {
        return Cited::Found(make(e));
    }
    if doc_norm.len() >= 4 {
        let loose = evidence.iter().find(|e| {
            let t = e.title.to_lowercase();
            t.contains(&doc_norm)
                || doc_norm.contains(&t)
                || e.aliases.iter().any(|a| a.to_lowercase().contains(&doc_norm))
        });
        if let Some(e) = loose {
            return Cited::Loose(make(e), e.title.clone());
        }
    }
    Cited::Missing
}

/// Splits `Module descriptors, p. 4` into ("Module descriptors", "p.4"); `section 3.2` stays
/// `section 3.2`; without a locator the whole item names the document.
fn split_locator(item: &str) -> (String, String) {
    let lower = item.to_lowercase();
    let starts = [" pp.", " pp ", " p.", " p ", " pages ", " page ", " section ", " §", ",pp.", ",p."];
    let at = starts.iter().filter_map(|s| lower.find(s)).min();
    match at {
        Some(i) => {
            let locator = item[i..].trim().trim_start_matches(',').trim();
            let normal = match super::locator_pages(locator) {
                Some((a, b)) if a == b => format!("p.{a}"),
                Some((a, b))
                    if locator.to_lowercase().starts_with("pp") || locator.to_lowercase().starts_with("pages") =>
                {
                    format!("pp.{a}–{b}")
                }
                Some((a, b)) => format!("p.{a}–{b}"),
                None => locator.to_string(),
            };
            (item[..i].to_string(), normal)
        }
        None => (item.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_cells_are_parsed() {
        assert_eq!(split_locator("E02 p.4"), ("E02".into(), "p.4".into()));
        assert_eq!(split_locator("Module descriptors, p. 4"), ("Module descriptors,".into(), "p.4".into()));
        assert_eq!(split_locator("E03 pp.3-4"), ("E03".into(), "pp.3–4".into()));
        assert_eq!(split_locator("Handbook pages 3–5"), ("Handbook".into(), "pp.3–5".into()));
        assert_eq!(split_locator("E01 section 3.2"), ("E01".into(), "section 3.2".into()));
        assert_eq!(split_items("E01 p.2; E02 p.4\nE03"), ["E01 p.2", "E02 p.4", "E03"]);
    }
}
