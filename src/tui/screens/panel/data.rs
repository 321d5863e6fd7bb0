//! The Panel screen's read model: the grid of standards × voting reviewers as the chair sees it,
//! and what in each row still needs the chair, derived from the consolidation by the domain's
//! rules (so the flags and `Consolidation::problems` never disagree).

use jiff::civil::Date;

use crate::domain::agreement::Agreement;
use crate::domain::consolidation::{
    ConditionStatus, Consolidation, Judged, Rules, more_lenient_than_most_severe, needs_resolution_note,
    panel_rationale_required,
};
use crate::domain::{MemberRole, Outcome};
use crate::report::{Report, ReportInput};
use crate::store::{ReviewData, SubmissionSummary};

/// A voting, non-recused member of the panel: a column of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Voter {
    pub id: String,
    pub name: String,
    /// The column heading: the last word of the name.
    pub short: String,
    pub role: MemberRole,
    /// The standards they judge, when limited to some (a lay member).
    pub limited_to: Option<usize>,
}

/// One reviewer's judgement of one standard, as the chair sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Not theirs to judge (a lay member limited to other standards): never missing.
    NotTheirs,
    /// Theirs, with nothing submitted yet.
    Awaiting,
    Judged {
        outcome: Option<Outcome>,
        rationale: String,
    },
}

impl Cell {
    pub fn outcome(&self) -> Option<Outcome> {
        match self {
            Cell::Judged { outcome, .. } => *outcome,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PanelStandard {
    pub code: String,
    pub title: String,
    pub section: String,
    /// One per voter, in `PanelData::voters` order.
    pub cells: Vec<Cell>,
    /// From the report's appendix, so the screen and the report never disagree.
    pub agreement: Option<Agreement>,
    /// Every submitted reviewer outcome, as `accredit panel check` counts them.
    pub reviewer_outcomes: Vec<Outcome>,
    /// The outcomes its framework asks a rationale for (the panel's too).
    pub rationale_required: Vec<Outcome>,
}

/// Everything the Panel screen shows of one submission.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelData {
    pub submission: SubmissionSummary,
    pub voters: Vec<Voter>,
    /// Names of recused members (shown so the chair knows why a column is absent).
    pub recused: Vec<String>,
    pub standards: Vec<PanelStandard>,
    pub consolidation: Consolidation,
    pub rules: Rules,
    /// Fleiss' kappa and observed agreement from the report's appendix (3 places).
    pub kappa: Option<f64>,
    pub observed: Option<f64>,
    pub kappa_standards: usize,
    /// Whether a report was ever pushed: a record removed after that is withdrawn instead.
    pub pushed: bool,
}

impl PanelData {
    /// Gathers the screen from the chair's review (every submitted judgement with its
    /// rationale), the report input and the report built from it (for the agreement figures).
    pub fn new(review: &ReviewData, input: &ReportInput, report: &Report) -> PanelData {
        let name =
            |id: &str| input.names.iter().find(|(i, _)| i == id).map_or_else(|| id.to_string(), |(_, n)| n.clone());
        let members: Vec<&crate::domain::Member> =
            review.panel.members.iter().filter(|m| m.role.votes() && !m.recused).collect();
        let voters: Vec<Voter> = report
            .appendix
            .reviewers
            .iter()
            .filter_map(|person| members.iter().find(|m| m.user == person.id))
            .map(|m| {
                let name = name(&m.user);
                Voter {
                    id: m.user.clone(),
                    short: name.split_whitespace().last().unwrap_or(&m.user).trim_matches('"').to_string(),
                    name,
                    role: m.role,
                    limited_to: m.standards.as_ref().map(Vec::len),
                }
            })
            .collect();
        let recused = review.panel.members.iter().filter(|m| m.recused).map(|m| name(&m.user)).collect();
        let standards = review
            .sections
            .iter()
            .flat_map(|section| section.standards.iter().map(move |s| (section, s)))
            .map(|(section, s)| {
                let cells = voters
                    .iter()
                    .map(|v| {
                        let judges = members.iter().find(|m| m.user == v.id).is_some_and(|m| m.judges(&s.code));
                        match s.others.iter().find(|o| o.reviewer == v.id) {
                            Some(o) => Cell::Judged { outcome: o.outcome, rationale: o.rationale.clone() },
                            None if judges => Cell::Awaiting,
                            None => Cell::NotTheirs,
                        }
                    })
                    .collect();
                PanelStandard {
                    code: s.code.clone(),
                    title: s.title.clone(),
                    section: section.title.clone(),
                    cells,
                    agreement: report.appendix.rows.iter().find(|r| r.standard == s.code).and_then(|r| r.agreement),
                    reviewer_outcomes: reviewer_outcomes(input, &s.code),
                    rationale_required: s.rationale_required.clone(),
                }
            })
            .collect();
        PanelData {
            submission: review.submission.clone(),
            voters,
            recused,
            standards,
            consolidation: input.consolidation.clone(),
            rules: input.rules,
            kappa: report.appendix.kappa,
            observed: report.appendix.observed_agreement,
            kappa_standards: report.appendix.kappa_standards,
            pushed: false,
        }
    }

    pub fn standard(&self, code: &str) -> Option<&PanelStandard> {
        self.standards.iter().find(|s| s.code == code)
    }

    /// Each standard with its reviewers' outcomes, for `Consolidation::problems`.
    pub fn judged(&self) -> Vec<Judged> {
        self.standards
            .iter()
            .map(|s| Judged {
                code: s.code.clone(),
                reviewers: s.reviewer_outcomes.clone(),
                rationale_required: s.rationale_required.clone(),
            })
            .collect()
    }

    /// Everything that keeps the report from being complete (what `accredit panel check` says).
    pub fn problems(&self) -> Vec<String> {
        self.consolidation.problems(&self.judged(), self.rules)
    }

    /// What in one standard still needs the chair.
    pub fn flags(&self, standard: &PanelStandard) -> Vec<Flag> {
        let code = standard.code.as_str();
        let mut flags = Vec::new();
        match self.consolidation.outcome(code) {
            None => flags.push(Flag::NoOutcome),
            Some(panel) => {
                if panel_rationale_required(panel.outcome, &standard.rationale_required)
                    && panel.rationale.trim().is_empty()
                {
                    flags.push(Flag::NoRationale);
                }
                if needs_resolution_note(panel.outcome, &standard.reviewer_outcomes)
                    && panel.resolution_note.trim().is_empty()
                {
                    flags.push(Flag::NoteRequired);
                }
                if panel.outcome != Outcome::Met
                    && panel.no_condition_reason.trim().is_empty()
                    && !self.has_condition(code)
                {
                    flags.push(Flag::ConditionRequired);
                }
            }
        }
        if standard.agreement == Some(Agreement::Split) && !flags.is_empty() {
            flags.insert(0, Flag::Split);
        }
        flags
    }

    pub fn needs_me(&self, standard: &PanelStandard) -> bool {
        !self.flags(standard).is_empty()
    }

    /// The most severe reviewer outcome, when the panel's is more lenient (a warning only).
    pub fn leniency(&self, standard: &PanelStandard) -> Option<Outcome> {
        let panel = self.consolidation.outcome(&standard.code)?.outcome;
        more_lenient_than_most_severe(panel, &standard.reviewer_outcomes)
            .then(|| Outcome::most_severe(standard.reviewer_outcomes.iter().copied()))
            .flatten()
    }

    fn has_condition(&self, code: &str) -> bool {
        self.consolidation
            .conditions
            .iter()
            .any(|c| c.status != ConditionStatus::Withdrawn && c.standards.iter().any(|s| s == code))
    }

    /// The live conditions, recommendations and commendations tied to `code`: (id, text).
    pub fn records_for(&self, code: &str) -> Vec<(String, String)> {
        self.records()
            .into_iter()
            .filter(|r| !r.withdrawn && r.standards.iter().any(|s| s == code))
            .map(|r| (r.id, r.text))
            .collect()
    }

    /// Every condition, recommendation and commendation, in that order; the withdrawn ones
    /// too (kept in the history, marked so).
    pub fn records(&self) -> Vec<Record> {
        let c = &self.consolidation;
        let conditions = c.conditions.iter().map(|c| Record {
            id: c.id.clone(),
            standards: c.standards.clone(),
            text: c.text.clone(),
            evidence: c.evidence_required.clone(),
            due: Some(c.due),
            status: Some(c.status),
            withdrawn: c.status == ConditionStatus::Withdrawn,
        });
        let notes = c.recommendations.iter().chain(&c.commendations).map(|n| Record {
            id: n.id.clone(),
            standards: n.standards.clone(),
            text: n.text.clone(),
            evidence: String::new(),
            due: None,
            status: None,
            withdrawn: n.withdrawn,
        });
        conditions.chain(notes).collect()
    }
}

/// The submitted outcomes of one standard, as the chair's CLI counts them.
pub fn reviewer_outcomes(input: &ReportInput, code: &str) -> Vec<Outcome> {
    input.reviewer_outcomes(code)
}

/// A condition, recommendation or commendation, for listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub standards: Vec<String>,
    pub text: String,
    /// Conditions only: what the provider must send.
    pub evidence: String,
    /// Conditions only.
    pub due: Option<Date>,
    pub status: Option<ConditionStatus>,
    /// Withdrawn after a push: in the history, in no report.
    pub withdrawn: bool,
}

/// What in a standard needs the chair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The reviewers split and the panel has not settled it.
    Split,
    NoOutcome,
    NoRationale,
    /// The panel differs from a reviewer and says nothing of why.
    NoteRequired,
    /// Partially or not met with neither a condition nor a "no condition because" note.
    ConditionRequired,
}

impl Flag {
    pub fn word(self) -> &'static str {
        match self {
            Flag::Split => "split",
            Flag::NoOutcome => "no outcome",
            Flag::NoRationale => "no rationale",
            Flag::NoteRequired => "note needed",
            Flag::ConditionRequired => "condition needed",
        }
    }

    /// One word, for a narrow column (under the heading "Needs me").
    pub fn short(self) -> &'static str {
        match self {
            Flag::Split => "split",
            Flag::NoOutcome => "outcome",
            Flag::NoRationale => "rationale",
            Flag::NoteRequired => "note",
            Flag::ConditionRequired => "condition",
        }
    }

    /// In a sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Flag::Split => "the reviewers split",
            Flag::NoOutcome => "no panel outcome yet",
            Flag::NoRationale => "the panel outcome has no rationale",
            Flag::NoteRequired => "the panel differs from a reviewer: a resolution note is required",
            Flag::ConditionRequired => "needs a condition or a \"no condition because\" note",
        }
    }
}
