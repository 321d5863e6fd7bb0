//! What the benchmarks share: samples summarised by nearest rank, timing, keys.
//! Each bench includes this with `#[path = "common/mod.rs"] mod common;` and uses a part of it.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use accredit::tui::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Durations of one measurement, summarised by nearest rank.
pub struct Samples {
    pub name: String,
    pub aim_ms: Option<f64>,
    pub times: Vec<Duration>,
}

impl Samples {
    pub fn new(name: impl Into<String>, aim_ms: Option<f64>) -> Samples {
        Samples { name: name.into(), aim_ms, times: Vec::new() }
    }

    pub fn push(&mut self, d: Duration) {
        self.times.push(d);
    }

    pub fn percentile_ms(&self, p: f64) -> f64 {
        percentile_ms(&self.times, p)
    }

    pub fn median_ms(&self) -> f64 {
        self.percentile_ms(50.0)
    }
}

pub fn percentile_ms(times: &[Duration], p: f64) -> f64 {
    if times.is_empty() {
        return f64::NAN;
    }
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1].as_secs_f64() * 1e3
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

pub fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn key_code(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Prints samples as a table: median, p10, p90, runs and aim, one row each.
pub fn print_table<'a>(samples: impl IntoIterator<Item = &'a Samples>, name_width: usize) {
    println!(
        "{:<name_width$} {:>10} {:>10} {:>10} {:>7} {:>9}",
        "measurement", "median ms", "p10 ms", "p90 ms", "runs", "aim ms"
    );
    println!("{}", "-".repeat(name_width + 51));
    for s in samples {
        println!(
            "{:<name_width$} {:>10.3} {:>10.3} {:>10.3} {:>7} {:>9}",
            s.name,
            s.median_ms(),
            s.percentile_ms(10.0),
            s.percentile_ms(90.0),
            s.times.len(),
            s.aim_ms.map_or("-".to_string(), |a| format!("< {a}"))
        );
    }
    println!();
}
