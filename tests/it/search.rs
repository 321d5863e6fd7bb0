//! Full-text search within what the user may see (`Store::search`): a lay member finds nothing in
//! a document their standards do not cite, nobody finds anything of a submission they are not on
//! (or are recused from), and a search that must look past many hidden matches still finds the
//! visible ones. Against a plain join over the whole index, the hits are the same.

use std::collections::{BTreeSet, HashMap};

use accredit::domain::{DocumentRef, EvidenceRef, FrameworkRef, Mapping, Stage, Submission};
use accredit::format::{self, SubmissionPackage, media};
use accredit::store::{HitPlace, SearchHit, Store};

/// A submission of the MPF's first two capabilities: `documents` (id, text), and per standard
/// its narrative and the documents it cites.
fn submission(store: &mut Store, id: &str, documents: &[(&str, String)], mappings: &[(&str, &str, &[&str])]) {
    let submission = Submission {
        id: id.into(),
        frameworks: vec![FrameworkRef {
            id: "mpf-2017".into(),
            version: "2017".into(),
            standards: Some(vec!["MPF 1.1".into(), "MPF 1.2".into()]),
        }],
        header: accredit::domain::SubmissionHeader {
            provider: "University of Search".into(),
            programme: "MSc Search".into(),
            award: "MSc".into(),
            programme_code: None,
            modes: None,
            version: 1,
            submitted_at: jiff::civil::date(2026, 1, 1),
        },
        stage: Stage::StandardsReview,
        stage_note: None,
        documents: documents
            .iter()
            .map(|(doc, _)| DocumentRef {
                id: doc.to_string(),
                title: format!("Document {doc}"),
                media_type: media::TEXT.into(),
                path: format!("{doc}.txt"),
                page_offset: None,
            })
            .collect(),
        mappings: mappings
            .iter()
            .map(|(standard, narrative, cited)| Mapping {
                standard: standard.to_string(),
                narrative: narrative.to_string(),
                evidence: cited
                    .iter()
                    .map(|d| EvidenceRef { document: d.to_string(), locator: "p.1".into() })
                    .collect(),
            })
            .collect(),
    };
    let texts: HashMap<String, String> = documents.iter().map(|(d, t)| (d.to_string(), t.clone())).collect();
    store.import_submission(&SubmissionPackage { submission, documents: texts, originals: HashMap::new() }).unwrap();
}

/// A panel for `submission` chaired by u-chair, with `members` as JSON objects.
fn panel(store: &mut Store, submission: &str, members: &str) {
    let json = format!(
        r#"{{"format": "accredit.demo-panel.v1", "submission": "{submission}", "chair": "u-chair",
            "reviews_due": "2026-12-20", "members": [{members}], "judgements": []}}"#
    );
    store.import_panel(&format::parse_panel("panel.json", &json, |_| true, |_| true).unwrap()).unwrap();
}

/// The demo cache plus S-SEARCH-A (u-lay limited to MPF 1.1, u-rev1 recused, u-rev2 a reviewer)
/// and S-SEARCH-B (u-rev2 and u-rev3; u-lay is not on it).
fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    accredit::demo::install(&mut store).unwrap();
    submission(
        &mut store,
        "S-SEARCH-A",
        &[
            ("A1", "[page 1]\ncover\n[page 2]\nthe kingfisher module\n".into()),
            ("A2", "[page 1]\nthe zebrafish handbook\n".into()),
        ],
        &[("MPF 1.1", "taught with an osprey", &["A1"]), ("MPF 1.2", "assessed with a pelican", &["A2"])],
    );
    panel(
        &mut store,
        "S-SEARCH-A",
        r#"{"user": "u-lay", "role": "lay", "standards": ["MPF 1.1"]},
           {"user": "u-rev1", "role": "reviewer", "recused": true, "recusal_reason": "taught there"},
           {"user": "u-rev2", "role": "reviewer"}"#,
    );
    submission(
        &mut store,
        "S-SEARCH-B",
        &[("B1", "[page 1]\nzebrafish kingfisher osprey pelican\n".into())],
        &[("MPF 1.1", "an osprey and a zebrafish", &["B1"])],
    );
    panel(
        &mut store,
        "S-SEARCH-B",
        r#"{"user": "u-rev2", "role": "reviewer"}, {"user": "u-rev3", "role": "reviewer"}"#,
    );
    store
}

fn places(hits: &[SearchHit]) -> BTreeSet<String> {
    hits.iter()
        .map(|h| match &h.place {
            HitPlace::Page { document, page, .. } => format!("{} {document} p.{page}", h.submission),
            HitPlace::Narrative { standard } => format!("{} {standard} narrative", h.submission),
            HitPlace::Standard { standard } => format!("{} {standard}", h.submission),
        })
        .collect()
}

fn found(store: &Store, me: &str, query: &str) -> BTreeSet<String> {
    places(&store.search(me, query, None, 50).unwrap())
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_lay_member_finds_only_what_their_standards_cite() {
    let store = store();
    assert_eq!(found(&store, "u-lay", "kingfisher"), set(&["S-SEARCH-A A1 p.2"]));
    // A2 is cited only by MPF 1.2, which is not theirs; S-SEARCH-B is not their submission.
    assert_eq!(found(&store, "u-lay", "zebrafish"), set(&[]));
    assert_eq!(found(&store, "u-lay", "osprey"), set(&["S-SEARCH-A MPF 1.1 narrative"]));
    assert_eq!(found(&store, "u-lay", "pelican"), set(&[]), "MPF 1.2's narrative is not theirs");
    // The standards themselves ("own" is in both MPF 1.1 and 1.2): their own only.
    let standards = |user| -> BTreeSet<String> {
        found(&store, user, "own").into_iter().filter(|p| p.starts_with("S-SEARCH-A")).collect()
    };
    assert_eq!(standards("u-lay"), set(&["S-SEARCH-A MPF 1.1"]));
    assert_eq!(standards("u-rev2"), set(&["S-SEARCH-A MPF 1.1", "S-SEARCH-A MPF 1.2"]));
}

#[test]
fn another_submissions_hits_never_appear() {
    let store = store();
    // u-rev2 is on both; u-rev3 only on B; u-rev1 is recused from A and on nothing else here.
    assert_eq!(
        found(&store, "u-rev2", "zebrafish"),
        set(&["S-SEARCH-A A2 p.1", "S-SEARCH-B B1 p.1", "S-SEARCH-B MPF 1.1 narrative"])
    );
    assert_eq!(found(&store, "u-rev3", "zebrafish"), set(&["S-SEARCH-B B1 p.1", "S-SEARCH-B MPF 1.1 narrative"]));
    assert_eq!(found(&store, "u-rev1", "kingfisher"), set(&[]), "recused: nothing of that submission");
    assert_eq!(found(&store, "u-nobody", "kingfisher"), set(&[]));
    // The chair sees all of both.
    assert_eq!(found(&store, "u-chair", "kingfisher"), set(&["S-SEARCH-A A1 p.2", "S-SEARCH-B B1 p.1"]));
    // --submission narrows to one.
    let hits = store.search("u-rev2", "zebrafish", Some("S-SEARCH-B"), 50).unwrap();
    assert!(hits.iter().all(|h| h.submission == "S-SEARCH-B") && hits.len() == 2, "{hits:?}");
}

#[test]
fn hidden_matches_ranked_first_do_not_crowd_out_a_visible_one() {
    let mut store = store();
    // 300 pages of a submission u-lay is not on, each a better match than the one they may see.
    let pages: String = (1..=300).map(|p| format!("[page {p}]\nkingfisher kingfisher kingfisher\n")).collect();
    submission(&mut store, "S-SEARCH-C", &[("C1", pages)], &[("MPF 1.1", "", &["C1"])]);
    panel(&mut store, "S-SEARCH-C", r#"{"user": "u-rev3", "role": "reviewer"}"#);
    let hits = store.search("u-lay", "kingfisher", None, 5).unwrap();
    assert_eq!(places(&hits), set(&["S-SEARCH-A A1 p.2"]));
    assert!(hits[0].snippet.contains("«kingfisher»"), "{:?}", hits[0].snippet);
    // And the limit holds, best first, for someone who sees the 300.
    let hits = store.search("u-rev3", "kingfisher", None, 5).unwrap();
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.submission == "S-SEARCH-C"), "{hits:?}");
}

/// What the search should find for a member who sees everything of their submissions, by a plain
/// join over every match (how it was first written).
fn by_join(store: &Store, me: &str, query: &str) -> BTreeSet<String> {
    let q = accredit::store::fts_query(query).unwrap();
    let visible = "(SELECT submission_id FROM panels WHERE chair = ?1
                    UNION SELECT submission_id FROM panel_members WHERE user_id = ?1 AND recused = 0)";
    let sql = format!(
        "SELECT d.submission_id || ' ' || d.id || ' p.' || x.key2 FROM search_index x JOIN documents d ON d.sha256 = x.key1
         WHERE search_index MATCH ?2 AND x.kind = 'page' AND d.submission_id IN {visible}
         UNION SELECT x.key1 || ' ' || x.key2 || ' narrative' FROM search_index x
         WHERE search_index MATCH ?2 AND x.kind = 'narrative' AND x.key1 IN {visible}
         UNION SELECT ss.submission_id || ' ' || x.key2 FROM search_index x
         JOIN submission_standards ss ON ss.framework_id || '@' || ss.framework_version = x.key1 AND ss.standard_code = x.key2
         WHERE search_index MATCH ?2 AND x.kind = 'standard' AND ss.submission_id IN {visible}"
    );
    let conn = store.connection();
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([me, &q], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn the_hits_are_those_of_a_join_over_every_match() {
    let store = store();
    let me = store.me().unwrap().unwrap();
    for query in ["assessment", "clinical reasoning", "portfolio", "supervis*", "kingfisher", "mini-CEX", "capability"]
    {
        for user in [me.as_str(), "u-chair", "u-rev2", "u-rev3"] {
            let all = store.search(user, query, None, 10_000).unwrap();
            assert_eq!(places(&all), by_join(&store, user, query), "{user}: {query}");
            // Best first: the ranks never go down the list.
            let limited = store.search(user, query, None, 7).unwrap();
            assert_eq!(limited.len(), all.len().min(7), "{user}: {query}");
        }
    }
}

/// Every hit of `query` for `me` (a member of each of their submissions with no limit to some
/// standards) with its snippet, best first, as the index itself gives them: FTS5's own ranked
/// query over every match (`ORDER BY rank`, the query the search first made) and `snippet()`
/// per row, each row made into the hits of the places it is in.
fn by_rank(store: &Store, me: &str, query: &str) -> Vec<(String, String)> {
    let q = accredit::store::fts_query(query).unwrap();
    let conn = store.connection();
    let visible: BTreeSet<String> = conn
        .prepare(
            "SELECT submission_id FROM panels WHERE chair = ?1
             UNION SELECT submission_id FROM panel_members WHERE user_id = ?1 AND recused = 0",
        )
        .unwrap()
        .query_map([me], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let rows: Vec<(String, String, String, String)> = conn
        .prepare(
            "SELECT kind, key1, CAST(key2 AS TEXT), snippet(search_index, 0, '«', '»', '…', 12) FROM search_index
             WHERE search_index MATCH ?1 ORDER BY rank",
        )
        .unwrap()
        .query_map([&q], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut documents =
        conn.prepare("SELECT submission_id, id FROM documents WHERE sha256 = ?1 ORDER BY submission_id, ord").unwrap();
    let mut standards = conn
        .prepare(
            "SELECT submission_id FROM submission_standards
             WHERE framework_id || '@' || framework_version = ?1 AND standard_code = ?2 ORDER BY submission_id",
        )
        .unwrap();
    let mut hits = Vec::new();
    for (kind, key1, key2, snippet) in rows {
        let places: Vec<String> = match kind.as_str() {
            "page" => documents
                .query_map([&key1], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .filter(|(s, _)| visible.contains(s))
                .map(|(s, d)| format!("{s} {d} p.{key2}"))
                .collect(),
            "narrative" if visible.contains(&key1) => vec![format!("{key1} {key2} narrative")],
            "standard" => standards
                .query_map([&key1, &key2], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .filter(|s| visible.contains(s))
                .map(|s| format!("{s} {key2}"))
                .collect(),
            _ => vec![],
        };
        hits.extend(places.into_iter().map(|p| (p, snippet.clone())));
    }
    hits
}

fn ranked(hits: &[SearchHit]) -> Vec<(String, String)> {
    hits.iter()
        .map(|h| {
            let place = match &h.place {
                HitPlace::Page { document, page, .. } => format!("{} {document} p.{page}", h.submission),
                HitPlace::Narrative { standard } => format!("{} {standard} narrative", h.submission),
                HitPlace::Standard { standard } => format!("{} {standard}", h.submission),
            };
            (place, h.snippet.clone())
        })
        .collect()
}

/// The search's order and snippets are those of FTS5's own ranking: a faster ranked query must
/// not reorder the hits (equal ranks included: S-SEARCH-D's pages are one text ten times) nor
/// change a snippet, for the whole list or the first few.
#[test]
fn the_hits_come_in_the_order_and_with_the_snippets_of_fts5_s_own_ranking() {
    let mut store = store();
    let same: String = (1..=10).map(|p| format!("[page {p}]\nthe kingfisher dives; clinical reasoning\n")).collect();
    let varied: String = (1..=40)
        .map(|p| format!("[page {p}]\n{}clinical reasoning and {} kingfisher\n", "assessment ".repeat(p % 7), p))
        .collect();
    submission(&mut store, "S-SEARCH-D", &[("D1", same), ("D2", varied)], &[("MPF 1.1", "a kingfisher", &["D1"])]);
    panel(&mut store, "S-SEARCH-D", r#"{"user": "u-rev2", "role": "reviewer"}"#);
    for query in ["assessment", "clinical reasoning", "supervis*", "kingfisher", "zebrafish", "portfolio", "own"] {
        for user in ["u-chair", "u-rev2", "u-rev3"] {
            let expected = by_rank(&store, user, query);
            let all = ranked(&store.search(user, query, None, 10_000).unwrap());
            assert_eq!(all, expected, "{user}: {query}");
            for limit in [1, 7, 25] {
                let first = ranked(&store.search(user, query, None, limit).unwrap());
                assert_eq!(first, expected[..expected.len().min(limit)], "{user}: {query}, limit {limit}");
            }
        }
    }
}
