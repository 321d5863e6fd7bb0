//! The Review screen's keys: moving between standards, judging, gaps, evidence, submitting.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::view;
use crate::config::Layout;
use crate::text::sanitize;
use crate::tui::app::{App, Effect, Flash, Overlay};
use crate::tui::editor_keys::VimState;
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::Hits;
use crate::tui::screens::review::{Focus, ReviewState};
use crate::tui::screens::{Screen, ScreenId};

pub struct Review;

impl Screen for Review {
    fn title(&self, app: &App) -> String {
        app.review.as_ref().map_or("Review".into(), |r| format!("Review {}", sanitize(&r.data.submission.id)))
    }

    fn context(&self, app: &App) -> Context {
        if app.review.as_ref().is_some_and(|r| r.focus == Focus::Editor) { Context::Editor } else { Context::Review }
    }

    fn on_modal_key(&self, app: &mut App, event: KeyEvent, command: Option<Command>) -> Option<Vec<Effect>> {
        (self.context(app) == Context::Editor).then(|| app.editor_key(event, command))
    }

    fn on_command(&self, app: &mut App, command: Command) -> Vec<Effect> {
        app.review_command(command)
    }

    fn on_wheel(&self, app: &mut App, command: Command) -> Vec<Effect> {
        // Over the details, the wheel scrolls them.
        let scroll = match command {
            _ if self.context(app) == Context::Editor => return Vec::new(),
            _ if app.review.as_ref().is_none_or(|r| r.focus != Focus::Evidence) => command,
            Command::Down => Command::ScrollDetailDown,
            _ => Command::ScrollDetailUp,
        };
        app.review_command(scroll)
    }

    fn on_paste(&self, app: &mut App, text: &str) -> Vec<Effect> {
        if self.context(app) != Context::Editor {
            return Vec::new();
        }
        app.paste_into_editor(text);
        app.save_current().into_iter().collect()
    }

    fn render(&self, app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
        view::render(app, frame, area, hits);
    }

    fn announcement(&self, app: &App) -> String {
        view::announcement(app)
    }

    /// Judging keys only while my judgements can change.
    fn hints(&self, app: &App, context: Context) -> Vec<(String, &'static str)> {
        if context != Context::Review {
            return app.keymap.hints(context);
        }
        let review = app.review.as_ref();
        let read_only = review.is_some_and(|r| read_only_reason(r).is_some());
        let others = review.is_some_and(|r| r.data.others_visible);
        app.keymap.hints_where(context, |c| match c {
            Command::SetOutcome(_) | Command::EditRationale | Command::NextGap | Command::Submit => !read_only,
            Command::NextDifference => others,
            _ => true,
        })
    }

    fn here<'a>(&self, app: &'a App) -> Option<(&'a str, Option<&'a str>)> {
        app.review.as_ref().map(|r| (r.data.submission.id.as_str(), r.current().map(|s| s.code.as_str())))
    }
}

impl App {
    pub(in crate::tui) fn review_command(&mut self, command: Command) -> Vec<Effect> {
        let linear = self.layout == Layout::Linear;
        let Some(review) = self.review.as_mut() else {
            return Vec::new();
        };
        let n = review.order.len();
        let mut effects: Vec<Effect> = Vec::new();
        let move_to = |app_review: &mut ReviewState, index: usize, effects: &mut Vec<Effect>| {
            if index != app_review.selected {
                effects.extend(save_if_dirty(app_review));
                app_review.select(index);
            }
        };
        match command {
            Command::Down if review.focus == Focus::Evidence => {
                let count = review.current().map_or(0, |s| s.evidence.len());
                review.evidence_selected = (review.evidence_selected + 1).min(count.saturating_sub(1));
            }
            Command::Up if review.focus == Focus::Evidence => {
                review.evidence_selected = review.evidence_selected.saturating_sub(1)
            }
            Command::Down => move_to(review, (review.selected + 1).min(n.saturating_sub(1)), &mut effects),
            Command::Up => move_to(review, review.selected.saturating_sub(1), &mut effects),
            Command::PageDown => move_to(review, (review.selected + 10).min(n.saturating_sub(1)), &mut effects),
            Command::PageUp => move_to(review, review.selected.saturating_sub(10), &mut effects),
            Command::Top => move_to(review, 0, &mut effects),
            Command::Bottom => move_to(review, n.saturating_sub(1), &mut effects),
            Command::ScrollDetailDown => review.detail_scroll = review.detail_scroll.saturating_add(3),
            Command::ScrollDetailUp => review.detail_scroll = review.detail_scroll.saturating_sub(3),
            Command::FocusNext => {
                // In the linear layout the details are a pane of their own, evidence or not.
                let details = linear || review.current().is_some_and(|s| !s.evidence.is_empty());
                review.focus = match review.focus {
                    Focus::Standards if details => Focus::Evidence,
                    _ => Focus::Standards,
                };
            }
            Command::Open => {
                let index = if review.focus == Focus::Evidence { review.evidence_selected } else { 0 };
                match review.current().and_then(|s| s.evidence.get(index)).cloned() {
                    Some(e) => {
                        effects.extend(save_if_dirty(review));
                        effects.push(Effect::OpenDocument {
                            submission: review.data.submission.id.clone(),
                            document: e.document,
                            locator: e.locator,
                            find: None,
                        });
                    }
                    None => self.flash = Some(Flash::Info("The provider cites no evidence for this standard.".into())),
                }
            }
            Command::NextGap | Command::PreviousGap => {
                let forward = command == Command::NextGap;
                let start = if forward {
                    (review.selected + 1) % n.max(1)
                } else {
                    (review.selected + n.max(1) - 1) % n.max(1)
                };
                match review.next_gap_from(start, forward) {
                    Some(i) => move_to(review, i, &mut effects),
                    None if review.data.editable() => {
                        let submit = self.keymap.key_for(Context::Review, Command::Submit);
                        self.flash = Some(Flash::Info(format!(
                            "No gaps left: every standard is judged. Press {submit} to submit."
                        )))
                    }
                    None => self.flash = Some(Flash::Info("Nothing for you to judge here.".into())),
                }
            }
            Command::NextDifference | Command::PreviousDifference => {
                let forward = command == Command::NextDifference;
                let step = if forward { 1 } else { n.max(1) - 1 };
                match review.next_difference_from((review.selected + step) % n.max(1), forward) {
                    Some(i) => move_to(review, i, &mut effects),
                    None if !review.data.others_visible => {
                        self.flash = Some(Flash::Info(
                            "The other members' judgements are shown once yours are submitted.".into(),
                        ))
                    }
                    None => self.flash = Some(Flash::Info("Your outcomes agree with every other member's.".into())),
                }
            }
            Command::SetOutcome(_) | Command::ClearOutcome | Command::EditRationale | Command::EditExternal => {
                if let Some(reason) = read_only_reason(review) {
                    self.flash = Some(Flash::Info(reason));
                    return effects;
                }
                let standard = review.current().expect("a judged standard is selected");
                let submission = review.data.submission.id.clone();
                let code = standard.code.clone();
                if matches!(command, Command::SetOutcome(_) | Command::ClearOutcome) {
                    // The outcome pressed now replaces one still waiting to be retried.
                    review.retries.remove(&code);
                }
                match command {
                    Command::SetOutcome(outcome) => effects.push(Effect::Save {
                        submission,
                        standard: code,
                        outcome: Some(outcome),
                        rationale: review.rationale(),
                    }),
                    Command::ClearOutcome => effects.push(Effect::Save {
                        submission,
                        standard: code,
                        outcome: None,
                        rationale: review.rationale(),
                    }),
                    Command::EditRationale => {
                        review.focus = Focus::Editor;
                        review.editor.vim = VimState::default();
                        // Writing goes on at the end of what is there.
                        review.editor.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
                        review.editor.text.move_cursor(ratatui_textarea::CursorMove::End);
                    }
                    _ => effects.push(Effect::EditExternally { text: review.rationale() }),
                }
                if matches!(command, Command::SetOutcome(_) | Command::ClearOutcome) {
                    review.editor.autosave.take();
                }
            }
            Command::Submit => {
                effects.extend(self.start_submit());
            }
            Command::Back if linear && review.focus == Focus::Evidence => review.focus = Focus::Standards,
            Command::Back => {
                effects.extend(save_if_dirty(review));
                // The chair came here from the Panel screen of this submission: go back to it
                // (and let the review go, so a sync's reload does not bring it back).
                let submission = &review.data.submission.id;
                if self.panel.as_ref().is_some_and(|p| &p.data.submission.id == submission) {
                    self.screen = ScreenId::Panel;
                    self.review = None;
                } else {
                    self.screen = ScreenId::Queue;
                    effects.push(Effect::LoadQueue);
                }
            }
            _ => {}
        }
        effects
    }

    pub(in crate::tui) fn start_submit(&mut self) -> Vec<Effect> {
        let Some(review) = self.review.as_mut() else {
            return Vec::new();
        };
        if review.data.submitted {
            self.flash = Some(Flash::Info("Your judgements here are already submitted.".into()));
            return Vec::new();
        }
        if let Some(reason) = read_only_reason(review) {
            self.flash = Some(Flash::Info(reason));
            return Vec::new();
        }
        let effects = save_if_dirty(review).into_iter().collect();
        let gaps = review.gaps_now();
        let count = review.data.standards().filter(|s| s.judged_by_me).count();
        self.overlay =
            Some(Overlay::ConfirmSubmit { submission: review.data.submission.id.clone(), gaps, count, selected: 0 });
        effects
    }
}

/// A save of the rationale being typed, if there is unsaved text. The review is marked clean
/// at once so the next tick does not queue the same save; a failure comes back as `SaveFailed`
/// and keeps the text.
pub(in crate::tui) fn save_if_dirty(review: &mut ReviewState) -> Option<Effect> {
    if !review.is_dirty() {
        return None;
    }
    let standard = review.current()?.code.clone();
    let effect = Effect::Save {
        submission: review.data.submission.id.clone(),
        outcome: review.outcome_to_save(),
        rationale: review.rationale(),
        standard: standard.clone(),
    };
    review.retries.remove(&standard);
    review.editor.autosave.take();
    Some(effect)
}

/// Why my judgement of the selected standard cannot be changed, if it cannot.
pub(in crate::tui) fn read_only_reason(review: &ReviewState) -> Option<String> {
    let data = &review.data;
    if !data.role.votes() {
        return Some(format!("As {} you do not judge standards here.", data.role.label()));
    }
    if data.submitted {
        return Some("Your judgements are submitted and read-only (the chair can reopen them).".into());
    }
    if !data.submission.stage.allows_judging() {
        return Some(format!(
            "{} is at the {} stage: no standards review.",
            data.submission.id,
            data.submission.stage.label()
        ));
    }
    match review.current() {
        None => Some("There are no standards here.".into()),
        Some(s) if !s.judged_by_me => Some(format!("{} is not one of your standards.", s.code)),
        Some(_) => None,
    }
}
