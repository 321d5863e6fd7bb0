//! Writing the form.

use super::{COMMENT, DIRECTIVE, FORM_FORMAT, digest, looks_like_marker, normalise, outcome_word};
use crate::domain::{Judgement, Outcome};

/// One standard as it goes into the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormStandard {
    pub code: String,
    pub title: String,
    pub rationale_required: Vec<Outcome>,
    pub mine: Option<Judgement>,
}

/// The form for `submission`'s `standards`, judged by `reviewer`.
pub fn render_form(submission: &str, programme: &str, reviewer: &str, standards: &[FormStandard]) -> String {
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line(&format!("{COMMENT} accredit judgement form: {submission}, {}", one_line(programme)));
    for help in [
        "Fill in an outcome and a rationale for each standard, save, then run",
        "  accredit import --form FILE",
        "Outcome: met, partially met, not met, or open (no outcome yet).",
        "A rationale is the text after \"Rationale:\" up to the next ==+== line.",
        "Lines starting with ==-== are comments and are ignored.",
        "Leave the Form, Submission, Reviewer and Base lines as they are: they say whose",
        "judgements these are and which version you started from, so an import never",
        "overwrites a change made in accredit after this export.",
    ] {
        line(&format!("{COMMENT} {help}"));
    }
    line(&format!("{DIRECTIVE} Form: {FORM_FORMAT}"));
    line(&format!("{DIRECTIVE} Submission: {submission}"));
    line(&format!("{DIRECTIVE} Reviewer: {reviewer}"));
    for standard in standards {
        let outcome = standard.mine.as_ref().and_then(|j| j.outcome);
        let rationale = normalise(standard.mine.as_ref().map_or("", |j| j.rationale.as_str()));
        line("");
        line(&format!("{DIRECTIVE} Standard: {}", standard.code));
        line(&format!("{COMMENT} {}", one_line(&standard.title)));
        if !standard.rationale_required.is_empty() {
            let words: Vec<&str> = standard.rationale_required.iter().map(|o| o.label()).collect();
            line(&format!("{COMMENT} A rationale is required for: {}", words.join(", ")));
        }
        if standard.mine.as_ref().is_some_and(|j| j.state == crate::domain::JudgementState::Submitted) {
            line(&format!("{COMMENT} Submitted: read-only"));
        }
        let (version, updated) =
            standard.mine.as_ref().map_or((0, "-".to_string()), |j| (j.version, j.updated_at.clone()));
        line(&format!("{DIRECTIVE} Base: {version} {updated} {}", digest(outcome, &rationale)));
        line(&format!("{DIRECTIVE} Outcome: {}", outcome_word(outcome)));
        line(&format!("{DIRECTIVE} Rationale:"));
        for text in rationale.lines() {
            if looks_like_marker(text) {
                line(&format!("\\{text}"));
            } else {
                line(text);
            }
        }
    }
    line("");
    line(&format!("{DIRECTIVE} End"));
    out
}

/// Titles go on one comment line.
fn one_line(text: &str) -> String {
    crate::text::strip_controls(text).split_whitespace().collect::<Vec<_>>().join(" ")
}
