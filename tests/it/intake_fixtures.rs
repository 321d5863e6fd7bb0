//! The demo's PDF, DOCX and XLSX fixtures (its submissions' and its provider pack's): their
//! embedded extractions (`fixtures/extracted/PATH.json`, which the demo reads so it needs no
//! extractor) are what extracting them afresh gives.
//! `ACCREDIT_BLESS=1 cargo test --test it intake_fixtures` rewrites them after `fixtures/generate.py`.

use std::path::Path;

use accredit::demo::{KeptExtraction, extraction_path};
use accredit::format::media;
use accredit::intake;

/// Every PDF, DOCX and XLSX under `fixtures/submissions` and `fixtures/packs`, by its path
/// under `fixtures/`, with its media type.
fn binary_fixtures() -> Vec<(String, &'static str)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, &'static str)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(kind) = media::from_file_name(&path.file_name().unwrap().to_string_lossy())
                && media::is_binary(kind)
            {
                out.push((path.strip_prefix(root).unwrap().to_string_lossy().into_owned(), kind));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in ["submissions", "packs"] {
        walk(&root, &root.join(dir), &mut out);
    }
    out.sort();
    out
}

#[test]
fn embedded_pages_are_a_fresh_extraction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let docs = binary_fixtures();
    let kinds: Vec<&str> = docs.iter().map(|(_, k)| *k).collect();
    for kind in [media::PDF, media::DOCX, media::XLSX] {
        assert!(kinds.contains(&kind), "the fixtures hold no {kind} document");
    }
    assert!(docs.iter().any(|(p, _)| p.starts_with("packs/eastfield-mh/") && p.ends_with(".pdf")), "{docs:?}");
    for (path, kind) in docs {
        let (bytes, extracted) = intake::extract_file(&root.join(&path), kind)
            .unwrap_or_else(|e| panic!("{e} (CI installs poppler-utils for pdftotext)"));
        let fresh = KeptExtraction::of(&extracted);
        let sidecar = root.join(extraction_path(&path));
        if std::env::var_os("ACCREDIT_BLESS").is_some() {
            std::fs::create_dir_all(sidecar.parent().unwrap()).unwrap();
            std::fs::write(&sidecar, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
            continue; // this build embeds the pages as they were: the next one checks them
        }
        let embedded = std::fs::read_to_string(&sidecar).unwrap_or_else(|e| {
            panic!("{}: {e}; run ACCREDIT_BLESS=1 cargo test --test it intake_fixtures", sidecar.display())
        });
        let embedded: KeptExtraction = serde_json::from_str(&embedded).unwrap();
        assert_eq!(embedded, fresh, "{path} changed: re-bless its pages");
        // And the demo finds them by the file's hash, as the extractor in use.
        let found = accredit::demo::embedded_extraction(&accredit::digest::sha256_hex(&bytes), extracted.extractor)
            .unwrap_or_else(|| panic!("{path}: not embedded (rebuild after blessing)"));
        assert_eq!(intake::render(&found.pages, None), fresh.pages, "{path}");
    }
}

/// Every binary fixture's embedded pages are in the binary: none is left out of the demo.
#[test]
fn every_binary_fixture_has_its_pages_embedded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for (path, _) in binary_fixtures() {
        let bytes = std::fs::read(root.join(&path)).unwrap();
        assert_eq!(accredit::demo::fixture_bytes(&path), Some(&bytes[..]), "{path} is embedded byte for byte");
        assert!(accredit::demo::fixture(&extraction_path(&path)).is_some(), "{path}: its pages are embedded");
    }
}

#[test]
fn each_format_gives_its_pages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/submissions/S-2026-014/documents");
    let (_, pdf) = intake::extract_file(&dir.join("E01.pdf"), media::PDF).unwrap();
    assert_eq!(pdf.pages.len(), 10, "a cover and nine numbered pages");
    assert!(pdf.pages[1].text.contains("1. Key facts"));
    let printed = intake::detect_printed(&pdf.pages).expect("the footers number the pages");
    assert_eq!((printed.offset, printed.agreeing), (1, 9));
    assert!(printed.to_string().starts_with("printed p.1 is physical page 2"), "{printed}");

    let (_, docx) = intake::extract_file(&dir.join("E06.docx"), media::DOCX).unwrap();
    assert_eq!(docx.pages.len(), 4, "a title page and three pages, split at page breaks");
    assert!(docx.warnings.is_empty(), "{:?}", docx.warnings);

    let (_, xlsx) = intake::extract_file(&dir.join("E09.xlsx"), media::XLSX).unwrap();
    assert_eq!(
        xlsx.pages.iter().map(|p| p.title.clone().unwrap_or_default()).collect::<Vec<_>>(),
        ["Sheet: Lead", "Sheet: Team", "Sheet: Practice", "Sheet: Development"]
    );
    // Rows keep their columns aligned.
    assert!(xlsx.pages[1].text.lines().any(|l| l.contains(" | ")), "{}", xlsx.pages[1].text);
}

/// `fixtures/labelled/`: a report numbered only by its `/PageLabels` (cover, i–ii, 1–3, A-1–A-3),
/// written plainly by reportlab and again packed in compressed object streams by qpdf.
#[test]
fn page_labels_give_the_printed_pages_of_plain_and_packed_pdfs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/labelled");
    let expected = ["Cover", "i", "ii", "1", "2", "3", "A-1", "A-2", "A-3"];
    for file in ["validation-report.pdf", "validation-report-packed.pdf"] {
        let (_, pdf) = intake::extract_file(&dir.join(file), media::PDF).unwrap();
        assert_eq!(pdf.page_labels.as_deref(), Some(&expected.map(String::from)[..]), "{file}");
        assert!(pdf.warnings.is_empty(), "{file}: {:?}", pdf.warnings);
        assert!(intake::detect_printed(&pdf.pages).is_none(), "{file}: no number in the text itself");
        let printed = intake::printed_numbering(&pdf).expect("the labels number the pages");
        assert_eq!((printed.offset, printed.agreeing, printed.source), (3, 3, "/PageLabels"), "{file}");
        assert_eq!(
            printed.to_string(),
            "printed p.1 is physical page 4 (offset 3; 3 of 9 pages numbered, /PageLabels); \
             labels PDF p.1 Cover, PDF pp.2-3 i–ii, PDF pp.4-6 1–3, PDF pp.7-9 A-1–A-3",
            "{file}"
        );
    }
    // The PDFs of the demo have no labels: their footers are read, as before.
    let e01 = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/submissions/S-2026-014/documents/E01.pdf");
    let (_, pdf) = intake::extract_file(&e01, media::PDF).unwrap();
    assert_eq!(pdf.page_labels, None);
    assert_eq!(intake::printed_numbering(&pdf).unwrap().source, "footer/header pattern");
}

/// Importing a labelled PDF says what the labels give, and applies nothing until confirmed.
#[test]
fn an_import_reports_the_page_labels_without_applying_them() {
    let dir = tempfile::tempdir().unwrap();
    let labelled = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/labelled/validation-report.pdf");
    std::fs::copy(&labelled, dir.path().join("report.pdf")).unwrap();
    let submission = |offset: Option<i64>| accredit::domain::Submission {
        id: "S-LABELS".into(),
        frameworks: vec![accredit::domain::FrameworkRef {
            id: "mpf-2017".into(),
            version: "2017".into(),
            standards: None,
        }],
        header: accredit::domain::SubmissionHeader {
            provider: "University of Eastfield".into(),
            programme: "MSc".into(),
            award: "MSc".into(),
            programme_code: None,
            modes: None,
            version: 1,
            submitted_at: jiff::civil::date(2026, 1, 1),
        },
        stage: accredit::domain::Stage::StandardsReview,
        stage_note: None,
        documents: vec![accredit::domain::DocumentRef {
            id: "E01".into(),
            title: "Validation report".into(),
            media_type: media::PDF.into(),
            path: "report.pdf".into(),
            page_offset: offset,
        }],
        mappings: vec![],
    };
    let read = |path: &str| std::fs::read(dir.path().join(path));
    let package = accredit::format::SubmissionPackage::assemble("submission.json", submission(None), read).unwrap();
    let notes = &package.originals["E01"].notes;
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("printed p.1 is physical page 4 (offset 3; 3 of 9 pages numbered, /PageLabels)")
                && n.contains("not applied; set \"page_offset\": 3")),
        "{notes:?}"
    );
    assert!(package.documents["E01"].starts_with("[page 1]\n"), "physical pages until confirmed");
    let confirmed =
        accredit::format::SubmissionPackage::assemble("submission.json", submission(Some(3)), read).unwrap();
    assert!(confirmed.documents["E01"].contains("[page 1]\n[PDF p.4]\n"), "{}", confirmed.documents["E01"]);
}

/// `accredit demo` on a machine with only Rust: the demo (its PDFs and the provider's pack it
/// takes through intake) installs with no pdftotext to run. Checked in a child process of this
/// test binary whose pdftotext does not exist, so the other tests keep theirs.
#[test]
fn the_demo_installs_without_pdftotext() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "intake_fixtures::demo_install_in_this_process", "--ignored", "--nocapture"])
        .env("ACCREDIT_PDFTOTEXT", "/nonexistent/pdftotext")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && out.contains("1 passed"), "{out}\n{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
#[ignore = "run by the_demo_installs_without_pdftotext, without pdftotext"]
fn demo_install_in_this_process() {
    // This process cannot extract a PDF...
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs/eastfield-mh/module-descriptors.pdf");
    assert!(intake::extract_file(&pdf, media::PDF).is_err(), "pdftotext is out of reach here");
    // ...and the demo installs all the same, the pack included, with its originals.
    let store = crate::support::demo_store();
    let (kind, bytes) = store.original_file("S-2026-030", "E02", "u-demo").unwrap().expect("the pack's original");
    assert_eq!((kind.as_str(), bytes), (media::PDF, std::fs::read(&pdf).unwrap()));
    let (_, text) = store.document_text("S-2026-030", "E02", "u-demo").unwrap();
    assert!(text.contains("[page 1]\n[PDF p.2]\n"), "the officer's offset from intake.toml: {text}");
}
