//! The audit trail: every accepted change and every administrative act, appended to
//! `hub_audit` in the transaction that makes the change, each entry hash-chained to the one
//! before it, so that an edited, deleted or inserted row is found by `verify`.
//!
//! An entry holds who, when, what, on which submission and standard, which op, and a SHA-256
//! digest of the payload: never a rationale's text, never a token or a token's hash. The latest
//! entry's number and hash are also kept in `meta.audit_head`, so that deleting the newest
//! entries is found too; a rewrite of the whole chain is found by comparing the head with one
//! noted elsewhere (`accredit hub audit --verify` prints it).

use rusqlite::{Connection, OptionalExtension, params};

use super::permissions::{Action, decide};
use super::{Caller, Hub, HubError, Result};
use crate::domain::JudgementState;
use crate::store::now_timestamp;
use crate::wire::HistoryEntry;

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The actor of an act done on the hub's database (`accredit hub ...`), not through the API.
pub const OFFICE: &str = "office";

const HEAD_KEY: &str = "audit_head";

/// What was done. The names are stored, so they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// A judgement saved as a draft.
    JudgementDraft,
    /// A judgement submitted.
    JudgementSubmit,
    ConsolidationSave,
    ReportPush,
    ReportConfirm,
    UserAdd,
    UserRotateToken,
    UserRevoke,
    OrganisationSet,
    FrameworkImport,
    SubmissionImport,
    PanelAssign,
    DemoSeed,
    /// A backup installed (`accredit hub restore`); the payload is the backup's audit head.
    Restore,
    /// A document marked for everyone on the panel, or the mark taken off.
    DocumentShare,
    DocumentUnshare,
    /// The office moved a submission to another stage; the payload is `from → to`.
    SubmissionStage,
}

impl AuditAction {
    pub const ALL: [AuditAction; 17] = [
        AuditAction::JudgementDraft,
        AuditAction::JudgementSubmit,
        AuditAction::ConsolidationSave,
        AuditAction::ReportPush,
        AuditAction::ReportConfirm,
        AuditAction::UserAdd,
        AuditAction::UserRotateToken,
        AuditAction::UserRevoke,
        AuditAction::OrganisationSet,
        AuditAction::FrameworkImport,
        AuditAction::SubmissionImport,
        AuditAction::PanelAssign,
        AuditAction::DemoSeed,
        AuditAction::Restore,
        AuditAction::DocumentShare,
        AuditAction::DocumentUnshare,
        AuditAction::SubmissionStage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::JudgementDraft => "judgement.draft",
            AuditAction::JudgementSubmit => "judgement.submit",
            AuditAction::ConsolidationSave => "consolidation.save",
            AuditAction::ReportPush => "report.push",
            AuditAction::ReportConfirm => "report.confirm",
            AuditAction::UserAdd => "user.add",
            AuditAction::UserRotateToken => "user.rotate-token",
            AuditAction::UserRevoke => "user.revoke",
            AuditAction::OrganisationSet => "organisation.set",
            AuditAction::FrameworkImport => "framework.import",
            AuditAction::SubmissionImport => "submission.import",
            AuditAction::PanelAssign => "panel.assign",
            AuditAction::DemoSeed => "demo.seed",
            AuditAction::Restore => "hub.restore",
            AuditAction::DocumentShare => "document.share",
            AuditAction::DocumentUnshare => "document.unshare",
            AuditAction::SubmissionStage => "submission.stage",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// In words, for `accredit history`.
    pub fn describe(self) -> &'static str {
        match self {
            AuditAction::JudgementDraft => "saved a draft judgement",
            AuditAction::JudgementSubmit => "submitted a judgement",
            AuditAction::ConsolidationSave => "changed the panel's consolidation",
            AuditAction::ReportPush => "pushed a panel report",
            AuditAction::ReportConfirm => "confirmed the panel report",
            AuditAction::UserAdd => "added a user",
            AuditAction::UserRotateToken => "gave a user a new token",
            AuditAction::UserRevoke => "revoked a user's token",
            AuditAction::OrganisationSet => "set the organisation",
            AuditAction::FrameworkImport => "imported a framework",
            AuditAction::SubmissionImport => "imported the submission",
            AuditAction::PanelAssign => "set the panel",
            AuditAction::DemoSeed => "seeded the demo",
            AuditAction::Restore => "restored the hub from a backup",
            AuditAction::DocumentShare => "marked a document for everyone on the panel",
            AuditAction::DocumentUnshare => "took the for-everyone mark off a document",
            AuditAction::SubmissionStage => "moved the submission to another stage",
        }
    }
}

/// One act to append.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub actor: &'a str,
    pub action: AuditAction,
    pub submission: Option<&'a str>,
    pub standard: Option<&'a str>,
    pub op_id: Option<&'a str>,
    /// The user an administrative act is about (`user.add`, `user.revoke`).
    pub subject: Option<&'a str>,
    /// What was written, digested (for a judgement: its JSON body).
    pub payload: &'a [u8],
}

impl<'a> Record<'a> {
    /// An act by `actor` with no submission, standard, op or subject yet.
    pub fn new(actor: &'a str, action: AuditAction, payload: &'a [u8]) -> Record<'a> {
        Record { actor, action, submission: None, standard: None, op_id: None, subject: None, payload }
    }
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub submission: Option<String>,
    pub standard: Option<String>,
    pub op_id: Option<String>,
    pub subject: Option<String>,
    pub digest: String,
    pub prev: String,
    pub hash: String,
}

impl Entry {
    /// The hash this entry must carry: SHA-256 of its fields (the hash aside) as a JSON array,
    /// which leaves no doubt where one field ends and the next begins.
    pub fn computed_hash(&self) -> String {
        // A tuple serialises as the array itself, with no `Value` tree built on the way: this
        // runs for every op a push appends.
        let fields = (
            self.seq,
            &self.at,
            &self.actor,
            &self.action,
            &self.submission,
            &self.standard,
            &self.op_id,
            &self.subject,
            &self.digest,
            &self.prev,
        );
        crate::digest::sha256_hex(&serde_json::to_vec(&fields).expect("strings and numbers serialise"))
    }
}

/// SHA-256 of `payload`, as hex.
pub fn digest(payload: &[u8]) -> String {
    crate::digest::sha256_hex(payload)
}

/// Appends `record` after the latest entry. Call it inside the write transaction of the change
/// it records (an `IMMEDIATE` one, or one that has written already), so the change and its entry
/// commit together and two writers cannot both chain onto the same entry (`prev` is unique too).
pub fn append(conn: &Connection, record: &Record<'_>) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM hub_audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let mut entry = Entry {
        seq,
        at: now_timestamp(),
        actor: record.actor.to_string(),
        action: record.action.as_str().to_string(),
        submission: record.submission.map(str::to_string),
        standard: record.standard.map(str::to_string),
        op_id: record.op_id.map(str::to_string),
        subject: record.subject.map(str::to_string),
        digest: digest(record.payload),
        prev,
        hash: String::new(),
    };
    entry.hash = entry.computed_hash();
    conn.prepare_cached(
        "INSERT INTO hub_audit (seq, at, actor, action, submission_id, standard_code, op_id, subject, digest, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.submission,
        entry.standard,
        entry.op_id,
        entry.subject,
        entry.digest,
        entry.prev,
        entry.hash
    ])?;
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([HEAD_KEY, &format!("{seq}:{}", entry.hash)])?;
    Ok(seq)
}

/// Appends `record` in a transaction of its own (for acts that write nothing else in one).
pub fn append_alone(conn: &mut Connection, record: &Record<'_>) -> Result<i64> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let seq = append(&tx, record)?;
    tx.commit()?;
    Ok(seq)
}

/// Every entry in order, or those of one submission.
pub fn entries(conn: &Connection, submission: Option<&str>) -> Result<Vec<Entry>> {
    let mut rows = Vec::new();
    each_entry(conn, submission, |entry| {
        rows.push(entry);
        true
    })?;
    Ok(rows)
}

/// Calls `visit` with every entry in order (or those of one submission) until it answers false,
/// one row at a time: a long log is never all in memory.
pub fn each_entry(conn: &Connection, submission: Option<&str>, mut visit: impl FnMut(Entry) -> bool) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, submission_id, standard_code, op_id, subject, digest, prev, hash
         FROM hub_audit WHERE ?1 IS NULL OR submission_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([submission], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            submission: r.get(4)?,
            standard: r.get(5)?,
            op_id: r.get(6)?,
            subject: r.get(7)?,
            digest: r.get(8)?,
            prev: r.get(9)?,
            hash: r.get(10)?,
        })
    })?;
    for row in rows {
        if !visit(row?) {
            break;
        }
    }
    Ok(())
}

/// A chain that checked out: how many entries, and the latest one's hash (to note elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: i64,
    pub head: String,
}

/// The first place the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the audit log is broken at entry {seq}: {reason}")]
pub struct Broken {
    /// The number of the first entry that does not check out.
    pub seq: i64,
    pub reason: String,
}

/// Walks the whole chain from the first entry; `Err` names the first entry that fails.
pub fn verify(conn: &Connection) -> Result<std::result::Result<Verified, Broken>> {
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_string();
    let mut first_broken = None;
    each_entry(conn, None, |entry| {
        let reason = if entry.seq != expected_seq {
            first_broken =
                Some(Broken { seq: expected_seq, reason: format!("it is missing (the next entry is {})", entry.seq) });
            return false;
        } else if entry.prev != prev {
            "it does not follow the entry before it (its previous hash differs)".to_string()
        } else if entry.hash != entry.computed_hash() {
            "its contents were changed after it was written (its hash does not match)".to_string()
        } else if AuditAction::parse(&entry.action).is_none() {
            format!("unknown action {:?}", entry.action)
        } else {
            prev = entry.hash;
            expected_seq += 1;
            return true;
        };
        first_broken = Some(Broken { seq: entry.seq, reason });
        false
    })?;
    if let Some(broken) = first_broken {
        return Ok(Err(broken));
    }
    let last = expected_seq - 1;
    let head: Option<String> =
        conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?.query_row([HEAD_KEY], |r| r.get(0)).optional()?;
    let recorded = head.as_deref().and_then(|h| h.split_once(':'));
    match recorded {
        None if last == 0 => {}
        None => return Ok(Err(Broken { seq: last, reason: "the log's recorded head is missing".into() })),
        Some((seq, hash)) => {
            let seq: i64 = seq.parse().unwrap_or(-1);
            if seq != last || hash != prev {
                return Ok(Err(Broken {
                    seq: last + 1,
                    reason: format!(
                        "the log ends at entry {last} but its recorded head is entry {seq}: newer entries were deleted"
                    ),
                }));
            }
        }
    }
    Ok(Ok(Verified { entries: last, head: prev }))
}

impl Hub {
    /// The entries of `submission` (and `standard`) the caller may read, oldest first; `None`
    /// when the caller may not see the submission at all (the same answer as for one that does
    /// not exist). Each entry is asked of the one permission function as what it is about: a
    /// judgement's entry is read as that judgement in that state (nobody learns when another
    /// member saved a draft), the consolidation's and the reports' as the consolidation.
    pub fn history(
        &self,
        caller: &Caller,
        submission: &str,
        standard: Option<&str>,
    ) -> Result<Option<Vec<HistoryEntry>>> {
        let access = self.access(submission)?;
        // One context for every entry's decision below, others' judgements among them.
        let context = match &access {
            Some(access) => Some(self.context(access, caller)?),
            None => None,
        };
        if !decide(caller.actor(), context.as_ref(), Action::ReadSubmission).allowed() || access.is_none() {
            return Ok(None);
        }
        let mut visible = Vec::new();
        for entry in entries(self.store.connection(), Some(submission))? {
            if standard.is_some() && entry.standard.as_deref() != standard {
                continue;
            }
            let action = AuditAction::parse(&entry.action)
                .ok_or_else(|| HubError::Invalid(format!("audit entry {} has an unknown action", entry.seq)))?;
            let asked = match action {
                AuditAction::JudgementDraft | AuditAction::JudgementSubmit => Action::ReadJudgement {
                    reviewer: &entry.actor,
                    standard: entry.standard.as_deref().unwrap_or_default(),
                    state: if action == AuditAction::JudgementDraft {
                        JudgementState::Draft
                    } else {
                        JudgementState::Submitted
                    },
                },
                AuditAction::ConsolidationSave | AuditAction::ReportPush => Action::ReadConsolidation,
                _ => Action::ReadSubmission,
            };
            if !decide(caller.actor(), context.as_ref(), asked).allowed() {
                continue;
            }
            let actor_name = if entry.actor == OFFICE {
                "the accreditation office".to_string()
            } else {
                self.store.person_name(&entry.actor)?
            };
            visible.push(HistoryEntry {
                seq: entry.seq,
                at: entry.at,
                actor: entry.actor,
                actor_name,
                action: entry.action,
                what: action.describe().to_string(),
                standard: entry.standard,
                digest: entry.digest,
            });
        }
        Ok(Some(visible))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub_with_entries(n: usize) -> Hub {
        let mut hub = Hub::open_in_memory().unwrap();
        for i in 0..n {
            let payload = format!("payload {i}");
            let mut record = Record::new(OFFICE, AuditAction::OrganisationSet, payload.as_bytes());
            record.subject = Some("someone");
            append_alone(hub.store_mut().connection_mut(), &record).unwrap();
        }
        hub
    }

    /// What an attacker with the database file can do: the triggers are no obstacle to them.
    fn tamper(hub: &Hub, sql: &str) {
        let conn = hub.store().connection();
        conn.execute_batch("DROP TRIGGER hub_audit_no_update; DROP TRIGGER hub_audit_no_delete;").unwrap();
        conn.execute_batch(sql).unwrap();
    }

    /// Entries already on hubs were hashed this way: the hash of fixed fields must never change.
    #[test]
    fn an_entrys_hash_is_sha256_of_its_fields_as_a_json_array() {
        let entry = Entry {
            seq: 7,
            at: "2026-12-08T01:00:00.000Z".into(),
            actor: "u-demo".into(),
            action: "judgement.draft".into(),
            submission: Some("S-2026-014".into()),
            standard: None,
            op_id: Some("0193a1f0-0000-7000-8000-000000000000".into()),
            subject: None,
            digest: digest(b"payload \"quoted\""),
            prev: GENESIS.into(),
            hash: String::new(),
        };
        assert_eq!(entry.computed_hash(), "f36de2527aba877ad296d7cea93076f76161068271bde87e3f39dd1799eb29eb");
    }

    #[test]
    fn every_action_name_reads_back() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }

    #[test]
    fn a_fresh_chain_verifies_and_names_its_head() {
        let hub = hub_with_entries(5);
        let verified = verify(hub.store().connection()).unwrap().expect("an untouched chain verifies");
        assert_eq!(verified.entries, 5);
        let last = entries(hub.store().connection(), None).unwrap().pop().unwrap();
        assert_eq!(verified.head, last.hash);
        assert_eq!(entries(hub.store().connection(), None).unwrap()[0].prev, GENESIS);
        let empty = Hub::open_in_memory().unwrap();
        assert_eq!(verify(empty.store().connection()).unwrap().unwrap().entries, 0);
    }

    #[test]
    fn the_log_refuses_updates_and_deletes() {
        let hub = hub_with_entries(2);
        let conn = hub.store().connection();
        let update = conn.execute("UPDATE hub_audit SET actor = 'u-x' WHERE seq = 1", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = conn.execute("DELETE FROM hub_audit WHERE seq = 2", []);
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }

    #[test]
    fn an_edited_entry_is_named() {
        let hub = hub_with_entries(5);
        tamper(&hub, "UPDATE hub_audit SET actor = 'u-rev1' WHERE seq = 3");
        let broken = verify(hub.store().connection()).unwrap().expect_err("an edited row is found");
        assert_eq!(broken.seq, 3, "{broken}");
        assert!(broken.to_string().contains("changed"), "{broken}");
    }

    #[test]
    fn an_edited_entry_with_its_hash_recomputed_breaks_the_next_link() {
        let hub = hub_with_entries(5);
        tamper(&hub, "UPDATE hub_audit SET actor = 'u-rev1' WHERE seq = 2");
        let mut edited = entries(hub.store().connection(), None).unwrap().remove(1);
        edited.hash = edited.computed_hash();
        tamper_hash(&hub, 2, &edited.hash);
        let broken = verify(hub.store().connection()).unwrap().expect_err("the rewrite is found");
        assert_eq!(broken.seq, 3, "{broken}");
        assert!(broken.to_string().contains("does not follow"), "{broken}");
    }

    fn tamper_hash(hub: &Hub, seq: i64, hash: &str) {
        hub.store().connection().execute("UPDATE hub_audit SET hash = ?1 WHERE seq = ?2", params![hash, seq]).unwrap();
    }

    #[test]
    fn a_deleted_entry_is_named_in_the_middle_and_at_the_end() {
        let hub = hub_with_entries(5);
        tamper(&hub, "DELETE FROM hub_audit WHERE seq = 2");
        let broken = verify(hub.store().connection()).unwrap().expect_err("a deleted row is found");
        assert_eq!(broken.seq, 2, "{broken}");
        assert!(broken.to_string().contains("missing"), "{broken}");

        let hub = hub_with_entries(5);
        tamper(&hub, "DELETE FROM hub_audit WHERE seq >= 4");
        let broken = verify(hub.store().connection()).unwrap().expect_err("the newest entries deleted are found");
        assert_eq!(broken.seq, 4, "{broken}");
        assert!(broken.to_string().contains("deleted"), "{broken}");
    }
}
