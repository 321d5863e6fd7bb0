//! The application state and its pure `update`: an action in, effects out, no I/O.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEvent};

use super::editor_keys::VimMode;
use super::finder::FinderState;
use super::keymap::{Command, Context, Key, Keymap};
use super::mouse::Hits;
use super::palette::PaletteState;
use super::screens::ScreenId;
use super::screens::document::DocumentState;
use super::screens::panel::{PanelData, PanelState, ReportPreview};
use super::screens::review::save_if_dirty;
use super::screens::review::{PendingSave, Retry, ReviewState};
use super::screens::sync::{SyncStatus, SyncView};
use super::settings::Settings;
use super::theme::Theme;
use crate::config::{EditorKeys, Layout};
use crate::domain::consolidation::Consolidation;
use crate::domain::{Gap, Judgement, Outcome};
use crate::store::{Assignment, DocumentInfo, FinderEntry, Resolution, ReviewData, SearchHit};

pub use super::autosave::{AUTOSAVE_AFTER, AUTOSAVE_IDLE};
/// A save refused because the cache was busy is tried again this long after.
pub const SAVE_RETRY_AFTER: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    /// Only when `mouse = true`.
    Mouse(MouseEvent),
    Tick(Instant),
    QueueLoaded {
        queue: Vec<Assignment>,
        /// For each panel I chair: how many things keep its report from being complete.
        to_settle: HashMap<String, usize>,
    },
    ReviewLoaded {
        data: Box<ReviewData>,
        select: Option<String>,
        /// Switch to the Review screen; `false` for a reload (after a sync), which never moves you.
        show: bool,
    },
    DocumentLoaded {
        submission: String,
        info: DocumentInfo,
        text: String,
        locator: String,
        /// Words to find from the located page on (a full-text hit opened from the finder).
        find: Option<String>,
    },
    /// The full-text search the finder asked for.
    TextFound {
        query: String,
        hits: Vec<SearchHit>,
    },
    FinderLoaded(Vec<FinderEntry>),
    Saved(Judgement),
    SaveFailed {
        standard: String,
        outcome: Option<Outcome>,
        rationale: String,
        message: String,
        /// The cache was busy (another connection writing): the same save may succeed later.
        busy: bool,
    },
    Submitted {
        submission: String,
        count: usize,
    },
    ExternalEdited(String),
    Failed(String),
    /// Time for a periodic sync.
    SyncDue,
    /// Another connection (another `accredit` process, the sync thread) wrote to the cache.
    CacheChanged,
    /// A sync ended: its one-line summary, or whether the hub was unreachable and why not.
    SyncFinished {
        result: Result<String, SyncFailure>,
        at: String,
    },
    SyncViewLoaded(Box<SyncView>),
    /// A panel report push ended: (version, whether it is new), or why not.
    ReportPushed {
        submission: String,
        result: Result<(i64, bool), String>,
    },
    /// What the header shows, refreshed after every change to the cache (the name arrives
    /// with the first sync of a new cache).
    Header {
        me_name: String,
        unsynced: usize,
        conflicts: usize,
    },
    PanelLoaded {
        data: Box<PanelData>,
        select: Option<String>,
        /// Switch to the Panel screen; `false` for a reload (after a sync), which never moves you.
        show: bool,
    },
    ConsolidationSaved {
        submission: String,
    },
    ConsolidationSaveFailed {
        submission: String,
        message: String,
        /// The cache was busy: the same save is tried again.
        busy: bool,
    },
    ReportLoaded(Box<ReportPreview>),
    /// Something done outside the app that the bottom line reports (an original opened, or
    /// where it is when there is no display to open it on).
    Done(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    pub offline: bool,
    pub not_connected: bool,
    pub message: String,
}

/// Work `update` asks the runtime to do; its result comes back as an `Action`.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadQueue,
    OpenReview {
        submission: String,
        select: Option<String>,
        /// Whether the user asked for it (switch to it) or a sync refreshes it (stay where you are).
        show: bool,
    },
    OpenDocument {
        submission: String,
        document: String,
        locator: String,
        /// Words to find and pick out from the located page on.
        find: Option<String>,
    },
    /// Full-text search of the evidence for the finder.
    SearchText {
        query: String,
    },
    LoadFinder,
    Save {
        submission: String,
        standard: String,
        outcome: Option<Outcome>,
        rationale: String,
    },
    Submit {
        submission: String,
    },
    EditExternally {
        text: String,
    },
    SyncNow,
    /// Sync, then push the panel report (the chair confirmed it).
    PushReport {
        submission: String,
    },
    LoadSyncView,
    Resolve {
        id: i64,
        resolution: Resolution,
    },
    /// The chair's Panel screen of a submission.
    OpenPanel {
        submission: String,
        select: Option<String>,
        /// Whether the chair asked for it (switch to it) or a sync refreshes it (stay where you are).
        show: bool,
    },
    /// Writes the chair's whole consolidation (reviewer judgements are never touched).
    SaveConsolidation {
        submission: String,
        consolidation: Box<Consolidation>,
    },
    OpenReport {
        submission: String,
    },
    /// The version of the panel report the chair pushed, for a member to read and confirm.
    OpenPushedReport {
        submission: String,
    },
    /// A member's confirmation of `version`, kept until a sync brings it to the hub.
    ConfirmReport {
        submission: String,
        version: i64,
        comment: String,
    },
    /// The original file of a document in the system's viewer (or the configured one), at
    /// the physical `page` when the viewer takes one.
    OpenOriginal {
        submission: String,
        document: String,
        page: Option<u32>,
    },
}

pub enum Overlay {
    Help,
    Finder(Box<FinderState>),
    /// Submitting: the gaps that stop it (if any), else the count that will be submitted.
    ConfirmSubmit {
        submission: String,
        gaps: Vec<(String, Gap)>,
        count: usize,
        selected: usize,
    },
    /// Pushing the panel report to the hub (a new version the hub keeps).
    ConfirmPush {
        submission: String,
    },
    /// The `:` command palette.
    Palette(Box<PaletteState>),
    /// Settling the unanimous standards of the Panel screen in one step.
    ConfirmSettle {
        submission: String,
        plan: crate::tui::screens::panel::SettlePlan,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    Info(String),
    Error(String),
}

pub struct App {
    pub me: String,
    pub me_name: String,
    pub today: Date,
    pub keymap: Keymap,
    pub theme: Theme,
    pub layout: Layout,
    pub editor_keys: EditorKeys,
    pub mouse: bool,
    /// The chair's decision rules: more conditions than this suggests refusal.
    pub max_conditions: usize,
    /// Where the last frame drew each clickable row (what drawing it returned).
    pub hits: Hits,
    pub screen: ScreenId,
    pub queue: Vec<Assignment>,
    pub queue_selected: usize,
    /// For each panel I chair: how many things are left to settle before its report is complete.
    pub queue_to_settle: HashMap<String, usize>,
    pub review: Option<ReviewState>,
    pub document: Option<DocumentState>,
    /// The chair's Panel screen and its report preview.
    pub panel: Option<PanelState>,
    pub report: Option<ReportPreview>,
    pub overlay: Option<Overlay>,
    pub finder_entries: Option<Vec<FinderEntry>>,
    pub flash: Option<Flash>,
    pub unsynced: usize,
    pub conflicts: usize,
    pub sync_status: SyncStatus,
    pub sync_view: Option<SyncView>,
    /// The screen the Sync screen returns to.
    pub(super) sync_return: ScreenId,
    /// A sync brought changes while the rationale editor was open: reload when it closes.
    pub(super) review_stale: bool,
    pub quit: bool,
    /// How far the help overlay is scrolled.
    pub help_scroll: u16,
    /// The time the action being handled arrived: `update` reads no clock of its own.
    pub(super) now: Instant,
}

impl App {
    /// An app that starts on the queue; `now` is the clock at start (`update` brings later ones).
    pub fn new(me: String, me_name: String, today: Date, settings: Settings, now: Instant) -> App {
        App {
            me,
            me_name,
            today,
            keymap: settings.keymap,
            theme: settings.theme,
            layout: settings.layout,
            editor_keys: settings.editor,
            mouse: settings.mouse,
            max_conditions: settings.max_conditions,
            hits: Hits::default(),
            screen: ScreenId::Queue,
            queue: Vec::new(),
            queue_selected: 0,
            queue_to_settle: HashMap::new(),
            review: None,
            document: None,
            panel: None,
            report: None,
            overlay: None,
            finder_entries: None,
            flash: None,
            unsynced: 0,
            conflicts: 0,
            sync_status: SyncStatus::NotConnected,
            sync_view: None,
            sync_return: ScreenId::Queue,
            review_stale: false,
            quit: false,
            help_scroll: 0,
            now,
        }
    }

    /// The context whose keys apply now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Finder(_)) => Context::Finder,
            Some(Overlay::Palette(_)) => Context::Palette,
            Some(Overlay::ConfirmSubmit { .. } | Overlay::ConfirmPush { .. } | Overlay::ConfirmSettle { .. }) => {
                Context::Confirm
            }
            Some(Overlay::Help) | None => self.screen.screen().context(self),
        }
    }

    /// The keys shown in the bottom hint bar for what has the keys now.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let context = self.context();
        if context == Context::Editor && self.editor_keys == EditorKeys::Vim {
            let leave = self.keymap.key_for(Context::Editor, Command::LeaveEditor);
            return match self.editing_vim().map(|vim| vim.mode) {
                Some(VimMode::Normal) => vec![
                    ("i".into(), "insert"),
                    (leave, "done"),
                    (self.keymap.key_for(Context::Global, Command::Help), "help"),
                ],
                _ => vec![("Esc".into(), "normal mode"), (self.keymap.key_for(Context::Editor, Command::Help), "help")],
            };
        }
        match context {
            // Gaps stop the submission: the keys go to a gap or cancel.
            Context::Confirm if matches!(&self.overlay, Some(Overlay::ConfirmSubmit { gaps, .. }) if !gaps.is_empty()) =>
            {
                vec![
                    (self.keymap.key_for(context, Command::Open), "go to the gap"),
                    (self.keymap.key_for(context, Command::Cancel), "cancel"),
                ]
            }
            Context::Finder | Context::Palette | Context::Confirm => self.keymap.hints(context),
            _ => self.screen.screen().hints(self, context),
        }
    }

    /// A finder that starts from the submission (and standard) on screen.
    fn new_finder(&self, entries: &[FinderEntry]) -> FinderState {
        let mut finder = FinderState::new(entries);
        let here = self.screen.screen().here(self);
        if let Some((submission, standard)) = here {
            finder.start_at(entries, submission, standard);
        }
        finder
    }

    /// Keeps where the frame just drawn put its clickable rows, for the clicks that follow.
    pub fn drawn(&mut self, hits: Hits) {
        self.hits = hits;
    }

    /// Whether the run loop should tick soon (typed text is waiting to be saved).
    pub fn wants_tick(&self) -> bool {
        self.review.as_ref().is_some_and(ReviewState::is_dirty) || self.panel.as_ref().is_some_and(PanelState::is_dirty)
    }

    /// Applies `action`, which arrived at `now`, and returns the work it asks for. Pure: no
    /// terminal, store, network or clock.
    pub fn update(&mut self, action: Action, now: Instant) -> Vec<Effect> {
        self.now = now;
        match action {
            Action::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Action::Key(_) => Vec::new(),
            Action::Paste(text) => self.on_paste(&text),
            Action::Mouse(event) => self.on_mouse(event),
            Action::Tick(now) => {
                self.autosave(now).into_iter().chain(self.retry_saves(now)).chain(self.panel_autosave(now)).collect()
            }
            Action::QueueLoaded { queue, to_settle } => {
                self.queue_loaded(queue, to_settle);
                Vec::new()
            }
            Action::ReviewLoaded { data, select, show } => {
                let same = self.review.as_ref().is_some_and(|r| r.data.submission.id == data.submission.id);
                if !show && !same {
                    // A reload of a review that was closed meanwhile.
                    return Vec::new();
                }
                let selected = select.or_else(|| {
                    self.review
                        .as_ref()
                        .filter(|r| r.data.submission.id == data.submission.id)
                        .and_then(|r| r.current().map(|s| s.code.clone()))
                });
                self.review = Some(ReviewState::new(*data, selected.as_deref()));
                if show {
                    self.screen = ScreenId::Review;
                }
                Vec::new()
            }
            Action::DocumentLoaded { submission, info, text, locator, find } => {
                let mut doc = DocumentState::new(submission, info, &text, &locator);
                if let Some(words) = find {
                    doc.find_from_here(&words);
                }
                if !locator.is_empty() && doc.mark.is_none() {
                    self.flash =
                        Some(Flash::Info(format!("\"{locator}\" was not found in {}; showing the start", doc.info.id)));
                }
                self.document = Some(doc);
                self.screen = ScreenId::Document;
                Vec::new()
            }
            Action::TextFound { query, hits } => {
                if let Some(Overlay::Finder(finder)) = &mut self.overlay {
                    finder.text_found(&query, hits);
                }
                Vec::new()
            }
            Action::FinderLoaded(entries) => {
                // Entries reloaded under an open finder (a sync brought more) keep the query.
                let mut finder = self.new_finder(&entries);
                if let Some(Overlay::Finder(open)) = &self.overlay {
                    finder.query = open.query.clone();
                    finder.refresh(&entries);
                }
                self.overlay = Some(Overlay::Finder(Box::new(finder)));
                self.finder_entries = Some(entries);
                Vec::new()
            }
            Action::Saved(judgement) => {
                if let Some(review) = &mut self.review
                    && review.data.submission.id == judgement.submission
                {
                    review.apply_saved(judgement);
                }
                Vec::new()
            }
            Action::SaveFailed { standard, outcome, rationale, message, busy } => {
                if let Some(review) = &mut self.review {
                    review.unsaved.insert(standard.clone(), rationale.clone());
                    if busy {
                        review
                            .retries
                            .insert(standard.clone(), PendingSave { outcome, rationale, retry: Retry::Armed });
                    }
                    review.editor.autosave.failed(message.clone());
                }
                // What is on screen stays what the cache holds; say what happens to the rest.
                self.flash = Some(Flash::Error(if busy {
                    format!(
                        "{standard} is not saved yet: the cache was busy ({message}). Your outcome and text are kept \
                         and saved again in {} seconds; nothing is lost while accredit is open.",
                        SAVE_RETRY_AFTER.as_secs()
                    )
                } else {
                    format!(
                        "Could not save {standard}: {message}. The outcome shown is the one recorded; your text is \
                         kept on screen and saved when you next edit."
                    )
                }));
                Vec::new()
            }
            Action::Submitted { submission, count } => {
                self.overlay = None;
                self.flash = Some(Flash::Info(format!(
                    "Submitted {count} judgements for {submission}. Other reviewers' submitted judgements are now shown."
                )));
                let select = self.review.as_ref().and_then(|r| r.current().map(|s| s.code.clone()));
                vec![Effect::OpenReview { submission, select, show: true }, Effect::LoadQueue]
            }
            Action::ExternalEdited(text) => {
                let Some(review) = &mut self.review else {
                    return Vec::new();
                };
                review.editor.text = super::screens::review::new_editor(&text);
                review.editor.autosave.changed();
                self.save_current().into_iter().collect()
            }
            Action::Failed(message) => {
                self.flash = Some(Flash::Error(message));
                Vec::new()
            }
            Action::Done(message) => {
                self.flash = Some(Flash::Info(message));
                Vec::new()
            }
            Action::SyncDue => self.start_sync(false),
            Action::CacheChanged => self.cache_changed(),
            Action::SyncFinished { result, at } => self.sync_finished(result, at),
            Action::ReportPushed { submission, result } => {
                // What the push changed: the preview compares with the new version, and a
                // record removed from now on is withdrawn.
                let mut effects = Vec::new();
                if result.is_ok() {
                    if let Some(panel) = self.panel.as_mut().filter(|p| p.data.submission.id == submission) {
                        panel.data.pushed = true;
                    }
                    if self.screen == ScreenId::Report {
                        effects.push(Effect::OpenReport { submission: submission.clone() });
                    }
                }
                self.flash = Some(match result {
                    Ok((version, true)) => {
                        Flash::Info(format!("Pushed the panel report of {submission} as version {version}."))
                    }
                    Ok((version, false)) => {
                        Flash::Info(format!("The hub already holds this report of {submission} as version {version}."))
                    }
                    Err(message) => Flash::Error(format!("The report of {submission} was not pushed: {message}")),
                });
                effects
            }
            Action::SyncViewLoaded(view) => {
                let selected = self.sync_view.as_ref().map_or(0, |v| v.selected);
                let mut view = *view;
                view.selected = selected.min(view.conflicts.len().saturating_sub(1));
                self.sync_view = Some(view);
                Vec::new()
            }
            Action::Header { me_name, unsynced, conflicts } => {
                self.me_name = me_name;

                self.unsynced = unsynced;
                self.conflicts = conflicts;
                Vec::new()
            }
            Action::PanelLoaded { data, select, show } => self.panel_loaded(*data, select, show),
            Action::ConsolidationSaved { submission } => self.consolidation_saved(&submission),
            Action::ConsolidationSaveFailed { submission, message, busy } => {
                self.consolidation_failed(&submission, &message, busy)
            }
            Action::ReportLoaded(mut preview) => {
                // A reload of the report on screen keeps where the reader was.
                if let Some(shown) = self.report.as_ref().filter(|r| r.submission == preview.submission) {
                    preview.scroll = shown.scroll;
                }
                self.report = Some(*preview);
                self.screen = ScreenId::Report;
                Vec::new()
            }
        }
    }

    pub(super) fn on_key(&mut self, event: KeyEvent) -> Vec<Effect> {
        let key = Key::from_event(event);
        if matches!(self.overlay, Some(Overlay::Help)) {
            // The help scrolls; only Esc, ? and q close it, so a key pressed to read on never
            // does something behind it.
            // A key with Alt is how a terminal delivers Esc and a key typed quickly after it.
            let alt = event.modifiers.contains(ratatui::crossterm::event::KeyModifiers::ALT);
            match event.code {
                _ if alt => {
                    self.overlay = None;
                    self.help_scroll = 0;
                }
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => {
                    self.overlay = None;
                    self.help_scroll = 0;
                }
                KeyCode::Down | KeyCode::Char('j') => self.help_scroll = self.help_scroll.saturating_add(1),
                KeyCode::Up | KeyCode::Char('k') => self.help_scroll = self.help_scroll.saturating_sub(1),
                KeyCode::PageDown | KeyCode::Char(' ') => self.help_scroll = self.help_scroll.saturating_add(10),
                KeyCode::PageUp => self.help_scroll = self.help_scroll.saturating_sub(10),
                KeyCode::Home | KeyCode::Char('g') => self.help_scroll = 0,
                _ => {}
            }
            return Vec::new();
        }
        let context = self.context();
        let command = self.keymap.lookup(context, key);
        if command.is_some() || !matches!(context, Context::Editor | Context::Finder) {
            self.flash = None;
        }
        match context {
            Context::Finder => return self.finder_key(event, command),
            Context::Palette => return self.palette_key(event, command),
            Context::Confirm => return self.confirm_key(command),
            _ => {}
        }
        let screen = self.screen.screen();
        if let Some(effects) = screen.on_modal_key(self, event, command) {
            return effects;
        }
        let Some(command) = command else {
            return Vec::new();
        };
        match command {
            Command::Quit => {
                self.quit = true;
                self.save_current().into_iter().chain(self.panel_save()).collect()
            }
            Command::Help => {
                self.overlay = Some(Overlay::Help);
                Vec::new()
            }
            Command::Find => {
                let mut effects: Vec<Effect> = self.save_current().into_iter().collect();
                match &self.finder_entries {
                    Some(entries) => self.overlay = Some(Overlay::Finder(Box::new(self.new_finder(entries)))),
                    None => effects.push(Effect::LoadFinder),
                }
                effects
            }
            Command::SyncNow => self.start_sync(true),
            Command::OpenPalette => {
                let palette = PaletteState::new(&self.keymap, context);
                self.overlay = Some(Overlay::Palette(Box::new(palette)));
                Vec::new()
            }
            Command::OpenSync if self.screen != ScreenId::Sync => {
                let mut effects: Vec<Effect> = self.save_current().into_iter().collect();
                self.sync_return = self.screen;
                self.screen = ScreenId::Sync;
                effects.push(Effect::LoadSyncView);
                effects
            }
            _ => screen.on_command(self, command),
        }
    }

    /// A paste of any length is one edit, saved at once.
    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.context() == Context::Finder {
            if let Some(Overlay::Finder(finder)) = &mut self.overlay {
                finder.query.push_str(&text.replace(['\n', '\r'], " "));
            }
            return self.finder_query_changed();
        }
        if self.overlay.is_some() {
            return Vec::new();
        }
        self.screen.screen().on_paste(self, text)
    }

    /// Saves typed text once it has waited long enough or typing has paused.
    fn autosave(&mut self, now: Instant) -> Option<Effect> {
        let review = self.review.as_ref()?;
        if review.editor.autosave.due(now) { self.save_current() } else { None }
    }

    /// The saves that failed on a busy cache and are due to be tried again.
    fn retry_saves(&mut self, now: Instant) -> Vec<Effect> {
        let Some(review) = self.review.as_mut() else { return Vec::new() };
        let submission = review.data.submission.id.clone();
        let mut due = Vec::new();
        review.retries.retain(|standard, pending| {
            if !pending.retry.fire(now, SAVE_RETRY_AFTER) {
                return true;
            }
            due.push(Effect::Save {
                submission: submission.clone(),
                standard: standard.clone(),
                outcome: pending.outcome,
                rationale: pending.rationale.clone(),
            });
            false
        });
        due
    }

    /// A save of the selected standard's rationale, if it has unsaved text.
    pub(super) fn save_current(&mut self) -> Option<Effect> {
        self.review.as_mut().and_then(save_if_dirty)
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
