//! The panel report: a model built from the consolidation, rendered deterministically as
//! Markdown (to paste), self-contained HTML (to print to PDF) and JSON (for machines).

pub mod diff;
mod html;
mod markdown;
pub mod model;
pub mod pdf;

pub use model::{Audience, IssueInput, REPORT_FORMAT, Report, ReportInput, build};

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

/// The SHA-256 of a report's content: its JSON as a draft for the panel, so the same
/// consolidation gives the same hash before and after the hub numbers it.
pub fn content_sha256(draft: &Report) -> String {
    let json = render(draft, Format::Json);
    crate::digest::sha256_hex(json.as_bytes())
}

/// The Markdown to keep of a version pushed to the hub, to show what changed since. When the
/// draft built from `input` is the version pushed (same content hash), its DRAFT rendering is
/// kept instead of the hub's FINAL one, so "changed since" compares content, not the letterhead.
pub fn kept_markdown(input: &ReportInput, sha256: &str, hub_markdown: &str) -> String {
    let draft = build(input);
    if content_sha256(&draft) == sha256 { render(&draft, Format::Markdown) } else { hub_markdown.to_string() }
}

use crate::domain::Outcome;
use model::{FrameworkFacts, MemberFacts};

/// "Title (id version)", marked illustrative when the catalogue is not official.
fn describe_framework(f: &FrameworkFacts, escape: impl Fn(&str) -> String) -> String {
    let illustrative = !f.official && !f.title.to_lowercase().contains("illustrative");
    format!(
        "{} ({} {}){}",
        escape(&f.title),
        escape(&f.id),
        escape(&f.version),
        if illustrative { ", illustrative" } else { "" }
    )
}

/// "Name: role, judging … only — recused: reason", as the panel list says it.
fn describe_member(m: &MemberFacts, escape: impl Fn(&str) -> String) -> String {
    let mut line = format!("{}: {}", escape(&m.name), m.role.label());
    if let Some(standards) = &m.standards {
        line.push_str(&format!(
            ", judging {} only",
            standards.iter().map(|s| escape(s)).collect::<Vec<_>>().join(", ")
        ));
    }
    if m.recused {
        line.push_str(" — recused");
        if let Some(reason) = &m.recusal_reason {
            line.push_str(&format!(": {}", escape(reason)));
        }
    }
    line
}

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
