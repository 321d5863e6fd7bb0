//! Read models: what the screens and verbs show, loaded in a few queries each.

use std::collections::HashMap;

use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError};
use crate::domain::panel::{OthersVisible, others_visible};
use crate::domain::{
    EvidenceRef, Framework, Gap, Judgement, JudgementState, Member, MemberRole, Outcome, Panel, Section, Stage,
    Standard, SubmissionHeader,
};

/// One submission the user is on the panel of, with their progress.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assignment {
    pub submission: String,
    pub provider: String,
    pub programme: String,
    pub stage: Stage,
    pub role: MemberRole,
    pub recused: bool,
    /// Reviews due (reviewers) or the panel date (chair).
    pub due: Date,
    /// Standards this user judges.
    pub total: usize,
    /// Of those, judged with no gap.
    pub done: usize,
    /// Whether this user's judgements are submitted.
    pub submitted: bool,
    /// For the chair: voting members who have submitted, and how many vote.
    pub reviewers_submitted: usize,
    pub reviewers_total: usize,
    /// Whether the submission's evidence is all on this machine (to review offline).
    pub evidence: super::OfflineReadiness,
    /// For a voting member: where the panel report the chair pushed stands (to confirm).
    pub report: Option<super::ConfirmStatus>,
}

impl Assignment {
    pub fn overdue(&self, today: Date) -> bool {
        let finished = match self.role {
            MemberRole::Chair => self.stage == Stage::Decided,
            _ => self.submitted || self.total == 0 || !self.stage.allows_judging(),
        };
        !finished && !self.recused && self.due < today
    }
}

/// A submission's row in the cache: its header and where it is in the process.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionSummary {
    pub id: String,
    pub header: SubmissionHeader,
    pub stage: Stage,
    pub stage_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    pub official: bool,
    pub note: Option<String>,
    pub rationale_required: Vec<Outcome>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OthersJudgement {
    pub reviewer: String,
    pub name: String,
    pub outcome: Option<Outcome>,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StandardView {
    pub code: String,
    pub framework: String,
    pub title: String,
    pub statement: String,
    pub guidance: String,
    pub rationale_required: Vec<Outcome>,
    pub narrative: Option<String>,
    pub evidence: Vec<EvidenceRef>,
    /// Whether the user is expected to judge this standard.
    pub judged_by_me: bool,
    pub mine: Option<Judgement>,
    /// Others' submitted judgements, present only when the independence rule allows.
    pub others: Vec<OthersJudgement>,
}

impl StandardView {
    /// What keeps my judgement of this standard from being submitted, if I judge it.
    pub fn gap(&self) -> Option<Gap> {
        if !self.judged_by_me {
            return None;
        }
        let (outcome, rationale) = self.mine.as_ref().map_or((None, ""), |j| (j.outcome, j.rationale.as_str()));
        Gap::of(outcome, rationale, &self.rationale_required)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionView {
    pub framework: String,
    pub code: String,
    pub title: String,
    pub standards: Vec<StandardView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    pub id: String,
    pub title: String,
    pub media_type: String,
    pub sha256: String,
}

/// Everything the Review screen shows for one submission.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewData {
    pub submission: SubmissionSummary,
    pub me: String,
    pub role: MemberRole,
    pub panel: Panel,
    pub frameworks: Vec<FrameworkInfo>,
    pub sections: Vec<SectionView>,
    pub documents: Vec<DocumentInfo>,
    /// Whether my judgements here are submitted (and so read-only).
    pub submitted: bool,
    pub others_visible: bool,
}

impl ReviewData {
    pub fn standards(&self) -> impl Iterator<Item = &StandardView> {
        self.sections.iter().flat_map(|s| s.standards.iter())
    }

    pub fn gaps(&self) -> Vec<(String, Gap)> {
        self.standards().filter_map(|s| s.gap().map(|g| (s.code.clone(), g))).collect()
    }

    /// Whether I may still change my judgements.
    pub fn editable(&self) -> bool {
        self.role.votes() && !self.submitted && self.submission.stage.allows_judging()
    }
}

/// One thing the `/` finder can jump to: found by its submission id (`scope`) and its `text`.
#[derive(Debug, Clone, PartialEq)]
pub enum FinderEntry {
    Submission { submission: String, text: String },
    Standard { submission: String, code: String, text: String },
    Evidence { submission: String, document: String, text: String },
}

impl FinderEntry {
    /// The submission the entry belongs to (or is).
    pub fn scope(&self) -> &str {
        match self {
            FinderEntry::Submission { submission, .. }
            | FinderEntry::Standard { submission, .. }
            | FinderEntry::Evidence { submission, .. } => submission,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            FinderEntry::Submission { text, .. }
            | FinderEntry::Standard { text, .. }
            | FinderEntry::Evidence { text, .. } => text,
        }
    }

    /// The whole line as shown.
    pub fn label(&self) -> String {
        format!("{}  {}", self.scope(), self.text())
    }
}

fn parse_date(text: &str) -> Result<Date> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("bad date {text:?}")))
}

pub(super) fn parse_stage(text: &str) -> Result<Stage> {
    Stage::parse(text).ok_or_else(|| StoreError::Corrupt(format!("bad stage {text:?}")))
}

fn parse_outcome(text: Option<String>) -> Result<Option<Outcome>> {
    text.map(|t| Outcome::parse(&t).ok_or_else(|| StoreError::Corrupt(format!("bad outcome {t:?}")))).transpose()
}

pub(super) fn parse_json_list<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("bad list {text:?}: {e}")))
}

impl Store {
    pub fn panel(&self, submission: &str) -> Result<Panel> {
        let (chair, due, panel_date): (String, String, Option<String>) = self
            .conn
            .query_row(
                "SELECT chair, reviews_due, panel_date FROM panels WHERE submission_id = ?1",
                [submission],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownSubmission(submission.to_string()))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT user_id, role, standards, recused, recusal_reason FROM panel_members WHERE submission_id = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([submission], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut members = Vec::new();
        for row in rows {
            let (user, role, standards, recused, recusal_reason) = row?;
            members.push(Member {
                user,
                role: MemberRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("bad role {role:?}")))?,
                standards: standards.as_deref().map(parse_json_list).transpose()?,
                recused,
                recusal_reason,
            });
        }
        Ok(Panel {
            submission: submission.to_string(),
            chair,
            reviews_due: parse_date(&due)?,
            panel_date: panel_date.as_deref().map(parse_date).transpose()?,
            members,
        })
    }

    /// The submissions `me` is on the panel of, soonest due first.
    pub fn assignments(&self, me: &str) -> Result<Vec<Assignment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.provider, s.programme, s.stage, p.chair, p.reviews_due, p.panel_date,
                    pm.role, pm.recused
             FROM submissions s
             JOIN panels p ON p.submission_id = s.id
             LEFT JOIN panel_members pm ON pm.submission_id = s.id AND pm.user_id = ?1
             WHERE p.chair = ?1 OR pm.user_id IS NOT NULL
             ORDER BY p.reviews_due, s.id",
        )?;
        let rows = stmt
            .query_map([me], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<bool>>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        let mut reports = self.confirm_statuses(me)?;
        let progress = self.my_progress(me)?;
        let mut evidence = self.offline_readiness_for(me)?;
        for (id, provider, programme, stage, chair, due, panel_date, role, recused) in rows {
            let role = if chair == me {
                MemberRole::Chair
            } else {
                let role = role.unwrap_or_default();
                MemberRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("bad role {role:?}")))?
            };
            let (total, done, submitted) =
                if role.votes() { progress.get(&id).copied().unwrap_or((0, 0, 0)) } else { (0, 0, 0) };
            let (reviewers_submitted, reviewers_total) =
                if role == MemberRole::Chair { self.reviewers_submitted(&id)? } else { (0, 0) };
            let due = match (role, panel_date) {
                (MemberRole::Chair, Some(panel_date)) => panel_date,
                _ => due,
            };
            let evidence = evidence.remove(&id).unwrap_or_default();
            let report = reports.remove(&id);
            out.push(Assignment {
                submission: id,
                provider,
                programme,
                stage: parse_stage(&stage)?,
                role,
                recused: recused.unwrap_or(false),
                due: parse_date(&due)?,
                total,
                done,
                submitted: total > 0 && submitted == total,
                reviewers_submitted,
                reviewers_total,
                evidence,
                report,
            });
        }
        out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.submission.cmp(&b.submission)));
        Ok(out)
    }

    /// Per submission I vote on: (standards I judge, of those judged with no gap, of those
    /// submitted), in one query for the whole queue. A gap is `Gap::of`, the rule Submit
    /// applies: counted here in Rust, not restated in SQL (SQLite's `trim()` strips spaces only,
    /// so a rationale of one line break once counted as done).
    fn my_progress(&self, me: &str) -> Result<HashMap<String, (usize, usize, usize)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ss.submission_id, j.outcome, coalesce(j.rationale, ''), coalesce(j.state = 'submitted', 0),
                    f.rationale_required
             FROM panel_members pm
             JOIN submission_standards ss ON ss.submission_id = pm.submission_id
             JOIN frameworks f ON f.id = ss.framework_id AND f.version = ss.framework_version
             LEFT JOIN judgements j ON j.submission_id = ss.submission_id
                 AND j.reviewer_id = pm.user_id AND j.standard_code = ss.standard_code
             WHERE pm.user_id = ?1 AND pm.role IN ('reviewer', 'lay')
               AND (pm.standards IS NULL OR ss.standard_code IN (SELECT value FROM json_each(pm.standards)))",
        )?;
        // Each row is read in place (no copies of the rationales), and each framework's list
        // is parsed once.
        let mut rows = stmt.query([me])?;
        let mut progress: HashMap<String, (usize, usize, usize)> = HashMap::new();
        let mut required: HashMap<String, Vec<Outcome>> = HashMap::new();
        while let Some(r) = rows.next()? {
            let outcome = parse_outcome(r.get::<_, Option<String>>(1)?)?;
            let rationale = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let required_json = r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?;
            if !required.contains_key(required_json) {
                required.insert(required_json.to_string(), parse_json_list(required_json)?);
            }
            let needs = required.get(required_json).map(Vec::as_slice).unwrap_or_default();
            let submission = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if !progress.contains_key(submission) {
                progress.insert(submission.to_string(), (0, 0, 0));
            }
            let (total, done, submitted) = progress.get_mut(submission).expect("just inserted");
            *total += 1;
            *done += usize::from(Gap::of(outcome, rationale, needs).is_none());
            *submitted += usize::from(r.get::<_, bool>(3)?);
        }
        Ok(progress)
    }

    /// For the chair's queue: (voting members who submitted, voting members).
    fn reviewers_submitted(&self, submission: &str) -> Result<(usize, usize)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*),
                    coalesce(sum(EXISTS (SELECT 1 FROM judgements j WHERE j.submission_id = pm.submission_id
                        AND j.reviewer_id = pm.user_id AND j.state = 'submitted')), 0)
             FROM panel_members pm
             WHERE pm.submission_id = ?1 AND pm.role IN ('reviewer', 'lay') AND pm.recused = 0",
        )?;
        let (total, submitted): (i64, i64) = stmt.query_row([submission], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((submitted as usize, total as usize))
    }

    /// A framework version as imported, if the cache has it.
    pub fn load_framework(&self, id: &str, version: &str) -> Result<Option<Framework>> {
        let head = self
            .conn
            .query_row(
                "SELECT title, official, note, rationale_required FROM frameworks WHERE id = ?1 AND version = ?2",
                [id, version],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, bool>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((title, official, note, required)) = head else { return Ok(None) };
        let mut sections: Vec<Section> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT code, title FROM sections WHERE framework_id = ?1 AND framework_version = ?2 ORDER BY ord",
            )?;
            stmt.query_map([id, version], |r| Ok(Section { code: r.get(0)?, title: r.get(1)?, standards: Vec::new() }))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT section_code, code, title, statement, guidance FROM standards
             WHERE framework_id = ?1 AND framework_version = ?2 ORDER BY ord",
        )?;
        let mut rows = stmt.query([id, version])?;
        while let Some(r) = rows.next()? {
            let section: String = r.get(0)?;
            let standard = Standard { code: r.get(1)?, title: r.get(2)?, statement: r.get(3)?, guidance: r.get(4)? };
            if let Some(s) = sections.iter_mut().find(|s| s.code == section) {
                s.standards.push(standard);
            }
        }
        Ok(Some(Framework {
            id: id.to_string(),
            version: version.to_string(),
            title,
            official,
            note,
            rationale_required: parse_json_list(&required)?,
            sections,
        }))
    }

    pub fn submission_summary(&self, submission: &str) -> Result<SubmissionSummary> {
        type Row =
            (String, String, String, String, Option<String>, Option<String>, u32, String, String, Option<String>);
        let row: Row = self
            .conn
            .query_row(
                "SELECT id, provider, programme, award, programme_code, modes, version, submitted_at, stage, stage_note
                 FROM submissions WHERE id = ?1",
                [submission],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownSubmission(submission.to_string()))?;
        let (id, provider, programme, award, programme_code, modes, version, submitted_at, stage, stage_note) = row;
        Ok(SubmissionSummary {
            id,
            header: SubmissionHeader {
                provider,
                programme,
                award,
                programme_code,
                modes,
                version,
                submitted_at: parse_date(&submitted_at)?,
            },
            stage: parse_stage(&stage)?,
            stage_note,
        })
    }

    /// Loads the Review screen for `submission` as `me` sees it (independence rule applied).
    pub fn load_review(&self, submission: &str, me: &str) -> Result<ReviewData> {
        let summary = self.submission_summary(submission)?;
        let panel = self.panel(submission)?;
        let role = panel.role_of(me).ok_or_else(|| StoreError::NotAssigned(submission.to_string()))?;
        let member = panel.member(me).cloned();
        if member.as_ref().is_some_and(|m| m.recused) {
            return Err(StoreError::Recused(submission.to_string()));
        }
        let frameworks = self.submission_frameworks(submission)?;
        let required: HashMap<(String, String), Vec<Outcome>> =
            frameworks.iter().map(|f| ((f.id.clone(), f.version.clone()), f.rationale_required.clone())).collect();

        let mut stmt = self.conn.prepare_cached(
            "SELECT ss.standard_code, ss.framework_id, ss.framework_version, st.section_code, sec.title,
                    st.title, st.statement, st.guidance, m.narrative, m.evidence,
                    j.outcome, j.rationale, j.state, j.version, j.updated_at
             FROM submission_standards ss
             JOIN standards st ON st.framework_id = ss.framework_id AND st.framework_version = ss.framework_version
                 AND st.code = ss.standard_code
             JOIN sections sec ON sec.framework_id = st.framework_id AND sec.framework_version = st.framework_version
                 AND sec.code = st.section_code
             LEFT JOIN mappings m ON m.submission_id = ss.submission_id AND m.standard_code = ss.standard_code
             LEFT JOIN judgements j ON j.submission_id = ss.submission_id AND j.standard_code = ss.standard_code
                 AND j.reviewer_id = ?2
             WHERE ss.submission_id = ?1
             ORDER BY ss.ord",
        )?;
        let mut rows = stmt.query(params![submission, me])?;
        let mut sections: Vec<SectionView> = Vec::new();
        let mut mine_count = 0usize;
        let mut submitted_count = 0usize;
        while let Some(r) = rows.next()? {
            let standard = self.standard_from_row(r, submission, me, &member, role, &required)?;
            if standard.judged_by_me {
                mine_count += 1;
                if standard.mine.as_ref().is_some_and(|j| j.state == JudgementState::Submitted) {
                    submitted_count += 1;
                }
            }
            let framework: String = r.get(1)?;
            let section_code: String = r.get(3)?;
            match sections.last_mut() {
                Some(last) if last.framework == framework && last.code == section_code => last.standards.push(standard),
                _ => sections.push(SectionView {
                    framework,
                    code: section_code,
                    title: r.get(4)?,
                    standards: vec![standard],
                }),
            }
        }
        drop(rows);
        drop(stmt);

        let submitted = mine_count > 0 && submitted_count == mine_count;
        let visible = others_visible(Some(role), false, submitted) == OthersVisible::Submitted;
        if visible {
            let others = self.others_submitted(submission, me)?;
            for section in &mut sections {
                for standard in &mut section.standards {
                    if let Some(list) = others.get(&standard.code) {
                        standard.others = list.clone();
                    }
                }
            }
        }
        Ok(ReviewData {
            submission: summary,
            me: me.to_string(),
            role,
            panel,
            frameworks,
            sections,
            documents: self.documents(submission)?,
            submitted,
            others_visible: visible,
        })
    }

    fn standard_from_row(
        &self,
        r: &Row<'_>,
        submission: &str,
        me: &str,
        member: &Option<Member>,
        role: MemberRole,
        required: &HashMap<(String, String), Vec<Outcome>>,
    ) -> Result<StandardView> {
        let code: String = r.get(0)?;
        let framework: String = r.get(1)?;
        let framework_version: String = r.get(2)?;
        let evidence: Option<String> = r.get(9)?;
        let state: Option<String> = r.get(12)?;
        let mine = match state {
            None => None,
            Some(state) => Some(Judgement {
                submission: submission.to_string(),
                standard: code.clone(),
                reviewer: me.to_string(),
                outcome: parse_outcome(r.get(10)?)?,
                rationale: r.get(11)?,
                state: JudgementState::parse(&state)
                    .ok_or_else(|| StoreError::Corrupt(format!("bad state {state:?}")))?,
                version: r.get(13)?,
                updated_at: r.get(14)?,
            }),
        };
        let judged_by_me = role != MemberRole::Chair && member.as_ref().is_some_and(|m| m.judges(&code));
        Ok(StandardView {
            rationale_required: required.get(&(framework.clone(), framework_version)).cloned().unwrap_or_default(),
            framework,
            title: r.get(5)?,
            statement: r.get(6)?,
            guidance: r.get(7)?,
            narrative: r.get(8)?,
            evidence: evidence.as_deref().map(parse_json_list).transpose()?.unwrap_or_default(),
            judged_by_me,
            mine,
            others: Vec::new(),
            code,
        })
    }

    fn others_submitted(&self, submission: &str, me: &str) -> Result<HashMap<String, Vec<OthersJudgement>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT j.standard_code, j.reviewer_id, coalesce(p.name, j.reviewer_id), j.outcome, j.rationale
             FROM judgements j LEFT JOIN people p ON p.id = j.reviewer_id
             WHERE j.submission_id = ?1 AND j.reviewer_id <> ?2 AND j.state = 'submitted'
             ORDER BY j.standard_code, p.name",
        )?;
        let mut rows = stmt.query(params![submission, me])?;
        let mut out: HashMap<String, Vec<OthersJudgement>> = HashMap::new();
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_default().push(OthersJudgement {
                reviewer: r.get(1)?,
                name: r.get(2)?,
                outcome: parse_outcome(r.get(3)?)?,
                rationale: r.get(4)?,
            });
        }
        Ok(out)
    }

    fn submission_frameworks(&self, submission: &str) -> Result<Vec<FrameworkInfo>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.version, f.title, f.official, f.note, f.rationale_required
             FROM frameworks f
             WHERE EXISTS (SELECT 1 FROM submission_standards ss WHERE ss.submission_id = ?1
                 AND ss.framework_id = f.id AND ss.framework_version = f.version)
             ORDER BY (SELECT min(ord) FROM submission_standards ss WHERE ss.submission_id = ?1
                 AND ss.framework_id = f.id AND ss.framework_version = f.version)",
        )?;
        let rows = stmt
            .query_map([submission], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get::<_, String>(5)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, version, title, official, note, required)| {
                Ok(FrameworkInfo {
                    id,
                    version,
                    title,
                    official,
                    note,
                    rationale_required: parse_json_list(&required)?,
                })
            })
            .collect()
    }

    pub fn documents(&self, submission: &str) -> Result<Vec<DocumentInfo>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, media_type, sha256 FROM documents WHERE submission_id = ?1 ORDER BY ord",
        )?;
        let docs = stmt
            .query_map([submission], |r| {
                Ok(DocumentInfo { id: r.get(0)?, title: r.get(1)?, media_type: r.get(2)?, sha256: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(docs)
    }

    /// Refuses `me` a submission's documents unless they are on its panel and not recused.
    fn may_read_documents(&self, submission: &str, me: &str) -> Result<()> {
        let panel = self.panel(submission)?;
        match panel.role_of(me) {
            None => Err(StoreError::NotAssigned(submission.to_string())),
            Some(_) if panel.member(me).is_some_and(|m| m.recused) => Err(StoreError::Recused(submission.to_string())),
            Some(_) => Ok(()),
        }
    }

    /// A document's original file, if `me` may see the submission: its media type and bytes
    /// (a text document is its own original); `None` when this cache holds only its text.
    pub fn original_file(&self, submission: &str, document: &str, me: &str) -> Result<Option<(String, Vec<u8>)>> {
        let (info, text) = self.document_text(submission, document, me)?;
        if let Some(original) = self.document_original(submission, document)? {
            return Ok(Some(original));
        }
        let extracted = !matches!(info.media_type.as_str(), "text/plain" | "text/markdown");
        Ok((!extracted).then(|| (info.media_type, text.into_bytes())))
    }

    /// A document's text, if `me` may see the submission.
    pub fn document_text(&self, submission: &str, document: &str, me: &str) -> Result<(DocumentInfo, String)> {
        self.may_read_documents(submission, me)?;
        let found = self
            .conn
            .query_row(
                "SELECT d.id, d.title, d.media_type, d.sha256, b.content FROM documents d JOIN blobs b ON b.sha256 = d.sha256
                 WHERE d.submission_id = ?1 AND d.id = ?2",
                [submission, document],
                |r| Ok((DocumentInfo { id: r.get(0)?, title: r.get(1)?, media_type: r.get(2)?, sha256: r.get(3)? }, r.get(4)?)),
            )
            .optional()?;
        found.ok_or_else(|| StoreError::Corrupt(format!("document {document} of {submission} is missing")))
    }

    /// Everything the `/` finder searches: my submissions, their standards and evidence.
    pub fn finder_entries(&self, me: &str) -> Result<Vec<FinderEntry>> {
        let visible = "(SELECT p.submission_id FROM panels p WHERE p.chair = ?1
                        UNION SELECT pm.submission_id FROM panel_members pm WHERE pm.user_id = ?1 AND pm.recused = 0)";
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, programme, provider FROM submissions WHERE id IN {visible} ORDER BY id"
        ))?;
        let rows =
            stmt.query_map([me], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (id, programme, provider) = row?;
            out.push(FinderEntry::Submission { text: format!("{programme} · {provider}"), submission: id });
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT ss.submission_id, ss.standard_code, st.title
             FROM submission_standards ss
             JOIN standards st ON st.framework_id = ss.framework_id AND st.framework_version = ss.framework_version
                 AND st.code = ss.standard_code
             WHERE ss.submission_id IN {visible}
             ORDER BY ss.submission_id, ss.ord"
        ))?;
        let rows =
            stmt.query_map([me], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (submission, code, title) = row?;
            out.push(FinderEntry::Standard { text: format!("{code}  {title}"), submission, code });
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT submission_id, id, title FROM documents WHERE submission_id IN {visible} ORDER BY submission_id, ord"
        ))?;
        let rows =
            stmt.query_map([me], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (submission, document, title) = row?;
            out.push(FinderEntry::Evidence { text: format!("{document}  {title}"), submission, document });
        }
        Ok(out)
    }
}
