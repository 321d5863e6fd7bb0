//! Evidence extraction and full-text search.
//!
//! Run with `cargo bench --bench intake` (needs poppler-utils). Plain `fn main`, no harness:
//!
//! 1. PDF extraction through `accredit::intake` (pdftotext child, page split, NFKC, marker
//!    escaping, printed-page detection) against `pdftotext -layout` alone on the same files
//!    (aim: throughput ≥ 0.8× of pdftotext alone);
//! 2. DOCX and XLSX extraction of the demo's files;
//! 3. a full-text query over 10,000 pages through `Store::search` (visibility, three kinds of hit,
//!    snippets) against the raw FTS5 `MATCH` of the same words on the same index, the best 20 by
//!    bm25, asked the two ways FTS5 allows (aim ≤ 2× the faster, under 10 ms); and the first
//!    search after the index changed, before the ranking has the rows' lengths (store::rank).

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use accredit::domain::{DocumentRef, EvidenceRef, FrameworkRef, Mapping, Stage, Submission};
use accredit::format::{self, SubmissionPackage, media};
use accredit::intake;
use accredit::store::Store;
use common::{Samples, print_table, timed};

const RUNS: usize = 30;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pdfs = [
        root.join("fixtures/submissions/S-2026-014/documents/E01.pdf"),
        root.join("fixtures/packs/eastfield-mh/module-descriptors.pdf"),
        root.join("fixtures/packs/eastfield-mh/programme-specification.pdf"),
    ];
    let bytes: Vec<Vec<u8>> = pdfs.iter().map(|p| std::fs::read(p).expect("fixture")).collect();
    let mut ours = Samples::new("PDF: intake::extract (3 files)", None);
    let mut raw_pdf = Samples::new("PDF: pdftotext -layout alone (3 files)", None);
    for _ in 0..RUNS {
        let (_, d) = timed(|| {
            for b in &bytes {
                let x = intake::extract("bench.pdf", media::PDF, b).expect("extracts");
                black_box(intake::detect_printed(&x.pages));
            }
        });
        ours.push(d);
        let (_, d) = timed(|| {
            for p in &pdfs {
                let out = Command::new("pdftotext").args(["-layout", "-enc", "UTF-8", "-q"]).arg(p).arg("-").output();
                black_box(out.expect("pdftotext runs"));
            }
        });
        raw_pdf.push(d);
    }
    let docs = root.join("fixtures/submissions/S-2026-014/documents");
    let docx = std::fs::read(docs.join("E06.docx")).expect("fixture");
    let xlsx = std::fs::read(docs.join("E09.xlsx")).expect("fixture");
    let mut docx_s = Samples::new("DOCX: E06.docx", None);
    let mut xlsx_s = Samples::new("XLSX: E09.xlsx", None);
    for _ in 0..RUNS {
        docx_s.push(timed(|| black_box(intake::extract("E06.docx", media::DOCX, &docx).expect("docx"))).1);
        xlsx_s.push(timed(|| black_box(intake::extract("E09.xlsx", media::XLSX, &xlsx).expect("xlsx"))).1);
    }

    let (store, me) = store_with_pages(100, 100);
    let query = "supervision portfolio";
    let mut search = Samples::new("search: Store::search over 10,000 pages", Some(10.0));
    // The first search after the index changed looks every matching row's length up again
    // (store::rank remembers them per generation of the index); moved on here as a refresh does.
    let mut search_cold = Samples::new("search: the same, first after the index changed", None);
    let next_generation = || {
        store
            .connection()
            .execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'search_generation'", [])
            .expect("generation")
    };
    // The raw FTS5 query of the same words, the best 20 by bm25, two ways: FTS5's own `ORDER BY
    // rank` (it sorts every match), and `ORDER BY rank, rowid` (SQLite keeps the best 20 as they
    // come; the same ranks). The ratio is against the faster of the two in this run.
    let mut fts = Samples::new("search: raw FTS5 ORDER BY rank LIMIT 20", None);
    let mut fts_top = Samples::new("search: raw FTS5 ORDER BY rank, rowid LIMIT 20", None);
    let q = accredit::store::fts_query(query).expect("a query");
    let raw = |sql: &str| {
        let mut stmt = store.connection().prepare_cached(sql).expect("prepare");
        let rows: Vec<(i64, f64)> =
            stmt.query_map([&q], |r| Ok((r.get(0)?, r.get(1)?))).expect("query").map(|r| r.expect("row")).collect();
        black_box(rows)
    };
    let by_rank = "SELECT rowid, rank FROM search_index WHERE search_index MATCH ?1 ORDER BY rank LIMIT 20";
    let by_rank_rowid =
        "SELECT rowid, rank FROM search_index WHERE search_index MATCH ?1 ORDER BY rank, rowid LIMIT 20";
    assert_eq!(raw(by_rank), raw(by_rank_rowid), "the two raw queries rank alike");
    for _ in 0..RUNS {
        assert_eq!(next_generation(), 1, "the index has a generation");
        search_cold.push(timed(|| black_box(store.search(&me, query, None, 20).expect("search"))).1);
        search.push(timed(|| black_box(store.search(&me, query, None, 20).expect("search"))).1);
        fts.push(timed(|| raw(by_rank)).1);
        fts_top.push(timed(|| raw(by_rank_rowid)).1);
    }
    print_table([&ours, &raw_pdf, &docx_s, &xlsx_s, &search, &search_cold, &fts, &fts_top], 48);
    let baseline = fts.median_ms().min(fts_top.median_ms());
    println!(
        "PDF throughput: {:.2}× of pdftotext alone (aim ≥ 0.8×); search: {:.2}× the faster raw FTS5 query (aim ≤ 2×), {:.2}× FTS5's own ORDER BY rank; first after a change {:.2}×",
        raw_pdf.median_ms() / ours.median_ms(),
        search.median_ms() / baseline,
        search.median_ms() / fts.median_ms(),
        search_cold.median_ms() / baseline
    );
}

/// The demo cache plus one submission of `docs` documents of `pages` pages of varied words.
fn store_with_pages(docs: usize, pages: usize) -> (Store, String) {
    let mut store = Store::open_in_memory().expect("cache");
    accredit::demo::install(&mut store).expect("demo");
    let me = store.me().expect("me").expect("an owner");
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
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut texts = HashMap::new();
    let mut documents = Vec::new();
    for d in 0..docs {
        let id = format!("E{d:03}");
        let mut text = String::new();
        for p in 1..=pages {
            text.push_str(&format!("[page {p}]\n"));
            for _ in 0..120 {
                text.push_str(words[(next() % words.len() as u64) as usize]);
                text.push(' ');
            }
            text.push_str(&format!("document {d} page {p}\n"));
        }
        texts.insert(id.clone(), text);
        documents.push(DocumentRef {
            id: id.clone(),
            title: format!("Document {d}"),
            media_type: media::TEXT.into(),
            path: format!("{id}.txt"),
            page_offset: None,
        });
    }
    let submission = Submission {
        id: "S-BENCH".into(),
        frameworks: vec![FrameworkRef { id: "mpf-2017".into(), version: "2017".into(), standards: None }],
        header: accredit::domain::SubmissionHeader {
            provider: "Bench".into(),
            programme: "Bench".into(),
            award: "MSc".into(),
            programme_code: None,
            modes: None,
            version: 1,
            submitted_at: jiff::civil::date(2026, 1, 1),
        },
        stage: Stage::StandardsReview,
        stage_note: None,
        documents,
        mappings: vec![Mapping {
            standard: "MPF 1.1".into(),
            narrative: "Supervision is in the portfolio.".into(),
            evidence: vec![EvidenceRef { document: "E000".into(), locator: "p.1".into() }],
        }],
    };
    store
        .import_submission(&SubmissionPackage { submission, documents: texts, originals: HashMap::new() })
        .expect("import");
    let panel = format!(
        r#"{{"format": "accredit.demo-panel.v1", "submission": "S-BENCH", "chair": "u-chair", "reviews_due": "2026-12-20",
            "members": [{{"user": "{me}", "role": "reviewer"}}], "judgements": []}}"#
    );
    store.import_panel(&format::parse_panel("panel.json", &panel, |_| true, |_| true).expect("panel")).expect("panel");
    (store, me)
}
