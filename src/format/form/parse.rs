//! Reading a filled-in form, every problem with its line.

use super::{
    Base, COMMENT, DIRECTIVE, FORM_FORMAT, FormEntry, JudgementForm, looks_like_marker, normalise, parse_outcome,
};
use crate::domain::Outcome;
use crate::format::{FormatError, Problem};

const DIRECTIVES: &str = "Form, Submission, Reviewer, Standard, Base, Outcome, Rationale, End";
const FRESH: &str = "leave Base lines as exported; `accredit export --form SUBMISSION` makes a fresh form";

#[derive(Default)]
struct Draft {
    standard: String,
    line: usize,
    base: Option<Base>,
    outcome: Option<Option<Outcome>>,
    rationale: Option<Vec<String>>,
}

/// Parses a judgement form; `file` names it in problems.
pub fn parse_form(file: &str, text: &str) -> Result<JudgementForm, FormatError> {
    let mut problems = Vec::new();
    let mut problem = |line: usize, message: String, hint: &str| {
        problems.push(Problem::new(format!("line {line}"), message, hint));
    };
    let (mut format, mut submission, mut reviewer) = (None, None, None);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut in_rationale = false;
    let mut ended = false;
    for (index, raw) in text.lines().enumerate() {
        let n = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.starts_with(COMMENT) {
            continue;
        }
        if ended {
            if !raw.trim().is_empty() {
                problem(n, "text after the End line".into(), "remove it, or move \"==+== End\" to the end of the file");
            }
            continue;
        }
        if let Some(rest) = raw.strip_prefix(DIRECTIVE) {
            in_rationale = false;
            let rest = rest.trim();
            let (name, value) = rest.split_once(':').map_or((rest, ""), |(n, v)| (n.trim(), v.trim()));
            match name.to_ascii_lowercase().as_str() {
                "end" => ended = true,
                "form" => {
                    if value != FORM_FORMAT {
                        problem(
                            n,
                            format!("the form is \"{value}\", not \"{FORM_FORMAT}\""),
                            "is this a form made by `accredit export --form`? Export a fresh one",
                        );
                    }
                    format = Some(value.to_string());
                }
                "submission" => submission = Some(value.to_string()),
                "reviewer" => reviewer = Some(value.to_string()),
                "standard" => {
                    if value.is_empty() {
                        problem(n, "the Standard line names no standard".into(), "write ==+== Standard: CODE");
                    } else if let Some(first) = drafts.iter().find(|d| d.standard == value) {
                        problem(
                            n,
                            format!("{value} is in the form twice (first at line {})", first.line),
                            "keep one entry per standard",
                        );
                    }
                    drafts.push(Draft { standard: value.to_string(), line: n, ..Draft::default() });
                }
                what @ ("base" | "outcome" | "rationale") => {
                    let Some(draft) = drafts.last_mut() else {
                        problem(
                            n,
                            format!("{name} before the first Standard line"),
                            "each entry starts with ==+== Standard: CODE",
                        );
                        continue;
                    };
                    match what {
                        "base" => match parse_base(value) {
                            Some(base) => draft.base = Some(base),
                            None => {
                                draft.base = Some(Base { version: 0, updated_at: None, digest: String::new() });
                                problem(n, format!("the Base line of {} is damaged", draft.standard), FRESH)
                            }
                        },
                        "outcome" => match parse_outcome(value) {
                            Ok(outcome) => draft.outcome = Some(outcome),
                            Err(()) => {
                                // Reported here; not again as a missing Outcome line.
                                draft.outcome = Some(None);
                                problem(
                                    n,
                                    format!("\"{value}\" is not an outcome"),
                                    "write met, partially met, not met, or open",
                                )
                            }
                        },
                        _ => {
                            if draft.rationale.is_some() {
                                problem(n, format!("{} has two Rationale lines", draft.standard), "keep one");
                            }
                            draft.rationale = Some(if value.is_empty() { Vec::new() } else { vec![value.to_string()] });
                            in_rationale = true;
                        }
                    }
                }
                _ => problem(
                    n,
                    format!("\"{name}\" is not a directive"),
                    &format!("directives are {DIRECTIVES}; start a comment with ==-=="),
                ),
            }
            continue;
        }
        if in_rationale && let Some(lines) = drafts.last_mut().and_then(|d| d.rationale.as_mut()) {
            lines.push(if looks_like_marker(raw) { raw[1..].to_string() } else { raw.to_string() });
            continue;
        }
        if !raw.trim().is_empty() {
            problem(
                n,
                "text outside a rationale".into(),
                "put it after a \"==+== Rationale:\" line, or start the line with ==-== to make it a comment",
            );
        }
    }
    let last = text.lines().count().max(1);
    if format.is_none() {
        problem(
            1,
            "there is no Form line".into(),
            "is this a form made by `accredit export --form`? Export a fresh one",
        );
    }
    if submission.as_deref().is_none_or(str::is_empty) {
        problem(1, "there is no Submission line".into(), "keep the ==+== Submission: line as exported");
    }
    if reviewer.as_deref().is_none_or(str::is_empty) {
        problem(1, "there is no Reviewer line".into(), "keep the ==+== Reviewer: line as exported");
    }
    if !ended {
        problem(last, "the form has no End line: is it cut short?".into(), "the last line of a form is ==+== End");
    }
    let mut entries = Vec::new();
    for d in drafts {
        let missing: Vec<&str> =
            [("Base", d.base.is_none()), ("Outcome", d.outcome.is_none()), ("Rationale", d.rationale.is_none())]
                .iter()
                .filter(|(_, gone)| *gone)
                .map(|(what, _)| *what)
                .collect();
        if !missing.is_empty() {
            let list = match missing.split_last() {
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            problem(d.line, format!("{} has no {list} line", d.standard), FRESH);
            continue;
        }
        entries.push(FormEntry {
            standard: d.standard,
            line: d.line,
            base: d.base.unwrap_or_else(|| Base { version: 0, updated_at: None, digest: String::new() }),
            outcome: d.outcome.flatten(),
            rationale: normalise(&d.rationale.unwrap_or_default().join("\n")),
        });
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.location.trim_start_matches("line ").parse::<usize>().unwrap_or(0));
        return Err(FormatError::new(file, problems));
    }
    Ok(JudgementForm { submission: submission.unwrap_or_default(), reviewer: reviewer.unwrap_or_default(), entries })
}

/// `VERSION UPDATED_AT DIGEST`, with `-` for no time.
fn parse_base(value: &str) -> Option<Base> {
    let mut words = value.split_whitespace();
    let version = words.next()?.parse::<i64>().ok().filter(|v| *v >= 0)?;
    let updated_at = match words.next()? {
        "-" => None,
        time => Some(time.to_string()),
    };
    let digest = words.next().filter(|d| d.len() == 16 && d.chars().all(|c| c.is_ascii_hexdigit()))?;
    words.next().is_none().then(|| Base { version, updated_at, digest: digest.to_string() })
}
