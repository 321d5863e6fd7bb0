//! Who may see and change what: one function, asked by every handler, with its checks in a
//! fixed order (docs/sync-protocol.md §8).

use crate::domain::{JudgementState, Member, MemberRole, Stage};

/// The caller as the permission check sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    pub user: &'a str,
    pub admin: bool,
}

/// What the caller is on one submission's panel, and whether they have submitted all theirs.
#[derive(Debug, Clone, Copy)]
pub struct PanelContext<'a> {
    pub chair: &'a str,
    /// The caller's membership, if any.
    pub member: Option<&'a Member>,
    pub stage: Stage,
    /// Whether the caller has submitted every judgement they owe on this submission.
    pub submitted_all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// The submission, its panel and documents (a limited member: their standards only).
    ReadSubmission,
    ReadJudgement {
        reviewer: &'a str,
        standard: &'a str,
        state: JudgementState,
        /// Whether `reviewer` is (now) recused from the submission: their judgements are no
        /// longer shown to anyone but themselves.
        reviewer_recused: bool,
    },
    /// Write the caller's own judgement of `standard`; `current` is the hub's state of it.
    /// `resubmits`: the write is the submitted judgement the hub already holds, sent again (from
    /// a second machine); it is not an edit, so only "submitted and read-only" gives way to it.
    WriteJudgement { standard: &'a str, current: Option<JudgementState>, resubmits: bool },
    /// The chair's consolidation and the reports pushed so far.
    ReadConsolidation,
    /// Write the consolidation or push a panel report.
    WriteConsolidation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(&'static str),
}

impl Decision {
    pub fn allowed(&self) -> bool {
        *self == Decision::Allow
    }
}

/// Decides whether `actor` may do `action` on a submission whose panel context is `panel`
/// (`None`: the submission has no panel, or does not exist).
pub fn decide(actor: Actor<'_>, panel: Option<&PanelContext<'_>>, action: Action<'_>) -> Decision {
    use Decision::{Allow, Deny};
    let Some(panel) = panel else {
        // No panel: nobody is a member, so nobody writes, and drafts have no reader.
        let office_reads = match action {
            Action::ReadSubmission | Action::ReadConsolidation => true,
            Action::ReadJudgement { state, .. } => state == JudgementState::Submitted,
            Action::WriteJudgement { .. } | Action::WriteConsolidation => false,
        };
        return if actor.admin && office_reads { Allow } else { Deny("not on this panel") };
    };
    let is_chair = panel.chair == actor.user;
    let member = panel.member.filter(|m| m.user == actor.user);
    if member.is_some_and(|m| m.recused) {
        return Deny("recused from this submission");
    }
    match action {
        Action::ReadConsolidation if actor.admin || is_chair => Allow,
        Action::WriteConsolidation if is_chair && panel.stage == Stage::PanelReview => Allow,
        Action::WriteConsolidation if is_chair => Deny("the consolidation is written only at panel review"),
        // Someone off the panel is told what they would be told of a submission that does not
        // exist, so the answer reveals nothing about it.
        Action::ReadConsolidation | Action::WriteConsolidation if member.is_none() && !actor.admin => {
            Deny("not on this panel")
        }
        Action::ReadConsolidation | Action::WriteConsolidation => Deny("only the panel's chair consolidates"),
        Action::ReadSubmission => {
            if actor.admin || is_chair || member.is_some() {
                Allow
            } else {
                Deny("not on this panel")
            }
        }
        Action::ReadJudgement { reviewer, standard, state, reviewer_recused } => {
            if reviewer == actor.user {
                return if member.is_some() { Allow } else { Deny("not on this panel") };
            }
            if state == JudgementState::Draft {
                return Deny("drafts are seen by their author only");
            }
            if reviewer_recused {
                return Deny("the judgement's author is recused from this submission");
            }
            if actor.admin || is_chair {
                return Allow;
            }
            match member {
                Some(m) if m.role.votes() && panel.submitted_all && judges_or_unlimited(m, standard) => Allow,
                Some(m) if m.role.votes() && !panel.submitted_all => {
                    Deny("others' judgements are hidden until you submit yours")
                }
                Some(_) => Deny("not a judge of this standard"),
                None => Deny("not on this panel"),
            }
        }
        Action::WriteJudgement { standard, current, resubmits } => {
            let Some(m) = member else {
                return if is_chair { Deny("the chair does not judge standards") } else { Deny("not on this panel") };
            };
            if m.role == MemberRole::Officer || !m.judges(standard) {
                Deny("not one of your standards")
            } else if resubmits && current == Some(JudgementState::Submitted) {
                // The same submitted judgement again changes nothing, whatever the stage now.
                Allow
            } else if !panel.stage.allows_judging() {
                Deny("the review is closed at this stage")
            } else if current == Some(JudgementState::Submitted) {
                Deny("the judgement is submitted and read-only")
            } else {
                Allow
            }
        }
    }
}

fn judges_or_unlimited(member: &Member, standard: &str) -> bool {
    member.standards.as_ref().is_none_or(|limited| limited.iter().any(|s| s == standard))
}

#[cfg(test)]
mod tests {
    use super::*;
    use JudgementState::{Draft, Submitted};

    /// Who the caller is relative to the submission.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Who {
        Admin,
        Chair,
        Reviewer,
        LimitedLay,
        Officer,
        Recused,
        Unassigned,
    }

    const EVERYONE: [Who; 7] =
        [Who::Admin, Who::Chair, Who::Reviewer, Who::LimitedLay, Who::Officer, Who::Recused, Who::Unassigned];

    fn member(who: Who) -> Option<Member> {
        let (role, standards, recused) = match who {
            Who::Reviewer => (MemberRole::Reviewer, None, false),
            Who::LimitedLay => (MemberRole::Lay, Some(vec!["SET 1".to_string()]), false),
            Who::Officer => (MemberRole::Officer, None, false),
            Who::Recused => (MemberRole::Reviewer, None, true),
            Who::Admin | Who::Chair | Who::Unassigned => return None,
        };
        Some(Member { user: "me".into(), role, standards, recused, recusal_reason: None })
    }

    fn check(who: Who, submitted_all: bool, stage: Stage, action: Action<'_>) -> bool {
        let member = member(who);
        let panel = PanelContext {
            chair: if who == Who::Chair { "me" } else { "the-chair" },
            member: member.as_ref(),
            stage,
            submitted_all,
        };
        decide(Actor { user: "me", admin: who == Who::Admin }, Some(&panel), action).allowed()
    }

    fn read(who: Who, submitted_all: bool, reviewer: &str, standard: &str, state: JudgementState) -> bool {
        let action = Action::ReadJudgement { reviewer, standard, state, reviewer_recused: false };
        check(who, submitted_all, Stage::StandardsReview, action)
    }

    #[test]
    fn reading_the_submission() {
        for who in EVERYONE {
            let expected = matches!(who, Who::Admin | Who::Chair | Who::Reviewer | Who::LimitedLay | Who::Officer);
            assert_eq!(check(who, false, Stage::StandardsReview, Action::ReadSubmission), expected, "{who:?}");
        }
    }

    #[test]
    fn reading_my_own_judgements_drafts_included() {
        for who in EVERYONE {
            let expected = matches!(who, Who::Reviewer | Who::LimitedLay | Who::Officer);
            for state in [Draft, Submitted] {
                assert_eq!(read(who, false, "me", "SET 1", state), expected, "{who:?} {state:?}");
            }
        }
    }

    #[test]
    fn nobody_reads_another_members_draft() {
        for who in EVERYONE {
            for submitted_all in [false, true] {
                assert!(!read(who, submitted_all, "other", "SET 1", Draft), "{who:?}");
            }
        }
    }

    #[test]
    fn others_submitted_judgements_after_submitting_mine() {
        for who in EVERYONE {
            for submitted_all in [false, true] {
                let expected = match who {
                    Who::Admin | Who::Chair => true,
                    Who::Reviewer | Who::LimitedLay => submitted_all,
                    Who::Officer | Who::Recused | Who::Unassigned => false,
                };
                assert_eq!(read(who, submitted_all, "other", "SET 1", Submitted), expected, "{who:?} {submitted_all}");
            }
        }
    }

    #[test]
    fn a_limited_member_sees_others_only_on_their_standards() {
        assert!(read(Who::LimitedLay, true, "other", "SET 1", Submitted));
        assert!(!read(Who::LimitedLay, true, "other", "MPF 1.1", Submitted));
        assert!(read(Who::Reviewer, true, "other", "MPF 1.1", Submitted));
    }

    #[test]
    fn writing_judgements() {
        let write = |who, standard, current, stage| {
            check(who, false, stage, Action::WriteJudgement { standard, current, resubmits: false })
        };
        for who in EVERYONE {
            let expected = matches!(who, Who::Reviewer | Who::LimitedLay);
            assert_eq!(write(who, "SET 1", None, Stage::StandardsReview), expected, "{who:?} new");
            assert_eq!(write(who, "SET 1", Some(Draft), Stage::StandardsReview), expected, "{who:?} draft");
            assert!(!write(who, "SET 1", Some(Submitted), Stage::StandardsReview), "{who:?} submitted is read-only");
            assert!(!write(who, "SET 1", None, Stage::Returned), "{who:?} returned at threshold");
        }
        assert!(!write(Who::LimitedLay, "MPF 1.1", None, Stage::StandardsReview), "outside the lay member's standards");
        assert!(write(Who::Reviewer, "MPF 1.1", None, Stage::PanelReview));
    }

    #[test]
    fn only_the_chair_writes_the_consolidation_and_the_office_reads_it() {
        for who in EVERYONE {
            for submitted_all in [false, true] {
                let read = check(who, submitted_all, Stage::PanelReview, Action::ReadConsolidation);
                let write = check(who, submitted_all, Stage::PanelReview, Action::WriteConsolidation);
                assert_eq!(read, matches!(who, Who::Admin | Who::Chair), "{who:?} reads");
                assert_eq!(write, who == Who::Chair, "{who:?} writes");
                // Finding 2: a report was pushed for a submission returned at threshold.
                for stage in
                    [Stage::Submitted, Stage::ThresholdReview, Stage::Returned, Stage::StandardsReview, Stage::Decided]
                {
                    assert!(!check(who, submitted_all, stage, Action::WriteConsolidation), "{who:?} at {stage:?}");
                }
            }
        }
    }

    #[test]
    fn without_a_panel_only_an_admin_reads() {
        let none = |admin, action| decide(Actor { user: "me", admin }, None, action).allowed();
        assert!(none(true, Action::ReadSubmission));
        assert!(!none(false, Action::ReadSubmission));
        assert!(!none(true, Action::WriteJudgement { standard: "SET 1", current: None, resubmits: false }));
    }

    /// Finding 4: a consolidation op on a submission that exists and is not yours was answered
    /// unlike one on a submission that does not exist.
    #[test]
    fn off_the_panel_a_consolidation_is_refused_as_if_the_submission_did_not_exist() {
        let absent = decide(Actor { user: "me", admin: false }, None, Action::WriteConsolidation);
        for action in [Action::WriteConsolidation, Action::ReadConsolidation] {
            let panel =
                PanelContext { chair: "the-chair", member: None, stage: Stage::PanelReview, submitted_all: false };
            let present = decide(Actor { user: "me", admin: false }, Some(&panel), action);
            assert_eq!(present, absent, "{action:?}");
        }
    }

    /// Finding 5: the no-panel branch let an admin read drafts.
    #[test]
    fn without_a_panel_nobody_reads_a_draft() {
        for admin in [true, false] {
            let read = |state| {
                let action =
                    Action::ReadJudgement { reviewer: "other", standard: "SET 1", state, reviewer_recused: false };
                decide(Actor { user: "me", admin }, None, action).allowed()
            };
            assert!(!read(Draft), "admin {admin}: a draft has no reader without a panel");
            assert_eq!(read(Submitted), admin, "admin {admin}: the office reads submitted judgements");
        }
    }

    /// Finding 5: resubmitting the same submitted judgement turned any Deny into Allow.
    #[test]
    fn resubmitting_the_same_judgement_overrides_only_read_only() {
        let write = |who, standard, stage| {
            let action = Action::WriteJudgement { standard, current: Some(Submitted), resubmits: true };
            check(who, false, stage, action)
        };
        for who in EVERYONE {
            let expected = matches!(who, Who::Reviewer | Who::LimitedLay);
            for stage in [Stage::StandardsReview, Stage::PanelReview, Stage::Returned] {
                assert_eq!(write(who, "SET 1", stage), expected, "{who:?} at {stage:?}");
            }
        }
        assert!(!write(Who::LimitedLay, "MPF 1.1", Stage::StandardsReview), "outside the lay member's standards");
    }

    /// Finding 5: a member recused after judging still had their judgements in the chair's feed.
    #[test]
    fn a_recused_members_judgements_are_seen_by_nobody_else() {
        for who in EVERYONE {
            for submitted_all in [false, true] {
                let action = Action::ReadJudgement {
                    reviewer: "other",
                    standard: "SET 1",
                    state: Submitted,
                    reviewer_recused: true,
                };
                assert!(!check(who, submitted_all, Stage::PanelReview, action), "{who:?} {submitted_all}");
            }
        }
        let own = Action::ReadJudgement { reviewer: "me", standard: "SET 1", state: Submitted, reviewer_recused: true };
        assert!(!check(Who::Recused, true, Stage::PanelReview, own), "recused: nothing of the submission");
    }
}
