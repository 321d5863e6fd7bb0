//! The App's part in syncing: starting syncs, taking their results, and the Sync screen's keys
//! (settling conflicts, the merge editor).

use ratatui::crossterm::event::KeyEvent;

use super::app::{App, Effect, Flash, Overlay, Screen, SyncFailure};
use super::keymap::Command;
use super::review::Focus;
use super::sync_view::{SyncStatus, SyncView};
use crate::store::Resolution;

impl App {
    /// Starts a sync unless one is running; `asked` says the user asked (so say why not).
    pub(super) fn start_sync(&mut self, asked: bool) -> Vec<Effect> {
        match self.sync_status {
            SyncStatus::Running => Vec::new(),
            SyncStatus::NotConnected => {
                if asked {
                    self.flash = Some(Flash::Info(
                        "This cache is not connected to a hub: `accredit login --server URL --token TOKEN` connects it."
                            .into(),
                    ));
                }
                Vec::new()
            }
            _ => {
                self.sync_status = SyncStatus::Running;
                let mut effects: Vec<Effect> = self.save_current().into_iter().collect();
                effects.push(Effect::SyncNow);
                effects
            }
        }
    }

    pub(super) fn sync_finished(&mut self, result: Result<String, SyncFailure>, at: String) -> Vec<Effect> {
        match result {
            Ok(summary) => {
                self.sync_status = SyncStatus::Synced(at);
                tracing::info!(%summary, "synced");
            }
            Err(failure) if failure.not_connected => self.sync_status = SyncStatus::NotConnected,
            Err(failure) => {
                self.sync_status =
                    if failure.offline { SyncStatus::Offline } else { SyncStatus::Failed(failure.message.clone()) };
                if !failure.offline {
                    self.flash = Some(Flash::Error(format!("Sync failed: {}", failure.message)));
                }
            }
        }
        self.cache_changed()
    }

    /// Shows what another writer (a sync, or another `accredit` process) put in the cache: the
    /// queue, the open review (unless it is being typed in), the panel, the Sync screen. Never
    /// moves the user to another screen.
    pub(super) fn cache_changed(&mut self) -> Vec<Effect> {
        self.finder_entries = None;
        let mut effects = vec![Effect::LoadQueue];
        if matches!(self.overlay, Some(Overlay::Finder(_))) {
            effects.push(Effect::LoadFinder);
        }

        let editing = self.review.as_ref().is_some_and(|r| r.focus == Focus::Editor);
        if editing {
            self.review_stale = true;
        } else {
            effects.extend(self.reload_review());
        }
        effects.extend(self.reload_panel_after_sync());
        if self.screen == Screen::Sync {
            effects.push(Effect::LoadSyncView);
        }
        effects
    }

    pub(super) fn reload_review(&self) -> Option<Effect> {
        let review = self.review.as_ref()?;
        Some(Effect::OpenReview {
            submission: review.data.submission.id.clone(),
            select: review.current().map(|s| s.code.clone()),
            show: false,
        })
    }

    pub(super) fn reload_if_stale(&mut self) -> Option<Effect> {
        if std::mem::take(&mut self.review_stale) { self.reload_review() } else { None }
    }

    pub(super) fn sync_command(&mut self, command: Command) -> Vec<Effect> {
        let Some(view) = self.sync_view.as_mut() else { return Vec::new() };
        let n = view.conflicts.len();
        let resolve = |view: &SyncView, resolution| {
            view.selected_conflict().map(|c| Effect::Resolve { id: c.id, resolution }).into_iter().collect()
        };
        match command {
            Command::Down => view.selected = (view.selected + 1).min(n.saturating_sub(1)),
            Command::Up => view.selected = view.selected.saturating_sub(1),
            Command::KeepMine => return resolve(view, Resolution::KeepMine),
            Command::TakeTheirs => return resolve(view, Resolution::TakeTheirs),
            Command::EditMerge => view.start_merge(),
            Command::Back => {
                self.screen = match self.sync_return {
                    Screen::Review if self.review.is_some() => Screen::Review,
                    Screen::Document if self.document.is_some() => Screen::Document,
                    Screen::Panel if self.panel.is_some() => Screen::Panel,
                    Screen::Report if self.report.is_some() => Screen::Report,
                    _ => Screen::Queue,
                };
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn merge_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let Some(view) = self.sync_view.as_mut() else { return Vec::new() };
        match command {
            Some(Command::Cancel) => view.merge = None,
            Some(Command::ApplyMerge) => {
                let text = view.merge.take().map(|m| m.lines().join("\n")).unwrap_or_default();
                if let Some(conflict) = view.selected_conflict() {
                    let outcome = conflict.mine.outcome;
                    return vec![Effect::Resolve {
                        id: conflict.id,
                        resolution: Resolution::Merge { outcome, rationale: text },
                    }];
                }
            }
            _ => {
                if let Some(merge) = view.merge.as_mut() {
                    merge.input(event);
                }
            }
        }
        Vec::new()
    }
}
