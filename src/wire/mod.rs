//! The hub's HTTP API types (docs/sync-protocol.md), compiled by both the client and the hub so
//! they cannot drift apart.

use serde::{Deserialize, Serialize};

use crate::domain::consolidation::Consolidation;
use crate::domain::{FrameworkRef, Mapping, SubmissionHeader};

use crate::domain::{Framework, JudgementState, Member, Outcome, Person, Stage};

pub const API: &str = "/api/v1";
/// The most ops one push may carry.
pub const MAX_OPS_PER_PUSH: usize = 500;
/// The largest request body the hub accepts.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
pub const DEFAULT_PULL_LIMIT: usize = 500;
pub const MAX_PULL_LIMIT: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    Reviewer,
    Chair,
    Admin,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Reviewer => "reviewer",
            UserRole::Chair => "chair",
            UserRole::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<UserRole> {
        [UserRole::Reviewer, UserRole::Chair, UserRole::Admin].into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub name: String,
    pub role: UserRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeResponse {
    pub user: User,
    /// The organisation that sends panel reports (`accredit hub set-organisation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// What a reviewer's judgement says, as pushed (the reviewer is the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgementBody {
    #[schema(min_length = 1, max_length = 64)]
    pub submission: String,
    #[schema(min_length = 1, max_length = 64)]
    pub standard: String,
    pub outcome: Option<Outcome>,
    #[schema(max_length = 100000)]
    pub rationale: String,
    pub state: JudgementState,
}

/// One edit pushed to the hub. Read through `OpWire`, which refuses unknown fields (serde cannot
/// combine `deny_unknown_fields` with the `flatten` that writes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "OpWire")]
pub struct Op {
    pub op_id: String,
    /// The hub revision this edit was based on (0: the hub has never seen it).
    pub base_rev: i64,
    #[serde(flatten)]
    pub kind: OpKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpKind {
    Judgement {
        judgement: JudgementBody,
    },
    /// The chair's whole consolidation of one submission (only the chair writes it).
    Consolidation {
        submission: String,
        consolidation: Consolidation,
    },
}

/// An op as it arrives: the same fields as `Op`, each kind with exactly its own. This is also
/// the op's schema in the OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[schema(as = Op)]
enum OpWire {
    Judgement {
        #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
        op_id: String,
        /// The hub revision this edit was based on (0: the hub has never seen it).
        #[schema(minimum = 0)]
        base_rev: i64,
        judgement: JudgementBody,
    },
    /// The chair's whole consolidation of one submission (only the chair writes it).
    Consolidation {
        #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
        op_id: String,
        #[schema(minimum = 0)]
        base_rev: i64,
        #[schema(min_length = 1, max_length = 64)]
        submission: String,
        consolidation: Consolidation,
    },
}

impl From<OpWire> for Op {
    fn from(wire: OpWire) -> Op {
        match wire {
            OpWire::Judgement { op_id, base_rev, judgement } => {
                Op { op_id, base_rev, kind: OpKind::Judgement { judgement } }
            }
            OpWire::Consolidation { op_id, base_rev, submission, consolidation } => {
                Op { op_id, base_rev, kind: OpKind::Consolidation { submission, consolidation } }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpsRequest {
    #[schema(value_type = Vec<OpWire>, max_items = 500)]
    pub ops: Vec<Op>,
}

/// A judgement as the hub holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HubJudgement {
    pub submission: String,
    pub standard: String,
    pub reviewer: String,
    pub outcome: Option<Outcome>,
    pub rationale: String,
    pub state: JudgementState,
    pub rev: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OpOutcome {
    Applied {
        rev: i64,
        seq: i64,
    },
    Conflict {
        current: HubJudgement,
    },
    /// `current` is the hub's judgement when there is one the caller may see, so the replica
    /// can return to it.
    Rejected {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        current: Option<HubJudgement>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpResult {
    pub op_id: String,
    #[serde(flatten)]
    pub outcome: OpOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpsResponse {
    pub results: Vec<OpResult>,
}

/// A document as listed in a submission change; its bytes are fetched by hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HubDocument {
    pub id: String,
    pub title: String,
    pub media_type: String,
    pub sha256: String,
    /// The original file (a PDF, DOCX or XLSX) the text was extracted from, when the hub holds
    /// it: fetched by hash from `GET /api/v1/originals/{sha256}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<HubOriginal>,
}

/// The most bytes one original may have to travel to a replica (the largest evidence file
/// intake reads, `intake::MAX_FILE_BYTES`); a larger one stays on the hub.
pub const MAX_ORIGINAL_BYTES: u64 = 64 * 1024 * 1024;

/// A document's original file, as the change feed lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HubOriginal {
    /// The SHA-256 of the original's bytes.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The extractor (and its version) that made the document's pages from it.
    pub extractor: String,
    /// How many physical pages it has.
    pub pages: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HubSubmission {
    pub id: String,
    pub frameworks: Vec<FrameworkRef>,
    #[serde(flatten)]
    pub header: SubmissionHeader,
    pub stage: Stage,
    pub stage_note: Option<String>,
    pub documents: Vec<HubDocument>,
    pub mappings: Vec<Mapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HubPanel {
    pub submission: String,
    pub chair: String,
    pub reviews_due: jiff::civil::Date,
    pub panel_date: Option<jiff::civil::Date>,
    pub members: Vec<Member>,
    /// Everyone named on the panel, so the client can show names.
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Framework {
        seq: i64,
        framework: Framework,
    },
    Submission {
        seq: i64,
        submission: Box<HubSubmission>,
    },
    Panel {
        seq: i64,
        panel: HubPanel,
    },
    Judgement {
        seq: i64,
        judgement: HubJudgement,
    },
    /// Seen by the panel's chair (and the office) only.
    Consolidation {
        seq: i64,
        submission: String,
        consolidation: Consolidation,
        rev: i64,
    },
    /// The latest panel report the chair pushed, with who has confirmed it: for the chair, the
    /// office and the voting members who confirm it (docs/sync-protocol.md §6b).
    Report {
        seq: i64,
        pushed: Box<PushedReport>,
    },
}

/// A pushed panel report as the feed carries it: the panel's Markdown, so a member reads it
/// offline before confirming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushedReport {
    pub report: ReportVersion,
    pub markdown: String,
    pub confirmations: ConfirmationsResponse,
}

impl Change {
    pub fn seq(&self) -> i64 {
        match self {
            Change::Framework { seq, .. }
            | Change::Submission { seq, .. }
            | Change::Panel { seq, .. }
            | Change::Judgement { seq, .. }
            | Change::Consolidation { seq, .. }
            | Change::Report { seq, .. } => *seq,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangesResponse {
    pub changes: Vec<Change>,
    pub next: i64,
    pub more: bool,
}

/// One pushed version of a panel report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportVersion {
    pub submission: String,
    pub version: i64,
    /// SHA-256 of the report's JSON rendering: the same report pushed again is the same version.
    pub sha256: String,
    pub pushed_by: String,
    pub pushed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushReportResponse {
    pub report: ReportVersion,
    /// False when this exact report had been pushed before.
    pub created: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportsResponse {
    pub reports: Vec<ReportVersion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire format is a contract: a change here must fail this test, not silently break
    /// clients in the field.
    #[test]
    fn op_and_answer_json_is_frozen() {
        let op = Op {
            op_id: "0190c3a0-0000-7000-8000-000000000001".into(),
            base_rev: 3,
            kind: OpKind::Judgement {
                judgement: JudgementBody {
                    submission: "S-1".into(),
                    standard: "MPF 1.1".into(),
                    outcome: Some(Outcome::PartiallyMet),
                    rationale: "why".into(),
                    state: JudgementState::Draft,
                },
            },
        };
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"op_id":"0190c3a0-0000-7000-8000-000000000001","base_rev":3,"kind":"judgement","judgement":{"submission":"S-1","standard":"MPF 1.1","outcome":"partially_met","rationale":"why","state":"draft"}}"#
        );
        let answer = OpResult { op_id: "x".into(), outcome: OpOutcome::Applied { rev: 4, seq: 17 } };
        assert_eq!(serde_json::to_string(&answer).unwrap(), r#"{"op_id":"x","status":"applied","rev":4,"seq":17}"#);
        let rejected =
            OpResult { op_id: "y".into(), outcome: OpOutcome::Rejected { reason: "no".into(), current: None } };

        assert_eq!(serde_json::to_string(&rejected).unwrap(), r#"{"op_id":"y","status":"rejected","reason":"no"}"#);
    }

    /// A submission change keeps its flat shape and field order with the header embedded
    /// (`#[serde(flatten)]`), and reads back through the feed's tagged `Change`.
    #[test]
    fn submission_change_json_is_frozen_and_reads_back() {
        let change = Change::Submission {
            seq: 5,
            submission: Box::new(HubSubmission {
                id: "S-1".into(),
                frameworks: vec![FrameworkRef { id: "mpf-2017".into(), version: "2017".into(), standards: None }],
                header: SubmissionHeader {
                    provider: "University".into(),
                    programme: "MSc".into(),
                    award: "MSc (level 7)".into(),
                    programme_code: Some("ACP-1".into()),
                    modes: None,
                    version: 2,
                    submitted_at: jiff::civil::date(2026, 2, 2),
                },
                stage: Stage::StandardsReview,
                stage_note: None,
                documents: vec![HubDocument {
                    id: "E01".into(),
                    title: "Handbook".into(),
                    media_type: "text/plain".into(),
                    sha256: "ab".into(),
                    original: None,
                }],
                mappings: vec![Mapping { standard: "MPF 1.1".into(), narrative: "n".into(), evidence: vec![] }],
            }),
        };
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"submission","seq":5,"submission":{"id":"S-1","frameworks":[{"id":"mpf-2017","version":"2017"}],"provider":"University","programme":"MSc","award":"MSc (level 7)","programme_code":"ACP-1","modes":null,"version":2,"submitted_at":"2026-02-02","stage":"standards_review","stage_note":null,"documents":[{"id":"E01","title":"Handbook","media_type":"text/plain","sha256":"ab"}],"mappings":[{"standard":"MPF 1.1","narrative":"n","evidence":[]}]}}"#
        );
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), change);
    }
}

/// The most documents one `POST /api/v1/documents/batch` asks for.
pub const MAX_DOCUMENTS_PER_BATCH: usize = 64;
/// The hub stops adding documents to a batch answer past this many bytes (the client asks
/// again for the rest).
pub const DOCUMENT_BATCH_BYTES: usize = 16 * 1024 * 1024;

/// `POST /api/v1/documents/batch`: several documents' texts by SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBatchRequest {
    #[schema(max_items = 64, inline, value_type = Vec<Sha256>)]
    pub sha256: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentBatchResponse {
    /// The documents sent, in the order asked (a prefix of it when the batch was full).
    pub documents: Vec<DocumentText>,
    /// Asked for but not sent: not a document of a submission the caller is on.
    pub forbidden: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentText {
    pub sha256: String,
    pub text: String,
}

/// The SHA-256 of a document's bytes, as 64 hex characters (the schema of such a value).
#[derive(utoipa::ToSchema)]
#[schema(pattern = "^[0-9a-fA-F]{64}$")]
#[allow(dead_code)]
pub struct Sha256(String);

/// A member's confirmation that the pushed panel report is accurate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Confirmation {
    pub member: String,
    pub name: String,
    /// The report version they read.
    pub version: i64,
    #[serde(default)]
    pub comment: String,
    pub confirmed_at: String,
}

/// A confirmation as the report's sign-off prints it.
impl From<&Confirmation> for crate::domain::report_input::ConfirmationFacts {
    fn from(c: &Confirmation) -> Self {
        crate::domain::report_input::ConfirmationFacts {
            name: c.name.clone(),
            date: c.confirmed_at.get(..10).unwrap_or(&c.confirmed_at).to_string(),
            version: c.version,
            comment: c.comment.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    #[serde(default)]
    #[schema(max_length = 100_000)]
    pub comment: String,
    /// The version the member read: refused (409 `newer_report`) when a later one was pushed
    /// since, so nobody confirms a version they have not seen. Absent: the latest.
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConfirmationsResponse {
    pub confirmations: Vec<Confirmation>,
    /// The names of the members who have not confirmed yet.
    pub awaiting: Vec<String>,
}

/// One entry of a submission's history (`GET /api/v1/submissions/{id}/history`): an act from
/// the hub's audit trail that the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// The entry's number in the hub's audit trail.
    pub seq: i64,
    pub at: String,
    /// The user id (`office` for the accreditation office on the hub's machine).
    pub actor: String,
    pub actor_name: String,
    /// The stored name of the act, e.g. `judgement.submit`.
    pub action: String,
    /// The act in words.
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// SHA-256 of what was written (never the text itself).
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HistoryResponse {
    pub entries: Vec<HistoryEntry>,
}
