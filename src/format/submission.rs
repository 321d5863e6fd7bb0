use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use jiff::civil::Date;
use serde::Deserialize;

use super::{Checker, FormatError, Problem, SUBMISSION_FORMAT, is_identifier, parse_json};
use crate::domain::{DocumentRef, Framework, FrameworkRef, Mapping, Stage, Submission};

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

const MEDIA_TYPES: [&str; 2] = ["text/plain", "text/markdown"];

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
        if !MEDIA_TYPES.contains(&doc.media_type.as_str()) {
            check.push(
                at("media_type"),
                format!("media type \"{}\" is not supported", doc.media_type),
                "use text/plain or text/markdown",
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
        provider: s.provider,
        programme: s.programme,
        award: s.award,
        programme_code: s.programme_code,
        modes: s.modes,
        version: s.version,
        submitted_at: s.submitted_at,
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
    /// Document id → its text.
    pub documents: HashMap<String, String>,
}

impl SubmissionPackage {
    /// Reads each listed document with `read(path)` and checks it is UTF-8 text.
    pub fn assemble(
        file: &str,
        submission: Submission,
        read: impl Fn(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Self, FormatError> {
        let mut problems = Vec::new();
        let mut documents = HashMap::new();
        for (i, doc) in submission.documents.iter().enumerate() {
            match read(&doc.path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        documents.insert(doc.id.clone(), text);
                    }
                    Err(_) => problems.push(Problem::new(
                        format!("documents[{i}].path"),
                        format!("{} is not UTF-8 text", doc.path),
                        "save the document as UTF-8 plain text",
                    )),
                },
                Err(e) => problems.push(Problem::new(
                    format!("documents[{i}].path"),
                    format!("cannot read {}: {e}", doc.path),
                    "put the document beside submission.json at that path",
                )),
            }
        }
        if problems.is_empty() { Ok(Self { submission, documents }) } else { Err(FormatError::new(file, problems)) }
    }
}

/// Reads a submission package folder: `submission.json` and the documents it lists.
pub fn load_submission_dir<'f>(
    dir: &Path,
    find_framework: impl Fn(&str, &str) -> Option<&'f Framework>,
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
    SubmissionPackage::assemble(&name, submission, |path| std::fs::read(dir.join(path)))
}
