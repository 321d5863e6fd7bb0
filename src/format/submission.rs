use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use jiff::civil::Date;
use serde::Deserialize;

use super::{Checker, FormatError, Problem, SUBMISSION_FORMAT, is_identifier, parse_json};
use crate::domain::{DocumentRef, Framework, FrameworkRef, Mapping, Stage, Submission, SubmissionHeader};

/// The file as written. Flat, not embedding `SubmissionHeader` flattened: serde's
/// `deny_unknown_fields` does not work through `flatten`, and a misspelt field must be refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmissionFile {
    #[allow(dead_code)]
    format: String,
    id: String,
    frameworks: Vec<FrameworkRef>,
    provider: String,
    programme: String,
    award: String,
    #[serde(default)]
    programme_code: Option<String>,
    #[serde(default)]
    modes: Option<String>,
    version: u32,
    submitted_at: Date,
    stage: Stage,
    #[serde(default)]
    stage_note: Option<String>,
    #[serde(default)]
    documents: Vec<DocumentRef>,
    #[serde(default)]
    mappings: Vec<Mapping>,
}

/// Parses and validates a `submission.json` against the frameworks it names.
///
/// `find_framework` looks a framework up by id and version (in the cache, or among the
/// fixtures); a submission naming one that is not known is refused.
pub fn parse_submission<'f>(
    file: &str,
    text: &str,
    find_framework: impl Fn(&str, &str) -> Option<&'f Framework>,
) -> Result<Submission, FormatError> {
    let s: SubmissionFile = parse_json(file, text, SUBMISSION_FORMAT)?;
    let mut check = Checker::default();
    if !is_identifier(&s.id, &['-', '_']) {
        check.push(
            "id",
            format!("\"{}\" is not a submission id", s.id),
            "use letters, digits and '-', like \"S-2026-014\"",
        );
    }
    check.non_empty(|| "provider".into(), &s.provider);
    check.non_empty(|| "programme".into(), &s.programme);
    check.non_empty(|| "award".into(), &s.award);
    if s.version == 0 {
        check.push("version", "version 0", "the first submission of a programme is version 1");
    }
    if s.frameworks.is_empty() {
        check.push(
            "frameworks",
            "no framework named",
            "name the frameworks the programme is judged against, like {\"id\": \"mpf-2017\", \"version\": \"2017\"}",
        );
    }

    let mut in_scope: HashSet<&str> = HashSet::new();
    for (i, fref) in s.frameworks.iter().enumerate() {
        let Some(framework) = find_framework(&fref.id, &fref.version) else {
            check.push(
                format!("frameworks[{i}]"),
                format!("framework {} version {} is not known", fref.id, fref.version),
                "import that framework first, or correct the id and version",
            );
            continue;
        };
        match &fref.standards {
            None => in_scope.extend(framework.standards().map(|(_, st)| st.code.as_str())),
            Some(limited) => {
                if limited.is_empty() {
                    check.push(
                        format!("frameworks[{i}].standards"),
                        "an empty list of standards",
                        "leave \"standards\" out to review the whole framework",
                    );
                }
                for (j, code) in limited.iter().enumerate() {
                    match framework.standard(code) {
                        Some(st) => {
                            in_scope.insert(st.code.as_str());
                        }
                        None => check.push(
                            format!("frameworks[{i}].standards[{j}]"),
                            format!("standard \"{code}\" is not in {} {}", fref.id, fref.version),
                            "use a standard code from that framework",
                        ),
                    }
                }
            }
        }
    }

    let mut document_ids = HashSet::new();
    for (i, doc) in s.documents.iter().enumerate() {
        let at = |field: &str| format!("documents[{i}].{field}");
        check.non_empty(|| at("id"), &doc.id);
        check.non_empty(|| at("title"), &doc.title);
        if !document_ids.insert(doc.id.as_str()) {
            check.push(at("id"), format!("document id \"{}\" is used twice", doc.id), "give each document its own id");
        }
        if !super::media::ALL.contains(&doc.media_type.as_str()) {
            check.push(
                at("media_type"),
                format!("media type \"{}\" is not supported", doc.media_type),
                "use text/plain, text/markdown, application/pdf, or the DOCX or XLSX media type",
            );
        }
        if !is_relative_inside(&doc.path) {
            check.push(
                at("path"),
                format!("path \"{}\" leaves the submission folder", doc.path),
                "give a path relative to the folder of submission.json, without '..'",
            );
        }
    }

    let mut mapped = HashSet::new();
    for (i, mapping) in s.mappings.iter().enumerate() {
        if !in_scope.is_empty() && !in_scope.contains(mapping.standard.as_str()) {
            check.push(
                format!("mappings[{i}].standard"),
                format!("standard \"{}\" is not under review in this submission", mapping.standard),
                "map only standards of the named frameworks (and of their \"standards\" lists)",
            );
        }
        if !mapped.insert(mapping.standard.as_str()) {
            check.push(
                format!("mappings[{i}].standard"),
                format!("standard \"{}\" is mapped twice", mapping.standard),
                "merge the two mappings into one",
            );
        }
        for (j, evidence) in mapping.evidence.iter().enumerate() {
            if !document_ids.contains(evidence.document.as_str()) {
                check.push(
                    format!("mappings[{i}].evidence[{j}].document"),
                    format!("document \"{}\" is not in the documents list", evidence.document),
                    "cite a listed document id, or add the document to \"documents\"",
                );
            }
        }
    }

    let submission = Submission {
        id: s.id,
        frameworks: s.frameworks,
        header: SubmissionHeader {
            provider: s.provider,
            programme: s.programme,
            award: s.award,
            programme_code: s.programme_code,
            modes: s.modes,
            version: s.version,
            submitted_at: s.submitted_at,
        },
        stage: s.stage,
        stage_note: s.stage_note,
        documents: s.documents,
        mappings: s.mappings,
    };
    check.finish(file, submission)
}

fn is_relative_inside(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A submission with the text of its evidence documents.
#[derive(Debug, Clone)]
pub struct SubmissionPackage {
    pub submission: Submission,
    /// Document id → its text (a PDF, DOCX or XLSX: its extracted pages behind `[page N]`
    /// markers). This text is what syncs to reviewers' machines.
    pub documents: HashMap<String, String>,
    /// Document id → the original file of a PDF, DOCX or XLSX, kept byte for byte.
    pub originals: HashMap<String, Original>,
}

/// The original of an extracted document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub extractor: String,
    pub pages: u32,
    /// What intake noticed (tracked changes, pages without text, a printed numbering).
    pub notes: Vec<String>,
    /// The extraction the pages came from, kept keyed by `sha256` and `extractor` so the same
    /// file imported again is not extracted again.
    pub extracted: crate::intake::Extracted,
}

/// Pages extracted earlier from an original (by its SHA-256) with an extractor version, where
/// they are known: `|_, _| None` extracts every file afresh.
pub trait Reuse: Fn(&str, &'static str) -> Option<crate::intake::Extracted> {}
impl<F: Fn(&str, &'static str) -> Option<crate::intake::Extracted>> Reuse for F {}

impl SubmissionPackage {
    /// Reads each listed document with `read(path)`: text is checked to be UTF-8; a PDF, DOCX
    /// or XLSX is extracted into pages (every failing document is reported at once).
    pub fn assemble(
        file: &str,
        submission: Submission,
        read: impl Fn(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Self, FormatError> {
        Self::assemble_reusing(file, submission, read, |_, _| None)
    }

    /// As `assemble`, taking a PDF's, DOCX's or XLSX's pages from `reuse` when this very file
    /// was extracted before by the extractor version in use (a new version extracts again).
    pub fn assemble_reusing(
        file: &str,
        submission: Submission,
        read: impl Fn(&str) -> std::io::Result<Vec<u8>>,
        reuse: impl Reuse,
    ) -> Result<Self, FormatError> {
        let mut problems = Vec::new();
        let mut documents = HashMap::new();
        let mut originals = HashMap::new();
        for (i, doc) in submission.documents.iter().enumerate() {
            let at = format!("documents[{i}].path");
            match read(&doc.path) {
                Ok(bytes) if super::media::is_binary(&doc.media_type) => {
                    let sha256 = crate::digest::sha256_hex(&bytes);
                    let reused = crate::intake::extractor_for(&doc.media_type).and_then(|x| reuse(&sha256, x));
                    match reused.map_or_else(|| crate::intake::extract(&doc.path, &doc.media_type, &bytes), Ok) {
                        Ok(extracted) => {
                            let mut notes: Vec<String> = extracted.warnings.iter().map(ToString::to_string).collect();
                            match (crate::intake::printed_numbering(&extracted), doc.page_offset) {
                                (Some(found), None) if found.offset != 0 => notes.push(format!(
                                    "{found}: not applied; set \"page_offset\": {} on the document once confirmed",
                                    found.offset
                                )),
                                (Some(found), _) => notes.push(found.to_string()),
                                (None, Some(offset)) => notes.push(format!("page_offset {offset} set by the officer")),
                                (None, None) => {}
                            }
                            documents.insert(doc.id.clone(), crate::intake::render(&extracted.pages, doc.page_offset));
                            originals.insert(
                                doc.id.clone(),
                                Original {
                                    sha256,
                                    bytes,
                                    extractor: extracted.extractor.to_string(),
                                    pages: extracted.pages.len() as u32,
                                    notes,
                                    extracted,
                                },
                            );
                        }
                        Err(e) => problems.push(Problem::new(at, e.to_string(), "fix or replace the file")),
                    }
                }
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        documents.insert(doc.id.clone(), text);
                    }
                    Err(_) => problems.push(Problem::new(
                        at,
                        format!("{} is not UTF-8 text", doc.path),
                        "save the document as UTF-8 plain text",
                    )),
                },
                Err(e) => problems.push(Problem::new(
                    at,
                    format!("cannot read {}: {e}", doc.path),
                    "put the document beside submission.json at that path",
                )),
            }
        }
        problems.extend(check_locators(&submission, &originals));
        if problems.is_empty() {
            Ok(Self { submission, documents, originals })
        } else {
            Err(FormatError::new(file, problems))
        }
    }
}

/// A page locator beyond an extracted document's pages is an error naming the standard, the
/// document and its page count.
fn check_locators(submission: &Submission, originals: &HashMap<String, Original>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, mapping) in submission.mappings.iter().enumerate() {
        for (j, evidence) in mapping.evidence.iter().enumerate() {
            let Some(original) = originals.get(&evidence.document) else { continue };
            let Some((first, last)) = crate::intake::locator_pages(&evidence.locator) else { continue };
            let doc = submission.documents.iter().find(|d| d.id == evidence.document);
            let offset = doc.and_then(|d| d.page_offset).unwrap_or(0).max(0);
            let count = original.pages as i64 - offset;
            if first < 1 || last > count {
                let title = doc.map(|d| d.title.as_str()).unwrap_or_default();
                problems.push(Problem::new(
                    format!("mappings[{i}].evidence[{j}].locator"),
                    format!(
                        "{} cites {} \"{}\", but {} ({title}) has {count} printed pages{}",
                        mapping.standard,
                        evidence.document,
                        evidence.locator,
                        evidence.document,
                        if offset > 0 {
                            format!(" ({} physical, offset {offset})", original.pages)
                        } else {
                            String::new()
                        },
                    ),
                    "correct the page, or set the document's page_offset if its printed numbers differ",
                ));
            }
        }
    }
    problems
}

/// Reads a submission package folder: `submission.json` and the documents it lists.
pub fn load_submission_dir<'f>(
    dir: &Path,
    find_framework: impl Fn(&str, &str) -> Option<&'f Framework>,
) -> Result<SubmissionPackage, FormatError> {
    load_submission_dir_reusing(dir, find_framework, |_, _| None)
}

/// As `load_submission_dir`, reusing pages extracted before (`SubmissionPackage::assemble_reusing`).
pub fn load_submission_dir_reusing<'f>(
    dir: &Path,
    find_framework: impl Fn(&str, &str) -> Option<&'f Framework>,
    reuse: impl Reuse,
) -> Result<SubmissionPackage, FormatError> {
    let file = dir.join("submission.json");
    let name = file.display().to_string();
    let text = std::fs::read_to_string(&file).map_err(|e| {
        FormatError::one(
            &name,
            Problem::new(
                "file",
                format!("cannot read it: {e}"),
                "a submission package is a folder holding submission.json and its documents",
            ),
        )
    })?;
    let submission = parse_submission(&name, &text, find_framework)?;
    SubmissionPackage::assemble_reusing(&name, submission, |path| std::fs::read(dir.join(path)), reuse)
}
