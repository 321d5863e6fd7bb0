//! The report as one self-contained HTML file (no external assets) that prints well to PDF.

use std::fmt::Write as _;

use super::model::Report;
use super::{describe_framework, describe_member, outcome_words};
use crate::domain::Outcome;
use crate::domain::consolidation::ConditionStatus;
use crate::text::strip_controls;

fn esc(text: &str) -> String {
    let text = strip_controls(text);
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
body { font: 11pt/1.45 "Georgia", "Times New Roman", serif; color: var(--ink); max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95em; }
th, td { border: 1px solid var(--rule); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td > p:first-child { margin-top: 0; } td > p:last-child { margin-bottom: 0; }
thead { display: table-header-group; }
.letterhead { display: flex; justify-content: space-between; gap: 1rem; border-bottom: 2px solid var(--ink); padding-bottom: .3rem; }
.status { font-weight: bold; letter-spacing: .05em; }
.summary { font-size: 1.05em; }
.outcome { font-weight: bold; }
.met { color: var(--met); } .partial { color: var(--partial); } .notmet { color: var(--notmet); } .open { color: var(--muted); }
.decision { font-size: 1.25rem; font-weight: bold; margin: .4rem 0; }
.muted, .evidence, .statement { color: var(--muted); }
.statement { font-size: .92em; width: 38%; }
.code, .date { white-space: nowrap; }
.mark { width: .8em; height: .8em; vertical-align: -.05em; }
.signoff { border: 1px solid var(--rule); padding: .5rem 1rem; }
.internal { border-top: 3px double var(--rule); margin-top: 3rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  tr, .signoff { break-inside: avoid; }
  .internal { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// A CSS string literal holding `text`.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in strip_controls(text).chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The page box: A4, the running header (organisation, reference, status) and "Page N of M".
fn page_style(r: &Report) -> String {
    format!(
        "@page {{ size: A4; margin: 22mm 16mm 20mm;\n  @top-left {{ content: {}; font: 8.5pt Georgia, serif; color: #555; }}\n  @top-right {{ content: {}; font: 8.5pt Georgia, serif; color: #555; }}\n  @bottom-center {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 8.5pt Georgia, serif; color: #555; }}\n}}\n",
        css_string(&r.issue.organisation),
        css_string(&format!("{} · {}", r.issue.reference, r.issue.status_words()))
    )
}

/// The outcome's mark drawn as a small SVG, so the ◐ half-disc prints whatever fonts there are.
fn mark_svg(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Met) => {
            r#"<svg class="mark" viewBox="0 0 10 10" aria-hidden="true"><path d="M1.5 5.5 L4 8 L8.5 2" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>"#
        }
        Some(Outcome::PartiallyMet) => {
            r#"<svg class="mark" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="4.2" fill="none" stroke="currentColor" stroke-width="1"/><path d="M5 .8 A4.2 4.2 0 0 0 5 9.2 Z" fill="currentColor"/></svg>"#
        }
        Some(Outcome::NotMet) => {
            r#"<svg class="mark" viewBox="0 0 10 10" aria-hidden="true"><path d="M2 2 L8 8 M8 2 L2 8" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>"#
        }
        None => {
            r#"<svg class="mark" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="1.3" fill="currentColor"/></svg>"#
        }
    }
}

/// Escaped text with each YYYY-MM-DD date kept on one line.
fn esc_dates(text: &str) -> String {
    let escaped = esc(text);
    let bytes = escaped.as_bytes();
    let is_date = |at: usize| {
        bytes.len() >= at + 10
            && bytes[at..at + 10]
                .iter()
                .enumerate()
                .all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
            && (at == 0 || !bytes[at - 1].is_ascii_digit())
            && bytes.get(at + 10).is_none_or(|b| !b.is_ascii_digit())
    };
    let mut out = String::with_capacity(escaped.len());
    let mut at = 0;
    while at < escaped.len() {
        if is_date(at) {
            out.push_str(&format!("<span class=\"date\">{}</span>", &escaped[at..at + 10]));
            at += 10;
        } else {
            let c = escaped[at..].chars().next().unwrap_or_default();
            out.push(c);
            at += c.len_utf8().max(1);
        }
    }
    out
}

fn code(text: &str) -> String {
    format!("<span class=\"code\">{}</span>", esc(text))
}

fn date(text: &str) -> String {
    format!("<span class=\"date\">{}</span>", esc(text))
}

fn codes(list: &[String]) -> String {
    list.iter().map(|s| code(s)).collect::<Vec<_>>().join(", ")
}

/// `See C1` as a link to the record in this document.
fn link(id: &str) -> String {
    format!("<a href=\"#{0}\">{0}</a>", esc(id))
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.submission;
    let title = format!("Panel report: {} — {}", s.header.programme, s.header.provider);
    let issue = &r.issue;
    let _ = writeln!(o, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(o, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = writeln!(o, "<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>", esc(&title), page_style(r));
    let _ = writeln!(
        o,
        "<div class=\"letterhead\"><span>{}</span><span><span class=\"code\">{}</span> · <span class=\"status\">{}</span></span></div>",
        esc(&issue.organisation),
        esc(&issue.reference),
        esc(&issue.status_words())
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(o, "<table>");
    let fact = |o: &mut String, name: &str, value: String| {
        let _ = writeln!(o, "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>");
    };
    fact(&mut o, "Reference", code(&issue.reference));
    fact(&mut o, "Status", esc(&issue.status_words()));
    fact(&mut o, "Date of decision", issue.decided_on.as_deref().map_or("not decided yet".into(), date));
    fact(&mut o, "Date of issue", issue.issued_on.as_deref().map_or("not issued (draft)".into(), date));
    let _ = writeln!(o, "</table>");
    let _ = writeln!(o, "<p class=\"summary\">{}</p>", esc_dates(&r.summary));

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
    if let Some(d) = &r.deferral {
        let _ = writeln!(
            o,
            "<h2>Information requested</h2>\n<p>Due by {}.</p>\n{}",
            d.due.as_deref().map_or("a date to be set".into(), date),
            paragraphs(&d.requested_information)
        );
    }

    let _ = writeln!(o, "<h2>Conditions</h2>");
    if r.conditions.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table>\n<thead><tr><th>Id</th><th>Standards</th><th>Required action</th><th>Evidence to submit</th><th>Due</th></tr></thead>\n<tbody>"
        );
        for c in &r.conditions {
            let due = match (c.status, c.signed_off_on) {
                (ConditionStatus::Met, Some(on)) => {
                    format!("{} (met, signed off {})", date(&c.due.to_string()), date(&on.to_string()))
                }
                (ConditionStatus::Met, None) => format!("{} (met)", date(&c.due.to_string())),
                _ => date(&c.due.to_string()),
            };
            let _ = writeln!(
                o,
                "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{due}</td></tr>",
                esc(&c.id),
                code(&c.id),
                codes(&c.standards),
                paragraphs(&c.text),
                paragraphs(&c.evidence_required),
            );
        }
        let _ = writeln!(o, "</tbody>\n</table>");
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
                "<li id=\"{}\"><strong class=\"code\">{}</strong> ({}): {}</li>",
                esc(&n.id),
                esc(&n.id),
                codes(&n.standards),
                esc(n.text.trim())
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<h2>Next steps</h2>\n<ul>");
    for step in &r.next_steps {
        let _ = writeln!(o, "<li>{}</li>", esc_dates(step));
    }
    let _ = writeln!(o, "</ul>\n<h2>Accreditation monitoring</h2>");
    for line in &r.monitoring {
        let _ = writeln!(o, "<p>{}</p>", esc_dates(line));
    }

    let _ = writeln!(o, "<h2>Key facts</h2>\n<table>");
    fact(&mut o, "Submission", format!("{} (version {})", code(&s.id), s.header.version));
    fact(&mut o, "Provider", esc(&s.header.provider));
    fact(&mut o, "Programme", esc(&s.header.programme));
    fact(&mut o, "Award", esc(&s.header.award));
    if let Some(c) = &s.header.programme_code {
        fact(&mut o, "Programme code", code(c));
    }
    if let Some(modes) = &s.header.modes {
        fact(&mut o, "Modes of delivery", esc(modes));
    }
    let frameworks: Vec<String> = r.frameworks.iter().map(|f| describe_framework(f, esc)).collect();
    fact(&mut o, "Judged against", frameworks.join("; "));
    fact(&mut o, "Review", if s.partial { "partial re-review".into() } else { "full review".into() });
    fact(&mut o, "Submitted", date(&s.header.submitted_at.to_string()));
    fact(&mut o, "Reviews due", date(&r.panel.reviews_due));
    if let Some(d) = &r.panel.panel_date {
        fact(&mut o, "Panel meeting", date(d));
    }
    let _ = writeln!(o, "</table>");

    let _ = writeln!(o, "<h2>Panel and declarations of interest</h2>\n<ul>");
    let _ = writeln!(o, "<li>Chair: {}</li>", esc(&r.panel.chair.name));
    for m in &r.panel.members {
        let _ = writeln!(o, "<li>{}</li>", describe_member(m, esc));
    }
    let _ = writeln!(o, "</ul>\n<h2>Documentation considered</h2>\n<ul>");
    for d in &r.documents {
        let _ = writeln!(o, "<li>{} {}</li>", code(&d.id), esc(&d.title));
    }
    let _ = writeln!(o, "</ul>\n<h2>Findings by standard</h2>");
    for section in &r.findings {
        let _ = writeln!(o, "<h3>{}</h3>", esc(&section.section));
        let _ = writeln!(
            o,
            "<table class=\"findings\">\n<thead><tr><th>Standard: what it asks</th><th>Panel finding</th></tr></thead>\n<tbody>"
        );
        for f in &section.standards {
            let _ = writeln!(
                o,
                "<tr class=\"finding\"><td class=\"statement\"><strong>{} {}</strong><br>{}</td><td><span class=\"outcome {}\">{} {}</span>",
                code(&f.code),
                esc(&f.title),
                esc(f.statement.trim()),
                class(f.outcome),
                mark_svg(f.outcome),
                outcome_words(f.outcome)
            );
            if !f.rationale.trim().is_empty() {
                let _ = writeln!(o, "{}", paragraphs(&f.rationale));
            }
            if !f.evidence.is_empty() {
                let cited: Vec<String> = f
                    .evidence
                    .iter()
                    .map(|e| format!("{} {}", code(&e.document), esc(&e.locator)).trim().to_string())
                    .collect();
                let _ = writeln!(o, "<p class=\"evidence\">Evidence: {}</p>", cited.join("; "));
            }
            if !f.notes.is_empty() {
                let _ = writeln!(
                    o,
                    "<p class=\"muted\">See {}</p>",
                    f.notes.iter().map(|n| link(n)).collect::<Vec<_>>().join(", ")
                );
            }
            let _ = writeln!(o, "</td></tr>");
        }
        let _ = writeln!(o, "</tbody>\n</table>");
    }
    let _ = writeln!(o, "<h2>Sign-off</h2>\n<div class=\"signoff\">");
    let _ = writeln!(o, "<p>Approved by the panel chair: <strong>{}</strong></p>", esc(&r.sign_off.chair));
    let _ = writeln!(o, "<p>Date: {}</p>", r.sign_off.date.as_deref().map_or("not decided yet".into(), date));
    if r.sign_off.confirmations.is_empty() {
        let _ = writeln!(o, "<p>Confirmed accurate by: no member yet.</p>");
    } else {
        let _ = writeln!(o, "<p>Confirmed accurate by:</p>\n<ul>");
        for c in &r.sign_off.confirmations {
            let comment = match r.internal() {
                Some(_) if !c.comment.trim().is_empty() => format!(" — comment: {}", esc(c.comment.trim())),
                _ => String::new(),
            };
            let _ = writeln!(o, "<li>{} on {} (version {}){comment}</li>", esc(&c.name), date(&c.date), c.version);
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "</div>");

    if let Some(a) = r.internal() {
        let _ = writeln!(
            o,
            "<section class=\"internal\">\n<h2>Appendix (internal, not sent to the provider): judgements by reviewer</h2>"
        );
        let _ = writeln!(
            o,
            "<table>\n<thead><tr><th>Standard</th>{}<th>Agreement</th><th>Panel</th><th>Resolution</th></tr></thead>\n<tbody>",
            a.reviewers.iter().map(|p| format!("<th>{}</th>", esc(&p.name))).collect::<String>()
        );
        for row in &a.rows {
            let cells: String = row
                .outcomes
                .iter()
                .map(|o| match o {
                    Some(o) => format!("<td class=\"{}\">{} {}</td>", class(Some(*o)), mark_svg(Some(*o)), o.label()),
                    None => "<td class=\"open\">—</td>".to_string(),
                })
                .collect();
            let panel = row.panel.map_or("—".to_string(), |p| format!("{} {}", mark_svg(Some(p)), p.label()));
            let _ = writeln!(
                o,
                "<tr><td>{}</td>{cells}<td>{}</td><td class=\"{}\">{panel}</td><td>{}</td></tr>",
                code(&row.standard),
                row.agreement.map_or("—", |a| a.label()),
                class(row.panel),
                esc(&row.resolution_note)
            );
        }
        let _ = writeln!(o, "</tbody>\n</table>");
        // The sentence holds no markup; its quotes are as the HTML has always printed them.
        let _ = writeln!(o, "<p>{}</p>", a.agreement_sentence());
        let _ = writeln!(o, "<h3>No condition because…</h3>");
        if a.no_condition_notes.is_empty() {
            let _ = writeln!(o, "<p>None.</p>");
        } else {
            let _ = writeln!(o, "<ul>");
            for n in &a.no_condition_notes {
                let _ = writeln!(o, "<li>{}: {}</li>", code(&n.standard), esc(n.note.trim()));
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "<h3>More lenient than the most severe reviewer</h3>");
        if a.leniency.is_empty() {
            let _ = writeln!(o, "<p>None.</p>");
        } else {
            let _ = writeln!(o, "<p>{}</p>", codes(&a.leniency));
        }
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(o, "</body>\n</html>");
    o
}

#[cfg(test)]
mod tests {
    use super::esc_dates;

    #[test]
    fn dates_in_running_text_stay_on_one_line() {
        assert_eq!(
            esc_dates("C1 by 2026-06-10; <x> 12026-06-100"),
            "C1 by <span class=\"date\">2026-06-10</span>; &lt;x&gt; 12026-06-100"
        );
        assert_eq!(esc_dates("née 2026-01-01"), "née <span class=\"date\">2026-01-01</span>");
    }
}
