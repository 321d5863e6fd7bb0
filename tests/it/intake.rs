//! Intake of a provider's pack and the readers' refusals and warnings, on the files in
//! tests/data/intake (made by its make.py) and the demo pack in fixtures/packs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use accredit::format::{self, media};
use accredit::intake::{self, ExtractError, Warning, pack};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intake").join(name)
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 12, 1)
}

fn extract(name: &str, media_type: &str) -> Result<intake::Extracted, ExtractError> {
    intake::extract_file(&data(name), media_type).map(|(_, x)| x)
}

#[test]
fn refused_files_say_what_to_do() {
    assert!(matches!(extract("legacy.doc", media::DOCX), Err(ExtractError::LegacyDoc { .. })));
    assert!(matches!(extract("encrypted.docx", media::DOCX), Err(ExtractError::Password { .. })));
    assert!(matches!(extract("password.pdf", media::PDF), Err(ExtractError::Password { .. })));
    let e = extract("dotdot.docx", media::DOCX).unwrap_err();
    assert!(matches!(e, ExtractError::UnsafeZip { .. }) && e.to_string().contains(".."), "{e}");
    assert!(matches!(extract("bomb.xlsx", media::XLSX), Err(ExtractError::ZipBomb { .. })));
    assert!(matches!(extract("not-a-pdf.pdf", media::PDF), Err(ExtractError::Corrupt { .. })));
    assert!(media::from_file_name("old.doc").unwrap_err().contains(".docx"));
}

#[test]
fn an_oversized_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.pdf");
    std::fs::File::create(&big).unwrap().set_len(intake::MAX_FILE_BYTES + 1).unwrap();
    assert!(matches!(intake::extract_file(&big, media::PDF), Err(ExtractError::TooLarge { .. })));
}

#[test]
fn a_crashing_or_hanging_extractor_is_named() {
    let bytes = std::fs::read(data("scanned.pdf")).unwrap();
    let e = intake::pdf::extract_with("scanned.pdf", &bytes, "false", Duration::from_secs(5)).unwrap_err();
    assert!(matches!(e, ExtractError::Crashed { .. }) && e.to_string().contains("scanned.pdf"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let hang = dir.path().join("hang.sh");
    std::fs::write(&hang, "#!/bin/sh\nexec sleep 30\n").unwrap();
    std::fs::set_permissions(&hang, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let e =
        intake::pdf::extract_with("slow.pdf", &bytes, hang.to_str().unwrap(), Duration::from_millis(300)).unwrap_err();
    assert!(matches!(e, ExtractError::Timeout { .. }) && e.to_string().contains("slow.pdf"), "{e}");
    let e = intake::pdf::extract_with("x.pdf", &bytes, "/nonexistent/pdftotext", Duration::from_secs(1)).unwrap_err();
    assert!(e.to_string().contains("poppler-utils"), "{e}");
}

#[test]
fn warned_files_are_read_with_a_warning() {
    let tracked = extract("tracked.docx", media::DOCX).unwrap();
    assert_eq!(tracked.warnings, [Warning::TrackedChanges]);
    assert_eq!(tracked.pages[0].text.trim(), "kept added");
    assert_eq!(extract("comments.docx", media::DOCX).unwrap().warnings, [Warning::Comments]);
    let scanned = extract("scanned.pdf", media::PDF).unwrap();
    assert_eq!(scanned.warnings, [Warning::NoTextLayer(vec![2])]);
}

fn frameworks() -> Vec<accredit::domain::Framework> {
    accredit::demo::frameworks().unwrap()
}

fn errors(pack_dir: &str) -> Vec<String> {
    let report = pack::read_pack(&data(pack_dir), &frameworks(), today());
    assert!(report.draft.is_none(), "{pack_dir} gave a draft despite errors");
    report.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn pack_refusals_name_file_table_row_and_column() {
    let e = errors("pack-unknown-code");
    assert!(e.iter().any(|e| e.contains("table 1, row 2, column \"Capability\"") && e.contains("MPF 9.9")), "{e:?}");
    let e = errors("pack-two-rows");
    assert!(
        e.iter().any(|e| e.contains("row 3") && e.contains("second row for MPF 1.1") && e.contains("row 2")),
        "{e:?}"
    );
    let e = errors("pack-missing-doc");
    assert!(e.iter().any(|e| e.contains("Staff handbook p.3") && e.contains("not in the pack")), "{e:?}");
    let e = errors("pack-beyond-pages");
    assert!(e.iter().any(|e| e.contains("MPF 1.1") && e.contains("E01") && e.contains("has 2 pages")), "{e:?}");
    let e = errors("pack-no-table");
    assert!(e.iter().any(|e| e.contains("no Word table whose codes match")), "{e:?}");
    let e = errors("pack-pdf-mapping");
    assert!(e.iter().any(|e| e.contains("only as PDF") && e.contains("mapping-document-2.pdf")), "{e:?}");
}

#[test]
fn a_symlink_in_a_pack_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["mapping.docx", "spec.pdf", "intake.toml"] {
        std::fs::copy(data("pack-ok").join(f), dir.path().join(f)).unwrap();
    }
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("passwd.txt")).unwrap();
    let report = pack::read_pack(dir.path(), &frameworks(), today());
    assert!(
        report.errors.iter().any(|e| e.place == "passwd.txt" && e.message.contains("symbolic link")),
        "{:?}",
        report.errors
    );
}

#[test]
fn pack_warnings_leave_a_draft() {
    let report = pack::read_pack(&data("pack-ok"), &frameworks(), today());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(w.iter().any(|w| w.contains("\"Programme spec p.1\" was read as E01")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("MPF 1.3 has no row")), "{w:?}");
    let draft = report.draft.unwrap();
    assert_eq!(draft.submission.mappings.len(), 2);
    let report = pack::read_pack(&data("pack-same-file"), &frameworks(), today());
    assert!(
        report.warnings.iter().any(|w| w.place == "spec.pdf" && w.message.contains("same file as spec-copy.pdf")
            || w.place == "spec-copy.pdf" && w.message.contains("same file as")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn the_demo_pack_round_trips_into_a_reviewable_submission() {
    let frameworks = frameworks();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs/eastfield-mh");
    let report = pack::read_pack(&dir, &frameworks, today());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let notes: Vec<String> = report.notes.iter().map(ToString::to_string).collect();
    assert!(notes.iter().any(|n| n == "header: provider: University of Eastfield"), "{notes:?}");
    assert!(
        notes.iter().any(|n| n.contains("programme-specification.pdf: printed p.1 is physical page 2")),
        "{notes:?}"
    );
    let draft = report.draft.unwrap();
    let m = draft.submission.mappings.iter().find(|m| m.standard == "MPF 1.6").unwrap();
    assert_eq!(
        m.evidence.iter().map(|e| (e.document.as_str(), e.locator.as_str())).collect::<Vec<_>>(),
        [("E02", "pp.3–4"), ("E01", "p.3")]
    );
    assert!(draft.submission.stage_note.as_deref().unwrap_or_default().contains("training post"));

    let out = tempfile::tempdir().unwrap();
    pack::write_draft(&draft, out.path()).unwrap();
    let package =
        format::load_submission_dir(out.path(), |id, v| frameworks.iter().find(|f| f.id == id && f.version == v))
            .unwrap();
    // Printed pages are the markers (p.3 of the descriptors is PDF page 4).
    let text = &package.documents["E02"];
    let page3 = text.split("[page 3]\n").nth(1).unwrap();
    assert!(page3.starts_with("[PDF p.4]\n") && page3.contains("mini-CEX"), "{page3}");

    let store = reviewer_store_with(&package);
    let me = store.me().unwrap().unwrap();
    let hits = store.search(&me, "mini-CEX", Some("S-2026-030"), 10).unwrap();
    assert!(
        hits.iter().any(
            |h| matches!(&h.place, accredit::store::HitPlace::Page { document, page: 3, .. } if document == "E02")
        ),
        "{hits:?}"
    );
    assert!(store.offline_readiness("S-2026-030").unwrap().ready());
    let (media_type, bytes) = store.document_original("S-2026-030", "E02").unwrap().unwrap();
    assert_eq!(media_type, media::PDF);
    assert_eq!(bytes, std::fs::read(dir.join("module-descriptors.pdf")).unwrap(), "the original is kept byte for byte");
}

/// A cache holding `package`, with its owner on the submission's panel as a reviewer.
fn reviewer_store_with(package: &accredit::format::SubmissionPackage) -> accredit::store::Store {
    let mut store = accredit::store::Store::open_in_memory().unwrap();
    accredit::demo::install(&mut store).unwrap();
    store.import_submission(package).unwrap();
    let me = store.me().unwrap().unwrap();
    let panel = format!(
        r#"{{"format": "accredit.demo-panel.v1", "submission": "{}", "chair": "u-chair", "reviews_due": "2026-12-20",
            "members": [{{"user": "{me}", "role": "reviewer"}}], "judgements": []}}"#,
        package.submission.id
    );
    let panel = format::parse_panel("panel.json", &panel, |_| true, |_| true).unwrap();
    store.import_panel(&panel).unwrap();
    store
}

/// Issue 10: `o` in the document viewer writes the original PDF (byte for byte, private) and
/// starts the configured viewer with its absolute path and the physical page on screen, as
/// separate arguments and without a shell of ours.
#[test]
fn the_original_opens_in_the_configured_viewer_at_the_physical_page() {
    use accredit::tui::{Action, Runtime, Settings};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::os::unix::fs::PermissionsExt;

    let frameworks = frameworks();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs/eastfield-mh");
    let draft = pack::read_pack(&dir, &frameworks, today()).draft.expect("the demo pack reads");
    let out = tempfile::tempdir().unwrap();
    pack::write_draft(&draft, out.path()).unwrap();
    let package =
        format::load_submission_dir(out.path(), |id, v| frameworks.iter().find(|f| f.id == id && f.version == v))
            .unwrap();

    let files = tempfile::tempdir().unwrap();
    let record = files.path().join("viewer-args");
    // The viewer here is sh itself, given the path and page as $0 and $1: a program the user
    // chose, not a shell of accredit's.
    let viewer = format!("sh -c 'printf \"%s\\n%s\\n\" \"$0\" \"$1\" > {}' {{path}} {{page}}", record.display());
    let settings =
        Settings { viewer: Some(accredit::config::ViewerCommand::parse(&viewer).unwrap()), ..Settings::default() };
    let mut rt = Runtime::new(reviewer_store_with(&package), today(), settings).unwrap();
    rt.originals_dir = Some(files.path().join("originals"));
    let press = |rt: &mut Runtime, code| rt.dispatch(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    for c in "/S-2026-030 MPF 1.6".chars() {
        press(&mut rt, KeyCode::Char(c));
    }
    press(&mut rt, KeyCode::Enter);
    press(&mut rt, KeyCode::Tab);
    press(&mut rt, KeyCode::Enter);
    let doc = rt.app.document.as_ref().expect("E02 is open at its citation");
    assert_eq!((doc.info.id.as_str(), doc.locator.as_str()), ("E02", "pp.3–4"));
    assert_eq!(doc.page_at_scroll().map(|(_, p)| p.label()), Some("p.3 (PDF p.4)".into()));
    press(&mut rt, KeyCode::Char('o'));
    crate::support::wait_until("the viewer to record its arguments", || {
        std::fs::read_to_string(&record).is_ok_and(|t| t.lines().count() == 2)
    });
    let args = std::fs::read_to_string(&record).unwrap();
    let (path, page) = args.trim_end().split_once('\n').unwrap();
    assert_eq!(page, "4", "the viewer opens the PDF's own page 4, printed p.3");
    let path = Path::new(path);
    assert!(path.is_absolute(), "{path:?}");
    assert_eq!(std::fs::read(path).unwrap(), std::fs::read(dir.join("module-descriptors.pdf")).unwrap());
    assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
    let flash = format!("{:?}", rt.app.flash);
    assert!(flash.contains("Opened") && flash.contains("in sh"), "{flash}");
}

#[test]
fn accredit_search_finds_a_word_on_a_pdf_page() {
    let dir = crate::support::demo_data_dir();
    let out = crate::support::accredit(dir.path(), &["search", "entry", "requirements", "--submission", "S-2026-014"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.lines().next().is_some_and(|l| l.starts_with("S-2026-014  E01 p.3  ")), "{stdout}");
    assert!(stdout.contains("«Entry» «requirements»"), "{stdout}");
    let out = crate::support::accredit(dir.path(), &["search", "mini-CEX", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "accredit.search.v1");
    assert!(json["hits"].as_array().is_some_and(|h| !h.is_empty() && h[0]["kind"].is_string()), "{json}");
    let out = crate::support::accredit(dir.path(), &["search", "()"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no word to search for"));
}

#[test]
fn accredit_import_takes_a_providers_pack_offline() {
    let dir = crate::support::demo_data_dir();
    let pack = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs/eastfield-mh");
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), pack.path().join(entry.file_name())).unwrap();
        }
    }
    let out = crate::support::accredit(dir.path(), &["import", pack.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("Imported S-2026-030 (version 1)") && stdout.contains("2 documents, 4 mapped standards"),
        "{stdout}"
    );
    assert!(pack.path().join("accredit-draft/submission.json").exists());
}
