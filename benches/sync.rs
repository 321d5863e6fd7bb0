//! Sync benchmark: the real hub (axum, in-process) over HTTP on loopback, real client caches.
//!
//! Run with `cargo bench --bench sync`. Plain `fn main`, no harness. Measures:
//!
//! 1. the first sync of a fresh cache: 200 submissions × 49 standards, their panels and
//!    documents (aim < 2 s);
//! 2. a sync with nothing to do (aim < 50 ms);
//! 3. a push of 1,000 judgements (aim < 1 s), beside plain SQLite inserting the same rows;
//! 4. the hub under 50 clients syncing back to back, each with its own cache and account
//!    (aim: p99 per HTTP request < 100 ms with nothing to push, < 50 ms with 1 sync in 10
//!    pushing), then 200 clients with nothing to push (aim < 100 ms). Each phase runs on the hub
//!    with its readers and again on a second hub over the same database whose every request
//!    takes the one writer (as before the readers), for the ratio.
//! 5. the first sync of 200 submissions with a PDF pack each (three PDFs of 20 pages, as their
//!    extracted pages: about 30 MB, and their originals), against `curl` fetching the same bytes
//!    (the same change pages, then each document and each original by GET; and again without
//!    the originals) from the same hub over one connection (aim: curl's time
//!    / the sync's ≥ 0.5); 1 gets the same ratio, and is timed again fetching one GET per
//!    document, as the client did before the batch route.
//!
//! `cargo bench --bench sync -- first-sync` runs 1 and 5 only; `-- load` runs 4 only.
//!
//! Each load request is also timed inside the hub (from its request span opening, the request
//! head read, to its closing, the response sent; a `tracing` layer on tower-http's spans), so
//! that the client threads' own share of a client-side time shows: on a small machine the
//! load clients' threads outnumber the cores many times over.
//!
//! The hub is seeded through its own admin API with the synthetic shape of
//! `accredit::demo::synthetic` (the same people and framework; the same submissions, except that
//! each submission's five documents are its own, so a first sync downloads 1,000 of them), and
//! the other reviewers' submitted judgements are pushed as those reviewers with
//! `Hub::apply_ops`, so the change feed holds everything a real hub's would.
//! Headline times for 1–3 are `accredit::sync::sync` itself; the breakdowns repeat it step by
//! step through the same public calls (`traced_sync`), timing each, and the hub's share is
//! measured again in-process (the same `Hub` calls on a second connection, no HTTP). The load
//! clients in 4 sync with `traced_sync`, so each HTTP request is timed on its own (client-side,
//! including the client's JSON decoding); CPU time of the hub's and the clients' threads comes
//! from `/proc` (Linux), and a probe commits one fsync'd SQLite row every 10 ms to show what the
//! disk was doing meanwhile. Load averages are printed because other work on the machine (and
//! the 50 client threads themselves) moves these numbers.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use accredit::demo::synthetic::{self, ME, Shape};
use accredit::domain::{
    DocumentRef, EvidenceRef, Framework, FrameworkRef, JudgementState, Mapping, Outcome, Person, Stage, Submission,
};
use accredit::format::SubmissionPackage;
use accredit::hub::Hub;
use accredit::hub::admin::Assignment;
use accredit::store::Store;
use accredit::sync::{HubClient, Summary, SyncError, sync};
use accredit::wire::{
    ChangesResponse, DEFAULT_PULL_LIMIT, JudgementBody, MAX_OPS_PER_PUSH, Op, OpKind, OpOutcome, UserRole,
};
use common::{Samples, ms, percentile_ms, print_table, timed};
use jiff::civil::date;

const SHAPE: Shape = Shape { submissions: 200, standards: 49, reviewers: 4 };
const DOCUMENTS_PER_SUBMISSION: usize = 5;
const PULL_RUNS: usize = 7;
const NO_CHANGE_RUNS: usize = 200;
const PUSH_JUDGEMENTS: usize = 1000;
const PUSH_RUNS: usize = 5;
const BASELINE_RUNS: usize = 3;
const LOAD_CLIENTS: usize = 50;
/// The wide no-change phase: the load accounts on several machines each.
const WIDE_CLIENTS: usize = 200;
const LOAD_SECONDS: u64 = 10;
/// In the mixed load phase, every this-many syncs of a client first saves one edit to push.
const LOAD_PUSH_EVERY: usize = 10;
const CHAIR: &str = "u-chair";
/// How many edits the load clients have made, for each edit's text.
static EDITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Every call of each step of a sync, in the order the steps first ran.
#[derive(Default)]
struct Trace {
    steps: Vec<(&'static str, Vec<Duration>)>,
    /// The cursor of each `GET /changes` asked, in order (for curl to ask the same).
    since: Vec<i64>,
}

impl Trace {
    fn time<T>(&mut self, step: &'static str, f: impl FnOnce() -> T) -> T {
        let (out, d) = timed(f);
        self.add(step, d);
        out
    }

    fn add(&mut self, step: &'static str, d: Duration) {
        match self.steps.iter_mut().find(|(name, _)| *name == step) {
            Some((_, times)) => times.push(d),
            None => self.steps.push((step, vec![d])),
        }
    }

    fn merge(&mut self, other: Trace) {
        for (step, times) in other.steps {
            for d in times {
                self.add(step, d);
            }
        }
    }

    fn get(&self, step: &str) -> &[Duration] {
        self.steps.iter().find(|(name, _)| *name == step).map_or(&[], |(_, times)| times)
    }

    /// Prints each step's calls and time; with `whole`, each step's share of it.
    fn print(&self, title: &str, whole: Option<Duration>) {
        let sum: Duration = self.steps.iter().flat_map(|(_, times)| times).sum();
        let whole_or_sum = whole.unwrap_or(sum);
        println!("{title}: {:.1} ms in all", ms(whole_or_sum));
        println!("  {:<36} {:>7} {:>11} {:>10} {:>7}", "step", "calls", "total ms", "mean ms", "share");
        let mut accounted = Duration::ZERO;
        for (step, times) in &self.steps {
            let total: Duration = times.iter().sum();
            accounted += total;
            println!(
                "  {:<36} {:>7} {:>11.1} {:>10.3} {:>6.1}%",
                step,
                times.len(),
                ms(total),
                ms(total) / times.len() as f64,
                100.0 * total.as_secs_f64() / whole_or_sum.as_secs_f64()
            );
        }
        let Some(whole) = whole else {
            println!();
            return;
        };
        let rest = whole.saturating_sub(accounted);
        println!(
            "  {:<36} {:>7} {:>11.1} {:>10} {:>6.1}%",
            "(between steps)",
            "",
            ms(rest),
            "",
            100.0 * rest.as_secs_f64() / whole.as_secs_f64()
        );
        println!();
    }
}

const POST_OPS: &str = "HTTP POST /ops";
const GET_CHANGES: &str = "HTTP GET /changes";
const GET_DOCUMENT: &str = "HTTP GET /documents/{sha}";
const POST_DOCUMENTS: &str = "HTTP POST /documents/batch + keep";
const GET_ORIGINAL: &str = "HTTP GET /originals/{sha}";

/// How a traced sync fetches documents.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fetch {
    /// As `sync` does: `HubClient::documents` (batches), kept through `Store::keep_documents`.
    Batched,
    /// Batches, but each document kept in a transaction of its own (one fsync each), as the
    /// client did before `Store::keep_documents`.
    BatchedKeptOneByOne,
    /// One `GET /documents/{sha}` each, as the client did before the batch route.
    OneGetEach,
    /// As `sync` does, but each original kept in a transaction of its own (one fsync each), as
    /// the client did before `Store::keep_originals`.
    OriginalsKeptOneByOne,
}

/// `accredit::sync::sync` step for step, through the same public calls, each timed.
fn traced_sync(store: &mut Store, client: &HubClient, me: &str, trace: &mut Trace) -> Result<Summary, SyncError> {
    traced_sync_fetching(store, client, me, trace, Fetch::Batched)
}

fn traced_sync_fetching(
    store: &mut Store,
    client: &HubClient,
    me: &str,
    trace: &mut Trace,
    fetch: Fetch,
) -> Result<Summary, SyncError> {
    let mut summary = Summary::default();
    loop {
        let batch = trace.time("local: outbox_batch", || store.outbox_batch(MAX_OPS_PER_PUSH))?;
        if batch.is_empty() {
            break;
        }
        for ops in accredit::sync::under_body_limit(&batch) {
            let results = trace.time(POST_OPS, || client.push(ops))?;
            if results.len() != ops.len() || results.iter().zip(ops).any(|(r, o)| r.op_id != o.op_id) {
                return Err(SyncError::Protocol("the push answers do not match the ops sent".into()));
            }
            let tally = trace.time("local: apply_push_results", || store.apply_push_results(me, &results))?;
            summary.pushed += ops.len();
            summary.applied += tally.applied;
            summary.conflicts += tally.conflicts;
            summary.rejected += tally.rejected;
        }
    }
    trace.time("local: begin_pull", || store.begin_pull())?;
    loop {
        let since = trace.time("local: sync_cursor", || store.sync_cursor())?;
        trace.since.push(since);
        let page = trace.time(GET_CHANGES, || client.changes(since, DEFAULT_PULL_LIMIT))?;
        let missing = trace.time("local: missing_documents", || store.missing_documents(&page.changes))?;
        let mut documents = HashMap::new();
        match fetch {
            Fetch::OneGetEach => {
                for sha in missing {
                    documents.insert(sha.to_string(), trace.time(GET_DOCUMENT, || client.document(sha))?);
                }
                summary.documents += documents.len();
            }
            Fetch::BatchedKeptOneByOne => {
                let missing: Vec<String> = missing.into_iter().map(String::from).collect();
                summary.documents += trace.time(POST_DOCUMENTS, || {
                    client.documents(&missing, |sha, text| Ok(store.keep_document(sha, text)?))
                })?;
            }
            Fetch::Batched | Fetch::OriginalsKeptOneByOne => {
                let missing: Vec<String> = missing.into_iter().map(String::from).collect();
                summary.documents +=
                    trace.time(POST_DOCUMENTS, || accredit::sync::fetch_documents(store, client, &missing))?;
            }
        }
        summary.pulled += trace
            .time("local: apply_changes (one txn)", || store.apply_changes(me, &page.changes, page.next, &documents))?;
        if !page.more || page.next <= since {
            break;
        }
    }
    // The originals step by step after the pages, a GET each, kept a batch per transaction
    // (`accredit::sync::sync` downloads a page's originals while it applies the page).
    let wanted = trace.time("local: missing_originals", || store.missing_originals())?;
    let mut arrived = Vec::new();
    for w in wanted {
        let bytes = trace.time(GET_ORIGINAL, || client.original(&w.sha256))?;
        if fetch == Fetch::OriginalsKeptOneByOne {
            trace.time("local: keep_original (one txn each)", || {
                store.keep_original(&w.sha256, &w.media_type, &bytes)
            })?;
            summary.originals += 1;
            continue;
        }
        arrived.push((w.sha256, w.media_type, bytes));
        if arrived.len() >= accredit::wire::MAX_DOCUMENTS_PER_BATCH {
            trace.time("local: keep_originals (one txn)", || store.keep_originals(&arrived))?;
            summary.originals += arrived.len();
            arrived.clear();
        }
    }
    trace.time("local: keep_originals (one txn)", || store.keep_originals(&arrived))?;
    summary.originals += arrived.len();
    trace.time("local: log_finished_sync", || store.log_finished_sync(&summary.to_string()))?;
    trace.time("local: end_pull", || store.end_pull())?;
    Ok(summary)
}

/// A fresh cache at `path` belonging to `me`, as `accredit login` leaves it.
fn fresh_cache(path: &Path, me: &str) -> Store {
    let store = Store::open(path).expect("create a cache");
    store.set_meta("me", me).expect("set the cache's owner");
    store
}

// ---------------------------------------------------------------------------------------------
// Seeding the hub through its admin API.
// ---------------------------------------------------------------------------------------------

struct Seeded {
    tokens: HashMap<String, String>,
    codes: Vec<String>,
    load_users: Vec<String>,
    feed_rows: i64,
}

fn load_user(i: usize) -> String {
    format!("u-load-{i:02}")
}

fn load_submission(i: usize) -> String {
    format!("S-LOAD-{i:02}")
}

/// A synthetic submission as `synthetic::generate` makes it, with documents of its own.
fn package(id: &str, n: usize, framework: &Framework) -> SubmissionPackage {
    let submission = Submission {
        id: id.to_string(),
        frameworks: vec![FrameworkRef {
            id: framework.id.clone(),
            version: framework.version.clone(),
            standards: None,
        }],
        header: accredit::domain::SubmissionHeader {
            provider: format!("University {n} of Somewhere"),
            programme: format!(
                "MSc Advanced Clinical Practice ({})",
                ["Primary Care", "Acute", "Mental Health", "Critical Care"][n % 4]
            ),
            award: "MSc".into(),
            programme_code: Some(format!("BENCH-{n}")),
            modes: None,
            version: 1,
            submitted_at: date(2026, 1, 1),
        },
        stage: Stage::StandardsReview,
        stage_note: None,
        documents: (1..=DOCUMENTS_PER_SUBMISSION)
            .map(|d| DocumentRef {
                id: format!("E{d:02}"),
                title: format!("Evidence document {d}"),
                media_type: "text/plain".into(),
                path: format!("E{d:02}.txt"),
                page_offset: None,
            })
            .collect(),
        mappings: framework
            .standards()
            .map(|(_, s)| Mapping {
                standard: s.code.clone(),
                narrative: format!(
                    "How the programme meets {}: module teaching, workplace assessment and a portfolio.",
                    s.code
                ),
                evidence: vec![EvidenceRef { document: "E01".into(), locator: "p.2".into() }],
            })
            .collect(),
    };
    let documents = submission
        .documents
        .iter()
        .map(|d| (d.id.clone(), format!("[page 1]\n{} of {id}\n[page 2]\nDetail of the evidence.\n", d.title)))
        .collect();
    SubmissionPackage { submission, documents, originals: Default::default() }
}

fn seed_hub(path: &Path) -> Seeded {
    // The people and framework of the synthetic cache, taken from a scratch one.
    let mut scratch = Store::open_in_memory().expect("scratch cache");
    synthetic::generate(&mut scratch, Shape { submissions: 0, ..SHAPE }).expect("synthetic people and framework");
    let framework = scratch.load_framework("bench", "1").expect("read the framework").expect("the synthetic framework");
    let people: Vec<Person> = {
        let mut stmt =
            scratch.connection().prepare("SELECT id, name, title, background FROM people ORDER BY id").unwrap();
        stmt.query_map([], |r| Ok(Person { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, background: r.get(3)? }))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let codes: Vec<String> = framework.standards().map(|(_, s)| s.code.clone()).collect();
    assert_eq!(codes.len(), SHAPE.standards);

    let mut hub = Hub::open(path).expect("create the hub database");
    // Seeding is set-up, not measured: no fsync per op here. The hub is served from a new
    // connection, which `Hub::open` sets to synchronous=FULL again.
    hub.store().connection().pragma_update(None, "synchronous", "OFF").expect("pragma");
    let mut tokens = HashMap::new();
    for person in &people {
        let role = if person.id == CHAIR { UserRole::Chair } else { UserRole::Reviewer };
        tokens.insert(person.id.clone(), hub.add_account(person, role).expect("add an account"));
    }
    let load_users: Vec<String> = (0..LOAD_CLIENTS).map(load_user).collect();
    for (i, id) in load_users.iter().enumerate() {
        let person = Person {
            id: id.clone(),
            name: format!("Load reviewer {i}"),
            title: "Reviewer".into(),
            background: String::new(),
        };
        tokens.insert(id.clone(), hub.add_account(&person, UserRole::Reviewer).expect("add an account"));
    }
    hub.import_framework(&framework).expect("import the framework");

    let reviewers: Vec<String> = people.iter().filter(|p| p.id != CHAIR).map(|p| p.id.clone()).collect();
    assert!(reviewers.contains(&ME.to_string()) && reviewers.len() == SHAPE.reviewers);
    for n in 0..SHAPE.submissions {
        let id = format!("S-BENCH-{n:04}");
        hub.import_submission(&package(&id, n, &framework)).expect("import a submission");
        let assignment = Assignment {
            chair: CHAIR.into(),
            reviewers: reviewers.clone(),
            due: Some(date(2026, 12, 1)),
            ..Assignment::default()
        };
        hub.assign(&id, &assignment).expect("assign a panel");
    }
    // The load clients: each reviews their own submission and their neighbour's.
    for i in 0..LOAD_CLIENTS {
        let id = load_submission(i);
        hub.import_submission(&package(&id, SHAPE.submissions + i, &framework)).expect("import a submission");
        let assignment = Assignment {
            chair: CHAIR.into(),
            reviewers: vec![load_user(i), load_user((i + 1) % LOAD_CLIENTS)],
            due: Some(date(2026, 12, 1)),
            ..Assignment::default()
        };
        hub.assign(&id, &assignment).expect("assign a panel");
    }

    // The other reviewers submit every judgement, as `synthetic::generate` has them, through the
    // hub's own write path (so the feed holds them, and the reveals they cause).
    let outcomes = [Outcome::Met, Outcome::Met, Outcome::PartiallyMet, Outcome::NotMet];
    let others: Vec<&String> = reviewers.iter().filter(|r| *r != ME).collect();
    let callers: Vec<_> = others
        .iter()
        .map(|r| hub.authenticate(&tokens[r.as_str()]).expect("authenticate").expect("a known token"))
        .collect();
    for n in 0..SHAPE.submissions {
        let submission = format!("S-BENCH-{n:04}");
        for (r, caller) in callers.iter().enumerate() {
            let ops: Vec<Op> = codes
                .iter()
                .enumerate()
                .map(|(i, code)| Op {
                    op_id: uuid::Uuid::now_v7().to_string(),
                    base_rev: 0,
                    kind: OpKind::Judgement {
                        judgement: JudgementBody {
                            submission: submission.clone(),
                            standard: code.clone(),
                            outcome: Some(outcomes[(i + r + n) % outcomes.len()]),
                            rationale: format!("Evidence for {code} reviewed in E01 p.2."),
                            state: JudgementState::Submitted,
                        },
                    },
                })
                .collect();
            let results = hub.apply_ops(caller, &ops).expect("apply the other reviewers' judgements");
            assert!(
                results.iter().all(|r| matches!(r.outcome, OpOutcome::Applied { .. })),
                "every seeded judgement is applied: {:?}",
                results.iter().find(|r| !matches!(r.outcome, OpOutcome::Applied { .. }))
            );
        }
    }
    let feed_rows: i64 =
        hub.store().connection().query_row("SELECT count(*) FROM hub_changes", [], |r| r.get(0)).expect("count");
    Seeded { tokens, codes, load_users, feed_rows }
}

/// Serves the hub database at `path` as `accredit serve` does, with `readers` read connections
/// (0: every request takes the writer), on 127.0.0.1:0, on a tokio multi-thread runtime in a
/// thread of its own, for the rest of the process.
fn start_hub(path: &Path, readers: usize) -> String {
    let hub = Hub::open(path).expect("open the hub database");
    let (bound, address) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("hub".into())
        .spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("the hub's tokio runtime");
            runtime.block_on(async move {
                let (listener, addr) =
                    accredit::hub::http::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind 127.0.0.1:0");
                bound.send(addr).expect("report the address");
                let state = accredit::hub::http::AppState::with_readers(hub, readers);
                let transport = accredit::hub::server::Transport::Plain;
                accredit::hub::http::serve_with(listener, state, transport, std::future::pending())
                    .await
                    .expect("the hub failed");
            });
        })
        .expect("start the hub thread");
    let addr = address.recv().expect("the hub's address");
    format!("http://{addr}")
}

// ---------------------------------------------------------------------------------------------
// A PDF pack per submission, and curl fetching the same bytes.
// ---------------------------------------------------------------------------------------------

const PDF_DOCUMENTS: usize = 3;
const PDF_PAGES: usize = 20;
const PDF_RUNS: usize = 5;
/// The other reviewer of the PDF hub's panels (a panel needs two).
const SECOND: &str = "u-second";

/// The text of one PDF's extracted pages as pdftotext -layout gives them: `PDF_PAGES` pages of
/// about 2.5 KB, columns of words, different for every document.
fn pdf_pages(seed: u64) -> Vec<accredit::intake::Page> {
    let words = [
        "assessment",
        "supervision",
        "portfolio",
        "reasoning",
        "module",
        "learning",
        "outcome",
        "practice",
        "clinical",
        "leadership",
        "research",
        "education",
        "mini-CEX",
        "tripartite",
        "employer",
        "credits",
        "workplace",
        "OSCE",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (1..=PDF_PAGES as u32)
        .map(|number| {
            let mut text = String::new();
            for _ in 0..36 {
                for column in 0..6 {
                    let word = words[(next() % words.len() as u64) as usize];
                    text.push_str(&format!("{word:<12}"));
                    if column == 2 {
                        text.push_str("    ");
                    }
                }
                text.push('\n');
            }
            text.push_str(&format!("{:>40}Page {number} of {PDF_PAGES}\n", ""));
            accredit::intake::Page { number, title: None, text }
        })
        .collect()
}

/// A submission whose evidence is a pack of `PDF_DOCUMENTS` PDFs (their originals kept on the
/// hub; their extracted pages are what syncs).
fn pdf_package(id: &str, n: usize, framework: &Framework, pdf: &[u8]) -> SubmissionPackage {
    let mut package = package(id, n, framework);
    package.documents.clear();
    package.submission.documents = (1..=PDF_DOCUMENTS)
        .map(|d| DocumentRef {
            id: format!("E{d:02}"),
            title: format!("Programme handbook {d}"),
            media_type: accredit::format::media::PDF.into(),
            path: format!("E{d:02}.pdf"),
            page_offset: None,
        })
        .collect();
    for d in 1..=PDF_DOCUMENTS {
        let doc = format!("E{d:02}");
        let pages = pdf_pages((n * PDF_DOCUMENTS + d) as u64);
        // Every original its own file: the fixture PDF with a comment after its end.
        let mut bytes = pdf.to_vec();
        bytes.extend(format!("% {id} {doc}\n").bytes());
        let extracted = accredit::intake::Extracted {
            extractor: accredit::intake::PDF_EXTRACTOR,
            pages,
            warnings: vec![],
            page_labels: None,
        };
        package.documents.insert(doc.clone(), accredit::intake::render(&extracted.pages, None));
        package.originals.insert(
            doc,
            accredit::format::Original {
                sha256: accredit::digest::sha256_hex(&bytes),
                bytes,
                extractor: extracted.extractor.into(),
                pages: extracted.pages.len() as u32,
                notes: vec![],
                extracted,
            },
        );
    }
    package
}

/// A hub of `SHAPE.submissions` submissions with a PDF pack each, `ME` a reviewer of all;
/// returns `ME`'s token and the bytes of the documents' text.
fn seed_pdf_hub(path: &Path) -> (String, usize) {
    let mut scratch = Store::open_in_memory().expect("scratch cache");
    synthetic::generate(&mut scratch, Shape { submissions: 0, ..SHAPE }).expect("synthetic people and framework");
    let framework = scratch.load_framework("bench", "1").expect("read the framework").expect("the synthetic framework");
    let pdf =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs/eastfield-mh/module-descriptors.pdf"))
            .expect("the fixture PDF");
    let mut hub = Hub::open(path).expect("create the hub database");
    hub.store().connection().pragma_update(None, "synchronous", "OFF").expect("pragma");
    let person = |id: &str| Person { id: id.into(), name: id.into(), title: String::new(), background: String::new() };
    let token = hub.add_account(&person(ME), UserRole::Reviewer).expect("add an account");
    hub.add_account(&person(CHAIR), UserRole::Chair).expect("add an account");
    hub.add_account(&person(SECOND), UserRole::Reviewer).expect("add an account");
    hub.import_framework(&framework).expect("import the framework");
    let mut bytes = 0;
    for n in 0..SHAPE.submissions {
        let id = format!("S-PDF-{n:04}");
        let package = pdf_package(&id, n, &framework, &pdf);
        bytes += package.documents.values().map(String::len).sum::<usize>();
        hub.import_submission(&package).expect("import a submission");
        let assignment = Assignment {
            chair: CHAIR.into(),
            reviewers: vec![ME.into(), SECOND.into()],
            due: Some(date(2026, 12, 1)),
            ..Assignment::default()
        };
        hub.assign(&id, &assignment).expect("assign a panel");
    }
    (token, bytes)
}

/// 5: a hub of submissions with a PDF pack each, served, and first syncs from it against curl.
fn pdf_section(dir: &Path) -> (Samples, Samples) {
    let path = dir.join("pdf-hub.sqlite");
    let ((token, bytes), seeding) = timed(|| seed_pdf_hub(&path));
    println!(
        "5. seeded a second hub: {} submissions with {PDF_DOCUMENTS} PDFs of {PDF_PAGES} pages each ({:.1} MB of pages) in {:.1} s",
        SHAPE.submissions,
        bytes as f64 / 1e6,
        seeding.as_secs_f64()
    );
    let url = start_hub(&path, accredit::hub::pool::readers());
    let result = first_sync_against_curl(dir, "5. first sync, a PDF pack per submission", &url, &token, PDF_RUNS, None);
    // The originals kept a batch per transaction against one each (as before), in turn, same run.
    let mut batched = Samples::new("   (traced, originals kept a batch per txn)", None);
    let mut one_by_one = Samples::new("   (traced, originals kept one per txn, as before)", None);
    for run in 0..3 {
        for (fetch, samples) in [(Fetch::Batched, &mut batched), (Fetch::OriginalsKeptOneByOne, &mut one_by_one)] {
            let mut store = fresh_cache(&dir.join(format!("pdf-{}-{run}.sqlite", samples.name.len())), ME);
            let client = HubClient::new(&url, &token);
            let mut trace = Trace::default();
            let (summary, d) = timed(|| traced_sync_fetching(&mut store, &client, ME, &mut trace, fetch));
            summary.expect("first sync");
            samples.times.push(d);
        }
    }
    println!(
        "   originals kept a batch per transaction: {:.0} ms; one per transaction (as before): {:.0} ms\n",
        batched.median_ms(),
        one_by_one.median_ms()
    );
    result
}

/// `curl` fetching what a first sync fetches, from the same hub over one kept-alive connection:
/// the change pages at `since`, then every document by GET, then every original by GET.
/// `None` without curl.
fn curl_same_bytes(
    dir: &Path,
    url: &str,
    token: &str,
    since: &[i64],
    shas: &[String],
    originals: &[String],
) -> Option<(Duration, u64)> {
    let config = dir.join("curl.config");
    let mut text = format!("header = \"Authorization: Bearer {token}\"\nsilent\nfail\n");
    for s in since {
        text.push_str(&format!(
            "url = \"{url}/api/v1/changes?since={s}&limit={DEFAULT_PULL_LIMIT}\"\noutput = \"/dev/null\"\n"
        ));
    }
    for sha in shas {
        text.push_str(&format!("url = \"{url}/api/v1/documents/{sha}\"\noutput = \"/dev/null\"\n"));
    }
    for sha in originals {
        text.push_str(&format!("url = \"{url}/api/v1/originals/{sha}\"\noutput = \"/dev/null\"\n"));
    }
    std::fs::write(&config, text).expect("curl config");
    let start = Instant::now();
    let out =
        std::process::Command::new("curl").arg("-K").arg(&config).args(["-w", "%{size_download}\n"]).output().ok()?;
    let took = start.elapsed();
    assert!(out.status.success(), "curl failed: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse::<u64>().ok()).sum();
    Some((took, bytes))
}

/// The originals a cache holds, by hash.
fn cached_originals(store: &Store) -> Vec<String> {
    let mut stmt = store.connection().prepare("SELECT sha256 FROM originals").expect("originals");
    stmt.query_map([], |r| r.get(0)).expect("originals").collect::<rusqlite::Result<_>>().expect("originals")
}

/// The documents a cache holds, by hash.
fn cached_shas(store: &Store) -> Vec<String> {
    let mut stmt = store.connection().prepare("SELECT DISTINCT sha256 FROM documents").expect("documents");
    stmt.query_map([], |r| r.get(0)).expect("documents").collect::<rusqlite::Result<_>>().expect("documents")
}

/// First syncs of fresh caches from the hub at `url`, a traced one, and curl fetching the same
/// bytes; prints them and returns the sync's and curl's samples.
fn first_sync_against_curl(
    dir: &Path,
    name: &str,
    url: &str,
    token: &str,
    runs: usize,
    aim: Option<f64>,
) -> (Samples, Samples) {
    let tag = name.split('.').next().unwrap_or("first");
    let mut pull = Samples::new(name, aim);
    let mut checkpoints = Vec::new();
    let mut last = Summary::default();
    for run in 0..runs {
        let mut store = fresh_cache(&dir.join(format!("first-{tag}-{run}.sqlite")), ME);
        let client = HubClient::new(url, token);
        let (summary, d) = timed(|| sync(&mut store, &client, ME));
        last = summary.expect("first sync");
        pull.times.push(d);
        // The checkpoint the sync leaves to its caller (the worker, after reporting it).
        let (checkpointed, d) = timed(|| store.checkpoint());
        checkpointed.expect("checkpoint after the first sync");
        checkpoints.push(d);
    }
    println!(
        "   the WAL checkpoint after each sync, off the sync (the worker's, once it has reported): median {:.0} ms",
        percentile_ms(&checkpoints, 50.0)
    );
    let mut cache = fresh_cache(&dir.join(format!("first-{tag}-traced.sqlite")), ME);
    let client = HubClient::new(url, token);
    let mut trace = Trace::default();
    let (summary, whole) = timed(|| traced_sync(&mut cache, &client, ME, &mut trace));
    let summary = summary.expect("traced first sync");
    trace.print(&format!("   breakdown of one more ({summary})"), Some(whole));
    let each = trace.get(GET_ORIGINAL);
    if !each.is_empty() {
        println!(
            "   each GET /originals: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile_ms(each, 50.0),
            percentile_ms(each, 90.0),
            percentile_ms(each, 99.0),
            percentile_ms(each, 100.0)
        );
    }
    let shas = cached_shas(&cache);
    let originals = cached_originals(&cache);
    let mut curl = Samples::new(
        format!(
            "   curl, the same {} change pages, {} documents, {} originals",
            trace.since.len(),
            shas.len(),
            originals.len()
        ),
        None,
    );
    let mut fetched = 0;
    for _ in 0..runs {
        match curl_same_bytes(dir, url, token, &trace.since, &shas, &originals) {
            Some((d, bytes)) => {
                curl.times.push(d);
                fetched = bytes;
            }
            None => break,
        }
    }
    println!(
        "{name}: {last}; runs {:?} ms; curl fetched {:.1} MB in {:?} ms; curl / sync = {:.2} (aim ≥ 0.5)",
        pull.times.iter().map(|d| ms(*d).round()).collect::<Vec<_>>(),
        fetched as f64 / 1e6,
        curl.times.iter().map(|d| ms(*d).round()).collect::<Vec<_>>(),
        curl.median_ms() / pull.median_ms()
    );
    // The sync fetches the originals too, so curl does; without them (as this bench measured
    // before originals synced), for comparison.
    if !originals.is_empty() {
        let texts: Vec<Duration> = (0..runs)
            .filter_map(|_| curl_same_bytes(dir, url, token, &trace.since, &shas, &[]))
            .map(|(d, _)| d)
            .collect();
        println!(
            "   curl without the originals: {:?} ms; curl / sync = {:.2}",
            texts.iter().map(|d| ms(*d).round()).collect::<Vec<_>>(),
            percentile_ms(&texts, 50.0) / pull.median_ms()
        );
    }
    println!();
    (pull, curl)
}

/// 4: the load clients' first syncs, then each load phase on the hub with its readers and with
/// one lock; returns each phase's samples and the ratio of their p99s.
fn load_section(
    dir: &Path,
    seeded: &Seeded,
    url: &str,
    one_lock_url: &str,
    hub_times: &HubTimes,
) -> (Vec<Samples>, Vec<(&'static str, f64)>) {
    let (mut clients, setting_up) = timed(|| {
        let mut clients: Vec<LoadClient> = seeded
            .load_users
            .iter()
            .enumerate()
            .map(|(i, me)| LoadClient {
                me: me.clone(),
                store: fresh_cache(&dir.join(format!("load-{i:02}.sqlite")), me),
                client: HubClient::new(url, &seeded.tokens[me]),
                submission: load_submission(i),
            })
            .collect();
        std::thread::scope(|scope| {
            for lc in clients.iter_mut() {
                scope.spawn(move || {
                    sync(&mut lc.store, &lc.client, &lc.me).expect("a load client's first sync");
                });
            }
        });
        clients
    });
    println!(
        "4. {LOAD_CLIENTS} load clients made their first syncs, all at once, in {:.1} s",
        setting_up.as_secs_f64()
    );
    let shas: Vec<String> = {
        let mut stmt =
            clients[0].store.connection().prepare("SELECT DISTINCT sha256 FROM documents").expect("documents");
        stmt.query_map([], |r| r.get(0)).expect("documents").collect::<rusqlite::Result<_>>().expect("documents")
    };
    hub_side_first_sync(&dir.join("hub.sqlite"), &seeded.tokens[&clients[0].me], &shas)
        .print(&format!("   hub-side work of one load client's first sync ({}), in-process", clients[0].me), None);
    let mut load_rows = Vec::new();
    let mut ratios = Vec::new();
    let every = Some(LOAD_PUSH_EVERY);
    let phases: [(&str, Option<usize>, f64); 2] =
        [("4a. 50 clients, no-change", None, 100.0), ("4b. 50 clients, 1 in 10 pushing", every, 50.0)];
    for (label, push_every, aim) in phases {
        let (pooled, wall) = hub_timed_phase(hub_times, dir, &mut clients, &seeded.codes, LOAD_SECONDS, push_every);
        let pooled = print_load(label, &format!("{label}, readers"), &pooled, wall, clients.len(), aim);
        point(&mut clients, one_lock_url, &seeded.tokens);
        let (one_lock, wall) = hub_timed_phase(hub_times, dir, &mut clients, &seeded.codes, LOAD_SECONDS, push_every);
        let one_lock = print_load(label, &format!("{label}, one lock"), &one_lock, wall, clients.len(), aim);
        point(&mut clients, url, &seeded.tokens);
        ratios.push((label, pooled.percentile_ms(99.0) / one_lock.percentile_ms(99.0)));
        load_rows.push(pooled);
        load_rows.push(one_lock);
    }

    // 200 clients: each load account on four machines.
    let (more, setting_up) = timed(|| {
        let mut more: Vec<LoadClient> = (LOAD_CLIENTS..WIDE_CLIENTS)
            .map(|i| {
                let me = &seeded.load_users[i % LOAD_CLIENTS];
                LoadClient {
                    me: me.clone(),
                    store: fresh_cache(&dir.join(format!("load-{i:03}.sqlite")), me),
                    client: HubClient::new(url, &seeded.tokens[me]),
                    submission: load_submission(i % LOAD_CLIENTS),
                }
            })
            .collect();
        std::thread::scope(|scope| {
            for lc in more.iter_mut() {
                scope.spawn(move || sync(&mut lc.store, &lc.client, &lc.me).expect("a load client's first sync"));
            }
        });
        more
    });
    println!("4c. {} more load clients made their first syncs in {:.1} s", more.len(), setting_up.as_secs_f64());
    clients.extend(more);
    let label = "4c. 200 clients, no-change";
    let (pooled, wall) = hub_timed_phase(hub_times, dir, &mut clients, &seeded.codes, LOAD_SECONDS, None);
    let pooled = print_load(label, &format!("{label}, readers"), &pooled, wall, clients.len(), 100.0);
    point(&mut clients, one_lock_url, &seeded.tokens);
    let (one_lock, wall) = hub_timed_phase(hub_times, dir, &mut clients, &seeded.codes, LOAD_SECONDS, None);
    let one_lock = print_load(label, &format!("{label}, one lock"), &one_lock, wall, clients.len(), 100.0);
    ratios.push((label, pooled.percentile_ms(99.0) / one_lock.percentile_ms(99.0)));
    load_rows.push(pooled);
    load_rows.push(one_lock);

    (load_rows, ratios)
}

// ---------------------------------------------------------------------------------------------
// The hub's own time per request, from inside the hub.
// ---------------------------------------------------------------------------------------------

/// How long each HTTP request spent inside the hub: from the moment its request span opens
/// (tower-http's `TraceLayer`, as soon as the request's head is read) to the moment it closes
/// (the response body sent), by route. Beside the client-side times this shows how much of a
/// request's latency is the hub's and how much the client's own thread (waiting for a core
/// among the load clients', sending, decoding).
#[derive(Default)]
struct HubTimes {
    open: std::sync::Mutex<HashMap<u64, (Instant, String)>>,
    done: std::sync::Mutex<Vec<(String, Duration)>>,
}

impl HubTimes {
    /// The times recorded since the last call, by route (`GET /api/v1/changes`), emptied.
    fn take(&self) -> HashMap<String, Vec<Duration>> {
        let mut out: HashMap<String, Vec<Duration>> = HashMap::new();
        for (route, d) in std::mem::take(&mut *self.done.lock().unwrap()) {
            out.entry(route).or_default().push(d);
        }
        out
    }
}

struct HubTimesLayer(Arc<HubTimes>);

/// Reads a request span's `method` and `uri` fields.
#[derive(Default)]
struct RouteVisitor {
    method: String,
    uri: String,
}

impl tracing::field::Visit for RouteVisitor {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "method" => self.method = format!("{value:?}"),
            "uri" => self.uri = format!("{value:?}"),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for HubTimesLayer {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut visitor = RouteVisitor::default();
        attrs.record(&mut visitor);
        // The path without its query or hash: one route per kind of request.
        let path = visitor.uri.split('?').next().unwrap_or("").to_string();
        let path = if path.starts_with("/api/v1/documents/") && !path.ends_with("/batch") {
            "/api/v1/documents/{sha}".to_string()
        } else {
            path
        };
        self.0.open.lock().unwrap().insert(id.into_u64(), (Instant::now(), format!("{} {path}", visitor.method)));
    }

    fn on_close(&self, id: tracing::span::Id, _: tracing_subscriber::layer::Context<'_, S>) {
        if let Some((start, route)) = self.0.open.lock().unwrap().remove(&id.into_u64()) {
            self.0.done.lock().unwrap().push((route, start.elapsed()));
        }
    }
}

/// Installs the layer for the whole process (tower-http's request spans only) and returns
/// the times it collects.
fn record_hub_times() -> Arc<HubTimes> {
    use tracing_subscriber::layer::SubscriberExt;
    let times = Arc::new(HubTimes::default());
    let filter = tracing_subscriber::filter::Targets::new().with_target("tower_http::trace", tracing::Level::DEBUG);
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::Layer::with_filter(HubTimesLayer(times.clone()), filter));
    tracing::subscriber::set_global_default(subscriber).expect("the benchmark's only subscriber");
    times
}

// ---------------------------------------------------------------------------------------------
// Plain SQLite baseline for the push.
// ---------------------------------------------------------------------------------------------

struct Baseline {
    per_row: Samples,
    one_txn: Samples,
    hub_shaped: Samples,
}

/// Inserts `rows` judgement-shaped rows into a fresh temp-file database with the cache's pragmas
/// (WAL, synchronous=FULL), returning the time for one transaction per row, all rows in one, and
/// one transaction per row holding the three rows the hub writes per op.
fn sqlite_baseline(dir: &Path, rows: &[(String, String)]) -> Baseline {
    let mut per_row = Samples::new("plain SQLite, 1 txn per row", None);
    let mut one_txn = Samples::new("plain SQLite, all rows in 1 txn", None);
    let mut hub_shaped = Samples::new("plain SQLite, 1 txn per op of 3 rows", None);
    let open = |name: &str| {
        let path = dir.join(name);
        let _ = std::fs::remove_file(&path);
        let conn = rusqlite::Connection::open(&path).expect("baseline database");
        conn.pragma_update(None, "journal_mode", "WAL").expect("WAL");
        conn.pragma_update(None, "synchronous", "FULL").expect("synchronous=FULL");
        conn.execute_batch(
            "CREATE TABLE judgements (
                submission_id TEXT NOT NULL, standard_code TEXT NOT NULL, reviewer_id TEXT NOT NULL,
                outcome TEXT, rationale TEXT NOT NULL DEFAULT '', state TEXT NOT NULL,
                version INTEGER NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (submission_id, reviewer_id, standard_code));
             CREATE TABLE ops (op_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, answer TEXT NOT NULL, received_at TEXT NOT NULL);
             CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, submission_id TEXT,
                entity_key TEXT NOT NULL, recipient TEXT);",
        )
        .expect("baseline schema");
        conn
    };
    let insert = "INSERT INTO judgements (submission_id, standard_code, reviewer_id, outcome, rationale, state, version, updated_at)
                  VALUES (?1, ?2, ?3, 'met', ?4, 'draft', 1, '2026-03-01T12:00:00.000Z')";
    for run in 0..BASELINE_RUNS {
        let mut conn = open(&format!("baseline-{run}-a.sqlite"));
        let (_, d) = timed(|| {
            for (submission, code) in rows {
                let tx = conn.transaction().unwrap();
                tx.prepare_cached(insert)
                    .unwrap()
                    .execute((submission, code, ME, format!("Evidence for {code} reviewed.")))
                    .unwrap();
                tx.commit().unwrap();
            }
        });
        per_row.times.push(d);

        let mut conn = open(&format!("baseline-{run}-b.sqlite"));
        let (_, d) = timed(|| {
            let tx = conn.transaction().unwrap();
            {
                let mut stmt = tx.prepare_cached(insert).unwrap();
                for (submission, code) in rows {
                    stmt.execute((submission, code, ME, format!("Evidence for {code} reviewed."))).unwrap();
                }
            }
            tx.commit().unwrap();
        });
        one_txn.times.push(d);

        let mut conn = open(&format!("baseline-{run}-c.sqlite"));
        let (_, d) = timed(|| {
            for (submission, code) in rows {
                let tx = conn.transaction().unwrap();
                tx.prepare_cached(insert)
                    .unwrap()
                    .execute((submission, code, ME, format!("Evidence for {code} reviewed.")))
                    .unwrap();
                tx.prepare_cached("INSERT INTO changes (kind, submission_id, entity_key) VALUES ('judgement', ?1, ?2)")
                    .unwrap()
                    .execute((submission, format!("{submission}\u{1f}{code}\u{1f}{ME}")))
                    .unwrap();
                tx.prepare_cached(
                    "INSERT INTO ops (op_id, user_id, answer, received_at) VALUES (?1, ?2, '{\"status\":\"applied\",\"rev\":1,\"seq\":1}', '2026-03-01T12:00:00.000Z')",
                )
                .unwrap()
                .execute((uuid::Uuid::now_v7().to_string(), ME))
                .unwrap();
                tx.commit().unwrap();
            }
        });
        hub_shaped.times.push(d);
    }
    Baseline { per_row, one_txn, hub_shaped }
}

// ---------------------------------------------------------------------------------------------
// Many clients at once.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct LoadResult {
    trace: Trace,
    /// CPU time the client threads used, from their own `/proc/thread-self/schedstat`.
    client_cpu: Duration,
    /// CPU time the hub's tokio threads used over the phase.
    hub_cpu: Duration,
    /// A one-row SQLite commit (WAL, synchronous=FULL) every 10 ms through the phase: how long
    /// the disk made an fsync'd commit take meanwhile.
    disk_probe: Vec<Duration>,
    syncs: Vec<Duration>,
    push_syncs: Vec<Duration>,
    errors: Vec<String>,
    /// Each request's time inside the hub (`HubTimes`), by route.
    inside: HashMap<String, Vec<Duration>>,
}

/// `load_phase`, with the hub's own time for each request of the phase.
fn hub_timed_phase(
    hub_times: &HubTimes,
    probe_dir: &Path,
    clients: &mut [LoadClient],
    codes: &[String],
    seconds: u64,
    push_every: Option<usize>,
) -> (LoadResult, Duration) {
    hub_times.take();
    let (mut result, wall) = load_phase(probe_dir, clients, codes, seconds, push_every);
    result.inside = hub_times.take();
    (result, wall)
}

/// Points every load client at the hub at `url` (the same database, served another way).
fn point(clients: &mut [LoadClient], url: &str, tokens: &HashMap<String, String>) {
    for lc in clients {
        lc.client = HubClient::new(url, &tokens[&lc.me]);
    }
}

struct LoadClient {
    me: String,
    store: Store,
    client: HubClient,
    submission: String,
}

/// Every client syncs back to back for `seconds`; with `push_every`, every that-many syncs of a
/// client first saves one edit of its own judgement, so that sync pushes it.
fn load_phase(
    probe_dir: &Path,
    clients: &mut [LoadClient],
    codes: &[String],
    seconds: u64,
    push_every: Option<usize>,
) -> (LoadResult, Duration) {
    let barrier = Arc::new(Barrier::new(clients.len() + 1));
    let mut wall = Duration::ZERO;
    let mut hub_cpu = Duration::ZERO;
    let mut probe_times = Vec::new();
    let results: Vec<LoadResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .iter_mut()
            .enumerate()
            .map(|(c, lc)| {
                let barrier = barrier.clone();
                scope.spawn(move || {
                    let mut out = LoadResult::default();
                    barrier.wait();
                    let cpu_at_start = own_cpu();
                    let deadline = Instant::now() + Duration::from_secs(seconds);
                    let mut n = 0usize;
                    while Instant::now() < deadline {
                        let pushing = push_every.is_some_and(|every| (n + c).is_multiple_of(every));
                        if pushing {
                            let code = &codes[(n / push_every.unwrap_or(1)) % codes.len()];
                            let outcome = if n.is_multiple_of(2) { Outcome::Met } else { Outcome::PartiallyMet };
                            if let Err(e) = lc.store.save_judgement(
                                &lc.submission,
                                code,
                                &lc.me,
                                Some(outcome),
                                // Unique, so that a later phase's edit is not the same as an
                                // earlier phase's (a no-op with nothing to push).
                                &format!(
                                    "Edit {} by {}.",
                                    EDITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                                    lc.me
                                ),
                            ) {
                                out.errors.push(e.to_string());
                            }
                        }
                        let (result, d) = timed(|| traced_sync(&mut lc.store, &lc.client, &lc.me, &mut out.trace));
                        match result {
                            Ok(summary) if summary.pushed > 0 => out.push_syncs.push(d),
                            Ok(_) => out.syncs.push(d),
                            Err(e) => out.errors.push(e.to_string()),
                        }
                        n += 1;
                    }
                    out.client_cpu = own_cpu().saturating_sub(cpu_at_start);
                    out
                })
            })
            .collect();
        let probe_path = probe_dir.join("probe.sqlite");
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let probe = {
            let stop = stop.clone();
            scope.spawn(move || disk_probe(&probe_path, &stop))
        };
        let hub_before = hub_threads_cpu();
        barrier.wait();
        let start = Instant::now();
        let results: Vec<LoadResult> = handles.into_iter().map(|h| h.join().expect("a load client panicked")).collect();
        wall = start.elapsed();
        hub_cpu = hub_cpu_since(&hub_before);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        probe_times = probe.join().expect("the disk probe panicked");
        results
    });
    let mut all = LoadResult { hub_cpu, disk_probe: probe_times, ..LoadResult::default() };
    for r in results {
        all.client_cpu += r.client_cpu;
        all.trace.merge(r.trace);
        all.syncs.extend(r.syncs);
        all.push_syncs.extend(r.push_syncs);
        all.errors.extend(r.errors);
    }
    (all, wall)
}

/// Commits one row every 10 ms (WAL, synchronous=FULL) until `stop`, timing each commit.
fn disk_probe(path: &Path, stop: &std::sync::atomic::AtomicBool) -> Vec<Duration> {
    let _ = std::fs::remove_file(path);
    let conn = rusqlite::Connection::open(path).expect("probe database");
    conn.pragma_update(None, "journal_mode", "WAL").expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL").expect("synchronous=FULL");
    conn.execute_batch("CREATE TABLE probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL)").expect("probe table");
    let mut times = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let (result, d) = timed(|| conn.execute("INSERT INTO probe (at) VALUES ('2026-03-01T12:00:00Z')", []));
        result.expect("probe commit");
        times.push(d);
        std::thread::sleep(Duration::from_millis(10));
    }
    times
}

fn print_load(title: &str, label: &str, result: &LoadResult, wall: Duration, clients: usize, aim: f64) -> Samples {
    let requests: usize = [POST_OPS, GET_CHANGES, GET_DOCUMENT].iter().map(|s| result.trace.get(s).len()).sum();
    let syncs = result.syncs.len() + result.push_syncs.len();
    println!(
        "{title} ({label}): {clients} clients for {:.1} s: {syncs} syncs ({:.0}/s), {requests} HTTP requests ({:.0}/s), {} errors",
        wall.as_secs_f64(),
        syncs as f64 / wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64(),
        result.errors.len()
    );
    if let Some(e) = result.errors.first() {
        println!("  first error: {e}");
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let share = |d: Duration| 100.0 * d.as_secs_f64() / (wall.as_secs_f64() * cores);
    println!(
        "  CPU over the phase (of {cores:.0} cores × {:.1} s): hub threads {:.1} s ({:.0}%), client threads {:.1} s ({:.0}%); \
         hub CPU per request {:.3} ms; load average now {}",
        wall.as_secs_f64(),
        result.hub_cpu.as_secs_f64(),
        share(result.hub_cpu),
        result.client_cpu.as_secs_f64(),
        share(result.client_cpu),
        ms(result.hub_cpu) / requests.max(1) as f64,
        load_average()
    );
    println!(
        "  {:<40} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "latency (client-side)", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let row = |name: &str, times: &[Duration]| {
        if times.is_empty() {
            return;
        }
        println!(
            "  {:<40} {:>7} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            name,
            times.len(),
            percentile_ms(times, 50.0),
            percentile_ms(times, 90.0),
            percentile_ms(times, 99.0),
            percentile_ms(times, 100.0)
        );
    };
    let mut http: Vec<Duration> = Vec::new();
    for step in [GET_CHANGES, POST_OPS, GET_DOCUMENT] {
        http.extend_from_slice(result.trace.get(step));
    }
    row("every HTTP request", &http);
    for step in [GET_CHANGES, POST_OPS] {
        row(step, result.trace.get(step));
    }
    // The same requests timed inside the hub: what is left of the client-side time is the
    // client's (its thread waiting for a core among the load clients', sending, decoding).
    let mut inside: Vec<Duration> = result.inside.values().flatten().copied().collect();
    inside.sort();
    row("every HTTP request, inside the hub", &inside);
    let mut routes: Vec<_> = result.inside.iter().collect();
    routes.sort_by(|a, b| a.0.cmp(b.0));
    for (route, times) in routes {
        row(&format!("  {route}, inside the hub"), times);
    }
    row("disk probe: 1-row fsync'd SQLite commit", &result.disk_probe);
    row("whole sync, nothing to push", &result.syncs);
    row("whole sync, pushing 1 op", &result.push_syncs);
    for (step, times) in &result.trace.steps {
        if step.starts_with("local") {
            row(step, times);
        }
    }
    println!();
    Samples { name: format!("{label}: per request"), aim_ms: Some(aim), times: http }
}

/// The hub's own work for a first sync, on a second connection to its database: every page of
/// `Hub::changes` the client asked for and its JSON, each document, and the token check that
/// precedes every request.
fn hub_side_first_sync(hub_path: &Path, token: &str, shas: &[String]) -> Trace {
    let hub = Hub::open(hub_path).expect("open the hub database");
    let mut trace = Trace::default();
    let caller = trace.time("Hub::authenticate", || hub.authenticate(token)).expect("authenticate").expect("known");
    let mut since = 0;
    loop {
        trace.time("Hub::authenticate", || hub.authenticate(token)).expect("authenticate");
        let page = trace.time("Hub::changes (scan + build)", || hub.changes(&caller, since, DEFAULT_PULL_LIMIT));
        let page = page.expect("changes");
        let json = trace.time("  JSON encode of the page", || serde_json::to_vec(&page)).expect("encode");
        let decoded: ChangesResponse =
            trace.time("  JSON decode of the page", || serde_json::from_slice(&json)).expect("decode");
        assert_eq!(decoded.changes.len(), page.changes.len());
        if !page.more || page.next <= since {
            break;
        }
        since = page.next;
    }
    for sha in shas {
        trace.time("Hub::authenticate", || hub.authenticate(token)).expect("authenticate");
        let text = trace.time("Hub::document", || hub.document(&caller, sha)).expect("document");
        assert!(text.is_some(), "the document is visible");
    }
    trace
}

/// The hub's own work for a push of `targets`, in-process on a copy of its database: 1,000 ops
/// of `ME` through `Hub::apply_ops` in pushes of 500, first as served (synchronous=FULL), then
/// again without fsync (synchronous=OFF), to split the commits' fsync from the rest.
fn hub_side_push(hub_path: &Path, dir: &Path, token: &str, targets: &[(String, String)]) -> Trace {
    let copy = dir.join("hub-copy.sqlite");
    let _ = std::fs::remove_file(&copy);
    Hub::open(hub_path)
        .expect("open the hub database")
        .store()
        .connection()
        .execute("VACUUM INTO ?1", [copy.display().to_string()])
        .expect("copy the hub database");
    let mut hub = Hub::open(&copy).expect("open the copy");
    let caller = hub.authenticate(token).expect("authenticate").expect("known");
    let mut trace = Trace::default();
    for (step, synchronous) in
        [("Hub::apply_ops, synchronous=FULL", "FULL"), ("Hub::apply_ops, synchronous=OFF", "OFF")]
    {
        hub.store().connection().pragma_update(None, "synchronous", synchronous).expect("pragma");
        let ops: Vec<Op> = targets
            .iter()
            .map(|(submission, code)| Op {
                op_id: uuid::Uuid::now_v7().to_string(),
                base_rev: hub.judgement(submission, code, ME).expect("judgement").map_or(0, |j| j.rev),
                kind: OpKind::Judgement {
                    judgement: JudgementBody {
                        submission: submission.clone(),
                        standard: code.clone(),
                        outcome: Some(Outcome::PartiallyMet),
                        rationale: format!("In-process {synchronous}: evidence for {code} reviewed."),
                        state: JudgementState::Draft,
                    },
                },
            })
            .collect();
        for chunk in ops.chunks(MAX_OPS_PER_PUSH) {
            let results = trace.time(step, || hub.apply_ops(&caller, chunk)).expect("apply ops");
            assert!(results.iter().all(|r| matches!(r.outcome, OpOutcome::Applied { .. })));
        }
    }
    trace
}

/// The hub's own work for no-change syncs: the token check and an empty page of changes.
fn hub_side_no_change(hub_path: &Path, token: &str, cursor: i64) -> Trace {
    let hub = Hub::open(hub_path).expect("open the hub database");
    let mut trace = Trace::default();
    for _ in 0..NO_CHANGE_RUNS {
        let caller = trace.time("Hub::authenticate", || hub.authenticate(token)).expect("authenticate").expect("known");
        let page = trace.time("Hub::changes (nothing new)", || hub.changes(&caller, cursor, DEFAULT_PULL_LIMIT));
        assert!(page.expect("changes").changes.is_empty());
    }
    trace
}

/// The 1-, 5- and 15-minute load averages (Linux), to judge how busy the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Time on CPU from a `schedstat` file (its first field, in nanoseconds).
fn schedstat(path: &Path) -> Option<Duration> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(Duration::from_nanos(text.split_whitespace().next()?.parse().ok()?))
}

/// The calling thread's CPU time so far (Linux; zero elsewhere).
fn own_cpu() -> Duration {
    schedstat(Path::new("/proc/thread-self/schedstat")).unwrap_or_default()
}

/// CPU time of each live thread of the hub's tokio runtime (workers and blocking pool, named
/// `tokio-rt-worker` or `tokio-runtime-worker`), by thread id.
fn hub_threads_cpu() -> HashMap<String, Duration> {
    let mut out = HashMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return out };
    for task in tasks.flatten() {
        let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if name.starts_with("tokio-r")
            && let Some(cpu) = schedstat(&task.path().join("schedstat"))
        {
            out.insert(task.file_name().to_string_lossy().into_owned(), cpu);
        }
    }
    out
}

/// The hub threads' CPU time since `before` (threads that ended in between are not counted).
fn hub_cpu_since(before: &HashMap<String, Duration>) -> Duration {
    hub_threads_cpu()
        .into_iter()
        .map(|(tid, cpu)| cpu.saturating_sub(before.get(&tid).copied().unwrap_or_default()))
        .sum()
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let hub_path = dir.path().join("hub.sqlite");
    println!("accredit sync benchmark: the real hub over HTTP on loopback, real caches (WAL, synchronous=FULL)");
    println!(
        "hub: {} submissions × {} standards, {} reviewers + chair ({} documents of their own each), \
         plus {LOAD_CLIENTS} load clients' submissions; {} cores",
        SHAPE.submissions,
        SHAPE.standards,
        SHAPE.reviewers,
        DOCUMENTS_PER_SUBMISSION,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("load average at the start: {}", load_average());
    let hub_times = record_hub_times();
    let (seeded, seeding) = timed(|| seed_hub(&hub_path));
    let size = std::fs::metadata(&hub_path).map(|m| m.len()).unwrap_or(0);
    println!(
        "seeded the hub through its admin API in {:.1} s: {:.1} MB, {} rows on the change feed",
        seeding.as_secs_f64(),
        size as f64 / 1e6,
        seeded.feed_rows
    );
    let url = start_hub(&hub_path, accredit::hub::pool::readers());
    let one_lock_url = start_hub(&hub_path, 0);
    println!(
        "the hub as served here keeps {} readers (`accredit::hub::pool::readers`); phase 4 runs with them and with none",
        accredit::hub::pool::readers()
    );
    println!("serving at {url}\n");
    let token = seeded.tokens[ME].clone();
    let mut rows: Vec<Samples> = Vec::new();
    if std::env::args().any(|a| a == "load") {
        let (load_rows, ratios) = load_section(dir.path(), &seeded, &url, &one_lock_url, &hub_times);
        print_load_summary(&load_rows, &ratios);
        return;
    }

    // 1. First sync of a fresh cache.
    let first_only = std::env::args().any(|a| a == "first-sync");
    let (pull, curl_text) =
        first_sync_against_curl(dir.path(), "1. first sync of a fresh cache", &url, &token, PULL_RUNS, Some(500.0));
    let mut one_get = Samples::new("   (the same, one GET per document as before)", None);
    let mut one_by_one = Samples::new("   (the same, batches kept one by one as before)", None);
    for run in 0..3 {
        for (fetch, samples) in [(Fetch::OneGetEach, &mut one_get), (Fetch::BatchedKeptOneByOne, &mut one_by_one)] {
            let mut store = fresh_cache(&dir.path().join(format!("before-{}-{run}.sqlite", samples.name.len())), ME);
            let client = HubClient::new(&url, &token);
            let mut trace = Trace::default();
            let (summary, d) = timed(|| traced_sync_fetching(&mut store, &client, ME, &mut trace, fetch));
            summary.expect("first sync as before");
            samples.times.push(d);
        }
    }
    let mut cache = fresh_cache(&dir.path().join("cache.sqlite"), ME);
    let client = HubClient::new(&url, &token);
    sync(&mut cache, &client, ME).expect("first sync");
    assert_eq!(cache.assignments(ME).expect("assignments").len(), SHAPE.submissions, "every submission arrived");
    hub_side_first_sync(&hub_path, &token, &cached_shas(&cache))
        .print("   the same first sync's hub-side work, in-process (no HTTP)", None);
    rows.push(pull);
    let first_sub_rows = vec![curl_text, one_get, one_by_one];
    if first_only {
        let (pdf, pdf_curl) = pdf_section(dir.path());
        print_table(rows.iter().chain(&first_sub_rows).chain([&pdf, &pdf_curl]), 48);
        return;
    }

    // 2. Nothing to do.
    let mut idle = Samples::new("2. sync with nothing to do", Some(50.0));
    for i in 0..NO_CHANGE_RUNS + 5 {
        let (summary, d) = timed(|| sync(&mut cache, &client, ME));
        assert_eq!(summary.expect("no-change sync"), Summary::default(), "nothing to do");
        if i >= 5 {
            idle.times.push(d);
        }
    }
    let mut trace = Trace::default();
    let (_, whole) = timed(|| {
        for _ in 0..NO_CHANGE_RUNS {
            traced_sync(&mut cache, &client, ME, &mut trace).expect("traced no-change sync");
        }
    });
    trace.print(&format!("2. breakdown of {NO_CHANGE_RUNS} more no-change syncs"), Some(whole));
    let cursor = cache.sync_cursor().expect("cursor");
    hub_side_no_change(&hub_path, &token, cursor)
        .print(&format!("2. hub-side work of {NO_CHANGE_RUNS} no-change requests, in-process (no HTTP)"), None);
    rows.push(idle);

    // 3. Push 1,000 judgements.
    let targets: Vec<(String, String)> = (0..SHAPE.submissions)
        .flat_map(|n| seeded.codes.iter().map(move |code| (format!("S-BENCH-{n:04}"), code.clone())))
        .take(PUSH_JUDGEMENTS)
        .collect();
    let mut push = Samples::new("3. sync pushing 1,000 judgements", Some(1000.0));
    let mut saving = Samples::new("   (saving them first: 1,000 × save_judgement)", None);
    let edit = |cache: &mut Store, run: usize| {
        let outcome = if run.is_multiple_of(2) { Outcome::Met } else { Outcome::NotMet };
        timed(|| {
            for (submission, code) in &targets {
                cache
                    .save_judgement(
                        submission,
                        code,
                        ME,
                        Some(outcome),
                        &format!("Run {run}: evidence for {code} reviewed."),
                    )
                    .expect("save a judgement");
            }
        })
        .1
    };
    for run in 0..PUSH_RUNS {
        saving.times.push(edit(&mut cache, run));
        assert_eq!(cache.unsynced_count().expect("outbox"), PUSH_JUDGEMENTS);
        let (summary, d) = timed(|| sync(&mut cache, &client, ME));
        let summary = summary.expect("push sync");
        assert_eq!((summary.pushed, summary.applied), (PUSH_JUDGEMENTS, PUSH_JUDGEMENTS), "{summary}");
        push.times.push(d);
    }
    edit(&mut cache, PUSH_RUNS);
    let mut trace = Trace::default();
    let (summary, whole) = timed(|| traced_sync(&mut cache, &client, ME, &mut trace));
    let summary = summary.expect("traced push sync");
    trace.print(&format!("3. breakdown of one more push sync ({summary})"), Some(whole));
    let post_total: Duration = trace.get(POST_OPS).iter().sum();
    hub_side_push(&hub_path, dir.path(), &token, &targets)
        .print("   the same push's hub-side work, in-process on a copy of the hub database (no HTTP)", None);
    let baseline = sqlite_baseline(dir.path(), &targets);
    let sync_rate = PUSH_JUDGEMENTS as f64 / (push.median_ms() / 1e3);
    let post_rate = PUSH_JUDGEMENTS as f64 / post_total.as_secs_f64();
    println!(
        "   push rate against plain SQLite (1,000 rows, temp file, WAL, synchronous=FULL; median of {BASELINE_RUNS}); \
         load average now {}",
        load_average()
    );
    println!("   {:<44} {:>10} {:>12} {:>14} {:>14}", "", "ms", "rows/s", "sync / this", "POSTs / this");
    for s in [&baseline.per_row, &baseline.one_txn, &baseline.hub_shaped] {
        let rate = PUSH_JUDGEMENTS as f64 / (s.median_ms() / 1e3);
        println!(
            "   {:<44} {:>10.1} {:>12.0} {:>13.3}× {:>13.3}×",
            s.name,
            s.median_ms(),
            rate,
            sync_rate / rate,
            post_rate / rate
        );
    }
    println!(
        "   {:<44} {:>10.1} {:>12.0}",
        "hub push, whole sync (median, incl. pulling back)",
        push.median_ms(),
        sync_rate
    );
    println!("   {:<44} {:>10.1} {:>12.0}", "hub push, the POST /ops requests alone", ms(post_total), post_rate);
    println!();
    rows.push(push);
    let push_sub_rows = vec![saving];

    // 4. Fifty clients at once, then two hundred.
    let (load_rows, ratios) = load_section(dir.path(), &seeded, &url, &one_lock_url, &hub_times);

    // 5. A PDF pack per submission.
    let (pdf, pdf_curl) = pdf_section(dir.path());

    // Tables.
    print_table(rows.iter().chain(&first_sub_rows).chain(&push_sub_rows).chain([&pdf, &pdf_curl]), 48);

    println!("summary");
    println!("{}", "-".repeat(108));
    for s in &rows {
        let aim = s.aim_ms.expect("top-level rows have an aim");
        let median = s.median_ms();
        println!(
            "{:<48} median {:>8.1} ms  aim < {:>5} ms  {:<6}  (worst of {}: {:.1} ms)",
            s.name,
            median,
            aim,
            if median < aim { "ok" } else { "MISSED" },
            s.times.len(),
            s.percentile_ms(100.0)
        );
    }
    print_load_summary(&load_rows, &ratios);
}

fn print_load_summary(load_rows: &[Samples], ratios: &[(&str, f64)]) {
    for s in load_rows {
        let aim = s.aim_ms.expect("load rows have an aim");
        let p99 = s.percentile_ms(99.0);
        println!(
            "{:<48} p99    {:>8.1} ms  aim < {:>5} ms  {}",
            s.name,
            p99,
            aim,
            if p99 < aim { "ok" } else { "MISSED" }
        );
    }
    println!("p99 per request with readers ÷ with one lock, measured in this run (under 1: the readers help)");
    for (label, ratio) in ratios {
        println!("  {label:<46} {ratio:.2}");
    }
}
