//! The chair's consolidation: the panel's outcome per standard, conditions, recommendations,
//! commendations and the decision, with the rules that keep them honest. Reviewer judgements
//! are inputs only: consolidation never changes them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Outcome;

/// The panel's outcome for one standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelOutcome {
    pub standard: String,
    pub outcome: Outcome,
    /// The panel's own words (it may start from a reviewer's).
    pub rationale: String,
    /// Why the panel differs from a reviewer; required when it does.
    #[serde(default)]
    pub resolution_note: String,
    /// Why a partially met or not met standard carries no condition.
    #[serde(default)]
    pub no_condition_reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    Open,
    Met,
    Withdrawn,
}

/// Must be met by its due date for the accreditation to stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// `C1`, `C2`, … in order of creation.
    pub id: String,
    pub standards: Vec<String>,
    pub text: String,
    pub evidence_required: String,
    pub due: Date,
    pub status: ConditionStatus,
    /// When the chair signed it off as met (stamped on saving; cleared if it is opened again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_off_on: Option<Date>,
}

/// Advice (`R1`…) or good practice (`G1`…): no deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: String,
    pub standards: Vec<String>,
    pub text: String,
    /// Withdrawn after a report carrying it was pushed: kept in the history, never in a report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Accredited,
    AccreditedWithConditions,
    NotAccredited,
    /// Decision deferred: further information requested.
    Deferred,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Accredited,
        DecisionKind::AccreditedWithConditions,
        DecisionKind::NotAccredited,
        DecisionKind::Deferred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Accredited => "accredited",
            DecisionKind::AccreditedWithConditions => "accredited_with_conditions",
            DecisionKind::NotAccredited => "not_accredited",
            DecisionKind::Deferred => "deferred",
        }
    }

    pub fn parse(text: &str) -> Option<DecisionKind> {
        let text = text.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|d| d.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Accredited => "Accredited",
            DecisionKind::AccreditedWithConditions => "Accredited with conditions",
            DecisionKind::NotAccredited => "Not accredited",
            DecisionKind::Deferred => "Decision deferred: further information requested",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub kind: DecisionKind,
    /// Why the panel departs from what the rules suggest; required when it does.
    #[serde(default)]
    pub override_reason: String,
    /// When the decision was taken (stamped on saving whenever the decision changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
    /// Deferred: what the panel asks the provider for…
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub requested_information: String,
    /// …and by when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_due: Option<Date>,
}

impl Decision {
    /// A decision with no dates or deferral details yet.
    pub fn new(kind: DecisionKind, override_reason: impl Into<String>) -> Decision {
        Decision {
            kind,
            override_reason: override_reason.into(),
            decided_on: None,
            requested_information: String::new(),
            information_due: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consolidation {
    pub outcomes: Vec<PanelOutcome>,
    pub conditions: Vec<Condition>,
    pub recommendations: Vec<Note>,
    pub commendations: Vec<Note>,
    pub decision: Option<Decision>,
    /// The most conditions the rules allow (`max_conditions` in the chair's config.toml when they
    /// last edited it), kept with the consolidation so the hub and every report apply the same
    /// rules; `None` is the default of 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_conditions: Option<usize>,
}

/// Settings of the decision rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// More conditions than this and the rules suggest refusal (the NMC uses 5).
    pub max_conditions: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { max_conditions: 5 }
    }
}

/// Whether the panel's outcome differs from any reviewer's, so a resolution note is needed.
pub fn needs_resolution_note(panel: Outcome, reviewers: &[Outcome]) -> bool {
    reviewers.iter().any(|&r| r != panel)
}

/// Whether the panel's outcome needs the panel's own rationale: when the framework asks for one
/// with that outcome (its `rationale_required`). A unanimous met in a framework that asks for
/// rationales only where a standard falls short is settled by the outcome alone.
pub fn panel_rationale_required(panel: Outcome, rationale_required: &[Outcome]) -> bool {
    rationale_required.contains(&panel)
}

/// One standard under review as the consolidation's rules see it: its code, every submitted
/// reviewer outcome, and the outcomes its framework asks a rationale for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    pub code: String,
    pub reviewers: Vec<Outcome>,
    pub rationale_required: Vec<Outcome>,
}

/// What removing a record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// Never in a pushed report: gone.
    Removed(String),
    /// A pushed report carried it: kept in the history, out of every report from now on.
    Withdrawn(String),
}

/// A change to a condition, recommendation or commendation; `None` keeps what is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordEdit {
    pub text: Option<String>,
    /// Conditions only.
    pub evidence: Option<String>,
    /// Conditions only.
    pub due: Option<Date>,
    pub standards: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("has no record {id} (its records: {known})")]
    Unknown { id: String, known: String },
    #[error("{0}: only a condition has evidence to send and a due date")]
    NotACondition(String),
    #[error("nothing to change")]
    Nothing,
}

/// Whether the panel is more lenient than its most severe reviewer (a warning, not a block).
pub fn more_lenient_than_most_severe(panel: Outcome, reviewers: &[Outcome]) -> bool {
    Outcome::most_severe(reviewers.iter().copied()).is_some_and(|worst| panel.severity() < worst.severity())
}

/// The next free id with `prefix` (`C`, `R`, `G`) among `taken`.
pub fn next_id<'a>(prefix: char, taken: impl Iterator<Item = &'a str>) -> String {
    let highest = taken.filter_map(|id| id.strip_prefix(prefix)?.parse::<u32>().ok()).max().unwrap_or(0);
    format!("{prefix}{}", highest + 1)
}

impl Consolidation {
    /// The decision rules this consolidation is judged by.
    pub fn rules(&self) -> Rules {
        Rules { max_conditions: self.max_conditions.unwrap_or(Rules::default().max_conditions) }
    }

    pub fn outcome(&self, standard: &str) -> Option<&PanelOutcome> {
        self.outcomes.iter().find(|o| o.standard == standard)
    }

    /// Every record's id: conditions, recommendations, commendations.
    pub fn record_ids(&self) -> Vec<&str> {
        self.conditions
            .iter()
            .map(|c| c.id.as_str())
            .chain(self.recommendations.iter().map(|n| n.id.as_str()))
            .chain(self.commendations.iter().map(|n| n.id.as_str()))
            .collect()
    }

    fn unknown(&self, id: &str) -> RecordError {
        let known = self.record_ids();
        RecordError::Unknown {
            id: id.to_string(),
            known: if known.is_empty() { "none".to_string() } else { known.join(", ") },
        }
    }

    /// Edits a record (its id in any case, `c1`); the id as written. A condition's status and
    /// id never change, so the numbering of the others stays.
    pub fn edit_record(&mut self, id: &str, edit: RecordEdit) -> Result<String, RecordError> {
        if edit == RecordEdit::default() {
            return Err(RecordError::Nothing);
        }
        if let Some(c) = self.conditions.iter_mut().find(|c| c.id.eq_ignore_ascii_case(id)) {
            c.text = edit.text.unwrap_or(std::mem::take(&mut c.text));
            c.evidence_required = edit.evidence.unwrap_or(std::mem::take(&mut c.evidence_required));
            c.due = edit.due.unwrap_or(c.due);
            c.standards = edit.standards.unwrap_or(std::mem::take(&mut c.standards));
            return Ok(c.id.clone());
        }
        let unknown = self.unknown(id);
        let note = self
            .recommendations
            .iter_mut()
            .chain(self.commendations.iter_mut())
            .find(|n| n.id.eq_ignore_ascii_case(id))
            .ok_or(unknown)?;
        if edit.evidence.is_some() || edit.due.is_some() {
            return Err(RecordError::NotACondition(note.id.clone()));
        }
        note.text = edit.text.unwrap_or(std::mem::take(&mut note.text));
        note.standards = edit.standards.unwrap_or(std::mem::take(&mut note.standards));
        Ok(note.id.clone())
    }

    /// Removes a record outright when no pushed report carried one (`pushed` false); after a
    /// push, withdraws it: kept in the history, out of the report, the others' numbers kept.
    pub fn remove_record(&mut self, id: &str, pushed: bool) -> Result<Removed, RecordError> {
        if let Some(at) = self.conditions.iter().position(|c| c.id.eq_ignore_ascii_case(id)) {
            let id = self.conditions[at].id.clone();
            if pushed {
                self.conditions[at].status = ConditionStatus::Withdrawn;
                return Ok(Removed::Withdrawn(id));
            }
            self.conditions.remove(at);
            return Ok(Removed::Removed(id));
        }
        for list in [&mut self.recommendations, &mut self.commendations] {
            if let Some(at) = list.iter().position(|n| n.id.eq_ignore_ascii_case(id)) {
                let id = list[at].id.clone();
                if pushed {
                    list[at].withdrawn = true;
                    return Ok(Removed::Withdrawn(id));
                }
                list.remove(at);
                return Ok(Removed::Removed(id));
            }
        }
        Err(self.unknown(id))
    }

    fn open_conditions(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.iter().filter(|c| c.status != ConditionStatus::Withdrawn)
    }

    /// What the rules suggest: any not met refuses; any partially met or condition needs
    /// conditions; more conditions than the maximum refuses.
    pub fn suggested_decision(&self, rules: Rules) -> DecisionKind {
        let conditions = self.open_conditions().count();
        if self.outcomes.iter().any(|o| o.outcome == Outcome::NotMet) || conditions > rules.max_conditions {
            DecisionKind::NotAccredited
        } else if conditions > 0 || self.outcomes.iter().any(|o| o.outcome == Outcome::PartiallyMet) {
            DecisionKind::AccreditedWithConditions
        } else {
            DecisionKind::Accredited
        }
    }

    /// Whether `kind` contradicts the rules (and so needs an override reason). Deferring is
    /// always open to the panel.
    pub fn contradicts_rules(&self, kind: DecisionKind, rules: Rules) -> bool {
        kind != DecisionKind::Deferred && kind != self.suggested_decision(rules)
    }

    /// Stamps the dates a save makes true: an undated decision keeps the date of the same
    /// decision before it, or is dated today when it is new or changed (a date given explicitly,
    /// as an import does, stays); each condition's sign-off date is set when it became met and
    /// cleared when it is no longer met. One home for both, called by the store on every save.
    pub fn stamp_dates(&mut self, previous: &Consolidation, today: Date) {
        if let Some(decision) = &mut self.decision
            && decision.decided_on.is_none()
        {
            let same = previous.decision.as_ref().filter(|p| {
                p.kind == decision.kind
                    && p.requested_information == decision.requested_information
                    && p.information_due == decision.information_due
            });
            decision.decided_on = Some(same.and_then(|p| p.decided_on).unwrap_or(today));
        }
        for c in &mut self.conditions {
            if c.status != ConditionStatus::Met {
                c.signed_off_on = None;
            } else if c.signed_off_on.is_none() {
                let before = previous.conditions.iter().find(|p| p.id == c.id).and_then(|p| p.signed_off_on);
                c.signed_off_on = Some(before.unwrap_or(today));
            }
        }
    }

    /// Everything that keeps this consolidation from being a complete panel report, given the
    /// standards under review and each standard's reviewer outcomes. Empty means ready to push.
    pub fn problems(&self, standards: &[Judged], rules: Rules) -> Vec<String> {
        let mut problems = Vec::new();
        for Judged { code, reviewers, rationale_required } in standards {
            let Some(outcome) = self.outcome(code) else {
                problems.push(format!("{code}: no panel outcome yet"));
                continue;
            };
            if panel_rationale_required(outcome.outcome, rationale_required) && outcome.rationale.trim().is_empty() {
                problems.push(format!("{code}: the panel outcome has no rationale"));
            }
            if needs_resolution_note(outcome.outcome, reviewers) && outcome.resolution_note.trim().is_empty() {
                problems.push(format!("{code}: differs from a reviewer, so it needs a resolution note"));
            }
            if outcome.outcome != Outcome::Met
                && outcome.no_condition_reason.trim().is_empty()
                && !self.open_conditions().any(|c| c.standards.iter().any(|s| s == code))
            {
                problems.push(format!(
                    "{code}: {} needs a condition or a \"no condition because…\" note",
                    outcome.outcome.label()
                ));
            }
        }
        for c in self.open_conditions() {
            if c.text.trim().is_empty() {
                problems.push(format!("{}: the condition has no text", c.id));
            }
            if c.standards.is_empty() {
                problems.push(format!("{}: the condition is tied to no standard", c.id));
            }
        }
        match &self.decision {
            None => problems.push("no decision yet".to_string()),
            Some(d) if self.contradicts_rules(d.kind, rules) && d.override_reason.trim().is_empty() => {
                problems.push(format!(
                    "the decision \"{}\" departs from the rules' \"{}\": record an override reason",
                    d.kind.label(),
                    self.suggested_decision(rules).label()
                ))
            }
            Some(d) if d.kind == DecisionKind::Deferred => {
                if d.requested_information.trim().is_empty() {
                    problems.push("the decision is deferred: say what information the provider must send".to_string());
                }
                if d.information_due.is_none() {
                    problems.push("the decision is deferred: say by when the information is due".to_string());
                }
            }
            Some(_) => {}
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;

    fn outcome(code: &str, o: Outcome) -> PanelOutcome {
        PanelOutcome {
            standard: code.into(),
            outcome: o,
            rationale: "why".into(),
            resolution_note: String::new(),
            no_condition_reason: String::new(),
        }
    }

    fn condition(id: &str, code: &str) -> Condition {
        Condition {
            id: id.into(),
            standards: vec![code.into()],
            text: "Do it".into(),
            evidence_required: "Letters".into(),
            due: jiff::civil::date(2026, 6, 10),
            status: ConditionStatus::Open,
            signed_off_on: None,
        }
    }

    /// A standard of a framework that asks a rationale for every outcome.
    fn judged(code: &str, reviewers: &[Outcome]) -> Judged {
        Judged { code: code.into(), reviewers: reviewers.to_vec(), rationale_required: vec![Met, PartiallyMet, NotMet] }
    }

    #[test]
    fn the_panel_rationale_is_required_where_the_framework_asks_for_one() {
        let rules = Rules::default();
        let mut c =
            Consolidation { outcomes: vec![outcome("A", Met), outcome("B", PartiallyMet)], ..Default::default() };
        c.outcomes.iter_mut().for_each(|o| o.rationale.clear());
        c.outcomes[1].no_condition_reason = "R1 covers it".into();
        c.decision = Some(Decision::new(DecisionKind::AccreditedWithConditions, ""));
        let shortfalls_only = vec![PartiallyMet, NotMet];
        let standards = vec![
            Judged { code: "A".into(), reviewers: vec![Met, Met], rationale_required: shortfalls_only.clone() },
            Judged { code: "B".into(), reviewers: vec![PartiallyMet], rationale_required: shortfalls_only },
        ];
        assert_eq!(c.problems(&standards, rules), ["B: the panel outcome has no rationale"], "a met needs none here");
        assert!(panel_rationale_required(NotMet, &[PartiallyMet, NotMet]));
        assert!(!panel_rationale_required(Met, &[PartiallyMet, NotMet]));
    }

    #[test]
    fn records_are_edited_and_removed_before_a_push_withdrawn_after() {
        let mut c =
            Consolidation { conditions: vec![condition("C1", "A"), condition("C2", "A")], ..Default::default() };
        c.recommendations.push(Note {
            id: "R1".into(),
            standards: vec!["A".into()],
            text: "Do".into(),
            withdrawn: false,
        });
        let edit = RecordEdit {
            text: Some("Publish it.".into()),
            standards: Some(vec!["A".into(), "B".into()]),
            ..Default::default()
        };
        assert_eq!(c.edit_record("c2", edit), Ok("C2".to_string()), "any case");
        assert_eq!((c.conditions[1].text.as_str(), c.conditions[1].standards.len()), ("Publish it.", 2));
        assert_eq!(c.conditions[1].evidence_required, "Letters", "what is not given stays");
        let due = RecordEdit { due: Some(jiff::civil::date(2027, 1, 1)), ..Default::default() };
        assert_eq!(c.edit_record("R1", due), Err(RecordError::NotACondition("R1".into())));
        assert_eq!(c.edit_record("C1", RecordEdit::default()), Err(RecordError::Nothing));
        assert!(matches!(
            c.edit_record("C9", RecordEdit { text: Some("x".into()), ..Default::default() }),
            Err(RecordError::Unknown { .. })
        ));
        assert_eq!(c.remove_record("C1", true), Ok(Removed::Withdrawn("C1".into())));
        assert_eq!(c.conditions[0].status, ConditionStatus::Withdrawn, "kept in the history");
        assert_eq!(c.remove_record("R1", false), Ok(Removed::Removed("R1".into())));
        assert!(c.recommendations.is_empty());
        assert_eq!(c.remove_record("C2", false), Ok(Removed::Removed("C2".into())));
        assert_eq!(next_id('C', c.conditions.iter().map(|c| c.id.as_str())), "C2", "the withdrawn C1 keeps its number");
    }

    #[test]
    fn resolution_notes_and_leniency() {
        assert!(!needs_resolution_note(Met, &[Met, Met]));
        assert!(needs_resolution_note(Met, &[Met, PartiallyMet]));
        assert!(more_lenient_than_most_severe(PartiallyMet, &[PartiallyMet, Met, NotMet]));
        assert!(!more_lenient_than_most_severe(NotMet, &[PartiallyMet, NotMet]));
        assert!(!more_lenient_than_most_severe(Met, &[]));
    }

    #[test]
    fn the_rules_suggest_a_decision() {
        let rules = Rules::default();
        let mut c = Consolidation { outcomes: vec![outcome("A", Met), outcome("B", Met)], ..Default::default() };
        assert_eq!(c.suggested_decision(rules), DecisionKind::Accredited);
        c.outcomes[1].outcome = PartiallyMet;
        assert_eq!(c.suggested_decision(rules), DecisionKind::AccreditedWithConditions);
        c.outcomes[1].outcome = Met;
        c.conditions.push(condition("C1", "A"));
        assert_eq!(c.suggested_decision(rules), DecisionKind::AccreditedWithConditions, "a condition means conditions");
        c.outcomes[0].outcome = NotMet;
        assert_eq!(c.suggested_decision(rules), DecisionKind::NotAccredited);
        c.outcomes[0].outcome = Met;
        for i in 2..=6 {
            c.conditions.push(condition(&format!("C{i}"), "A"));
        }
        assert_eq!(
            c.suggested_decision(rules),
            DecisionKind::NotAccredited,
            "six conditions is over the maximum of five"
        );
        assert_eq!(c.suggested_decision(Rules { max_conditions: 6 }), DecisionKind::AccreditedWithConditions);
    }

    #[test]
    fn a_contradicting_decision_needs_an_override_reason() {
        let rules = Rules::default();
        let mut c = Consolidation { outcomes: vec![outcome("A", NotMet)], ..Default::default() };
        c.conditions.push(condition("C1", "A"));
        let standards = vec![judged("A", &[NotMet, NotMet])];
        c.decision = Some(Decision::new(DecisionKind::Accredited, ""));
        assert!(c.problems(&standards, rules).iter().any(|p| p.contains("override reason")));
        c.decision = Some(Decision::new(DecisionKind::Accredited, "Appeal upheld"));
        assert_eq!(c.problems(&standards, rules), Vec::<String>::new());
        c.decision = Some(Decision::new(DecisionKind::Deferred, ""));
        let problems = c.problems(&standards, rules);
        assert!(problems.iter().any(|p| p.contains("what information")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("by when")), "{problems:?}");
        c.decision = Some(Decision {
            requested_information: "The placement agreements for 2026".into(),
            information_due: Some(jiff::civil::date(2026, 5, 1)),
            ..Decision::new(DecisionKind::Deferred, "")
        });
        assert_eq!(c.problems(&standards, rules), Vec::<String>::new(), "deferring needs no override");
    }

    #[test]
    fn every_gap_in_a_consolidation_is_listed() {
        let rules = Rules::default();
        let mut c = Consolidation { outcomes: vec![outcome("A", PartiallyMet)], ..Default::default() };
        let standards = vec![judged("A", &[Met, Met]), judged("B", &[Met])];
        let problems = c.problems(&standards, rules);
        assert!(problems.iter().any(|p| p.starts_with("A: differs")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("A: partially met needs a condition")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("B: no panel outcome")), "{problems:?}");
        assert!(problems.iter().any(|p| p == "no decision yet"), "{problems:?}");
        c.outcomes[0].no_condition_reason = "Addressed by R1".into();
        c.outcomes[0].resolution_note = "Both reviewers missed E05".into();
        assert!(!c.problems(&standards, rules).iter().any(|p| p.starts_with("A:")));
    }

    #[test]
    fn saving_stamps_the_decision_date_and_sign_off_dates() {
        let (day1, day2) = (jiff::civil::date(2026, 3, 1), jiff::civil::date(2026, 3, 9));
        let empty = Consolidation::default();
        let mut c = Consolidation { conditions: vec![condition("C1", "A")], ..Default::default() };
        c.decision = Some(Decision::new(DecisionKind::AccreditedWithConditions, ""));
        c.stamp_dates(&empty, day1);
        assert_eq!(c.decision.as_ref().unwrap().decided_on, Some(day1));
        assert_eq!(c.conditions[0].signed_off_on, None, "an open condition has no sign-off date");
        let before = c.clone();
        let mut later = before.clone();
        later.decision.as_mut().unwrap().decided_on = None;
        later.conditions[0].status = ConditionStatus::Met;
        later.stamp_dates(&before, day2);
        assert_eq!(later.decision.as_ref().unwrap().decided_on, Some(day1), "the same decision keeps its date");
        assert_eq!(later.conditions[0].signed_off_on, Some(day2));
        let signed = later.clone();
        let mut again = signed.clone();
        again.decision = Some(Decision::new(DecisionKind::NotAccredited, "x"));
        again.stamp_dates(&signed, jiff::civil::date(2026, 4, 1));
        assert_eq!(again.decision.as_ref().unwrap().decided_on, Some(jiff::civil::date(2026, 4, 1)));
        assert_eq!(again.conditions[0].signed_off_on, Some(day2), "a sign-off keeps its first date");
        again.conditions[0].status = ConditionStatus::Open;
        again.stamp_dates(&signed, day2);
        assert_eq!(again.conditions[0].signed_off_on, None, "opened again: no longer signed off");
    }

    #[test]
    fn ids_count_up_per_kind() {
        assert_eq!(next_id('C', ["C1", "C2", "R7"].into_iter()), "C3");
        assert_eq!(next_id('R', std::iter::empty()), "R1");
    }
}
