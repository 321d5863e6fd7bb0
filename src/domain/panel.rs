//! Panels: who reviews a submission, who chairs it, and who may see what.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub background: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Chair,
    Reviewer,
    /// A lay / patient-public-voice member: votes, often on some standards only.
    Lay,
    /// A Centre officer: runs the threshold review, does not vote.
    Officer,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Chair => "chair",
            MemberRole::Reviewer => "reviewer",
            MemberRole::Lay => "lay",
            MemberRole::Officer => "officer",
        }
    }

    pub fn parse(text: &str) -> Option<MemberRole> {
        match text {
            "chair" => Some(MemberRole::Chair),
            "reviewer" => Some(MemberRole::Reviewer),
            "lay" => Some(MemberRole::Lay),
            "officer" => Some(MemberRole::Officer),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberRole::Chair => "chair",
            MemberRole::Reviewer => "reviewer",
            MemberRole::Lay => "lay member",
            MemberRole::Officer => "officer",
        }
    }

    pub fn votes(self) -> bool {
        matches!(self, MemberRole::Reviewer | MemberRole::Lay)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Member {
    pub user: String,
    pub role: MemberRole,
    /// When present, the member judges only these standards.
    pub standards: Option<Vec<String>>,
    pub recused: bool,
    pub recusal_reason: Option<String>,
}

impl Member {
    /// Whether this member is expected to judge `standard`.
    pub fn judges(&self, standard: &str) -> bool {
        !self.recused
            && self.role.votes()
            && self.standards.as_ref().is_none_or(|limited| limited.iter().any(|s| s == standard))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    pub submission: String,
    pub chair: String,
    pub reviews_due: Date,
    pub panel_date: Option<Date>,
    pub members: Vec<Member>,
}

impl Panel {
    pub fn member(&self, user: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.user == user)
    }

    /// The role `user` holds on this panel, if any (the chair is not listed among members).
    pub fn role_of(&self, user: &str) -> Option<MemberRole> {
        if self.chair == user {
            return Some(MemberRole::Chair);
        }
        self.member(user).map(|m| m.role)
    }
}

/// What a panel member may see of *other* members' judgements on a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OthersVisible {
    Nothing,
    /// Others' submitted judgements; never anyone's drafts.
    Submitted,
}

/// The independence rule: a reviewer sees others' judgements only after submitting all of
/// their own for that submission; the chair sees every submitted judgement; nobody ever sees
/// someone else's draft, and a recused member sees nothing.
pub fn others_visible(role: Option<MemberRole>, recused: bool, viewer_submitted: bool) -> OthersVisible {
    match role {
        _ if recused => OthersVisible::Nothing,
        Some(MemberRole::Chair) => OthersVisible::Submitted,
        Some(MemberRole::Reviewer | MemberRole::Lay) if viewer_submitted => OthersVisible::Submitted,
        _ => OthersVisible::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: MemberRole, standards: Option<&[&str]>, recused: bool) -> Member {
        Member {
            user: "u".into(),
            role,
            standards: standards.map(|s| s.iter().map(|c| c.to_string()).collect()),
            recused,
            recusal_reason: None,
        }
    }

    #[test]
    fn a_lay_member_judges_only_their_standards() {
        let lay = member(MemberRole::Lay, Some(&["SET-DEMO 1.2"]), false);
        assert!(lay.judges("SET-DEMO 1.2"));
        assert!(!lay.judges("MPF 1.1"));
    }

    #[test]
    fn officers_and_recused_members_judge_nothing() {
        assert!(!member(MemberRole::Officer, None, false).judges("MPF 1.1"));
        assert!(!member(MemberRole::Reviewer, None, true).judges("MPF 1.1"));
        assert!(member(MemberRole::Reviewer, None, false).judges("MPF 1.1"));
    }

    #[test]
    fn independence_rule() {
        use MemberRole::*;
        use OthersVisible::*;
        assert_eq!(others_visible(Some(Reviewer), false, false), Nothing);
        assert_eq!(others_visible(Some(Reviewer), false, true), Submitted);
        assert_eq!(others_visible(Some(Lay), false, true), Submitted);
        assert_eq!(others_visible(Some(Chair), false, false), Submitted);
        assert_eq!(others_visible(Some(Reviewer), true, true), Nothing);
        assert_eq!(others_visible(Some(Officer), false, false), Nothing);
        assert_eq!(others_visible(None, false, true), Nothing);
    }
}
