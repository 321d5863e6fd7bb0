//! `accredit search`: full-text search over the cache, within what I may see.

use accredit::store::Store;
use color_eyre::eyre::{Result, bail};
use serde_json::json;

pub fn run(store: &Store, query: &str, submission: Option<&str>, as_json: bool, limit: usize) -> Result<()> {
    if accredit::store::fts_query(query).is_none() {
        bail!("\"{query}\" has no word to search for; give a word or two, like `accredit search mini-CEX`");
    }
    let me = store.me()?.unwrap_or_default();
    let hits = store.search(&me, query, submission, limit)?;
    if as_json {
        let doc = json!({ "format": "accredit.search.v1", "query": query, "hits": hits });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    if hits.is_empty() {
        println!("no match for \"{query}\" in the evidence, narratives or standards you may see");
        return Ok(());
    }
    for hit in &hits {
        println!("{hit}");
    }
    Ok(())
}
