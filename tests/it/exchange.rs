//! Files reviewers exchange, through the real binary: `import DIR` of a submission package,
//! and the plain-text judgement form (`export --form`, `import --form`).

use std::path::Path;
use std::process::Output;

use accredit::domain::{JudgementState, Outcome};
use accredit::store::Store;

use crate::support::{accredit, demo_data_dir, stderr, stdout};

const SUB: &str = "S-2026-014";
const ME: &str = "u-demo";

fn describe(output: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", output.status.code(), stdout(output), stderr(output))
}

fn run(dir: &Path, args: &[&str], code: i32) -> Output {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(code), "accredit {args:?} should exit {code}\n{}", describe(&output));
    output
}

fn mine(dir: &Path, code: &str) -> Option<accredit::domain::Judgement> {
    let store = Store::open(&dir.join("cache.sqlite")).expect("open the cache");
    let review = store.load_review(SUB, ME).expect("load the review");
    review.standards().find(|s| s.code == code).and_then(|s| s.mine.clone())
}

/// A valid package for a new submission against the demo MPF.
fn write_package(dir: &Path) {
    std::fs::create_dir_all(dir.join("documents")).unwrap();
    std::fs::write(dir.join("documents/E01.txt"), "[page 1]\nModule descriptors.\n[page 2]\nReasoning module.\n")
        .unwrap();
    std::fs::write(
        dir.join("submission.json"),
        r#"{
  "format": "accredit.submission.v1",
  "id": "S-2026-900",
  "frameworks": [{ "id": "mpf-2017", "version": "2017", "standards": ["MPF 1.6", "MPF 4.1"] }],
  "provider": "University of Testing",
  "programme": "MSc Advanced Clinical Practice (Testing)",
  "award": "MSc (level 7)",
  "version": 1,
  "submitted_at": "2026-02-02",
  "stage": "standards_review",
  "documents": [{ "id": "E01", "title": "Module descriptors", "media_type": "text/plain", "path": "documents/E01.txt" }],
  "mappings": [{ "standard": "MPF 1.6", "narrative": "Taught in the reasoning module.", "evidence": [{ "document": "E01", "locator": "p.2" }] }]
}"#,
    )
    .unwrap();
}

#[test]
fn a_submission_package_is_imported_into_the_cache() {
    let dir = demo_data_dir();
    let package = tempfile::tempdir().unwrap();
    write_package(package.path());
    let text = stdout(&run(dir.path(), &["import", package.path().to_str().unwrap()], 0));
    assert!(text.contains("Imported S-2026-900 (version 1): MSc Advanced Clinical Practice (Testing), 1 documents, 1 mapped standards."), "{text}");
    assert!(text.contains("not on its panel"), "{text}");
    let store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
    assert_eq!(
        store.submission_summary("S-2026-900").unwrap().header.programme,
        "MSc Advanced Clinical Practice (Testing)"
    );
    assert_eq!(store.documents("S-2026-900").unwrap().len(), 1);
}

#[test]
fn a_package_naming_an_unknown_framework_is_refused_with_its_place() {
    let dir = demo_data_dir();
    let package = tempfile::tempdir().unwrap();
    write_package(package.path());
    let file = package.path().join("submission.json");
    let text = std::fs::read_to_string(&file).unwrap().replace("\"version\": \"2017\"", "\"version\": \"2030\"");
    std::fs::write(&file, text).unwrap();
    let message = stderr(&run(dir.path(), &["import", package.path().to_str().unwrap()], 1));
    assert!(message.contains("frameworks[0]: framework mpf-2017 version 2030 is not known"), "{message}");
    let store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
    assert!(store.submission_summary("S-2026-900").is_err(), "nothing was imported");
}

#[test]
fn the_form_round_trips_and_saves_only_what_was_edited() {
    let dir = demo_data_dir();
    run(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "met", "--rationale", "Scope is taught and assessed."], 0);
    let form = dir.path().join("form.txt");
    let form_arg = form.to_str().unwrap();
    let text = stdout(&run(dir.path(), &["export", "--form", SUB, "--output", form_arg], 0));
    assert!(text.contains("Wrote the form for S-2026-014 (51 standards)"), "{text}");

    // Untouched, it changes nothing: no new version, nothing queued.
    let before = mine(dir.path(), "MPF 1.1").unwrap();
    let text = stdout(&run(dir.path(), &["import", "--form", form_arg], 0));
    assert!(text.contains(": 0 judgements saved, 51 unchanged, in S-2026-014"), "{text}");
    assert_eq!(mine(dir.path(), "MPF 1.1").unwrap(), before);

    // Edited in a text editor: an outcome and a multi-line rationale.
    let edited = std::fs::read_to_string(&form).unwrap();
    let at = edited.find("==+== Standard: MPF 1.2").expect("MPF 1.2 in the form");
    let (head, tail) = edited.split_at(at);
    let tail = tail.replacen(
        "==+== Outcome: open\n==+== Rationale:\n",
        "==+== Outcome: partially met\n==+== Rationale:\nAutonomy is taught,\n\nbut not assessed.\n",
        1,
    );
    std::fs::write(&form, format!("{head}{tail}")).unwrap();
    let text = stdout(&run(dir.path(), &["import", "--form", form_arg], 0));
    assert!(text.contains(": 1 judgement saved, 50 unchanged"), "{text}");
    let saved = mine(dir.path(), "MPF 1.2").unwrap();
    assert_eq!(saved.outcome, Some(Outcome::PartiallyMet));
    assert_eq!(saved.rationale, "Autonomy is taught,\n\nbut not assessed.");
    assert_eq!(saved.state, JudgementState::Draft);

    // A fresh export carries the saved text back out.
    let again = stdout(&run(dir.path(), &["export", "--form", SUB], 0));
    assert!(
        again.contains("==+== Outcome: partially met\n==+== Rationale:\nAutonomy is taught,\n\nbut not assessed.\n"),
        "{again}"
    );
    run(dir.path(), &["export", "--form", SUB, "--output", form_arg], 1);
}

#[test]
fn an_import_never_overwrites_a_newer_edit() {
    let dir = demo_data_dir();
    run(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "met", "--rationale", "First."], 0);
    let exported = stdout(&run(dir.path(), &["export", "--form", SUB], 0));
    // After the export, the judgement changes in accredit...
    run(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "not-met", "--rationale", "Changed in the TUI."], 0);
    // ...and the form is edited too, for that standard and another.
    let edited = exported.replacen(
        "==+== Outcome: met\n==+== Rationale:\nFirst.",
        "==+== Outcome: met\n==+== Rationale:\nEdited in the form.",
        1,
    );
    let at = edited.find("==+== Standard: MPF 1.3").unwrap();
    let (head, tail) = edited.split_at(at);
    let edited = format!("{head}{}", tail.replacen("==+== Outcome: open", "==+== Outcome: met", 1));
    let form = dir.path().join("form.txt");
    std::fs::write(&form, &edited).unwrap();
    let line = edited.lines().position(|l| l == "==+== Standard: MPF 1.1").unwrap() + 1;
    let output = run(dir.path(), &["import", "--form", form.to_str().unwrap()], 1);
    assert!(stdout(&output).contains("1 judgement saved"), "{}", describe(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "line {line}: MPF 1.1 changed in accredit after this form was exported (the form has version 1 of "
        )),
        "{message}"
    );
    assert!(message.contains("accredit has version 2 of "), "{message}");
    assert!(message.contains("1 entry of ") && message.contains("form.txt was not imported:"), "{message}");
    let kept = mine(dir.path(), "MPF 1.1").unwrap();
    assert_eq!((kept.outcome, kept.rationale.as_str()), (Some(Outcome::NotMet), "Changed in the TUI."));
    assert_eq!(mine(dir.path(), "MPF 1.3").unwrap().outcome, Some(Outcome::Met), "the fresh edit was saved");
}

/// Issue 9 #15: a form for a submitted review says so when exported and imported, and neither
/// message tells the reviewer to submit or to copy text into accredit.
#[test]
fn a_form_for_a_submitted_review_is_for_reference_only() {
    let dir = demo_data_dir();
    let form = dir.path().join("form.txt");
    let form_arg = form.to_str().unwrap();
    let export = |dir: &Path| stdout(&run(dir, &["export", "--form", SUB, "--output", form_arg], 0));
    assert!(export(dir.path()).contains("Fill it in"), "a draft review's form is to fill in");
    std::fs::remove_file(&form).unwrap();
    // Every standard judged, then submitted.
    let exported = stdout(&run(dir.path(), &["export", "--form", SUB], 0));
    let filled = exported.replace(
        "==+== Outcome: open\n==+== Rationale:\n",
        "==+== Outcome: met\n==+== Rationale:\nTaught and assessed.\n",
    );
    std::fs::write(&form, &filled).unwrap();
    run(dir.path(), &["import", "--form", form_arg], 0);
    run(dir.path(), &["submit", SUB], 0);
    std::fs::remove_file(&form).unwrap();

    let text = export(dir.path());
    assert!(text.contains("for reference: your judgements are submitted"), "{text}");
    assert!(!text.contains("Fill it in"), "{text}");
    let edited = std::fs::read_to_string(&form).unwrap().replacen("==+== Outcome: met", "==+== Outcome: not met", 1);
    std::fs::write(&form, edited).unwrap();
    let output = run(dir.path(), &["import", "--form", form_arg], 1);
    let message = stderr(&output);
    assert!(message.contains("nothing imported: your judgements for S-2026-014 are submitted"), "{message}");
    assert!(message.contains("1 entry of the form differ"), "{message}");
    assert!(!message.contains("Copy that text") && !message.contains("accredit submit"), "{message}");
    assert!(!stdout(&output).contains("submit with"), "{}", describe(&output));
}

#[test]
fn a_bad_form_is_refused_with_line_numbers_and_nothing_saved() {
    let dir = demo_data_dir();
    let exported = stdout(&run(dir.path(), &["export", "--form", SUB], 0));
    let bad = exported.replacen("==+== Outcome: open", "==+== Outcome: mett", 1).replacen(
        "==+== Outcome: open",
        "==+== Outcome: met",
        1,
    );
    let line = bad.lines().position(|l| l == "==+== Outcome: mett").unwrap() + 1;
    let form = dir.path().join("form.txt");
    std::fs::write(&form, &bad).unwrap();
    let message = stderr(&run(dir.path(), &["import", "--form", form.to_str().unwrap()], 1));
    assert!(
        message.contains(&format!(
            "form.txt: line {line}: \"mett\" is not an outcome (write met, partially met, not met, or open)"
        )),
        "{message}"
    );
    assert!(mine(dir.path(), "MPF 1.2").is_none(), "nothing was saved");

    let foreign = exported.replace("==+== Reviewer: u-demo", "==+== Reviewer: u-other");
    std::fs::write(&form, foreign).unwrap();
    let message = stderr(&run(dir.path(), &["import", "--form", form.to_str().unwrap()], 1));
    assert!(message.contains("holds the judgements of u-other"), "{message}");

    let unknown = exported.replacen("==+== Standard: MPF 1.1", "==+== Standard: MPF 9.9", 1);
    std::fs::write(&form, unknown).unwrap();
    let message = stderr(&run(dir.path(), &["import", "--form", form.to_str().unwrap()], 1));
    assert!(message.contains("MPF 9.9 is not under review in S-2026-014"), "{message}");
}

#[test]
fn the_chair_has_no_form() {
    let dir = demo_data_dir();
    let message = stderr(&run(dir.path(), &["export", "--form", "S-2026-009"], 1));
    assert!(message.contains("as chair you judge no standards in S-2026-009"), "{message}");
}
