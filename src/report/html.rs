//! The report as one self-contained HTML file (no external assets) that prints well to PDF.

use std::fmt::Write as _;

use super::model::Report;
use super::{describe_framework, describe_member, mark, outcome_words};
use crate::domain::Outcome;
use crate::domain::consolidation::ConditionStatus;
use crate::text::sanitize;

fn esc(text: &str) -> String {
    let text = sanitize(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs from text: blank lines separate paragraphs, single line breaks are kept.
fn paragraphs(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", p.trim().lines().map(esc).collect::<Vec<_>>().join("<br>\n")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn class(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Met) => "met",
        Some(Outcome::PartiallyMet) => "partial",
        Some(Outcome::NotMet) => "notmet",
        None => "open",
    }
}

const STYLE: &str = r#"
:root { --ink: #1b1b1b; --muted: #555; --rule: #bbb; --met: #1d6b35; --partial: #8a5a00; --notmet: #a1141b; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Georgia", "Times New Roman", serif; color: var(--ink); max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95em; }
th, td { border: 1px solid var(--rule); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.outcome { font-weight: bold; }
.met { color: var(--met); } .partial { color: var(--partial); } .notmet { color: var(--notmet); } .open { color: var(--muted); }
.decision { font-size: 1.25rem; font-weight: bold; margin: .4rem 0; }
.muted, .evidence { color: var(--muted); }
.internal { border-top: 3px double var(--rule); margin-top: 3rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  .finding, tr { break-inside: avoid; }
  .internal { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 18mm 16mm; }
"#;

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.submission;
    let title = format!("Panel report: {} — {}", s.programme, s.provider);
    let _ = writeln!(o, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(o, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = writeln!(o, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", esc(&title));
    let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(o, "<h2>Key facts</h2>\n<table>");
    let mut fact = |name: &str, value: String| {
        let _ = writeln!(o, "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>");
    };
    fact("Submission", format!("{} (version {})", esc(&s.id), s.version));
    fact("Provider", esc(&s.provider));
    fact("Programme", esc(&s.programme));
    fact("Award", esc(&s.award));
    if let Some(code) = &s.programme_code {
        fact("Programme code", esc(code));
    }
    if let Some(modes) = &s.modes {
        fact("Modes of delivery", esc(modes));
    }
    let frameworks: Vec<String> = r.frameworks.iter().map(|f| describe_framework(f, esc)).collect();
    fact("Judged against", frameworks.join("; "));
    fact("Review", if s.partial { "partial re-review".into() } else { "full review".into() });
    fact("Submitted", esc(&s.submitted_at));
    fact("Reviews due", r.panel.reviews_due.clone());
    if let Some(date) = &r.panel.panel_date {
        fact("Panel meeting", date.clone());
    }
    let _ = writeln!(o, "</table>");

    let c = &r.counts;
    let _ = writeln!(o, "<h2>Outcome</h2>\n<p class=\"decision\">{}</p>", esc(&r.decision.label));
    let _ = writeln!(
        o,
        "<p>{} standards met, {} partially met, {} not met; {} condition(s), {} recommendation(s), {} commendation(s).</p>",
        c.met, c.partially_met, c.not_met, c.conditions, c.recommendations, c.commendations
    );
    if let Some(reason) = &r.decision.override_reason {
        let _ = writeln!(
            o,
            "<p>The panel departed from the outcome the rules suggest ({}):</p>\n{}",
            esc(r.decision.suggested.label()),
            paragraphs(reason)
        );
    }

    let _ = writeln!(o, "<h2>Panel and declarations of interest</h2>\n<ul>");
    let _ = writeln!(o, "<li>Chair: {}</li>", esc(&r.panel.chair.name));
    for m in &r.panel.members {
        let _ = writeln!(o, "<li>{}</li>", describe_member(m, esc));
    }
    let _ = writeln!(o, "</ul>\n<h2>Documentation considered</h2>\n<ul>");
    for d in &r.documents {
        let _ = writeln!(o, "<li>{} {}</li>", esc(&d.id), esc(&d.title));
    }
    let _ = writeln!(o, "</ul>\n<h2>Findings by standard</h2>");
    for section in &r.findings {
        let _ = writeln!(o, "<h3>{}</h3>", esc(&section.section));
        for f in &section.standards {
            let _ = writeln!(o, "<div class=\"finding\">");
            let _ = writeln!(
                o,
                "<h4>{} {} — <span class=\"outcome {}\">{} {}</span></h4>",
                esc(&f.code),
                esc(&f.title),
                class(f.outcome),
                mark(f.outcome),
                outcome_words(f.outcome)
            );
            if !f.rationale.trim().is_empty() {
                let _ = writeln!(o, "{}", paragraphs(&f.rationale));
            }
            if !f.evidence.is_empty() {
                let cited: Vec<String> = f
                    .evidence
                    .iter()
                    .map(|e| format!("{} {}", esc(&e.document), esc(&e.locator)).trim().to_string())
                    .collect();
                let _ = writeln!(o, "<p class=\"evidence\">Evidence: {}</p>", cited.join("; "));
            }
            if !f.notes.is_empty() {
                let _ = writeln!(
                    o,
                    "<p class=\"muted\">See: {}</p>",
                    f.notes.iter().map(|n| esc(n)).collect::<Vec<_>>().join(", ")
                );
            }
            let _ = writeln!(o, "</div>");
        }
    }
    let _ = writeln!(o, "<h2>Conditions</h2>");
    if r.conditions.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table>\n<tr><th>Id</th><th>Standards</th><th>Required action</th><th>Evidence to submit</th><th>Due</th></tr>"
        );
        for c in &r.conditions {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.id),
                c.standards.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", "),
                paragraphs(&c.text),
                paragraphs(&c.evidence_required),
                if c.status == ConditionStatus::Met { format!("{} (met)", c.due) } else { c.due.to_string() }
            );
        }
        let _ = writeln!(o, "</table>");
    }
    for (title, notes) in [("Recommendations", &r.recommendations), ("Commendations", &r.commendations)] {
        let _ = writeln!(o, "<h2>{title}</h2>");
        if notes.is_empty() {
            let _ = writeln!(o, "<p>None.</p>");
            continue;
        }
        let _ = writeln!(o, "<ul>");
        for n in notes {
            let _ = writeln!(
                o,
                "<li><strong>{}</strong> ({}): {}</li>",
                esc(&n.id),
                n.standards.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", "),
                esc(n.text.trim())
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<h2>Next steps</h2>\n<ul>");
    for step in &r.next_steps {
        let _ = writeln!(o, "<li>{}</li>", esc(step));
    }
    let _ = writeln!(o, "</ul>\n<h2>Sign-off</h2>");
    let _ = writeln!(
        o,
        "<p>Approved by the panel chair, {}. Each member confirms the report is accurate.</p>",
        esc(&r.panel.chair.name)
    );

    let a = &r.appendix;
    let _ = writeln!(
        o,
        "<section class=\"internal\">\n<h2>Appendix (internal, not sent to the provider): judgements by reviewer</h2>"
    );
    let _ = writeln!(
        o,
        "<table>\n<tr><th>Standard</th>{}<th>Agreement</th><th>Panel</th><th>Resolution</th></tr>",
        a.reviewers.iter().map(|p| format!("<th>{}</th>", esc(&p.name))).collect::<String>()
    );
    for row in &a.rows {
        let cells: String = row
            .outcomes
            .iter()
            .map(|o| match o {
                Some(o) => format!("<td class=\"{}\">{} {}</td>", class(Some(*o)), o.mark(), o.label()),
                None => "<td class=\"open\">—</td>".to_string(),
            })
            .collect();
        let panel = row.panel.map_or("—".to_string(), |p| format!("{} {}", p.mark(), p.label()));
        let _ = writeln!(
            o,
            "<tr><td>{}</td>{cells}<td>{}</td><td class=\"{}\">{panel}</td><td>{}</td></tr>",
            esc(&row.standard),
            row.agreement.map_or("—", |a| a.label()),
            class(row.panel),
            esc(&row.resolution_note)
        );
    }
    let _ = writeln!(o, "</table>");
    match a.kappa {
        Some(k) => {
            let observed = a
                .observed_agreement
                .map(|p| format!("; reviewer pairs agreed {:.0}% of the time", p * 100.0))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "<p>Inter-rater agreement (Fleiss' kappa) over {} standards: {k:.3}{observed}.</p>",
                a.kappa_standards
            );
        }
        None => {
            let _ = writeln!(o, "<p>Inter-rater agreement (Fleiss' kappa): not measurable on these judgements.</p>");
        }
    }
    let _ = writeln!(o, "</section>\n</body>\n</html>");
    o
}
