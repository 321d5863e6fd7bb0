//! Backups of the hub's database while it serves, and restoring one (`accredit hub backup`,
//! `accredit hub restore`).
//!
//! A backup is SQLite's online backup of the whole database in one step: one read transaction,
//! so the copy is the database as it stood at one instant (every push committed before it whole,
//! none after it at all), while the hub goes on serving (WAL readers never block the writer). The
//! copy is checked (integrity, schema, audit chain) before it takes its name. A restore refuses
//! while `accredit serve` runs on the database, checks the file the same way, keeps the database
//! it replaces, and installs the copy.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Hub, HubError, Result, audit, schema};

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub hub_schema: i64,
    pub audit_entries: i64,
    pub audit_head: String,
    pub bytes: u64,
}

/// Copies the hub database `db` to a new file `to` (mode 0600) while the hub may be serving,
/// then checks the copy.
pub fn backup(db: &Path, to: &Path) -> Result<Checked> {
    if !db.exists() {
        return Err(HubError::Invalid(format!("there is no hub database at {}", db.display())));
    }
    if to.exists() {
        return Err(HubError::Invalid(format!(
            "{} exists already; back up to a new file (a name with the date, say)",
            to.display()
        )));
    }
    // Read-write flags (it writes nothing): a read-only connection cannot always open a WAL
    // database whose shared-memory file is missing.
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    source.busy_timeout(Duration::from_secs(10))?;
    let found = schema::version(&source)?;
    if found == 0 {
        return Err(HubError::Invalid(format!("{} is not a hub database (no hub schema)", db.display())));
    }
    let partial = sibling(to, ".partial");
    let result = (|| {
        let mut copy = open_private_new(&partial)?;
        copy_all(&source, &mut copy)?;
        drop(copy);
        let checked = check(&partial)?;
        std::fs::rename(&partial, to).map_err(|e| io(to, "name the backup", e))?;
        Ok(checked)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_file(sibling(&partial, "-journal"));
    }
    result
}

/// The whole database in one step: one read transaction, one instant.
fn copy_all(source: &Connection, copy: &mut Connection) -> Result<()> {
    let backup = Backup::new(source, copy)?;
    let mut waited = Duration::ZERO;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Busy or locked (the enum is open to more answers): wait a little, then again.
            _ if waited < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(50));
                waited += Duration::from_millis(50);
            }
            _ => return Err(HubError::Invalid("the hub database stayed locked for 30 s; try again".into())),
        }
    }
}

/// Checks a hub database file that nothing else uses: SQLite's integrity check, a hub schema
/// this accredit knows, and an audit chain that verifies. Nothing in it is changed.
pub fn check(file: &Path) -> Result<Checked> {
    let name = file.display();
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| HubError::Invalid(format!("{name} cannot be opened as a database: {e}")))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| HubError::Invalid(format!("{name} is not a hub database: {e}")))?;
    if integrity != "ok" {
        return Err(HubError::Invalid(format!("{name} fails SQLite's integrity check: {integrity}")));
    }
    let has_meta: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'meta')", [], |r| r.get(0))?;
    let hub_schema = if has_meta { schema::version(&conn)? } else { 0 };
    if hub_schema == 0 {
        return Err(HubError::Invalid(format!("{name} is not a hub database (no hub schema)")));
    }
    if hub_schema > schema::latest_version() {
        return Err(HubError::TooNew { found: hub_schema, known: schema::latest_version() });
    }
    let (audit_entries, audit_head) = if hub_schema >= schema::AUDIT_VERSION {
        let verified = audit::verify(&conn)?.map_err(|broken| HubError::Invalid(format!("{name}: {broken}")))?;
        (verified.entries, verified.head)
    } else {
        (0, audit::GENESIS.to_string())
    };
    let bytes = std::fs::metadata(file).map_err(|e| io(file, "read", e))?.len();
    Ok(Checked { hub_schema, audit_entries, audit_head, bytes })
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub checked: Checked,
    /// Where the database it replaced was kept, if there was one.
    pub kept: Option<PathBuf>,
}

/// Installs the backup `from` as the hub database `db`: refused while a hub serves `db`, or when
/// `from` is not a sound hub database. The database it replaces is kept beside it.
pub fn restore(from: &Path, db: &Path) -> Result<Restored> {
    let _lock = ServingLock::acquire(db).map_err(|_| {
        HubError::Invalid(format!(
            "a hub is serving {} (`accredit serve`); stop it before restoring, then start it again",
            db.display()
        ))
    })?;
    if !from.is_file() {
        return Err(HubError::Invalid(format!("there is no backup file {}", from.display())));
    }
    let incoming = sibling(db, ".restoring");
    let _ = std::fs::remove_file(&incoming);
    let result = (|| {
        // Checked as a copy: the backup itself is never opened for writing.
        std::fs::copy(from, &incoming).map_err(|e| io(from, "copy", e))?;
        crate::paths::make_private(&incoming).map_err(|e| io(&incoming, "make private", e))?;
        check(&incoming).map_err(|e| HubError::Invalid(format!("{}: {e}", from.display())))?;
        let backed_up = check(&incoming)?;
        // An older hub schema is brought up to date on the copy, before anything is replaced.
        let mut hub = Hub::open(&incoming)?;
        resume_the_feed(&mut hub, if db.exists() { last_change(db)? } else { 0 })?;
        let payload = backed_up.audit_head.clone();
        audit::append_alone(
            hub.store_mut().connection_mut(),
            &audit::Record::new(audit::OFFICE, audit::AuditAction::Restore, payload.as_bytes()),
        )?;
        hub.store().connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        drop(hub);
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sibling(&incoming, suffix));
        }
        let checked = check(&incoming)?;
        let kept = if db.exists() {
            let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
            let kept = sibling(db, &format!(".before-restore-{stamp}"));
            std::fs::rename(db, &kept).map_err(|e| io(db, "keep the database being replaced", e))?;
            // A WAL left by a hub that stopped without checkpointing belongs with its database.
            let wal = sibling(db, "-wal");
            if wal.exists() {
                std::fs::rename(&wal, sibling(&kept, "-wal")).map_err(|e| io(&wal, "keep", e))?;
            }
            let _ = std::fs::remove_file(sibling(db, "-shm"));
            Some(kept)
        } else {
            None
        };
        std::fs::rename(&incoming, db).map_err(|e| io(db, "install the backup as", e))?;
        Ok(Restored { checked, kept })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&incoming);
    }
    result
}

/// The last change number the database being replaced has handed out (members' machines may
/// have pulled up to it).
fn last_change(db: &Path) -> Result<i64> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let has_feed: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'hub_changes')", [], |r| r.get(0))?;
    if !has_feed {
        return Ok(0);
    }
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM hub_changes", [], |r| r.get(0))?)
}

/// Members' machines pull from a cursor into the change feed, and the backup's feed ends before
/// theirs: numbered on from there, new changes would be skipped until the numbers caught up.
/// So the restored feed continues after the highest number the replaced database handed out,
/// and everything is published again, so every machine comes back to what the hub now holds.
fn resume_the_feed(hub: &mut Hub, after: i64) -> Result<()> {
    let conn = hub.store().connection();
    let current: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM hub_changes", [], |r| r.get(0))?;
    if after > current {
        // AUTOINCREMENT numbers on from sqlite_sequence; the row exists once a change was made.
        let updated = conn.execute("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'hub_changes'", [after])?;
        if updated == 0 {
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('hub_changes', ?1)", [after])?;
        }
    }
    hub.publish_everything()
}

/// Held by `accredit serve` for as long as it serves a database, so that a restore (or a second
/// hub) on the same file is refused. An advisory lock on `DB.lock` beside it, released by the
/// operating system however the hub stops.
pub struct ServingLock {
    _file: File,
}

impl ServingLock {
    pub fn acquire(db: &Path) -> Result<ServingLock> {
        let path = sibling(db, ".lock");
        let file = open_private(&path).map_err(|e| io(&path, "open the lock file", e))?;
        lock_exclusive(&file).map_err(|_| {
            HubError::Invalid(format!(
                "another accredit is serving {} (its lock {} is held)",
                db.display(),
                path.display()
            ))
        })?;
        Ok(ServingLock { _file: file })
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor this function borrows; no memory is shared.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(unix))]
fn lock_exclusive(_file: &File) -> std::io::Result<()> {
    Ok(())
}

fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    crate::paths::make_private(path)?;
    Ok(file)
}

/// A new, empty database file with mode 0600 (made before SQLite opens it, so it never exists
/// with wider permissions; SQLite gives its journal the same mode).
fn open_private_new(path: &Path) -> Result<Connection> {
    let _ = std::fs::remove_file(path);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| io(path, "create", e))?;
    Ok(Connection::open(path)?)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

fn io(path: &Path, what: &str, error: std::io::Error) -> HubError {
    HubError::Invalid(format!("cannot {what} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_of_a_hub_checks_out_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.sqlite");
        let mut hub = Hub::open(&db).unwrap();
        hub.add_user(Some("u-a"), "A", crate::wire::UserRole::Admin).unwrap();
        let to = dir.path().join("copy.sqlite");
        let checked = backup(&db, &to).unwrap();
        assert_eq!(checked.hub_schema, schema::latest_version());
        assert_eq!(checked.audit_entries, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&to).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(backup(&db, &to).unwrap_err().to_string().contains("exists already"));
        assert!(!sibling(&to, ".partial").exists());
    }

    #[test]
    fn only_a_sound_hub_database_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.sqlite");
        Hub::open(&db).unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database at all, just some words to fill a page or two").unwrap();
        assert!(restore(&text, &db).unwrap_err().to_string().contains("not a hub database"));
        let cache = dir.path().join("cache.sqlite");
        crate::store::Store::open(&cache).unwrap();
        assert!(restore(&cache, &db).unwrap_err().to_string().contains("no hub schema"));
        assert!(db.exists(), "a refused restore leaves the database alone");
    }

    #[test]
    fn the_restored_feed_numbers_on_past_every_cursor_the_replaced_one_handed_out() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.sqlite");
        let mut hub = Hub::open(&db).unwrap();
        hub.seed_demo().unwrap();
        let copy = dir.path().join("copy.sqlite");
        backup(&db, &copy).unwrap();
        // After the backup, the hub handed out many more change numbers than a re-publish makes.
        hub.store()
            .connection()
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                 INSERT INTO hub_changes (kind, submission_id, entity_key) SELECT 'framework', NULL, 'x' FROM n",
            )
            .unwrap();
        let cursor: i64 =
            hub.store().connection().query_row("SELECT max(seq) FROM hub_changes", [], |r| r.get(0)).unwrap();
        drop(hub);
        restore(&copy, &db).unwrap();
        let hub = Hub::open(&db).unwrap();
        let conn = hub.store().connection();
        let republished: i64 = conn
            .query_row("SELECT count(*) FROM hub_changes WHERE seq > ?1 AND kind = 'judgement'", [cursor], |r| r.get(0))
            .unwrap();
        let judgements: i64 = conn.query_row("SELECT count(*) FROM judgements", [], |r| r.get(0)).unwrap();
        assert!(judgements > 0);
        assert_eq!(republished, judgements, "every judgement is published again past the old cursor");
    }

    #[test]
    fn a_backup_from_a_newer_accredit_or_with_a_broken_audit_chain_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.sqlite");
        let mut hub = Hub::open(&db).unwrap();
        hub.add_user(Some("u-a"), "A", crate::wire::UserRole::Admin).unwrap();
        hub.add_user(Some("u-b"), "B", crate::wire::UserRole::Reviewer).unwrap();
        drop(hub);
        let newer = dir.path().join("newer.sqlite");
        backup(&db, &newer).unwrap();
        let conn = Connection::open(&newer).unwrap();
        let too_new = (schema::latest_version() + 1).to_string();
        conn.execute("UPDATE meta SET value = ?1 WHERE key = 'hub_schema'", [too_new]).unwrap();
        drop(conn);
        assert!(restore(&newer, &db).unwrap_err().to_string().contains("newer accredit"));

        let tampered = dir.path().join("tampered.sqlite");
        backup(&db, &tampered).unwrap();
        let conn = Connection::open(&tampered).unwrap();
        conn.execute_batch("DROP TRIGGER hub_audit_no_update; UPDATE hub_audit SET actor = 'u-b' WHERE seq = 1")
            .unwrap();
        drop(conn);
        let error = restore(&tampered, &db).unwrap_err().to_string();
        assert!(error.contains("broken at entry 1"), "{error}");
        assert_eq!(check(&db).unwrap().audit_entries, 2, "the database is left as it was");
    }

    #[test]
    fn a_restore_is_refused_while_a_hub_serves_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.sqlite");
        Hub::open(&db).unwrap();
        let copy = dir.path().join("copy.sqlite");
        backup(&db, &copy).unwrap();
        let serving = ServingLock::acquire(&db).unwrap();
        assert!(restore(&copy, &db).unwrap_err().to_string().contains("stop it before restoring"));
        drop(serving);
        let restored = restore(&copy, &db).unwrap();
        assert!(restored.kept.as_ref().is_some_and(|k| k.exists()), "the replaced database is kept");
    }
}
