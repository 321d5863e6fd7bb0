//! The Report screen: what keeps the panel report from being complete, then the report as
//! the Markdown `accredit report --format md` writes, wrapped to the window and scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{MemberConfirm, ReportPreview};
use crate::store::ConfirmStatus;
use crate::text::sanitize;

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
    let title = match &report.confirming {
        Some(c) => format!(" Panel report · version {} as the chair pushed it · {back} back ", c.version),
        None => format!(" Report preview · Markdown · {state} · {back} back "),
    };
    let block = pane(app, title, theme.focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let room = inner.width.max(1);

    // Every row as drawn: the problems (or, for a member, where the confirmations stand)
    // first, then the report wrapped at word boundaries.
    let mut rows: Vec<Line<'_>> = Vec::new();
    if let Some(confirm) = &report.confirming {
        for (text, style) in confirm_rows(app, confirm) {
            for part in wrap_words(&text, room) {
                rows.push(Line::from(Span::styled(part, style)));
            }
        }
    } else if report.problems.is_empty() {
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
    if let Some(comment) = report.confirming.as_ref().and_then(|c| c.comment.as_ref()) {
        render_comment(app, report, comment, frame, area);
    }
}

/// Where a member's confirmation and the panel's stand, above the report.
fn confirm_rows(app: &App, confirm: &MemberConfirm) -> Vec<(String, ratatui::style::Style)> {
    let theme = &app.theme;
    let key = app.keymap.key_for(Context::Report, Command::ConfirmReport);
    let status = match &confirm.status {
        ConfirmStatus::ToConfirm { version } => (
            format!(
                "The chair pushed version {version} on {}. Read it; {key} confirms it is accurate, with a comment if you like.",
                confirm.pushed_on
            ),
            theme.heading,
        ),
        ConfirmStatus::Waiting { version } => {
            (format!("✓ You confirmed version {version}; it goes to the hub with the next sync."), theme.ok)
        }
        ConfirmStatus::Refused { reason, .. } => (
            format!(
                "! The hub refused your confirmation: {}. {key} confirms again (your comment is kept).",
                sanitize(reason)
            ),
            theme.alert,
        ),
        ConfirmStatus::Confirmed { version, latest } if version == latest => {
            (format!("✓ You confirmed version {version}. {key} confirms again, replacing it."), theme.ok)
        }
        ConfirmStatus::Confirmed { version, latest } => (
            format!("You confirmed version {version}; this is version {latest}. {key} confirms this one."),
            theme.heading,
        ),
    };
    let list = |names: &[String]| {
        if names.is_empty() { "nobody".to_string() } else { sanitize(&names.join(", ")).into_owned() }
    };
    vec![
        status,
        (format!("Confirmed by: {}.", list(&confirm.confirmed)), theme.muted),
        (format!("Awaited from: {}.", list(&confirm.awaiting)), theme.muted),
    ]
}

/// The comment line of a confirmation, over the report.
fn render_comment(app: &App, report: &ReportPreview, comment: &TextArea<'static>, frame: &mut Frame<'_>, area: Rect) {
    let version = report.confirming.as_ref().map_or(0, |c| c.version);
    let question = format!(
        "Confirm that version {version} of the panel report of {} is accurate. A comment (optional) goes to the chair and into the panel's record:",
        report.submission
    );
    crate::tui::views::line_prompt(app, frame, area, "Confirm the report", &question, comment, "confirms");
}

/// The linear layout's sentence for the Report screen.
pub fn announcement(app: &App) -> String {
    let Some(report) = &app.report else { return "Report preview.".into() };
    if let Some(confirm) = &report.confirming {
        let status = confirm_rows(app, confirm).into_iter().map(|(text, _)| text).collect::<Vec<_>>().join(" ");
        return format!(
            "Panel report of {}, version {}. {status} Showing from row {}.",
            sanitize(&report.submission),
            confirm.version,
            report.scroll + 1
        );
    }
    let state = match report.problems.len() {
        0 => "complete".to_string(),
        n => format!("{n} things to settle, listed first"),
    };
    format!(
        "Report preview of {}, as Markdown: {state}. Showing from row {}. {} goes back to the panel.",
        sanitize(&report.submission),
        report.scroll + 1,
        app.keymap.key_for(Context::Report, Command::Back)
    )
}

/// Asks before pushing the report: the hub keeps every version pushed.
pub fn confirm_push(app: &App, frame: &mut Frame<'_>, area: Rect, submission: &str) {
    let theme = &app.theme;
    let submission = sanitize(submission);
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
