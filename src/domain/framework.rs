//! Frameworks: versioned catalogues of standards grouped in sections.

use serde::{Deserialize, Serialize};

/// A reviewer's (or the panel's) judgement of one standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    PartiallyMet,
    NotMet,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Met, Outcome::PartiallyMet, Outcome::NotMet];

    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::PartiallyMet => "partially_met",
            Outcome::NotMet => "not_met",
        }
    }

    /// How severe a finding it is: met < partially met < not met. The one ranking of outcomes
    /// (leniency warnings, the most severe reviewer).
    pub fn severity(self) -> u8 {
        match self {
            Outcome::Met => 0,
            Outcome::PartiallyMet => 1,
            Outcome::NotMet => 2,
        }
    }

    /// The most severe of `outcomes`.
    pub fn most_severe(outcomes: impl IntoIterator<Item = Outcome>) -> Option<Outcome> {
        outcomes.into_iter().max_by_key(|o| o.severity())
    }

    /// Accepts the stored spelling and the command-line one (`partially-met`).
    pub fn parse(text: &str) -> Option<Outcome> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "met" => Some(Outcome::Met),
            "partially_met" | "partial" => Some(Outcome::PartiallyMet),
            "not_met" => Some(Outcome::NotMet),
            _ => None,
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::PartiallyMet => "partially met",
            Outcome::NotMet => "not met",
        }
    }

    /// A mark that carries the meaning without colour.
    pub fn mark(self) -> &'static str {
        match self {
            Outcome::Met => "✓",
            Outcome::PartiallyMet => "◐",
            Outcome::NotMet => "✗",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub code: String,
    pub title: String,
    pub statement: String,
    #[serde(default)]
    pub guidance: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub title: String,
    pub standards: Vec<Standard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Framework {
    pub id: String,
    pub version: String,
    pub title: String,
    /// `false` for illustrative catalogues, which are shown as such.
    pub official: bool,
    pub note: Option<String>,
    /// Outcomes whose judgement needs a written rationale.
    pub rationale_required: Vec<Outcome>,
    pub sections: Vec<Section>,
}

impl Framework {
    pub fn standards(&self) -> impl Iterator<Item = (&Section, &Standard)> {
        self.sections.iter().flat_map(|section| section.standards.iter().map(move |s| (section, s)))
    }

    pub fn standard(&self, code: &str) -> Option<&Standard> {
        self.standards().map(|(_, s)| s).find(|s| s.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_parses_both_spellings_and_round_trips() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
            assert_eq!(Outcome::parse(&outcome.as_str().replace('_', "-")), Some(outcome));
        }
        assert_eq!(Outcome::parse(" Not-Met "), Some(Outcome::NotMet));
        assert_eq!(Outcome::parse("meh"), None);
    }
}
