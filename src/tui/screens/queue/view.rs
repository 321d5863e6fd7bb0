use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

use jiff::civil::Date;

use crate::domain::{MemberRole, Stage};
use crate::store::{Assignment, ConfirmStatus};
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::{Hits, Target};
use crate::tui::views::columns::{self, Column};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let theme = &app.theme;
    if app.queue.is_empty() {
        let text = "Nothing needs you: you are on no panel in this cache.\n\nRun `accredit demo` to try accredit on the built-in demo data.";
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(Block::bordered().title(" What needs me ")),
            area,
        );
        return;
    }
    let detail_height = if area.height >= 16 { 6 } else { 0 };
    let table_height = (app.queue.len() as u16 + 3).min(area.height.saturating_sub(detail_height));
    let [list_area, detail_area, _] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Length(detail_height), Constraint::Min(0)])
            .areas(area);
    if crate::tui::views::linear::is_linear(app) {
        return render_linear(app, frame, area, hits);
    }
    // Columns give way by priority: the submission and my progress stay, the programme is kept
    // whole while it can be, then the due date, the provider, the role and the stage as space
    // allows (each is in the detail below too). A cut cell ends in an ellipsis.
    let today = app.today;
    let due = |a: &Assignment| {
        if a.overdue(today) { format!("⚠ {}", overdue_by(a.due, today)) } else { a.due.to_string() }
    };
    // The institution, without its faculty (the detail shows the whole).
    let provider = |a: &Assignment| sanitize(a.provider.split(',').next().unwrap_or_default().trim()).into_owned();
    let role = |a: &Assignment| if a.recused { "recused" } else { a.role.label() };
    let texts: Vec<[String; 7]> = app
        .queue
        .iter()
        .map(|a| {
            [
                sanitize(&a.submission).into_owned(),
                sanitize(&a.programme).into_owned(),
                provider(a),
                a.stage.label().to_string(),
                role(a).to_string(),
                due(a),
                progress(a, app.queue_to_settle.get(&a.submission).copied()),
            ]
        })
        .collect();
    const HEADER: [&str; 7] = ["Submission", "Programme", "Provider", "Stage", "Role", "Due", "Progress"];
    let natural = |i: usize| columns::natural(HEADER[i], texts.iter().map(|t| &t[i]));
    let spec = [
        Column::whole(natural(0), 0),
        Column::flexible(natural(1), 36, 12, 2),
        Column::flexible(natural(2), 24, 14, 4),
        Column::whole(natural(3), 6),
        Column::whole(natural(4), 5),
        Column::whole(natural(5), 3),
        Column::whole(natural(6), 1),
    ];
    // Inside the borders, after the selection mark.
    let fitted = columns::fit(&spec, area.width.saturating_sub(4), 1);
    let shown: Vec<(usize, u16)> = fitted.iter().enumerate().filter_map(|(i, w)| w.map(|w| (i, w))).collect();
    let header: Vec<&str> = shown.iter().map(|&(i, _)| HEADER[i]).collect();
    // Each column cut so that rows that differ still read differently.
    let cut: Vec<Vec<String>> = shown
        .iter()
        .map(|&(i, w)| {
            let column: Vec<&str> = texts.iter().map(|t| t[i].as_str()).collect();
            crate::text::ellipsize_distinct(&column, usize::from(w))
        })
        .collect();
    let rows = app.queue.iter().enumerate().map(|(row, a)| {
        Row::new(shown.iter().zip(&cut).map(|(&(i, _), column)| {
            let cell = column[row].clone();
            match i {
                5 if a.overdue(today) => Cell::from(Span::styled(cell, theme.alert)),
                _ => Cell::from(cell),
            }
        }))
    });
    let widths: Vec<Constraint> = shown.iter().map(|&(_, w)| Constraint::Length(w)).collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .row_highlight_style(theme.selected)
        .highlight_symbol("▸ ")
        .block(Block::bordered().title(" What needs me ").border_style(theme.focus));
    let mut state = TableState::default().with_selected(Some(app.queue_selected));
    let inner = Block::bordered().inner(list_area);
    frame.render_stateful_widget(table, list_area, &mut state);
    // Rows start under the table's header row.
    let rows = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
    hits.add_list(rows, &vec![1; app.queue.len()], state.offset(), |i| Some(Target::QueueRow(i)));

    if detail_height > 0
        && let Some(a) = app.queue.get(app.queue_selected)
    {
        frame.render_widget(detail(app, a), detail_area);
    }
}

/// How late `due` is on `today`, in the largest unit that reads naturally ("overdue by 8 months").
pub fn overdue_by(due: Date, today: Date) -> String {
    let days = today.since(due).map_or(0, |span| span.get_days().max(0));
    let (n, unit) = match days {
        0..14 => (days, "day"),
        14..60 => (days / 7, "week"),
        60..730 => (days * 12 / 365, "month"),
        _ => (days / 365, "year"),
    };
    format!("overdue by {n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn progress(a: &Assignment, to_settle: Option<usize>) -> String {
    match a.role {
        _ if a.recused => "—".into(),
        MemberRole::Chair if a.reviewers_submitted < a.reviewers_total || a.stage == Stage::Decided => {
            format!("{}/{} reviewers in", a.reviewers_submitted, a.reviewers_total)
        }
        MemberRole::Chair => match to_settle {
            Some(0) => "✓ report ready".into(),
            Some(n) => format!("{n} to settle"),
            None => format!("{}/{} reviewers in", a.reviewers_submitted, a.reviewers_total),
        },
        MemberRole::Officer => "—".into(),
        _ if a.report.is_some() => a.report.as_ref().map(|r| r.label()).unwrap_or_default(),
        _ if a.stage == Stage::Returned => "no review".into(),
        _ if a.submitted => "✓ submitted".into(),
        _ => format!("{}/{} judged", a.done, a.total),
    }
}

fn detail<'a>(app: &'a App, a: &'a Assignment) -> Paragraph<'a> {
    let theme = &app.theme;
    let open = app.keymap.key_for(Context::Queue, Command::Open);
    let gap = app.keymap.key_for(Context::Review, Command::NextGap);
    let what_next = match a.role {
        _ if a.recused => "You are recused from this submission: nothing of it is shown to you.".to_string(),
        _ if a.stage == Stage::Returned => "Returned at threshold review: there is no standards review to do.".into(),
        MemberRole::Chair => {
            let left = match app.queue_to_settle.get(&a.submission) {
                Some(0) => " Nothing is left to settle: the report is complete.".to_string(),
                Some(1) => " 1 thing is left to settle before the report is complete.".to_string(),
                Some(n) => format!(" {n} things are left to settle before the report is complete."),
                None => String::new(),
            };
            format!(
                "You chair this panel. {} of {} voting members have submitted.{left} {open} opens it.",
                a.reviewers_submitted, a.reviewers_total
            )
        }
        MemberRole::Officer => "You are the panel's officer (non-voting).".into(),
        _ if a.report.is_some() => report_next(app, a.report.as_ref()),
        _ if a.submitted => format!("Your judgements are submitted. {open} shows them beside the other members'."),
        _ => {
            format!("{} of {} standards judged. {open} opens the review; {gap} jumps to the next gap.", a.done, a.total)
        }
    };
    let lines = vec![
        Line::from(vec![
            Span::styled(sanitize(&a.submission).into_owned(), theme.title),
            Span::raw("  "),
            Span::raw(sanitize(&a.programme).into_owned()),
        ]),
        Line::from(Span::styled(sanitize(&a.provider).into_owned(), theme.muted)),
        Line::from(vec![
            Span::styled("Stage: ", theme.muted),
            Span::raw(a.stage.label()),
            Span::styled("   Due: ", theme.muted),
            Span::raw(a.due.to_string()),
            Span::styled(
                if a.overdue(app.today) { format!(" ({})", overdue_by(a.due, app.today)) } else { String::new() },
                theme.alert,
            ),
        ]),
        Line::from(what_next),
        evidence_line(theme, a),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(Block::new().borders(Borders::LEFT).border_style(theme.border))
}

/// What a member does about the report the chair pushed.
fn report_next(app: &App, status: Option<&ConfirmStatus>) -> String {
    let read = app.keymap.key_for(Context::Queue, Command::OpenReport);
    let confirm = app.keymap.key_for(Context::Report, Command::ConfirmReport);
    match status {
        Some(ConfirmStatus::ToConfirm { version }) => format!(
            "The chair pushed version {version} of the panel report: {read} reads it, and {confirm} there confirms it is accurate (with a comment if you like)."
        ),
        Some(ConfirmStatus::Waiting { version }) => {
            format!("You confirmed version {version} of the report; it goes to the hub with the next sync.")
        }
        Some(ConfirmStatus::Refused { reason, .. }) => format!(
            "The hub refused your confirmation: {}. {read} reads the report again; your comment is kept.",
            sanitize(reason)
        ),
        Some(ConfirmStatus::Confirmed { version, latest }) if version == latest => {
            format!("You confirmed version {version} of the panel report. {read} reads it.")
        }
        Some(ConfirmStatus::Confirmed { version, latest }) => format!(
            "You confirmed version {version}; the chair has pushed version {latest} since. {read} reads it (confirming again is up to you)."
        ),
        None => String::new(),
    }
}

/// Whether the evidence is all on this machine, so the review can go offline (a train).
fn evidence_line<'a>(theme: &crate::tui::theme::Theme, a: &Assignment) -> Line<'a> {
    let e = &a.evidence;
    match e.missing.len() {
        _ if a.recused || e.documents == 0 => Line::default(),
        0 => Line::styled(
            format!("Offline-ready: all {} evidence documents are on this machine.", e.documents),
            theme.muted,
        ),
        n => {
            let mut names: Vec<String> = e.missing.iter().take(5).map(|d| sanitize(d).into_owned()).collect();
            if n > names.len() {
                names.push("…".into());
            }
            Line::styled(
                format!(
                    "Not offline-ready: {n} of {} evidence documents are not on this machine yet ({}); sync before going offline.",
                    e.documents,
                    names.join(", ")
                ),
                theme.alert,
            )
        }
    }
}

/// One line per submission, in words, and what to do next below: no table, no borders.
fn render_linear(app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let theme = &app.theme;
    let items: Vec<ListItem<'_>> = app
        .queue
        .iter()
        .map(|a| {
            let due = if a.overdue(app.today) {
                format!("due {}, {}", a.due, overdue_by(a.due, app.today))
            } else {
                format!("due {}", a.due)
            };
            let role = if a.recused { "recused" } else { a.role.label() };
            let progress = match progress(a, app.queue_to_settle.get(&a.submission).copied()).as_str() {
                "—" => "nothing to judge".to_string(),
                other => other.trim_start_matches("✓ ").to_string(),
            };
            let text = format!("{}: {}; {role}; {due}; {progress}", sanitize(&a.submission), sanitize(&a.programme));
            ListItem::new(
                crate::tui::views::linear::wrap_words(&text, area.width.saturating_sub(2))
                    .into_iter()
                    .map(Line::from)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
    let list_height = (heights.iter().sum::<usize>() as u16 + 1).min(area.height);
    let [list_area, detail_area] = Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(area);
    let block = crate::tui::views::linear::pane(app, "What needs me", theme.focus);
    let inner = block.inner(list_area);
    let mut state = ListState::default().with_selected(Some(app.queue_selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.selected).highlight_symbol("> ").block(block),
        list_area,
        &mut state,
    );
    crate::tui::views::linear::cursor_on_item(frame, inner, &heights, state.offset(), app.queue_selected);
    hits.add_list(inner, &heights, state.offset(), |i| Some(Target::QueueRow(i)));
    if let Some(a) = app.queue.get(app.queue_selected) {
        frame.render_widget(detail(app, a).block(Block::new().padding(ratatui::widgets::Padding::top(1))), detail_area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn overdue_reads_in_the_largest_natural_unit() {
        let today = date(2026, 11, 20);
        assert_eq!(overdue_by(date(2026, 11, 19), today), "overdue by 1 day");
        assert_eq!(overdue_by(date(2026, 11, 1), today), "overdue by 2 weeks");
        assert_eq!(overdue_by(date(2026, 3, 20), today), "overdue by 8 months");
        assert_eq!(overdue_by(date(2023, 11, 1), today), "overdue by 3 years");
    }
}
