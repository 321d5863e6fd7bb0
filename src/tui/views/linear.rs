//! The linear layout (`layout = "linear"`): one pane at a time, no box drawing, and a line
//! that says in words where the keys are and what is selected, for screen readers and braille
//! displays. The screens' own views ask `pane` and `marker` how to draw in either layout.

use ratatui::style::Style;
use ratatui::widgets::Block;

use crate::config::Layout;
use crate::text::sanitize;
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::{Command, Context};

pub fn is_linear(app: &App) -> bool {
    app.layout == Layout::Linear
}

/// A pane's frame: bordered with a title, or (linear) only the title, no box drawing.
pub fn pane<'a>(app: &App, title: impl Into<ratatui::text::Line<'a>>, border: Style) -> Block<'a> {
    if is_linear(app) {
        Block::new().title(title).title_style(app.theme.heading)
    } else {
        Block::bordered().title(title).border_style(border)
    }
}

/// What marks the selected row.
pub fn marker(app: &App) -> &'static str {
    if is_linear(app) { "> " } else { "▸ " }
}

/// Where the keys are and what is selected, in one sentence.
pub fn announcement(app: &App) -> String {
    let keys = &app.keymap;
    match &app.overlay {
        Some(Overlay::Help) => return "Help: the keys of this screen. j and k scroll; Esc, ? or q closes it.".into(),
        Some(Overlay::Finder(finder)) => {
            let entries = app.finder_entries.as_deref().unwrap_or_default();
            let selected = match (finder.selected_entry(entries), finder.selected_hit()) {
                (Some(entry), _) => Some(sanitize(&entry.label()).into_owned()),
                (None, Some(hit)) => Some(sanitize(&hit.to_string()).into_owned()),
                (None, None) => None,
            };
            let text = match finder.text_hits.len() {
                0 => String::new(),
                n => format!(" and {n} places in the text of the evidence"),
            };
            return format!(
                "Find: {} results{text} for \"{}\".{}",
                finder.results.len(),
                sanitize(&finder.query),
                selected.map(|s| format!(" Selected: {s}.")).unwrap_or_default()
            );
        }
        Some(Overlay::Palette(palette)) => {
            let selected = palette.selected_entry().map(|e| format!(" Selected: {}, key {}.", e.description, e.keys));
            return format!(
                "Command palette: {} actions for \"{}\".{} Enter runs it.",
                palette.results.len(),
                sanitize(&palette.query),
                selected.unwrap_or_default()
            );
        }
        Some(Overlay::ConfirmSettle { plan, .. }) => {
            return crate::tui::screens::panel::view::settle_sentence(app, plan);
        }
        Some(Overlay::ConfirmPush { submission }) => {
            return format!(
                "Push the panel report of {} to the hub? {} pushes, {} cancels.",
                sanitize(submission),
                keys.key_for(Context::Confirm, Command::Confirm),
                keys.key_for(Context::Confirm, Command::Cancel)
            );
        }
        Some(Overlay::ConfirmSubmit { submission, gaps, count, selected }) => {
            return match gaps.get(*selected) {
                None => format!(
                    "Submit your {count} judgements for {}? {} submits, {} cancels.",
                    sanitize(submission),
                    keys.key_for(Context::Confirm, Command::Confirm),
                    keys.key_for(Context::Confirm, Command::Cancel)
                ),
                Some((code, gap)) => format!(
                    "Not ready to submit: {} gaps. Selected {} of {}: {}, {}.",
                    gaps.len(),
                    selected + 1,
                    gaps.len(),
                    sanitize(code),
                    gap.describe()
                ),
            };
        }
        None => {}
    }
    app.screen.screen().announcement(app)
}

/// `text` broken at word boundaries into lines of at most `width` columns (a longer word
/// keeps a line of its own), so a list row is read whole rather than cut off.
pub fn wrap_words(text: &str, width: u16) -> Vec<String> {
    let width = usize::from(width.max(1));
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(word);
        } else if crate::text::width(line) + 1 + crate::text::width(word) <= width {
            line.push(' ');
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    lines
}

/// The terminal cursor on the first row of the selected item of a list whose items have
/// `heights` rows, drawn from `offset` in `inner`.
pub fn cursor_on_item(
    frame: &mut ratatui::Frame<'_>,
    inner: ratatui::layout::Rect,
    heights: &[usize],
    offset: usize,
    selected: usize,
) {
    let row: usize = heights.iter().take(selected).skip(offset).sum();
    if let Ok(row) = u16::try_from(row)
        && row < inner.height
    {
        frame.set_cursor_position((inner.x, inner.y + row));
    }
}

/// How many rows `text` takes when wrapped at word boundaries to `width` columns.
pub fn wrapped_rows(text: &str, width: u16) -> u16 {
    let columns = usize::from(width.max(1));
    let rows: usize =
        wrap_words(text, width).iter().map(|line| crate::text::width(line).div_ceil(columns).max(1)).sum();
    rows.try_into().unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::wrapped_rows;

    #[test]
    fn wrapped_rows_counts_word_wrapped_lines() {
        assert_eq!(wrapped_rows("", 10), 1);
        assert_eq!(wrapped_rows("one two", 10), 1);
        assert_eq!(wrapped_rows("one two three", 10), 2);
        assert_eq!(wrapped_rows("abcdefghijklmnopqrstuvwxy", 10), 3);
    }
}
