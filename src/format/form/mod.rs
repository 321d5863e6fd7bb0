//! The plain-text judgement form (`accredit.judgement-form.v1`): my judgements of one
//! submission, exported to fill in in any editor and imported back, HotCRP-style.
//!
//! ```text
//! ==+== Form: accredit.judgement-form.v1
//! ==+== Submission: S-2026-014
//! ==+== Reviewer: u-demo
//!
//! ==+== Standard: MPF 1.6
//! ==-== Expert clinical reasoning
//! ==+== Base: 2 2026-03-01T10:00:00.000Z 4c1f0a9e2b7d5c3a
//! ==+== Outcome: partially met
//! ==+== Rationale:
//! Reasoning is taught but only assessed on differentiated presentations.
//!
//! ==+== End
//! ```
//!
//! Lines starting `==+==` are directives, `==-==` lines are comments. A rationale is the text
//! after `Rationale:` up to the next directive, without the blank lines around it. `Base`
//! records the judgement the form was made from (version, time, and a digest of the exported
//! outcome and rationale), so an import never overwrites an edit made after the export:
//! `plan` compares each entry with the cache. Parsing and planning are pure.

mod parse;
mod render;

use sha2::{Digest, Sha256};

use crate::domain::{Judgement, JudgementState, Outcome};

pub use parse::parse_form;
pub use render::{FormStandard, render_form};

pub const FORM_FORMAT: &str = "accredit.judgement-form.v1";

/// The judgement an entry was exported from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The judgement's version then; 0 when there was none.
    pub version: i64,
    pub updated_at: Option<String>,
    /// `digest` of the exported outcome and rationale: tells an edited entry from an untouched one.
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormEntry {
    pub standard: String,
    /// The line of its `Standard:` directive.
    pub line: usize,
    pub base: Base,
    pub outcome: Option<Outcome>,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgementForm {
    pub submission: String,
    pub reviewer: String,
    pub entries: Vec<FormEntry>,
}

/// A short, stable fingerprint of an outcome and a rationale (after `normalise`).
pub fn digest(outcome: Option<Outcome>, rationale: &str) -> String {
    let text = format!("{}\n{}", outcome.map_or("open", Outcome::as_str), normalise(rationale));
    crate::digest::hex(&Sha256::digest(text.as_bytes())[..8])
}

/// A rationale as the form carries it: no blank lines before or after, no trailing spaces.
pub fn normalise(rationale: &str) -> String {
    let lines: Vec<&str> = rationale.lines().map(str::trim_end).collect();
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(start, |i| i + 1);
    lines[start..end].join("\n")
}

/// What importing a form would do to each entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Untouched in the form, or already what the cache holds.
    Unchanged {
        standard: String,
    },
    Save {
        standard: String,
        outcome: Option<Outcome>,
        rationale: String,
    },
    /// Edited in the form, but the judgement changed in accredit after the export.
    Stale {
        standard: String,
        base: Base,
        current_version: i64,
        current_updated_at: Option<String>,
    },
    /// Edited, but my judgement is submitted and read-only.
    Submitted {
        standard: String,
    },
}

/// Decides each entry against my current judgement of that standard (`current`).
pub fn plan<'a>(form: &JudgementForm, current: impl Fn(&str) -> Option<&'a Judgement>) -> Vec<Step> {
    form.entries
        .iter()
        .map(|entry| {
            let standard = entry.standard.clone();
            let rationale = normalise(&entry.rationale);
            let now = current(&entry.standard);
            let same_as_cache = now.map_or(entry.outcome.is_none() && rationale.is_empty(), |j| {
                j.outcome == entry.outcome && normalise(&j.rationale) == rationale
            });
            if digest(entry.outcome, &rationale) == entry.base.digest || same_as_cache {
                return Step::Unchanged { standard };
            }
            let current_version = now.map_or(0, |j| j.version);
            if current_version != entry.base.version {
                return Step::Stale {
                    standard,
                    base: entry.base.clone(),
                    current_version,
                    current_updated_at: now.map(|j| j.updated_at.clone()),
                };
            }
            if now.is_some_and(|j| j.state == JudgementState::Submitted) {
                return Step::Submitted { standard };
            }
            Step::Save { standard, outcome: entry.outcome, rationale }
        })
        .collect()
}

/// Outcomes as the form writes them.
pub(crate) fn outcome_word(outcome: Option<Outcome>) -> &'static str {
    outcome.map_or("open", Outcome::label)
}

/// Reads `met`, `partially met`, `partially-met`, `not_met`, `open` (any case).
pub(crate) fn parse_outcome(text: &str) -> Result<Option<Outcome>, ()> {
    let squashed = text.trim().to_lowercase().replace([' ', '-'], "_");
    match squashed.as_str() {
        "open" | "none" | "" => Ok(None),
        other => Outcome::parse(other).map(Some).ok_or(()),
    }
}

/// Directive and comment markers.
pub(crate) const DIRECTIVE: &str = "==+==";
pub(crate) const COMMENT: &str = "==-==";

/// A rationale line that would read as a directive or comment gets one more leading
/// backslash on export, and loses one on import.
pub(crate) fn looks_like_marker(line: &str) -> bool {
    let rest = line.trim_start_matches('\\');
    rest.starts_with(DIRECTIVE) || rest.starts_with(COMMENT)
}

#[cfg(test)]
mod tests;
