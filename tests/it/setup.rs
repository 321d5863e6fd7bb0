//! Making accredit feel at home, through the real binary: config.toml, `config`, `doctor`,
//! shell completions, the man page, `--version` and `status --plain`.

use std::path::Path;
use std::process::Output;

use crate::support::{accredit, demo_data_dir, stderr, stdout};

fn describe(output: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", output.status.code(), stdout(output), stderr(output))
}

fn run(dir: &Path, args: &[&str], code: i32) -> Output {
    let output = accredit(dir, args);
    assert_eq!(output.status.code(), Some(code), "accredit {args:?} should exit {code}\n{}", describe(&output));
    output
}

fn write_config(dir: &Path, text: &str) {
    std::fs::write(dir.join("config.toml"), text).expect("write config.toml");
}

#[test]
fn a_typo_in_the_config_stops_every_verb_naming_the_file_line_and_key() {
    let dir = demo_data_dir();
    write_config(dir.path(), "# mine\ntheme = \"high-contrast\"\n\n[keys.review]\njudge_mett = [\"m\"]\n");
    let message = stderr(&run(dir.path(), &["status"], 1));
    let file = dir.path().join("config.toml").display().to_string();
    assert!(
        message.starts_with(&format!(
            "error: {file}: line 5, keys.review.judge_mett: no such action in [keys.review] (did you mean judge_met?"
        )),
        "{message}"
    );
    assert!(message.contains("accredit does not start with a broken config"), "{message}");
}

#[test]
fn toml_syntax_errors_are_reported_with_their_line() {
    let dir = demo_data_dir();
    write_config(dir.path(), "theme = \"light\"\nlayout = linear\n");
    let message = stderr(&run(dir.path(), &["status"], 1));
    assert!(message.contains("config.toml: line 2, layout: this is not valid TOML"), "{message}");
}

#[test]
fn a_valid_config_is_accepted_and_checked_by_config() {
    let dir = demo_data_dir();
    write_config(
        dir.path(),
        "theme = \"light\"\nmouse = true\n[colors]\nmet = \"green bold\"\n[keys.review]\njudge_met = [\"m\"]\n",
    );
    run(dir.path(), &["status"], 0);
    let text = stdout(&run(dir.path(), &["config"], 0));
    assert!(text.contains("config.toml\nThe config is valid."), "{text}");
    let path = stdout(&run(dir.path(), &["config", "--path"], 0));
    assert_eq!(path.trim_end(), dir.path().join("config.toml").display().to_string());
}

#[test]
fn config_default_prints_every_key_and_is_itself_a_valid_config() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&run(dir.path(), &["config", "--default"], 0));
    for key in [
        "theme = \"dark\"",
        "layout = \"panes\"",
        "editor = \"emacs\"",
        "mouse = false",
        "[colors]",
        "# met = \"green\"",
        "[keys.review]",
        "submit",
    ] {
        assert!(text.contains(key), "{key} is missing from:\n{text}");
    }
    assert!(!dir.path().join("config.toml").exists(), "printing the defaults writes nothing");
    write_config(dir.path(), &text);
    let check = stdout(&run(dir.path(), &["config"], 0));
    assert!(check.contains("The config is valid."), "{check}");
}

#[test]
fn the_readme_documents_every_config_key() {
    let readme = include_str!("../../README.md");
    let defaults = accredit::tui::Settings::default_toml();
    for line in defaults.lines().filter(|l| !l.starts_with("# ") && l.contains(" = ")) {
        let key = line.trim_start_matches("# ").split(" = ").next().unwrap_or_default().trim();
        assert!(readme.contains(&format!("`{key}`")), "README.md does not document `{key}`");
    }
    for (meaning, _) in accredit::tui::theme::MEANINGS {
        assert!(readme.contains(&format!("`{meaning}`")), "README.md does not document the colour `{meaning}`");
    }
}

#[test]
fn doctor_on_a_healthy_profile_passes_and_says_the_hub_is_not_configured() {
    let dir = demo_data_dir();
    let text = stdout(&run(dir.path(), &["doctor"], 0));
    let schema = format!("(schema {}, the latest)", accredit::store::schema::latest_version());
    for line in [
        "ok    data folder: ",
        "ok    config: no ",
        "ok    cache: ",
        schema.as_str(),
        "ok    clock: ",
        "warn  hub: not logged in: no hub configured",
    ] {
        assert!(text.contains(line), "{line:?} is missing:\n{text}");
    }
    assert!(text.ends_with("Everything accredit needs is in order.\n"), "{text}");
}

#[test]
fn doctor_explains_a_broken_profile_and_fails() {
    let dir = demo_data_dir();
    let cache = dir.path().join("cache.sqlite");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", cache.display()));
    }
    std::fs::write(&cache, "not a database, just text ".repeat(200)).unwrap();
    // A folder where the config file should be cannot be read (root reads any file).
    std::fs::create_dir(dir.path().join("config.toml")).unwrap();
    let output = run(dir.path(), &["doctor"], 1);
    let text = stdout(&output);
    assert!(text.contains("FAIL  config: ") && text.contains("cannot read it"), "{text}");
    assert!(text.contains("FAIL  cache: ") && text.contains("cannot be read as a cache"), "{text}");
    assert!(text.contains("what to do: move it aside"), "{text}");
    assert!(text.contains("warn  hub: not logged in: no hub configured"), "{text}");
    assert!(stderr(&output).contains("error: 2 checks failed"), "{}", describe(&output));
}

#[test]
fn doctor_lists_each_config_problem_and_creates_nothing() {
    let parent = tempfile::tempdir().unwrap();
    let missing = parent.path().join("nowhere");
    let text = stdout(&run(&missing, &["doctor"], 1));
    assert!(text.contains("FAIL  data folder: ") && text.contains("does not exist"), "{text}");
    assert!(!missing.exists(), "doctor creates nothing");

    let dir = demo_data_dir();
    write_config(dir.path(), "theme = \"dark\"\n[keys.review]\nsubmit = [\"s\"]\n[colors]\nmet = \"grean\"\n");
    let text = stdout(&run(dir.path(), &["doctor"], 1));
    assert!(text.contains("FAIL  config: ") && text.contains("2 problems:"), "{text}");
    assert!(text.contains("line 3, keys.review.submit: \"s\" is a single unmodified key"), "{text}");
    assert!(text.contains("line 5, colors.met: \"grean\" is not a colour or modifier (did you mean green?)"), "{text}");
}

#[test]
fn completions_and_the_man_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef accredit"), ("fish", "complete -c accredit")] {
        let text = stdout(&run(dir.path(), &["completions", shell], 0));
        assert!(text.contains(marker), "{shell}: {marker:?} missing");
        assert!(text.contains("doctor") && text.contains("export"), "{shell} completes the verbs");
    }
    let man = stdout(&run(dir.path(), &["man"], 0));
    assert!(man.starts_with(".ie") || man.contains(".TH accredit"), "{man}");
    assert!(man.contains("doctor") && man.contains("completions"), "{man}");
    run(dir.path(), &["completions", "tcsh"], 2);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing is written to the data folder");
}

#[test]
fn version_names_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&run(dir.path(), &["--version"], 0));
    assert!(text.starts_with(&format!("accredit {} (", env!("CARGO_PKG_VERSION"))), "{text}");
    assert!(text.contains("built 20"), "{text}");
}

#[test]
fn every_verb_has_examples_in_its_help() {
    let dir = tempfile::tempdir().unwrap();
    for verb in ["demo", "status", "judge", "submit", "import", "export", "config", "doctor", "completions", "man"] {
        let text = stdout(&run(dir.path(), &[verb, "--help"], 0));
        assert!(text.contains("Example"), "`accredit {verb} --help` has no example:\n{text}");
    }
}

#[test]
fn status_plain_says_one_fact_per_line_without_symbols() {
    let dir = demo_data_dir();
    let text = stdout(&run(dir.path(), &["status", "--plain"], 0));
    assert!(
        text.starts_with("User: Sam Okafor (u-demo)\nUnsynced changes: 0\nLast sync: never\nSubmissions: 5\n"),
        "{text}"
    );
    assert!(text.contains("\nSubmission: S-2026-014\nProgramme: MSc Advanced Clinical Practice\n"), "{text}");
    assert!(text.contains("\nProgress: 0 of 51 standards judged\n"), "{text}");
    assert!(text.contains("\nProgress: none, returned without a standards review\n"), "{text}");
    for symbol in ['·', '⚠', '✓', '—', '\t'] {
        assert!(!text.contains(symbol), "{symbol:?} in:\n{text}");
    }
    assert!(!text.contains("  "), "no alignment padding:\n{text}");
    run(dir.path(), &["status", "--plain", "--json"], 2);
}
