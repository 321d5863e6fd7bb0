//! Looking at a cache without changing it, for `accredit doctor`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{Result, Store, StoreError, schema};

/// What a read-only look at a cache file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheHealth {
    /// SQLite's `PRAGMA integrity_check`: `["ok"]` when sound, else each problem.
    pub integrity: Vec<String>,
    /// The schema version the file is at.
    pub schema: i64,
    /// The schema version this accredit writes.
    pub latest: i64,
    /// The user the cache belongs to, if it has one.
    pub owner: Option<String>,
}

impl CacheHealth {
    pub fn is_sound(&self) -> bool {
        self.integrity == ["ok"]
    }
}

impl Store {
    /// Inspects the cache at `path` read-only: nothing is migrated or written.
    pub fn inspect(path: &Path) -> Result<CacheHealth> {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let mut statement = conn.prepare("PRAGMA integrity_check")?;
        let integrity = statement.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let has_meta: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
            [],
            |r| r.get(0),
        )?;
        let owner = if has_meta {
            conn.query_row("SELECT value FROM meta WHERE key = 'me'", [], |r| r.get(0)).optional()?
        } else {
            None
        };
        Ok(CacheHealth { integrity, schema, latest: schema::latest_version(), owner })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sound_cache_is_reported_sound_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let mut store = Store::open(&path).unwrap();
        crate::demo::install(&mut store).unwrap();
        drop(store);
        let health = Store::inspect(&path).unwrap();
        assert!(health.is_sound(), "{health:?}");
        assert_eq!(health.schema, schema::latest_version());
        assert_eq!(health.owner.as_deref(), Some("u-demo"));
    }

    #[test]
    fn an_old_schema_is_reported_not_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x); PRAGMA user_version = 0;").unwrap();
        let health = Store::inspect(&path).unwrap();
        assert_eq!((health.schema, health.owner), (0, None));
        assert_eq!(Store::inspect(&path).unwrap().schema, 0, "inspecting migrates nothing");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        std::fs::write(&path, "this is not SQLite, just some text that is long enough to look like a header...")
            .unwrap();
        let error = Store::inspect(&path).unwrap_err();
        assert!(error.to_string().contains("not a database"), "{error}");
    }
}
