//! The chair's Panel screen and the panel report, over a synthetic panel of 60 standards and six
//! voting reviewers.
//!
//! Run with `cargo bench --bench panel`. Plain `fn main`, no harness: each measurement is repeated
//! many times and reported as median, p10 and p90, against the latency it aims for:
//!
//! 1. opening the Panel screen: Enter on the queue, the panel loaded and drawn once (aim < 10 ms);
//! 2. re-sorting it (`o`, splits first) and filtering it (`f`, only what needs me), each with a
//!    draw (aim < 10 ms);
//! 3. the panel report rendered as Markdown, HTML and JSON (aim < 50 ms each); gathering its input
//!    and building it are timed apart.
//!
//! The cache is `accredit::demo::synthetic` with six reviewers. Its owner (`u-bench`) is one of
//! them and starts with nothing judged, so the bench judges and submits as `u-bench` first (the
//! other five have submitted everything), then saves a consolidation two thirds done as the chair
//! and makes `u-chair` the cache's owner: the queue then lists the panels `u-chair` chairs, and
//! Enter opens the Panel screen. The breakdowns repeat the runtime's steps through the same
//! public calls, timing each.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use accredit::demo::synthetic::{self, ME, Shape};
use accredit::domain::agreement::Agreement;
use accredit::domain::consolidation::{Condition, ConditionStatus, Consolidation, Note, PanelOutcome};
use accredit::domain::{MemberRole, Outcome};
use accredit::report::{self, Format};
use accredit::store::Store;
use accredit::tui::screens::panel::{PanelData, PanelState};
use accredit::tui::{Runtime, ScreenId, Settings, views};
use common::{Samples, key, key_code, print_table, timed};
use jiff::civil::{Date, date};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

const SHAPE: Shape = Shape { submissions: 3, standards: 60, reviewers: 6 };
const CHAIR: &str = "u-chair";
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

const OPEN_RUNS: usize = 200;
const TOGGLE_RUNS: usize = 400;
const REPORT_RUNS: usize = 200;
const WARMUP: usize = 5;

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

fn no_error(runtime: &Runtime, what: &str) {
    if let Some(accredit::tui::app::Flash::Error(message)) = &runtime.app.flash {
        panic!("{what} failed: {message}");
    }
}

/// The outcome a reviewer gives, as `synthetic` hands them out: [met, met, partially, not met].
fn synthetic_outcome(k: usize) -> Outcome {
    [Outcome::Met, Outcome::Met, Outcome::PartiallyMet, Outcome::NotMet][k % 4]
}

/// Judges and submits every standard of every submission as the cache's owner (met throughout,
/// which with the other five gives half the standards a majority and half a split).
fn submit_as_owner(store: &mut Store) {
    for n in 0..SHAPE.submissions {
        let submission = format!("S-BENCH-{n:04}");
        let review = store.load_review(&submission, ME).expect("the owner's review");
        let codes: Vec<String> = review.standards().map(|s| s.code.clone()).collect();
        for code in &codes {
            store
                .save_judgement(&submission, code, ME, Some(Outcome::Met), &format!("Evidence for {code} seen in E01."))
                .expect("save the owner's judgement");
        }
        store.submit(&submission, ME).expect("submit the owner's judgements");
    }
}

/// A consolidation two thirds done: every third standard has no panel outcome yet, a few settled
/// ones lack their resolution note, the not-fully-met ones carry a condition or say why not.
fn consolidation(codes: &[String]) -> Consolidation {
    let mut c = Consolidation::default();
    for (i, code) in codes.iter().enumerate() {
        if i % 3 == 2 {
            continue;
        }
        // The other five reviewers (r = 0..5) give outcome i + r on submission 0; the owner met.
        let mut tally = [0usize; 3];
        for r in 0..SHAPE.reviewers - 1 {
            tally[Outcome::ALL.iter().position(|&o| o == synthetic_outcome(i + r)).expect("in ALL")] += 1;
        }
        tally[0] += 1;
        let outcome = if tally[0] * 2 > SHAPE.reviewers { Outcome::Met } else { Outcome::PartiallyMet };
        let needs_condition = outcome != Outcome::Met && c.conditions.len() < 4 && i % 2 == 0;
        if needs_condition {
            c.conditions.push(Condition {
                id: format!("C{}", c.conditions.len() + 1),
                standards: vec![code.clone()],
                text: format!(
                    "Map the assessment of {code} to the learning outcomes of every core module and show how \
                     workplace supervisors are prepared to assess it."
                ),
                evidence_required: "A revised assessment map and the supervisor preparation materials.".into(),
                due: date(2026, 9, 1),
                status: ConditionStatus::Open,
                signed_off_on: None,
            });
        }
        c.outcomes.push(PanelOutcome {
            standard: code.clone(),
            outcome,
            rationale: format!(
                "The panel reviewed the programme handbook, the module descriptors and the placement \
                 agreements cited for {code}. Teaching is well mapped and learners are supported by named \
                 supervisors; the portfolio assessment is consistent with the standard. {}",
                if outcome == Outcome::Met {
                    "The panel is satisfied that the standard is met in full."
                } else {
                    "The assessment strategy does not yet show how every learning outcome is assessed in practice."
                }
            ),
            resolution_note: if i % 7 == 3 {
                String::new()
            } else {
                format!(
                    "Reviewers differed on {code}; the panel weighed the handbook against the placement evidence \
                     and settled on the majority view after discussion."
                )
            },
            no_condition_reason: if outcome != Outcome::Met && !needs_condition {
                "Covered by the programme-wide condition on assessment mapping.".into()
            } else {
                String::new()
            },
        });
    }
    for (i, code) in codes.iter().step_by(13).enumerate() {
        c.recommendations.push(Note {
            id: format!("R{}", i + 1),
            standards: vec![code.clone()],
            text: format!("Consider a shared supervisor forum for {code} to spread good practice across placements."),
            withdrawn: false,
        });
    }
    for (i, code) in codes.iter().skip(4).step_by(19).enumerate() {
        c.commendations.push(Note {
            id: format!("G{}", i + 1),
            standards: vec![code.clone()],
            text: format!("The learner support described under {code} is exemplary and valued by learners."),
            withdrawn: false,
        });
    }
    c
}

/// Builds the cache and returns the submission the queue opens first.
fn build_cache(path: &Path) -> String {
    let mut store = Store::open(path).expect("create the cache");
    synthetic::generate(&mut store, SHAPE).expect("generate the synthetic cache");
    submit_as_owner(&mut store);
    let submission = "S-BENCH-0000".to_string();
    let codes: Vec<String> =
        store.load_review(&submission, CHAIR).expect("the chair's view").standards().map(|s| s.code.clone()).collect();
    store.save_consolidation(&submission, CHAIR, &consolidation(&codes)).expect("save the consolidation");
    store.set_meta("me", CHAIR).expect("make the chair the owner");
    submission
}

/// The names of one toggle's rows.
struct Toggle {
    key: char,
    name: &'static str,
    on: &'static str,
    off: &'static str,
    dispatch: &'static str,
    draw: &'static str,
    refresh_on: &'static str,
    refresh_off: &'static str,
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cache.sqlite");
    println!("accredit panel benchmark");
    println!(
        "cache: {} submissions × {} standards, {} voting reviewers + chair {CHAIR} (the owner), at {}; \
         terminal {WIDTH}×{HEIGHT} (TestBackend)",
        SHAPE.submissions,
        SHAPE.standards,
        SHAPE.reviewers,
        path.display()
    );
    let (submission, generating) = timed(|| build_cache(&path));
    println!("generated the cache in {:.2} s", generating.as_secs_f64());

    let mut rows = Vec::new();
    let mut sub_steps = Vec::new();

    // The first open, once, on a fresh runtime: nothing cached yet but SQLite's pages.
    let store = Store::open(&path).expect("open the cache");
    let mut runtime = Runtime::new(store, TODAY, Settings::default()).expect("runtime");
    assert_eq!(runtime.app.me, CHAIR);
    assert_eq!(runtime.app.queue.len(), SHAPE.submissions, "the chair's queue lists every panel");
    assert!(runtime.app.queue.iter().all(|a| a.role == MemberRole::Chair), "the owner chairs every panel");
    assert_eq!(runtime.app.queue[0].submission, submission, "the queue opens the consolidated panel first");
    let mut term = terminal();
    draw(&mut term, &runtime);
    let ((), first_open) = timed(|| {
        runtime.dispatch(key_code(KeyCode::Enter));
        draw(&mut term, &runtime);
    });
    no_error(&runtime, "opening the panel");
    assert_eq!(runtime.app.screen, ScreenId::Panel, "Enter on a panel the owner chairs opens the Panel screen");
    {
        let panel = runtime.app.panel.as_ref().expect("panel open");
        let data = &panel.data;
        assert_eq!(data.voters.len(), SHAPE.reviewers, "six voting reviewers");
        assert_eq!(data.standards.len(), SHAPE.standards);
        let count = |a| data.standards.iter().filter(|s| s.agreement == Some(a)).count();
        let needs_me = data.standards.iter().filter(|s| data.needs_me(s)).count();
        println!(
            "panel {}: {} voters, {} standards ({} unanimous, {} majority, {} split), κ {:?}; {} panel outcomes, \
             {} need the chair, {} problems; {} conditions, {} recommendations, {} commendations",
            data.submission.id,
            data.voters.len(),
            data.standards.len(),
            count(Agreement::Unanimous),
            count(Agreement::Majority),
            count(Agreement::Split),
            data.kappa,
            data.consolidation.outcomes.len(),
            needs_me,
            data.problems().len(),
            data.consolidation.conditions.len(),
            data.consolidation.recommendations.len(),
            data.consolidation.commendations.len(),
        );
        assert!(count(Agreement::Split) > 0, "the reviewers split somewhere");
        assert!(needs_me > 0 && needs_me < data.standards.len(), "some standards need the chair, some do not");
    }
    println!("first open on a fresh runtime (Enter + draw): {:.3} ms\n", first_open.as_secs_f64() * 1e3);
    runtime.dispatch(key_code(KeyCode::Esc));
    draw(&mut term, &runtime);
    assert_eq!(runtime.app.screen, ScreenId::Queue, "Esc on the grid goes back to the queue");

    // 1. Open the Panel screen: Enter on the queue, draw once; Esc back to the queue, untimed.
    let mut open = Samples::new("open Panel screen (Enter + draw)", Some(10.0));
    let mut open_dispatch = Samples::new("  dispatch Enter (load, build, state)", None);
    let mut open_draw = Samples::new("  first draw of the Panel screen", None);
    for i in 0..OPEN_RUNS + WARMUP {
        let t0 = Instant::now();
        runtime.dispatch(key_code(KeyCode::Enter));
        let t1 = Instant::now();
        draw(&mut term, &runtime);
        let t2 = Instant::now();
        assert_eq!(runtime.app.screen, ScreenId::Panel);
        if i >= WARMUP {
            open.push(t2 - t0);
            open_dispatch.push(t1 - t0);
            open_draw.push(t2 - t1);
        }
        runtime.dispatch(key_code(KeyCode::Esc));
        draw(&mut term, &runtime);
    }
    no_error(&runtime, "opening the panel");
    rows.push(open);
    sub_steps.extend([open_dispatch, open_draw]);

    // The runtime's steps of Enter one by one, through the same public calls.
    let mut load_review = Samples::new("    Store::load_review (chair)", None);
    let mut report_input = Samples::new("    Store::report_input", None);
    let mut build = Samples::new("    report::build", None);
    let mut panel_data = Samples::new("    PanelData::new", None);
    let mut panel_state = Samples::new("    PanelState::new (rows)", None);
    for i in 0..OPEN_RUNS + WARMUP {
        let store = &runtime.store;
        let (review, a) = timed(|| store.load_review(&submission, CHAIR).expect("load the review"));
        let (input, b) = timed(|| store.report_input(&submission).expect("report input"));
        let (report, c) = timed(|| report::build(&input));
        let (data, d) = timed(|| PanelData::new(&review, &input, &report));
        let (state, e) = timed(|| PanelState::new(data, None));
        black_box(&state);
        if i >= WARMUP {
            load_review.push(a);
            report_input.push(b);
            build.push(c);
            panel_data.push(d);
            panel_state.push(e);
        }
    }
    sub_steps.extend([load_review, report_input, build, panel_data, panel_state]);

    // 2. Re-sort and filter: each key toggles, so on and off alternate; a draw after each.
    runtime.dispatch(key_code(KeyCode::Enter));
    draw(&mut term, &runtime);
    let framework_order: Vec<usize> = runtime.app.panel.as_ref().expect("panel open").rows.clone();
    for toggle in [
        Toggle {
            key: 'o',
            name: "re-sort, splits first (o + draw)",
            on: "  o turning the sort on, + draw",
            off: "  o turning it off, + draw",
            dispatch: "  dispatch o",
            draw: "  draw after o",
            refresh_on: "    PanelState::refresh_rows, sort on",
            refresh_off: "    PanelState::refresh_rows, sort off",
        },
        Toggle {
            key: 'f',
            name: "filter, needs me (f + draw)",
            on: "  f turning the filter on, + draw",
            off: "  f turning it off, + draw",
            dispatch: "  dispatch f",
            draw: "  draw after f",
            refresh_on: "    PanelState::refresh_rows, filter on",
            refresh_off: "    PanelState::refresh_rows, filter off",
        },
    ] {
        let c = toggle.key;
        let is_on = |panel: &PanelState| if c == 'o' { panel.splits_first } else { panel.needs_me_only };
        let mut total = Samples::new(toggle.name, Some(10.0));
        let mut by_state = [Samples::new(toggle.off, None), Samples::new(toggle.on, None)];
        let mut dispatch = Samples::new(toggle.dispatch, None);
        let mut drawing = Samples::new(toggle.draw, None);
        let mut listed = [0usize; 2];
        for i in 0..TOGGLE_RUNS + WARMUP {
            let t0 = Instant::now();
            runtime.dispatch(key(c));
            let t1 = Instant::now();
            draw(&mut term, &runtime);
            let t2 = Instant::now();
            let panel = runtime.app.panel.as_ref().expect("panel open");
            let on = is_on(panel);
            listed[usize::from(on)] = panel.rows.len();
            if c == 'o' && on {
                let splits = |rows: &[usize]| {
                    rows.iter()
                        .position(|&r| panel.data.standards[r].agreement != Some(Agreement::Split))
                        .unwrap_or(rows.len())
                };
                assert_ne!(panel.rows, framework_order, "the sort reorders the rows");
                let split_count = panel.data.standards.iter().filter(|s| s.agreement == Some(Agreement::Split)).count();
                assert_eq!(splits(&panel.rows), split_count, "the splits come first");
            }
            if i >= WARMUP {
                total.push(t2 - t0);
                by_state[usize::from(on)].push(t2 - t0);
                dispatch.push(t1 - t0);
                drawing.push(t2 - t1);
            }
        }
        no_error(&runtime, "toggling");
        // The state change alone, without the app around it.
        let mut refresh = [Samples::new(toggle.refresh_off, None), Samples::new(toggle.refresh_on, None)];
        let panel = runtime.app.panel.as_mut().expect("panel open");
        for i in 0..TOGGLE_RUNS + WARMUP {
            if c == 'o' {
                panel.splits_first = !panel.splits_first;
            } else {
                panel.needs_me_only = !panel.needs_me_only;
            }
            let on = is_on(panel);
            let ((), d) = timed(|| panel.refresh_rows());
            black_box(&panel.rows);
            if i >= WARMUP {
                refresh[usize::from(on)].push(d);
            }
        }
        assert!(!is_on(panel), "an even number of toggles ends where it began");
        panel.refresh_rows();
        println!("{c}: rows listed off / on: {} / {}", listed[0], listed[1]);
        let [off, on] = by_state;
        let [refresh_off, refresh_on] = refresh;
        rows.push(total);
        sub_steps.extend([on, off, dispatch, drawing, refresh_on, refresh_off]);
    }

    // Where a draw goes: the views into the frame's buffer, then the diff against the last frame
    // written to the backend. Sort toggled untimed before each, so every frame differs.
    let mut render = Samples::new("  draw split: views::render into the buffer", None);
    let mut apply = Samples::new("  draw split: diff + TestBackend write + swap", None);
    let mut redraw = Samples::new("  redraw with nothing changed", None);
    for i in 0..TOGGLE_RUNS + WARMUP {
        runtime.dispatch(key('o'));
        let t0 = Instant::now();
        {
            let mut frame = term.get_frame();
            views::render(&runtime.app, &mut frame);
        }
        let t1 = Instant::now();
        term.apply_buffer().expect("apply the buffer");
        let t2 = Instant::now();
        let ((), d) = timed(|| draw(&mut term, &runtime));
        if i >= WARMUP {
            render.push(t1 - t0);
            apply.push(t2 - t1);
            redraw.push(d);
        }
    }
    let panel = runtime.app.panel.as_ref().expect("panel open");
    let mut flags = Samples::new("    PanelData::needs_me, all 60 standards", None);
    let mut problems = Samples::new("    PanelData::problems", None);
    for i in 0..TOGGLE_RUNS + WARMUP {
        let (n, a) = timed(|| panel.data.standards.iter().filter(|s| panel.data.needs_me(s)).count());
        let (p, b) = timed(|| panel.data.problems().len());
        black_box((n, p));
        if i >= WARMUP {
            flags.push(a);
            problems.push(b);
        }
    }
    sub_steps.extend([render, apply, redraw, flags, problems]);
    println!();

    // 3. The report: its input from the store, the model, and each rendering.
    let store = &runtime.store;
    let mut input_rows = Samples::new("  Store::report_input", None);
    let mut build_rows = Samples::new("report: build (report::build)", None);
    let mut renders = [
        (Format::Markdown, Samples::new("report: render Markdown", Some(50.0)), 0usize),
        (Format::Html, Samples::new("report: render HTML", Some(50.0)), 0),
        (Format::Json, Samples::new("report: render JSON", Some(50.0)), 0),
    ];
    let mut preview = Samples::new("  input + build + Markdown (the preview)", None);
    let mut deterministic = true;
    for i in 0..REPORT_RUNS + WARMUP {
        let (input, a) = timed(|| store.report_input(&submission).expect("report input"));
        let (built, b) = timed(|| report::build(&input));
        let mut markdown = Duration::ZERO;
        for (format, samples, bytes) in &mut renders {
            let (text, d) = timed(|| report::render(&built, *format));
            if *format == Format::Markdown {
                markdown = d;
            }
            deterministic &= *bytes == 0 || *bytes == text.len();
            *bytes = text.len();
            black_box(&text);
            if i >= WARMUP {
                samples.push(d);
            }
        }
        if i >= WARMUP {
            input_rows.push(a);
            build_rows.push(b);
            preview.push(a + b + markdown);
        }
    }
    assert!(deterministic, "the same report renders to the same length every time");
    println!(
        "report sizes: {}",
        renders
            .iter()
            .map(|(f, _, bytes)| format!("{f:?} {:.1} kB", *bytes as f64 / 1e3))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    for (_, samples, _) in renders {
        rows.push(samples);
    }
    rows.push(build_rows);
    sub_steps.extend([input_rows, preview]);

    // 4. The provider's letter printed to PDF through headless Chromium (when installed): a
    //    child process per print, so a few runs only (aim < 5 s).
    if accredit::report::pdf::chromium().is_some() {
        let letter = report::build(&store.report_input(&submission).expect("report input"))
            .for_audience(accredit::report::Audience::Provider);
        let html = report::render(&letter, Format::Html);
        let dir = std::env::temp_dir().join(format!("accredit-bench-pdf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let mut pdf = Samples::new("report: print the letter to PDF (Chromium)", Some(5000.0));
        for i in 0..4 {
            let out = dir.join(format!("letter-{i}.pdf"));
            let ((), d) = timed(|| report::pdf::print(&html, &out).expect("chromium prints"));
            if i > 0 {
                pdf.push(d);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        rows.push(pdf);
    } else {
        println!("no Chromium: the PDF print is not measured");
    }

    // Tables.
    print_table(rows.iter().chain(&sub_steps), 44);

    // Summary.
    println!("summary");
    println!("{}", "-".repeat(72));
    for s in &rows {
        let median = s.median_ms();
        match s.aim_ms {
            Some(aim) => println!(
                "{:<44} median {:>8.3} ms  aim < {:>5} ms  {}",
                s.name,
                median,
                aim,
                if median < aim { "ok" } else { "MISSED" }
            ),
            None => println!("{:<44} median {:>8.3} ms  (no aim of its own)", s.name, median),
        }
    }
}
