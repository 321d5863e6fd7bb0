//! The report as Markdown, to paste into a letter or a document system.

use std::fmt::Write as _;

use super::model::Report;
use super::{describe_framework, describe_member, mark, outcome_words};
use crate::domain::consolidation::ConditionStatus;
use crate::text::strip_controls;

/// Escapes what Markdown would read as markup in a line of text.
fn md(text: &str) -> String {
    let text = strip_controls(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A multi-line text as paragraphs, each line escaped.
fn paragraphs(text: &str) -> String {
    text.trim().lines().map(|l| md(l.trim_end())).collect::<Vec<_>>().join("\n")
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.submission;
    let _ = writeln!(o, "# Panel report: {} — {}", md(&s.header.programme), md(&s.header.provider));
    let _ = writeln!(o);
    let issue = &r.issue;
    let _ = writeln!(o, "{} · {} · {}", md(&issue.organisation), md(&issue.reference), md(&issue.status_words()));
    let _ = writeln!(o);
    let _ = writeln!(o, "| | |");
    let _ = writeln!(o, "| --- | --- |");
    let _ = writeln!(o, "| Reference | {} |", md(&issue.reference));
    let _ = writeln!(o, "| Status | {} |", md(&issue.status_words()));
    let _ = writeln!(o, "| Date of decision | {} |", issue.decided_on.as_deref().unwrap_or("not decided yet"));
    let _ = writeln!(o, "| Date of issue | {} |", issue.issued_on.as_deref().unwrap_or("not issued (draft)"));
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", md(&r.summary));
    let _ = writeln!(o);
    let _ = writeln!(o, "## Outcome");
    let _ = writeln!(o);
    let _ = writeln!(o, "**{}**", md(&r.decision.label));
    let _ = writeln!(o);
    let c = &r.counts;
    let _ = writeln!(
        o,
        "{} standards met, {} partially met, {} not met; {} condition{}, {} recommendation{}, {} commendation{}.",
        c.met,
        c.partially_met,
        c.not_met,
        c.conditions,
        plural(c.conditions),
        c.recommendations,
        plural(c.recommendations),
        c.commendations,
        plural(c.commendations)
    );
    if let Some(reason) = &r.decision.override_reason {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "The panel departed from the outcome the rules suggest ({}): {}",
            md(r.decision.suggested.label()),
            paragraphs(reason)
        );
    }
    let _ = writeln!(o);

    if let Some(d) = &r.deferral {
        let _ = writeln!(o, "## Information requested");
        let _ = writeln!(o);
        let _ = writeln!(o, "Due by {}.", d.due.as_deref().unwrap_or("a date to be set"));
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paragraphs(&d.requested_information));
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Conditions");
    let _ = writeln!(o);
    if r.conditions.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for c in &r.conditions {
        let _ = writeln!(
            o,
            "**{}** ({}) — due **{}**{}",
            md(&c.id),
            c.standards.iter().map(|s| md(s)).collect::<Vec<_>>().join(", "),
            c.due,
            match (c.status, c.signed_off_on) {
                (ConditionStatus::Met, Some(on)) => format!(" — met: signed off by the panel on {on}"),
                (ConditionStatus::Met, None) => " — met: signed off by the panel".to_string(),
                _ => String::new(),
            }
        );
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paragraphs(&c.text));
        if !c.evidence_required.trim().is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "Evidence to submit: {}", paragraphs(&c.evidence_required));
        }
        let _ = writeln!(o);
    }
    for (title, notes) in [("Recommendations", &r.recommendations), ("Commendations", &r.commendations)] {
        let _ = writeln!(o, "## {title}");
        let _ = writeln!(o);
        if notes.is_empty() {
            let _ = writeln!(o, "None.");
        }
        for n in notes {
            let _ = writeln!(
                o,
                "- **{}** ({}): {}",
                md(&n.id),
                n.standards.iter().map(|s| md(s)).collect::<Vec<_>>().join(", "),
                paragraphs(&n.text)
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Next steps");
    let _ = writeln!(o);
    for step in &r.next_steps {
        let _ = writeln!(o, "- {}", md(step));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## Accreditation monitoring");
    let _ = writeln!(o);
    for line in &r.monitoring {
        let _ = writeln!(o, "{}", md(line));
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Key facts");
    let _ = writeln!(o);
    let _ = writeln!(o, "| | |");
    let _ = writeln!(o, "| --- | --- |");
    let _ = writeln!(o, "| Submission | {} (version {}) |", md(&s.id), s.header.version);
    let _ = writeln!(o, "| Provider | {} |", md(&s.header.provider));
    let _ = writeln!(o, "| Programme | {} |", md(&s.header.programme));
    let _ = writeln!(o, "| Award | {} |", md(&s.header.award));
    if let Some(code) = &s.header.programme_code {
        let _ = writeln!(o, "| Programme code | {} |", md(code));
    }
    if let Some(modes) = &s.header.modes {
        let _ = writeln!(o, "| Modes of delivery | {} |", md(modes));
    }
    let frameworks: Vec<String> = r.frameworks.iter().map(|f| describe_framework(f, md)).collect();
    let _ = writeln!(o, "| Judged against | {} |", frameworks.join("; "));
    let _ = writeln!(o, "| Review | {} |", if s.partial { "partial re-review" } else { "full review" });
    let _ = writeln!(o, "| Submitted | {} |", md(&s.header.submitted_at.to_string()));
    let _ = writeln!(o, "| Reviews due | {} |", r.panel.reviews_due);
    if let Some(date) = &r.panel.panel_date {
        let _ = writeln!(o, "| Panel meeting | {date} |");
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "## Panel and declarations of interest");
    let _ = writeln!(o);
    let _ = writeln!(o, "- Chair: {}", md(&r.panel.chair.name));
    for m in &r.panel.members {
        let _ = writeln!(o, "- {}", describe_member(m, md));
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "## Documentation considered");
    let _ = writeln!(o);
    for d in &r.documents {
        let _ = writeln!(o, "- {} {}", md(&d.id), md(&d.title));
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "## Findings by standard");
    for section in &r.findings {
        let _ = writeln!(o);
        let _ = writeln!(o, "### {}", md(&section.section));
        for f in &section.standards {
            let _ = writeln!(o);
            let _ =
                writeln!(o, "#### {} {} — {} {}", md(&f.code), md(&f.title), mark(f.outcome), outcome_words(f.outcome));
            let _ = writeln!(o);
            if !f.statement.trim().is_empty() {
                let _ = writeln!(o, "> {}", md(f.statement.trim()).replace('\n', " "));
                let _ = writeln!(o);
            }
            if !f.rationale.trim().is_empty() {
                let _ = writeln!(o, "{}", paragraphs(&f.rationale));
                let _ = writeln!(o);
            }
            if !f.evidence.is_empty() {
                let cited: Vec<String> = f
                    .evidence
                    .iter()
                    .map(|e| format!("{} {}", md(&e.document), md(&e.locator)).trim().to_string())
                    .collect();
                let _ = writeln!(o, "Evidence: {}", cited.join("; "));
            }
            if !f.notes.is_empty() {
                let _ = writeln!(o, "See {}", f.notes.join(", "));
            }
        }
    }
    let _ = writeln!(o);

    let _ = writeln!(o);
    let _ = writeln!(o, "## Sign-off");
    let _ = writeln!(o);
    let _ = writeln!(o, "- Approved by the panel chair: {}", md(&r.sign_off.chair));
    let _ = writeln!(o, "- Date: {}", r.sign_off.date.as_deref().unwrap_or("not decided yet"));
    if r.sign_off.confirmations.is_empty() {
        let _ = writeln!(o, "- Confirmed accurate by: no member yet");
    }
    for c in &r.sign_off.confirmations {
        let comment = match r.internal() {
            Some(_) if !c.comment.trim().is_empty() => format!(" — comment: {}", md(c.comment.trim())),
            _ => String::new(),
        };
        let _ = writeln!(o, "- Confirmed accurate by {} on {} (version {}){comment}", md(&c.name), c.date, c.version);
    }
    let _ = writeln!(o);
    let Some(a) = r.internal() else { return o };
    let _ = writeln!(o, "## Appendix (internal, not sent to the provider): judgements by reviewer");
    let _ = writeln!(o);
    let header: Vec<String> = a.reviewers.iter().map(|p| md(&p.name)).collect();
    let _ = writeln!(o, "| Standard | {} | Agreement | Panel | Resolution |", header.join(" | "));
    let _ = writeln!(o, "| --- |{} --- | --- | --- |", " --- |".repeat(a.reviewers.len()));
    for row in &a.rows {
        let cells: Vec<String> =
            row.outcomes.iter().map(|o| o.map_or("—".to_string(), |o| format!("{} {}", o.mark(), o.label()))).collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md(&row.standard),
            cells.join(" | "),
            row.agreement.map_or("—", |a| a.label()),
            row.panel.map_or("—".to_string(), |p| format!("{} {}", p.mark(), p.label())),
            md(&row.resolution_note.replace('\n', " "))
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", a.agreement_sentence());
    let _ = writeln!(o);
    let _ = writeln!(o, "### No condition because…");
    let _ = writeln!(o);
    if a.no_condition_notes.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for n in &a.no_condition_notes {
        let _ = writeln!(o, "- {}: {}", md(&n.standard), paragraphs(&n.note));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "### More lenient than the most severe reviewer");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        if a.leniency.is_empty() {
            "None.".to_string()
        } else {
            a.leniency.iter().map(|c| md(c)).collect::<Vec<_>>().join(", ")
        }
    );
    o
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
