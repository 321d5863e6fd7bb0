//! Judgements: one reviewer's outcome and rationale for one standard of one submission.

use serde::{Deserialize, Serialize};

use super::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JudgementState {
    Draft,
    Submitted,
}

impl JudgementState {
    pub fn as_str(self) -> &'static str {
        match self {
            JudgementState::Draft => "draft",
            JudgementState::Submitted => "submitted",
        }
    }

    pub fn parse(text: &str) -> Option<JudgementState> {
        match text {
            "draft" => Some(JudgementState::Draft),
            "submitted" => Some(JudgementState::Submitted),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgement {
    pub submission: String,
    pub standard: String,
    pub reviewer: String,
    pub outcome: Option<Outcome>,
    /// Plain text: what the reviewer types is what the report prints.
    pub rationale: String,
    pub state: JudgementState,
    pub version: i64,
    pub updated_at: String,
}

/// What keeps a judgement from being submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    NoOutcome,
    /// The framework needs a rationale for this outcome and there is none.
    RationaleRequired(Outcome),
}

impl Gap {
    /// Finds the gap, if any, in a judgement (or in its absence: `None` outcome).
    pub fn of(outcome: Option<Outcome>, rationale: &str, required: &[Outcome]) -> Option<Gap> {
        match outcome {
            None => Some(Gap::NoOutcome),
            Some(o) if required.contains(&o) && rationale.trim().is_empty() => Some(Gap::RationaleRequired(o)),
            Some(_) => None,
        }
    }

    pub fn describe(self) -> String {
        match self {
            Gap::NoOutcome => "no outcome yet".to_string(),
            Gap::RationaleRequired(o) => format!("{} needs a rationale", o.label()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: [Outcome; 2] = [Outcome::PartiallyMet, Outcome::NotMet];

    #[test]
    fn a_missing_outcome_is_a_gap() {
        assert_eq!(Gap::of(None, "text", &REQUIRED), Some(Gap::NoOutcome));
    }

    #[test]
    fn a_required_rationale_that_is_blank_is_a_gap() {
        assert_eq!(Gap::of(Some(Outcome::NotMet), " \n\t", &REQUIRED), Some(Gap::RationaleRequired(Outcome::NotMet)));
        assert_eq!(Gap::of(Some(Outcome::NotMet), "why", &REQUIRED), None);
    }

    #[test]
    fn met_needs_no_rationale_unless_the_framework_says_so() {
        assert_eq!(Gap::of(Some(Outcome::Met), "", &REQUIRED), None);
        assert_eq!(Gap::of(Some(Outcome::Met), "", &Outcome::ALL), Some(Gap::RationaleRequired(Outcome::Met)));
    }
}
