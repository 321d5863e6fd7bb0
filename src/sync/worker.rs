//! Sync off the UI thread: the TUI asks, a worker thread syncs with its own connection to the
//! cache, and the result comes back through a channel. Requests made while a sync runs are
//! folded into one more sync, never queued up.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread;

use super::{HubClient, Summary, SyncError, sync};
use crate::store::Store;

pub struct SyncWorker {
    requests: Sender<()>,
    results: Receiver<Result<Summary, SyncError>>,
}

impl SyncWorker {
    pub fn start(cache: PathBuf, client: HubClient, me: String) -> SyncWorker {
        let (requests, incoming) = mpsc::channel::<()>();
        let (outgoing, results) = mpsc::channel();
        thread::Builder::new()
            .name("sync".into())
            .spawn(move || {
                let mut store: Option<Store> = None;
                while incoming.recv().is_ok() {
                    while incoming.try_recv().is_ok() {}
                    let result = match &mut store {
                        Some(store) => sync(store, &client, &me),
                        None => match Store::open(&cache) {
                            Ok(opened) => sync(store.insert(opened), &client, &me),
                            Err(e) => Err(e.into()),
                        },
                    };
                    if let (Some(store), Err(e)) = (&store, &result) {
                        let _ = store.log_sync("error", &e.to_string());
                    }
                    if outgoing.send(result).is_err() {
                        break;
                    }
                }
            })
            .expect("spawn the sync thread");
        SyncWorker { requests, results }
    }

    pub fn request(&self) {
        let _ = self.requests.send(());
    }

    /// A finished sync's result, if one is waiting.
    pub fn try_result(&self) -> Option<Result<Summary, SyncError>> {
        match self.results.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err(SyncError::Protocol("the sync thread stopped; restart accredit".into())))
            }
        }
    }
}
