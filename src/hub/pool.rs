//! Readers beside the writer: a few read-only connections to the hub's database, so that pulls,
//! document fetches and sign-ins do not queue behind a push holding the one writer. WAL lets a
//! reader read the last committed state while the writer writes.
//!
//! Each piece of read work runs in one read transaction, so that everything it looks at (the
//! caller's rights, the feed, the rows) is one consistent snapshot, as it was when every
//! request took the one lock.

use std::path::Path;
use std::sync::{Condvar, Mutex};

use super::{Hub, Result};

/// How many readers a hub keeps: one core fewer than the machine has (at least one), so that
/// a push is not slowed by more reads at once than there are cores to run them (reads are
/// CPU-bound: the database is in the page cache; on two cores, four readers made pushes three
/// times slower and reads no faster than the one lock). One reader on two cores, by the sync
/// benchmark's phase 4 (p99 per request with one reader ÷ with none, two runs each way): while
/// signing in and reading the page took two trips to a reader it lost (1.26 and 1.00 with 1
/// sync in 10 pushing, 1.57 and 1.61 with 200 clients); since `GET /changes` takes one
/// (`http::AppState::read_as`) it wins where the aims are hardest (0.97 and 0.87 with 1 in 10
/// pushing, 0.79 and 0.76 with 200 clients; 1.81 and 1.34 with 50 clients and nothing to push,
/// all well under their aim), and reads never wait for a long push.
pub fn readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).saturating_sub(1).max(1)
}

pub struct Readers {
    idle: Mutex<Vec<Hub>>,
    returned: Condvar,
}

impl Readers {
    /// `count` readers of the hub database at `path` (already opened for writing, and so
    /// migrated).
    pub fn open(path: &Path, count: usize) -> Result<Readers> {
        let idle = (0..count.max(1)).map(|_| Hub::open_reader(path)).collect::<Result<Vec<_>>>()?;
        Ok(Readers { idle: Mutex::new(idle), returned: Condvar::new() })
    }

    /// Runs `work` on an idle reader, waiting for one if all are busy, inside one read
    /// transaction. Blocking: call it off the async threads.
    pub fn read<T>(&self, work: impl FnOnce(&Hub) -> Result<T>) -> Result<T> {
        let hub = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                match idle.pop() {
                    Some(hub) => break hub,
                    None => idle = self.returned.wait(idle).unwrap_or_else(|p| p.into_inner()),
                }
            }
        };
        // Given back however `work` ends, a panic included.
        let lent = Lent { readers: self, hub: Some(hub) };
        let hub = lent.hub.as_ref().expect("lent");
        let conn = hub.store().connection();
        conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
        let result = work(hub);
        // Ending a read transaction cannot lose anything; a failure here would be the
        // connection's, and the next BEGIN reports it.
        let _ = conn.prepare_cached("COMMIT").and_then(|mut commit| commit.execute([]));
        result
    }
}

struct Lent<'a> {
    readers: &'a Readers,
    hub: Option<Hub>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.take() {
            // Left inside its transaction (a panic mid-read): end it before lending it again.
            if !hub.store().connection().is_autocommit() {
                let _ = hub.store().connection().execute_batch("ROLLBACK");
            }
            self.readers.idle.lock().unwrap_or_else(|p| p.into_inner()).push(hub);
            self.readers.returned.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::UserRole;

    #[test]
    fn readers_see_what_the_writer_committed_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.sqlite");
        let mut writer = Hub::open(&path).unwrap();
        let readers = Readers::open(&path, 2).unwrap();
        assert!(readers.read(|hub| hub.users()).unwrap().is_empty());
        let (_, token) = writer.add_user(Some("u-a"), "A Person", UserRole::Reviewer).unwrap();
        let found = readers.read(|hub| hub.find_token(&token)).unwrap().expect("the reader sees the new user");
        assert_eq!(found.caller.user.id, "u-a");
        assert!(found.seen_now.is_some(), "never seen yet");
        let refused = readers.read(|hub| hub.seen("u-a", "2026-01-01T00:00:00Z"));
        assert!(refused.is_err(), "a reader refuses to write");
        // The reader is lent again after an error, and the writer records the sighting.
        writer.seen("u-a", &found.seen_now.clone().unwrap()).unwrap();
        let again = readers.read(|hub| hub.find_token(&token)).unwrap().unwrap();
        assert_eq!(again.seen_now, None, "seen this minute: no write needed");
    }

    #[test]
    fn a_reader_is_given_back_after_a_panic_outside_its_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.sqlite");
        let mut writer = Hub::open(&path).unwrap();
        let readers = Readers::open(&path, 1).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            readers.read(|_| -> Result<()> { panic!("a bug in a read") })
        }));
        assert!(panicked.is_err());
        // The one reader is back, and not stuck on the old snapshot: it sees a later write.
        writer.add_user(Some("u-b"), "B Person", UserRole::Reviewer).unwrap();
        assert_eq!(readers.read(|hub| Ok(hub.users()?.len())).unwrap(), 1);
    }
}
