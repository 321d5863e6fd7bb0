//! Two connections writing one cache: the TUI's saves and the sync worker's pulls and push
//! answers. A reviewer's save must wait for the other writer, never fail with "database is locked".

use std::collections::HashMap;
use std::time::{Duration, Instant};

use accredit::domain::Outcome;
use accredit::store::Store;
use accredit::sync::{Credentials, HubClient, SyncWorker};
use accredit::tui::app::Flash;
use accredit::tui::{Action, Runtime, ScreenId, Settings};
use jiff::civil::date;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::{TestHub, demo_data_dir, judgement_rows, press, wait_until};

const ME: &str = "u-demo";
const SUBMISSION: &str = "S-2026-014";

/// The failure CI met: a save's transaction read, another connection committed a write, and the
/// save's write was refused at once (a DEFERRED transaction cannot take the write lock over an
/// older snapshot, and SQLite does not wait for the busy timeout then). Here the other writer holds
/// the write lock while the save starts and commits a moment later: the save must wait and succeed.
#[test]
fn a_save_waits_for_another_writer_instead_of_failing() {
    let dir = demo_data_dir();
    let path = dir.path().join("cache.sqlite");
    let other = rusqlite::Connection::open(&path).expect("a second connection");
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('other-writer', 'was here');").unwrap();

    let saver = std::thread::spawn(move || {
        let mut store = Store::open(&path).expect("open the cache");
        store.save_judgement(SUBMISSION, "MPF 1.2", ME, Some(Outcome::NotMet), "Not assessed anywhere.")
    });
    // The save is under way (it cannot finish while the lock is held), then the other writer commits.
    std::thread::sleep(Duration::from_millis(300));
    other.execute_batch("COMMIT").expect("the other writer commits");

    let saved = saver.join().expect("the saving thread").expect("the save waits for the lock instead of failing");
    assert_eq!(saved.outcome, Some(Outcome::NotMet));
    let rows = judgement_rows(&other);
    assert!(
        rows.iter().any(|r| r.standard == "MPF 1.2" && r.reviewer == ME && r.outcome.as_deref() == Some("not_met"))
    );
}

/// A save refused by a busy cache is tried again on a later tick with what the reviewer meant
/// (outcome and text), and until then the screen shows only what the cache holds.
#[test]
fn a_save_refused_as_busy_is_retried_and_lands() {
    let dir = demo_data_dir();
    let store = Store::open(&dir.path().join("cache.sqlite")).expect("open the cache");
    let mut rt = Runtime::new(store, date(2026, 3, 1), Settings::default()).expect("runtime");
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(rt.app.screen, ScreenId::Review);
    let code = rt.app.review.as_ref().unwrap().current().unwrap().code.clone();

    rt.dispatch(Action::SaveFailed {
        standard: code.clone(),
        outcome: Some(Outcome::PartiallyMet),
        rationale: "Assessed in one module only.".into(),
        message: "the cache database failed: database is locked".into(),
        busy: true,
    });
    let Some(Flash::Error(message)) = &rt.app.flash else { panic!("the failure is said: {:?}", rt.app.flash) };
    assert!(message.contains("not saved yet") && message.contains("kept"), "{message}");
    let review = rt.app.review.as_ref().unwrap();
    assert_eq!(review.current_outcome(), None, "the screen never shows an outcome the cache does not hold");

    let start = Instant::now();
    rt.dispatch(Action::Tick(start));
    assert!(rt.store.judgement(SUBMISSION, &code, ME).unwrap().is_none(), "not retried before its time");
    rt.dispatch(Action::Tick(start + Duration::from_secs(3)));
    let saved = rt.store.judgement(SUBMISSION, &code, ME).unwrap().expect("the retry saved it");
    assert_eq!(saved.outcome, Some(Outcome::PartiallyMet));
    assert_eq!(saved.rationale, "Assessed in one module only.");
    let review = rt.app.review.as_ref().unwrap();
    assert_eq!(review.current_outcome(), Some(Outcome::PartiallyMet));
    assert!(review.retries.is_empty());
}

/// The TUI's save path and the real sync worker (against a real hub on loopback) write one cache
/// for a few thousand operations: no save is refused, and every outcome pressed is in the cache
/// and, after a last sync, on the hub.
#[test]
fn saves_and_syncs_on_one_cache_never_refuse_a_save() {
    const PRESSES: usize = 2_000;
    let hub = TestHub::demo();
    let dir = tempfile::tempdir().expect("temporary folder");
    let cache = dir.path().join("cache.sqlite");
    let token = hub.token(ME).to_string();
    Credentials { server: hub.url.clone(), token: token.clone(), user: ME.into(), ca_cert: None }
        .save(&dir.path().join("credentials.json"))
        .expect("save credentials");
    let mut store = Store::open(&cache).expect("open the cache");
    store.set_meta("me", ME).expect("set the owner");
    accredit::sync::sync(&mut store, &HubClient::new(&hub.url, &token), ME).expect("first sync");

    let mut rt = Runtime::new(store, date(2026, 3, 1), Settings::default()).expect("runtime");
    rt.connect(SyncWorker::start(cache.clone(), HubClient::new(&hub.url, &token), ME.into()));
    let at = rt.app.queue.iter().position(|a| a.submission == SUBMISSION).expect("S-2026-014 is in my queue");
    rt.app.queue_selected = at;
    rt.dispatch(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(rt.app.screen, ScreenId::Review);

    let mut expected: HashMap<String, Outcome> = HashMap::new();
    let standards = rt.app.review.as_ref().unwrap().order.len();
    for i in 0..PRESSES {
        let review = rt.app.review.as_ref().expect("still on the review");
        let code = review.current().expect("a standard is selected").code.clone();
        let (key, outcome) = [('1', Outcome::Met), ('2', Outcome::PartiallyMet), ('3', Outcome::NotMet)][i % 3];
        press(&mut rt, KeyCode::Char(key));
        if let Some(Flash::Error(message)) = &rt.app.flash {
            panic!("press {i} ({key} on {code}) was refused: {message}");
        }
        expected.insert(code, outcome);
        press(&mut rt, KeyCode::Char(if (i + 1) % standards == 0 { 'g' } else { 'j' }));
        if i % 7 == 0 {
            press(&mut rt, KeyCode::Char('s'));
        }
        rt.poll_sync();
    }

    let rows = judgement_rows(rt.store.connection());
    for (code, outcome) in &expected {
        let row = rows.iter().find(|r| r.submission == SUBMISSION && &r.standard == code && r.reviewer == ME);
        assert_eq!(row.and_then(|r| r.outcome.clone()).as_deref(), Some(outcome.as_str()), "{code} in the cache");
    }
    wait_until("the outbox is empty after the last sync", || {
        press(&mut rt, KeyCode::Char('s'));
        std::thread::sleep(Duration::from_millis(50));
        rt.poll_sync();
        rt.store.unsynced_count().unwrap() == 0
    });
    let on_hub = hub.rows();
    for (code, outcome) in &expected {
        let row = on_hub.iter().find(|r| r.submission == SUBMISSION && &r.standard == code && r.reviewer == ME);
        assert_eq!(row.and_then(|r| r.outcome.clone()).as_deref(), Some(outcome.as_str()), "{code} on the hub");
    }
}
