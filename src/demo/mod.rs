//! The built-in demo: fixtures compiled into the binary, and a synthetic cache for benchmarks.

pub mod synthetic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

use crate::domain::Framework;
use crate::format::{self, FormatError, SubmissionPackage};
use crate::intake::Extracted;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("a built-in fixture is invalid (a bug in this build): {0}")]
    Fixture(#[from] FormatError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the built-in fixture {0} is missing (a bug in this build)")]
    Missing(String),
    #[error("the demo's provider pack did not go through intake (a bug in this build): {0}")]
    Pack(String),
}

/// A fixture file's text, by its path under `fixtures/`.
pub fn fixture(path: &str) -> Option<&'static str> {
    embedded::FILES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// A fixture file's bytes (text or a PDF, DOCX or XLSX), by its path under `fixtures/`.
pub fn fixture_bytes(path: &str) -> Option<&'static [u8]> {
    fixture(path)
        .map(str::as_bytes)
        .or_else(|| embedded::BINARIES.iter().find(|(p, _)| *p == path).map(|(_, bytes)| *bytes))
}

fn required(path: &str) -> Result<&'static str, DemoError> {
    fixture(path).ok_or_else(|| DemoError::Missing(path.to_string()))
}

/// Where the pages extracted from the PDF, DOCX or XLSX fixture at `path` (under `fixtures/`)
/// are kept: `fixtures/extracted/PATH.json`, written by `ACCREDIT_BLESS=1 cargo test --test it
/// intake_fixtures` (which checks they are what extracting afresh gives).
pub fn extraction_path(path: &str) -> String {
    format!("extracted/{path}.json")
}

/// An extraction as kept beside the fixtures: the physical pages behind `[page N]` markers
/// (`intake::render` without an offset), what the extractor warned about, a PDF's labels.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeptExtraction {
    pub extractor: String,
    pub warnings: Vec<crate::intake::Warning>,
    pub page_labels: Option<Vec<String>>,
    pub pages: String,
}

impl KeptExtraction {
    pub fn of(extracted: &Extracted) -> KeptExtraction {
        KeptExtraction {
            extractor: extracted.extractor.to_string(),
            warnings: extracted.warnings.clone(),
            page_labels: extracted.page_labels.clone(),
            pages: crate::intake::render(&extracted.pages, None),
        }
    }
}

/// The embedded pages of the binary fixture whose bytes have this SHA-256, if `extractor` (this
/// version of it) made them: how the demo reads its PDFs without pdftotext.
pub fn embedded_extraction(sha256: &str, extractor: &'static str) -> Option<Extracted> {
    let (path, _) = embedded::BINARIES.iter().find(|(_, bytes)| crate::digest::sha256_hex(bytes) == sha256)?;
    let kept: KeptExtraction = serde_json::from_str(fixture(&extraction_path(path))?).ok()?;
    (kept.extractor == extractor).then(|| Extracted {
        extractor,
        pages: crate::intake::text_pages(&kept.pages),
        warnings: kept.warnings,
        page_labels: kept.page_labels,
    })
}

/// The demo frameworks, parsed and validated.
pub fn frameworks() -> Result<Vec<Framework>, DemoError> {
    embedded::FILES
        .iter()
        .filter(|(p, _)| p.starts_with("frameworks/") && p.ends_with(".json"))
        .map(|(p, text)| Ok(format::parse_framework(&format!("fixtures/{p}"), text)?))
        .collect()
}

/// The ids of the demo submissions, from the folders under `fixtures/submissions/`.
pub fn submission_ids() -> Vec<&'static str> {
    embedded::FILES
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("submissions/")?.strip_suffix("/submission.json"))
        .collect()
}

/// The demo user's id.
pub fn demo_user() -> Result<String, DemoError> {
    Ok(format::parse_people("fixtures/demo/people.json", required("demo/people.json")?)?.me)
}

/// The provider's pack the demo takes through intake (`fixtures/packs/`), and its panel.
pub const DEMO_PACK: &str = "packs/eastfield-mh";
const DEMO_PACK_PANEL: &str = "demo/eastfield-mh.panel.json";
/// The day the demo's pack arrived (intake dates a draft by the day it is read).
const DEMO_PACK_ARRIVED: jiff::civil::Date = jiff::civil::date(2026, 3, 2);

/// The organisation the demo's hub sends reports for.
pub const DEMO_ORGANISATION: &str = "NHS England — Centre for Advancing Practice";

/// Fills `store` with the demo data and makes the demo user its owner: the submissions under
/// `fixtures/submissions/` with their originals, and the provider's pack taken through intake.
pub fn install(store: &mut Store) -> Result<(), DemoError> {
    let people = format::parse_people("fixtures/demo/people.json", required("demo/people.json")?)?;
    store.import_people(&people.people)?;
    let frameworks = frameworks()?;
    for framework in &frameworks {
        store.import_framework(framework)?;
    }
    let find = |id: &str, version: &str| frameworks.iter().find(|f| f.id == id && f.version == version);
    let mut packages = Vec::new();
    for id in submission_ids() {
        let dir = format!("submissions/{id}");
        let file = format!("fixtures/{dir}/submission.json");
        let submission = format::parse_submission(&file, required(&format!("{dir}/submission.json"))?, find)?;
        let package = SubmissionPackage::assemble_reusing(
            &file,
            submission,
            |path| {
                fixture_bytes(&format!("{dir}/{path}"))
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not among the fixtures"))
            },
            embedded_extraction,
        )?;
        packages.push((format!("fixtures/{dir}/panel.json"), required(&format!("{dir}/panel.json"))?, package));
    }
    packages.push((format!("fixtures/{DEMO_PACK_PANEL}"), required(DEMO_PACK_PANEL)?, pack_package(&frameworks)?));
    for (panel_file, panel_text, package) in packages {
        store.import_submission(&package)?;
        let in_scope = |code: &str| {
            package.submission.frameworks.iter().any(|fref| {
                find(&fref.id, &fref.version).is_some_and(|f| f.standard(code).is_some())
                    && fref.standards.as_ref().is_none_or(|l| l.iter().any(|c| c == code))
            })
        };
        let known = |user: &str| people.people.iter().any(|p| p.id == user);
        let panel = format::parse_panel(&panel_file, panel_text, known, in_scope)?;
        store.import_panel(&panel)?;
    }
    store.set_meta("me", &people.me)?;
    store.set_meta("kind", "demo")?;
    // The demo's hub is the Centre's.
    store.set_meta(crate::store::ORGANISATION_KEY, DEMO_ORGANISATION)?;
    Ok(())
}

/// The demo's provider pack as an officer takes it in (`accredit hub intake`): the embedded
/// folder written out, read by `intake::pack` (its evidence pages taken from the embedded
/// extractions, so no pdftotext is needed), and the draft assembled like an imported package.
pub fn pack_package(frameworks: &[Framework]) -> Result<SubmissionPackage, DemoError> {
    let pack_err = |e: std::io::Error| DemoError::Pack(e.to_string());
    let dir = PackDir::new().map_err(pack_err)?;
    let prefix = format!("{DEMO_PACK}/");
    let files = embedded::FILES.iter().map(|(p, t)| (*p, t.as_bytes())).chain(embedded::BINARIES.iter().copied());
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix(&prefix) {
            std::fs::write(dir.0.join(name), bytes).map_err(pack_err)?;
        }
    }
    let report = crate::intake::pack::read_pack_reusing(&dir.0, frameworks, DEMO_PACK_ARRIVED, embedded_extraction);
    if let Some(first) = report.errors.first() {
        return Err(DemoError::Pack(format!("{} error(s), the first: {first}", report.errors.len())));
    }
    let mut draft = report.draft.ok_or_else(|| DemoError::Pack("no draft".into()))?;
    // Intake makes a draft at the submitted stage; the demo's office has checked it and passed
    // the threshold review, as it would by setting the draft's stage and importing it again.
    draft.submission.stage = crate::domain::Stage::StandardsReview;
    let files = draft.files.clone();
    let documents = draft.submission.documents.clone();
    let package = SubmissionPackage::assemble_reusing(
        &format!("fixtures/{DEMO_PACK}"),
        draft.submission,
        |path| {
            let doc = documents.iter().find(|d| d.path == path);
            let file = doc.and_then(|d| files.get(&d.id));
            file.map_or_else(
                || Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not in the draft")),
                std::fs::read,
            )
        },
        embedded_extraction,
    )?;
    Ok(package)
}

/// A folder of its own under the temporary directory, removed when dropped.
struct PackDir(std::path::PathBuf);

impl PackDir {
    fn new() -> std::io::Result<PackDir> {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("accredit-demo-pack-{}-{n}", std::process::id()));
        // A folder left by a crashed run of this very process id is stale.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir)?;
        Ok(PackDir(dir))
    }
}

impl Drop for PackDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_installs_into_an_empty_cache() {
        let mut store = Store::open_in_memory().unwrap();
        install(&mut store).unwrap();
        assert_eq!(store.me().unwrap().as_deref(), Some("u-demo"));
        assert!(submission_ids().contains(&"S-2026-014"));
        assert!(store.integrity_check().unwrap() == "ok");
    }
}
