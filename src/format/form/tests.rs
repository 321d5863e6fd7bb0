use super::*;
use crate::domain::{Judgement, JudgementState, Outcome};

fn judgement(code: &str, outcome: Option<Outcome>, rationale: &str, version: i64) -> Judgement {
    Judgement {
        submission: "S-1".into(),
        standard: code.into(),
        reviewer: "u-1".into(),
        outcome,
        rationale: rationale.into(),
        state: JudgementState::Draft,
        version,
        updated_at: format!("2026-03-01T10:00:0{version}.000Z"),
    }
}

fn standards() -> Vec<FormStandard> {
    vec![
        FormStandard {
            code: "MPF 1.1".into(),
            title: "Scope of practice".into(),
            rationale_required: vec![Outcome::PartiallyMet, Outcome::NotMet],
            mine: Some(judgement("MPF 1.1", Some(Outcome::Met), "Assessed in ACP7401.\n\nSee E02 p.4.", 2)),
        },
        FormStandard {
            code: "MPF 1.2".into(),
            title: "Autonomy".into(),
            rationale_required: vec![],
            mine: Some(judgement(
                "MPF 1.2",
                Some(Outcome::NotMet),
                "==+== looks like a directive\n\\==-== and a comment",
                1,
            )),
        },
        FormStandard { code: "MPF 1.3".into(), title: "Reflection".into(), rationale_required: vec![], mine: None },
    ]
}

fn form_text() -> String {
    render_form("S-1", "MSc ACP", "u-1", &standards())
}

fn errors(text: &str) -> Vec<String> {
    parse_form("f.txt", text)
        .expect_err("the form should be refused")
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.location, p.message))
        .collect()
}

#[test]
fn a_form_reads_back_as_exported() {
    let text = form_text();
    let form = parse_form("f.txt", &text).unwrap();
    assert_eq!((form.submission.as_str(), form.reviewer.as_str()), ("S-1", "u-1"));
    let got: Vec<(&str, Option<Outcome>, &str)> =
        form.entries.iter().map(|e| (e.standard.as_str(), e.outcome, e.rationale.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("MPF 1.1", Some(Outcome::Met), "Assessed in ACP7401.\n\nSee E02 p.4."),
            ("MPF 1.2", Some(Outcome::NotMet), "==+== looks like a directive\n\\==-== and a comment"),
            ("MPF 1.3", None, ""),
        ]
    );
    assert_eq!(form.entries[0].base.version, 2);
    assert_eq!(form.entries[2].base, Base { version: 0, updated_at: None, digest: digest(None, "") });
    assert!(text.contains("==-== A rationale is required for: partially met, not met\n"), "{text}");
    assert!(text.contains("\n\\==+== looks like a directive\n\\\\==-== and a comment\n"), "{text}");
}

#[test]
fn an_untouched_form_changes_nothing() {
    let standards = standards();
    let form = parse_form("f.txt", &form_text()).unwrap();
    let current = |code: &str| standards.iter().find(|s| s.code == code).and_then(|s| s.mine.as_ref());
    assert!(plan(&form, current).iter().all(|step| matches!(step, Step::Unchanged { .. })));
}

#[test]
fn edits_are_saved_and_stale_entries_refused() {
    let mut standards = standards();
    let text = form_text()
        .replace(
            "==+== Outcome: met\n==+== Rationale:\nAssessed in ACP7401.",
            "==+== Outcome: partially met\n==+== Rationale:\nOnly taught.",
        )
        .replace(
            "==+== Outcome: open\n==+== Rationale:\n",
            "==+== Outcome: Not Met\n==+== Rationale:\n\nNo reflective assessment.\n\n",
        );
    let form = parse_form("f.txt", &text).unwrap();
    // MPF 1.1 changes in accredit after the export.
    standards[0].mine = Some(judgement("MPF 1.1", Some(Outcome::Met), "Changed in the TUI.", 3));
    let current = |code: &str| standards.iter().find(|s| s.code == code).and_then(|s| s.mine.as_ref());
    let steps = plan(&form, current);
    assert!(
        matches!(&steps[0], Step::Stale { standard, base, current_version: 3, .. } if standard == "MPF 1.1" && base.version == 2)
    );
    assert_eq!(steps[1], Step::Unchanged { standard: "MPF 1.2".into() });
    assert_eq!(
        steps[2],
        Step::Save {
            standard: "MPF 1.3".into(),
            outcome: Some(Outcome::NotMet),
            rationale: "No reflective assessment.".into()
        }
    );
}

#[test]
fn an_untouched_entry_is_not_stale_even_if_accredit_changed_it() {
    let mut standards = standards();
    let form = parse_form("f.txt", &form_text()).unwrap();
    standards[0].mine = Some(judgement("MPF 1.1", Some(Outcome::NotMet), "Newer.", 5));
    let current = |code: &str| standards.iter().find(|s| s.code == code).and_then(|s| s.mine.as_ref());
    assert_eq!(plan(&form, current)[0], Step::Unchanged { standard: "MPF 1.1".into() });
}

#[test]
fn an_edit_to_a_submitted_judgement_is_refused() {
    let mut standards = standards();
    if let Some(j) = standards[0].mine.as_mut() {
        j.state = JudgementState::Submitted;
    }
    let text = render_form("S-1", "MSc", "u-1", &standards).replace("Assessed in ACP7401.", "Edited.");
    let form = parse_form("f.txt", &text).unwrap();
    let current = |code: &str| standards.iter().find(|s| s.code == code).and_then(|s| s.mine.as_ref());
    assert_eq!(plan(&form, current)[0], Step::Submitted { standard: "MPF 1.1".into() });
}

#[test]
fn bad_forms_get_line_numbered_errors() {
    let text = form_text();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let outcome_line = line_of("==+== Outcome: met");
    assert_eq!(
        errors(&text.replace("==+== Outcome: met", "==+== Outcome: meet")),
        vec![format!("line {outcome_line}: \"meet\" is not an outcome")]
    );
    assert_eq!(
        errors(&text.replace("==+== Outcome: met", "==+== Outcom: met")),
        vec![
            format!("line {}: MPF 1.1 has no Outcome line", line_of("Standard: MPF 1.1")),
            format!("line {outcome_line}: \"Outcom\" is not a directive"),
        ]
    );
    let base_line = line_of("==+== Base: 2");
    assert_eq!(
        errors(&text.replace("==+== Base: 2 ", "==+== Base: two ")),
        vec![format!("line {base_line}: the Base line of MPF 1.1 is damaged")]
    );
    let header_comment = line_of("==+== Form:") - 1;
    assert_eq!(
        errors(&text.replace(&format!("{}\n", text.lines().nth(header_comment - 1).unwrap()), "stray words\n")),
        vec![format!("line {header_comment}: text outside a rationale")]
    );
    assert_eq!(
        errors(&text.replace("==+== Standard: MPF 1.2", "==+== Standard: MPF 1.1")),
        vec![format!(
            "line {}: MPF 1.1 is in the form twice (first at line {})",
            line_of("Standard: MPF 1.2"),
            line_of("Standard: MPF 1.1")
        )]
    );
    let cut = text.lines().take(line_of("Standard: MPF 1.2")).collect::<Vec<_>>().join("\n");
    let found = errors(&cut);
    assert!(found.iter().any(|f| f.ends_with("the form has no End line: is it cut short?")), "{found:?}");
    assert!(found.iter().any(|f| f.ends_with("MPF 1.2 has no Base, Outcome or Rationale line")), "{found:?}");
    assert_eq!(errors(&text.replace(FORM_FORMAT, "accredit.judgement-form.v9")).len(), 1);
    assert_eq!(
        errors(&format!("{text}more\n")),
        vec![format!("line {}: text after the End line", text.lines().count() + 1)]
    );
}

#[test]
fn a_form_without_headers_says_what_is_missing() {
    let found = errors("==+== Standard: X\n==+== Outcome: met\n==+== End\n");
    assert_eq!(
        found,
        vec![
            "line 1: there is no Form line",
            "line 1: there is no Submission line",
            "line 1: there is no Reviewer line",
            "line 1: X has no Base or Rationale line",
        ]
    );
}

#[test]
fn a_rationale_may_start_on_its_directive_line_and_windows_line_ends_are_read() {
    let text = form_text()
        .replace("==+== Rationale:\nAssessed in ACP7401.", "==+== Rationale: First line.\nAssessed in ACP7401.")
        .replace('\n', "\r\n");
    let form = parse_form("f.txt", &text).unwrap();
    assert_eq!(form.entries[0].rationale, "First line.\nAssessed in ACP7401.\n\nSee E02 p.4.");
}

#[test]
fn outcomes_are_forgiving_about_spelling() {
    for (text, outcome) in [
        ("met", Some(Outcome::Met)),
        ("Partially met", Some(Outcome::PartiallyMet)),
        ("partially-met", Some(Outcome::PartiallyMet)),
        ("not_met", Some(Outcome::NotMet)),
        ("NOT MET", Some(Outcome::NotMet)),
        ("open", None),
        ("", None),
    ] {
        assert_eq!(parse_outcome(text), Ok(outcome), "{text}");
    }
    assert_eq!(parse_outcome("meh"), Err(()));
}

#[test]
fn normalising_drops_surrounding_blank_lines_and_trailing_spaces_only() {
    assert_eq!(normalise("\n\n  a  \n\nb\n\n"), "  a\n\nb");
    assert_eq!(normalise(""), "");
    assert_eq!(digest(Some(Outcome::Met), "a\n"), digest(Some(Outcome::Met), "a"));
    assert_ne!(digest(Some(Outcome::Met), "a"), digest(Some(Outcome::NotMet), "a"));
}
