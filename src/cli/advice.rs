//! What to do when the cache is missing, damaged or unfinished: the advice depends on whose
//! profile this is. A hub user gets their work back by logging in and syncing (the hub holds
//! everything they synced); only the demo is remade with `accredit demo`.

use accredit::paths::DataDir;
use accredit::sync::Credentials;

/// The demo keeps its own hub beside its cache.
const DEMO_HUB: &str = "demo-hub.sqlite";

/// How to get a usable cache again in this data folder.
pub fn remake_cache(data_dir: &DataDir) -> String {
    if data_dir.root().join(DEMO_HUB).exists() {
        return "this folder holds the demo: `accredit demo --reset` makes a fresh one".into();
    }
    match Credentials::load(&data_dir.credentials()) {
        Ok(Some(credentials)) => format!(
            "log in again and sync: `accredit login --server {}` (it asks for the token), then `accredit sync`; the hub has \
             everything you synced (what was not synced is only in the old cache: move it aside, do not delete it)",
            credentials.server
        ),
        _ => "to work on a hub, `accredit login --server URL` (it asks for the token your accreditation \
              office gave you), then `accredit sync`; to try accredit, `accredit demo`"
            .into(),
    }
}
