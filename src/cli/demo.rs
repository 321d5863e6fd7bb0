//! `accredit demo [--reset]`: the built-in demo, with a real hub on loopback.
//!
//! The demo seeds a hub database beside the cache with the fixtures, starts that hub in this
//! process on a free loopback port, and opens the TUI as the demo user on an empty cache that
//! fills by syncing. Independence is the hub's doing: the other members' judgements reach the
//! demo user only after they submit theirs.

use std::path::Path;

use color_eyre::eyre::{Result, WrapErr, bail, eyre};

use accredit::hub::Hub;
use accredit::paths::DataDir;
use accredit::store::Store;
use accredit::sync::{Credentials, HubClient, SyncWorker};
use accredit::tui::Settings;

pub fn run(data_dir: &DataDir, reset: bool, settings: Settings) -> Result<()> {
    let cache = data_dir.cache();
    let hub_db = data_dir.root().join("demo-hub.sqlite");
    if cache.exists() {
        let store = Store::open(&cache).wrap_err_with(|| format!("cannot open the cache {}", cache.display()))?;
        match store.meta("kind")?.as_deref() {
            Some("demo") => {}
            _ if store.me()?.is_some() => bail!(
                "{} holds a real cache, which the demo would overwrite; run the demo in its own folder: `accredit --data-dir DIR demo`",
                data_dir.root().display()
            ),
            _ => {}
        }
    }
    super::require_terminal()?;
    if reset {
        remove_database(&cache)?;
        remove_database(&hub_db)?;
    }
    let new_hub = !hub_db.exists();
    let mut hub = Hub::open(&hub_db).wrap_err("cannot open the demo hub")?;
    if new_hub {
        hub.seed_demo().wrap_err("cannot seed the demo hub")?;
    }
    let me = accredit::demo::demo_user().wrap_err("the demo fixtures name no demo user")?;
    // A new token each start: only its hash is kept, so the last one cannot be read back.
    let person = accredit::domain::Person {
        id: me.clone(),
        name: String::new(),
        title: String::new(),
        background: String::new(),
    };
    let token = hub.add_account(&person, accredit::wire::UserRole::Reviewer)?;
    let server = start_hub(hub)?;

    let store = Store::open(&cache)?;
    store.set_meta("me", &me)?;
    store.set_meta("kind", "demo")?;
    if new_hub {
        // A cache kept from an earlier demo hub reads the new hub's feed from the start; its
        // unsynced changes are pushed to the new hub like any others.
        store.set_meta("sync_cursor", "0")?;
    }

    Credentials { server: server.clone(), token: token.clone(), user: me.clone(), ca_cert: None }
        .save(&data_dir.credentials())?;
    let worker = SyncWorker::start(cache, HubClient::new(&server, &token), me);
    super::run_tui(data_dir, store, settings, Some(worker))
}

/// Runs the hub on a free loopback port on its own thread, for as long as this process lives.
fn start_hub(hub: Hub) -> Result<String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("demo-hub".into()).spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(e) => return drop(sender.send(Err(e.to_string()))),
        };
        runtime.block_on(async move {
            match accredit::hub::http::bind(([127, 0, 0, 1], 0).into()).await {
                Ok((listener, address)) => {
                    let _ = sender.send(Ok(format!("http://{address}")));
                    if let Err(e) = accredit::hub::http::serve(listener, hub).await {
                        tracing::error!(error = %e, "the demo hub stopped");
                    }
                }
                Err(e) => drop(sender.send(Err(e.to_string()))),
            }
        });
    })?;
    receiver
        .recv()
        .map_err(|_| eyre!("the demo hub did not start"))?
        .map_err(|e| eyre!("the demo hub cannot listen on loopback: {e}"))
}

/// Removes a database file and its WAL companions.
fn remove_database(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).wrap_err_with(|| format!("cannot remove {}", file.display())),
        }
    }
    Ok(())
}
