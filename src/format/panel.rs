//! The demo's panel and people files (fixtures only; real panels come from the hub).

use std::collections::HashSet;

use jiff::civil::Date;
use serde::Deserialize;

use super::{Checker, FormatError, PANEL_FORMAT, PEOPLE_FORMAT, parse_json};
use crate::domain::{JudgementState, Member, MemberRole, Outcome, Panel, Person};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[allow(dead_code)]
    format: String,
    me: String,
    people: Vec<Person>,
}

#[derive(Debug, Clone)]
pub struct DemoPeople {
    /// The demo user's id.
    pub me: String,
    pub people: Vec<Person>,
}

pub fn parse_people(file: &str, text: &str) -> Result<DemoPeople, FormatError> {
    let f: PeopleFile = parse_json(file, text, PEOPLE_FORMAT)?;
    let mut check = Checker::default();
    let mut ids = HashSet::new();
    for (i, p) in f.people.iter().enumerate() {
        check.non_empty(|| format!("people[{i}].id"), &p.id);
        check.non_empty(|| format!("people[{i}].name"), &p.name);
        if !ids.insert(p.id.as_str()) {
            check.push(format!("people[{i}].id"), format!("\"{}\" is listed twice", p.id), "list each person once");
        }
    }
    if !ids.contains(f.me.as_str()) {
        check.push("me", format!("\"{}\" is not among the people", f.me), "name one of the people");
    }
    check.finish(file, DemoPeople { me: f.me, people: f.people })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberFile {
    user: String,
    role: MemberRole,
    #[serde(default)]
    standards: Option<Vec<String>>,
    #[serde(default)]
    recused: bool,
    #[serde(default)]
    recusal_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelJudgement {
    pub reviewer: String,
    pub standard: String,
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub rationale: String,
    pub state: JudgementState,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PanelFile {
    #[allow(dead_code)]
    format: String,
    submission: String,
    chair: String,
    reviews_due: Date,
    #[serde(default)]
    panel_date: Option<Date>,
    members: Vec<MemberFile>,
    #[serde(default)]
    judgements: Vec<PanelJudgement>,
}

/// A panel as a file brings it (`panel.json`, and the office's `hub assign`): who sits on it,
/// and any judgements they have already made.
#[derive(Debug, Clone)]
pub struct PanelPackage {
    pub panel: Panel,
    pub judgements: Vec<PanelJudgement>,
}

/// Parses a demo `panel.json`; `in_scope` says whether a standard is under review.
pub fn parse_panel(
    file: &str,
    text: &str,
    known_person: impl Fn(&str) -> bool,
    in_scope: impl Fn(&str) -> bool,
) -> Result<PanelPackage, FormatError> {
    let f: PanelFile = parse_json(file, text, PANEL_FORMAT)?;
    let mut check = Checker::default();
    if !known_person(&f.chair) {
        check.push("chair", format!("\"{}\" is not a known person", f.chair), "name someone from people.json");
    }
    let mut seen = HashSet::new();
    for (i, m) in f.members.iter().enumerate() {
        if !known_person(&m.user) {
            check.push(
                format!("members[{i}].user"),
                format!("\"{}\" is not a known person", m.user),
                "name someone from people.json",
            );
        }
        if m.role == MemberRole::Chair || m.user == f.chair || !seen.insert(m.user.as_str()) {
            check.push(
                format!("members[{i}]"),
                format!("\"{}\" is listed twice or as a second chair", m.user),
                "list each member once; the chair goes in \"chair\"",
            );
        }
        for (j, code) in m.standards.iter().flatten().enumerate() {
            if !in_scope(code) {
                check.push(
                    format!("members[{i}].standards[{j}]"),
                    format!("\"{code}\" is not under review"),
                    "use a standard of the submission",
                );
            }
        }
    }
    let members: Vec<Member> = f
        .members
        .into_iter()
        .map(|m| Member {
            user: m.user,
            role: m.role,
            standards: m.standards,
            recused: m.recused,
            recusal_reason: m.recusal_reason,
        })
        .collect();
    let mut judged = HashSet::new();
    for (i, j) in f.judgements.iter().enumerate() {
        match members.iter().find(|m| m.user == j.reviewer) {
            Some(m) if m.judges(&j.standard) => {}
            _ => check.push(
                format!("judgements[{i}]"),
                format!("{} does not judge {}", j.reviewer, j.standard),
                "only voting, unrecused members judge, and only their standards",
            ),
        }
        if !in_scope(&j.standard) {
            check.push(
                format!("judgements[{i}].standard"),
                format!("\"{}\" is not under review", j.standard),
                "use a standard of the submission",
            );
        }
        if !judged.insert((j.reviewer.as_str(), j.standard.as_str())) {
            check.push(
                format!("judgements[{i}]"),
                format!("{} judges {} twice", j.reviewer, j.standard),
                "keep one judgement per reviewer and standard",
            );
        }
        if j.state == JudgementState::Submitted && j.outcome.is_none() {
            check.push(
                format!("judgements[{i}].outcome"),
                "a submitted judgement without an outcome",
                "give an outcome or make it a draft",
            );
        }
    }
    let panel = Panel {
        submission: f.submission,
        chair: f.chair,
        reviews_due: f.reviews_due,
        panel_date: f.panel_date,
        members,
    };
    check.finish(file, PanelPackage { panel, judgements: f.judgements })
}
