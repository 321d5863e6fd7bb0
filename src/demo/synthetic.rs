//! A large synthetic cache for benchmarks: many submissions, standards and reviewers.

use std::collections::HashMap;

use jiff::civil::date;

use crate::domain::{
    DocumentRef, EvidenceRef, Framework, FrameworkRef, JudgementState, Mapping, Member, MemberRole, Outcome, Panel,
    Person, Section, Stage, Standard, Submission,
};
use crate::format::{PanelJudgement, PanelPackage, SubmissionPackage};
use crate::store::{Store, StoreError};

/// The shape of a synthetic cache.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub submissions: usize,
    pub standards: usize,
    /// Voting reviewers per panel, the cache's owner among them.
    pub reviewers: usize,
}

pub const ME: &str = "u-bench";

/// Fills `store` with `shape`; the owner, [`ME`], reviews every submission with nothing judged,
/// and the other reviewers have submitted every judgement.
pub fn generate(store: &mut Store, shape: Shape) -> Result<(), StoreError> {
    let people: Vec<Person> = (0..shape.reviewers.max(1))
        .map(|i| Person {
            id: if i == 0 { ME.to_string() } else { format!("u-{i}") },
            name: format!("Reviewer {i}"),
            title: "Reviewer".into(),
            background: String::new(),
        })
        .chain(std::iter::once(Person {
            id: "u-chair".into(),
            name: "Chair".into(),
            title: "Chair".into(),
            background: String::new(),
        }))
        .collect();
    store.import_people(&people)?;
    let framework = framework(shape.standards);
    store.import_framework(&framework)?;
    let outcomes = [Outcome::Met, Outcome::Met, Outcome::PartiallyMet, Outcome::NotMet];
    for n in 0..shape.submissions {
        let id = format!("S-BENCH-{n:04}");
        let submission = Submission {
            id: id.clone(),
            frameworks: vec![FrameworkRef {
                id: framework.id.clone(),
                version: framework.version.clone(),
                standards: None,
            }],
            header: crate::domain::SubmissionHeader {
                provider: format!("University {n} of Somewhere"),
                programme: format!(
                    "MSc Advanced Clinical Practice ({})",
                    ["Primary Care", "Acute", "Mental Health", "Critical Care"][n % 4]
                ),
                award: "MSc".into(),
                programme_code: Some(format!("BENCH-{n}")),
                modes: None,
                version: 1,
                submitted_at: date(2026, 1, 1),
            },
            stage: Stage::StandardsReview,
            stage_note: None,
            documents: (1..=5)
                .map(|d| DocumentRef {
                    id: format!("E{d:02}"),
                    title: format!("Evidence document {d}"),
                    media_type: "text/plain".into(),
                    path: format!("E{d:02}.txt"),
                    page_offset: None,
                })
                .collect(),
            mappings: framework
                .standards()
                .map(|(_, s)| Mapping {
                    standard: s.code.clone(),
                    narrative: format!(
                        "How the programme meets {}: module teaching, workplace assessment and a portfolio.",
                        s.code
                    ),
                    evidence: vec![EvidenceRef { document: "E01".into(), locator: "p.2".into() }],
                })
                .collect(),
        };
        let documents: HashMap<String, String> = submission
            .documents
            .iter()
            .map(|d| (d.id.clone(), format!("[page 1]\n{}\n[page 2]\nDetail of the evidence.\n", d.title)))
            .collect();
        store.import_submission(&SubmissionPackage { submission, documents, originals: Default::default() })?;
        let members = people
            .iter()
            .filter(|p| p.id != "u-chair")
            .map(|p| Member {
                user: p.id.clone(),
                role: MemberRole::Reviewer,
                standards: None,
                recused: false,
                recusal_reason: None,
            })
            .collect();
        let judgements = people
            .iter()
            .filter(|p| p.id != "u-chair" && p.id != ME)
            .enumerate()
            .flat_map(|(r, p)| {
                framework.standards().enumerate().map(move |(i, (_, s))| PanelJudgement {
                    reviewer: p.id.clone(),
                    standard: s.code.clone(),
                    outcome: Some(outcomes[(i + r + n) % outcomes.len()]),
                    rationale: format!("Evidence for {} reviewed in E01 p.2.", s.code),
                    state: JudgementState::Submitted,
                })
            })
            .collect();
        let panel = Panel {
            submission: id,
            chair: "u-chair".into(),
            reviews_due: date(2026, 12, 1),
            panel_date: None,
            members,
        };
        store.import_panel(&PanelPackage { panel, judgements })?;
    }
    store.set_meta("me", ME)?;
    store.set_meta("kind", "synthetic")?;
    Ok(())
}

fn framework(standards: usize) -> Framework {
    let per_section = 10;
    let sections = (0..standards.div_ceil(per_section))
        .map(|s| Section {
            code: format!("D{}", s + 1),
            title: format!("Domain {}", s + 1),
            standards: (0..per_section.min(standards - s * per_section))
                .map(|i| Standard {
                    code: format!("BENCH {}.{}", s + 1, i + 1),
                    title: format!("Synthetic standard {}.{} on supervision and assessment", s + 1, i + 1),
                    statement: "The programme shows how learners are supported and assessed.".into(),
                    guidance: "Look for evidence in the handbook.".into(),
                })
                .collect(),
        })
        .collect();
    Framework {
        id: "bench".into(),
        version: "1".into(),
        title: "Synthetic framework".into(),
        official: false,
        note: None,
        rationale_required: vec![Outcome::PartiallyMet, Outcome::NotMet],
        sections,
    }
}
