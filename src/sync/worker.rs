//! Sync off the UI thread: the TUI asks, a worker thread does the network work with its own
//! connection to the cache, and the result comes back through a channel. Sync requests made
//! while a sync runs are folded into one more sync, never queued up.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread;

use super::{HubClient, Summary, SyncError, sync};
use crate::store::Store;
use crate::wire::PushReportResponse;

enum Job {
    Sync,
    /// Sync, then push the panel report of a submission.
    PushReport(String),
}

/// What a job came to.
pub enum Outcome {
    Synced(Result<Summary, SyncError>),
    /// The hub's answer, and the Markdown of the version it holds (for later diffs).
    ReportPushed {
        submission: String,
        result: Result<(PushReportResponse, String), SyncError>,
    },
}

pub struct SyncWorker {
    jobs: Sender<Job>,
    results: Receiver<Outcome>,
}

impl SyncWorker {
    pub fn start(cache: PathBuf, client: HubClient, me: String) -> SyncWorker {
        let (jobs, incoming) = mpsc::channel::<Job>();
        let (outgoing, results) = mpsc::channel();
        thread::Builder::new()
            .name("sync".into())
            .spawn(move || {
                let mut store: Option<Store> = None;
                while let Ok(job) = incoming.recv() {
                    let mut jobs = vec![job];
                    jobs.extend(incoming.try_iter());
                    // Every sync asked for meanwhile is one sync; report pushes each run.
                    let pushes: Vec<String> = jobs
                        .into_iter()
                        .filter_map(|j| if let Job::PushReport(s) = j { Some(s) } else { None })
                        .collect();
                    let synced = match &mut store {
                        Some(store) => sync(store, &client, &me),
                        None => match Store::open(&cache) {
                            Ok(opened) => sync(store.insert(opened), &client, &me),
                            Err(e) => Err(e.into()),
                        },
                    };
                    if let (Some(store), Err(e)) = (&store, &synced) {
                        let _ = store.log_sync("error", &e.to_string());
                    }
                    let synced_ok = synced.is_ok();
                    if outgoing.send(Outcome::Synced(synced)).is_err() {
                        break;
                    }
                    // What the pull wrote, copied into the database now that nobody waits for
                    // it (not in a keystroke's commit on the UI's connection). Nothing is lost
                    // if it cannot: a later commit checkpoints.
                    if let Some(Err(e)) = store.as_ref().map(Store::checkpoint) {
                        tracing::warn!(error = %e, "could not checkpoint the cache after a sync");
                    }
                    for submission in pushes {
                        // A report is pushed only once the hub has the latest consolidation.
                        let result = if synced_ok {
                            // The organisation's name heads the report: keep the hub's, so the
                            // drafts here match what it pushes (as `accredit panel push` does).
                            if let (Some(store), Ok((_, Some(organisation)))) = (&store, client.me_and_organisation()) {
                                let _ = store.set_meta(crate::store::ORGANISATION_KEY, &organisation);
                            }
                            client.push_report(&submission).and_then(|pushed| {
                                let markdown = client.report(&submission, pushed.report.version, "md")?;
                                Ok((pushed, markdown))
                            })
                        } else {
                            Err(SyncError::Protocol("the sync before the push failed; nothing was pushed".into()))
                        };
                        if outgoing.send(Outcome::ReportPushed { submission, result }).is_err() {
                            return;
                        }
                    }
                }
            })
            .expect("spawn the sync thread");
        SyncWorker { jobs, results }
    }

    pub fn request(&self) {
        let _ = self.jobs.send(Job::Sync);
    }

    /// Syncs, then pushes the panel report of `submission`.
    pub fn push_report(&self, submission: &str) {
        let _ = self.jobs.send(Job::PushReport(submission.to_string()));
    }

    /// A finished job's outcome, if one is waiting.
    pub fn try_outcome(&self) -> Option<Outcome> {
        match self.results.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Outcome::Synced(Err(SyncError::Protocol("the sync thread stopped; restart accredit".into()))))
            }
        }
    }
}
