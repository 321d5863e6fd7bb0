//! The panel report as data: built from the submission, the panel, the reviewers' judgements and
//! the chair's consolidation; rendered by the sibling modules. Same input, same report.

use serde::Serialize;

use crate::domain::agreement::{self, Agreement};
use crate::domain::consolidation::{Condition, Consolidation, DecisionKind, Note, Rules};
use crate::domain::{EvidenceRef, MemberRole, Outcome, Panel};

pub const REPORT_FORMAT: &str = "accredit.report.v1";

/// Everything a report is made from, gathered by the store.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub submission: SubmissionFacts,
    pub frameworks: Vec<FrameworkFacts>,
    /// The standards under review, in order, with their sections.
    pub standards: Vec<StandardFacts>,
    pub documents: Vec<(String, String)>,
    pub panel: Panel,
    /// id → name of everyone on the panel.
    pub names: Vec<(String, String)>,
    /// Submitted reviewer judgements: (standard, reviewer, outcome).
    pub judgements: Vec<(String, String, Outcome)>,
    pub consolidation: Consolidation,
    pub rules: Rules,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmissionFacts {
    pub id: String,
    pub provider: String,
    pub programme: String,
    pub award: String,
    pub programme_code: Option<String>,
    pub modes: Option<String>,
    pub version: u32,
    pub submitted_at: String,
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkFacts {
    pub id: String,
    pub version: String,
    pub title: String,
    pub official: bool,
}

#[derive(Debug, Clone)]
pub struct StandardFacts {
    pub framework: String,
    pub section: String,
    pub code: String,
    pub title: String,
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub submission: SubmissionFacts,
    pub frameworks: Vec<FrameworkFacts>,
    pub panel: PanelFacts,
    pub decision: DecisionFacts,
    pub counts: Counts,
    pub documents: Vec<DocumentFacts>,
    pub findings: Vec<SectionFindings>,
    pub conditions: Vec<Condition>,
    pub recommendations: Vec<Note>,
    pub commendations: Vec<Note>,
    pub next_steps: Vec<String>,
    /// For the accreditation office only: not sent to the provider.
    pub appendix: Appendix,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberFacts {
    pub id: String,
    pub name: String,
    pub role: MemberRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standards: Option<Vec<String>>,
    pub recused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recusal_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelFacts {
    pub chair: Person,
    pub members: Vec<MemberFacts>,
    pub reviews_due: String,
    pub panel_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionFacts {
    pub kind: Option<DecisionKind>,
    pub label: String,
    pub suggested: DecisionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Counts {
    pub met: usize,
    pub partially_met: usize,
    pub not_met: usize,
    pub conditions: usize,
    pub recommendations: usize,
    pub commendations: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentFacts {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionFindings {
    pub framework: String,
    pub section: String,
    pub standards: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: String,
    pub title: String,
    pub outcome: Option<Outcome>,
    pub rationale: String,
    pub evidence: Vec<EvidenceRef>,
    /// Conditions, recommendations and commendations tied to this standard.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendix {
    pub reviewers: Vec<Person>,
    pub rows: Vec<MatrixRow>,
    /// Fleiss' kappa over every standard with two or more judgements, rounded to 3 places.
    pub kappa: Option<f64>,
    /// The share of agreeing reviewer pairs over the same standards (Fleiss' P̄), 3 places.
    pub observed_agreement: Option<f64>,
    pub kappa_standards: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    pub standard: String,
    /// One per reviewer, in `Appendix::reviewers` order; `None` where they did not judge.
    pub outcomes: Vec<Option<Outcome>>,
    pub agreement: Option<Agreement>,
    pub panel: Option<Outcome>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resolution_note: String,
}

/// Builds the report. It never fails: what is missing shows as missing.
pub fn build(input: &ReportInput) -> Report {
    let name = |id: &str| input.names.iter().find(|(i, _)| i == id).map_or_else(|| id.to_string(), |(_, n)| n.clone());
    let consolidation = &input.consolidation;
    let suggested = consolidation.suggested_decision(input.rules);
    let decision = match &consolidation.decision {
        Some(d) => DecisionFacts {
            kind: Some(d.kind),
            label: d.kind.label().to_string(),
            suggested,
            override_reason: Some(d.override_reason.clone()).filter(|r| !r.trim().is_empty()),
        },
        None => DecisionFacts { kind: None, label: "No decision yet".into(), suggested, override_reason: None },
    };
    let outcome_of = |code: &str| consolidation.outcome(code).map(|o| o.outcome);
    let count = |o: Outcome| input.standards.iter().filter(|s| outcome_of(&s.code) == Some(o)).count();
    let live_conditions: Vec<Condition> = consolidation
        .conditions
        .iter()
        .filter(|c| c.status != crate::domain::consolidation::ConditionStatus::Withdrawn)
        .cloned()
        .collect();
    let counts = Counts {
        met: count(Outcome::Met),
        partially_met: count(Outcome::PartiallyMet),
        not_met: count(Outcome::NotMet),
        conditions: live_conditions.len(),
        recommendations: consolidation.recommendations.len(),
        commendations: consolidation.commendations.len(),
    };

    let mut findings: Vec<SectionFindings> = Vec::new();
    for s in &input.standards {
        let tied: Vec<String> = live_conditions
            .iter()
            .map(|c| (&c.id, &c.standards))
            .chain(consolidation.recommendations.iter().map(|n| (&n.id, &n.standards)))
            .chain(consolidation.commendations.iter().map(|n| (&n.id, &n.standards)))
            .filter(|(_, standards)| standards.contains(&s.code))
            .map(|(id, _)| id.clone())
            .collect();
        let finding = Finding {
            code: s.code.clone(),
            title: s.title.clone(),
            outcome: outcome_of(&s.code),
            rationale: consolidation.outcome(&s.code).map(|o| o.rationale.clone()).unwrap_or_default(),
            evidence: s.evidence.clone(),
            notes: tied,
        };
        match findings.last_mut() {
            Some(last) if last.framework == s.framework && last.section == s.section => last.standards.push(finding),
            _ => findings.push(SectionFindings {
                framework: s.framework.clone(),
                section: s.section.clone(),
                standards: vec![finding],
            }),
        }
    }

    let voters: Vec<&crate::domain::Member> =
        input.panel.members.iter().filter(|m| m.role.votes() && !m.recused).collect();
    let reviewers: Vec<Person> = voters.iter().map(|m| Person { id: m.user.clone(), name: name(&m.user) }).collect();
    let mut subjects = Vec::new();
    let rows: Vec<MatrixRow> = input
        .standards
        .iter()
        .map(|s| {
            let outcomes: Vec<Option<Outcome>> = reviewers
                .iter()
                .map(|r| {
                    input.judgements.iter().find(|(code, who, _)| code == &s.code && who == &r.id).map(|(_, _, o)| *o)
                })
                .collect();
            let given: Vec<Outcome> = outcomes.iter().flatten().copied().collect();
            if given.len() >= 2 {
                subjects.push(agreement::counts(&given).to_vec());
            }
            MatrixRow {
                standard: s.code.clone(),
                agreement: agreement::of(&given),
                outcomes,
                panel: outcome_of(&s.code),
                resolution_note: consolidation.outcome(&s.code).map(|o| o.resolution_note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let kappa = agreement::fleiss_kappa(&subjects).map(round);
    let observed_agreement = agreement::observed_agreement(&subjects).map(round);

    let mut next_steps = Vec::new();
    if !live_conditions.is_empty() {
        next_steps.push(format!(
            "The provider sends the evidence for each condition by its due date ({}); the panel chair signs each condition off.",
            live_conditions.iter().map(|c| format!("{} by {}", c.id, c.due)).collect::<Vec<_>>().join(", ")
        ));
    }
    next_steps.push("Recommendations are reviewed at the first Accreditation Monitoring point.".into());
    next_steps.push(
        "Once accredited, the programme enters Accreditation Monitoring and then Exception Reporting; changes to the programme are reported to the Centre."
            .into(),
    );

    Report {
        format: REPORT_FORMAT,
        submission: input.submission.clone(),
        frameworks: input.frameworks.clone(),
        panel: PanelFacts {
            chair: Person { id: input.panel.chair.clone(), name: name(&input.panel.chair) },
            members: input
                .panel
                .members
                .iter()
                .map(|m| MemberFacts {
                    id: m.user.clone(),
                    name: name(&m.user),
                    role: m.role,
                    standards: m.standards.clone(),
                    recused: m.recused,
                    recusal_reason: m.recusal_reason.clone(),
                })
                .collect(),
            reviews_due: input.panel.reviews_due.to_string(),
            panel_date: input.panel.panel_date.map(|d| d.to_string()),
        },
        decision,
        counts,
        documents: input
            .documents
            .iter()
            .map(|(id, title)| DocumentFacts { id: id.clone(), title: title.clone() })
            .collect(),
        findings,
        conditions: live_conditions,
        recommendations: consolidation.recommendations.clone(),
        commendations: consolidation.commendations.clone(),
        next_steps,
        appendix: Appendix { reviewers, rows, kappa, observed_agreement, kappa_standards: subjects.len() },
    }
}
