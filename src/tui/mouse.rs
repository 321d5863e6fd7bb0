//! The mouse, when `mouse = true`: the wheel scrolls what has the keys, a left click selects
//! a row of a list (queue, standards, Find results). Nothing needs it.
//!
//! Drawing a frame returns where each clickable row went (`Hits`), and the app keeps that for
//! the clicks that follow, so a click selects exactly what was under the pointer, whatever the
//! layout or scroll position.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::app::{App, Effect, Overlay};
use super::keymap::{Command, Context};
use super::screens::ScreenId;
use super::screens::review::Focus;
use super::screens::review::save_if_dirty;

/// What a row on the screen stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    QueueRow(usize),
    /// A standard, by its index in the review's display order.
    Standard(usize),
    FinderRow(usize),
    /// A row of the Panel screen's grid, by its place in the (sorted, filtered) rows.
    PanelRow(usize),
}

/// The clickable rows of a frame: what drawing it returns (`views::render`), kept by the app
/// for the clicks that follow (`App::drawn`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hits(Vec<(Rect, Target)>);

impl Hits {
    pub fn add(&mut self, area: Rect, target: Target) {
        self.0.push((area, target));
    }

    /// Records list rows drawn in `inner` from item `offset` on, each item `heights[i]` rows
    /// high; `target` says what item `i` stands for (`None` for a heading).
    pub fn add_list(
        &mut self,
        inner: Rect,
        heights: &[usize],
        offset: usize,
        target: impl Fn(usize) -> Option<Target>,
    ) {
        let mut y = inner.y;
        for (i, height) in heights.iter().enumerate().skip(offset) {
            let height = u16::try_from(*height).unwrap_or(u16::MAX);
            if y >= inner.bottom() {
                break;
            }
            if let Some(target) = target(i) {
                let rows = height.min(inner.bottom() - y);
                self.add(Rect { x: inner.x, y, width: inner.width, height: rows }, target);
            }
            y = y.saturating_add(height);
        }
    }

    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        let position = Position { x: column, y: row };
        self.0.iter().rev().find(|(area, _)| area.contains(position)).map(|(_, target)| *target)
    }
}

impl App {
    pub(super) fn on_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        if !self.mouse {
            return Vec::new();
        }
        match event.kind {
            MouseEventKind::ScrollDown => self.wheel(Command::Down),
            MouseEventKind::ScrollUp => self.wheel(Command::Up),
            MouseEventKind::Down(MouseButton::Left) => match self.hits.at(event.column, event.row) {
                Some(target) => self.click(target),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn wheel(&mut self, command: Command) -> Vec<Effect> {
        match self.context() {
            _ if matches!(self.overlay, Some(Overlay::Help)) => Vec::new(),
            Context::Finder => self.finder_key(KeyEvent::new(KeyCode::Null, KeyModifiers::NONE), Some(command)),
            Context::Confirm => self.confirm_key(Some(command)),
            _ => self.screen.screen().on_wheel(self, command),
        }
    }

    fn click(&mut self, target: Target) -> Vec<Effect> {
        match target {
            Target::QueueRow(i) if self.screen == ScreenId::Queue && self.overlay.is_none() => {
                self.queue_selected = i.min(self.queue.len().saturating_sub(1));
                Vec::new()
            }
            Target::Standard(i) if self.screen == ScreenId::Review && self.overlay.is_none() => {
                let Some(review) = self.review.as_mut() else { return Vec::new() };
                let effects =
                    if i == review.selected { Vec::new() } else { save_if_dirty(review).into_iter().collect() };
                review.focus = Focus::Standards;
                review.select(i);
                effects
            }
            Target::PanelRow(i) if self.screen == ScreenId::Panel && self.overlay.is_none() => {
                if let Some(panel) = self.panel.as_mut().filter(|p| p.prompt.is_none() && p.chooser.is_none()) {
                    panel.select(i);
                }
                Vec::new()
            }
            Target::FinderRow(i) => {
                if let Some(Overlay::Finder(finder)) = self.overlay.as_mut() {
                    finder.selected = i.min(finder.len().saturating_sub(1));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_rows_are_recorded_from_the_offset_and_clipped_to_the_area() {
        let mut hits = Hits::default();
        let inner = Rect { x: 1, y: 2, width: 10, height: 4 };
        hits.add_list(inner, &[1, 1, 2, 1, 1], 1, |i| (i != 3).then_some(Target::Standard(i)));
        assert_eq!(hits.at(1, 2), Some(Target::Standard(1)));
        assert_eq!(hits.at(5, 3), Some(Target::Standard(2)));
        assert_eq!(hits.at(5, 4), Some(Target::Standard(2)), "a wrapped item is clickable on every row");
        assert_eq!(hits.at(5, 5), None, "a heading is not a target");
        assert_eq!(hits.at(5, 6), None, "below the area");
        assert_eq!(hits.at(0, 2), None, "left of the area");
    }
}
