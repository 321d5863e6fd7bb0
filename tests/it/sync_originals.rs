//! Originals reach replicas: a reviewer's first sync brings each document's original file (PDF,
//! DOCX, XLSX) byte for byte, under the same permission as the document's text; a corrupt
//! original is refused and not stored; an interrupted sync resumes with only what is missing
//! (docs/sync-protocol.md §7).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use accredit::sync::SyncError;

use crate::support::{Fault, FaultProxy, Machine, TestHub};

const S14: &str = "S-2026-014";
const S30: &str = "S-2026-030";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(path)).unwrap()
}

/// The SHA-256 of the original of `document` of `submission`, as the hub holds it.
fn original_sha(hub: &TestHub, submission: &str, document: &str) -> String {
    hub.open()
        .store()
        .connection()
        .query_row(
            "SELECT original_sha256 FROM document_originals WHERE submission_id = ?1 AND document_id = ?2",
            [submission, document],
            |r| r.get(0),
        )
        .unwrap()
}

fn originals_held(m: &Machine) -> i64 {
    m.store.connection().query_row("SELECT count(*) FROM originals", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_reviewers_first_sync_brings_the_originals_byte_for_byte() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    let summary = m.sync();
    let expected = [
        (S14, "E01", "submissions/S-2026-014/documents/E01.pdf", "application/pdf"),
        (S14, "E06", "submissions/S-2026-014/documents/E06.docx", accredit::format::media::DOCX),
        (S14, "E09", "submissions/S-2026-014/documents/E09.xlsx", accredit::format::media::XLSX),
        // The provider's pack, taken through intake on the hub.
        (S30, "E01", "packs/eastfield-mh/programme-specification.pdf", "application/pdf"),
        (S30, "E02", "packs/eastfield-mh/module-descriptors.pdf", "application/pdf"),
    ];
    assert_eq!(summary.originals, expected.len(), "{summary}");
    assert!(summary.to_string().contains(&format!("{} originals", expected.len())), "{summary}");
    for (submission, document, file, media_type) in expected {
        let (kind, bytes) = m.store.original_file(submission, document, "u-demo").unwrap().expect("here");
        assert_eq!(kind, media_type, "{submission} {document}");
        assert!(bytes == fixture(file), "{submission} {document} is {file} byte for byte");
    }
    for submission in [S14, S30] {
        let ready = m.store.offline_readiness(submission).unwrap();
        assert!(ready.ready(), "{submission}: {ready:?}");
    }
    // A second sync has nothing more to fetch.
    assert_eq!(m.sync().originals, 0);
}

#[test]
fn a_lay_member_fetches_only_the_originals_their_standards_cite() {
    let hub = TestHub::demo();
    // u-lay judges SET-DEMO 1.2, 2.3, 3.1 and 5.3 of S-2026-014: 3.1 cites E01 (a PDF); none
    // cites E06 (a DOCX).
    let mut lay = hub.machine("u-lay");
    lay.sync();
    assert!(lay.store.original_file(S14, "E01", "u-lay").unwrap().is_some(), "a cited original is fetched");
    assert!(lay.store.offline_readiness(S14).unwrap().ready());
    let e06 = original_sha(&hub, S14, "E06");
    let held: bool = lay
        .store
        .connection()
        .query_row("SELECT EXISTS (SELECT 1 FROM originals WHERE sha256 = ?1)", [&e06], |r| r.get(0))
        .unwrap();
    assert!(!held, "an uncited original never reaches the lay member");

    // Asked for by hash, it is refused with the answer the text route gives for the text.
    let client = hub.client("u-lay");
    let refused = client.original(&e06).unwrap_err();
    assert!(matches!(refused, SyncError::Refused { status: 403, .. }), "{refused}");
    let text_sha = hub.open().store().documents(S14).unwrap().into_iter().find(|d| d.id == "E06").unwrap().sha256;
    let text_refused = client.document(&text_sha).unwrap_err();
    assert_eq!(refused.to_string(), text_refused.to_string());
    // As for an original that does not exist.
    let unknown = client.original(&"0".repeat(64)).unwrap_err();
    assert_eq!(unknown.to_string(), refused.to_string());

    // A reviewer on the panel gets its bytes, as application/octet-stream.
    let mut answer = ureq::get(format!("{}/api/v1/originals/{e06}", hub.url))
        .header("Authorization", &format!("Bearer {}", hub.token("u-demo")))
        .call()
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/octet-stream");
    let bytes = answer.body_mut().read_to_vec().unwrap();
    assert!(bytes == fixture("submissions/S-2026-014/documents/E06.docx"));
}

#[test]
fn a_corrupt_original_is_refused_and_not_stored() {
    let hub = TestHub::demo();
    // The first original the hub sends arrives with one byte changed.
    let proxy = FaultProxy::start(hub.addr, {
        let tampered = Arc::new(AtomicUsize::new(0));
        move |_, line| {
            if line.contains("/api/v1/originals/") && tampered.fetch_add(1, Ordering::SeqCst) == 0 {
                Fault::Tamper
            } else {
                Fault::Pass
            }
        }
    });
    let mut m = Machine::new(&proxy.url, hub.token("u-demo"), "u-demo");
    let error = m.try_sync().unwrap_err();
    assert!(
        error.to_string().contains("arrived corrupt") && error.to_string().contains("nothing was stored"),
        "{error}"
    );
    let asked = proxy.requests().into_iter().find(|l| l.contains("/api/v1/originals/")).unwrap();
    let sha = asked.split("/api/v1/originals/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let stored: bool = m
        .store
        .connection()
        .query_row("SELECT EXISTS (SELECT 1 FROM originals WHERE sha256 = ?1)", [&sha], |r| r.get(0))
        .unwrap();
    assert!(!stored, "the corrupt bytes are not kept");
    assert_eq!(originals_held(&m), 0, "the sync stopped at the corrupt original");
    // Its document is not offline-ready, though its text is here.
    let missing: Vec<String> = [S14, S30].iter().flat_map(|s| m.store.offline_readiness(s).unwrap().missing).collect();
    assert_eq!(missing.len(), 5, "every original is still to come: {missing:?}");

    // The next sync (nothing tampered) brings them all.
    assert_eq!(m.sync().originals, 5);
    assert!(m.store.offline_readiness(S14).unwrap().ready());
}

#[test]
fn an_interrupted_sync_resumes_with_only_the_missing_originals() {
    let hub = TestHub::demo();
    // The third original's answer is cut off halfway (a train's Wi-Fi).
    let proxy = FaultProxy::start(hub.addr, {
        let seen = Arc::new(AtomicUsize::new(0));
        move |_, line| {
            if line.contains("/api/v1/originals/") && seen.fetch_add(1, Ordering::SeqCst) == 2 {
                Fault::CutAnswerAfter(300)
            } else {
                Fault::Pass
            }
        }
    });
    let mut m = Machine::new(&proxy.url, hub.token("u-demo"), "u-demo");
    let error = m.try_sync().unwrap_err();
    assert!(error.is_offline() || matches!(error, SyncError::Protocol(_)), "{error}");
    assert_eq!(originals_held(&m), 2, "what arrived before the cut is kept");
    let not_ready = [S14, S30].iter().filter(|s| !m.store.offline_readiness(s).unwrap().ready()).count();
    assert!(not_ready > 0);

    let before = proxy.requests().iter().filter(|l| l.contains("/api/v1/originals/")).count();
    let summary = m.sync();
    assert_eq!(summary.originals, 3, "only the three missing are fetched: {summary}");
    let after = proxy.requests().iter().filter(|l| l.contains("/api/v1/originals/")).count();
    assert_eq!(after - before, 3);
    assert_eq!(originals_held(&m), 5);
    for submission in [S14, S30] {
        assert!(m.store.offline_readiness(submission).unwrap().ready(), "{submission}");
    }
}

/// An original larger than a replica takes is not fetched: the sync goes on, names it in the
/// sync log, and its submission is not offline-ready.
#[test]
fn an_original_over_the_limit_is_not_fetched_and_says_so() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    m.sync();
    // The hub lists the E01 original as larger than the limit (a replica trusts the listing to
    // skip it; the download itself is bounded too, see `HubClient::original`).
    let sha = original_sha(&hub, S14, "E01");
    let big = accredit::wire::MAX_ORIGINAL_BYTES + 1;
    let conn = m.store.connection();
    conn.execute("DELETE FROM originals WHERE sha256 = ?1", [&sha]).unwrap();
    conn.execute(
        "UPDATE document_originals SET size = ?2 WHERE original_sha256 = ?1",
        rusqlite::params![sha, big as i64],
    )
    .unwrap();
    let summary = m.sync();
    assert_eq!(summary.originals, 0);
    let ready = m.store.offline_readiness(S14).unwrap();
    assert_eq!(ready.missing, ["E01"], "{ready:?}");
    let log = m.store.sync_log(5).unwrap();
    assert!(
        log.iter().any(|(_, level, message)| level == "error"
            && message.contains("S-2026-014 E01")
            && message.contains("over the 64 MiB a replica takes")),
        "{log:?}"
    );
}

#[test]
fn the_limit_is_the_largest_file_intake_reads() {
    assert_eq!(accredit::wire::MAX_ORIGINAL_BYTES, accredit::intake::MAX_FILE_BYTES);
}

/// An original the hub no longer lets the caller read (here: listed, then its hash changed on
/// the replica's side so it names nothing the hub holds) is logged and skipped; the others come.
#[test]
fn an_original_the_hub_refuses_is_skipped_and_logged() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    m.sync();
    let conn = m.store.connection();
    conn.execute("DELETE FROM originals", []).unwrap();
    let sha = original_sha(&hub, S14, "E06");
    conn.execute(
        "UPDATE document_originals SET original_sha256 = ?2 WHERE original_sha256 = ?1",
        [&sha, &"f".repeat(64)],
    )
    .unwrap();
    let summary = m.sync();
    assert_eq!(summary.originals, 4, "{summary}");
    assert_eq!(m.store.offline_readiness(S14).unwrap().missing, ["E06"]);
    let log = m.store.sync_log(5).unwrap();
    assert!(
        log.iter()
            .any(|(_, level, message)| level == "error" && message.contains("refused the original of S-2026-014 E06")),
        "{log:?}"
    );
}

/// A first sync downloads a page's originals while it applies the page: one the hub refuses
/// (no longer the caller's to read) is named in the log once, not asked for again by the same
/// sync, and every other arrives.
#[test]
fn an_original_refused_during_a_first_sync_is_logged_once_and_the_rest_arrive() {
    let hub = TestHub::demo();
    let sha = original_sha(&hub, S14, "E06");
    let proxy = FaultProxy::start(hub.addr, {
        let sha = sha.clone();
        move |_, line| if line.contains(&format!("/api/v1/originals/{sha}")) { Fault::NotFound } else { Fault::Pass }
    });
    let mut m = Machine::new(&proxy.url, hub.token("u-demo"), "u-demo");
    let summary = m.sync();
    assert_eq!(summary.originals, 4, "{summary}");
    assert_eq!(m.store.offline_readiness(S14).unwrap().missing, ["E06"]);
    let asked = proxy.requests().iter().filter(|line| line.contains(&sha)).count();
    assert_eq!(asked, 1, "asked for the refused original {asked} times");
    let refusals: Vec<_> = m
        .store
        .sync_log(20)
        .unwrap()
        .into_iter()
        .filter(|(_, level, message)| level == "error" && message.contains("refused the original of S-2026-014 E06"))
        .collect();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
}

/// A sync leaves the cache's connection as it found it: every commit of the reviewer's work
/// fsync'd (`synchronous=FULL`), SQLite's checkpointing and page cache, whether it succeeds or
/// the hub cannot be reached.
#[test]
fn a_sync_leaves_the_connection_durable_and_checkpointing() {
    let hub = TestHub::demo();
    let mut m = hub.machine("u-demo");
    let pragmas = |m: &Machine| -> (i64, i64, i64) {
        let conn = m.store.connection();
        let get = |name: &str| conn.pragma_query_value(None, name, |r| r.get(0)).unwrap();
        (get("synchronous"), get("wal_autocheckpoint"), get("cache_size"))
    };
    let before = pragmas(&m);
    assert_eq!(before.0, 2, "FULL");
    m.sync();
    assert_eq!(pragmas(&m), before);
    m.reconnect("http://127.0.0.1:9", hub.token("u-demo"));
    assert!(m.try_sync().unwrap_err().is_offline());
    assert_eq!(pragmas(&m), before);
}
