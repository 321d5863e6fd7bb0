//! The panel report: a model built from the consolidation, rendered deterministically as
//! Markdown (to paste), self-contained HTML (to print to PDF) and JSON (for machines).

pub mod diff;
mod html;
mod markdown;
pub mod model;

pub use model::{REPORT_FORMAT, Report, ReportInput, build};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The report in `format`: the same report gives the same bytes.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(report).expect("a report always serialises");
            json.push('\n');
            json
        }
    }
}

use crate::domain::Outcome;

fn outcome_words(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Met) => "Met",
        Some(Outcome::PartiallyMet) => "Partially met",
        Some(Outcome::NotMet) => "Not met",
        None => "No panel outcome yet",
    }
}

fn mark(outcome: Option<Outcome>) -> &'static str {
    outcome.map_or("·", Outcome::mark)
}
