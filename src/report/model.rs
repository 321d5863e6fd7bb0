//! The panel report as data: built from the submission, the panel, the reviewers' judgements and
//! the chair's consolidation; rendered by the sibling modules. Same input, same report.

use serde::Serialize;

use crate::domain::agreement::{self, Agreement};
use crate::domain::consolidation::{Condition, ConditionStatus, DecisionKind, Note, more_lenient_than_most_severe};
// The report's input is domain data; named here too, so the renderers and callers reach
// everything a report is made of in one place.
pub use crate::domain::report_input::{
    ConfirmationFacts, FrameworkFacts, IssueInput, ReportInput, StandardFacts, SubmissionFacts,
};
use crate::domain::{EvidenceRef, MemberRole, Outcome};

pub const REPORT_FORMAT: &str = "accredit.report.v1";

/// Who a rendering is for: the provider's letter leaves out the panel's internal appendix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Provider,
    #[default]
    Panel,
}

impl Audience {
    pub fn parse(text: &str) -> Option<Audience> {
        match text.trim() {
            "provider" => Some(Audience::Provider),
            "panel" => Some(Audience::Panel),
            _ => None,
        }
    }
}

pub const DEFAULT_ORGANISATION: &str = "The accrediting body";

/// Identity and status: what the running header of every page says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueFacts {
    pub organisation: String,
    /// `draft` or `final`.
    pub status: &'static str,
    /// The hub's report version, for a final report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The submission id and the hub's report version (`S-2026-009/R2`), or `S-2026-009/DRAFT`.
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
}

impl IssueFacts {
    /// "DRAFT" or "FINAL, version 2".
    pub fn status_words(&self) -> String {
        match self.version {
            Some(v) if self.status == "final" => format!("FINAL, version {v}"),
            _ => "DRAFT: not issued".to_string(),
        }
    }
}

/// A deferred decision: what is requested and by when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeferralFacts {
    pub requested_information: String,
    pub due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignOffFacts {
    pub chair: String,
    /// The decision's date.
    pub date: Option<String>,
    pub confirmations: Vec<ConfirmationFacts>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub audience: Audience,
    pub issue: IssueFacts,
    /// The opening paragraph of the decision letter.
    pub summary: String,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral: Option<DeferralFacts>,
    pub next_steps: Vec<String>,
    /// The accreditation monitoring point and what follows if conditions are not met.
    pub monitoring: Vec<String>,
    pub sign_off: SignOffFacts,
    /// For the panel and the accreditation office only: every rendering for the provider leaves
    /// it out (see [`Report::internal`]).
    #[serde(skip_serializing_if = "Appendix::hidden")]
    pub appendix: Appendix,
}

impl Report {
    /// This report as `audience` reads it: the provider's has no internal appendix.
    pub fn for_audience(mut self, audience: Audience) -> Report {
        self.audience = audience;
        self.appendix.hidden = audience == Audience::Provider;
        self
    }

    /// The internal appendix, when this rendering is the panel's record.
    pub fn internal(&self) -> Option<&Appendix> {
        (self.audience == Audience::Panel).then_some(&self.appendix)
    }

    /// The condition, recommendation or commendation `id`, if the report carries it.
    pub fn carries(&self, id: &str) -> bool {
        self.conditions.iter().any(|c| c.id == id)
            || self.recommendations.iter().chain(&self.commendations).any(|n| n.id == id)
    }
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
    /// What the standard asks, printed beside the finding.
    pub statement: String,
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
    /// Why a partially met or not met standard carries no condition, as the chair wrote it.
    pub no_condition_notes: Vec<StandardNote>,
    /// Standards where the panel is more lenient than its most severe reviewer.
    pub leniency: Vec<String>,
    /// Set for the provider's audience: the appendix is then left out of every rendering.
    #[serde(skip)]
    pub hidden: bool,
}

impl Appendix {
    fn hidden(&self) -> bool {
        self.hidden
    }

    /// The panel's agreement in one sentence, with why kappa can be low beside high agreement
    /// (prevalence), for every renderer.
    pub fn agreement_sentence(&self) -> String {
        match self.kappa {
            Some(k) => {
                let observed = self
                    .observed_agreement
                    .map(|p| format!("; reviewer pairs agreed {:.0}% of the time", p * 100.0))
                    .unwrap_or_default();
                format!(
                    "Inter-rater agreement (Fleiss' kappa) over {} standards: {k:.3}{observed}. Kappa discounts the agreement expected by chance, so when nearly every judgement is \"met\" it stays low even though reviewers almost always agree.",
                    self.kappa_standards
                )
            }
            None => "Inter-rater agreement (Fleiss' kappa): not measurable on these judgements.".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardNote {
    pub standard: String,
    pub note: String,
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
    let live_conditions: Vec<Condition> =
        consolidation.conditions.iter().filter(|c| c.status != ConditionStatus::Withdrawn).cloned().collect();
    let recommendations: Vec<Note> = consolidation.recommendations.iter().filter(|n| !n.withdrawn).cloned().collect();
    let commendations: Vec<Note> = consolidation.commendations.iter().filter(|n| !n.withdrawn).cloned().collect();
    let counts = Counts {
        met: count(Outcome::Met),
        partially_met: count(Outcome::PartiallyMet),
        not_met: count(Outcome::NotMet),
        conditions: live_conditions.len(),
        recommendations: recommendations.len(),
        commendations: commendations.len(),
    };

    let mut findings: Vec<SectionFindings> = Vec::new();
    for s in &input.standards {
        let tied: Vec<String> = live_conditions
            .iter()
            .map(|c| (&c.id, &c.standards))
            .chain(recommendations.iter().map(|n| (&n.id, &n.standards)))
            .chain(commendations.iter().map(|n| (&n.id, &n.standards)))
            .filter(|(_, standards)| standards.contains(&s.code))
            .map(|(id, _)| id.clone())
            .collect();
        let finding = Finding {
            code: s.code.clone(),
            title: s.title.clone(),
            statement: s.statement.clone(),
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

    let mut no_condition_notes = Vec::new();
    let mut leniency = Vec::new();
    for s in &input.standards {
        let Some(o) = consolidation.outcome(&s.code) else { continue };
        if !o.no_condition_reason.trim().is_empty() {
            no_condition_notes.push(StandardNote { standard: s.code.clone(), note: o.no_condition_reason.clone() });
        }
        let given: Vec<Outcome> =
            input.judgements.iter().filter(|(c, ..)| c == &s.code).map(|(_, _, outcome)| *outcome).collect();
        if more_lenient_than_most_severe(o.outcome, &given) {
            leniency.push(s.code.clone());
        }
    }

    let deferred = consolidation.decision.as_ref().filter(|d| d.kind == DecisionKind::Deferred);
    let deferral = deferred.map(|d| DeferralFacts {
        requested_information: d.requested_information.clone(),
        due: d.information_due.map(|d| d.to_string()),
    });
    let decided_on = consolidation.decision.as_ref().and_then(|d| d.decided_on).map(|d| d.to_string());
    let steps = next_steps(&live_conditions, deferral.as_ref(), decision.kind, !recommendations.is_empty());
    let monitoring = monitoring(!live_conditions.is_empty(), decision.kind);
    let organisation =
        input.organisation.clone().filter(|o| !o.trim().is_empty()).unwrap_or_else(|| DEFAULT_ORGANISATION.to_string());
    let issue = match &input.issue {
        IssueInput::Draft => IssueFacts {
            organisation,
            status: "draft",
            version: None,
            reference: format!("{}/DRAFT", input.submission.id),
            decided_on,
            issued_on: None,
        },
        IssueInput::Final { version, issued_on } => IssueFacts {
            organisation,
            status: "final",
            version: Some(*version),
            reference: format!("{}/R{version}", input.submission.id),
            decided_on,
            issued_on: Some(issued_on.clone()),
        },
    };
    let summary = summary(input, &issue, &decision, &counts, deferral.as_ref());

    Report {
        format: REPORT_FORMAT,
        audience: Audience::Panel,
        sign_off: SignOffFacts {
            chair: name(&input.panel.chair),
            date: issue.decided_on.clone(),
            confirmations: input.confirmations.clone(),
        },
        issue,
        summary,
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
        recommendations,
        commendations,
        deferral,
        next_steps: steps,
        monitoring,
        appendix: Appendix {
            reviewers,
            rows,
            kappa,
            observed_agreement,
            kappa_standards: subjects.len(),
            no_condition_notes,
            leniency,
            hidden: false,
        },
    }
}

/// The letter's opening paragraph: who, what, the decision and what it asks.
fn summary(
    input: &ReportInput,
    issue: &IssueFacts,
    decision: &DecisionFacts,
    counts: &Counts,
    deferral: Option<&DeferralFacts>,
) -> String {
    let s = &input.submission;
    let judged = counts.met + counts.partially_met + counts.not_met;
    let mut text = format!(
        "{} reviewed {} of {} (submission {}, version {}) against {} standard{}.",
        issue.organisation,
        s.header.programme,
        s.header.provider,
        s.id,
        s.header.version,
        input.standards.len(),
        if input.standards.len() == 1 { "" } else { "s" }
    );
    match decision.kind {
        None => text.push_str(" The panel has not yet reached a decision."),
        Some(kind) => {
            text.push_str(&format!(" The panel's decision is: {}.", kind.label()));
            text.push_str(&format!(
                " Of the {judged} standards judged, {} {} met, {} partially met and {} not met.",
                counts.met,
                if counts.met == 1 { "is" } else { "are" },
                counts.partially_met,
                counts.not_met
            ));
            if let Some(d) = deferral {
                text.push_str(&format!(
                    " Before deciding, the panel asks for further information{}.",
                    d.due.as_deref().map(|due| format!(" by {due}")).unwrap_or_default()
                ));
            } else if counts.conditions > 0 {
                text.push_str(&format!(
                    " The accreditation is subject to {} condition{}, listed below with {} due date{}.",
                    counts.conditions,
                    if counts.conditions == 1 { "" } else { "s" },
                    if counts.conditions == 1 { "its" } else { "their" },
                    if counts.conditions == 1 { "" } else { "s" }
                ));
            }
        }
    }
    if counts.recommendations + counts.commendations > 0 {
        text.push_str(&format!(
            " The panel also makes {} recommendation{} and {} commendation{}.",
            counts.recommendations,
            if counts.recommendations == 1 { "" } else { "s" },
            counts.commendations,
            if counts.commendations == 1 { "" } else { "s" }
        ));
    }
    text
}

/// What the provider does next, following each condition's status and the decision.
fn next_steps(
    conditions: &[Condition],
    deferral: Option<&DeferralFacts>,
    kind: Option<DecisionKind>,
    recommendations: bool,
) -> Vec<String> {
    let mut steps = Vec::new();
    if let Some(d) = deferral {
        steps.push(format!(
            "The provider sends the information requested{}: {}. The panel then completes its decision.",
            d.due.as_deref().map(|due| format!(" by {due}")).unwrap_or_default(),
            d.requested_information.trim()
        ));
        return steps;
    }
    let open: Vec<&Condition> = conditions.iter().filter(|c| c.status == ConditionStatus::Open).collect();
    if !open.is_empty() {
        steps.push(format!(
            "The provider sends the evidence for each open condition by its due date ({}); the panel chair signs each condition off.",
            open.iter().map(|c| format!("{} by {}", c.id, c.due)).collect::<Vec<_>>().join(", ")
        ));
    }
    for c in conditions.iter().filter(|c| c.status == ConditionStatus::Met) {
        steps.push(match c.signed_off_on {
            Some(on) => format!("{} was signed off as met by the panel chair on {on}: nothing more is needed.", c.id),
            None => format!("{} was signed off as met by the panel chair: nothing more is needed.", c.id),
        });
    }
    if recommendations && kind != Some(DecisionKind::NotAccredited) {
        steps.push("Recommendations are reviewed at the first Accreditation Monitoring point.".into());
    }
    steps
}

/// The accreditation monitoring point and what follows if conditions are not met.
fn monitoring(has_conditions: bool, kind: Option<DecisionKind>) -> Vec<String> {
    let mut lines = Vec::new();
    match kind {
        Some(DecisionKind::NotAccredited) => lines.push(
            "The programme is not accredited. The provider may resubmit once the findings below are addressed.".into(),
        ),
        Some(DecisionKind::Deferred) => lines.push(
            "Accreditation Monitoring begins once the panel has completed its decision on the information requested."
                .into(),
        ),
        _ => lines.push(
            "Once accredited, the programme enters Accreditation Monitoring and then Exception Reporting; changes to the programme are reported to the Centre."
                .into(),
        ),
    }
    if has_conditions && kind != Some(DecisionKind::NotAccredited) {
        lines.push(
            "If a condition is not met by its due date, the panel reviews the accreditation: it may extend the date once, or withdraw the accreditation."
                .into(),
        );
    }
    lines
}
