//! The scriptable verbs (`status`, `judge`, `submit`, `demo`'s refusals), driven through the
//! real binary: exit codes, what goes to stdout and stderr, and what ends up in the cache.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use accredit::domain::{JudgementState, Outcome};
use accredit::store::{ReviewData, Store};
use serde_json::Value;

use crate::support::{accredit, binary, demo_data_dir, stderr, stdout};

const SUB: &str = "S-2026-014";
const ME: &str = "u-demo";

/// What the command printed, for assertion messages.
fn describe(output: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", output.status.code(), stdout(output), stderr(output))
}

/// Runs a command that must succeed and returns its output.
fn ok(dir: &Path, args: &[&str]) -> Output {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(0), "accredit {args:?} should succeed\n{}", describe(&output));
    output
}

/// Runs a command that must exit with `code`; returns its stderr.
fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(code), "accredit {args:?} should exit {code}\n{}", describe(&output));
    assert!(stdout(&output).trim().is_empty(), "a failure prints nothing on stdout\n{}", describe(&output));
    stderr(&output)
}

/// Runs a command that must fail (exit 1) with an `error: ...` message; returns that message.
fn error(dir: &Path, args: &[&str]) -> String {
    let message = fails(dir, args, 1);
    assert!(message.starts_with("error: "), "a failure is reported as `error: ...`, got:\n{message}");
    message
}

fn status_json(dir: &Path) -> Value {
    let output = ok(dir, &["status", "--json"]);
    serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("status --json is not JSON: {e}\n{}", describe(&output)))
}

fn assignment<'a>(status: &'a Value, submission: &str) -> &'a Value {
    status["assignments"]
        .as_array()
        .expect("assignments is an array")
        .iter()
        .find(|a| a["submission"] == submission)
        .unwrap_or_else(|| panic!("no assignment for {submission} in {status:#}"))
}

fn open_store(dir: &Path) -> Store {
    Store::open(&dir.join("cache.sqlite")).expect("open the cache")
}

fn review(dir: &Path, submission: &str) -> ReviewData {
    open_store(dir).load_review(submission, ME).expect("load the review")
}

/// The codes of the standards I judge in `submission`, in order.
fn my_codes(dir: &Path, submission: &str) -> Vec<String> {
    review(dir, submission).standards().filter(|s| s.judged_by_me).map(|s| s.code.clone()).collect()
}

/// The line of the text status that starts with `submission`.
fn status_line(text: &str, submission: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(submission))
        .unwrap_or_else(|| panic!("no line for {submission} in the status:\n{text}"))
        .to_string()
}

/// Runs accredit with `input` on standard input.
fn with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(binary())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("ACCREDIT_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start accredit");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("run accredit")
}

/// Runs accredit with no input and kills it if it has not ended within `limit` (a command that
/// wrongly opened the TUI must not hang the test run).
fn bounded(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(binary())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("ACCREDIT_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start accredit");
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for accredit") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("accredit {args:?} did not end within {limit:?} (did it open the TUI?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    child.stdout.take().expect("stdout").read_to_end(&mut out).expect("read stdout");
    child.stderr.take().expect("stderr").read_to_end(&mut err).expect("read stderr");
    Output { status, stdout: out, stderr: err }
}

#[test]
fn status_lists_my_assignments_as_text() {
    let dir = demo_data_dir();
    let text = stdout(&ok(dir.path(), &["status"]));
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("Sam Okafor (u-demo)"), "the first line names me:\n{text}");
    assert!(first.contains("0 unsynced changes"), "a fresh demo has nothing unsynced:\n{text}");
    assert!(first.contains("never synced"), "{text}");

    let line = status_line(&text, SUB);
    assert!(line.contains("reviewer") && line.contains("0/51 judged"), "{line}");
    assert!(line.contains("MSc Advanced Clinical Practice"), "{line}");
    let line = status_line(&text, "S-2026-015");
    assert!(line.contains("returned, no review"), "{line}");
    let line = status_line(&text, "S-2026-009");
    assert!(line.contains("chair") && line.contains("reviewers in"), "{line}");
    let line = status_line(&text, "S-2026-021");
    assert!(
        line.contains("reviewer") && line.contains("0/2 judged"),
        "the partial re-review has two standards: {line}"
    );
}

#[test]
fn status_json_follows_the_documented_format() {
    let dir = demo_data_dir();
    let status = status_json(dir.path());
    assert_eq!(status["format"], "accredit.status.v1");
    assert_eq!(status["user"]["id"], ME);
    assert_eq!(status["user"]["name"], "Sam Okafor");
    assert_eq!(status["unsynced"], 0);
    assert!(status["last_sync"].is_null(), "the demo was never synced: {status:#}");

    let keys = [
        "submission",
        "provider",
        "programme",
        "stage",
        "role",
        "recused",
        "due",
        "overdue",
        "judged",
        "total",
        "submitted",
        "reviewers_submitted",
        "reviewers_total",
    ];
    let assignments = status["assignments"].as_array().expect("assignments is an array");
    // The four submissions under fixtures/submissions and the provider's pack (S-2026-030).
    assert_eq!(assignments.len(), 5, "{status:#}");
    for a in assignments {
        let mut found: Vec<&str> = a.as_object().expect("an object").keys().map(String::as_str).collect();
        found.sort_unstable();
        let mut expected = keys.to_vec();
        expected.sort_unstable();
        assert_eq!(found, expected, "the documented fields, no more, no less: {a:#}");
    }

    let a = assignment(&status, SUB);
    assert_eq!(a["role"], "reviewer");
    assert_eq!(a["stage"], "standards_review");
    assert_eq!(a["total"], 51);
    assert_eq!(a["judged"], 0);
    assert_eq!(a["submitted"], false);
    assert_eq!(a["recused"], false);
    assert_eq!(a["programme"], "MSc Advanced Clinical Practice");
    assert_eq!(a["due"], "2026-03-20");
    assert!(a["overdue"].is_boolean(), "{a:#}");

    assert_eq!(assignment(&status, "S-2026-009")["role"], "chair");
    assert_eq!(assignment(&status, "S-2026-015")["stage"], "returned");
    assert_eq!(assignment(&status, "S-2026-021")["total"], 2);
}

#[test]
fn judging_shows_in_the_status_progress_and_unsynced_count() {
    let dir = demo_data_dir();
    let out = stdout(&ok(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "met", "--rationale", "Well mapped."]));
    assert!(out.contains("S-2026-014 MPF 1.1: met (draft, saved"), "{out}");
    ok(dir.path(), &["judge", SUB, "MPF 2.3", "--outcome", "not-met", "--rationale", "No assessment found."]);

    let text = stdout(&ok(dir.path(), &["status"]));
    assert!(text.lines().next().unwrap_or_default().contains("2 unsynced changes"), "{text}");
    assert!(status_line(&text, SUB).contains("2/51 judged"), "{text}");

    // Changing a judgement again replaces its unsent change rather than queueing another.
    ok(dir.path(), &["judge", SUB, "MPF 2.3", "--outcome", "partially-met"]);
    let status = status_json(dir.path());
    assert_eq!(status["unsynced"], 2, "{status:#}");
    assert_eq!(assignment(&status, SUB)["judged"], 2, "{status:#}");

    let data = review(dir.path(), SUB);
    let mine = |code: &str| data.standards().find(|s| s.code == code).and_then(|s| s.mine.clone()).expect(code);
    assert_eq!(mine("MPF 1.1").outcome, Some(Outcome::Met));
    assert_eq!(mine("MPF 1.1").rationale, "Well mapped.");
    assert_eq!(mine("MPF 1.1").state, JudgementState::Draft);
    assert_eq!(mine("MPF 2.3").outcome, Some(Outcome::PartiallyMet));
    assert_eq!(mine("MPF 2.3").rationale, "No assessment found.", "without --rationale the written one is kept");
}

#[test]
fn judge_forgives_case_spacing_and_hyphens_in_standard_codes() {
    let dir = demo_data_dir();
    let out = stdout(&ok(dir.path(), &["judge", SUB, "mpf1.6", "--outcome", "met"]));
    assert!(out.contains("MPF 1.6: met"), "the real code is echoed: {out}");
    let out = stdout(&ok(dir.path(), &["judge", SUB, "set demo 4.1", "--outcome", "met"]));
    assert!(out.contains("SET-DEMO 4.1: met"), "{out}");

    let data = review(dir.path(), SUB);
    for code in ["MPF 1.6", "SET-DEMO 4.1"] {
        let outcome = data.standards().find(|s| s.code == code).and_then(|s| s.mine.as_ref()).and_then(|j| j.outcome);
        assert_eq!(outcome, Some(Outcome::Met), "{code}");
    }
}

#[test]
fn partially_met_without_a_rationale_succeeds_with_a_note() {
    let dir = demo_data_dir();
    let output = ok(dir.path(), &["judge", SUB, "MPF 1.2", "--outcome", "partially-met"]);
    let err = stderr(&output);
    assert!(err.contains("note:") && err.contains("needs a rationale"), "a note says a rationale is needed:\n{err}");
    assert!(err.contains("--rationale"), "the note says how to add one:\n{err}");
    assert!(!err.contains("error"), "{err}");

    let mine = review(dir.path(), SUB).standards().find(|s| s.code == "MPF 1.2").and_then(|s| s.mine.clone());
    let mine = mine.expect("the judgement is recorded");
    assert_eq!(mine.outcome, Some(Outcome::PartiallyMet));
    assert_eq!(mine.rationale, "");

    // With a rationale there is nothing to note.
    let output =
        ok(dir.path(), &["judge", SUB, "MPF 1.2", "--outcome", "partially-met", "--rationale", "Only year 1."]);
    assert!(!stderr(&output).contains("note:"), "{}", describe(&output));
}

#[test]
fn rationale_files_and_standard_input_are_read_without_the_final_line_break() {
    let dir = demo_data_dir();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "First line.\nSecond line.\n").expect("write notes");
    let file = file.to_str().expect("a UTF-8 path");
    ok(dir.path(), &["judge", SUB, "MPF 1.3", "--outcome", "not-met", "--rationale-file", file]);
    let output = with_stdin(
        dir.path(),
        &["judge", SUB, "MPF 1.4", "--outcome", "partially-met", "--rationale-file", "-"],
        "From standard input.\n",
    );
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(!stderr(&output).contains("note:"), "the rationale was given: {}", describe(&output));

    let data = review(dir.path(), SUB);
    let rationale =
        |code: &str| data.standards().find(|s| s.code == code).and_then(|s| s.mine.clone()).expect(code).rationale;
    assert_eq!(rationale("MPF 1.3"), "First line.\nSecond line.");
    assert_eq!(rationale("MPF 1.4"), "From standard input.");

    let err =
        error(dir.path(), &["judge", SUB, "MPF 1.5", "--outcome", "met", "--rationale-file", "/nonexistent/notes.txt"]);
    assert!(err.contains("/nonexistent/notes.txt"), "the unreadable file is named: {err}");
}

#[test]
fn an_unknown_submission_is_refused_by_name() {
    let dir = demo_data_dir();
    let err = error(dir.path(), &["judge", "S-2026-999", "MPF 1.1", "--outcome", "met"]);
    assert!(err.contains("S-2026-999"), "the message names the submission: {err}");
    assert!(err.contains("no submission"), "{err}");
    let err = error(dir.path(), &["submit", "S-2026-999"]);
    assert!(err.contains("S-2026-999"), "{err}");
    assert_eq!(status_json(dir.path())["unsynced"], 0, "nothing was recorded");
}

#[test]
fn an_unknown_standard_is_refused() {
    let dir = demo_data_dir();
    let err = error(dir.path(), &["judge", SUB, "MPF 9.9", "--outcome", "met"]);
    assert!(err.contains("MPF 9.9") && err.contains(SUB), "the message names both: {err}");
    // In the partial re-review only SET-DEMO 2.1 and 5.2 are under review.
    let err = error(dir.path(), &["judge", "S-2026-021", "MPF 1.1", "--outcome", "met"]);
    assert!(err.contains("MPF 1.1") && err.contains("S-2026-021"), "{err}");
    ok(dir.path(), &["judge", "S-2026-021", "SET-DEMO 5.2", "--outcome", "met"]);
    assert_eq!(assignment(&status_json(dir.path()), "S-2026-021")["judged"], 1);
}

#[test]
fn a_submission_returned_at_threshold_cannot_be_judged_or_submitted() {
    let dir = demo_data_dir();
    let err = error(dir.path(), &["judge", "S-2026-015", "MPF 1.1", "--outcome", "met"]);
    assert!(err.contains("S-2026-015") && err.contains("returned"), "{err}");
    let err = error(dir.path(), &["submit", "S-2026-015"]);
    assert!(err.contains("S-2026-015"), "{err}");
    let status = status_json(dir.path());
    assert_eq!(status["unsynced"], 0, "{status:#}");
    assert_eq!(assignment(&status, "S-2026-015")["judged"], 0);
}

#[test]
fn the_chair_does_not_judge_standards() {
    let dir = demo_data_dir();
    let err = error(dir.path(), &["judge", "S-2026-009", "MPF 1.1", "--outcome", "met"]);
    assert!(err.contains("chair") && err.contains("S-2026-009"), "{err}");
}

#[test]
fn the_lay_members_standards_do_not_limit_a_reviewer() {
    let dir = demo_data_dir();
    let codes = my_codes(dir.path(), SUB);
    assert_eq!(codes.len(), 51, "Sam judges every standard: {codes:?}");
    assert_eq!(codes.first().map(String::as_str), Some("MPF 1.1"));
    assert_eq!(codes.last().map(String::as_str), Some("SET-DEMO 6.1"));
    // The lay member is limited to these four; Sam is not limited to them, nor kept from them.
    for code in ["SET-DEMO 1.2", "SET-DEMO 2.3", "SET-DEMO 3.1", "SET-DEMO 5.3"] {
        assert!(codes.iter().any(|c| c == code), "{code} is Sam's too");
        ok(dir.path(), &["judge", SUB, code, "--outcome", "met"]);
    }
    ok(dir.path(), &["judge", SUB, "MPF 4.8", "--outcome", "met"]);
    let status = status_json(dir.path());
    let a = assignment(&status, SUB);
    assert_eq!((a["judged"].as_u64(), a["total"].as_u64()), (Some(5), Some(51)), "{a:#}");
}

#[test]
fn submitting_with_gaps_lists_every_gap() {
    let dir = demo_data_dir();
    let codes = my_codes(dir.path(), SUB);
    let err = error(dir.path(), &["submit", SUB]);
    assert!(err.contains("51 gaps"), "the count is given: {err}");
    for code in &codes {
        let line = format!("  {code}: no outcome yet");
        assert!(err.lines().any(|l| l == line), "{code} is listed:\n{err}");
    }

    // A rationale gap is listed as such, and one gap is "1 gap".
    let mut store = open_store(dir.path());
    for code in codes.iter().filter(|c| *c != "MPF 2.4") {
        store.save_judgement(SUB, code, ME, Some(Outcome::Met), "Fine.").expect("judge through the library");
    }
    drop(store);
    ok(dir.path(), &["judge", SUB, "MPF 2.4", "--outcome", "not-met"]);
    let err = error(dir.path(), &["submit", SUB]);
    assert!(err.contains("1 gap to close"), "{err}");
    assert!(err.contains("  MPF 2.4: not met needs a rationale"), "{err}");
    assert!(!err.contains("MPF 1.1"), "only the gap is listed: {err}");

    let status = status_json(dir.path());
    assert_eq!(assignment(&status, SUB)["submitted"], false, "nothing was submitted");
}

#[test]
fn submitting_every_judgement_makes_them_read_only() {
    let dir = demo_data_dir();
    let codes = my_codes(dir.path(), SUB);
    assert_eq!(codes.len(), 51);
    for code in &codes {
        let rationale = format!("Mapped and assessed: {code}.");
        ok(dir.path(), &["judge", SUB, code, "--outcome", "met", "--rationale", &rationale]);
    }
    let status = status_json(dir.path());
    assert_eq!(assignment(&status, SUB)["judged"], 51, "{status:#}");

    let out = stdout(&ok(dir.path(), &["submit", SUB]));
    assert!(out.contains("Submitted 51 judgements for S-2026-014"), "{out}");

    let status = status_json(dir.path());
    assert_eq!(assignment(&status, SUB)["submitted"], true, "{status:#}");
    assert!(status_line(&stdout(&ok(dir.path(), &["status"])), SUB).contains("submitted"));
    let data = review(dir.path(), SUB);
    assert!(data.submitted);
    for s in data.standards().filter(|s| s.judged_by_me) {
        let mine = s.mine.as_ref().unwrap_or_else(|| panic!("{} has my judgement", s.code));
        assert_eq!(mine.state, JudgementState::Submitted, "{}", s.code);
        assert_eq!(mine.rationale, format!("Mapped and assessed: {}.", s.code));
    }

    let err = error(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "not-met", "--rationale", "Changed my mind."]);
    assert!(err.contains("read-only") && err.contains("submitted"), "{err}");
    let err = error(dir.path(), &["submit", SUB]);
    assert!(err.contains("submitted"), "{err}");
    let mine = review(dir.path(), SUB).standards().find(|s| s.code == "MPF 1.1").and_then(|s| s.mine.clone());
    assert_eq!(mine.and_then(|j| j.outcome), Some(Outcome::Met), "the submitted judgement is unchanged");
}

#[test]
fn bad_usage_exits_2_and_changes_nothing() {
    let dir = demo_data_dir();
    let err = fails(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "excellent"], 2);
    assert!(err.contains("excellent") && err.contains("partially-met"), "the allowed values are shown: {err}");
    fails(dir.path(), &["judge", SUB, "MPF 1.1"], 2);
    fails(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "met", "--rationale", "a", "--rationale-file", "b"], 2);
    fails(dir.path(), &["submit"], 2);
    fails(dir.path(), &["frobnicate"], 2);
    assert_eq!(status_json(dir.path())["unsynced"], 0);
}

#[test]
fn without_a_cache_the_verbs_say_how_to_get_one() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for args in
        [&["status"][..], &["status", "--json"], &["judge", SUB, "MPF 1.1", "--outcome", "met"], &["submit", SUB]]
    {
        let err = error(dir.path(), args);
        assert!(
            err.contains("`accredit login --server URL` (it asks for the token") && err.contains("`accredit demo`"),
            "{args:?}: {err}"
        );
    }
    assert!(!dir.path().join("cache.sqlite").exists(), "no cache is created by a failed verb");

    // A cache that was never filled (no owner) is refused too.
    drop(open_store(dir.path()));
    let err = error(dir.path(), &["status"]);
    assert!(err.contains("empty or unfinished") && err.contains("accredit login"), "{err}");

    // A hub user's profile: log in again and sync, never "the demo".
    accredit::sync::Credentials {
        server: "https://hub.example.org".into(),
        token: "not-a-real-token".into(),
        user: "u-rev1".into(),
        ca_cert: None,
    }
    .save(&dir.path().join("credentials.json"))
    .expect("save credentials");
    std::fs::remove_file(dir.path().join("cache.sqlite")).expect("remove the cache");
    let err = error(dir.path(), &["status"]);
    assert!(
        err.contains("log in again and sync: `accredit login --server https://hub.example.org")
            && !err.contains("demo"),
        "{err}"
    );
    assert!(!err.contains("not-a-real-token"), "the token is never shown: {err}");
    let doctor = stdout(&accredit(dir.path(), &["doctor"]));
    assert!(doctor.contains("log in again and sync") && !doctor.contains("accredit demo"), "{doctor}");

    // The demo's folder: a fresh demo.
    let demo = demo_data_dir();
    std::fs::write(demo.path().join("demo-hub.sqlite"), b"").expect("a demo hub file");
    open_store(demo.path()).connection().execute("DELETE FROM meta WHERE key = 'me'", []).expect("unfinish");
    let err = error(demo.path(), &["status"]);
    assert!(err.contains("accredit demo --reset"), "{err}");
}

#[test]
fn demo_refuses_to_overwrite_a_real_cache() {
    let dir = tempfile::tempdir().expect("temporary folder");
    open_store(dir.path()).set_meta("me", "u-real").expect("make a real-looking cache");
    for args in [&["demo"][..], &["demo", "--reset"]] {
        let output = bounded(dir.path(), args, Duration::from_secs(30));
        assert_eq!(output.status.code(), Some(1), "{args:?}\n{}", describe(&output));
        let err = stderr(&output);
        assert!(err.starts_with("error: ") && err.contains("real cache"), "{args:?}: {err}");
        assert!(err.contains("--data-dir"), "the message says how to run the demo elsewhere: {err}");
    }
    let store = open_store(dir.path());
    assert_eq!(store.me().expect("read").as_deref(), Some("u-real"), "the cache is untouched");
    assert_eq!(store.meta("kind").expect("read"), None);
}

#[test]
fn the_tui_without_a_terminal_says_so_instead_of_panicking() {
    let dir = demo_data_dir();
    for args in [&[][..], &["demo"][..]] {
        let message = error(dir.path(), args);
        assert!(message.contains("the TUI needs a terminal"), "{args:?}: {message}");
        assert!(message.contains("accredit status") && message.contains("judge"), "names the verbs: {message}");
        assert!(!message.contains("panicked"), "{args:?}: {message}");
    }
}
