//! The App's part in syncing: starting syncs, taking their results, and the Sync screen's keys
//! (settling conflicts, the merge editor).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::view;
use crate::store::Resolution;
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash, Overlay, SyncFailure};
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::review::Focus;
use crate::tui::screens::sync::{SyncStatus, SyncView};
use crate::tui::screens::{Screen, ScreenId};
use crate::tui::theme::outcome_word;

pub struct Syncing;

impl Screen for Syncing {
    fn title(&self, _app: &App) -> String {
        "Sync".into()
    }

    fn context(&self, app: &App) -> Context {
        if app.sync_view.as_ref().is_some_and(|v| v.merge.is_some()) { Context::Merge } else { Context::Sync }
    }

    fn on_modal_key(&self, app: &mut App, event: KeyEvent, command: Option<Command>) -> Option<Vec<Effect>> {
        (self.context(app) == Context::Merge).then(|| app.merge_key(event, command))
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.sync_command(command)
    }

    fn on_wheel(&self, app: &mut App, command: Command) -> Vec<Effect> {
        if self.context(app) == Context::Merge { Vec::new() } else { app.sync_command(command) }
    }

    fn on_paste(&self, app: &mut App, text: &str) -> Vec<Effect> {
        if let Some(merge) = app.sync_view.as_mut().and_then(|v| v.merge.as_mut()) {
            merge.text.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
        }
        Vec::new()
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, _hits: &mut Hits) {
        view::render(app, frame, area);
    }

    fn announcement(&self, app: &App) -> String {
        match &app.sync_view {
            None => "Sync.".into(),
            Some(view) => match view.selected_conflict() {
                None => format!("Sync: no conflicts; {} changes waiting to be sent.", view.outbox.len()),
                Some(c) => format!(
                    "Sync: {} conflicts; {} changes waiting to be sent. Selected: {} {}, mine says {}, the hub's says {}.",
                    view.conflicts.len(),
                    view.outbox.len(),
                    sanitize(&c.submission),
                    sanitize(&c.standard),
                    outcome_word(c.mine.outcome),
                    c.theirs.as_ref().map_or("nothing", |t| outcome_word(t.outcome))
                ),
            },
        }
    }

    /// Conflict keys only with a conflict to settle.
    fn hints(&self, app: &App, context: Context) -> Vec<(String, &'static str)> {
        if context == Context::Sync && app.sync_view.as_ref().is_none_or(|v| v.conflicts.is_empty()) {
            return app
                .keymap
                .hints_where(context, |c| !matches!(c, Command::KeepMine | Command::TakeTheirs | Command::EditMerge));
        }
        app.keymap.hints(context)
    }
}

impl App {
    /// Starts a sync unless one is running; `asked` says the user asked (so say why not).
    pub(in crate::tui) fn start_sync(&mut self, asked: bool) -> Vec<Effect> {
        match self.sync_status {
            SyncStatus::Running => Vec::new(),
            SyncStatus::NotConnected => {
                if asked {
                    self.flash = Some(Flash::Info(
                        "This cache is not connected to a hub: `accredit login --server URL` (it asks for the token) connects it."
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

    pub(in crate::tui) fn sync_finished(&mut self, result: Result<String, SyncFailure>, at: String) -> Vec<Effect> {
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
    pub(in crate::tui) fn cache_changed(&mut self) -> Vec<Effect> {
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
        // A member reading the pushed report sees a newer version or its confirmations arrive
        // (not while typing the comment).
        if let Some(report) = self.report.as_ref().filter(|_| self.screen == ScreenId::Report)
            && report.confirming.as_ref().is_some_and(|c| c.comment.is_none())
        {
            effects.push(Effect::OpenPushedReport { submission: report.submission.clone() });
        }
        if self.screen == ScreenId::Sync {
            effects.push(Effect::LoadSyncView);
        }
        effects
    }

    pub(in crate::tui) fn reload_review(&self) -> Option<Effect> {
        let review = self.review.as_ref()?;
        Some(Effect::OpenReview {
            submission: review.data.submission.id.clone(),
            select: review.current().map(|s| s.code.clone()),
            show: false,
        })
    }

    pub(in crate::tui) fn reload_if_stale(&mut self) -> Option<Effect> {
        if std::mem::take(&mut self.review_stale) { self.reload_review() } else { None }
    }

    pub(in crate::tui) fn sync_command(&mut self, command: Command) -> Vec<Effect> {
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
                    ScreenId::Review if self.review.is_some() => ScreenId::Review,
                    ScreenId::Document if self.document.is_some() => ScreenId::Document,
                    ScreenId::Panel if self.panel.is_some() => ScreenId::Panel,
                    ScreenId::Report if self.report.is_some() => ScreenId::Report,
                    _ => ScreenId::Queue,
                };
            }
            _ => {}
        }
        Vec::new()
    }

    pub(in crate::tui) fn merge_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let Some(view) = self.sync_view.as_mut() else { return Vec::new() };
        match command {
            Some(Command::Cancel) => view.merge = None,
            Some(Command::ApplyMerge) => {
                let text = view.merge.take().map(|m| m.contents()).unwrap_or_default();
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
                    merge.text.input(event);
                }
            }
        }
        Vec::new()
    }
}
