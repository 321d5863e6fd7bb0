//! The hub's own tables, beside the cache schema it shares (people, frameworks, submissions,
//! panels, judgements). Versioned apart from the cache, in `meta.hub_schema`.

use rusqlite::Connection;

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
    // 2: members confirm the pushed panel report is accurate (issue 12).
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
];

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn
        .query_row("SELECT value FROM meta WHERE key = 'hub_schema'", [], |r| r.get::<_, String>(0))
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
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
