//! One standard on the Panel screen: every reviewer's rationale side by side (stacked when
//! narrow, the selected one in full), and the panel's outcome, rationale, notes and records,
//! with the text being typed in place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::Outcome;
use crate::domain::consolidation::needs_resolution_note;
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::screens::panel::view::{line_text, warning};
use crate::tui::screens::panel::{Cell, Field, PanelStandard, PanelState, Voter};
use crate::tui::screens::review::SaveStatus;
use crate::tui::theme::{Theme, outcome_mark};
use crate::tui::views::linear::{is_linear, marker, pane, wrapped_rows};

/// Side by side needs this many columns per reviewer.
const COLUMN_WIDTH: u16 = 30;
/// The column of a member who does not judge the standard: their name and "not theirs".
const NOT_THEIRS_WIDTH: u16 = 16;
/// An unselected reviewer's rationale in the stacked layout: this many rows, then "…".
const STACKED_ROWS: usize = 3;

pub fn render(app: &App, panel: &PanelState, frame: &mut Frame<'_>, area: Rect) {
    let Some(standard) = panel.current() else {
        frame.render_widget(Paragraph::new("No standard is selected."), area);
        return;
    };
    if is_linear(app) {
        render_linear(app, panel, standard, frame, area);
        return;
    }
    // The panel's pane takes what its lines need (half the height while typing), the
    // reviewers the rest; each scrolls if it must.
    let room = area.height.saturating_sub(2 + 5);
    let panel_height = if panel.editing.is_some() {
        (area.height / 2).max(8)
    } else {
        let width = area.width.saturating_sub(2);
        let rows: u16 = panel_lines(app, panel, standard).iter().map(|l| wrapped_rows(&line_text(l), width)).sum();
        (rows + 2).min((area.height / 2).max(8))
    };
    let [head_area, reviewers_area, panel_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(panel_height.min(room).max(4)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head(app, panel, standard, area.width >= 100)), head_area);
    // A member who does not judge this standard gets a narrow column, the others share the rest.
    let n = panel.data.voters.len() as u16;
    let not_theirs = standard.cells.iter().filter(|c| matches!(c, Cell::NotTheirs)).count() as u16;
    let judging = n - not_theirs;
    let room = reviewers_area.width.saturating_sub(not_theirs * NOT_THEIRS_WIDTH);
    if n > 0 && n <= 4 && judging > 0 && room / judging >= COLUMN_WIDTH {
        render_side_by_side(app, panel, standard, frame, reviewers_area);
    } else {
        render_stacked(app, panel, standard, frame, reviewers_area);
    }
    render_panel_pane(app, panel, standard, frame, panel_area);
}

/// The standard, and where the panel stands on it.
fn head(app: &App, panel: &PanelState, standard: &PanelStandard, wide: bool) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let data = &panel.data;
    let outcome = data.consolidation.outcome(&standard.code).map(|o| o.outcome);
    let mut second = vec![
        Span::styled("Reviewers: ", theme.muted),
        Span::raw(standard.agreement.map_or("fewer than two judgements", |a| a.label()).to_string()),
        Span::styled(" · Panel: ", theme.muted),
        Span::styled(
            format!("{} {}", outcome_mark(outcome), outcome.map_or("no outcome yet", Outcome::label)),
            theme.outcome(outcome),
        ),
    ];
    let flags = data.flags(standard);
    if !flags.is_empty() {
        let words: Vec<&str> = flags.iter().map(|f| if wide { f.word() } else { f.short() }).collect();
        second.push(Span::styled(format!(" · ⚑ {}", words.join(", ")), theme.alert));
    }
    if data.leniency(standard).is_some() {
        second.push(Span::styled(" · ⚠ lenient", warning(theme)));
    }
    vec![
        Line::from(vec![
            Span::styled(format!("{} ", sanitize(&standard.code)), theme.heading),
            Span::styled(sanitize(&standard.title).into_owned(), theme.title),
            Span::styled(format!(" · {}", sanitize(&standard.section)), theme.muted),
        ]),
        Line::from(second),
    ]
}

/// A reviewer's outcome in words, or why there is none.
fn judgement_span(theme: &Theme, cell: &Cell) -> Span<'static> {
    match cell {
        Cell::NotTheirs => Span::styled("— not theirs to judge", theme.muted),
        Cell::Awaiting => Span::styled("· not submitted yet", theme.open),
        Cell::Judged { outcome, .. } => Span::styled(
            format!("{} {}", outcome_mark(*outcome), outcome.map_or("no outcome", Outcome::label)),
            theme.outcome(*outcome),
        ),
    }
}

fn rationale_of(cell: &Cell) -> &str {
    match cell {
        Cell::Judged { rationale, .. } => rationale,
        _ => "",
    }
}

fn who(voter: &Voter) -> String {
    match voter.limited_to {
        Some(_) => format!("{} ({})", sanitize(&voter.name), voter.role.label()),
        None => sanitize(&voter.name).into_owned(),
    }
}

fn render_side_by_side(app: &App, panel: &PanelState, standard: &PanelStandard, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let adopt = app.keymap.key_for(Context::Panel, Command::AdoptWording);
    let widths: Vec<Constraint> = standard
        .cells
        .iter()
        .map(|c| if matches!(c, Cell::NotTheirs) { Constraint::Length(NOT_THEIRS_WIDTH) } else { Constraint::Fill(1) })
        .collect();
    let columns = Layout::horizontal(widths).split(area);
    for (i, (voter, cell)) in panel.data.voters.iter().zip(&standard.cells).enumerate() {
        let focused = i == panel.reviewer;
        let title = format!("{}{} ", if focused { "▸ " } else { " " }, who(voter));
        let mut block = pane(app, title, if focused { theme.focus } else { theme.border });
        if focused && matches!(cell, Cell::Judged { .. }) {
            block = block.title_bottom(format!(" {adopt} adopts this wording "));
        }
        let mut lines = vec![Line::from(judgement_span(theme, cell)), Line::default()];
        lines.extend(sanitize(rationale_of(cell)).lines().map(|l| Line::from(l.to_string())));
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((panel.detail_scroll, 0)).block(block),
            columns[i],
        );
    }
}

fn render_stacked(app: &App, panel: &PanelState, standard: &PanelStandard, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let key = |command| app.keymap.key_for(Context::Panel, command);
    let title = format!(
        " Reviewers · {} selects · {} adopts the selected wording ",
        key(Command::NextReviewer),
        key(Command::AdoptWording)
    );
    let block = pane(app, title, theme.focus);
    let room = block.inner(area).width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (i, (voter, cell)) in panel.data.voters.iter().zip(&standard.cells).enumerate() {
        let focused = i == panel.reviewer;
        lines.push(Line::from(vec![
            Span::styled(if focused { marker(app) } else { "  " }, theme.focus),
            Span::styled(who(voter), if focused { theme.selected.patch(theme.title) } else { theme.title }),
            Span::raw("  "),
            judgement_span(theme, cell),
        ]));
        let rationale = sanitize(rationale_of(cell)).into_owned();
        if focused {
            lines.extend(rationale.lines().map(|l| Line::from(l.to_string())));
        } else if !rationale.trim().is_empty() {
            // A few rows of each, so the rationales can be compared without selecting each.
            let text = rationale.replace('\n', " ");
            let rows = crate::tui::views::linear::wrap_words(&text, room.max(1) as u16);
            let shown = rows.len().min(STACKED_ROWS);
            for (k, row) in rows.iter().take(shown).enumerate() {
                let row = if k + 1 == shown && rows.len() > shown {
                    crate::text::ellipsize(&format!("{row} …"), room).into_owned()
                } else {
                    row.clone()
                };
                lines.push(Line::from(Span::styled(format!("  {row}"), theme.muted)));
            }
        }
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((panel.detail_scroll, 0)).block(block),
        area,
    );
}

fn save_word(status: &SaveStatus) -> &'static str {
    match status {
        SaveStatus::Saved => "saved",
        SaveStatus::Unsaved => "saving…",
        SaveStatus::Failed(_) => "NOT SAVED",
    }
}

/// The panel's outcome, texts and records for the standard, in lines.
fn panel_lines(app: &App, panel: &PanelState, standard: &PanelStandard) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let data = &panel.data;
    let key = |command| app.keymap.key_for(Context::Panel, command);
    let Some(outcome) = data.consolidation.outcome(&standard.code) else {
        let outcome_keys = format!(
            "{} met · {} partially met · {} not met",
            key(Command::PanelOutcome(Outcome::Met)),
            key(Command::PanelOutcome(Outcome::PartiallyMet)),
            key(Command::PanelOutcome(Outcome::NotMet))
        );
        return vec![
            Line::from(Span::styled("No panel outcome yet.", theme.alert)),
            Line::from(Span::styled(
                format!(
                    "{outcome_keys}, or {} adopts the selected reviewer's outcome and wording.",
                    key(Command::AdoptWording)
                ),
                theme.muted,
            )),
        ];
    };
    let mut lines = vec![outcome_line(app, panel, standard)];
    // Each text on lines of its own, its label (and key) starting the first.
    let field =
        |lines: &mut Vec<Line<'static>>, label: &str, command: Command, text: &str, said: Option<(String, Style)>| {
            let mut first = vec![Span::styled(format!("{label} ({}): ", key(command)), theme.heading)];
            match said {
                Some((message, style)) => {
                    first.push(Span::styled(message, style));
                    lines.push(Line::from(first));
                }
                None => {
                    let text = sanitize(text).into_owned();
                    let mut rest = text.lines();
                    first.push(Span::raw(rest.next().unwrap_or_default().to_string()));
                    lines.push(Line::from(first));
                    lines.extend(rest.map(|l| Line::from(l.to_string())));
                }
            }
        };
    let said = |text: &str, message: String, style: Style| text.trim().is_empty().then_some((message, style));
    let note = if needs_resolution_note(outcome.outcome, &standard.reviewer_outcomes) {
        (format!("! required: the panel differs from {}", differing(panel, standard, outcome.outcome)), theme.alert)
    } else {
        ("not needed: the panel agrees with every reviewer".to_string(), theme.muted)
    };
    field(
        &mut lines,
        "Resolution note",
        Command::EditResolutionNote,
        &outcome.resolution_note,
        said(&outcome.resolution_note, note.0, note.1),
    );
    let tied = data.records_for(&standard.code);
    let has_condition = tied.iter().any(|(id, _)| id.starts_with('C'));
    if outcome.outcome != Outcome::Met || !outcome.no_condition_reason.trim().is_empty() {
        let message = if has_condition {
            ("not needed: a condition is tied to it".to_string(), theme.muted)
        } else {
            (
                format!(
                    "! {} needs a condition ({}) or this note",
                    outcome.outcome.label(),
                    key(Command::AddCondition)
                ),
                theme.alert,
            )
        };
        field(
            &mut lines,
            "No condition because",
            Command::EditNoConditionNote,
            &outcome.no_condition_reason,
            said(&outcome.no_condition_reason, message.0, message.1),
        );
    }
    if tied.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Records: ", theme.heading),
            Span::styled(
                format!(
                    "no condition, recommendation or commendation for it yet ({} condition · {} recommendation · {} commendation)",
                    key(Command::AddCondition),
                    key(Command::AddRecommendation),
                    key(Command::AddCommendation)
                ),
                theme.muted,
            ),
        ]));
    }
    for (id, text) in tied {
        let kind = super::RecordKind::of_id(&id).word();
        lines.push(Line::from(vec![
            Span::styled(format!("{} ({kind}) ", sanitize(&id)), theme.heading),
            Span::raw(sanitize(&text).replace('\n', " ")),
        ]));
    }
    // In full in the editor.
    let missing_rationale = format!(
        "! none yet: {} writes it, {} adopts the selected reviewer's wording",
        key(Command::EditRationale),
        key(Command::AdoptWording)
    );
    let at = lines.len();
    field(
        &mut lines,
        "Rationale",
        Command::EditRationale,
        &outcome.rationale,
        said(&outcome.rationale, missing_rationale, theme.alert),
    );
    // The rationale goes right under the outcome, so notes that grow never push it out of the
    // pane.
    let rationale: Vec<Line<'static>> = lines.drain(at..).collect();
    lines.splice(1..1, rationale);
    lines
}

/// Who the panel differs from, with their outcomes.
fn differing(panel: &PanelState, standard: &PanelStandard, outcome: Outcome) -> String {
    let names: Vec<String> = panel
        .data
        .voters
        .iter()
        .zip(&standard.cells)
        .filter_map(|(v, cell)| match cell.outcome() {
            Some(o) if o != outcome => Some(format!("{} ({})", sanitize(&v.short), o.label())),
            _ => None,
        })
        .collect();
    if names.is_empty() { "a reviewer".to_string() } else { names.join(", ") }
}

fn outcome_line(app: &App, panel: &PanelState, standard: &PanelStandard) -> Line<'static> {
    let theme = &app.theme;
    let key = |command| app.keymap.key_for(Context::Panel, command);
    let outcome = panel.data.consolidation.outcome(&standard.code).map(|o| o.outcome);
    let mut spans = vec![
        Span::styled("Outcome: ", theme.muted),
        Span::styled(
            format!("{} {}", outcome_mark(outcome), outcome.map_or("none yet", Outcome::label)),
            theme.outcome(outcome).patch(theme.title),
        ),
        Span::styled(
            format!(
                "   {} met · {} partially met · {} not met",
                key(Command::PanelOutcome(Outcome::Met)),
                key(Command::PanelOutcome(Outcome::PartiallyMet)),
                key(Command::PanelOutcome(Outcome::NotMet))
            ),
            theme.muted,
        ),
    ];
    if let Some(severe) = panel.data.leniency(standard) {
        spans.push(Span::styled(
            format!("   ⚠ more lenient than the most severe reviewer ({}): a warning, not a block", severe.label()),
            warning(theme),
        ));
    }
    Line::from(spans)
}

fn render_panel_pane(app: &App, panel: &PanelState, standard: &PanelStandard, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let save = save_word(&panel.editor.autosave.status);
    match &panel.editing {
        Some((_, field)) => {
            let leave = app.keymap.key_for(Context::Editor, Command::LeaveEditor);
            let title = format!(" Panel · editing the {} · {leave} when done · {save} ", field.label());
            let block = pane(app, title, theme.focus);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let mut context = vec![outcome_line(app, panel, standard)];
            if *field == Field::ResolutionNote
                && let Some(outcome) = panel.data.consolidation.outcome(&standard.code)
            {
                context.push(Line::from(Span::styled(
                    format!("Differs from: {}", differing(panel, standard, outcome.outcome)),
                    theme.muted,
                )));
            }
            let rows: u16 = context.iter().map(|l| wrapped_rows(&line_text(l), inner.width)).sum();
            let [context_area, editor_area] =
                Layout::vertical([Constraint::Length(rows.min(inner.height / 2)), Constraint::Min(1)]).areas(inner);
            frame.render_widget(Paragraph::new(context).wrap(Wrap { trim: true }), context_area);
            render_editor(app, panel, frame, editor_area);
        }
        None => {
            let block = pane(app, format!(" Panel · {save} "), theme.border);
            frame.render_widget(
                Paragraph::new(Text::from(panel_lines(app, panel, standard))).wrap(Wrap { trim: false }).block(block),
                area,
            );
        }
    }
}

/// The editor, styled by meaning (its own defaults are coloured).
fn render_editor(app: &App, panel: &PanelState, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let mut editor = panel.editor.text.clone();
    editor.set_style(theme.text);
    editor.set_placeholder_style(theme.muted);
    editor.set_selection_style(theme.selected);
    editor.set_cursor_style(theme.selected);
    frame.render_widget(&editor, area);
}

/// One pane at a time: the editor while typing, else everything in words, top to bottom.
fn render_linear(app: &App, panel: &PanelState, standard: &PanelStandard, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    if let Some((_, field)) = &panel.editing {
        let leave = app.keymap.key_for(Context::Editor, Command::LeaveEditor);
        let block = pane(
            app,
            format!("Editing the {} of {} ({leave} when done)", field.label(), sanitize(&standard.code)),
            theme.focus,
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        render_editor(app, panel, frame, inner);
        return;
    }
    let mut lines = head(app, panel, standard, true);
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Reviewers", theme.heading)));
    for (i, (voter, cell)) in panel.data.voters.iter().zip(&standard.cells).enumerate() {
        let focused = i == panel.reviewer;
        lines.push(Line::from(vec![
            Span::raw(if focused { "> " } else { "" }),
            Span::styled(format!("{}: ", who(voter)), theme.title),
            judgement_span(theme, cell),
        ]));
        lines.extend(sanitize(rationale_of(cell)).lines().map(|l| Line::from(l.to_string())));
    }
    lines.push(Line::default());
    lines
        .push(Line::from(Span::styled(format!("Panel ({})", save_word(&panel.editor.autosave.status)), theme.heading)));
    lines.extend(panel_lines(app, panel, standard));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((panel.detail_scroll, 0)).block(pane(
            app,
            "",
            theme.focus,
        )),
        area,
    );
}
