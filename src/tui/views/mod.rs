//! Drawing: pure functions of `&App` into a frame. Every string from data passes through
//! `text::sanitize` on its way to the screen.

pub(crate) mod columns;
pub(crate) mod linear;
mod overlays;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, Flash, Overlay};
use super::mouse::Hits;
use super::screens::sync::SyncStatus;
use crate::text::sanitize;

/// Below this, screens are replaced by a message asking for a larger window.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Draws the app, then hands it where the frame put its clickable rows.
pub fn draw(app: &mut App, frame: &mut Frame<'_>) {
    let hits = render(app, frame);
    app.drawn(hits);
}

/// Draws the app and returns where its clickable rows went (the app keeps them for the next
/// click: `App::drawn`). Drawing writes no state.
pub fn render(app: &App, frame: &mut Frame<'_>) -> Hits {
    let mut hits = Hits::default();
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let message = format!(
            "accredit needs a window of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}. Enlarge it, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), area);
        return hits;
    }
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
    render_header(app, frame, header);
    let body = if linear::is_linear(app) {
        // The first body line says where the keys are; the terminal cursor rests on it unless
        // a list puts it on its selected row.
        let said_text = linear::announcement(app);
        let rows = linear::wrapped_rows(&said_text, body.width).min(body.height / 3).max(1);
        let [said, rest] = Layout::vertical([Constraint::Length(rows), Constraint::Min(1)]).areas(body);
        frame.render_widget(Paragraph::new(said_text).wrap(Wrap { trim: true }).style(app.theme.info), said);
        frame.set_cursor_position((said.x, said.y));
        rest
    } else {
        body
    };
    app.screen.screen().render(app, frame, body, &mut hits);
    render_footer(app, frame, footer);
    match &app.overlay {
        Some(Overlay::Help) => overlays::help(app, frame, body),
        Some(Overlay::Finder(finder)) => overlays::finder(app, finder, frame, body, &mut hits),
        Some(Overlay::Palette(palette)) => overlays::palette(app, palette, frame, body),
        Some(Overlay::ConfirmSubmit { submission, gaps, count, selected }) => {
            overlays::confirm_submit(app, frame, body, submission, gaps, *count, *selected)
        }
        Some(Overlay::ConfirmPush { submission }) => {
            crate::tui::screens::report::view::confirm_push(app, frame, body, submission)
        }
        Some(Overlay::ConfirmSettle { plan, .. }) => {
            crate::tui::screens::panel::view::confirm_settle(app, frame, body, plan)
        }
        None => {}
    }
    hits
}

fn render_header(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let place = app.screen.screen().title(app);
    let sync = sync_summary(app);
    // The place and the sync state never run together: my name gives way first, then the
    // details of syncing, then the app's name.
    let fits = |left: &str, right: &str| crate::text::width(left) + crate::text::width(right) < area.width as usize;
    let mut left = format!(" accredit · {place}");
    let mut right = format!("{} · {sync} ", sanitize(&app.me_name));
    if !fits(&left, &right) {
        right = format!("{sync} ");
    }
    if !fits(&left, &right) {
        right = format!("{} ", sync.split(" · ").next().unwrap_or_default());
    }
    if !fits(&left, &right) {
        left = format!(" {place}");
    }
    let pad = (area.width as usize).saturating_sub(crate::text::width(&left) + crate::text::width(&right));
    let line = Line::from(vec![Span::raw(left), Span::raw(" ".repeat(pad)), Span::raw(right)]).style(theme.bar);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

fn render_footer(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let line = match &app.flash {
        Some(Flash::Error(text)) => Line::from(Span::styled(format!(" ✗ {}", sanitize(text)), theme.alert)),
        Some(Flash::Info(text)) => Line::from(Span::styled(format!(" {}", sanitize(text)), theme.info)),
        None => {
            if let Some(line) = app.screen.screen().input_line(app) {
                line
            } else {
                // Whole hints only, as many as fit; the help key's always (it lists the rest).
                let hints = app.hints();
                let help = app.keymap.key_for(super::keymap::Context::Global, super::keymap::Command::Help);
                let cost = |(key, what): &(String, &str)| crate::text::width(key) + 1 + crate::text::width(what) + 2;
                let help_cost = hints.iter().find(|(k, _)| *k == help).map_or(0, cost);
                let mut room = usize::from(area.width).saturating_sub(1 + help_cost);
                let mut spans = vec![Span::raw(" ")];
                for hint in &hints {
                    let is_help = hint.0 == help;
                    if !is_help {
                        if cost(hint) > room {
                            continue;
                        }
                        room -= cost(hint);
                    }
                    spans.push(Span::styled(hint.0.clone(), theme.key));
                    spans.push(Span::styled(format!(" {}  ", hint.1), theme.muted));
                }
                Line::from(spans)
            }
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Where syncing stands, in words: connection, unsynced changes, conflicts.
fn sync_summary(app: &App) -> String {
    let state = match &app.sync_status {
        SyncStatus::NotConnected => "not connected".to_string(),
        SyncStatus::Never => "not synced yet".to_string(),
        SyncStatus::Running => "syncing…".to_string(),
        SyncStatus::Synced(at) => format!("synced {at}"),
        SyncStatus::Offline => "offline".to_string(),
        SyncStatus::Failed(_) => "sync failed".to_string(),
    };
    let mut parts = vec![state];
    parts.push(match app.unsynced {
        0 => "all saved".to_string(),
        n => format!("{n} unsynced"),
    });
    if app.conflicts > 0 {
        parts.push(format!("{} conflict{} (y)", app.conflicts, if app.conflicts == 1 { "" } else { "s" }));
    }
    parts.join(" · ")
}

/// A rectangle of at most `width`×`height` centred in `area`.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// The scroll offset that keeps `selected` in a window of `height` rows, roughly centred.
pub(crate) fn scroll_offset(selected: usize, height: usize, total: usize) -> usize {
    if total <= height {
        return 0;
    }
    selected.saturating_sub(height / 2).min(total - height)
}

/// A question over one line of text being typed, centred over `area` (all of it in the linear
/// layout), with how to answer: the Panel's override reason, a member's confirmation comment.
pub(crate) fn line_prompt(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    question: &str,
    input: &ratatui_textarea::TextArea<'static>,
    confirm_word: &str,
) {
    use super::keymap::{Command, Context};
    let theme = &app.theme;
    let question = sanitize(question).into_owned();
    let popup_w = area.width.saturating_sub(4).min(76);
    let question_rows = linear::wrapped_rows(&question, popup_w.saturating_sub(2));
    let popup = if linear::is_linear(app) { area } else { centered(area, popup_w, question_rows + 6) };
    frame.render_widget(ratatui::widgets::Clear, popup);
    let block = linear::pane(app, format!(" {title} "), theme.focus);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [question_area, input_area, hint_area] =
        Layout::vertical([Constraint::Length(question_rows), Constraint::Length(3), Constraint::Length(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(question).wrap(Wrap { trim: true }).style(theme.title), question_area);
    let mut input = input.clone();
    input.set_style(theme.text);
    input.set_cursor_style(theme.selected);
    frame.render_widget(&input, input_area);
    let key = |command| app.keymap.key_for(Context::Prompt, command);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(key(Command::Confirm), theme.key),
            Span::styled(format!(" {confirm_word} · "), theme.muted),
            Span::styled(key(Command::Cancel), theme.key),
            Span::styled(" cancels", theme.muted),
        ])),
        hint_area,
    );
}
