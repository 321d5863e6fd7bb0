//! What a panel report is made from: the submission, the panel, the reviewers' submitted
//! judgements and the chair's consolidation, as the store gathers them. `report` renders it;
//! the rules that read it (what keeps the report from being complete) live here, once.

use serde::{Deserialize, Serialize};

use super::consolidation::{Consolidation, Judged, Rules};
use super::{EvidenceRef, Outcome, Panel, SubmissionHeader};

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
    /// The body that sends the report (the hub's organisation name).
    pub organisation: Option<String>,
    /// Whether this rendering is a draft or a pushed version.
    pub issue: IssueInput,
    /// Members' confirmations that the report is accurate, as the hub holds them.
    pub confirmations: Vec<ConfirmationFacts>,
}

impl ReportInput {
    /// The submitted reviewer outcomes of one standard.
    pub fn reviewer_outcomes(&self, code: &str) -> Vec<Outcome> {
        self.judgements.iter().filter(|(c, ..)| c == code).map(|(_, _, o)| *o).collect()
    }

    /// Each standard under review with its reviewers' submitted outcomes and the outcomes its
    /// framework asks a rationale for: what the consolidation's rules read.
    pub fn judged(&self) -> Vec<Judged> {
        self.standards
            .iter()
            .map(|s| Judged {
                code: s.code.clone(),
                reviewers: self.reviewer_outcomes(&s.code),
                rationale_required: s.rationale_required.clone(),
            })
            .collect()
    }

    /// Everything that keeps the report from being complete: the one list the hub (refusing a
    /// push), the CLI (`panel check`, `panel push`), the queue and the Report screen give.
    pub fn problems(&self) -> Vec<String> {
        self.consolidation.problems(&self.judged(), self.rules)
    }
}

/// The submission as the report names it: its header, and whether only some standards of its
/// frameworks are under review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmissionFacts {
    pub id: String,
    #[serde(flatten)]
    pub header: SubmissionHeader,
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
    pub statement: String,
    pub evidence: Vec<EvidenceRef>,
    /// The outcomes its framework asks a rationale for.
    pub rationale_required: Vec<Outcome>,
}

/// One member's confirmation, for the sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationFacts {
    pub name: String,
    /// The date they confirmed (YYYY-MM-DD).
    pub date: String,
    /// The report version they read.
    pub version: i64,
    /// Shown in the panel's record only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

/// A report is a draft until the hub keeps it as a version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IssueInput {
    #[default]
    Draft,
    Final {
        version: i64,
        issued_on: String,
    },
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The sources under `src/<part>/` that name `crate::<other>`.
    fn naming(part: &str, other: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(part);
        let mut found = Vec::new();
        let mut pending = vec![dir];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("read the source folder") {
                let path = entry.expect("a folder entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("read a source file");
                    if text.contains(&format!("crate::{other}")) {
                        found.push(path.display().to_string());
                    }
                }
            }
        }
        found
    }

    /// docs/architecture.md: the store gathers the report's input (this module) and renders
    /// nothing, and the domain depends on nothing else in the crate.
    #[test]
    fn store_does_not_depend_on_report_nor_domain_on_anything() {
        assert_eq!(naming("store", "report"), Vec::<String>::new());
        for other in ["store", "report", "wire", "hub", "sync", "tui", "format", "cli"] {
            assert_eq!(naming("domain", other), Vec::<String>::new(), "domain names crate::{other}");
        }
    }
}
