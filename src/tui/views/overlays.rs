use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::linear::{is_linear, pane};
use super::{centered, scroll_offset};
use crate::config::EditorKeys;
use crate::domain::Gap;
use crate::store::{FinderEntry, HitPlace, SearchHit};
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::editor_keys::{EMACS_KEYS, vim_help};
use crate::tui::finder::FinderState;
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::{Hits, Target};
use crate::tui::palette::PaletteState;

/// Every binding of the current context and the global ones, from the live keymap; in two
/// columns (this screen's keys | everywhere) when one column would not fit.
pub fn help(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let context = app.context();
    let mut groups: Vec<Vec<Line<'_>>> = Vec::new();
    let mut last = None;
    for binding in app.keymap.help(context) {
        if last != Some(binding.context) {
            groups.push(vec![Line::from(Span::styled(binding.context.title(), theme.heading))]);
            last = Some(binding.context);
        }
        let keys = match binding.keys.as_slice() {
            [] => "(no key)".to_string(),
            keys => keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
        };
        let line = Line::from(vec![Span::styled(format!(" {keys:<11} "), theme.key), Span::raw(binding.description)]);
        groups.last_mut().expect("a group was started").push(line);
    }
    if context == Context::Editor {
        let (title, rows) = match app.editor_keys {
            EditorKeys::Vim => ("Vim keys (normal mode; ? also shows this help)", vim_help()),
            EditorKeys::Emacs => ("Emacs keys", EMACS_KEYS.iter().map(|(k, w)| ((*k).to_string(), *w)).collect()),
        };
        let mut group = vec![Line::from(Span::styled(title, theme.heading))];
        group.extend(
            rows.into_iter().map(|(keys, what)| {
                Line::from(vec![Span::styled(format!(" {keys:<13} "), theme.key), Span::raw(what)])
            }),
        );
        groups.push(group);
    }
    let one_column: usize = groups.iter().map(Vec::len).sum::<usize>() + groups.len().saturating_sub(1);
    let linear = is_linear(app);
    let block = pane(
        app,
        if linear { "Keys (j and k scroll; Esc, ? or q closes)" } else { " Keys · j k scroll · Esc ? q close " },
        theme.focus,
    );
    let scroll = app.help_scroll;
    if linear || one_column as u16 + 2 <= area.height || groups.len() < 2 {
        let lines: Vec<Line<'_>> = groups
            .into_iter()
            .enumerate()
            .flat_map(|(i, g)| (i > 0).then(Line::default).into_iter().chain(g))
            .collect();
        let popup = if linear { area } else { centered(area, 66, lines.len() as u16 + 2) };
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)).block(block), popup);
        return;
    }
    let rest: Vec<Line<'_>> = groups.split_off(1).into_iter().flatten().collect();
    let first = groups.pop().unwrap_or_default();
    // Descriptions wrap in the narrower columns, so take the whole height.
    let popup = area;

    frame.render_widget(Clear, popup);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).spacing(1).areas(inner);
    let rows = |lines: &[Line<'_>]| -> u16 {
        lines
            .iter()
            .map(|l| super::linear::wrapped_rows(&crate::tui::screens::panel::view::line_text(l), left.width))
            .sum()
    };
    if rows(&first) <= inner.height && rows(&rest) <= inner.height {
        frame.render_widget(Paragraph::new(first).wrap(Wrap { trim: false }), left);
        frame.render_widget(Paragraph::new(rest).wrap(Wrap { trim: false }), right);
        return;
    }
    // Too many keys to wrap (a screen with many, a small window): one row each, flowing from
    // the left column into the right, so every key is shown.
    let mut lines: Vec<Line<'_>> = first;
    lines.push(Line::default());
    lines.extend(rest);
    // More than both columns hold: j and k scroll them, so every key can be read.
    let overflow = lines.len().saturating_sub(2 * inner.height as usize);
    lines.drain(..(scroll as usize).min(overflow));
    let right_lines = lines.split_off(lines.len().min(inner.height as usize));
    frame.render_widget(Paragraph::new(lines), left);
    frame.render_widget(Paragraph::new(right_lines), right);
}

pub fn finder(app: &App, finder: &FinderState, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let theme = &app.theme;
    let entries = app.finder_entries.as_deref().unwrap_or_default();
    let popup = if is_linear(app) {
        area
    } else {
        centered(area, area.width.saturating_sub(8).max(30), area.height.saturating_sub(4).max(6))
    };
    frame.render_widget(Clear, popup);
    let title = match finder.text_hits.len() {
        0 => format!(" Find · {} of {} ", finder.results.len(), entries.len()),
        n => format!(" Find · {} of {} · {n} in the evidence text ", finder.results.len(), entries.len()),
    };
    let results = query_pane(app, frame, popup, title, "> ", &finder.query);
    let mut items: Vec<ListItem<'_>> = finder
        .results
        .iter()
        .filter_map(|&i| entries.get(i))
        .map(|entry| {
            let kind = match entry {
                FinderEntry::Submission { .. } => "submission",
                FinderEntry::Standard { .. } => "standard  ",
                FinderEntry::Evidence { .. } => "evidence  ",
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{kind} "), theme.muted),
                Span::raw(sanitize(&entry.label()).into_owned()),
            ]))
        })
        .collect();
    // The full-text hits follow under a heading of their own (not a row to choose).
    let heading = items.len();
    if !finder.text_hits.is_empty() {
        items.push(ListItem::new(Line::styled("In the text of the evidence and narratives", theme.heading)));
        items.extend(finder.text_hits.iter().map(|hit| ListItem::new(text_hit_line(theme, hit))));
    }
    if items.is_empty() {
        frame.render_widget(Paragraph::new("No match.").style(theme.muted), results);
        return;
    }
    // Rows of the list: the heading sits between the fuzzy results and the text hits.
    let row_of = |choice: usize| if choice < heading { choice } else { choice + 1 };
    let height = results.height as usize;
    let mut state = ListState::default()
        .with_offset(scroll_offset(row_of(finder.selected), height, items.len()))
        .with_selected(Some(row_of(finder.selected)));
    let count = items.len();
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selected), results, &mut state);
    hits.add_list(results, &vec![1; count], state.offset(), |row| match row.cmp(&heading) {
        std::cmp::Ordering::Less => Some(Target::FinderRow(row)),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(Target::FinderRow(row - 1)),
    });
}

/// `S-2026-014  E04 p.6  … the «mini-CEX» is …`, the matched words picked out.
fn text_hit_line(theme: &crate::tui::theme::Theme, hit: &SearchHit) -> Line<'static> {
    let place = match &hit.place {
        HitPlace::Page { document, page: 0, .. } => format!("{document} unnumbered page"),
        HitPlace::Page { document, page, .. } => format!("{document} p.{page}"),
        HitPlace::Narrative { standard } => format!("{standard} narrative"),
        HitPlace::Standard { standard } => standard.clone(),
    };
    let mut spans = vec![
        Span::styled("text       ", theme.muted),
        Span::raw(format!("{}  {}  ", sanitize(&hit.submission), sanitize(&place))),
    ];
    let snippet = sanitize(&hit.snippet).split_whitespace().collect::<Vec<_>>().join(" ");
    for (i, part) in snippet.split(['«', '»']).enumerate() {
        spans.push(if i % 2 == 1 { Span::styled(part.to_string(), theme.title) } else { Span::raw(part.to_string()) });
    }
    Line::from(spans)
}

/// The command palette: the query, then each matching action with its keys.
pub fn palette(app: &App, palette: &PaletteState, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let popup = if is_linear(app) {
        area
    } else {
        centered(area, area.width.saturating_sub(8).max(30), area.height.saturating_sub(4).max(6))
    };
    frame.render_widget(Clear, popup);
    let title =
        format!(" Actions · {} · {} of {} ", palette.under.title(), palette.results.len(), palette.entries.len());
    let results = query_pane(app, frame, popup, title, ": ", &palette.query);
    let key_width = palette.entries.iter().map(|e| crate::text::width(&e.keys)).max().unwrap_or(0).min(14);
    let items: Vec<ListItem<'_>> = palette
        .results
        .iter()
        .filter_map(|&i| palette.entries.get(i))
        .map(|e| {
            let pad = key_width.saturating_sub(crate::text::width(&e.keys));
            ListItem::new(Line::from(vec![
                Span::styled(format!(" {}{} ", e.keys, " ".repeat(pad)), theme.key),
                Span::raw(e.description),
            ]))
        })
        .collect();
    if items.is_empty() {
        frame.render_widget(Paragraph::new("No action matches.").style(theme.muted), results);
        return;
    }
    let mut state = ListState::default()
        .with_offset(scroll_offset(palette.selected, results.height as usize, items.len()))
        .with_selected(Some(palette.selected));
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selected), results, &mut state);
}

pub fn confirm_submit(
    app: &App,
    frame: &mut Frame<'_>,
    area: Rect,
    submission: &str,
    gaps: &[(String, Gap)],
    count: usize,
    selected: usize,
) {
    let theme = &app.theme;
    let mut lines = Vec::new();
    let title;
    if gaps.is_empty() {
        title = " Submit? ".to_string();
        lines.push(Line::from(format!("Submit your {count} judgements for {}?", sanitize(submission))));
        lines.push(Line::default());
        lines.push(Line::from("Submitted judgements become read-only; the chair can reopen them."));
        lines.push(Line::from("You will then see the other members' submitted judgements."));
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(app.keymap.all_keys_for(Context::Confirm, Command::Confirm), theme.key),
            Span::raw(" submit    "),
            Span::styled(app.keymap.all_keys_for(Context::Confirm, Command::Cancel), theme.key),
            Span::raw(" not now"),
        ]));
    } else {
        title = format!(" Not ready: {} gap{} ", gaps.len(), if gaps.len() == 1 { "" } else { "s" });
        lines.push(Line::from(format!("Close every gap before submitting {}:", sanitize(submission))));
        lines.push(Line::default());
        for (i, (code, gap)) in gaps.iter().enumerate() {
            let style = if i == selected { theme.selected } else { theme.text };
            lines.push(Line::from(Span::styled(format!("  {}  {}", sanitize(code), gap.describe()), style)));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(app.keymap.key_for(Context::Confirm, Command::Open), theme.key),
            Span::raw(" go to the gap    "),
            Span::styled(close_key(app), theme.key),
            Span::raw(" close"),
        ]));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = if is_linear(app) { area } else { centered(area, 70, height) };
    frame.render_widget(Clear, popup);
    let border = if gaps.is_empty() { theme.focus } else { theme.alert };
    let block = pane(app, title, border);
    // Keep the selected gap visible when the list is longer than the popup.
    let visible = block.inner(popup).height as usize;
    let scroll = if gaps.is_empty() { 0 } else { scroll_offset(selected + 2, visible, lines.len()) as u16 };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)).block(block), popup);
}

/// The key that closes the list of gaps: the last of the cancel keys (`Esc` rather than `n`,
/// which reads as "no" to a question that is not asked here).
fn close_key(app: &App) -> String {
    app.keymap.keys_for(Context::Confirm, Command::Cancel).last().map_or_else(|| "(no key)".into(), ToString::to_string)
}

/// A popup's pane titled `title` with the query being typed on its first row (after `prompt`);
/// the area below it, for the results.
fn query_pane(app: &App, frame: &mut Frame<'_>, popup: Rect, title: String, prompt: &'static str, query: &str) -> Rect {
    let theme = &app.theme;
    let block = pane(app, title, theme.focus);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, results] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, theme.focus),
            Span::raw(sanitize(query).into_owned()),
            Span::styled("█", theme.focus),
        ])),
        input,
    );
    results
}
