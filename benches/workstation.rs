//! Workstation latency benchmark over a large synthetic cache (200 submissions × 49 standards).
//!
//! Run with `cargo bench --bench workstation`. Plain `fn main`, no harness: each measurement is
//! repeated many times and reported as median, p10 and p90, against the latency it aims for.
//! If `fzf` is on the PATH, the finder is compared with `fzf --filter` over the same labels.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use accredit::demo::synthetic::{self, ME, Shape};
use accredit::store::Store;
use accredit::tui::finder::FinderState;
use common::{Samples, key, key_code, percentile_ms, print_table, timed};

use accredit::tui::{Runtime, ScreenId, Settings, views};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use jiff::civil::{Date, date};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

const SHAPE: Shape = Shape { submissions: 200, standards: 49, reviewers: 4 };
const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;

const START_RUNS: usize = 100;
const NEXT_RUNS: usize = 400;
const OUTCOME_RUNS: usize = 200;
/// Times each query below is typed, one refresh per character.
const FINDER_CYCLES: usize = 8;
/// The first as a user might type it; the second in the order the labels use.
const FINDER_QUERIES: [&str; 2] = ["supervision 4.1", "4.1 supervision"];
const FZF_RUNS: usize = 7;

const TODAY: Date = date(2026, 3, 1);

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal")
}

fn draw(terminal: &mut Terminal<TestBackend>, runtime: &Runtime) {
    terminal
        .draw(|frame| {
            views::render(&runtime.app, frame);
        })
        .expect("draw");
}

/// A runtime on `path` with the first submission of the queue open, as Enter on the queue does.
fn open_review(path: &Path) -> (Runtime, Terminal<TestBackend>) {
    let store = Store::open(path).expect("open the cache");
    let mut runtime = Runtime::new(store, TODAY, Settings::default()).expect("runtime");
    runtime.dispatch(key_code(KeyCode::Enter));
    assert_eq!(runtime.app.screen, ScreenId::Review, "Enter on the queue opens a review");
    let mut terminal = terminal();
    draw(&mut terminal, &runtime);
    (runtime, terminal)
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cache.sqlite");
    println!("accredit workstation benchmark");
    println!(
        "cache: {} submissions × {} standards, {} reviewers, at {}; terminal {WIDTH}×{HEIGHT} (TestBackend)",
        SHAPE.submissions,
        SHAPE.standards,
        SHAPE.reviewers,
        path.display()
    );
    let ((), generating) = timed(|| {
        let mut store = Store::open(&path).expect("create the cache");
        synthetic::generate(&mut store, SHAPE).expect("generate the synthetic cache");
    });
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("generated the cache in {:.2} s ({:.1} MB)\n", generating.as_secs_f64(), size as f64 / 1e6);

    let mut rows = Vec::new();
    let mut sub_steps = Vec::new();

    // a. Start to first frame: open, load the queue, draw once.
    let mut start = Samples::new("start to first frame", Some(100.0));
    let mut start_open = Samples::new("  open store (schema check)", None);
    let mut start_runtime = Samples::new("  Runtime::new (load queue)", None);
    let mut start_draw = Samples::new("  first draw", None);
    for i in 0..START_RUNS + 3 {
        let t0 = Instant::now();
        let store = Store::open(&path).expect("open the cache");
        let t1 = Instant::now();
        let runtime = Runtime::new(store, TODAY, Settings::default()).expect("runtime");
        let t2 = Instant::now();
        let mut terminal = terminal();
        draw(&mut terminal, &runtime);
        let t3 = Instant::now();
        black_box(&terminal);
        if i >= 3 {
            start.push(t3 - t0);
            start_open.push(t1 - t0);
            start_runtime.push(t2 - t1);
            start_draw.push(t3 - t2);
        }
        assert_eq!(runtime.app.queue.len(), SHAPE.submissions, "the queue holds every submission");
    }
    rows.push(start);
    sub_steps.extend([start_open, start_runtime, start_draw]);

    // b. Next standard: one `j` and one draw in an open review.
    let (mut runtime, mut term) = open_review(&path);
    let standards = runtime.app.review.as_ref().map_or(0, |r| r.order.len());
    assert!(standards > 1, "the review lists its standards");
    let mut next = Samples::new("next standard, rendered", Some(2.0));
    let mut next_dispatch = Samples::new("  dispatch j", None);
    let mut next_draw = Samples::new("  draw", None);
    let mut measured = 0;
    let mut warmup = 10;
    while measured < NEXT_RUNS {
        let at_bottom = runtime.app.review.as_ref().is_some_and(|r| r.selected + 1 >= standards);
        if at_bottom {
            runtime.dispatch(key('g'));
            draw(&mut term, &runtime);
            continue;
        }
        let t0 = Instant::now();
        runtime.dispatch(key('j'));
        let t1 = Instant::now();
        draw(&mut term, &runtime);
        let t2 = Instant::now();
        if warmup > 0 {
            warmup -= 1;
            continue;
        }
        next.push(t2 - t0);
        next_dispatch.push(t1 - t0);
        next_draw.push(t2 - t1);
        measured += 1;
    }
    rows.push(next);
    sub_steps.extend([next_dispatch, next_draw]);

    // c. Set an outcome, durably: '1' and '2' alternate so every key is a real change. The
    // floor for a durable save on this disk, one row committed to a plain SQLite file with the
    // store's settings (WAL, synchronous=FULL) in the same folder, is measured in the same loop,
    // key and commit taking turns, so both see the same disk (its fsync time swings tenfold
    // under other load).
    let mut outcome = Samples::new("set outcome incl. durable write", Some(5.0));
    let mut outcome_dispatch = Samples::new("  dispatch 1/2 (save + outbox count)", None);
    let mut outcome_draw = Samples::new("  draw", None);
    let mut commit = Samples::new("  baseline: one-row fsync'd SQLite commit, taking turns", None);
    let baseline = fsync_baseline(dir.path());
    let version = |runtime: &Runtime| {
        let review = runtime.app.review.as_ref().expect("review open");
        review.current().expect("a standard is selected").mine.as_ref().map_or(0, |j| j.version)
    };
    let before = version(&runtime);
    for i in 0..OUTCOME_RUNS + 4 {
        let c = if i % 2 == 0 { '1' } else { '2' };
        let t0 = Instant::now();
        runtime.dispatch(key(c));
        let t1 = Instant::now();
        draw(&mut term, &runtime);
        let t2 = Instant::now();
        let (written, committed) = timed(|| commit_one(&baseline, i));
        written.expect("write the baseline row");
        if i >= 4 {
            outcome.push(t2 - t0);
            outcome_dispatch.push(t1 - t0);
            outcome_draw.push(t2 - t1);
            commit.push(committed);
        }
    }
    if let Some(accredit::tui::app::Flash::Error(message)) = &runtime.app.flash {
        panic!("setting an outcome failed: {message}");
    }
    assert_eq!(version(&runtime), before + (OUTCOME_RUNS + 4) as i64, "every key saved a new version");
    rows.push(outcome);
    sub_steps.extend([outcome_dispatch, outcome_draw]);

    // The store call alone, with the same alternation, to split SQLite from the rest.
    let (submission, code) = {
        let review = runtime.app.review.as_ref().expect("review open");
        let current = review.current().expect("a standard is selected");
        (review.data.submission.id.clone(), current.code.clone())
    };
    let mut save_only = Samples::new("  Store::save_judgement alone", None);
    let outcomes = [accredit::domain::Outcome::Met, accredit::domain::Outcome::PartiallyMet];
    for i in 0..OUTCOME_RUNS {
        let (saved, d) =
            timed(|| runtime.store.save_judgement(&submission, &code, ME, Some(outcomes[i % 2]), "bench rationale"));
        saved.expect("save a judgement");
        save_only.push(d);
    }
    sub_steps.push(save_only);
    // The same without waiting for the disk: what the save costs in CPU.
    runtime.store.connection().pragma_update(None, "synchronous", "OFF").expect("synchronous=OFF");
    let mut save_cpu = Samples::new("  Store::save_judgement, no fsync (CPU)", None);
    for i in 0..OUTCOME_RUNS {
        let (saved, d) =
            timed(|| runtime.store.save_judgement(&submission, &code, ME, Some(outcomes[i % 2]), "bench rationale"));
        saved.expect("save a judgement");
        save_cpu.push(d);
    }
    sub_steps.push(save_cpu);
    drop((runtime, term));
    let outcome_ratio = rows[2].median_ms() / commit.median_ms();
    sub_steps.push(commit);

    // d. Finder: one refresh per typed character, over every entry.
    let store = Store::open(&path).expect("open the cache");
    let (entries, loading) = timed(|| store.finder_entries(ME).expect("finder entries"));
    drop(store);
    println!(
        "finder entries: {} (loaded in {:.1} ms); queries typed one character at a time: {FINDER_QUERIES:?}\n",
        entries.len(),
        loading.as_secs_f64() * 1e3
    );
    let prefixes: Vec<String> =
        FINDER_QUERIES.iter().flat_map(|q| q.char_indices().map(|(i, c)| q[..i + c.len_utf8()].to_string())).collect();
    let mut per_query_rows: Vec<Samples> = vec![
        Samples::new("finder keystroke, typing \"supervision 4.1\"", Some(10.0)),
        Samples::new("  finder keystroke, typing \"4.1 supervision\"", None),
    ];
    let mut per_prefix: Vec<Vec<Duration>> = vec![Vec::new(); prefixes.len()];
    let mut matches = vec![0usize; prefixes.len()];
    let mut state = FinderState::new(&entries);
    let mut matcher_only = Samples::new("  baseline: fuzzy_match per entry, whole query", None);
    let matcher = SkimMatcherV2::default().smart_case();
    for cycle in 0..=FINDER_CYCLES {
        let mut p = 0;
        for (q, query) in FINDER_QUERIES.iter().enumerate() {
            state.query.clear();
            state.refresh(&entries);
            for c in query.chars() {
                state.query.push(c);
                let ((), d) = timed(|| state.refresh(&entries));
                black_box(&state.results);
                let (_, m) = timed(|| {
                    entries.iter().filter(|e| matcher.fuzzy_match(&e.label(), &state.query).is_some()).count()
                });
                let hits = state.results.len();
                if cycle > 0 {
                    per_query_rows[q].push(d);
                    per_prefix[p].push(d);
                    if q == 0 {
                        matcher_only.push(m);
                    }
                }
                matches[p] = hits;
                p += 1;
            }
        }
    }
    let mut per_query_rows = per_query_rows.into_iter();
    rows.extend(per_query_rows.next());
    sub_steps.extend(per_query_rows);
    sub_steps.push(matcher_only);

    // The same keystrokes through the app, with a draw, as a user sees them.
    let mut finder_ui = Samples::new("  finder keystroke via dispatch + draw, both", None);
    {
        let (mut runtime, mut term) = open_review(&path);
        runtime.dispatch(key('/'));
        assert!(runtime.app.finder_entries.is_some(), "/ opens the finder");
        for cycle in 0..3 {
            for query in FINDER_QUERIES {
                for c in query.chars() {
                    let t0 = Instant::now();
                    runtime.dispatch(key(c));
                    draw(&mut term, &runtime);
                    if cycle > 0 {
                        finder_ui.push(t0.elapsed());
                    }
                }
                for _ in query.chars() {
                    runtime.dispatch(key_code(KeyCode::Backspace));
                }
            }
        }
    }
    sub_steps.push(finder_ui);

    // e. fzf over the same labels, the whole process timed.
    let fzf = fzf_baseline(dir.path(), &entries, &prefixes);

    // Tables.
    print_table(rows.iter().chain(&sub_steps), 44);

    println!("finder, per query ({} refreshes each; fzf: {FZF_RUNS} process runs each)", FINDER_CYCLES);
    println!("{:<18} {:>8} {:>10} {:>10} {:>10} {:>8}", "query", "ours n", "ours p50", "fzf n", "fzf p50", "ratio");
    println!("{}", "-".repeat(69));
    for (i, q) in prefixes.iter().enumerate() {
        let ours = percentile_ms(&per_prefix[i], 50.0);
        let (fzf_n, fzf_ms) = fzf
            .as_ref()
            .map(|f| (f.matches[i].to_string(), percentile_ms(&f.per_query[i], 50.0)))
            .unwrap_or(("-".into(), f64::NAN));
        println!(
            "{:<18} {:>8} {:>10.3} {:>10} {:>10.3} {:>8.2}",
            format!("{q:?}"),
            matches[i],
            ours,
            fzf_n,
            fzf_ms,
            ours / fzf_ms
        );
    }
    println!("(n: entries matched; both split the query into words matched in any order;");
    println!(" ours keeps only the best 200, fzf prints every match)\n");

    // Summary.
    println!("summary");
    println!("{}", "-".repeat(72));
    for s in &rows {
        let aim = s.aim_ms.expect("top-level rows have an aim");
        let median = s.median_ms();
        println!(
            "{:<44} median {:>8.3} ms  aim < {:>5} ms  {}",
            s.name,
            median,
            aim,
            if median < aim { "ok" } else { "MISSED" }
        );
    }
    println!(
        "set outcome incl. durable write / one-row fsync'd SQLite commit: {outcome_ratio:.2}× (aim ≤ 1.5×) {}",
        if outcome_ratio <= 1.5 { "ok" } else { "MISSED" }
    );
    match &fzf {
        Some(f) => {
            let mut start = 0;
            for query in FINDER_QUERIES {
                let n = query.chars().count();
                let ours: Vec<Duration> = per_prefix[start..start + n].concat();
                let theirs: Vec<Duration> = f.per_query[start..start + n].concat();
                let (ours, theirs) = (percentile_ms(&ours, 50.0), percentile_ms(&theirs, 50.0));
                println!(
                    "{:<44} ours {ours:.3} ms / fzf {theirs:.3} ms = {:.2}×",
                    format!("finder vs fzf --filter, {query:?}"),
                    ours / theirs
                );
                start += n;
            }
            println!(
                "  (fzf timed as a whole process; an fzf run on empty input takes {:.3} ms)",
                f.overhead.median_ms()
            );
        }
        None => println!("finder vs fzf: skipped (fzf is not installed)"),
    }
}

struct Fzf {
    per_query: Vec<Vec<Duration>>,
    matches: Vec<usize>,
    overhead: Samples,
}

/// Runs `fzf --filter QUERY` over the labels for every query, timing the whole process.
fn fzf_baseline(dir: &Path, entries: &[accredit::store::FinderEntry], queries: &[String]) -> Option<Fzf> {
    let available = Command::new("fzf").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !available.is_ok_and(|s| s.success()) {
        println!("fzf is not installed: skipping the fzf baseline\n");
        return None;
    }
    let labels = dir.join("labels.txt");
    let mut file = std::fs::File::create(&labels).expect("labels file");
    for e in entries {
        writeln!(file, "{}", e.label()).expect("write labels");
    }
    drop(file);
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").expect("empty file");

    let run = |input: &Path, query: &str, capture: bool| -> (Duration, usize) {
        let stdin = std::fs::File::open(input).expect("open labels");
        let start = Instant::now();
        let output = Command::new("fzf")
            .arg("--filter")
            .arg(query)
            .env_remove("FZF_DEFAULT_OPTS")
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .expect("run fzf");
        let elapsed = start.elapsed();
        let n = if capture { output.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count() } else { 0 };
        (elapsed, n)
    };

    let mut overhead = Samples::new("fzf, empty input", None);
    for i in 0..FZF_RUNS + 1 {
        let (d, _) = run(&empty, "x", false);
        if i > 0 {
            overhead.push(d);
        }
    }
    let mut per_query = vec![Vec::new(); queries.len()];
    let mut matches = vec![0; queries.len()];
    for (i, q) in queries.iter().enumerate() {
        for r in 0..FZF_RUNS + 1 {
            let (d, n) = run(&labels, q, true);
            matches[i] = n;
            if r > 0 {
                per_query[i].push(d);
            }
        }
    }
    Some(Fzf { per_query, matches, overhead })
}

/// A fresh SQLite file in `dir` with the cache's durability settings, for the floor of any
/// durable save on this disk.
fn fsync_baseline(dir: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(dir.join("baseline.sqlite")).expect("open the baseline database");
    conn.pragma_update(None, "journal_mode", "WAL").expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL").expect("synchronous=FULL");
    conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)", []).expect("create the table");
    conn
}

/// One row written and committed (alternating values, so each is a real change).
fn commit_one(conn: &rusqlite::Connection, i: usize) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT OR REPLACE INTO t (k, v) VALUES (1, ?1)",
        [if i.is_multiple_of(2) { "met" } else { "partially met" }],
    )
}
