//! The hub's own tables, beside the cache schema it shares (people, frameworks, submissions,
//! panels, judgements). Versioned apart from the cache, in `meta.hub_schema`.

use rusqlite::{Connection, OptionalExtension};

use super::{HubError, Result};

pub const MIGRATIONS: &[&str] = &[
    // 1: accounts, the op log, the change feed, conflict copies.
    r#"
    CREATE TABLE hub_users (
        id         TEXT PRIMARY KEY REFERENCES people (id),
        role       TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        revoked    INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    -- Every op ever answered, with its answer, so a retry gets the same answer.
    CREATE TABLE hub_ops (
        op_id       TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL,
        answer      TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    -- The change feed. `recipient` is set for changes re-issued to one reader (the reveal).
    CREATE TABLE hub_changes (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        kind          TEXT NOT NULL,
        submission_id TEXT,
        entity_key    TEXT NOT NULL,
        recipient     TEXT
    );
    -- Ops that lost to a newer value: kept, never discarded.
    CREATE TABLE hub_conflicts (
        id          INTEGER PRIMARY KEY,
        op_id       TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        payload     TEXT NOT NULL,
        current_rev INTEGER NOT NULL,
        created_at  TEXT NOT NULL
    );
    "#,
    // 2: when each account was last seen (to the minute), for `accredit hub users`.
    r#"
    ALTER TABLE hub_users ADD COLUMN last_seen TEXT;
    "#,
    // 3: members confirm the pushed panel report is accurate (issue 12).
    r#"
    CREATE TABLE hub_confirmations (
        submission_id TEXT NOT NULL,
        user_id       TEXT NOT NULL,
        version       INTEGER NOT NULL,
        comment       TEXT NOT NULL DEFAULT '',
        confirmed_at  TEXT NOT NULL,
        PRIMARY KEY (submission_id, user_id)
    );
    "#,
    // 4: the audit trail (`audit`): append-only, each entry chained to the one before by hash.
    r#"
    CREATE TABLE hub_audit (
        seq           INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        actor         TEXT NOT NULL,
        action        TEXT NOT NULL,
        submission_id TEXT,
        standard_code TEXT,
        op_id         TEXT,
        subject       TEXT,
        digest        TEXT NOT NULL,
        prev          TEXT NOT NULL UNIQUE,
        hash          TEXT NOT NULL
    );
    CREATE INDEX hub_audit_submission ON hub_audit (submission_id, seq);
    -- Append-only for everyone who goes through SQL as it is meant; the hash chain catches the
    -- rest (`accredit hub audit --verify`).
    CREATE TRIGGER hub_audit_no_update BEFORE UPDATE ON hub_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER hub_audit_no_delete BEFORE DELETE ON hub_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    "#,
    // 5: rejected ops are remembered only for a while (the newest `ops::MAX_KEPT_REJECTIONS` per
    // user), so they are marked and indexed; those kept lose the copy of the hub's judgement
    // (a retry reads it afresh), and a user's older ones go.
    r#"
    ALTER TABLE hub_ops ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;
    UPDATE hub_ops SET rejected = 1, answer = json_remove(answer, '$.current')
        WHERE json_extract(answer, '$.status') = 'rejected';
    DELETE FROM hub_ops WHERE rowid IN (
        SELECT rowid FROM (
            SELECT rowid, row_number() OVER (PARTITION BY user_id ORDER BY rowid DESC) AS newest
            FROM hub_ops WHERE rejected = 1)
        WHERE newest > 1000);
    CREATE INDEX hub_ops_rejected ON hub_ops (user_id) WHERE rejected = 1;
    "#,
    // 6: documents the office marks as for everyone on a panel (a lay member limited to some
    // standards receives them too, beside those their standards cite).
    r#"
    CREATE TABLE hub_shared_documents (
        submission_id TEXT NOT NULL,
        document_id   TEXT NOT NULL,
        PRIMARY KEY (submission_id, document_id)
    );
    "#,
    // 7: a judgement's change names its standard and reviewer in columns of their own (as well
    // as in its key), so a pull joins each change to its judgement in one query and drops the
    // other reviewers' drafts there, rather than reading each judgement on its own (`feed`).
    r#"
    ALTER TABLE hub_changes ADD COLUMN standard_code TEXT;
    ALTER TABLE hub_changes ADD COLUMN reviewer_id TEXT;
    -- The key is submission, standard, reviewer separated by U+001F: the part after the
    -- submission first, then split (every SET reads the row as it was before the UPDATE).
    UPDATE hub_changes SET reviewer_id = substr(entity_key, instr(entity_key, char(31)) + 1)
        WHERE kind = 'judgement';
    UPDATE hub_changes SET standard_code = substr(reviewer_id, 1, instr(reviewer_id, char(31)) - 1),
                           reviewer_id = substr(reviewer_id, instr(reviewer_id, char(31)) + 1)
        WHERE kind = 'judgement';
    "#,
    // 8: a pull (`feed::FEED_QUERY`) builds, once per query, the set of submissions the caller
    // chairs and the set where they have submitted a judgement: both by index, not by a scan of
    // every judgement on the hub. (On tables of the cache schema: a cache migration that rebuilt
    // one of them would have to make its index again.)
    r#"
    CREATE INDEX judgements_submitted_by ON judgements (reviewer_id, submission_id) WHERE state = 'submitted';
    CREATE INDEX panels_by_chair ON panels (chair);
    "#,
];

/// The hub schema version that added the audit trail.
pub const AUDIT_VERSION: i64 = 4;

/// The hub schema version of a fully migrated hub database.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The hub schema version the database is at (0: no hub tables yet). A version that cannot be
/// read is an error, never taken for 0 (which would run every migration over existing tables).
pub fn version(conn: &Connection) -> Result<i64> {
    let found: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'hub_schema'", [], |r| r.get(0)).optional()?;
    match found {
        None => Ok(0),
        Some(text) => text.parse().map_err(|_| {
            HubError::Invalid(format!("the hub database's schema version {text:?} is not a number; restore a backup"))
        }),
    }
}

/// Applies every migration newer than the database's, each in its own transaction; refuses a
/// database written by a newer accredit.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current = version(conn)?;
    if current > latest_version() {
        return Err(HubError::TooNew { found: current, known: latest_version() });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('hub_schema', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(index + 1).to_string()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::Hub;

    /// A hub database file at hub schema `version` (the cache schema it extends up to date).
    fn hub_db_at(dir: &std::path::Path, version: usize) -> std::path::PathBuf {
        let path = dir.join(format!("hub-{version}.sqlite"));
        let mut store = crate::store::Store::open(&path).unwrap();
        let conn = store.connection_mut();
        for (index, sql) in MIGRATIONS.iter().enumerate().take(version) {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('hub_schema', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(index + 1).to_string()],
            )
            .unwrap();
        }
        path
    }

    #[test]
    fn every_earlier_version_migrates_to_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        for version in 0..=MIGRATIONS.len() {
            let path = hub_db_at(dir.path(), version);
            let hub = Hub::open(&path).unwrap_or_else(|e| panic!("from hub schema {version}: {e}"));
            assert_eq!(super::version(hub.store().connection()).unwrap(), latest_version(), "from {version}");
            drop(hub);
            // Opening again changes nothing.
            Hub::open(&path).unwrap_or_else(|e| panic!("reopening after {version}: {e}"));
        }
    }

    #[test]
    fn migration_5_keeps_each_users_newest_rejections_without_their_copies_of_the_judgement() {
        let dir = tempfile::tempdir().unwrap();
        let path = hub_db_at(dir.path(), 4);
        let conn = rusqlite::Connection::open(&path).unwrap();
        let big = serde_json::json!({"status": "rejected", "reason": "submitted", "current": {"rationale": "x".repeat(5000)}});
        let mut insert = conn
            .prepare("INSERT INTO hub_ops (op_id, user_id, answer, received_at) VALUES (?1, ?2, ?3, '2026-01-01')")
            .unwrap();
        for i in 0..1_005 {
            insert.execute(rusqlite::params![format!("r-{i}"), "u-a", big.to_string()]).unwrap();
        }
        insert.execute(rusqlite::params!["r-b", "u-b", big.to_string()]).unwrap();
        insert.execute(rusqlite::params!["applied", "u-a", r#"{"status":"applied","rev":1,"seq":1}"#]).unwrap();
        drop(insert);
        drop(conn);
        let hub = Hub::open(&path).unwrap();
        let conn = hub.store().connection();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("SELECT count(*) FROM hub_ops WHERE user_id = 'u-a' AND rejected = 1"), 1_000);
        assert_eq!(count("SELECT count(*) FROM hub_ops WHERE op_id IN ('r-0', 'r-4')"), 0, "the oldest go");
        assert_eq!(count("SELECT count(*) FROM hub_ops WHERE op_id IN ('r-1004', 'r-b', 'applied')"), 3);
        assert_eq!(count("SELECT count(*) FROM hub_ops WHERE answer LIKE '%current%'"), 0);
        assert_eq!(count("SELECT count(*) FROM hub_ops WHERE rejected = 0"), 1, "an applied op is not a rejection");
        let kept: String = conn.query_row("SELECT answer FROM hub_ops WHERE op_id = 'r-b'", [], |r| r.get(0)).unwrap();
        let kept: crate::wire::OpOutcome = serde_json::from_str(&kept).unwrap();
        assert_eq!(kept, crate::wire::OpOutcome::Rejected { reason: "submitted".into(), current: None });
    }

    #[test]
    fn migration_7_names_each_judgement_changes_standard_and_reviewer() {
        let dir = tempfile::tempdir().unwrap();
        let path = hub_db_at(dir.path(), 6);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO hub_changes (kind, submission_id, entity_key, recipient) VALUES
                ('judgement', 'S-2026-014', 'S-2026-014' || char(31) || 'SET 1.2' || char(31) || 'u-rev1', NULL),
                ('judgement', 'S-2026-014', 'S-2026-014' || char(31) || 'SET 13' || char(31) || 'u-demo', 'u-chair'),
                ('panel', 'S-2026-014', 'S-2026-014', NULL)",
        )
        .unwrap();
        drop(conn);
        let hub = Hub::open(&path).unwrap();
        let mut stmt = hub
            .store()
            .connection()
            .prepare("SELECT kind, standard_code, reviewer_id FROM hub_changes ORDER BY seq")
            .unwrap();
        let rows: Vec<(String, Option<String>, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            rows,
            [
                ("judgement".into(), some("SET 1.2"), some("u-rev1")),
                ("judgement".into(), some("SET 13"), some("u-demo")),
                ("panel".into(), None, None)
            ]
        );
    }

    #[test]
    fn a_newer_or_unreadable_hub_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = hub_db_at(dir.path(), MIGRATIONS.len());
        let store = crate::store::Store::open(&path).unwrap();
        store.set_meta("hub_schema", &(latest_version() + 1).to_string()).unwrap();
        drop(store);
        let error = Hub::open(&path).err().expect("a newer hub database is refused");
        assert!(matches!(error, HubError::TooNew { .. }), "{error}");
        assert!(error.to_string().contains("update accredit"), "{error}");

        let store = crate::store::Store::open(&path).unwrap();
        store.set_meta("hub_schema", "two").unwrap();
        drop(store);
        let error = Hub::open(&path).err().expect("an unreadable version is refused, not read as 0");
        assert!(error.to_string().contains("not a number"), "{error}");
    }
}
