//! The findings of the security review (issue 11), each replayed as a request or a file check.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{HubProcess, accredit, binary, stderr, stdout};

const SUB: &str = "S-2026-021";

fn describe(args: &[&str], output: &Output) -> String {
    format!(
        "accredit {args:?}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(0), "{}", describe(args, &output));
    stdout(&output)
}

/// Runs `accredit --data-dir DIR ARGS` with `input` on standard input and `env` set.
fn accredit_with(dir: &Path, args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(binary())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("ACCREDIT_DATA_DIR")
        .env_remove("ACCREDIT_TOKEN")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run accredit");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait for accredit")
}

/// A hub with one reviewer and a chair on SUB; returns (reviewer's token, chair's token).
fn set_up_hub(admin: &Path, db: &Path) -> (String, String) {
    let db = db.to_str().expect("utf-8 path");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let fixture = |p: &str| fixtures.join(p).to_str().expect("utf-8 path").to_string();
    ok(admin, &["hub", "--db", db, "init"]);
    let token = |name: &str, role: &str, id: &str| -> String {
        let out = ok(admin, &["hub", "--db", db, "add-user", name, "--role", role, "--id", id]);
        out.lines().last().unwrap_or_default().trim().to_string()
    };
    let ada = token("Ada Lovelace", "reviewer", "r-ada");
    token("Ben Okri", "reviewer", "r-ben");
    let cleo = token("Cleo Chair", "chair", "c-cleo");
    for framework in ["frameworks/set-demo-1.json", "frameworks/mpf-2017.json"] {
        ok(admin, &["hub", "--db", db, "import-framework", &fixture(framework)]);
    }
    ok(admin, &["hub", "--db", db, "import-submission", &fixture(&format!("submissions/{SUB}"))]);
    ok(
        admin,
        &["hub", "--db", db, "assign", SUB, "--chair", "c-cleo", "--reviewers", "r-ada,r-ben", "--due", "2026-12-01"],
    );
    (ada, cleo)
}

/// Every file under `root`, folders included, with its mode.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                folders.push(path.clone());
            }
            found.push(path);
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn is_database(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.contains(".sqlite")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// Finding 1: the `start` log line held the parsed command (the token of `login`, even from
/// ACCREDIT_TOKEN, and draft rationales), in a 0644 log in a 0755 folder.
#[test]
fn no_file_but_the_credentials_holds_the_token_and_no_log_holds_a_rationale() {
    let hub_dir = tempfile::tempdir().expect("hub folder");
    let db = hub_dir.path().join("hub.sqlite");
    let (token, _) = set_up_hub(hub_dir.path(), &db);
    let hub = HubProcess::start(&db, "127.0.0.1:0").expect("start the hub");
    let home = tempfile::tempdir().expect("home");
    let data = home.path().join("accredit");

    // The token from standard input (no terminal), then from the environment, then from argv.
    let args = ["login", "--server", hub.url.as_str()];
    let from_stdin = accredit_with(&data, &args, &format!("{token}\n"), &[]);
    assert_eq!(from_stdin.status.code(), Some(0), "{}", describe(&args, &from_stdin));
    assert!(stdout(&from_stdin).contains("(r-ada)"), "{}", describe(&args, &from_stdin));
    let from_env = accredit_with(&data, &args, "", &[("ACCREDIT_TOKEN", &token)]);
    assert_eq!(from_env.status.code(), Some(0), "{}", describe(&args, &from_env));
    ok(&data, &["login", "--server", &hub.url, "--token", &token]);
    let empty = accredit_with(&data, &args, "\n", &[]);
    assert_eq!(empty.status.code(), Some(1), "an empty token is refused: {}", describe(&args, &empty));

    let rationale = "The portfolio's supervision log is thin for 2024 (secret draft 7f3a)";
    ok(&data, &["sync"]);
    ok(&data, &["judge", SUB, "SET-DEMO 2.1", "--outcome", "met", "--rationale", rationale]);
    ok(&data, &["judge", SUB, "SET-DEMO 5.2", "--outcome", "not-met", "--rationale", rationale]);
    ok(&data, &["sync"]);
    ok(&data, &["submit", SUB]);
    ok(&data, &["sync"]);
    ok(&data, &["status"]);
    drop(hub); // the hub's log is complete

    assert!(data.join("accredit.log").exists(), "the verbs were logged");
    let mut checked = 0;
    for root in [data.as_path(), hub_dir.path()] {
        for path in files_under(root) {
            if path.is_dir() {
                #[cfg(unix)]
                if path.starts_with(&data) {
                    assert_eq!(mode(&path), 0o700, "{} is its owner's only", path.display());
                }
                continue;
            }
            let bytes = std::fs::read(&path).expect("read file");
            checked += 1;
            if path.file_name().is_some_and(|n| n == "credentials.json") {
                assert!(contains(&bytes, &token), "the credentials keep the token");
            } else {
                assert!(!contains(&bytes, &token), "{} holds the token", path.display());
            }
            if !is_database(&path) {
                assert!(!contains(&bytes, rationale), "{} holds a rationale", path.display());
            }
            #[cfg(unix)]
            if path.starts_with(&data) || is_database(&path) {
                assert_eq!(mode(&path), 0o600, "{} is readable by its owner only", path.display());
            }
        }
    }
    assert!(checked >= 5, "the cache, its WAL, the log, the credentials and the hub's files were searched");
    #[cfg(unix)]
    assert_eq!(mode(&data), 0o700, "the data folder is its owner's only");
}

/// Finding 1, for folders made by an older version: they are made private on the next start.
#[cfg(unix)]
#[test]
fn a_data_folder_left_open_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("data folder");
    let editing = dir.path().join("editing");
    std::fs::create_dir_all(&editing).expect("editing folder");
    for file in [dir.path().join("accredit.log"), editing.join("S-1.txt")] {
        std::fs::write(&file, "old").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = accredit(dir.path(), &["status"]);
    assert_eq!(out.status.code(), Some(1), "no cache yet: {}", describe(&["status"], &out));
    assert_eq!(mode(dir.path()), 0o700);
    assert_eq!(mode(&editing), 0o700);
    assert_eq!(mode(&dir.path().join("accredit.log")), 0o600);
    assert_eq!(mode(&editing.join("S-1.txt")), 0o600);
}

/// Finding 2: a chair pushed an "Accredited" report for a submission returned at threshold, and
/// for one where no voting reviewer had submitted.
mod stage_rules {
    use accredit::domain::consolidation::Consolidation;
    use accredit::sync::SyncError;

    use crate::support::TestHub;

    const CHAIRED: &str = "S-2026-009";

    fn hub_where(sql: &'static str) -> TestHub {
        TestHub::demo_with(move |hub, _| {
            hub.store().connection().execute(sql, [CHAIRED]).expect("change the demo");
        })
    }

    #[test]
    fn a_returned_submission_takes_no_consolidation_and_no_report() {
        let hub = hub_where("UPDATE submissions SET stage = 'returned' WHERE id = ?1");
        let mut chair = hub.machine("u-demo");
        chair.sync();
        chair.store.save_consolidation(CHAIRED, "u-demo", &Consolidation::default()).expect("save locally");
        let summary = chair.sync();
        assert_eq!(summary.rejected, 1, "the consolidation op is refused: {summary}");
        let refused = chair.client.push_report(CHAIRED).expect_err("no report for a returned submission");
        assert!(matches!(refused, SyncError::Refused { status: 403, .. }), "{refused}");
    }

    #[test]
    fn a_report_waits_for_every_voting_member_and_names_who_has_not_submitted() {
        let hub = hub_where("UPDATE judgements SET state = 'draft' WHERE submission_id = ?1");
        let mut chair = hub.machine("u-demo");
        chair.sync();
        let refused = chair.client.push_report(CHAIRED).expect_err("nobody has submitted");
        let SyncError::Refused { status: 409, message } = &refused else { panic!("refused as incomplete: {refused}") };
        assert!(message.contains("has not submitted their judgements"), "{message}");
        let panel = hub.open().store().panel(CHAIRED).expect("read the panel");
        for member in panel.members.iter().filter(|m| m.role.votes() && !m.recused) {
            assert!(message.contains(&member.user), "{} is named: {message}", member.user);
        }
    }
}

/// Finding 10: started without a terminal the TUI panicked (exit 101), and a hub user with a
/// missing cache was sent to the demo.
#[test]
fn without_a_terminal_or_a_cache_the_advice_fits() {
    let dir = crate::support::demo_data_dir();
    let out = accredit(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&[], &out));
    let err = stderr(&out);
    assert!(err.contains("needs a terminal") && err.contains("status") && err.contains("sync"), "{err}");

    let hub_user = tempfile::tempdir().expect("data folder");
    let credentials = accredit::sync::Credentials {
        server: "https://hub.example.org".into(),
        token: "ab".repeat(32),
        user: "r-ada".into(),
    };
    credentials.save(&hub_user.path().join("credentials.json")).expect("save credentials");
    for args in [&["status"][..], &["doctor"]] {
        let out = accredit(hub_user.path(), args);
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            text.contains("the hub has all your work") && text.contains("login --server https://hub.example.org"),
            "{args:?}: {text}"
        );
        assert!(!text.contains("accredit demo"), "{args:?}: a hub user is not sent to the demo: {text}");
    }
}
