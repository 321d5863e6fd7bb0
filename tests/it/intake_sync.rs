//! Documents at real sizes: a first sync fetches documents in batches, verifies each, keeps each
//! as it arrives (so an interrupted download resumes), and the extracted pages of the demo's PDF
//! arrive with their page markers and are searchable offline.

use accredit::sync::{HubClient, SyncError};

use crate::support::TestHub;

const S14: &str = "S-2026-014";

#[test]
fn documents_come_in_batches_and_an_interrupted_download_resumes() {
    let hub = TestHub::demo();
    let shas: Vec<String> = hub.open().store().documents(S14).unwrap().into_iter().map(|d| d.sha256).collect();
    assert!(shas.len() > 3);
    let client = HubClient::new(&hub.url, hub.token("u-demo"));
    // The download stops after three documents (as a train's Wi-Fi does).
    let mut m = hub.machine("u-demo");
    let mut kept = 0;
    let cut = client.documents(&shas, |sha, text| {
        if kept == 3 {
            return Err(SyncError::Protocol("cut".into()));
        }
        m.store.keep_document(sha, text)?;
        kept += 1;
        Ok(())
    });
    assert!(cut.is_err());
    let first = m.sync();
    let total: i64 = hub.open().store().connection().query_row("SELECT count(*) FROM blobs", [], |r| r.get(0)).unwrap();
    assert_eq!(first.documents as i64, total - 3, "the three kept documents are not fetched again");
    let ready = m.store.offline_readiness(S14).unwrap();
    assert!(ready.ready() && ready.documents == shas.len(), "{ready:?}");

    // The PDF's pages arrived extracted: printed page 3 is PDF page 4, and search finds it.
    let me = m.store.me().unwrap().unwrap();
    let (_, text) = m.store.document_text(S14, "E01", &me).unwrap();
    assert!(text.contains("[page 3]\n[PDF p.4]\n"), "{}", &text[..300.min(text.len())]);
    let hits = m.store.search(&me, "entry requirements", Some(S14), 5).unwrap();
    assert!(
        hits.iter().any(
            |h| matches!(&h.place, accredit::store::HitPlace::Page { document, page: 3, .. } if document == "E01")
        ),
        "{hits:?}"
    );
}

#[test]
fn a_batch_names_only_documents_the_caller_may_read() {
    let hub = TestHub::demo();
    let client = HubClient::new(&hub.url, hub.token("u-demo"));
    let error = client.documents(&["0".repeat(64)], |_, _| Ok(())).unwrap_err();
    assert!(matches!(error, SyncError::Refused { status: 403, .. }), "{error}");
}
