//! Submissions: one programme from one provider, with its mapping to the standards.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where a submission is in the Centre's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Submitted,
    ThresholdReview,
    /// Returned at threshold review: no standards review is allowed.
    Returned,
    StandardsReview,
    PanelReview,
    Decided,
}

impl Stage {
    /// Whether the chair records the panel's outcomes, conditions and decision now.
    pub fn allows_consolidation(self) -> bool {
        self == Stage::PanelReview
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Submitted => "submitted",
            Stage::ThresholdReview => "threshold_review",
            Stage::Returned => "returned",
            Stage::StandardsReview => "standards_review",
            Stage::PanelReview => "panel_review",
            Stage::Decided => "decided",
        }
    }

    /// Every stage, in the order a submission goes through them.
    pub const ALL: [Stage; 6] = [
        Stage::Submitted,
        Stage::ThresholdReview,
        Stage::Returned,
        Stage::StandardsReview,
        Stage::PanelReview,
        Stage::Decided,
    ];

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Submitted => "submitted",
            Stage::ThresholdReview => "threshold review",
            Stage::Returned => "returned at threshold",
            Stage::StandardsReview => "standards review",
            Stage::PanelReview => "panel review",
            Stage::Decided => "decided",
        }
    }

    /// Whether reviewers may still record judgements.
    pub fn allows_judging(self) -> bool {
        matches!(self, Stage::StandardsReview | Stage::PanelReview)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
    /// When present, the review covers only these standards (a partial re-review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standards: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    pub id: String,
    pub title: String,
    pub media_type: String,
    pub path: String,
    /// For a PDF, DOCX or XLSX: printed page = physical page - page_offset, as the officer
    /// confirmed it (an unnumbered cover gives 1). Citations name printed pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRef {
    pub document: String,
    #[serde(default)]
    pub locator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub standard: String,
    pub narrative: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

// The one shape of these fields: `Submission`, the cache's `store::SubmissionSummary`, the wire's
// `wire::HubSubmission` and the report's `SubmissionFacts` embed it (flattened, so their JSON
// stays flat and in today's field order). The id stays beside it as the record's key, and so do
// the stage and its note: they are the Centre's, and change as the review goes on. (A plain
// comment: the doc comment below is the OpenAPI document's description.)
/// What a submission says about its programme, as the header of the provider's mapping form
/// gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SubmissionHeader {
    pub provider: String,
    pub programme: String,
    pub award: String,
    /// The programme's code, or a link to it.
    pub programme_code: Option<String>,
    /// Modes of study (full-time, part-time, apprenticeship).
    pub modes: Option<String>,
    pub version: u32,
    pub submitted_at: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: String,
    pub frameworks: Vec<FrameworkRef>,
    #[serde(flatten)]
    pub header: SubmissionHeader,
    pub stage: Stage,
    pub stage_note: Option<String>,
    pub documents: Vec<DocumentRef>,
    pub mappings: Vec<Mapping>,
}

impl Submission {
    /// Whether only some standards of its frameworks are under review.
    pub fn is_partial(&self) -> bool {
        self.frameworks.iter().any(|f| f.standards.is_some())
    }
}
