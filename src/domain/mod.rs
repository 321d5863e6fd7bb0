//! The accreditation domain: pure types and rules, no I/O.

pub mod agreement;
pub mod consolidation;
pub mod framework;
pub mod input;
pub mod judgement;
pub mod panel;
pub mod report_input;
pub mod submission;

pub use framework::{Framework, Outcome, Section, Standard};
pub use judgement::{Gap, Judgement, JudgementState};
pub use panel::{Member, MemberRole, Panel, Person};
pub use report_input::ReportInput;
pub use submission::{DocumentRef, EvidenceRef, FrameworkRef, Mapping, Stage, Submission, SubmissionHeader};
