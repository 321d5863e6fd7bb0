//! Every validation error of the import formats, on bad files kept in tests/data/bad.

use std::path::Path;

use accredit::format::{FormatError, load_submission_dir, parse_framework, parse_submission};

fn data(path: &str) -> (String, String) {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()));
    (full.display().to_string(), text)
}

fn mpf() -> accredit::domain::Framework {
    accredit::demo::frameworks().unwrap().into_iter().find(|f| f.id == "mpf-2017").unwrap()
}

fn framework_error(path: &str) -> FormatError {
    let (file, text) = data(path);
    parse_framework(&file, &text).expect_err("the file is bad")
}

fn locations(error: &FormatError) -> Vec<&str> {
    error.problems.iter().map(|p| p.location.as_str()).collect()
}

#[test]
fn a_wrong_format_names_the_file_and_the_expected_format() {
    let error = framework_error("bad/framework-wrong-format.json");
    assert!(error.file.ends_with("framework-wrong-format.json"));
    let message = error.to_string();
    assert!(message.contains("\"accredit.submission.v1\""), "{message}");
    assert!(message.contains("accredit.framework.v1"), "{message}");
}

#[test]
fn a_missing_format_says_what_to_add() {
    let error = framework_error("bad/framework-no-format.json");
    assert_eq!(locations(&error), vec!["format"]);
    assert!(error.problems[0].hint.contains("\"format\": \"accredit.framework.v1\""));
}

#[test]
fn every_problem_in_a_framework_is_reported_at_once_with_its_json_path() {
    let error = framework_error("bad/framework-duplicates.json");
    let at = locations(&error);
    assert!(at.contains(&"title"), "{at:?}");
    assert!(at.contains(&"sections[0].standards[1].code"), "duplicate code: {at:?}");
    assert!(at.contains(&"sections[0].standards[1].title"), "empty title: {at:?}");
    assert!(at.contains(&"sections[1].code"), "duplicate section: {at:?}");
    assert!(at.contains(&"sections[1].standards"), "empty section: {at:?}");
    assert!(error.to_string().contains("\"MPF 1.1\" is used twice"));
}

#[test]
fn a_syntax_error_names_the_line() {
    let error = framework_error("bad/framework-syntax.json");
    assert_eq!(locations(&error), vec!["line 5, column 3"]);
    assert!(error.problems[0].hint.contains("JSON syntax"));
}

#[test]
fn a_misspelt_field_is_refused_not_ignored() {
    let error = framework_error("bad/framework-typo-field.json");
    let message = error.to_string();
    assert!(message.contains("rationale_requried"), "{message}");
    assert!(message.contains("line 6"), "{message}");
}

#[test]
fn a_submission_with_dangling_references_lists_every_one() {
    let framework = mpf();
    let (file, text) = data("bad/submission-dangling.json");
    let error =
        parse_submission(&file, &text, |id, v| (id == framework.id && v == framework.version).then_some(&framework))
            .expect_err("the file is bad");
    let at = locations(&error);
    for expected in [
        "award",
        "frameworks[1]",
        "documents[0].path",
        "documents[1].id",
        "documents[1].media_type",
        "mappings[0].standard",
        "mappings[1].evidence[0].document",
        "mappings[2].standard",
    ] {
        assert!(at.contains(&expected), "{expected} missing from {at:?}");
    }
    let message = error.to_string();
    assert!(message.contains("framework nope version 1 is not known"), "{message}");
    assert!(message.contains("document \"E42\" is not in the documents list"), "{message}");
    assert!(message.contains("leaves the submission folder"), "{message}");
}

#[test]
fn an_impossible_date_is_refused_with_its_line() {
    let framework = mpf();
    let (file, text) = data("bad/submission-bad-date.json");
    let error = parse_submission(&file, &text, |_, _| Some(&framework)).expect_err("31 February");
    assert_eq!(error.problems.len(), 1);
    assert!(error.problems[0].location.starts_with("line 9"), "{:?}", error.problems);
}

#[test]
fn a_package_with_a_missing_document_file_is_refused() {
    let framework = mpf();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/package");
    let error = load_submission_dir(&dir, |_, _| Some(&framework)).expect_err("E02 is missing");
    assert_eq!(locations(&error), vec!["documents[1].path"]);
    assert!(error.to_string().contains("documents/E02.txt"));
}

#[test]
fn every_fixture_file_is_valid() {
    // The demo installs only if every fixture parses and validates.
    let store = crate::support::demo_store();
    let me = store.me().unwrap().unwrap();
    let ids: Vec<String> = store.assignments(&me).unwrap().into_iter().map(|a| a.submission).collect();
    // And the provider's pack the demo takes through intake.
    assert_eq!(ids.len(), accredit::demo::submission_ids().len() + 1);
    assert!(ids.iter().any(|id| id == "S-2026-030"), "{ids:?}");
}
