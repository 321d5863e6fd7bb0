//! The search index's ranking: FTS5's bm25, with each row's length remembered.
//!
//! FTS5's own `bm25()` looks every matching row's length (in tokens) up in the index's
//! `%_docsize` table, one SQL lookup per row: on words found on every one of 10,000 pages, 42 %
//! of the ranking's time (`perf` over a reproduction of benches/intake.rs's index). A row of the
//! index never changes in place (a narrative is deleted and inserted again), and every write to
//! the index goes through `search::refresh`, which moves the index's generation on
//! (`meta.search_generation`); so a row's length, once looked up, holds until the generation
//! moves. `accredit_bm25(search_index)` is FTS5's formula (sqlite3.c `fts5Bm25Function`: k1 1.2,
//! b 0.75, each phrase's IDF floored at 1e-6) over the remembered lengths, and gives the same
//! scores to the last bit (`tests::scores_are_fts5s_bm25`).
//!
//! Registered on every connection a `Store` opens (`register`); `Store::search` calls `hold_for`
//! with the generation it reads in the same snapshot as its query.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, ffi};

use super::{Result, StoreError};

/// The SQL name of the ranking function.
pub(crate) const FUNCTION: &str = "accredit_bm25";

/// The lengths of the index's rows, as looked up at one generation of the index.
#[derive(Default)]
pub(crate) struct RowLengths {
    remembered: Mutex<Remembered>,
}

/// Rowids are the index's own, from 1 up (no import gives one), so a row's length is at its
/// rowid in a vector; one above `MAX_REMEMBERED_ROWID` is looked up each time instead.
#[derive(Default)]
struct Remembered {
    generation: Option<i64>,
    /// Indexed by rowid; `UNKNOWN` where not looked up yet.
    tokens: Vec<c_int>,
}

const UNKNOWN: c_int = -1;
/// 4 bytes a row: 64 MiB at most, for an index of 16 million rows.
const MAX_REMEMBERED_ROWID: i64 = 1 << 24;

impl RowLengths {
    /// Forgets every length unless it was looked up at `generation` of the index.
    pub(crate) fn hold_for(&self, generation: i64) {
        let mut remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
        if remembered.generation != Some(generation) {
            remembered.tokens.clear();
            remembered.generation = Some(generation);
        }
    }

    /// How many rows' lengths are remembered (for tests).
    #[cfg(test)]
    fn remembered(&self) -> usize {
        let remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
        remembered.tokens.iter().filter(|&&n| n != UNKNOWN).count()
    }

    /// The length of `rowid`, looked up with `look_up` the first time.
    fn tokens(
        &self,
        rowid: i64,
        look_up: impl FnOnce() -> std::result::Result<c_int, c_int>,
    ) -> std::result::Result<c_int, c_int> {
        let Some(at) = usize::try_from(rowid).ok().filter(|_| rowid <= MAX_REMEMBERED_ROWID) else {
            return look_up();
        };
        let mut remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&n) = remembered.tokens.get(at).filter(|&&n| n != UNKNOWN) {
            return Ok(n);
        }
        let n = look_up()?;
        if remembered.tokens.len() <= at {
            remembered.tokens.resize(at + 1, UNKNOWN);
        }
        remembered.tokens[at] = n;
        Ok(n)
    }
}

/// Makes `accredit_bm25` known to FTS5 on `conn`; the lengths it remembers are returned.
pub(crate) fn register(conn: &Connection) -> Result<Arc<RowLengths>> {
    let lengths = Arc::new(RowLengths::default());
    // SAFETY: the handle is used only during this call, on the thread that owns `conn`; the
    // `fts5_api` pointer SQLite hands back lives as long as the connection.
    unsafe {
        let db = conn.handle();
        let api = fts5_api(db)?;
        let create = (*api).xCreateFunction.ok_or_else(|| unavailable("no xCreateFunction"))?;
        let name = std::ffi::CString::new(FUNCTION).expect("no NUL in the name");
        // FTS5 owns one reference from here and drops it in `release` when the connection closes.
        let user_data = Arc::into_raw(Arc::clone(&lengths)) as *mut c_void;
        let rc = create(api, name.as_ptr(), user_data, Some(bm25), Some(release));
        if rc != ffi::SQLITE_OK {
            release(user_data);
            return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None)));
        }
    }
    Ok(lengths)
}

fn unavailable(why: &str) -> StoreError {
    StoreError::Corrupt(format!("SQLite's full-text search (FTS5) cannot take a ranking function: {why}"))
}

/// The connection's `fts5_api`, as SQLite documents getting it: `SELECT fts5(?1)` with a pointer
/// bound to `?1`.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> Result<*mut ffi::fts5_api> {
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
    // SAFETY: `stmt` is finalised on every path; `api` outlives the statement's only step.
    unsafe {
        let rc = ffi::sqlite3_prepare_v2(db, c"SELECT fts5(?1)".as_ptr(), -1, &mut stmt, ptr::null_mut());
        if rc != ffi::SQLITE_OK {
            return Err(unavailable("SELECT fts5(?1) does not compile"));
        }
        ffi::sqlite3_bind_pointer(stmt, 1, (&raw mut api).cast(), c"fts5_api_ptr".as_ptr(), None);
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
    }
    // Version 2 is the first with xCreateFunction as used here.
    if api.is_null() || unsafe { (*api).iVersion } < 2 {
        return Err(unavailable("no fts5_api of version 2 or later"));
    }
    Ok(api)
}

/// Drops FTS5's reference to the lengths.
unsafe extern "C" fn release(user_data: *mut c_void) {
    // SAFETY: made by `Arc::into_raw` in `register`, released once.
    drop(unsafe { Arc::from_raw(user_data as *const RowLengths) });
}

/// What bm25 computes once per query: each phrase's IDF and the index's mean row length.
struct QueryConstants {
    idf: Vec<f64>,
    mean_tokens: f64,
    /// Each phrase's frequency in the current row (kept here to allocate once per query).
    frequency: Vec<f64>,
}

unsafe extern "C" fn drop_constants(constants: *mut c_void) {
    // SAFETY: made by `Box::into_raw` in `constants`, dropped once by FTS5.
    drop(unsafe { Box::from_raw(constants as *mut QueryConstants) });
}

/// `accredit_bm25(search_index)`: the current row's bm25 score, negated as FTS5's is (so that
/// `ORDER BY` puts the best first).
unsafe extern "C" fn bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    _argc: c_int,
    _argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes its extension API and the current row's context for this call only.
    match unsafe { score(&*api, fts) } {
        Ok(score) => unsafe { ffi::sqlite3_result_double(ctx, score) },
        Err(rc) => unsafe { ffi::sqlite3_result_error_code(ctx, rc) },
    }
}

/// An FTS5 API call's result code as a `Result`.
fn ok(rc: c_int) -> std::result::Result<(), c_int> {
    if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) }
}

/// The API's function `name`, or SQLITE_MISUSE where this SQLite lacks it.
macro_rules! call {
    ($api:expr, $name:ident) => {
        $api.$name.ok_or(ffi::SQLITE_MISUSE)?
    };
}

unsafe fn score(api: &ffi::Fts5ExtensionApi, fts: *mut ffi::Fts5Context) -> std::result::Result<f64, c_int> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    // SAFETY (the whole body): every pointer passed is FTS5's own for this row, or a local.
    unsafe {
        let constants = &mut *constants(api, fts)?;
        constants.frequency.iter_mut().for_each(|f| *f = 0.0);
        let mut instances = 0;
        ok(call!(api, xInstCount)(fts, &mut instances))?;
        for i in 0..instances {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            ok(call!(api, xInst)(fts, i, &mut phrase, &mut column, &mut offset))?;
            if let Some(f) = usize::try_from(phrase).ok().and_then(|p| constants.frequency.get_mut(p)) {
                *f += 1.0;
            }
        }
        let lengths = &*(call!(api, xUserData)(fts) as *const RowLengths);
        let tokens = lengths.tokens(call!(api, xRowid)(fts), || {
            let mut n = 0;
            ok(call!(api, xColumnSize)(fts, -1, &mut n))?;
            Ok(n)
        })?;
        let d = f64::from(tokens);
        // The same operations in the same order as sqlite3.c, so the same bits.
        let mut score = 0.0;
        for (idf, f) in constants.idf.iter().zip(&constants.frequency) {
            score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / constants.mean_tokens)));
        }
        Ok(-score)
    }
}

/// This query's constants, computed at its first row.
unsafe fn constants(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
) -> std::result::Result<*mut QueryConstants, c_int> {
    // SAFETY (the whole body): as in `score`; the auxiliary data is ours, made below.
    unsafe {
        let found = call!(api, xGetAuxdata)(fts, 0) as *mut QueryConstants;
        if !found.is_null() {
            return Ok(found);
        }
        let phrases = usize::try_from(call!(api, xPhraseCount)(fts)).unwrap_or(0);
        let (mut rows, mut tokens) = (0i64, 0i64);
        ok(call!(api, xRowCount)(fts, &mut rows))?;
        ok(call!(api, xColumnTotalSize)(fts, -1, &mut tokens))?;
        let mut idf = Vec::with_capacity(phrases);
        for phrase in 0..phrases {
            let mut hits = 0i64;
            ok(call!(api, xQueryPhrase)(fts, phrase as c_int, (&raw mut hits).cast(), Some(count_row)))?;
            let n = (rows as f64 - hits as f64 + 0.5) / (hits as f64 + 0.5);
            let value = n.ln();
            idf.push(if value <= 0.0 { 1e-6 } else { value });
        }
        let made = Box::into_raw(Box::new(QueryConstants {
            idf,
            mean_tokens: tokens as f64 / rows as f64,
            frequency: vec![0.0; phrases],
        }));
        // On failure FTS5 has already dropped `made` through `drop_constants`.
        ok(call!(api, xSetAuxdata)(fts, made.cast(), Some(drop_constants)))?;
        Ok(made)
    }
}

/// `xQueryPhrase`'s callback: one more row holds the phrase.
unsafe extern "C" fn count_row(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    hits: *mut c_void,
) -> c_int {
    // SAFETY: the `i64` `constants` passed, alive for the whole `xQueryPhrase` call.
    unsafe { *(hits as *mut i64) += 1 };
    ffi::SQLITE_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> (Connection, Arc<RowLengths>) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5 (body, tag UNINDEXED)").unwrap();
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut insert = conn.prepare("INSERT INTO t (body, tag) VALUES (?1, 'x')").unwrap();
        for row in 0..500 {
            let mut body = String::new();
            for _ in 0..(3 + row % 90) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                body.push_str(words[(seed % words.len() as u64) as usize]);
                body.push(' ');
            }
            insert.execute([body]).unwrap();
        }
        drop(insert);
        let lengths = register(&conn).unwrap();
        (conn, lengths)
    }

    fn both(conn: &Connection, q: &str) -> Vec<(i64, f64, f64)> {
        let mut stmt = conn
            .prepare(&format!("SELECT rowid, bm25(t), {FUNCTION}(t) FROM t WHERE t MATCH ?1 ORDER BY rowid"))
            .unwrap();
        stmt.query_map([q], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn scores_are_fts5s_bm25() {
        let (conn, lengths) = index();
        lengths.hold_for(1);
        for q in ["alpha", "alpha beta", "\"gamma delta\"", "eta OR theta", "zeta NOT alpha", "alp*", "nothing"] {
            // Twice: the lengths looked up, then the lengths remembered.
            for _ in 0..2 {
                for (rowid, fts5, ours) in both(&conn, q) {
                    assert_eq!(fts5.to_bits(), ours.to_bits(), "{q:?} row {rowid}: {fts5} against {ours}");
                }
            }
        }
        assert!(lengths.remembered() > 400, "rows matched by the queries are remembered");
    }

    #[test]
    fn a_new_generation_forgets_the_lengths() {
        let (conn, lengths) = index();
        lengths.hold_for(1);
        both(&conn, "alpha");
        // The last row replaced by a longer one under the same rowid, as an import can do.
        let last: i64 = conn.query_row("SELECT max(rowid) FROM t", [], |r| r.get(0)).unwrap();
        conn.execute("DELETE FROM t WHERE rowid = ?1", [last]).unwrap();
        conn.execute(
            "INSERT INTO t (rowid, body, tag) VALUES (?1, ?2, 'x')",
            rusqlite::params![last, "alpha ".repeat(300)],
        )
        .unwrap();
        lengths.hold_for(1);
        let stale = both(&conn, "alpha").into_iter().find(|(rowid, ..)| *rowid == last).unwrap();
        assert_ne!(stale.1, stale.2, "the same generation keeps the old length (what hold_for guards)");
        lengths.hold_for(2);
        for (rowid, fts5, ours) in both(&conn, "alpha") {
            assert_eq!(fts5.to_bits(), ours.to_bits(), "row {rowid} after the new generation");
        }
    }
}
