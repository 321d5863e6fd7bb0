//! Runs the effects `App::update` asks for against the store and the sync worker, and feeds
//! the results back. The terminal loop and the tests share it, so a test drives exactly what a
//! user drives.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Instant;

use jiff::civil::Date;

use super::app::{Action, App, Effect, SyncFailure};
use super::screens::panel::{PanelData, ReportPreview};
use super::screens::report::{MemberConfirm, SincePushed};
use super::screens::sync::{SyncStatus, SyncView};
use super::settings::Settings;
use super::viewer::{self, ViewerCommand};
use crate::domain::MemberRole;
use crate::report::{self, Format};
use crate::store::{Store, StoreError};
use crate::sync::{SyncWorker, WorkerOutcome};

pub struct Runtime {
    pub app: App,
    pub store: Store,
    /// A rationale waiting to be edited in `$EDITOR`; the terminal loop takes it.
    pub external_edit: Option<String>,
    /// Where originals opened outside the terminal are written (private, in the data folder).
    pub originals_dir: Option<PathBuf>,
    viewer: Option<ViewerCommand>,
    sync: Option<SyncWorker>,
    /// The cache's `PRAGMA data_version` when last looked at: it changes when another
    /// connection commits.
    data_version: Option<i64>,
}

impl Runtime {
    /// Starts on the queue of the cache's owner.
    pub fn new(store: Store, today: Date, settings: Settings) -> Result<Runtime, StoreError> {
        let me = store.me()?.ok_or_else(|| StoreError::Corrupt("the cache has no owner".into()))?;
        let name = store.person_name(&me)?;
        let viewer = settings.viewer.clone();
        let mut runtime = Runtime {
            app: App::new(me, name, today, settings, Instant::now()),
            store,
            external_edit: None,
            originals_dir: None,
            viewer,
            sync: None,
            data_version: None,
        };
        runtime.data_version = runtime.data_version();
        for action in runtime.run(Effect::LoadQueue) {
            runtime.dispatch(action);
        }
        Ok(runtime)
    }

    /// Connects a sync worker: `s`, the start and the periodic timer then sync with the hub.
    pub fn connect(&mut self, worker: SyncWorker) {
        self.sync = Some(worker);
        self.app.sync_status = SyncStatus::Never;
    }

    /// Applies `action` and every effect it leads to, in order.
    pub fn dispatch(&mut self, action: Action) {
        // The clock is read here, at the edge: a tick brings its own time.
        let now = match &action {
            Action::Tick(at) => *at,
            _ => Instant::now(),
        };
        let mut pending = VecDeque::from([action]);
        while let Some(action) = pending.pop_front() {
            for effect in self.app.update(action, now) {
                pending.extend(self.run(effect));
            }
        }
    }

    /// Reloads what is on screen when another connection has written to the cache since the
    /// last look (`accredit judge` beside the open TUI, the sync thread).
    pub fn notice_outside_writes(&mut self) {
        let now = self.data_version();
        if now.is_some() && std::mem::replace(&mut self.data_version, now) != now {
            self.dispatch(Action::CacheChanged);
        }
    }

    fn data_version(&self) -> Option<i64> {
        match self.store.connection().query_row("PRAGMA data_version", [], |row| row.get(0)) {
            Ok(version) => Some(version),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the cache's data_version");
                None
            }
        }
    }

    /// Takes what the sync thread finished, if anything.
    pub fn poll_sync(&mut self) {
        while let Some(outcome) = self.sync.as_ref().and_then(SyncWorker::try_outcome) {
            let action = match outcome {
                WorkerOutcome::Synced(result) => {
                    let at = jiff::Zoned::now().strftime("%H:%M").to_string();
                    let result = result.map(|summary| summary.to_string()).map_err(|e| SyncFailure {
                        offline: e.is_offline(),
                        not_connected: false,
                        message: e.to_string(),
                    });
                    // The sync's own reload covers what it wrote.
                    self.data_version = self.data_version();
                    Action::SyncFinished { result, at }
                }
                WorkerOutcome::ReportPushed { submission, result } => {
                    if let Ok((pushed, markdown)) = &result {
                        let r = &pushed.report;
                        let kept = self
                            .store
                            .report_input(&submission)
                            .map(|input| report::kept_markdown(&input, &r.sha256, markdown))
                            .and_then(|markdown| {
                                self.store.record_pushed_report(
                                    &submission,
                                    r.version,
                                    &r.sha256,
                                    &markdown,
                                    &r.pushed_by,
                                )
                            });
                        if let Err(e) = kept {
                            tracing::warn!(error = %e, "cannot keep the pushed report for diffs");
                        }
                    }
                    Action::ReportPushed {
                        submission,
                        result: result
                            .map(|(pushed, _)| (pushed.report.version, pushed.created))
                            .map_err(|e| e.to_string()),
                    }
                }
            };
            self.dispatch(action);
        }
    }

    fn run(&mut self, effect: Effect) -> Vec<Action> {
        let me = self.app.me.clone();
        let result = match effect {
            Effect::LoadQueue => self.queue().and_then(|loaded| Ok(vec![loaded, self.counts()?])),
            Effect::OpenReview { submission, select, show } => self
                .store
                .load_review(&submission, &me)
                .map(|data| vec![Action::ReviewLoaded { data: Box::new(data), select, show }]),
            Effect::OpenDocument { submission, document, locator, find } => self
                .store
                .document_text(&submission, &document, &me)
                .map(|(info, text)| vec![Action::DocumentLoaded { submission, info, text, locator, find }]),
            Effect::SearchText { query } => self
                .store
                .search(&me, &query, None, super::finder::MAX_TEXT_HITS)
                .map(|hits| vec![Action::TextFound { query, hits }]),
            Effect::OpenOriginal { submission, document, page } => self
                .open_original(&submission, &document, &me, page)
                .map(|opened| vec![opened.map_or_else(Action::Failed, Action::Done)]),
            Effect::LoadFinder => self.store.finder_entries(&me).map(|entries| vec![Action::FinderLoaded(entries)]),
            Effect::Save { submission, standard, outcome, rationale } => {
                let saved = match self.store.save_judgement(&submission, &standard, &me, outcome, &rationale) {
                    Ok(judgement) => Action::Saved(judgement),
                    Err(e) => {
                        Action::SaveFailed { busy: e.is_busy(), message: e.to_string(), standard, outcome, rationale }
                    }
                };
                self.counts().map(|counts| vec![saved, counts])
            }
            Effect::Submit { submission } => self
                .store
                .submit(&submission, &me)
                .map(|outcome| Action::Submitted { submission, count: outcome.submitted })
                .and_then(|submitted| Ok(vec![submitted, self.counts()?, Action::SyncDue])),
            Effect::EditExternally { text } => {
                self.external_edit = Some(text);
                Ok(Vec::new())
            }
            Effect::SyncNow => Ok(match &self.sync {
                Some(worker) => {
                    worker.request();
                    Vec::new()
                }
                None => vec![Action::SyncFinished {
                    result: Err(SyncFailure { offline: false, not_connected: true, message: "not logged in".into() }),
                    at: String::new(),
                }],
            }),
            Effect::PushReport { submission } => Ok(match &self.sync {
                Some(worker) => {
                    worker.push_report(&submission);
                    Vec::new()
                }
                None => vec![Action::ReportPushed {
                    submission,
                    result: Err("this cache is not connected to a hub: `accredit login` connects it".into()),
                }],
            }),
            Effect::LoadSyncView => {
                self.sync_view().and_then(|view| Ok(vec![Action::SyncViewLoaded(Box::new(view)), self.counts()?]))
            }
            Effect::Resolve { id, resolution } => self.store.resolve_conflict(&me, id, resolution).and_then(|()| {
                Ok(vec![Action::SyncViewLoaded(Box::new(self.sync_view()?)), self.counts()?, Action::SyncDue])
            }),
            Effect::OpenPanel { submission, select, show } => self
                .panel_data(&submission)
                .map(|data| vec![Action::PanelLoaded { data: Box::new(data), select, show }]),
            Effect::SaveConsolidation { submission, mut consolidation } => {
                consolidation.max_conditions = Some(self.app.max_conditions);
                let saved = match self.store.save_consolidation(&submission, &me, &consolidation) {
                    Ok(()) => Action::ConsolidationSaved { submission },
                    Err(e) => Action::ConsolidationSaveFailed { busy: e.is_busy(), message: e.to_string(), submission },
                };
                self.counts().map(|counts| vec![saved, counts])
            }
            Effect::OpenReport { submission } => {
                self.report_preview(&submission).map(|preview| vec![Action::ReportLoaded(Box::new(preview))])
            }
            Effect::OpenPushedReport { submission } => self.pushed_report(&submission).map(|preview| {
                vec![preview.map_or_else(
                    || Action::Failed(format!("No panel report of {submission} has reached this machine yet.")),
                    |preview| Action::ReportLoaded(Box::new(preview)),
                )]
            }),
            Effect::ConfirmReport { submission, version, comment } => {
                self.store.queue_confirmation(&submission, version, &comment).and_then(|()| {
                    let mut actions = vec![self.queue()?];
                    actions.extend(self.pushed_report(&submission)?.map(|p| Action::ReportLoaded(Box::new(p))));
                    let sent = if self.sync.is_some() {
                        "it goes to the hub with this sync"
                    } else {
                        "it goes to the hub with the next sync (`accredit login` connects this cache)"
                    };
                    actions.push(Action::Done(format!(
                        "Your confirmation of version {version} of the report of {submission} is saved; {sent}."
                    )));
                    actions.push(Action::SyncDue);
                    Ok(actions)
                })
            }
        };
        result.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "effect failed");
            vec![Action::Failed(e.to_string())]
        })
    }

    /// The queue, with how much each panel I chair has left to settle.
    fn queue(&self) -> Result<Action, StoreError> {
        let queue = self.store.assignments(&self.app.me)?;
        let mut to_settle = std::collections::HashMap::new();
        for a in queue.iter().filter(|a| a.role == MemberRole::Chair && !a.recused) {
            to_settle.insert(a.submission.clone(), self.problems(&a.submission)?.len());
        }
        Ok(Action::QueueLoaded { queue, to_settle })
    }

    /// What keeps the panel report of `submission` from being complete.
    fn problems(&self, submission: &str) -> Result<Vec<String>, StoreError> {
        let input = self.store.report_input(submission)?;
        Ok(input.problems())
    }

    fn counts(&self) -> Result<Action, StoreError> {
        Ok(Action::Header {
            me_name: self.store.person_name(&self.app.me)?,
            unsynced: self.store.unsynced_count()?,
            conflicts: self.store.open_conflict_count()?,
        })
    }

    /// The chair's Panel screen: every submitted judgement with its rationale, and the
    /// agreement figures of the report's appendix.
    /// Writes a document's original to the originals folder (once; private) and opens it.
    fn open_original(
        &self,
        submission: &str,
        document: &str,
        me: &str,
        page: Option<u32>,
    ) -> Result<Result<String, String>, StoreError> {
        let Some((media_type, bytes)) = self.store.original_file(submission, document, me)? else {
            return Ok(Err(format!(
                "The original of {document} is not on this machine, only its text: open it from the hub's copy."
            )));
        };
        let Some(dir) = &self.originals_dir else {
            return Ok(Err("There is no folder to put the original in.".into()));
        };
        let written = (|| {
            crate::paths::create_private_dir(dir)?;
            let path =
                std::path::absolute(dir.join(viewer::file_name(&crate::digest::sha256_hex(&bytes), &media_type)))?;
            if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(bytes.len() as u64) {
                std::fs::write(&path, &bytes)?;
                crate::paths::make_private(&path)?;
            }
            Ok::<_, std::io::Error>(path)
        })();
        Ok(match written {
            Ok(path) => viewer::open(self.viewer.as_ref(), &path, page),
            Err(e) => Err(format!("The original of {document} could not be written to {}: {e}", dir.display())),
        })
    }

    fn panel_data(&self, submission: &str) -> Result<PanelData, StoreError> {
        let review = self.store.load_review(submission, &self.app.me)?;
        let mut input = self.store.report_input(submission)?;
        // The chair's configured rules apply to what they do now (and are saved with the next edit).
        input.consolidation.max_conditions = Some(self.app.max_conditions);
        input.rules = input.consolidation.rules();
        let mut data = PanelData::new(&review, &input, &report::build(&input));
        data.pushed = self.store.last_pushed_report(submission)?.is_some();
        Ok(data)
    }

    /// The panel report as Markdown, and what keeps it from being complete.
    fn report_preview(&self, submission: &str) -> Result<ReportPreview, StoreError> {
        let input = self.store.report_input(submission)?;
        let problems = input.problems();
        let built = report::build(&input);
        let markdown = report::render(&built, Format::Markdown);
        let mut preview = ReportPreview::new(submission.to_string(), problems, &markdown);
        if let Some(pushed) = self.store.last_pushed_report(submission)? {
            let version = pushed.version;
            // The hub keeps a draft with the same content hash as that version; the renderings
            // differ anyway (DRAFT against FINAL, the date of issue), so the hash decides.
            let same = self.store.pushed_report_sha256(submission, version)? == Some(report::content_sha256(&built));
            let changes = if same {
                Vec::new()
            } else {
                report::diff::lines(&pushed.markdown, &markdown)
                    .into_iter()
                    .filter(|(change, _)| *change != report::diff::Change::Same)
                    .map(|(change, line)| (change, crate::text::sanitize(line).into_owned()))
                    .collect()
            };
            preview.since_pushed = Some(SincePushed { version, changes });
        }
        Ok(preview)
    }

    /// The version of the report the chair pushed, as a member reads it to confirm it: `None`
    /// when none has reached this replica, or I am not one who confirms it.
    fn pushed_report(&self, submission: &str) -> Result<Option<ReportPreview>, StoreError> {
        let Some(status) = self.store.confirm_statuses(&self.app.me)?.remove(submission) else { return Ok(None) };
        let Some(pushed) = self.store.last_pushed_report(submission)? else { return Ok(None) };
        let list = self.store.report_confirmations(submission)?;
        let kept_comment = self.store.pending_confirmation(submission)?.map(|p| p.comment).unwrap_or_default();
        let confirm = MemberConfirm {
            version: pushed.version,
            pushed_on: pushed.pushed_at.get(..10).unwrap_or(&pushed.pushed_at).to_string(),
            status,
            confirmed: list
                .iter()
                .flat_map(|l| &l.confirmations)
                .map(|c| format!("{} ({})", c.name, c.confirmed_at.get(..10).unwrap_or(&c.confirmed_at)))
                .collect(),
            awaiting: list.map(|l| l.awaiting).unwrap_or_default(),
            kept_comment,
            comment: None,
        };
        Ok(Some(ReportPreview::pushed(submission.to_string(), &pushed.markdown, confirm)))
    }

    fn sync_view(&self) -> Result<SyncView, StoreError> {
        Ok(SyncView {
            conflicts: self.store.open_conflicts()?,
            outbox: self.store.outbox_entries()?,
            log: self.store.sync_log(12)?,
            selected: 0,
            merge: None,
        })
    }
}
