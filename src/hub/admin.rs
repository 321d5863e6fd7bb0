//! Administration on the hub's database (`accredit hub ...`): accounts, imports, panels.

use std::path::Path;

use jiff::civil::Date;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::audit::{self, AuditAction, Record};
use super::feed::{append_change, framework_key};
use super::{Hub, HubError, Result, hash_token, new_token};
use crate::domain::{Framework, Member, MemberRole, Panel, Person, Stage};
use crate::format::{self, PanelPackage, SubmissionPackage};
use crate::store::now_timestamp;
use crate::wire::{User, UserRole};

/// Who sits on a panel, as `accredit hub assign` takes it.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    pub chair: String,
    pub reviewers: Vec<String>,
    /// Lay members and the standards each judges.
    pub lay: Vec<(String, Vec<String>)>,
    pub recused: Vec<String>,
    pub due: Option<Date>,
}

/// One account on the hub, as the office lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub role: String,
    pub created_at: String,
    pub last_seen: Option<String>,
    pub revoked: bool,
}

impl Hub {
    /// Adds a person with a new token; the token is returned once and only its hash is kept.
    pub fn add_user(&mut self, id: Option<&str>, name: &str, role: UserRole) -> Result<(User, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(HubError::Invalid("a user needs a name".into()));
        }
        let id = match id {
            Some(id) => id.to_string(),
            None => slug(name),
        };
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(HubError::Invalid(format!("\"{id}\" is not a user id: use letters, digits and '-'")));
        }
        let token = new_token()?;
        let tx = self.store.connection_mut().transaction()?;
        let taken: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM hub_users WHERE id = ?1)", [&id], |r| r.get(0))?;
        if taken {
            return Err(HubError::Invalid(format!("user {id} exists already; give another id with --id")));
        }
        tx.execute(
            "INSERT INTO people (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            (&id, name),
        )?;
        tx.execute(
            "INSERT INTO hub_users (id, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, role.as_str(), hash_token(&token), now_timestamp()],
        )?;
        audit::append(&tx, &account_record(AuditAction::UserAdd, &id, &account_payload(&id, name, role)))?;
        tx.commit()?;
        Ok((User { id, name: name.to_string(), role }, token))
    }

    /// Gives an existing person (from imported data) an account and a new token.
    pub fn add_account(&mut self, person: &Person, role: UserRole) -> Result<String> {
        let token = new_token()?;
        let tx = self.store.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO people (id, name, title, background) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            params![person.id, person.name, person.title, person.background],
        )?;
        tx.execute(
            "INSERT INTO hub_users (id, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked = 0",
            params![person.id, role.as_str(), hash_token(&token), now_timestamp()],
        )?;
        let payload = account_payload(&person.id, &person.name, role);
        audit::append(&tx, &account_record(AuditAction::UserAdd, &person.id, &payload))?;
        tx.commit()?;
        Ok(token)
    }

    /// Gives `user` a new token, returned once; the old one stops working at once (a revoked
    /// account is given access again).
    pub fn rotate_token(&mut self, user: &str) -> Result<String> {
        let token = new_token()?;
        let tx = self.store.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE hub_users SET token_hash = ?1, revoked = 0 WHERE id = ?2",
            [hash_token(&token), user.to_string()],
        )?;
        if changed == 0 {
            return Err(HubError::Invalid(format!("no user {user} (see `accredit hub users`)")));
        }
        // The digest is of the user id alone: never of the token or its hash.
        audit::append(&tx, &account_record(AuditAction::UserRotateToken, user, user.as_bytes()))?;
        tx.commit()?;
        Ok(token)
    }

    /// Sets the organisation that heads every panel report the hub issues.
    pub fn set_organisation(&mut self, name: &str) -> Result<()> {
        let tx = self.store.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [crate::store::ORGANISATION_KEY, name],
        )?;
        audit::append(&tx, &Record::new(audit::OFFICE, AuditAction::OrganisationSet, name.as_bytes()))?;
        tx.commit()?;
        Ok(())
    }

    /// Marks a submission's document as for everyone on its panel (`shared`), so a lay member
    /// limited to some standards receives it too; or takes the mark off.
    pub fn share_document(&mut self, submission: &str, document: &str, shared: bool) -> Result<()> {
        let tx = self.store.connection_mut().transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE submission_id = ?1 AND id = ?2)",
            [submission, document],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(HubError::Invalid(format!("{submission} has no document {document}")));
        }
        let action = if shared {
            tx.execute(
                "INSERT OR IGNORE INTO hub_shared_documents (submission_id, document_id) VALUES (?1, ?2)",
                [submission, document],
            )?;
            AuditAction::DocumentShare
        } else {
            tx.execute(
                "DELETE FROM hub_shared_documents WHERE submission_id = ?1 AND document_id = ?2",
                [submission, document],
            )?;
            AuditAction::DocumentUnshare
        };
        let record = Record { submission: Some(submission), ..Record::new(audit::OFFICE, action, document.as_bytes()) };
        audit::append(&tx, &record)?;
        // Members limited to some standards get the submission again, with or without it.
        append_change(&tx, "submission", Some(submission), submission, None)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a submission to `stage` (the office's decision: threshold review passed, the panel
    /// convened, the decision issued), with an optional note for the panel; returns the stage it
    /// was at. Audited, and on the feed, so every replica shows the new stage.
    pub fn set_stage(&mut self, submission: &str, stage: Stage, note: Option<&str>) -> Result<Stage> {
        let tx = self.store.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        let from: Option<String> =
            tx.query_row("SELECT stage FROM submissions WHERE id = ?1", [submission], |r| r.get(0)).optional()?;
        let Some(from) = from else {
            return Err(HubError::Invalid(format!(
                "no submission {submission} on the hub (`accredit hub import-submission DIR` brings one)"
            )));
        };
        let from = Stage::parse(&from).ok_or_else(|| HubError::Invalid(format!("bad stage {from:?} in the hub")))?;
        tx.execute(
            "UPDATE submissions SET stage = ?2, stage_note = coalesce(?3, stage_note) WHERE id = ?1",
            rusqlite::params![submission, stage.as_str(), note],
        )?;
        let payload = format!("{} → {}", from.as_str(), stage.as_str());
        let record = Record {
            submission: Some(submission),
            ..Record::new(audit::OFFICE, AuditAction::SubmissionStage, payload.as_bytes())
        };
        audit::append(&tx, &record)?;
        append_change(&tx, "submission", Some(submission), submission, None)?;
        tx.commit()?;
        Ok(from)
    }

    /// Every account: who, role, when added and last seen, whether revoked.
    pub fn users(&self) -> Result<Vec<Account>> {
        let mut stmt = self.store.connection().prepare(
            "SELECT u.id, p.name, u.role, u.created_at, u.last_seen, u.revoked FROM hub_users u
             JOIN people p ON p.id = u.id ORDER BY u.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Account {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    created_at: r.get(3)?,
                    last_seen: r.get(4)?,
                    revoked: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn revoke(&mut self, user: &str) -> Result<()> {
        let tx = self.store.connection_mut().transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute("UPDATE hub_users SET revoked = 1 WHERE id = ?1", [user])?;
        if changed == 0 {
            return Err(HubError::Invalid(format!("no user {user}")));
        }
        audit::append(&tx, &account_record(AuditAction::UserRevoke, user, user.as_bytes()))?;
        tx.commit()?;
        Ok(())
    }

    pub fn import_framework(&mut self, framework: &Framework) -> Result<()> {
        self.store.import_framework(framework)?;
        let tx = self.store.connection_mut().transaction()?;
        append_change(&tx, "framework", None, &framework_key(&framework.id, &framework.version), None)?;
        let payload = serde_json::to_vec(framework).map_err(|e| HubError::Invalid(e.to_string()))?;
        audit::append(&tx, &Record::new(audit::OFFICE, AuditAction::FrameworkImport, &payload))?;
        tx.commit()?;
        Ok(())
    }

    pub fn import_framework_file(&mut self, file: &Path) -> Result<Framework> {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|e| HubError::Invalid(format!("cannot read {name}: {e}")))?;
        let framework = format::parse_framework(&name, &text)?;
        self.import_framework(&framework)?;
        Ok(framework)
    }

    pub fn import_submission(&mut self, package: &SubmissionPackage) -> Result<()> {
        self.store.import_submission(package)?;
        let tx = self.store.connection_mut().transaction()?;
        let id = &package.submission.id;
        append_change(&tx, "submission", Some(id), id, None)?;
        // The submission as imported and the digest of each document's text.
        let documents: std::collections::BTreeMap<&String, String> =
            package.documents.iter().map(|(id, text)| (id, audit::digest(text.as_bytes()))).collect();
        let payload =
            serde_json::to_vec(&serde_json::json!({ "submission": package.submission, "documents": documents }))
                .map_err(|e| HubError::Invalid(e.to_string()))?;
        let record =
            Record { submission: Some(id), ..Record::new(audit::OFFICE, AuditAction::SubmissionImport, &payload) };
        audit::append(&tx, &record)?;
        tx.commit()?;
        Ok(())
    }

    /// Imports a submission package folder, checked against the frameworks on the hub.
    pub fn import_submission_dir(&mut self, dir: &Path) -> Result<SubmissionPackage> {
        let frameworks = self.frameworks()?;
        // A file imported before keeps its pages (a cache read that fails only extracts again).
        let store = &self.store;
        let package = format::load_submission_dir_reusing(
            dir,
            |id, version| frameworks.iter().find(|f| f.id == id && f.version == version),
            |sha256, extractor| store.extraction(sha256, extractor).ok().flatten(),
        )?;
        self.import_submission(&package)?;
        Ok(package)
    }

    /// Every framework on the hub.
    pub fn frameworks(&self) -> Result<Vec<Framework>> {
        let keys: Vec<(String, String)> = {
            let mut stmt = self.store.connection().prepare("SELECT id, version FROM frameworks")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        keys.iter()
            .filter_map(|(id, version)| self.store.load_framework(id, version).transpose())
            .map(|r| r.map_err(Into::into))
            .collect()
    }

    /// Sets a submission's panel. Members are told (the submission and panel are re-issued).
    pub fn assign(&mut self, submission: &str, assignment: &Assignment) -> Result<Panel> {
        self.store.submission_summary(submission)?;
        let known = |user: &str| -> Result<()> {
            let exists: bool = self.store.connection().query_row(
                "SELECT EXISTS (SELECT 1 FROM hub_users WHERE id = ?1)",
                [user],
                |r| r.get(0),
            )?;
            if exists {
                Ok(())
            } else {
                Err(HubError::Invalid(format!("no user {user}: add them with `accredit hub add-user`")))
            }
        };
        known(&assignment.chair)?;
        let mut members = Vec::new();
        for user in &assignment.reviewers {
            known(user)?;
            members.push(Member {
                user: user.clone(),
                role: MemberRole::Reviewer,
                standards: None,
                recused: false,
                recusal_reason: None,
            });
        }
        for (user, standards) in &assignment.lay {
            known(user)?;
            members.push(Member {
                user: user.clone(),
                role: MemberRole::Lay,
                standards: Some(standards.clone()),
                recused: false,
                recusal_reason: None,
            });
        }
        for user in &assignment.recused {
            known(user)?;
            match members.iter_mut().find(|m| &m.user == user) {
                Some(m) => m.recused = true,
                None => members.push(Member {
                    user: user.clone(),
                    role: MemberRole::Reviewer,
                    standards: None,
                    recused: true,
                    recusal_reason: None,
                }),
            }
        }
        if members.iter().filter(|m| !m.recused && m.role.votes()).count() < 2 {
            return Err(HubError::Invalid("a panel needs at least two reviewers who are not recused".into()));
        }
        if members.iter().any(|m| m.user == assignment.chair) {
            return Err(HubError::Invalid(format!("{} cannot both chair and review", assignment.chair)));
        }
        let due = match assignment.due {
            Some(due) => due,
            None => jiff::Zoned::now()
                .date()
                .checked_add(jiff::Span::new().days(42))
                .map_err(|e| HubError::Invalid(e.to_string()))?,
        };
        let panel = Panel {
            submission: submission.to_string(),
            chair: assignment.chair.clone(),
            reviews_due: due,
            panel_date: None,
            members,
        };
        self.store.import_panel(&PanelPackage { panel: panel.clone(), judgements: Vec::new() })?;
        let tx = self.store.connection_mut().transaction()?;
        append_change(&tx, "submission", Some(submission), submission, None)?;
        append_change(&tx, "panel", Some(submission), submission, None)?;
        // The visibility pitfall again (docs/sync-protocol.md §5): a new chair (or a member
        // whose role changed) may now see judgements whose changes they pulled past long ago.
        // Re-issue each; the feed filters them per reader, and applying one twice is harmless
        // (tests/it/sync.rs, a_chair_appointed_after_judgements_were_submitted_receives_them).
        let judgements: Vec<(String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT standard_code, reviewer_id FROM judgements WHERE submission_id = ?1 ORDER BY reviewer_id, standard_code",
            )?;
            stmt.query_map([submission], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        for (standard, reviewer) in judgements {
            let key = super::feed::judgement_key(submission, &standard, &reviewer);
            append_change(&tx, "judgement", Some(submission), &key, None)?;
        }
        let payload = serde_json::to_vec(&panel).map_err(|e| HubError::Invalid(e.to_string()))?;
        let record =
            Record { submission: Some(submission), ..Record::new(audit::OFFICE, AuditAction::PanelAssign, &payload) };
        audit::append(&tx, &record)?;
        tx.commit()?;
        Ok(panel)
    }

    /// Seeds the hub with the built-in demo (frameworks, submissions, panels and the other
    /// members' judgements) and returns every demo person's new token, by user id.
    pub fn seed_demo(&mut self) -> Result<Vec<(String, String)>> {
        crate::demo::install(self.store_mut()).map_err(|e| HubError::Invalid(e.to_string()))?;
        let people: Vec<Person> = {
            let mut stmt =
                self.store.connection().prepare("SELECT id, name, title, background FROM people ORDER BY id")?;
            stmt.query_map([], |r| {
                Ok(Person { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, background: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut tokens = Vec::new();
        for person in &people {
            tokens.push((person.id.clone(), self.add_account(person, UserRole::Reviewer)?));
        }
        self.publish_everything()?;
        audit::append_alone(
            self.store.connection_mut(),
            &Record::new(audit::OFFICE, AuditAction::DemoSeed, b"accredit demo data"),
        )?;
        Ok(tokens)
    }

    /// Puts every framework, submission, panel and judgement on the change feed (after a bulk
    /// import that bypassed it).
    pub(super) fn publish_everything(&mut self) -> Result<()> {
        let tx = self.store.connection_mut().transaction()?;
        let frameworks: Vec<(String, String)> = {
            let mut stmt = tx.prepare("SELECT id, version FROM frameworks ORDER BY id, version")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        for (id, version) in frameworks {
            append_change(&tx, "framework", None, &framework_key(&id, &version), None)?;
        }
        let submissions: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM submissions ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        for id in &submissions {
            append_change(&tx, "submission", Some(id), id, None)?;
            append_change(&tx, "panel", Some(id), id, None)?;
        }
        let judgements: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT submission_id, standard_code, reviewer_id FROM judgements ORDER BY submission_id, reviewer_id",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?
        };
        for (submission, standard, reviewer) in judgements {
            append_change(
                &tx,
                "judgement",
                Some(&submission),
                &super::feed::judgement_key(&submission, &standard, &reviewer),
                None,
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// An administrative act on the account `user`, by the office.
fn account_record<'a>(action: AuditAction, user: &'a str, payload: &'a [u8]) -> Record<'a> {
    Record { subject: Some(user), ..Record::new(audit::OFFICE, action, payload) }
}

/// What an account entry digests: who and in which role, never the token.
fn account_payload(id: &str, name: &str, role: UserRole) -> Vec<u8> {
    serde_json::json!({ "id": id, "name": name, "role": role.as_str() }).to_string().into_bytes()
}

/// `Dr Anika Sørensen` → `dr-anika-s-rensen`: a readable id made of ASCII letters, digits, '-'.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn ids_from_names() {
        assert_eq!(slug("Dr Anika Sørensen"), "dr-anika-s-rensen");
        assert_eq!(slug("  Margaret \"Peggy\" Lowther "), "margaret-peggy-lowther");
    }
}
