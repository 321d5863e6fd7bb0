//! The chair's Panel screen: the agreement and decision summary, the grid of standards ×
//! voting reviewers with the panel's outcome and what needs the chair, the conditions,
//! recommendations and commendations; and the one-line prompt and decision chooser over it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, Cell as TableCell, Clear, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap,
};

use crate::domain::Outcome;
use crate::domain::agreement::Agreement;
use crate::domain::consolidation::DecisionKind;
use crate::text::{sanitize, width};
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::{Hits, Target};
use crate::tui::screens::panel::{Cell, PanelData, PanelFocus, PanelStandard, PanelState, Prompt};
use crate::tui::theme::{Theme, outcome_mark, outcome_word};
use crate::tui::views::centered;
use crate::tui::views::linear::{is_linear, pane, wrap_words, wrapped_rows};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let Some(panel) = &app.panel else {
        frame.render_widget(Paragraph::new("Loading…"), area);
        return;
    };
    match panel.focus {
        PanelFocus::Grid | PanelFocus::Records => render_grid_screen(app, panel, frame, area, hits),
        PanelFocus::Detail => super::detail::render(app, panel, frame, area),
    }
    if let Some(form) = &panel.form {
        render_form(app, form, frame, area);
    } else if let Some(prompt) = &panel.prompt {
        render_prompt(app, prompt, frame, area);
    } else if let Some(selected) = panel.chooser {
        render_chooser(app, panel, selected, frame, area);
    }
}

fn render_grid_screen(app: &App, panel: &PanelState, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let linear = is_linear(app);
    let summary = Text::from(summary_lines(app, panel, area));
    let summary_rows: u16 =
        summary.lines.iter().map(|l| wrapped_rows(&line_text(l), area.width)).sum::<u16>().min(area.height / 3).max(1);
    let records = panel.data.records();
    let records_rows = if panel.focus == PanelFocus::Records {
        // The pane has the keys: half the screen, and it scrolls to the selected record.
        ((records.len() + 2) as u16).clamp(3, (area.height / 2).max(3))
    } else if linear || area.height < 16 {
        0
    } else {
        (records.len().clamp(1, 4) + 2) as u16
    };
    let [summary_area, grid_area, records_area] =
        Layout::vertical([Constraint::Length(summary_rows), Constraint::Min(3), Constraint::Length(records_rows)])
            .areas(area);
    frame.render_widget(Paragraph::new(summary).wrap(Wrap { trim: true }), summary_area);
    if linear {
        render_linear_rows(app, panel, frame, grid_area, hits);
    } else {
        render_grid(app, panel, frame, grid_area, hits);
    }
    if records_rows > 0 {
        render_records(app, panel, frame, records_area);
    }
}

pub fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The agreement figures, the decision and what is left to settle; in a large window also the
/// programme and the voters. Narrow windows get the short wording.
pub fn summary_lines(app: &App, panel: &PanelState, area: Rect) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let data = &panel.data;
    let wide = area.width >= 100;
    let tall = area.height >= 30;
    let mut lines = Vec::new();
    if tall {
        lines.push(Line::from(vec![
            Span::styled(sanitize(&data.submission.header.programme).into_owned(), theme.title),
            Span::styled(format!(" · {}", sanitize(&data.submission.header.provider)), theme.muted),
        ]));
    }
    let count = |a| data.standards.iter().filter(|s| s.agreement == Some(a)).count();
    let over = match data.kappa_standards {
        n if n == data.standards.len() && !wide => String::new(),
        n => format!(" over {n} standards"),
    };
    let (kappa_name, observed_name) = if wide { ("Fleiss' κ", "observed agreement") } else { ("κ", "observed") };
    let kappa = match (data.kappa, data.kappa_standards) {
        (_, 0) => "κ —: no standard has two judgements yet".to_string(),
        (Some(k), _) => format!("{kappa_name} {k:.3}, {observed_name} {}{over}", figure(data.observed)),
        (None, _) => format!("{kappa_name} — (all alike), {observed_name} {}{over}", figure(data.observed)),
    };
    lines.push(Line::from(vec![
        Span::styled("Agreement ", theme.heading),
        Span::raw(format!(
            "{kappa} · {} unanimous, {} majority, ",
            count(Agreement::Unanimous),
            count(Agreement::Majority)
        )),
        Span::styled(format!("{} split", count(Agreement::Split)), theme.alert),
    ]));
    let recorded = data.consolidation.decision.as_ref().map_or("none yet".to_string(), |d| {
        let departs = if panel.contradicts_rules(d.kind) { " (overrides the rules)" } else { "" };
        format!("{}{departs}", d.kind.label())
    });
    let problems = data.problems().len();
    let report_key = app.keymap.key_for(Context::Panel, Command::OpenReport);
    let settle = match (problems, wide) {
        (0, _) => Span::styled("✓ nothing left to settle".to_string(), theme.ok),
        (n, true) => Span::styled(format!("⚑ {n} thing{} to settle", if n == 1 { "" } else { "s" }), theme.alert),
        (n, false) => Span::styled(format!("⚑ {n} to settle"), theme.alert),
    };
    lines.push(Line::from(vec![
        Span::styled("Decision ", theme.heading),
        Span::raw(format!(
            "{} {} · recorded: {recorded} · ",
            if wide { "the rules suggest" } else { "suggested:" },
            panel.suggested().label()
        )),
        settle,
        Span::styled(
            if wide { format!(" ({report_key} lists them)") } else { format!(" ({report_key})") },
            theme.muted,
        ),
    ]));
    if tall && data.kappa.is_some() {
        lines.push(Line::from(Span::styled(
            "κ discounts the agreement expected by chance: when nearly every judgement is met it stays low though the reviewers almost always agree.",
            theme.muted,
        )));
    }
    if tall {
        let voters: Vec<String> = data
            .voters
            .iter()
            .map(|v| match v.limited_to {
                Some(n) => format!("{} ({}, {n} standards)", sanitize(&v.name), v.role.label()),
                None => sanitize(&v.name).into_owned(),
            })
            .collect();
        let mut voting = voters.join(", ");
        if !data.recused.is_empty() {
            let recused: Vec<String> = data.recused.iter().map(|n| sanitize(n).into_owned()).collect();
            voting.push_str(&format!(" · recused, not shown: {}", recused.join(", ")));
        }
        lines.push(Line::from(vec![Span::styled("Voting ", theme.heading), Span::styled(voting, theme.muted)]));
    }
    lines
}

fn figure(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{v:.3}"))
}

/// A reviewer's cell: mark and word, or the mark alone when space is short.
pub fn cell_text(cell: &Cell, words: bool) -> (String, Option<Outcome>, bool) {
    match cell {
        Cell::NotTheirs => ("—".into(), None, true),
        Cell::Awaiting if words => ("· pending".into(), None, false),
        Cell::Awaiting => ("·".into(), None, false),
        Cell::Judged { outcome, .. } if words => {
            (format!("{} {}", outcome_mark(*outcome), outcome_word(*outcome)), *outcome, false)
        }
        Cell::Judged { outcome, .. } => (outcome_mark(*outcome).into(), *outcome, false),
    }
}

fn agreement_word(agreement: Option<Agreement>) -> &'static str {
    agreement.map_or("—", Agreement::label)
}

/// The flags column: what needs me, and the leniency warning.
fn flags_line(theme: &Theme, data: &PanelData, standard: &PanelStandard, room: usize) -> Line<'static> {
    let flags = data.flags(standard);
    let mut spans = Vec::new();
    if flags.is_empty() {
        spans.push(Span::styled("settled", theme.muted));
    } else {
        // The words if they fit, else one word each, else the first and how many more.
        let all = flags.iter().map(|f| f.word()).collect::<Vec<_>>().join(", ");
        let short = flags.iter().map(|f| f.short()).collect::<Vec<_>>().join(", ");
        let text = if width(&all) + 2 <= room {
            format!("⚑ {all}")
        } else if width(&short) + 2 <= room || flags.len() == 1 {
            format!("⚑ {short}")
        } else {
            format!("⚑ {} +{}", flags[0].short(), flags.len() - 1)
        };
        spans.push(Span::styled(text, theme.alert));
    }
    if data.leniency(standard).is_some() {
        spans.push(Span::styled(" ⚠ lenient", theme.partially_met));
    }
    Line::from(spans)
}

fn render_grid(app: &App, panel: &PanelState, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let theme = &app.theme;
    let data = &panel.data;
    let keys = &app.keymap;
    let mut title = format!(" Standards {}", data.standards.len());
    if panel.needs_me_only {
        title.push_str(&format!(" · only what needs me: {}", panel.rows.len()));
    }
    if panel.splits_first {
        title.push_str(" · splits first");
    }
    title.push(' ');
    let legend = if area.width >= 100 {
        " — not theirs to judge · · pending: not submitted yet · ⚑ needs me · ⚠ more lenient than a reviewer "
    } else {
        " — not theirs · · pending · ⚑ needs me · ⚠ lenient "
    };
    let block = Block::bordered().title(title).title_bottom(legend).border_style(theme.focus);
    let inner = block.inner(area);
    if panel.rows.is_empty() {
        let text = format!(
            "Nothing needs you: every standard is settled. {} shows them all.",
            keys.key_for(Context::Panel, Command::FilterNeedsMe)
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).style(theme.ok).block(block), area);
        return;
    }

    // Columns: standard, one per voter, agreement, panel, what needs me. Narrower windows get
    // marks without words for the reviewers, then short words for the agreement and the panel.
    let n = data.voters.len() as u16;
    let code_w = data.standards.iter().map(|s| width(&s.code)).max().unwrap_or(8).clamp(8, 16) as u16;
    let room = inner.width.saturating_sub(2); // the highlight symbol
    let spacing = n + 3;
    let name_w = |v: &crate::tui::screens::panel::Voter| (width(&v.short) as u16).clamp(9, 12);
    let words_w: u16 = data.voters.iter().map(name_w).sum();
    let words = code_w + words_w + 9 + 9 + spacing + 12 <= room;
    let compact = !words && code_w + 3 * n + 9 + 9 + spacing + 10 > room;
    let (agreement_w, panel_w) = if compact { (5u16, 3u16) } else { (9u16, 9u16) };
    let voter_widths: Vec<u16> = data.voters.iter().map(|v| if words { name_w(v) } else { 3 }).collect();
    let flags_w = room.saturating_sub(code_w + agreement_w + panel_w + spacing + voter_widths.iter().sum::<u16>());
    let flags_w = flags_w as usize;

    let mut header = vec![TableCell::from("Standard")];
    for (i, v) in data.voters.iter().enumerate() {
        let name = sanitize(&v.short).into_owned();
        let label = if words { name } else { name.chars().take(3).collect() };
        let style = if i == panel.reviewer { theme.selected.patch(theme.title) } else { theme.title };
        header.push(TableCell::from(Span::styled(label, style)));
    }
    let labels = if compact { ["Agr.", "Pnl", "Needs me"] } else { ["Agreement", "Panel", "Needs me"] };
    header.extend(labels.map(TableCell::from));

    let rows = panel.rows.iter().map(|&i| {
        let s = &data.standards[i];
        let mut cells = vec![TableCell::from(Span::styled(sanitize(&s.code).into_owned(), theme.title))];
        for cell in &s.cells {
            let (text, outcome, not_theirs) = cell_text(cell, words);
            let style = if not_theirs { theme.muted } else { theme.outcome(outcome) };
            cells.push(TableCell::from(Span::styled(text, style)));
        }
        let agreement_style = if s.agreement == Some(Agreement::Split) { theme.alert } else { theme.text };
        let agreement = match (compact, s.agreement) {
            (true, Some(Agreement::Unanimous)) => "unan.",
            (true, Some(Agreement::Majority)) => "maj.",
            (_, agreement) => agreement_word(agreement),
        };
        cells.push(TableCell::from(Span::styled(agreement, agreement_style)));
        let outcome = data.consolidation.outcome(&s.code).map(|o| o.outcome);
        let panel_text = if compact {
            outcome_mark(outcome).to_string()
        } else {
            format!("{} {}", outcome_mark(outcome), outcome_word(outcome))
        };
        cells.push(TableCell::from(Span::styled(panel_text, theme.outcome(outcome))));
        cells.push(TableCell::from(flags_line(theme, data, s, flags_w)));
        Row::new(cells)
    });
    let mut widths = vec![Constraint::Length(code_w)];
    widths.extend(voter_widths.iter().map(|&w| Constraint::Length(w)));
    widths.extend([Constraint::Length(agreement_w), Constraint::Length(panel_w), Constraint::Fill(1)]);
    let table = Table::new(rows, widths)
        .header(Row::new(header))
        .row_highlight_style(theme.selected)
        .highlight_symbol("▸ ")
        .block(block);
    let mut state = TableState::default().with_selected(Some(panel.selected));
    frame.render_stateful_widget(table, area, &mut state);
    let rows_area = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
    hits.add_list(rows_area, &vec![1; panel.rows.len()], state.offset(), |i| Some(Target::PanelRow(i)));
}

/// A standard's row in words, for the linear layout and its announcement.
pub fn row_words(data: &PanelData, standard: &PanelStandard) -> String {
    let judgements: Vec<String> = data
        .voters
        .iter()
        .zip(&standard.cells)
        .map(|(v, cell)| {
            let what = match cell {
                Cell::NotTheirs => "not theirs".to_string(),
                Cell::Awaiting => "not submitted".to_string(),
                Cell::Judged { outcome, .. } => outcome.map_or("no outcome", Outcome::label).to_string(),
            };
            format!("{} {what}", sanitize(&v.short))
        })
        .collect();
    let panel = data.consolidation.outcome(&standard.code).map_or("none yet", |o| o.outcome.label());
    let flags = data.flags(standard);
    let needs = if flags.is_empty() {
        "settled".to_string()
    } else {
        format!("needs you: {}", flags.iter().map(|f| f.word()).collect::<Vec<_>>().join(", "))
    };
    let lenient = if data.leniency(standard).is_some() { "; more lenient than a reviewer" } else { "" };
    format!(
        "{}: {}; {}; panel: {panel}; {needs}{lenient}",
        sanitize(&standard.code),
        judgements.join(", "),
        agreement_word(standard.agreement)
    )
}

fn render_linear_rows(app: &App, panel: &PanelState, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let theme = &app.theme;
    let block = pane(app, format!("Standards, {} listed", panel.rows.len()), theme.focus);
    let inner = block.inner(area);
    if panel.rows.is_empty() {
        frame.render_widget(
            Paragraph::new("Nothing needs you: every standard is settled.").style(theme.ok).block(block),
            area,
        );
        return;
    }
    let items: Vec<ListItem<'_>> = panel
        .rows
        .iter()
        .map(|&i| {
            let text = row_words(&panel.data, &panel.data.standards[i]);
            ListItem::new(
                wrap_words(&text, inner.width.saturating_sub(2)).into_iter().map(Line::from).collect::<Vec<_>>(),
            )
        })
        .collect();
    let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
    let mut state = ListState::default().with_selected(Some(panel.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.selected).highlight_symbol("> ").block(block),
        area,
        &mut state,
    );
    crate::tui::views::linear::cursor_on_item(frame, inner, &heights, state.offset(), panel.selected);
    hits.add_list(inner, &heights, state.offset(), |i| Some(Target::PanelRow(i)));
}

fn render_records(app: &App, panel: &PanelState, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let c = &panel.data.consolidation;
    let records = panel.data.records();
    let live = |list: &[crate::domain::consolidation::Note]| list.iter().filter(|n| !n.withdrawn).count();
    let conditions = records.iter().filter(|r| r.due.is_some() && !r.withdrawn).count();
    let key = |command| app.keymap.key_for(Context::Panel, command);
    let focused = panel.focus == PanelFocus::Records;
    let more = records.len().saturating_sub(area.height.saturating_sub(2) as usize);
    // The ids' letters explained where there is room: C1 a condition, R1 a recommendation, G1 a
    // commendation (good practice).
    let legend = |letter: &str| if area.width >= 100 { format!(" ({letter}1…)") } else { String::new() };
    let title = format!(
        " Conditions {conditions}{} · recommendations {}{} · commendations {}{}{} ",
        legend("C"),
        live(&c.recommendations),
        legend("R"),
        live(&c.commendations),
        legend("G"),
        match (focused, more) {
            (true, _) => format!(
                " · {} edits, {} removes, {} back",
                key(Command::EditRationale),
                key(Command::RemoveRecord),
                key(Command::Back)
            ),
            (false, 0) => format!(" · {} selects one", key(Command::FocusRecords)),
            (false, n) => format!(" · {n} more: {}", key(Command::FocusRecords)),
        }
    );
    if focused && !records.is_empty() {
        let items: Vec<ListItem<'_>> = records.iter().map(|r| ListItem::new(record_line(theme, r))).collect();
        let mut state = ListState::default().with_selected(Some(panel.record));
        frame.render_stateful_widget(
            List::new(items)
                .highlight_style(theme.selected)
                .highlight_symbol(crate::tui::views::linear::marker(app))
                .block(Block::bordered().title(title).border_style(theme.focus)),
            area,
            &mut state,
        );
        return;
    }
    let lines: Vec<Line<'_>> = if records.is_empty() {
        vec![Line::from(Span::styled(
            format!(
                "None yet. For the selected standard: {} condition · {} recommendation · {} commendation",
                key(Command::AddCondition),
                key(Command::AddRecommendation),
                key(Command::AddCommendation)
            ),
            theme.muted,
        ))]
    } else {
        records.iter().map(|r| record_line(theme, r)).collect()
    };
    frame.render_widget(Paragraph::new(lines).block(Block::bordered().title(title).border_style(theme.border)), area);
}

/// A record in a list: id, standards, due date or status, text.
fn record_line(theme: &Theme, r: &crate::tui::screens::panel::Record) -> Line<'static> {
    let due = r.due.map(|d| format!(" · due {d}")).unwrap_or_default();
    let status = match (r.withdrawn, r.status) {
        (true, _) => " · withdrawn".to_string(),
        (false, Some(crate::domain::consolidation::ConditionStatus::Met)) => " · met".to_string(),
        _ => String::new(),
    };
    let text_style = if r.withdrawn { theme.muted } else { theme.text };
    Line::from(vec![
        Span::styled(format!("{} ", sanitize(&r.id)), theme.title),
        Span::styled(format!("{}{due}{status} ", sanitize(&r.standards.join(", "))), theme.muted),
        Span::styled(sanitize(&r.text).replace('\n', " "), text_style),
    ])
}

/// The record form: each field under its label, the texts wrapping over several rows.
fn render_form(app: &App, form: &crate::tui::screens::panel::RecordForm, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let popup_w = area.width.saturating_sub(4).min(76);
    let text_rows = if area.height >= 22 { 3 } else { 2 };
    let rows: Vec<u16> = form.fields.iter().map(|(f, _)| if f.wraps() { text_rows } else { 1 }).collect();
    let height = rows.iter().map(|r| r + 1).sum::<u16>() + 3;
    let popup = if is_linear(app) { area } else { centered(area, popup_w, height.min(area.height)) };
    frame.render_widget(Clear, popup);
    let block = pane(app, format!(" {} ", sanitize(&form.title())), theme.focus);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut constraints: Vec<Constraint> =
        rows.iter().flat_map(|&r| [Constraint::Length(1), Constraint::Length(r)]).collect();
    constraints.push(Constraint::Length(1));
    let areas = Layout::vertical(constraints).split(inner);
    for (i, (field, editor)) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused { theme.heading } else { theme.muted };
        let marker = if focused { crate::tui::views::linear::marker(app) } else { "  " };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(marker, theme.focus),
                Span::styled(field.label(form.kind), label_style),
            ])),
            areas[2 * i],
        );
        let mut input = editor.clone();
        input.set_style(theme.text);
        input.set_cursor_style(if focused { theme.selected } else { theme.text });
        let field_area = areas[2 * i + 1];
        frame.render_widget(
            &input,
            Rect { x: field_area.x + 2, width: field_area.width.saturating_sub(2), ..field_area },
        );
    }
    let key = |command| app.keymap.key_for(Context::Prompt, command);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(key(Command::FocusNext), theme.key),
            Span::styled(" next field · ", theme.muted),
            Span::styled(key(Command::Confirm), theme.key),
            Span::styled(" saves · ", theme.muted),
            Span::styled(key(Command::Cancel), theme.key),
            Span::styled(" cancels", theme.muted),
        ])),
        areas[areas.len() - 1],
    );
}

/// Settling the unanimous: what it settles, first, then what it leaves open.
fn settle_text(plan: &crate::tui::screens::panel::SettlePlan) -> (String, String) {
    let list = |items: &[(String, Outcome)]| {
        items
            .iter()
            .map(|(code, o)| format!("{} {}", sanitize(code), outcome_mark(Some(*o))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let settle = format!(
        "Settle {} unanimous standards with the reviewers' shared outcome (no rationale, note or condition needed): {}.",
        plan.settle.len(),
        list(&plan.settle)
    );
    let open = if plan.stay_open.is_empty() {
        String::new()
    } else {
        format!("Left open, they need the panel's rationale or a condition: {}.", list(&plan.stay_open))
    };
    (settle, open)
}

pub fn confirm_settle(app: &App, frame: &mut Frame<'_>, area: Rect, plan: &crate::tui::screens::panel::SettlePlan) {
    let theme = &app.theme;
    let (settle, open) = settle_text(plan);
    let key = |command| app.keymap.key_for(Context::Confirm, command);
    let undo = app.keymap.key_for(Context::Panel, Command::Undo);
    let mut lines = vec![Line::from(Span::styled(settle, theme.text))];
    if !open.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(open, theme.muted)));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(key(Command::Confirm), theme.key),
        Span::styled(" settles them (one step: ", theme.muted),
        Span::styled(undo, theme.key),
        Span::styled(" undoes it) · ", theme.muted),
        Span::styled(key(Command::Cancel), theme.key),
        Span::styled(" cancels", theme.muted),
    ]));
    let popup_w = area.width.saturating_sub(4).min(76);
    let rows: u16 = lines.iter().map(|l| wrapped_rows(&line_text(l), popup_w.saturating_sub(2)).max(1)).sum();
    let popup = if is_linear(app) { area } else { centered(area, popup_w, (rows + 2).min(area.height)) };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(app, " Settle the unanimous ", theme.focus)),
        popup,
    );
}

/// The linear layout's sentence for the settle confirmation.
pub fn settle_sentence(app: &App, plan: &crate::tui::screens::panel::SettlePlan) -> String {
    let (settle, open) = settle_text(plan);
    format!(
        "{settle} {open} {} settles them, {} cancels.",
        app.keymap.key_for(Context::Confirm, Command::Confirm),
        app.keymap.key_for(Context::Confirm, Command::Cancel)
    )
}

/// The line of text asked for the reason for overriding the rules' decision.
fn render_prompt(app: &App, prompt: &Prompt, frame: &mut Frame<'_>, area: Rect) {
    crate::tui::views::line_prompt(app, frame, area, "Override reason", &prompt.question(), &prompt.input, "saves");
}

/// The decision chooser: the four decisions, the one the rules suggest and the one recorded.
fn render_chooser(app: &App, panel: &PanelState, selected: usize, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let suggested = panel.suggested();
    let recorded = panel.data.consolidation.decision.as_ref().map(|d| d.kind);
    let mut lines: Vec<Line<'_>> = DecisionKind::ALL
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let mut notes = Vec::new();
            if kind == suggested {
                notes.push("the rules suggest this");
            }
            if Some(kind) == recorded {
                notes.push("recorded");
            }
            if kind != suggested && panel.contradicts_rules(kind) {
                notes.push("needs a reason");
            }
            let notes = if notes.is_empty() { String::new() } else { format!("  ({})", notes.join(", ")) };
            let chosen = i == selected;
            let style = if chosen { theme.selected } else { theme.text };
            Line::from(vec![
                Span::styled(if chosen { crate::tui::views::linear::marker(app) } else { "  " }, theme.focus),
                Span::styled(kind.label(), style),
                Span::styled(notes, theme.muted),
            ])
        })
        .collect();
    let key = |command| app.keymap.key_for(Context::Decide, command);
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(key(Command::Open), theme.key),
        Span::styled(" records · ", theme.muted),
        Span::styled(key(Command::Cancel), theme.key),
        Span::styled(" cancels", theme.muted),
    ]));
    let popup = if is_linear(app) { area } else { centered(area, 76, lines.len() as u16 + 2) };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(app, " The panel's decision ", theme.focus)),
        popup,
    );
}

/// A style for text that says a warning in words (never by colour alone).
pub fn warning(theme: &Theme) -> Style {
    theme.partially_met.patch(theme.title)
}

/// The linear layout's sentence for the Panel screen: where the keys are and what is selected.
pub fn announcement(app: &App) -> String {
    let keys = &app.keymap;
    let Some(panel) = &app.panel else { return "Panel.".into() };
    let data = &panel.data;
    let id = sanitize(&data.submission.id).into_owned();
    if let Some(form) = &panel.form {
        let (field, _) = &form.fields[form.focus.min(form.fields.len() - 1)];
        return format!(
            "{}: field {} of {}, {}. {} next field, {} saves, {} cancels.",
            sanitize(&form.title()),
            form.focus + 1,
            form.fields.len(),
            field.label(form.kind),
            keys.key_for(Context::Prompt, Command::FocusNext),
            keys.key_for(Context::Prompt, Command::Confirm),
            keys.key_for(Context::Prompt, Command::Cancel)
        );
    }
    if let Some(prompt) = &panel.prompt {
        return format!(
            "Typing: {} {} saves, {} cancels.",
            sanitize(&prompt.question()),
            keys.key_for(Context::Prompt, Command::Confirm),
            keys.key_for(Context::Prompt, Command::Cancel)
        );
    }
    if let Some(selected) = panel.chooser {
        let kind = DecisionKind::ALL[selected.min(DecisionKind::ALL.len() - 1)];
        let suggested = if kind == panel.suggested() { ", the rules suggest this" } else { "" };
        return format!(
            "Choosing the panel's decision. Selected {} of {}: {}{suggested}. {} records it, {} cancels.",
            selected + 1,
            DecisionKind::ALL.len(),
            kind.label(),
            keys.key_for(Context::Decide, Command::Open),
            keys.key_for(Context::Decide, Command::Cancel)
        );
    }
    let Some(standard) = panel.current() else {
        return format!(
            "Panel {id}: nothing needs you, every standard is settled. {} shows them all.",
            keys.key_for(Context::Panel, Command::FilterNeedsMe)
        );
    };
    if let Some((_, field)) = &panel.editing {
        return format!(
            "Editing the {} of {}. {} when done; it is saved as you type.",
            field.label(),
            sanitize(&standard.code),
            keys.key_for(Context::Editor, Command::LeaveEditor)
        );
    }
    match panel.focus {
        PanelFocus::Records => {
            let records = data.records();
            let what = records.get(panel.record).map_or_else(String::new, |r| {
                let due = r.due.map(|d| format!(", due {d}")).unwrap_or_default();
                let withdrawn = if r.withdrawn { ", withdrawn" } else { "" };
                format!(
                    " Selected {} of {}: {}, {}{due}{withdrawn}: {}.",
                    panel.record + 1,
                    records.len(),
                    sanitize(&r.id),
                    sanitize(&r.standards.join(", ")),
                    sanitize(&r.text)
                )
            });
            format!(
                "Panel {id}, the records.{what} {} edits, {} removes, {} goes back.",
                keys.key_for(Context::Panel, Command::EditRationale),
                keys.key_for(Context::Panel, Command::RemoveRecord),
                keys.key_for(Context::Panel, Command::Back)
            )
        }
        PanelFocus::Grid => {
            let mut listing = String::new();
            if panel.needs_me_only {
                listing.push_str(", only what needs you");
            }
            if panel.splits_first {
                listing.push_str(", splits first");
            }
            format!(
                "Panel {id}, {} things to settle{listing}. Selected {} of {}: {}. {} shows every rationale.",
                data.problems().len(),
                panel.selected + 1,
                panel.rows.len(),
                row_words(data, standard),
                keys.key_for(Context::Panel, Command::Open)
            )
        }
        PanelFocus::Detail => {
            let reviewer = panel.voter().map_or_else(String::new, |v| {
                let cell = standard.cells.get(panel.reviewer);
                let what = match cell {
                    Some(Cell::Judged { outcome, .. }) => outcome.map_or("no outcome", Outcome::label),
                    Some(Cell::NotTheirs) => "not theirs to judge",
                    _ => "not submitted",
                };
                format!(
                    " Selected reviewer {} of {}: {}, {what}; {} adopts their wording.",
                    panel.reviewer + 1,
                    data.voters.len(),
                    sanitize(&v.name),
                    keys.key_for(Context::Panel, Command::AdoptWording)
                )
            });
            format!(
                "Panel {id}, {}: every reviewer's rationale, then the panel's.{reviewer} {} goes back to the list.",
                sanitize(&standard.code),
                keys.key_for(Context::Panel, Command::Back)
            )
        }
    }
}
