//! End to end through the command line only: a hub set up with `accredit hub ...` and run with
//! `accredit serve`, and three workstations (two reviewers and a chair) that `login`, `judge`,
//! `submit`, `sync` and report `status --json`. The caches are only read, to check what arrived.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{HubProcess, Row, accredit, judgement_rows, stderr, stdout};

const SUB: &str = "S-2026-021";

fn describe(args: &[&str], output: &Output) -> String {
    format!(
        "accredit {args:?}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    )
}

/// Runs a verb that must succeed; returns its stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(0), "{}", describe(args, &output));
    stdout(&output)
}

/// Runs a verb that must exit 1; returns its stderr.
fn fails(dir: &Path, args: &[&str]) -> String {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(1), "{}", describe(args, &output));
    stderr(&output)
}

fn status(dir: &Path) -> Value {
    let text = ok(dir, &["status", "--json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("status --json is not JSON: {e}\n{text}"))
}

fn assignment(dir: &Path) -> Value {
    let status = status(dir);
    let list = status["assignments"].as_array().expect("assignments").clone();
    assert_eq!(list.len(), 1, "one assignment: {status:#}");
    assert_eq!(list[0]["submission"], SUB);
    list[0].clone()
}

/// What a workstation's cache holds of `reviewer`'s judgements.
fn rows_of(dir: &Path, reviewer: &str) -> Vec<Row> {
    let conn = rusqlite::Connection::open(dir.join("cache.sqlite")).expect("open the cache");
    judgement_rows(&conn).into_iter().filter(|r| r.reviewer == reviewer).collect()
}

/// A hub database set up by the admin verbs; returns the tokens of (ada, ben, cleo).
fn set_up_hub(admin: &Path, db: &Path) -> (String, String, String) {
    let db = db.to_str().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let fixture = |p: &str| fixtures.join(p).to_str().unwrap().to_string();
    assert!(ok(admin, &["hub", "--db", db, "init"]).contains("hub database ready"));
    let token = |name: &str, role: &str, id: &str| -> String {
        let out = ok(admin, &["hub", "--db", db, "add-user", name, "--role", role, "--id", id]);
        let token = out.lines().last().unwrap_or_default().trim().to_string();
        assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "a token is shown once:\n{out}");
        token
    };
    let ada = token("Ada Lovelace", "reviewer", "r-ada");
    let ben = token("Ben Okri", "reviewer", "r-ben");
    let cleo = token("Cleo Chair", "chair", "c-cleo");
    for framework in ["frameworks/set-demo-1.json", "frameworks/mpf-2017.json"] {
        assert!(
            ok(admin, &["hub", "--db", db, "import-framework", &fixture(framework)]).contains("imported framework")
        );
    }
    let out = ok(admin, &["hub", "--db", db, "import-submission", &fixture(&format!("submissions/{SUB}"))]);
    assert!(out.contains(SUB), "{out}");
    let assign =
        ["hub", "--db", db, "assign", SUB, "--chair", "c-cleo", "--reviewers", "r-ada,r-ben", "--due", "2026-12-01"];
    assert!(ok(admin, &assign).contains("chair c-cleo"));
    (ada, ben, cleo)
}

fn workstation(url: &str, token: &str, who: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(dir.path(), &["login", "--server", url, "--token", token]);
    assert!(out.contains(&format!("({who})")), "{out}");
    assert!(!out.contains(token), "login does not print the token");
    let credentials = dir.path().join("credentials.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&credentials).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "credentials.json is readable by its owner only");
    }
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&credentials).unwrap()).unwrap();
    assert_eq!((saved["server"].as_str(), saved["user"].as_str()), (Some(url), Some(who)));
    dir
}

#[test]
fn two_reviewers_and_a_chair_through_the_command_line() {
    let hub_dir = tempfile::tempdir().unwrap();
    let db = hub_dir.path().join("hub.sqlite");
    let (ada_token, ben_token, cleo_token) = set_up_hub(hub_dir.path(), &db);
    let mut hub = HubProcess::start(&db, "127.0.0.1:0").unwrap();
    let ada = workstation(&hub.url, &ada_token, "r-ada");
    let ben = workstation(&hub.url, &ben_token, "r-ben");
    let cleo = workstation(&hub.url, &cleo_token, "c-cleo");
    let (ada, ben, cleo) = (ada.path(), ben.path(), cleo.path());
    for dir in [ada, ben, cleo] {
        assert!(ok(dir, &["sync"]).starts_with(&format!("synced with {}", hub.url)));
    }
    let mine = assignment(ada);
    assert_eq!(
        (mine["role"].as_str(), mine["total"].as_u64(), mine["judged"].as_u64()),
        (Some("reviewer"), Some(2), Some(0))
    );
    assert_eq!(assignment(cleo)["role"], "chair");

    // Ada judges both standards; Ben drafts one. Nobody sees anyone else's drafts.
    ok(ada, &["judge", SUB, "SET-DEMO 2.1", "--outcome", "met", "--rationale", "Ada on 2.1"]);
    ok(ada, &["judge", SUB, "set-demo 5.2", "--outcome", "partially-met", "--rationale", "Ada on 5.2"]);
    assert_eq!(status(ada)["unsynced"], 2);
    assert!(ok(ada, &["sync"]).contains("pushed 2 (applied 2)"));
    assert_eq!(status(ada)["unsynced"], 0);
    ok(ben, &["judge", SUB, "SET-DEMO 2.1", "--outcome", "not-met", "--rationale", "Ben on 2.1"]);
    ok(ben, &["sync"]);
    ok(cleo, &["sync"]);
    ok(ada, &["sync"]);
    assert!(rows_of(ben, "r-ada").is_empty(), "Ben does not get Ada's drafts");
    assert!(rows_of(ada, "r-ben").is_empty(), "Ada does not get Ben's drafts");
    assert!(rows_of(cleo, "r-ada").is_empty() && rows_of(cleo, "r-ben").is_empty(), "the chair gets no drafts");
    assert_eq!(assignment(cleo)["reviewers_submitted"], 0);

    // Ada submits: the chair gets her judgements; Ben, who has not submitted, still does not.
    assert!(ok(ada, &["submit", SUB]).contains("Submitted 2 judgements"));
    ok(ada, &["sync"]);
    ok(ben, &["sync"]);
    ok(cleo, &["sync"]);
    assert!(rows_of(ben, "r-ada").is_empty(), "independence: Ben has not submitted");
    let chair_sees = rows_of(cleo, "r-ada");
    assert_eq!(chair_sees.len(), 2);
    assert!(chair_sees.iter().all(|r| r.state == "submitted"));
    let cleo_view = assignment(cleo);
    assert_eq!((cleo_view["reviewers_submitted"].as_u64(), cleo_view["reviewers_total"].as_u64()), (Some(1), Some(2)));

    // The hub goes down: Ben keeps working, `sync` fails clearly and loses nothing.
    hub.kill();
    ok(ben, &["judge", SUB, "SET-DEMO 5.2", "--outcome", "met", "--rationale", "Ben on 5.2, offline"]);
    let message = fails(ben, &["sync"]);
    assert!(message.contains("cannot be reached") && message.contains("your work is safe"), "{message}");
    assert!(message.contains(&hub.url), "the message names the hub: {message}");
    assert_eq!(status(ben)["unsynced"], 1, "the offline edit waits in the outbox");
    assert!(rows_of(ben, "r-ben").iter().any(|r| r.rationale == "Ben on 5.2, offline"));
    let old_url = hub.url.clone();
    hub.restart();
    if hub.url != old_url {
        for (dir, token) in [(ada, &ada_token), (ben, &ben_token), (cleo, &cleo_token)] {
            ok(dir, &["login", "--server", &hub.url, "--token", token]);
        }
    }
    assert!(ok(ben, &["sync"]).contains("applied 1"));
    assert_eq!(status(ben)["unsynced"], 0);

    // Ben submits: the reveal brings him Ada's judgements; Ada and the chair get his.
    ok(ben, &["submit", SUB]);
    ok(ben, &["sync"]);
    ok(ada, &["sync"]);
    ok(cleo, &["sync"]);
    let hub_rows = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        judgement_rows(&conn)
    };
    let hub_of = |who: &str| -> Vec<Row> { hub_rows.iter().filter(|r| r.reviewer == who).cloned().collect() };
    assert_eq!(hub_rows.len(), 4);
    assert!(hub_rows.iter().all(|r| r.state == "submitted"));
    assert_eq!(rows_of(ben, "r-ada"), hub_of("r-ada"), "Ben's reveal");
    assert_eq!(rows_of(ada, "r-ben"), hub_of("r-ben"));
    assert_eq!(rows_of(cleo, "r-ada"), hub_of("r-ada"));
    assert_eq!(rows_of(cleo, "r-ben"), hub_of("r-ben"));
    assert!(hub_of("r-ben").iter().any(|r| r.rationale == "Ben on 5.2, offline"));
    assert!(assignment(ben)["submitted"].as_bool().unwrap());
    assert_eq!(assignment(cleo)["reviewers_submitted"], 2);
}

#[test]
fn login_with_a_bad_token_fails_and_stores_nothing() {
    let hub_dir = tempfile::tempdir().unwrap();
    let db = hub_dir.path().join("hub.sqlite");
    set_up_hub(hub_dir.path(), &db);
    let hub = HubProcess::start(&db, "127.0.0.1:0").unwrap();
    for token in ["ab".repeat(32), "not-a-token".to_string()] {
        let dir = tempfile::tempdir().unwrap();
        let message = fails(dir.path(), &["login", "--server", &hub.url, "--token", &token]);
        assert!(message.contains("refused the token"), "{message}");
        assert!(!dir.path().join("credentials.json").exists(), "nothing is stored");
    }
    // A hub that is not there is a different, clear failure.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // bound, then freed
    let dir = tempfile::tempdir().unwrap();
    let message = fails(dir.path(), &["login", "--server", &format!("http://{closed}"), "--token", &"ab".repeat(32)]);
    assert!(message.contains("cannot be reached"), "{message}");
}

/// Every file below `dir`, recursively.
fn files_below(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() { files.extend(files_below(&path)) } else { files.push(path) }
    }
    files
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// Issue 11's finding: the log held the bearer token (from `--token` or ACCREDIT_TOKEN) and draft
/// rationales, in a world-readable file. Log in three ways, sync, judge, sync again, at debug
/// level; then no file of the data folders or the hub's folder but the credentials holds a
/// token, the rationale is only in the databases, and everything accredit made is private.
#[test]
fn no_file_but_the_credentials_holds_a_token_and_every_file_is_private() {
    let hub_dir = tempfile::tempdir().unwrap();
    let db = hub_dir.path().join("hub.sqlite");
    let (ada_token, ben_token, cleo_token) = set_up_hub(hub_dir.path(), &db);
    let hub = HubProcess::start(&db, "127.0.0.1:0").unwrap();
    let rationale = "Confidential draft: the placement audit was never shown to the panel";

    let login = |token: &str, how: &str| -> TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut command = std::process::Command::new(crate::support::binary());
        command.arg("--data-dir").arg(dir.path()).args(["login", "--server", &hub.url]);
        command.env_remove("ACCREDIT_DATA_DIR").env("ACCREDIT_LOG", "debug");
        match how {
            "argv" => {
                command.args(["--token", token]);
            }
            "env" => {
                command.env("ACCREDIT_TOKEN", token);
            }
            _ => {}
        }
        command.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
        command.stderr(std::process::Stdio::piped());
        let mut child = command.spawn().expect("start accredit login");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            if how == "stdin" {
                writeln!(stdin, "{token}").expect("write the token");
            }
        }
        let output = child.wait_with_output().expect("accredit login");
        assert!(output.status.success(), "login by {how}: {}", describe(&["login"], &output));
        dir
    };
    let ada = login(&ada_token, "stdin");
    let ben = login(&ben_token, "env");
    let cleo = login(&cleo_token, "argv");
    for dir in [&ada, &ben, &cleo] {
        ok(dir.path(), &["sync"]);
    }
    ok(ada.path(), &["judge", SUB, "SET-DEMO 2.1", "--outcome", "not-met", "--rationale", rationale]);
    ok(ada.path(), &["sync"]);

    let tokens = [&ada_token, &ben_token, &cleo_token];
    for (root, kind) in [(ada.path(), "data"), (ben.path(), "data"), (cleo.path(), "data"), (hub_dir.path(), "hub")] {
        for file in files_below(root) {
            let bytes = std::fs::read(&file).expect("read a file");
            let text = String::from_utf8_lossy(&bytes);
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            for token in tokens {
                if name != "credentials.json" {
                    assert!(!text.contains(token.as_str()), "{} holds a token", file.display());
                }
            }
            let database = name.contains(".sqlite");
            assert!(database || !text.contains(rationale), "{} holds the rationale", file.display());
            // The hub's stderr file is the test's own; everything else was made by accredit.
            #[cfg(unix)]
            if name != "serve.stderr" {
                assert_eq!(mode(&file), 0o600, "{} ({kind} folder) is private", file.display());
            }
        }
        #[cfg(unix)]
        if kind == "data" {
            assert_eq!(mode(root), 0o700, "the data folder {} is private", root.display());
        }
    }
    let log = std::fs::read_to_string(ada.path().join("accredit.log")).expect("the log");
    assert!(log.contains("verb=judge") && log.contains("verb=login"), "the log names the verbs:\n{log}");
    drop(hub);
}

#[test]
fn the_office_lists_the_accounts_and_rotates_a_token() {
    let hub_dir = tempfile::tempdir().unwrap();
    let db = hub_dir.path().join("hub.sqlite");
    let (ada_token, ..) = set_up_hub(hub_dir.path(), &db);
    let db_arg = db.to_str().unwrap();
    let users = ok(hub_dir.path(), &["hub", "--db", db_arg, "users"]);
    assert!(users.contains("r-ada") && users.contains("Ada Lovelace") && users.contains("never"), "{users}");
    let rotated = ok(hub_dir.path(), &["hub", "--db", db_arg, "rotate-token", "r-ada"]);
    let new_token = rotated.lines().last().unwrap_or_default().trim().to_string();
    assert!(new_token.len() == 64 && new_token != ada_token, "{rotated}");
    let hub = accredit::hub::Hub::open(&db).unwrap();
    assert!(hub.authenticate(&ada_token).unwrap().is_none(), "the old token is dead");
    assert!(hub.authenticate(&new_token).unwrap().is_some(), "the new one works");
    drop(hub);
    ok(hub_dir.path(), &["hub", "--db", db_arg, "revoke", "r-ada"]);
    let users = ok(hub_dir.path(), &["hub", "--db", db_arg, "users"]);
    let ada = users.lines().find(|l| l.starts_with("r-ada")).expect("r-ada is listed");
    assert!(ada.ends_with("revoked") && !ada.contains("never"), "{users}");
}

/// The office moves a submission to another stage with `accredit hub stage`: audited, on every
/// replica with the next sync, and the review closes as the stage says.
#[test]
fn the_office_moves_a_submission_to_another_stage_and_every_replica_follows() {
    let hub_dir = tempfile::tempdir().unwrap();
    let db = hub_dir.path().join("hub.sqlite");
    let (ada_token, _, _) = set_up_hub(hub_dir.path(), &db);
    let db = db.to_str().unwrap();
    let hub = HubProcess::start(Path::new(db), "127.0.0.1:0").unwrap();
    let ada = workstation(&hub.url, &ada_token, "r-ada");
    ok(ada.path(), &["sync"]);
    assert_eq!(assignment(ada.path())["stage"], "standards_review");

    let moved = ok(
        hub_dir.path(),
        &["hub", "--db", db, "stage", SUB, "returned", "--note", "Threshold 3 not met: no placement agreement."],
    );
    assert!(moved.contains(&format!("{SUB}: standards review → returned")), "{moved}");
    ok(ada.path(), &["sync"]);
    assert_eq!(assignment(ada.path())["stage"], "returned", "the replica follows");
    let refused = fails(ada.path(), &["judge", SUB, "SET-DEMO 2.1", "--outcome", "met", "--rationale", "Seen."]);
    assert!(refused.contains("returned"), "the review is closed at this stage: {refused}");

    let bad = accredit(hub_dir.path(), &["hub", "--db", db, "stage", SUB, "accepted"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("one of submitted, threshold_review, returned"), "{}", stderr(&bad));
    let unknown = fails(hub_dir.path(), &["hub", "--db", db, "stage", "S-1999-001", "decided"]);
    assert!(unknown.contains("no submission S-1999-001 on the hub"), "{unknown}");
    ok(hub_dir.path(), &["hub", "--db", db, "stage", SUB, "standards-review"]);
    let conn = rusqlite::Connection::open(db).unwrap();
    let trail: Vec<String> = conn
        .prepare("SELECT action FROM hub_audit WHERE submission_id = ?1 AND action = 'submission.stage' ORDER BY seq")
        .unwrap()
        .query_map([SUB], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(trail.len(), 2, "each move is in the audit trail");
}
