//! End to end: the real binary in a real terminal. Each test runs `accredit` as the command of
//! a tmux pane (no shell in between) on its own tmux server, types keys into it, and reads the
//! screen back with `capture-pane`. Waits poll the screen until the expected text appears.
//!
//! tmux must be installed (CI installs it); without it these tests fail saying so.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use accredit::domain::{Judgement, Outcome};
use accredit::store::Store;

use crate::support::{accredit, binary, demo_data_dir, stderr};

const SUB: &str = "S-2026-014";
const ME: &str = "u-demo";
const SESSION: &str = "accredit";
const WIDTH: &str = "100";
const HEIGHT: &str = "30";
/// How long any one expected screen may take to appear (CI machines are slow and busy).
const DEADLINE: Duration = Duration::from_secs(20);

/// A private tmux server, killed when the test ends, however it ends.
struct Tmux {
    socket: String,
    /// The server's socket file, removed at the end (tmux leaves it behind).
    socket_path: std::cell::RefCell<Option<std::path::PathBuf>>,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(output) if output.status.success() => {}
            Ok(output) => panic!("`tmux -V` failed ({}); the e2e tests need a working tmux", output.status),
            Err(e) => panic!(
                "the e2e tests need tmux, which cannot be run ({e}): install it (`apt-get install tmux`, `brew install tmux`)"
            ),
        }
        Tmux { socket: format!("accredit-e2e-{name}-{}", std::process::id()), socket_path: Default::default() }
    }

    fn command(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .env_remove("TMUX")
            .env_remove("ACCREDIT_DATA_DIR")
            .env("TERM", "xterm-256color")
            .output()
            .expect("run tmux")
    }

    fn run(&self, args: &[&str]) -> String {
        let output = self.command(args);
        assert!(output.status.success(), "tmux {args:?} failed: {}", stderr(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Starts `accredit demo` and waits for what every test needs before its first key: the queue
    /// drawn and the first sync with the demo's hub finished (until then the sync worker writes
    /// the cache and reloads the screen under the keys).
    fn start_demo(&self, data_dir: &Path) -> String {
        self.start(data_dir, &["demo"]);
        self.wait_for("the queue after the demo's first sync", |s| s.contains("accredit · Queue") && first_sync_done(s))
    }

    /// Starts `accredit --data-dir DIR ARGS...` directly as the pane's command.
    fn start(&self, data_dir: &Path, args: &[&str]) {
        self.start_with_env(data_dir, args, &[]);
    }

    /// As `start`, with `VAR=value` settings in accredit's environment.
    fn start_with_env(&self, data_dir: &Path, args: &[&str], env: &[&str]) {
        let binary = binary();
        let mut command = vec!["new-session", "-d", "-s", SESSION, "-x", WIDTH, "-y", HEIGHT];
        for setting in env {
            command.extend(["-e", setting]);
        }
        command.extend([
            "--",
            binary.to_str().expect("a UTF-8 binary path"),
            "--data-dir",
            data_dir.to_str().expect("a UTF-8 data path"),
        ]);
        command.extend_from_slice(args);
        self.run(&command);
        let path = self.command(&["display-message", "-p", "#{socket_path}"]);
        if path.status.success() {
            self.socket_path.replace(Some(String::from_utf8_lossy(&path.stdout).trim().into()));
        }
    }

    /// Sends keys by their tmux names (`Enter`, `Escape`, `j`, ...).
    fn keys(&self, keys: &[&str]) {
        let mut command = vec!["send-keys", "-t", SESSION];
        command.extend_from_slice(keys);
        self.run(&command);
    }

    /// Types `text` literally.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// The screen now, or `None` once the pane is gone.
    fn screen(&self) -> Option<String> {
        let output = self.command(&["capture-pane", "-p", "-t", SESSION]);
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The screen now with its colours and attributes, as escape sequences.
    fn screen_with_styles(&self) -> String {
        self.run(&["capture-pane", "-e", "-p", "-t", SESSION])
    }

    /// Polls the screen until `ready` holds; fails with the last screen after the deadline.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = None;
        while start.elapsed() < DEADLINE {
            match self.screen() {
                Some(screen) if ready(&screen) => return screen,
                Some(screen) => last = Some(screen),
                None => panic!("the accredit pane ended while waiting for {what}; last screen:\n{}", show(&last)),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out after {DEADLINE:?} waiting for {what}; last screen:\n{}", show(&last))
    }

    /// Polls until the screen contains every one of `texts`.
    fn wait_text(&self, texts: &[&str]) -> String {
        self.wait_for(&format!("{texts:?}"), |screen| texts.iter().all(|t| screen.contains(t)))
    }

    /// Waits for the accredit process (and so its session) to end.
    fn wait_gone(&self) {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if !self.command(&["has-session", "-t", SESSION]).status.success() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("accredit did not end within {DEADLINE:?}; screen:\n{}", show(&self.screen()));
    }

    /// The pid of the pane's process, which is accredit itself (no shell in between).
    fn pane_pid(&self) -> u32 {
        let pid = self.run(&["list-panes", "-t", SESSION, "-F", "#{pane_pid}"]);
        let pid: u32 = pid.trim().parse().unwrap_or_else(|e| panic!("bad pane pid {pid:?}: {e}"));
        if let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) {
            assert_eq!(comm.trim(), "accredit", "the pane runs accredit directly");
        }
        pid
    }

    fn pane_title(&self) -> String {
        self.run(&["display-message", "-p", "-t", SESSION, "#{pane_title}"])
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command(&["kill-server"]);
        if let Some(path) = self.socket_path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Whether the header says a sync finished ("synced 10:42"), not merely "3 unsynced".
fn first_sync_done(screen: &str) -> bool {
    let header = screen.lines().next().unwrap_or_default();
    let words: Vec<&str> = header.split_whitespace().collect();
    words.windows(2).any(|w| w[0] == "synced" && w[1].starts_with(|c: char| c.is_ascii_digit()))
}

fn show(screen: &Option<String>) -> &str {
    screen.as_deref().unwrap_or("(none captured)")
}

/// Whether the standards list shows `code` marked `mark` (✓ ◐ ✗ ·; a gap adds a `!`).
fn marked(screen: &str, mark: &str, code: &str) -> bool {
    [format!("{mark} {code} "), format!("{mark}!{code} ")].iter().any(|row| screen.contains(row.as_str()))
}

/// Whether `code` is the selected row of the standards list, marked `mark`.
fn selected(screen: &str, mark: &str, code: &str) -> bool {
    marked(screen, &format!("▸{mark}"), code)
}

/// Waits for `code` to be the selected row, marked `mark`, with every one of `texts` shown.
fn wait_selected(tmux: &Tmux, mark: &str, code: &str, texts: &[&str]) -> String {
    tmux.wait_for(&format!("{code} selected and marked {mark}, with {texts:?}"), |s| {
        selected(s, mark, code) && texts.iter().all(|t| s.contains(t))
    })
}

/// The bottom line: the hint bar (or a message).
fn footer(screen: &str) -> &str {
    screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default()
}

fn in_editor(screen: &str) -> bool {
    footer(screen).contains("Esc done")
}

fn in_review(screen: &str) -> bool {
    footer(screen).contains("e rationale")
}

/// The text of the right-hand panes (detail and judgement), line breaks and padding folded to
/// single spaces, so wrapped sentences can be searched whole.
fn right_pane_text(screen: &str) -> String {
    let mut text = String::new();
    for line in screen.lines() {
        let Some(inner) = line.trim_end().strip_suffix('│') else { continue };
        if let Some(start) = inner.rfind('│') {
            text.push(' ');
            text.push_str(&inner[start + '│'.len_utf8()..]);
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn open_store(dir: &Path) -> Store {
    Store::open(&dir.join("cache.sqlite")).expect("open the cache")
}

/// My judgement of `code` in S-2026-014, as the cache holds it.
fn stored(dir: &Path, code: &str) -> Option<Judgement> {
    let review = open_store(dir).load_review(SUB, ME).expect("load the review");
    review.standards().find(|s| s.code == code).unwrap_or_else(|| panic!("{code} is in the review")).mine.clone()
}

/// Opens the demo, waits for the queue, opens S-2026-014 and waits for the review.
fn open_review(tmux: &Tmux, dir: &Path) -> String {
    let queue = tmux.start_demo(dir);
    assert!(queue.contains(&format!("▸ {SUB}")), "S-2026-014 is first in the queue:\n{queue}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the review of S-2026-014", |s| s.contains("accredit · Review S-2026-014") && in_review(s))
}

/// On the selected standard: sets the outcome with `key`, writes `rationale` in the inline
/// editor and leaves it.
fn judge(tmux: &Tmux, code: &str, key: &str, mark: &str, rationale: &str) {
    tmux.keys(&[key]);
    wait_selected(tmux, mark, code, &[]);
    tmux.keys(&["e"]);
    tmux.wait_for("the rationale editor", in_editor);
    tmux.type_text(rationale);
    tmux.wait_text(&[rationale]);
    // Esc alone: an Esc followed at once by another key reads as Alt-key.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the review keys after leaving the editor", |s| {
        in_review(s) && s.contains("My judgement · draft · saved") && s.contains(rationale)
    });
}

#[test]
fn judgements_typed_in_the_tui_survive_quitting_and_reopening() {
    let tmux = Tmux::new("reopen");
    // An empty folder: `demo` fills it, then opens the TUI.
    let dir = tempfile::tempdir().expect("temporary folder");
    let screen = open_review(&tmux, dir.path());
    assert!(selected(&screen, "·", "MPF 1.1"), "a fresh review starts at MPF 1.1:\n{screen}");

    let rationales = [
        ("MPF 1.1", "1", "✓", Outcome::Met, "Alpha: ACP7401 teaches and assesses scope."),
        ("MPF 1.2", "2", "◐", Outcome::PartiallyMet, "Bravo: autonomy is taught, not assessed."),
        ("MPF 1.3", "3", "✗", Outcome::NotMet, "Charlie: no reflective assessment found."),
    ];
    for (i, (code, key, mark, _, rationale)) in rationales.iter().enumerate() {
        if i > 0 {
            tmux.keys(&["j"]);
            wait_selected(&tmux, "·", code, &[]);
        }
        judge(&tmux, code, key, mark, rationale);
    }
    let screen = tmux.wait_text(&["Standards 3/51", "3 unsynced"]);
    for (code, _, mark, _, _) in &rationales {
        assert!(marked(&screen, mark, code), "{code} is marked {mark}:\n{screen}");
    }
    tmux.keys(&["q"]);
    tmux.wait_gone();

    // `demo` again, without --reset, reopens the same cache.
    let queue = tmux.start_demo(dir.path());
    assert!(queue.contains("3/51 judged"), "{queue}");
    assert!(queue.contains(SUB), "{queue}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the reopened review", |s| s.contains("Standards 3/51") && in_review(s));
    for (code, _, mark, _, _) in &rationales {
        assert!(marked(&screen, mark, code), "{code} is still marked {mark}:\n{screen}");
    }
    assert!(selected(&screen, "·", "MPF 1.4"), "the review reopens at the first gap:\n{screen}");
    tmux.keys(&["g"]);
    for (i, (code, _, mark, _, rationale)) in rationales.iter().enumerate() {
        if i > 0 {
            tmux.keys(&["j"]);
        }
        wait_selected(&tmux, mark, code, &[rationale, "My judgement · draft · saved"]);
    }
    tmux.keys(&["q"]);
    tmux.wait_gone();

    for (code, _, _, outcome, rationale) in &rationales {
        let mine = stored(dir.path(), code).unwrap_or_else(|| panic!("{code} is stored"));
        assert_eq!(mine.outcome, Some(*outcome), "{code}");
        assert_eq!(mine.rationale, *rationale, "{code}");
    }
    let review = open_store(dir.path()).load_review(SUB, ME).expect("load the review");
    assert_eq!(review.standards().filter(|s| s.mine.is_some()).count(), 3, "nothing else was judged");
}

#[test]
fn kill_9_while_typing_loses_at_most_the_unsaved_tail() {
    let tmux = Tmux::new("kill9");
    let dir = demo_data_dir();
    open_review(&tmux, dir.path());

    tmux.keys(&["1"]);
    wait_selected(&tmux, "✓", "MPF 1.1", &["My judgement · draft · saved"]);
    tmux.keys(&["j"]);
    wait_selected(&tmux, "·", "MPF 1.2", &[]);
    tmux.keys(&["3"]);
    wait_selected(&tmux, "✗", "MPF 1.2", &["My judgement · draft · saved"]);
    tmux.keys(&["e"]);
    tmux.wait_for("the rationale editor", in_editor);

    let first = "The first chunk is autosaved";
    let second = " and the second chunk may be lost";
    tmux.type_text(first);
    // Typing marks the text unsaved; it shows as saved again only once the autosave ran.
    let typed = Instant::now();
    let screen = tmux.wait_for("the autosave of the first chunk", |s| {
        s.contains(first) && s.contains("My judgement · draft · saved") && in_editor(s)
    });
    assert!(
        typed.elapsed() < Duration::from_secs(10),
        "the autosave took {:?} (it should take about a second):\n{screen}",
        typed.elapsed()
    );
    let pid = tmux.pane_pid();
    tmux.type_text(second);
    let killed = Command::new("sh").arg("-c").arg(format!("kill -9 {pid}")).status().expect("run kill");
    assert!(killed.success(), "kill -9 {pid} failed");
    tmux.wait_gone();

    let store = open_store(dir.path());
    assert_eq!(store.integrity_check().expect("check the cache"), "ok");
    drop(store);
    let met = stored(dir.path(), "MPF 1.1").expect("MPF 1.1 is stored");
    assert_eq!(met.outcome, Some(Outcome::Met), "a recorded outcome is never lost");
    let mine = stored(dir.path(), "MPF 1.2").expect("MPF 1.2 is stored");
    assert_eq!(mine.outcome, Some(Outcome::NotMet), "a recorded outcome is never lost");
    let full = format!("{first}{second}");
    assert!(
        mine.rationale.starts_with(first) && full.starts_with(&mine.rationale),
        "the autosaved first chunk survives (and at most part of the second): {:?}",
        mine.rationale
    );

    // The reopened TUI shows it too.
    open_review(&tmux, dir.path());
    tmux.keys(&["g"]);
    wait_selected(&tmux, "✓", "MPF 1.1", &[]);
    tmux.keys(&["j"]);
    wait_selected(&tmux, "✗", "MPF 1.2", &[first]);
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

#[test]
fn escape_sequences_in_a_narrative_do_not_reach_the_terminal() {
    let tmux = Tmux::new("escapes");
    let dir = demo_data_dir();
    tmux.start_demo(dir.path());
    let title_before = tmux.pane_title();
    assert!(!title_before.contains("pwned"), "{title_before}");

    tmux.keys(&["/"]);
    tmux.wait_text(&["Find"]);
    tmux.type_text("S-2026-014 MPF 3.4");
    tmux.wait_text(&["Organisational learning culture"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("MPF 3.4 in the review", |s| {
        selected(s, "·", "MPF 3.4") && s.contains("Provider's narrative") && in_review(s)
    });

    let title = tmux.pane_title();
    assert!(!title.contains("pwned"), "the narrative retitled the window: {title:?}");
    for debris in ["pwned", "[2J", "]0;", "\u{1b}"] {
        assert!(!screen.contains(debris), "{debris:?} reached the screen:\n{screen}");
    }
    // Not cleared: what was drawn before the narrative is still there.
    let first_line = screen.lines().next().unwrap_or_default();
    assert!(first_line.contains("accredit · Review S-2026-014"), "the header is intact:\n{screen}");
    assert!(screen.contains("Standards 0/51"), "the standards list is intact:\n{screen}");
    assert!(screen.contains("MPF 3.4 · Pillar 3: Education"), "{screen}");
    // The narrative reads on around where the sequences were.
    let text = right_pane_text(&screen);
    for phrase in [
        "learner plans, delivers and evaluates a teaching session for",
        "multidisciplinary team and collects colleague",
    ] {
        assert!(text.contains(phrase), "the narrative shows {phrase:?}; the detail reads:\n{text}\n{screen}");
    }

    // Moving away and back redraws the narrative; still nothing leaks.
    tmux.keys(&["j"]);
    wait_selected(&tmux, "·", "MPF 3.5", &[]);
    tmux.keys(&["k"]);
    let screen = wait_selected(&tmux, "·", "MPF 3.4", &["Provider's narrative"]);
    assert!(!screen.contains("[2J") && !screen.contains("pwned"), "{screen}");
    assert!(screen.lines().next().unwrap_or_default().contains("accredit · Review S-2026-014"), "{screen}");
    assert!(!tmux.pane_title().contains("pwned"));
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

#[test]
fn the_header_counts_unsynced_changes_made_before_the_tui_opened() {
    let tmux = Tmux::new("unsynced");
    let dir = demo_data_dir();
    for code in ["MPF 1.1", "MPF 1.2"] {
        let output = accredit(dir.path(), &["judge", SUB, code, "--outcome", "met"]);
        assert!(output.status.success(), "judge {code}: {}", stderr(&output));
    }
    assert_eq!(open_store(dir.path()).unsynced_count().expect("count the outbox"), 2);

    // Without a hub (no login), so nothing pushes the two changes away while the test looks.
    tmux.start(dir.path(), &[]);
    let screen = tmux.wait_text(&["accredit · Queue", "2/51 judged"]);
    let header = screen.lines().next().unwrap_or_default();
    assert!(
        header.contains("2 unsynced") && !header.contains("all saved"),
        "two changes wait to be synced, so the header must not say all is saved:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

/// Every SGR parameter list in `escaped` that sets a colour (foreground or background).
fn colour_codes(escaped: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sequence in escaped.split('\u{1b}').skip(1) {
        let Some(params) = sequence.strip_prefix('[').and_then(|s| s.split_once('m')).map(|(p, _)| p) else {
            continue;
        };
        for n in params.split(';').filter_map(|n| n.parse::<u16>().ok()) {
            match n {
                30..=37 | 40..=47 | 90..=97 | 100..=107 => found.push(params.to_string()),
                38 | 48 => {
                    found.push(params.to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    found
}

#[test]
fn a_key_and_a_theme_changed_in_the_config_take_effect() {
    let tmux = Tmux::new("config");
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("config.toml"), "theme = \"high-contrast\"\n\n[keys.review]\njudge_met = [\"m\"]\n")
        .expect("write config.toml");
    open_review(&tmux, dir.path());
    tmux.keys(&["1"]);
    tmux.keys(&["m"]);
    let screen = wait_selected(&tmux, "✓", "MPF 1.1", &[" m met "]);
    assert!(!footer(&screen).contains("1 met"), "1 no longer judges met:\n{screen}");
    // High contrast: the met mark is bright green (palette 10) and bold, not the dark theme's green.
    let styled = tmux.screen_with_styles();
    assert!(styled.contains("38;5;10m✓"), "the mark is bright green:\n{styled}");
    tmux.keys(&["q"]);
    tmux.wait_gone();
    assert_eq!(stored(dir.path(), "MPF 1.1").and_then(|j| j.outcome), Some(Outcome::Met));
}

#[test]
fn a_broken_config_stops_the_tui_before_it_starts() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("config.toml"), "theme = \"dark\"\n[keys.review]\nsubmit = [\"s\"]\n").unwrap();
    let output = accredit(dir.path(), &["demo"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("config.toml: line 3, keys.review.submit: \"s\" is a single unmodified key"), "{message}");
    assert!(!dir.path().join("cache.sqlite").exists(), "nothing was started");
}

#[test]
fn no_color_draws_every_screen_without_colour() {
    let tmux = Tmux::new("nocolor");
    let dir = demo_data_dir();
    tmux.start_with_env(dir.path(), &[], &["NO_COLOR=1"]);
    tmux.wait_for("the queue", |s| s.contains("What needs me"));
    let mut seen = vec![tmux.screen_with_styles()];
    tmux.keys(&["Enter"]);
    tmux.wait_for("the review", in_review);
    tmux.keys(&["3"]);
    wait_selected(&tmux, "✗", "MPF 1.1", &[]);
    seen.push(tmux.screen_with_styles());
    tmux.keys(&["?"]);
    tmux.wait_text(&["Keys · j k scroll · Esc ? q close"]);
    seen.push(tmux.screen_with_styles());
    tmux.keys(&["Escape"]);
    // A key sent right after Esc would reach the app as Alt-key: wait for the help to close.
    tmux.wait_for("the help to close", |s| !s.contains("Keys · j k scroll"));
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_text(&["cited at"]);
    seen.push(tmux.screen_with_styles());
    for screen in &seen {
        assert_eq!(colour_codes(screen), Vec::<String>::new(), "colour with NO_COLOR:\n{screen}");
        assert!(screen.contains("\u{1b}["), "styles (bold, reverse) are still used");
    }
    tmux.keys(&["q", "q"]);
}

#[test]
fn the_chair_consolidates_with_the_keyboard_alone_and_pushes_the_report() {
    let tmux = Tmux::new("chair");
    let dir = tempfile::tempdir().expect("temporary folder");
    open_chair_panel(&tmux, dir.path());
    // Every standard: adopt a reviewer's wording as the panel's rationale, judge it met.
    for _ in 0..51 {
        tmux.keys(&["a"]);
        tmux.keys(&["Escape"]);
        tmux.keys(&["1", "j"]);
    }
    tmux.keys(&["Escape"]);
    // What is left: five standards whose panel outcome differs from a reviewer (each needs a
    // resolution note), and the decision.
    tmux.wait_text(&["6 things to settle"]);
    tmux.keys(&["f", "g"]);
    for _ in 0..5 {
        tmux.keys(&["n"]);
        tmux.type_text("The panel weighed the minority view and found the evidence sufficient.");
        tmux.keys(&["Escape"]);
        tmux.keys(&["j"]);
    }
    tmux.keys(&["f", "d"]);
    tmux.wait_text(&["The panel's decision", "Accredited  (the rules suggest this)"]);
    tmux.keys(&["Enter"]);
    tmux.keys(&["Escape"]);
    // A key sent right after Esc would reach the app as Alt-key: wait for the grid first.
    tmux.wait_text(&["recorded: Accredited", "nothing left to settle"]);
    tmux.keys(&["p"]);
    tmux.wait_text(&["Report preview", "Complete: nothing keeps this report from being pushed"]);
    tmux.keys(&["P"]);
    tmux.wait_text(&["Push the report?"]);
    tmux.keys(&["y"]);
    tmux.wait_text(&["Pushed the panel report of S-2026-009 as version 1"]);
    // Issue 12 item 10: the preview compares with the version just pushed.
    let preview = tmux.wait_text(&["No change since version 1"]);
    assert!(!preview.contains("Changes since version 1"), "{preview}");

    // After the push (issue 12 item 1): add a condition in the form, edit it from the records
    // pane, then remove it, which withdraws it now that a report was pushed.
    tmux.keys(&["Escape"]);
    tmux.wait_text(&["nothing left to settle"]);
    tmux.keys(&["C"]);
    tmux.wait_text(&["New condition for", "What the provider must do"]);
    tmux.type_text("Publish the placement audit.");
    tmux.keys(&["Tab"]);
    tmux.type_text("The audit report.");
    tmux.keys(&["Enter"]);
    tmux.wait_text(&["Added condition C1"]);
    tmux.keys(&["R"]);
    tmux.wait_text(&["e edits, x removes"]);
    tmux.keys(&["e"]);
    tmux.wait_text(&["Edit condition C1"]);
    tmux.type_text(" Every year.");
    tmux.keys(&["Enter"]);
    tmux.wait_text(&["Saved C1"]);
    tmux.keys(&["x"]);
    tmux.wait_text(&["Withdrew C1"]);
    tmux.keys(&["q"]);
    tmux.wait_gone();
    let c1 = open_store(dir.path()).consolidation("S-2026-009").expect("the consolidation").conditions.remove(0);
    assert_eq!(c1.text, "Publish the placement audit. Every year.");
    assert_eq!(c1.evidence_required, "The audit report.");
    assert_eq!(c1.status, accredit::domain::consolidation::ConditionStatus::Withdrawn, "kept in the history");

    // The hub keeps the version, built from its own copy of the consolidation.
    let hub = rusqlite::Connection::open(dir.path().join("demo-hub.sqlite")).expect("open the demo hub");
    let (version, markdown): (i64, String) = hub
        .query_row("SELECT version, markdown FROM reports WHERE submission_id = 'S-2026-009'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("a pushed report");
    assert_eq!(version, 1);
    assert!(markdown.contains("**Accredited**"), "{markdown}");
    assert!(markdown.contains("The panel weighed the minority view"), "the resolution notes reach the appendix");
}

/// Opens the demo on the Panel screen of S-2026-009, which Sam chairs.
fn open_chair_panel(tmux: &Tmux, dir: &Path) -> String {
    let queue = tmux.start_demo(dir);
    assert!(queue.contains("S-2026-009"), "{queue}");
    // Down to the chair's row, wherever the queue puts it.
    for _ in 0..10 {
        let screen = tmux.wait_for("a selected queue row", |s| s.contains("▸ S-"));
        if screen.contains("▸ S-2026-009") {
            break;
        }
        let at = screen.find("▸ S-").map(|i| screen[i..].chars().take(12).collect::<String>()).unwrap_or_default();
        tmux.keys(&["j"]);
        tmux.wait_for("the selection to move down", |s| !s.contains(&at));
    }
    tmux.wait_text(&["▸ S-2026-009"]);
    tmux.keys(&["Enter"]);
    tmux.wait_text(&["accredit · Panel S-2026-009", "to settle"])
}

/// Issue 12 item 3: one confirmed key settles the unanimous standards, and one undo takes it
/// all back, through the real binary.
#[test]
fn the_chair_settles_the_unanimous_in_one_step_and_undoes_it() {
    let tmux = Tmux::new("settle");
    let dir = tempfile::tempdir().expect("temporary folder");
    let before = open_chair_panel(&tmux, dir.path());
    tmux.keys(&["A"]);
    tmux.wait_text(&["Settle the unanimous", "unanimous standards with the reviewers' shared outcome"]);
    tmux.keys(&["y"]);
    let after = tmux.wait_text(&["Settled "]);
    let settled = open_store(dir.path()).consolidation("S-2026-009").expect("the consolidation").outcomes;
    assert!(settled.len() > 20, "{after}");
    assert!(settled.iter().all(|o| o.outcome == accredit::domain::Outcome::Met), "only unanimous met settle alone");
    let count = |s: &str| s.split("⚑ ").nth(1).and_then(|r| r.split_whitespace().next()).map(str::to_string);
    assert_ne!(count(&before), count(&after), "the count to settle falls:\n{before}\n{after}");
    tmux.keys(&["u"]);
    tmux.wait_text(&["Undone: settling"]);
    assert!(open_store(dir.path()).consolidation("S-2026-009").expect("the consolidation").outcomes.is_empty());
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

/// Issue 9 #6: 5,000 characters pasted (bracketed paste, as terminals send a paste) into the
/// rationale editor arrive whole and are in the cache at once, without another key; one Esc
/// leaves the editor.
#[test]
fn a_long_paste_arrives_whole_and_is_saved_at_once() {
    let tmux = Tmux::new("paste");
    let dir = tempfile::tempdir().expect("temporary folder");
    open_review(&tmux, dir.path());
    tmux.keys(&["e"]);
    tmux.wait_for("the rationale editor", in_editor);

    let line = "Assessment of clinical reasoning is mapped to every outcome; ";
    let mut text = String::new();
    let mut n = 0;
    while text.chars().count() < 5_000 {
        n += 1;
        text.push_str(line);
        if n % 20 == 0 {
            text.push('\n');
        }
    }
    let text: String = text.chars().take(5_000).collect();
    tmux.run(&["set-buffer", "-b", "long", "--", &text]);
    // -p: bracketed paste, since accredit asked the terminal for it.
    tmux.run(&["paste-buffer", "-p", "-b", "long", "-t", SESSION]);

    let start = Instant::now();
    let stored_text = loop {
        let rationale = stored(dir.path(), "MPF 1.1").map(|j| j.rationale).unwrap_or_default();
        if rationale.chars().count() >= 5_000 || start.elapsed() > DEADLINE {
            break rationale;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(stored_text.chars().count(), 5_000, "the whole paste is saved without another key");
    assert_eq!(stored_text, text, "the paste is saved as pasted, line breaks included");

    tmux.keys(&["Escape"]);
    tmux.wait_for("the review keys after one Esc", |s| in_review(s) && s.contains("saved"));
}

/// The status line of the document viewer (its first row inside the pane).
fn document_status(screen: &str) -> &str {
    screen.lines().nth(2).unwrap_or_default()
}

/// Issue 10: a standard's citation of a PDF opens the PDF's text at the printed page cited,
/// and the viewer says which physical page of the file that is (the cover is unnumbered).
#[test]
fn a_cited_pdf_page_opens_from_the_standard_at_its_printed_page() {
    let tmux = Tmux::new("pdf-citation");
    let dir = tempfile::tempdir().expect("temporary folder");
    open_review(&tmux, dir.path());
    tmux.keys(&["/"]);
    tmux.type_text("S-2026-014 MPF 1.7");
    tmux.wait_text(&["MPF 1.7"]);
    tmux.keys(&["Enter"]);
    wait_selected(&tmux, "·", "MPF 1.7", &[]);
    // The second citation of MPF 1.7 is E01 p.3, a PDF.
    tmux.keys(&["Tab", "j", "Enter"]);
    let screen = tmux.wait_text(&["accredit · Document S-2026-014 E01", "cited at p.3"]);
    assert!(document_status(&screen).contains("p.3 (PDF p.4)"), "{screen}");
    assert!(screen.contains("3. Entry requirements"), "page 3's heading is in view:\n{screen}");
    // Another page by the number printed on it.
    tmux.keys(&["p"]);
    tmux.wait_text(&["go to page:"]);
    tmux.type_text("2");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("printed page 2", |s| document_status(s).contains("p.2 (PDF p.3)"));
    assert!(screen.contains("2. Aims"), "{screen}");
}

/// Issue 10: a word that is only on page 3 of a PDF is found by the finder among the text of
/// the evidence, and Enter opens the document on that page with the word picked out.
#[test]
fn a_word_found_in_the_evidence_text_opens_on_its_page() {
    let tmux = Tmux::new("find-text");
    let dir = tempfile::tempdir().expect("temporary folder");
    tmux.start_demo(dir.path());
    tmux.keys(&["/"]);
    tmux.type_text("restrictions");
    let screen = tmux.wait_text(&["In the text of the evidence", "E01 p.3"]);
    let hits: Vec<&str> = screen.lines().filter(|l| l.contains("text       ")).collect();
    assert_eq!(hits.len(), 1, "the word is on one page only:\n{screen}");
    assert!(hits[0].contains("S-2026-014") && hits[0].contains("restrictions"), "{screen}");
    // No standard or document title has the word: the text hit is the first row to choose.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text(&["accredit · Document S-2026-014 E01"]);
    let status = document_status(&screen);
    assert!(status.contains("p.3 (PDF p.4)") && status.contains("\"restrictions\": 1 of 1"), "{screen}");
    assert!(screen.contains("with no restrictions on practice"), "{screen}");
}

/// Issue 9 #10, in a real terminal: after "👩‍⚕️🏥✅" tmux blanked the 🏥 (it counts a ZWJ
/// sequence otherwise than the layout did) and a flag left a stray half behind. Drawn as their
/// parts, every emoji shows and the pane's right border stays in its column.
#[test]
fn emoji_in_a_rationale_show_whole_in_a_real_terminal() {
    let tmux = Tmux::new("emoji");
    let dir = demo_data_dir();
    let rationale = "Nurse 👩\u{200d}⚕\u{fe0f}🏥✅ flag 🇧🇪 end.";
    let out = accredit(dir.path(), &["judge", SUB, "MPF 1.1", "--outcome", "met", "--rationale", rationale]);
    assert!(out.status.success(), "{}", stderr(&out));
    tmux.start(dir.path(), &[]);
    tmux.wait_text(&["accredit · Queue"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the review", in_review);
    tmux.keys(&["g"]);
    let screen = tmux.wait_text(&["Nurse "]);
    let line = screen.lines().find(|l| l.contains("Nurse ")).expect("the rationale's line");
    assert!(line.contains("Nurse 👩⚕🏥✅ flag BE end."), "{line}");
    let border_column = |l: &str| accredit::text::width(l.trim_end().trim_end_matches('│')) + 1;
    let reference = screen.lines().find(|l| l.contains("Outcome: ")).expect("the outcome line");
    assert_eq!(border_column(line), border_column(reference), "the border stays in its column:\n{screen}");
}

/// Issue 12 #14: a member confirms the report the chair pushed, from their own data folder,
/// through the real hub (`accredit serve` on loopback): the queue says it is there, `r` reads it,
/// `c` confirms with a comment, and the chair's next push lists the confirmation.
#[test]
fn a_member_confirms_the_pushed_report_from_their_own_data_folder_through_the_hub() {
    const CHAIRED: &str = "S-2026-009";
    let hub_dir = tempfile::tempdir().expect("temporary folder");
    let (db, tokens) = crate::support::demo_hub_db(hub_dir.path());
    let hub = crate::support::HubProcess::start(&db, "127.0.0.1:0").expect("accredit serve");
    let chair = tempfile::tempdir().expect("temporary folder");
    let member = tempfile::tempdir().expect("temporary folder");
    for (dir, user) in [(chair.path(), "u-demo"), (member.path(), "u-rev2")] {
        let login = accredit(dir, &["login", "--server", &hub.url, "--token", &tokens[user]]);
        assert!(login.status.success(), "{}", stderr(&login));
    }
    assert!(accredit(chair.path(), &["sync"]).status.success());
    {
        let mut store = open_store(chair.path());
        let consolidation = crate::support::complete_for(&store, CHAIRED);
        store.save_consolidation(CHAIRED, "u-demo", &consolidation).expect("save the consolidation");
    }
    let pushed = accredit(chair.path(), &["panel", "push", CHAIRED]);
    assert!(crate::support::stdout(&pushed).contains("as version 1"), "{}", stderr(&pushed));

    let tmux = Tmux::new("confirm");
    tmux.start(member.path(), &[]);
    let queue = tmux.wait_for("the member's queue after its first sync", |s| {
        s.contains("accredit · Queue") && first_sync_done(s) && s.contains("report v1 to confirm")
    });
    assert!(queue.contains("▸ S-2026-009"), "a report to confirm comes first: {queue}");
    tmux.wait_text(&["The chair pushed version 1 of the panel report: r reads it"]);
    tmux.keys(&["r"]);
    tmux.wait_text(&["version 1 as the chair pushed it", "Awaited from: Dr Anika Sørensen", "S-2026-009/R1"]);
    tmux.keys(&["c"]);
    tmux.wait_text(&["Confirm the report", "Enter confirms"]);
    tmux.type_text("Accurate; one typo in MPF 1.2.");
    tmux.keys(&["Enter"]);
    // Saved at once, then sent by the sync it starts; the screen then shows the hub's list.
    tmux.wait_text(&["You confirmed version 1.", "Confirmed by: Dr Anika Sørensen ("]);
    tmux.keys(&["Escape"]);
    tmux.wait_text(&["report v1 confirmed"]);
    tmux.keys(&["q"]);
    tmux.wait_gone();

    let again = accredit(chair.path(), &["panel", "push", CHAIRED]);
    let said = crate::support::stdout(&again);
    assert!(said.contains("as version 2"), "the sign-off changed: {said}{}", stderr(&again));
    assert!(!said.contains("not yet confirmed by: Dr Anika Sørensen"), "{said}");
    let record = crate::support::stdout(&accredit(chair.path(), &["report", CHAIRED]));
    assert!(record.contains("Confirmed accurate by Dr Anika Sørensen on"), "{record}");
    assert!(record.contains("comment: Accurate; one typo in MPF 1.2."), "{record}");
}
