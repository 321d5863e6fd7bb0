//! Keys in the overlays that hold the keys: the submit confirmation and Find.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Flash, Overlay};
use super::keymap::Command;
use super::screens::ScreenId;
use super::screens::review::save_if_dirty;
use crate::store::{FinderEntry, HitPlace};

impl App {
    pub(super) fn confirm_key(&mut self, command: Option<Command>) -> Vec<Effect> {
        if matches!(self.overlay, Some(Overlay::ConfirmSettle { .. })) {
            return self.settle_confirm_key(command);
        }
        if let Some(Overlay::ConfirmPush { submission }) = &self.overlay {
            let submission = submission.clone();
            return match command {
                Some(Command::Confirm) => {
                    self.overlay = None;
                    self.flash = Some(Flash::Info(format!(
                        "Pushing the panel report of {submission}: syncing first, then the hub builds and keeps it…"
                    )));
                    vec![Effect::PushReport { submission }]
                }
                Some(Command::Cancel) => {
                    self.overlay = None;
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        let Some(Overlay::ConfirmSubmit { submission, gaps, selected, .. }) = &mut self.overlay else {
            return Vec::new();
        };
        match command {
            Some(Command::Confirm) if gaps.is_empty() => {
                let submission = submission.clone();
                self.overlay = None;
                vec![Effect::Submit { submission }]
            }
            Some(Command::Down) => {
                *selected = (*selected + 1).min(gaps.len().saturating_sub(1));
                Vec::new()
            }
            Some(Command::Up) => {
                *selected = selected.saturating_sub(1);
                Vec::new()
            }
            Some(Command::Open) => {
                let target = gaps.get(*selected).map(|(code, _)| code.clone());
                self.overlay = None;
                if let (Some(code), Some(review)) = (target, self.review.as_mut())
                    && let Some(i) = review.position(&code)
                {
                    review.select(i);
                }
                Vec::new()
            }
            Some(Command::Cancel) => {
                self.overlay = None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Keys in the command palette: Enter runs the action as its key would.
    pub(super) fn palette_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let Some(Overlay::Palette(palette)) = &mut self.overlay else {
            return Vec::new();
        };
        match command {
            Some(Command::Cancel) => self.overlay = None,
            Some(Command::Down) => {
                palette.selected = (palette.selected + 1).min(palette.results.len().saturating_sub(1))
            }
            Some(Command::Up) => palette.selected = palette.selected.saturating_sub(1),
            Some(Command::Open) => {
                let key = palette.selected_entry().map(|e| e.key);
                self.overlay = None;
                if let Some(key) = key {
                    return self.on_key(KeyEvent::new(key.code, key.modifiers));
                }
            }
            _ => match event.code {
                KeyCode::Backspace => {
                    palette.query.pop();
                    palette.refresh();
                }
                KeyCode::Char(c) if !event.modifiers.contains(KeyModifiers::CONTROL) => {
                    palette.query.push(c);
                    palette.refresh();
                }
                _ => {}
            },
        }
        Vec::new()
    }

    pub(super) fn finder_key(&mut self, event: KeyEvent, command: Option<Command>) -> Vec<Effect> {
        let entries = self.finder_entries.as_deref().unwrap_or_default();
        let Some(Overlay::Finder(finder)) = &mut self.overlay else {
            return Vec::new();
        };
        match command {
            Some(Command::Cancel) => self.overlay = None,
            Some(Command::Down) => finder.selected = (finder.selected + 1).min(finder.len().saturating_sub(1)),
            Some(Command::Up) => finder.selected = finder.selected.saturating_sub(1),
            Some(Command::Open) if finder.selected_hit().is_some() => {
                let hit = finder.selected_hit().cloned().expect("checked");
                let query = finder.query.trim().to_string();
                self.overlay = None;
                return match hit.place {
                    // The page opens with the words found on it picked out.
                    HitPlace::Page { document, page, .. } => vec![Effect::OpenDocument {
                        submission: hit.submission,
                        document,
                        locator: if page == 0 { String::new() } else { format!("p.{page}") },
                        find: Some(query),
                    }],
                    HitPlace::Narrative { standard } | HitPlace::Standard { standard } => {
                        self.go_to_standard(hit.submission, standard)
                    }
                };
            }
            Some(Command::Open) => {
                let entry = finder.selected_entry(entries).cloned();
                self.overlay = None;
                return match entry {
                    Some(FinderEntry::Submission { submission, .. }) => {
                        vec![Effect::OpenReview { submission, select: None, show: true }]
                    }
                    Some(FinderEntry::Standard { submission, code, .. }) => self.go_to_standard(submission, code),
                    Some(FinderEntry::Evidence { submission, document, .. }) => {
                        vec![Effect::OpenDocument { submission, document, locator: String::new(), find: None }]
                    }
                    None => Vec::new(),
                };
            }
            _ => {
                match event.code {
                    KeyCode::Backspace => {
                        finder.query.pop();
                    }
                    KeyCode::Char(c) if !event.modifiers.contains(KeyModifiers::CONTROL) => finder.query.push(c),
                    _ => return Vec::new(),
                }
                return self.finder_query_changed();
            }
        }
        Vec::new()
    }

    /// Re-ranks the finder for a changed query and asks for the evidence pages that have it.
    pub(super) fn finder_query_changed(&mut self) -> Vec<Effect> {
        let entries = self.finder_entries.as_deref().unwrap_or_default();
        let Some(Overlay::Finder(finder)) = &mut self.overlay else { return Vec::new() };
        finder.refresh(entries);
        finder.text_hits.clear();
        finder.text_query().map(|query| Effect::SearchText { query }).into_iter().collect()
    }

    /// Selects a standard, in the open review when it is the same submission.
    fn go_to_standard(&mut self, submission: String, code: String) -> Vec<Effect> {
        // From the chair's Panel, a standard of that panel opens in the Panel (a chair has no
        // reviewer keys to use on the Review screen).
        if self.screen == ScreenId::Panel
            && let Some(panel) = self.panel.as_mut().filter(|p| p.data.submission.id == submission)
        {
            if panel.position(&code).is_none() && panel.needs_me_only {
                panel.needs_me_only = false;
                panel.refresh_rows();
            }
            if let Some(i) = panel.position(&code) {
                panel.select(i);
                return Vec::new();
            }
        }
        if let Some(review) = self.review.as_mut().filter(|r| r.data.submission.id == submission)
            && let Some(i) = review.position(&code)
        {
            let effects = save_if_dirty(review).into_iter().collect();
            review.select(i);
            self.screen = ScreenId::Review;
            return effects;
        }
        let mut effects: Vec<Effect> = self.review.as_mut().and_then(save_if_dirty).into_iter().collect();
        effects.push(Effect::OpenReview { submission, select: Some(code), show: true });
        effects
    }
}
