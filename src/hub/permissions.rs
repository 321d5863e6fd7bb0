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
    /// Every member of the panel: the author of a judgement may have been recused since.
    pub members: &'a [Member],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// The submission, its panel and documents (a limited member: their standards only).
    ReadSubmission,
    ReadJudgement {
        reviewer: &'a str,
        standard: &'a str,
        state: JudgementState,
    },
    /// Write the caller's own judgement of `standard`; `current` is the hub's state of it, and
    /// `unchanged` says the write repeats it exactly (a second machine sending the same submission).
    WriteJudgement {
        standard: &'a str,
        current: Option<JudgementState>,
        unchanged: bool,
    },
    /// The chair's consolidation and the reports pushed so far.
    ReadConsolidation,
    /// Write the consolidation or push a panel report.
    WriteConsolidation,
    /// The panel reports the chair pushed: the chair, the office, and the voting members who
    /// confirm them (once they have submitted theirs, so nothing is revealed early). `record`:
    /// the panel's record, whose appendix holds every reviewer's judgement of every standard,
    /// which a member limited to some standards does not read (the provider's report they do).
    ReadReport {
        record: bool,
    },
}

impl Action<'_> {
    /// Whether deciding this action for `user` reads `PanelContext::submitted_all`: only
    /// reading another's judgement or a report does, so the rest need not work it out (a
    /// query over the caller's judgements, a sixth of a push's time on the writer).
    pub fn depends_on_submitted_all(&self, user: &str) -> bool {
        match self {
            Action::ReadJudgement { reviewer, .. } => *reviewer != user,
            Action::ReadReport { .. } => true,
            Action::ReadSubmission
            | Action::WriteJudgement { .. }
            | Action::ReadConsolidation
            | Action::WriteConsolidation => false,
        }
    }
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
        // No panel yet: the office reads the submission, never a draft, and nobody writes.
        let office_reads = match action {
            Action::ReadSubmission | Action::ReadConsolidation | Action::ReadReport { .. } => true,
            Action::ReadJudgement { state, .. } => state != JudgementState::Draft,
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
        // Someone off the panel learns nothing, not even that the submission exists: the same
        // answer as for a submission that does not.
        Action::ReadConsolidation | Action::WriteConsolidation | Action::ReadReport { .. }
            if !(actor.admin || is_chair || member.is_some()) =>
        {
            Deny("not on this panel")
        }
        Action::ReadReport { .. } if actor.admin || is_chair => Allow,
        Action::ReadReport { record } => match member {
            Some(m) if m.role.votes() && !panel.submitted_all => {
                Deny("the report is read once you have submitted your judgements")
            }
            Some(m) if m.role.votes() && record && m.standards.is_some() => {
                Deny("the panel's record holds judgements of standards you do not judge: read the provider's report")
            }
            Some(m) if m.role.votes() => Allow,
            _ => Deny("only the panel's voting members confirm its report"),
        },
        Action::ReadConsolidation if actor.admin || is_chair => Allow,
        Action::WriteConsolidation if is_chair && panel.stage.allows_consolidation() => Allow,
        Action::WriteConsolidation if is_chair => {
            Deny("the panel's outcomes are recorded only at the panel review stage")
        }
        Action::ReadConsolidation | Action::WriteConsolidation => Deny("only the panel's chair consolidates"),
        Action::ReadSubmission => {
            if actor.admin || is_chair || member.is_some() {
                Allow
            } else {
                Deny("not on this panel")
            }
        }
        Action::ReadJudgement { reviewer, standard, state } => {
            if reviewer == actor.user {
                return if member.is_some() { Allow } else { Deny("not on this panel") };
            }
            if state == JudgementState::Draft {
                return Deny("drafts are seen by their author only");
            }
            if panel.members.iter().any(|m| m.user == reviewer && m.recused) {
                return Deny("the author is recused from this submission");
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
        Action::WriteJudgement { standard, current, unchanged } => {
            let Some(m) = member else {
                return if is_chair { Deny("the chair does not judge standards") } else { Deny("not on this panel") };
            };
            if m.role == MemberRole::Officer || !m.judges(standard) {
                Deny("not one of your standards")
            } else if unchanged && current == Some(JudgementState::Submitted) {
                // The same submission again (from a second machine) is not an edit: a no-op,
                // allowed only to the member who may write it.
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
        let members: Vec<Member> = member.iter().cloned().chain([recused_author()]).collect();
        let panel = PanelContext {
            chair: if who == Who::Chair { "me" } else { "the-chair" },
            member: member.as_ref(),
            stage,
            submitted_all,
            members: &members,
        };
        decide(Actor { user: "me", admin: who == Who::Admin }, Some(&panel), action).allowed()
    }

    /// A reviewer recused after writing judgements.
    fn recused_author() -> Member {
        Member {
            user: "recused-author".into(),
            role: MemberRole::Reviewer,
            standards: None,
            recused: true,
            recusal_reason: Some("a conflict of interest declared late".into()),
        }
    }

    fn read(who: Who, submitted_all: bool, reviewer: &str, standard: &str, state: JudgementState) -> bool {
        check(who, submitted_all, Stage::StandardsReview, Action::ReadJudgement { reviewer, standard, state })
    }

    /// The feed works out whether the caller has submitted all theirs only when it reads
    /// another's judgement or a report (`feed::Visibility`): no other decision may depend on it.
    #[test]
    fn only_reading_anothers_judgement_or_a_report_depends_on_having_submitted_all() {
        let stages = [
            Stage::Submitted,
            Stage::ThresholdReview,
            Stage::Returned,
            Stage::StandardsReview,
            Stage::PanelReview,
            Stage::Decided,
        ];
        let mut actions = vec![Action::ReadSubmission, Action::ReadConsolidation, Action::WriteConsolidation];
        for state in [Draft, Submitted] {
            actions.push(Action::ReadJudgement { reviewer: "me", standard: "SET 1", state });
        }
        for current in [None, Some(Draft), Some(Submitted)] {
            for unchanged in [false, true] {
                actions.push(Action::WriteJudgement { standard: "SET 1", current, unchanged });
            }
        }
        for who in EVERYONE {
            for stage in stages {
                for action in &actions {
                    assert_eq!(
                        check(who, true, stage, *action),
                        check(who, false, stage, *action),
                        "{who:?} {stage:?} {action:?}"
                    );
                }
            }
        }
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
    fn a_member_recused_later_has_their_judgements_hidden_from_everyone() {
        for who in EVERYONE {
            for submitted_all in [false, true] {
                assert!(!read(who, submitted_all, "recused-author", "SET 1", Submitted), "{who:?}");
            }
        }
    }

    #[test]
    fn the_same_submitted_judgement_again_is_allowed_only_to_its_writer() {
        let again = |who, standard, stage| {
            check(who, true, stage, Action::WriteJudgement { standard, current: Some(Submitted), unchanged: true })
        };
        for who in EVERYONE {
            let expected = matches!(who, Who::Reviewer | Who::LimitedLay);
            assert_eq!(again(who, "SET 1", Stage::StandardsReview), expected, "{who:?}");
            assert_eq!(again(who, "SET 1", Stage::Decided), expected, "{who:?} after the review closed: a no-op");
        }
        assert!(!again(Who::LimitedLay, "MPF 1.1", Stage::StandardsReview), "not the lay member's standard");
        let changed = check(
            Who::Reviewer,
            true,
            Stage::StandardsReview,
            Action::WriteJudgement { standard: "SET 1", current: Some(Submitted), unchanged: false },
        );
        assert!(!changed, "an edit of a submitted judgement is refused");
    }

    #[test]
    fn off_the_panel_a_consolidation_is_refused_as_if_the_submission_did_not_exist() {
        let missing = decide(Actor { user: "me", admin: false }, None, Action::WriteConsolidation);
        let members: Vec<Member> = Vec::new();
        let panel = PanelContext {
            chair: "the-chair",
            member: None,
            stage: Stage::PanelReview,
            submitted_all: false,
            members: &members,
        };
        for action in [Action::WriteConsolidation, Action::ReadConsolidation] {
            let existing = decide(Actor { user: "me", admin: false }, Some(&panel), action);
            assert_eq!(existing, missing, "{action:?}");
        }
    }

    #[test]
    fn the_consolidation_is_written_only_at_the_panel_review_stage() {
        for stage in Stage::ALL {
            let allowed = check(Who::Chair, true, stage, Action::WriteConsolidation);
            assert_eq!(allowed, stage == Stage::PanelReview, "{stage:?}");
        }
    }

    #[test]
    fn writing_judgements() {
        let write = |who, standard, current, stage| {
            check(who, false, stage, Action::WriteJudgement { standard, current, unchanged: false })
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
            }
        }
    }

    #[test]
    fn the_pushed_reports_are_read_by_the_chair_the_office_and_members_who_have_submitted_a_limited_one_without_the_record()
     {
        for who in EVERYONE {
            for submitted_all in [false, true] {
                for record in [false, true] {
                    let read = check(who, submitted_all, Stage::PanelReview, Action::ReadReport { record });
                    let expected = match who {
                        Who::Admin | Who::Chair => true,
                        Who::Reviewer => submitted_all,
                        // The record's appendix has others' judgements of standards they do not judge.
                        Who::LimitedLay => submitted_all && !record,
                        _ => false,
                    };
                    assert_eq!(read, expected, "{who:?}, submitted all: {submitted_all}, record: {record}");
                }
            }
        }
    }

    /// What `depends_on_submitted_all` lets callers skip cannot change a decision.
    #[test]
    fn only_the_actions_said_to_depend_on_having_submitted_all_do() {
        let actions = [
            Action::ReadSubmission,
            Action::ReadJudgement { reviewer: "me", standard: "SET 1", state: Draft },
            Action::ReadJudgement { reviewer: "me", standard: "SET 1", state: Submitted },
            Action::ReadJudgement { reviewer: "other", standard: "SET 1", state: Submitted },
            Action::ReadJudgement { reviewer: "other", standard: "SET 2", state: Submitted },
            Action::WriteJudgement { standard: "SET 1", current: None, unchanged: false },
            Action::WriteJudgement { standard: "SET 1", current: Some(Draft), unchanged: false },
            Action::WriteJudgement { standard: "SET 1", current: Some(Submitted), unchanged: true },
            Action::WriteJudgement { standard: "SET 2", current: Some(Submitted), unchanged: false },
            Action::ReadConsolidation,
            Action::WriteConsolidation,
            Action::ReadReport { record: false },
            Action::ReadReport { record: true },
        ];
        for who in EVERYONE {
            for stage in Stage::ALL {
                for action in actions {
                    if !action.depends_on_submitted_all("me") {
                        assert_eq!(
                            check(who, false, stage, action),
                            check(who, true, stage, action),
                            "{who:?} at {stage:?}: {action:?}"
                        );
                    }
                }
            }
        }
        // And the two that do are not idle claims.
        let other = Action::ReadJudgement { reviewer: "other", standard: "SET 1", state: Submitted };
        assert_ne!(
            check(Who::Reviewer, false, Stage::StandardsReview, other),
            check(Who::Reviewer, true, Stage::StandardsReview, other)
        );
        let report = Action::ReadReport { record: false };
        assert_ne!(
            check(Who::Reviewer, false, Stage::PanelReview, report),
            check(Who::Reviewer, true, Stage::PanelReview, report)
        );
    }

    #[test]
    fn without_a_panel_only_an_admin_reads_and_never_a_draft() {
        let none = |admin, action| decide(Actor { user: "me", admin }, None, action).allowed();
        assert!(none(true, Action::ReadSubmission));
        assert!(!none(false, Action::ReadSubmission));
        assert!(!none(true, Action::WriteJudgement { standard: "SET 1", current: None, unchanged: false }));
        assert!(!none(true, Action::WriteConsolidation));
        let judgement = |state| Action::ReadJudgement { reviewer: "someone", standard: "SET 1", state };
        assert!(none(true, judgement(Submitted)));
        assert!(!none(true, judgement(Draft)), "an admin never reads a draft");
        assert!(!none(false, judgement(Submitted)));
    }
}
