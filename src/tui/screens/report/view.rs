//! The Report screen: what keeps the panel report from being complete, then the report as
//! the Markdown `accredit report --format md` writes, wrapped to the window and scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::report::diff::Change;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::views::centered;
use crate::tui::views::linear::{is_linear, pane, wrap_words};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let Some(report) = &app.report else {
        frame.render_widget(Paragraph::new("Loading…"), area);
        return;
    };
    let state = match report.problems.len() {
        0 => "complete".to_string(),
        n => format!("{n} thing{} to settle", if n == 1 { "" } else { "s" }),
    };
    let back = app.keymap.key_for(Context::Report, Command::Back);
    let block = pane(app, format!(" Report preview · Markdown · {state} · {back} back "), theme.focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let room = inner.width.max(1);

    // Every row as drawn: the problems first, then the report wrapped at word boundaries.
    let mut rows: Vec<Line<'_>> = Vec::new();
    if report.problems.is_empty() {
        rows.push(Line::from(Span::styled("✓ Complete: nothing keeps this report from being pushed.", theme.ok)));
    } else {
        rows.push(Line::from(Span::styled(
            format!("Not complete: {state} before the report can be pushed"),
            theme.alert,
        )));
        for problem in &report.problems {
            for (i, part) in wrap_words(&format!("! {problem}"), room).into_iter().enumerate() {
                let text = if i == 0 { part } else { format!("  {part}") };
                rows.push(Line::from(Span::styled(text, theme.alert)));
            }
        }
    }
    if let Some(since) = &report.since_pushed {
        rows.push(Line::default());
        if since.changes.is_empty() {
            rows.push(Line::from(Span::styled(
                format!("No change since version {}, pushed to the hub.", since.version),
                theme.muted,
            )));
        } else {
            let added = since.changes.iter().filter(|(c, _)| *c == Change::Added).count();
            let removed = since.changes.len() - added;
            rows.push(Line::from(Span::styled(
                format!(
                    "Changes since version {} on the hub: {added} line(s) added (+), {removed} removed (−)",
                    since.version
                ),
                theme.heading,
            )));
            for (change, line) in &since.changes {
                let (mark, style) = if *change == Change::Added { ("+ ", theme.ok) } else { ("− ", theme.alert) };
                for (i, part) in wrap_words(line, room.saturating_sub(2).max(1)).into_iter().enumerate() {
                    rows.push(Line::from(Span::styled(format!("{}{part}", if i == 0 { mark } else { "  " }), style)));
                }
            }
        }
    }
    rows.push(Line::default());
    for line in &report.lines {
        let style = if line.starts_with('#') { theme.heading } else { theme.text };
        if line.trim().is_empty() {
            rows.push(Line::default());
            continue;
        }
        for part in wrap_words(line, room) {
            rows.push(Line::from(Span::styled(part, style)));
        }
    }
    let height = inner.height as usize;
    let max = rows.len().saturating_sub(height);
    report.max_scroll.set(max);
    let scroll = report.scroll.min(max);
    let visible: Vec<Line<'_>> = rows.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// The linear layout's sentence for the Report screen.
pub fn announcement(app: &App) -> String {
    let Some(report) = &app.report else { return "Report preview.".into() };
    let state = match report.problems.len() {
        0 => "complete".to_string(),
        n => format!("{n} things to settle, listed first"),
    };
    format!(
        "Report preview of {}, as Markdown: {state}. Showing from row {}. {} goes back to the panel.",
        crate::text::sanitize(&report.submission),
        report.scroll + 1,
        app.keymap.key_for(Context::Report, Command::Back)
    )
}

/// Asks before pushing the report: the hub keeps every version pushed.
pub fn confirm_push(app: &App, frame: &mut Frame<'_>, area: Rect, submission: &str) {
    let theme = &app.theme;
    let submission = crate::text::sanitize(submission);
    let lines = vec![
        Line::from(format!("Push the panel report of {submission} to the hub?")),
        Line::default(),
        Line::from(
            "accredit syncs first; the hub then builds the report from its own data and keeps it as a new \
             version (the same report again is the same version). The office can read every version.",
        ),
        Line::default(),
        Line::from(vec![
            Span::styled(app.keymap.all_keys_for(Context::Confirm, Command::Confirm), theme.key),
            Span::raw(" push    "),
            Span::styled(app.keymap.all_keys_for(Context::Confirm, Command::Cancel), theme.key),
            Span::raw(" not now"),
        ]),
    ];
    let popup = if is_linear(app) { area } else { centered(area, 76, 10) };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(pane(app, " Push the report? ", theme.focus)),
        popup,
    );
}
