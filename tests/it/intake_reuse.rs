//! Extracted pages are kept keyed by the original file's SHA-256 and the extractor's version:
//! the same file imported again is not extracted again, a new extractor version extracts it
//! again, and a cache made before the key existed (schema 5) migrates. Needs poppler-utils.

use std::path::{Path, PathBuf};

use accredit::format::{self, SubmissionPackage};
use accredit::hub::Hub;
use accredit::intake::{self, PDF_EXTRACTOR};
use accredit::store::Store;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn frameworks() -> Vec<accredit::domain::Framework> {
    ["mpf-2017.json", "set-demo-1.json"]
        .iter()
        .map(|f| {
            let path = fixtures().join("frameworks").join(f);
            format::parse_framework(f, &std::fs::read_to_string(path).unwrap()).unwrap()
        })
        .collect()
}

/// S-2026-014 read from its folder (E01 is a PDF, E06 a DOCX, E09 an XLSX), taking pages from
/// `store` where it has them.
fn load(store: &Store) -> SubmissionPackage {
    let frameworks = frameworks();
    format::load_submission_dir_reusing(
        &fixtures().join("submissions/S-2026-014"),
        |id, v| frameworks.iter().find(|f| f.id == id && f.version == v),
        |sha, extractor| store.extraction(sha, extractor).unwrap(),
    )
    .unwrap()
}

fn store_with_frameworks() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for f in frameworks() {
        store.import_framework(&f).unwrap();
    }
    store
}

#[test]
fn the_same_file_is_not_extracted_twice_and_a_new_extractor_version_is() {
    let mut store = store_with_frameworks();
    let first = load(&store);
    store.import_submission(&first).unwrap();
    let original = &first.originals["E01"];
    let kept = store.extraction(&original.sha256, PDF_EXTRACTOR).unwrap().expect("kept at import");
    assert_eq!(intake::render(&kept.pages, None), intake::render(&original.extracted.pages, None));
    assert_eq!((kept.warnings.clone(), kept.extractor), (original.extracted.warnings.clone(), PDF_EXTRACTOR));
    for (id, extractor) in [("E06", intake::DOCX_EXTRACTOR), ("E09", intake::XLSX_EXTRACTOR)] {
        assert!(store.extraction(&first.originals[id].sha256, extractor).unwrap().is_some(), "{id}");
    }

    // Marked pages in the store show that a second import takes them instead of extracting.
    let conn = store.connection();
    let marked = conn
        .execute(
            "UPDATE extractions SET pages_text = replace(pages_text, 'Entry requirements', 'Kept requirements')
             WHERE original_sha256 = ?1",
            [&original.sha256],
        )
        .unwrap();
    assert_eq!(marked, 1);
    let again = load(&store);
    assert!(again.documents["E01"].contains("Kept requirements"), "reused");
    assert_eq!(again.originals["E01"].notes, first.originals["E01"].notes, "the same notes");

    // Pages of an older extractor version are not reused: the file is extracted afresh.
    conn.execute(
        "UPDATE extractions SET extractor = 'pdftotext-layout/1' WHERE original_sha256 = ?1",
        [&original.sha256],
    )
    .unwrap();
    let fresh = load(&store);
    assert_eq!(fresh.documents["E01"], first.documents["E01"]);
}

#[test]
fn the_hub_reuses_the_pages_of_a_file_it_imported_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::open(&dir.path().join("hub.sqlite")).unwrap();
    for f in ["mpf-2017.json", "set-demo-1.json"] {
        hub.import_framework_file(&fixtures().join("frameworks").join(f)).unwrap();
    }
    let folder = fixtures().join("submissions/S-2026-014");
    let first = hub.import_submission_dir(&folder).unwrap();
    let sha = first.originals["E01"].sha256.clone();
    hub.store()
        .connection()
        .execute(
            "UPDATE extractions SET pages_text = replace(pages_text, 'Entry requirements', 'Kept requirements')
             WHERE original_sha256 = ?1",
            [&sha],
        )
        .unwrap();
    let second = hub.import_submission_dir(&folder).unwrap();
    assert!(second.documents["E01"].contains("Kept requirements"));
}

#[test]
fn a_schema_5_cache_migrates_and_keeps_what_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        accredit::demo::install(&mut store).unwrap();
        for f in frameworks() {
            store.import_framework(&f).unwrap();
        }
        store.import_submission(&load(&store)).unwrap();
        // Back to schema 5 as it was released: migration 6 only added these.
        store
            .connection()
            .execute_batch(
                "DROP TABLE extractions; DROP INDEX documents_by_sha256; DROP INDEX submission_standards_by_code;
                 DROP TABLE indexed_narratives; PRAGMA user_version = 5;",
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let version: i64 = store.connection().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, accredit::store::schema::latest_version());
    let me = store.me().unwrap().unwrap();
    let (_, text) = store.document_text("S-2026-014", "E01", &me).unwrap();
    assert!(text.contains("Entry requirements"), "the document is still there");
    let hits = store.search(&me, "entry requirements", Some("S-2026-014"), 5).unwrap();
    assert!(!hits.is_empty(), "and still found");
    // The narratives indexed at schema 5 are known as such: a re-import replaces them, once.
    let narrative_hits = |store: &Store| {
        let hits = store.search(&me, "ACP7401", Some("S-2026-014"), 100).unwrap();
        hits.iter().filter(|h| matches!(h.place, accredit::store::HitPlace::Narrative { .. })).count()
    };
    let before = narrative_hits(&store);
    assert!(before > 0);
    // Nothing was carried into the new table (earlier imports kept no warnings or labels), so the
    // next import of the file extracts it once and keeps that.
    let count: i64 = store.connection().query_row("SELECT count(*) FROM extractions", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0);
    let sha = accredit::digest::sha256_hex(
        &std::fs::read(fixtures().join("submissions/S-2026-014/documents/E01.pdf")).unwrap(),
    );
    assert!(store.extraction(&sha, PDF_EXTRACTOR).unwrap().is_none());
    let mut store = store;
    store.import_submission(&load(&store)).unwrap();
    assert!(store.extraction(&sha, PDF_EXTRACTOR).unwrap().is_some());
    assert_eq!(narrative_hits(&store), before, "replaced, not doubled");
}

/// `accredit hub intake` extracts each PDF of the pack once: reading the pack (for its printed
/// numbering and the report) and importing the draft share the pages. Counted by a pdftotext
/// that notes each run (`ACCREDIT_PDFTOTEXT`).
#[test]
fn intake_extracts_each_pdf_of_the_pack_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs");
    let counting = dir.path().join("pdftotext-counting");
    std::fs::write(&counting, format!("#!/bin/sh\necho run >> '{}'\nexec pdftotext \"$@\"\n", runs.display())).unwrap();
    std::fs::set_permissions(&counting, std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = dir.path().join("hub.sqlite");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(crate::support::binary())
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(["hub", "--db", db])
            .args(args)
            .env_remove("ACCREDIT_DATA_DIR")
            .env("ACCREDIT_PDFTOTEXT", &counting)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", crate::support::stderr(&output));
        crate::support::stdout(&output)
    };
    run(&["init"]);
    for f in ["mpf-2017.json", "set-demo-1.json"] {
        run(&["import-framework", fixtures().join("frameworks").join(f).to_str().unwrap()]);
    }
    let out = dir.path().join("draft");
    let said =
        run(&["intake", fixtures().join("packs/eastfield-mh").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(said.contains("imported submission S-2026-030 with 2 documents"), "{said}");
    let counted = std::fs::read_to_string(&runs).unwrap_or_default().lines().count();
    assert_eq!(counted, 2, "two PDFs, each extracted once");
}
