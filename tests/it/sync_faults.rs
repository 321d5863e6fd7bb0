//! Faults: the hub process killed in the middle of a push and restarted, connections cut before
//! or in the middle of an answer, and a client killed in the middle of a sync. After recovery the
//! hub holds every judgement exactly once and every replica converges (docs/sync-protocol.md §3–§5).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use accredit::domain::Outcome;
use accredit::hub::Hub;
use accredit::hub::admin::Assignment;
use accredit::store::Store;
use accredit::sync::SyncError;
use tempfile::TempDir;

use crate::support::{
    DEADLINE, Fault, FaultProxy, HubProcess, Machine, Row, TestHub, accredit, binary, demo_hub_db, judgement_rows,
    stderr, stdout, wait_until,
};

const S14: &str = "S-2026-014";
const S21: &str = "S-2026-021";

/// A plan of faults: each entry applies once, to the next request whose line contains its
/// pattern; every other request passes.
#[derive(Clone, Default)]
struct Plan(Arc<Mutex<Vec<(&'static str, Fault)>>>);

impl Plan {
    fn then(&self, pattern: &'static str, fault: Fault) {
        self.0.lock().unwrap().push((pattern, fault));
    }

    fn fault_for(&self, line: &str) -> Fault {
        let mut plan = self.0.lock().unwrap();
        match plan.first() {
            Some((pattern, _)) if line.contains(pattern) => plan.remove(0).1,
            _ => Fault::Pass,
        }
    }

    fn is_spent(&self) -> bool {
        self.0.lock().unwrap().is_empty()
    }

    fn proxy(&self, upstream: std::net::SocketAddr) -> FaultProxy {
        let plan = self.clone();
        FaultProxy::start(upstream, move |_, line| plan.fault_for(line))
    }
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// How many changes the hub's feed holds for each of `reviewer`'s judgements.
fn changes_per_judgement(conn: &rusqlite::Connection, reviewer: &str) -> HashMap<String, i64> {
    let mut stmt = conn
        .prepare(
            "SELECT entity_key, count(*) FROM hub_changes WHERE kind = 'judgement' AND recipient IS NULL
             AND entity_key LIKE '%' || char(31) || ?1 GROUP BY entity_key",
        )
        .unwrap();
    stmt.query_map([reviewer], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

/// The hub holds `expected` for `reviewer`, each judgement written exactly once (revision 1 and
/// a single change), with exactly `ops` ops answered.
fn assert_applied_once(db: &Path, reviewer: &str, expected: &[Row], ops: i64) {
    let hub = Hub::open(db).expect("open the hub database");
    let conn = hub.store().connection();
    let rows: Vec<Row> = judgement_rows(conn).into_iter().filter(|r| r.reviewer == reviewer).collect();
    assert_eq!(rows, expected, "the hub holds every judgement");
    let revs: Vec<i64> = conn
        .prepare("SELECT version FROM judgements WHERE reviewer_id = ?1")
        .unwrap()
        .query_map([reviewer], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(revs.iter().all(|rev| *rev == 1), "every judgement applied once: revisions {revs:?}");
    let changes = changes_per_judgement(conn, reviewer);
    assert_eq!(changes.len(), expected.len());
    assert!(changes.values().all(|n| *n == 1), "one change per judgement: {changes:?}");
    assert_eq!(count(conn, &format!("SELECT count(*) FROM hub_ops WHERE user_id = '{reviewer}'")), ops);
}

/// Copies the S-2026-014 package under a new id (many standards, real documents).
fn copy_submission(fixtures: &Path, into: &Path, id: &str) -> PathBuf {
    let from = fixtures.join("submissions").join(S14);
    let dir = into.join(id);
    std::fs::create_dir_all(dir.join("documents")).unwrap();
    for entry in std::fs::read_dir(from.join("documents")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("documents").join(entry.file_name())).unwrap();
    }
    std::fs::copy(from.join("panel.json"), dir.join("panel.json")).unwrap();
    let text = std::fs::read_to_string(from.join("submission.json")).unwrap();
    std::fs::write(dir.join("submission.json"), text.replace(S14, id)).unwrap();
    dir
}

/// Runs `accredit --data-dir DIR ARGS` in the background.
fn spawn(data_dir: &Path, args: &[&str]) -> Child {
    Command::new(binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("ACCREDIT_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start accredit")
}

fn login(data_dir: &Path, server: &str, token: &str) {
    let output = accredit(data_dir, &["login", "--server", server, "--token", token]);
    assert!(output.status.success(), "login failed: {}", stderr(&output));
}

fn cli_sync(data_dir: &Path) {
    let output = accredit(data_dir, &["sync"]);
    assert!(output.status.success(), "sync failed: {}{}", stdout(&output), stderr(&output));
}

fn cache(data_dir: &Path) -> Store {
    Store::open(&data_dir.join("cache.sqlite")).expect("open the cache")
}

/// Saves a judgement of every standard u-demo owes in each submission, with long rationales.
fn judge_everything(store: &mut Store, submissions: &[String], tag: &str) -> usize {
    let mut n = 0;
    for submission in submissions {
        let codes: Vec<String> = store
            .load_review(submission, "u-demo")
            .unwrap()
            .standards()
            .filter(|s| s.judged_by_me)
            .map(|s| s.code.clone())
            .collect();
        for code in codes {
            let text = format!("{tag} {submission} {code}: {}", "careful reasoning ".repeat(100));
            store.save_judgement(submission, &code, "u-demo", Some(Outcome::Met), &text).unwrap();
            n += 1;
        }
    }
    n
}

#[test]
fn the_hub_killed_mid_push_and_restarted_applies_every_judgement_once() {
    let dir = tempfile::tempdir().unwrap();
    let (db, tokens) = demo_hub_db(dir.path());
    // More work for u-demo than one quick push: four more copies of S-2026-014.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut submissions = vec![S14.to_string(), S21.to_string()];
    {
        let mut hub = Hub::open(&db).unwrap();
        for n in 1..=4 {
            let id = format!("S-2026-90{n}");
            hub.import_submission_dir(&copy_submission(&fixtures, dir.path(), &id)).unwrap();
            let panel = Assignment {
                chair: "u-chair".into(),
                reviewers: vec!["u-demo".into(), "u-rev1".into()],
                ..Assignment::default()
            };
            hub.assign(&id, &panel).unwrap();
            submissions.push(id);
        }
    }
    let mut hub = HubProcess::start(&db, "127.0.0.1:0").unwrap();
    let client = tempfile::tempdir().unwrap();
    login(client.path(), &hub.url, &tokens["u-demo"]);
    cli_sync(client.path());
    let total = judge_everything(&mut cache(client.path()), &submissions, "pushed") as i64;
    assert!(total > 250, "{total} judgements to push");

    // Kill the hub while the push is in flight: as soon as the sync has sent its first request,
    // which the hub is then applying (257 ops take tens of milliseconds).
    let watch = rusqlite::Connection::open(&db).unwrap();
    let mut sync = spawn(client.path(), &["sync"]);
    let start = Instant::now();
    while !hub.log().contains("POST /api/v1/ops") && count(&watch, "SELECT count(*) FROM hub_ops") == 0 {
        assert!(start.elapsed() < DEADLINE, "the push never reached the hub\n{}", hub.log());
        if let Some(status) = sync.try_wait().unwrap() {
            panic!("sync ended ({status}) before the push reached the hub");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    hub.kill();
    // A push commits once, before its answer: the kill leaves all of it or none of it.
    let applied_before = count(&watch, "SELECT count(*) FROM hub_ops");
    assert!(applied_before == 0 || applied_before == total, "a push is all or nothing ({applied_before} of {total})");
    let output = sync.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "the interrupted sync fails: {}", stderr(&output));
    assert!(stderr(&output).contains("cannot be reached"), "{}", stderr(&output));
    // The answer either reached the client before the kill (the pull after it then failed) or
    // was lost with the hub: the outbox holds none of the ops or all of them, never some.
    let waiting = cache(client.path()).unsynced_count().unwrap() as i64;
    assert!(waiting == 0 || waiting == total, "{waiting} of {total} ops still in the outbox");

    // Restart on the same database (and port when free; else log in again to the new address).
    let old_url = hub.url.clone();
    hub.restart();
    if hub.url != old_url {
        login(client.path(), &hub.url, &tokens["u-demo"]);
    }
    cli_sync(client.path());
    let store = cache(client.path());
    assert_eq!(store.unsynced_count().unwrap(), 0);
    let mine: Vec<Row> = judgement_rows(store.connection()).into_iter().filter(|r| r.reviewer == "u-demo").collect();
    assert_eq!(mine.len() as i64, total);
    assert_applied_once(&db, "u-demo", &mine, total);
    // Another machine of u-demo's converges on the same judgements.
    let mut other = Machine::new(&hub.url, &tokens["u-demo"], "u-demo");
    other.sync();
    assert_eq!(other.rows_of("u-demo"), mine);
}

#[test]
fn connections_cut_before_or_during_an_answer_lose_nothing_and_apply_once() {
    let hub = TestHub::demo();
    let plan = Plan::default();
    let proxy = plan.proxy(hub.addr);
    let mut m = Machine::new(&proxy.url, hub.token("u-demo"), "u-demo");
    m.sync();
    let submissions = vec![S21.to_string(), S14.to_string()];
    let total = judge_everything(&mut m.store, &submissions, "cut") as i64;
    let cursor = m.store.sync_cursor().unwrap();

    // 1. The hub applies the push, but its answer never arrives.
    plan.then("POST /api/v1/ops", Fault::DropAnswer);
    let error = m.try_sync().expect_err("no answer, no sync");
    assert!(matches!(error, SyncError::Unreachable { .. }), "{error}");
    assert!(plan.is_spent());
    assert_eq!(m.store.unsynced_count().unwrap() as i64, total, "unanswered ops stay in the outbox");
    assert_eq!(count(hub.open().store().connection(), "SELECT count(*) FROM hub_ops"), total, "the hub applied them");

    // 2. The answer is cut off in the middle.
    plan.then("POST /api/v1/ops", Fault::CutAnswerAfter(400));
    let error = m.try_sync().expect_err("half an answer is no answer");
    assert!(matches!(error, SyncError::Unreachable { .. }), "a cut answer is the network failing: {error}");
    assert_eq!(m.store.unsynced_count().unwrap() as i64, total);

    // 3. The request never reaches the hub.
    plan.then("POST /api/v1/ops", Fault::Refuse);
    let error = m.try_sync().expect_err("no connection");
    assert!(matches!(error, SyncError::Unreachable { .. }), "{error}");
    assert_eq!(m.store.unsynced_count().unwrap() as i64, total);

    // 4. The push goes through (answered from the hub's op log), the pull is cut mid-page.
    plan.then("GET /api/v1/changes", Fault::CutAnswerAfter(300));
    let error = m.try_sync().expect_err("a cut page fails the sync");
    assert!(error.to_string().contains("your work is safe"), "{error}");
    assert_eq!(m.store.unsynced_count().unwrap(), 0, "the answers were taken");
    assert_eq!(m.store.sync_cursor().unwrap(), cursor, "the cut page was not applied");

    // 5. A new machine's first document download is cut: nothing of that page is stored.
    let mut fresh = Machine::new(&proxy.url, hub.token("u-demo"), "u-demo");
    plan.then("POST /api/v1/documents/batch", Fault::CutAnswerAfter(200));
    let error = fresh.try_sync().expect_err("a cut document fails the sync");
    assert!(matches!(error, SyncError::Unreachable { .. }), "{error}");
    assert_eq!(fresh.store.sync_cursor().unwrap(), 0);
    assert!(fresh.rows().is_empty());

    // Then everything passes: every judgement once on the hub, and both machines agree with it.
    m.sync();
    fresh.sync();
    let mine = m.rows_of("u-demo");
    assert_eq!(mine.len() as i64, total);
    assert_applied_once(&hub.db, "u-demo", &mine, total);
    assert_eq!(fresh.rows_of("u-demo"), mine);
    assert!(proxy.requests().len() > 10);
}

/// Kills `child` with SIGKILL and reaps it.
fn kill(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_client_killed_mid_sync_recovers_on_the_next_sync() {
    let hub = TestHub::demo();
    let plan = Plan::default();
    let proxy = plan.proxy(hub.addr);
    let client: TempDir = tempfile::tempdir().unwrap();
    login(client.path(), &proxy.url, hub.token("u-demo"));
    cli_sync(client.path());
    let submissions = vec![S14.to_string(), S21.to_string()];
    let total = judge_everything(&mut cache(client.path()), &submissions, "first") as i64;

    // 1. Killed while waiting for the push's answer (the hub has applied it).
    plan.then("POST /api/v1/ops", Fault::Hold);
    let sync = spawn(client.path(), &["sync"]);
    wait_until("the push to be held", || *proxy.holding.lock().unwrap() == 1);
    kill(sync);
    proxy.release();
    wait_until("the held answer to be dropped", || *proxy.holding.lock().unwrap() == 0);
    let store = cache(client.path());
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.unsynced_count().unwrap() as i64, total, "the ops wait for an answer");
    let cursor = store.sync_cursor().unwrap();
    drop(store);

    // 2. Killed while pulling (after the push was answered again).
    let plan2 = Plan::default();
    let proxy2 = plan2.proxy(hub.addr);
    login(client.path(), &proxy2.url, hub.token("u-demo"));
    plan2.then("GET /api/v1/changes", Fault::Hold);
    let sync = spawn(client.path(), &["sync"]);
    wait_until("the pull to be held", || *proxy2.holding.lock().unwrap() == 1);
    kill(sync);
    proxy2.release();
    let store = cache(client.path());
    assert_eq!(store.unsynced_count().unwrap(), 0, "the push was answered before the kill");
    assert_eq!(store.sync_cursor().unwrap(), cursor);
    drop(store);

    // 3. Killed at arbitrary moments while more edits go out.
    let mut rng = 0x5eed_u64;
    for round in 0..4 {
        let mut store = cache(client.path());
        for code in ["SET-DEMO 2.1", "SET-DEMO 5.2"] {
            let text = format!("round {round} {code}");
            store.save_judgement(S21, code, "u-demo", Some(Outcome::PartiallyMet), &text).unwrap();
        }
        drop(store);
        let sync = spawn(client.path(), &["sync"]);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(rng % 60));
        kill(sync);
        assert_eq!(cache(client.path()).integrity_check().unwrap(), "ok");
    }

    // Finally a sync runs to the end: the outbox is empty and the hub agrees with the cache.
    cli_sync(client.path());
    let store = cache(client.path());
    assert_eq!(store.unsynced_count().unwrap(), 0);
    let mine: Vec<Row> = judgement_rows(store.connection()).into_iter().filter(|r| r.reviewer == "u-demo").collect();
    assert_eq!(mine.len() as i64, total);
    let on_hub: Vec<Row> = hub.rows().into_iter().filter(|r| r.reviewer == "u-demo").collect();
    assert_eq!(on_hub, mine, "the hub holds what the cache holds");
    assert!(mine.iter().any(|r| r.rationale == "round 3 SET-DEMO 2.1"), "the last edit arrived");
    // Each judgement of S-2026-014 (written once) was applied once.
    let conn = hub.open();
    let changes = changes_per_judgement(conn.store().connection(), "u-demo");
    for row in mine.iter().filter(|r| r.submission == S14) {
        let key = format!("{S14}\u{1f}{}\u{1f}u-demo", row.standard);
        assert_eq!(changes.get(&key), Some(&1), "{key} applied once");
    }
    // A second machine converges.
    let mut other = hub.machine("u-demo");
    other.sync();
    assert_eq!(other.rows_of("u-demo"), mine);
}
