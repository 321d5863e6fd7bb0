use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::config::EditorKeys;
use crate::domain::{Gap, Outcome};
use crate::store::StandardView;
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::mouse::{Hits, Target};
use crate::tui::screens::review::{Focus, ReviewState, SaveStatus};
use crate::tui::theme::{Theme, outcome_mark, outcome_word};
use crate::tui::views::linear::{is_linear, marker, pane};
use crate::tui::views::scroll_offset;

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let Some(review) = &app.review else { return };
    if is_linear(app) {
        // One pane at a time: the one that has the keys.
        match (review.focus, review.current()) {
            (Focus::Evidence, Some(standard)) => render_detail(app, review, standard, frame, area),
            (Focus::Editor, Some(standard)) => render_judgement(app, review, standard, frame, area),
            _ => render_list(app, review, frame, area, hits),
        }
        return;
    }
    let list_width = (area.width * 38 / 100).clamp(24, 46);
    let [list_area, right] = Layout::horizontal([Constraint::Length(list_width), Constraint::Min(10)]).areas(area);
    render_list(app, review, frame, list_area, hits);
    let Some(standard) = review.current() else {
        frame.render_widget(
            Paragraph::new("This submission has no standards under review.").block(Block::bordered()),
            right,
        );
        return;
    };
    let judgement_height = if right.height >= 20 { 10 } else { (right.height / 2).max(4) };
    let [detail_area, judgement_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(judgement_height)]).areas(right);
    render_detail(app, review, standard, frame, detail_area);
    render_judgement(app, review, standard, frame, judgement_area);
}

fn render_list(app: &App, review: &ReviewState, frame: &mut Frame<'_>, area: Rect, hits: &mut Hits) {
    let theme = &app.theme;
    let linear = is_linear(app);
    let rows = review.order.len() + review.data.sections.len();
    // What each row stands for: a standard's place in the display order, or a heading.
    let mut targets: Vec<Option<usize>> = Vec::with_capacity(rows);
    let mut selected_row = 0;
    let current = review.current().map(|c| c.code.as_str());
    let mut place = 0;
    for section in &review.data.sections {
        targets.push(None);
        for standard in &section.standards {
            if current == Some(standard.code.as_str()) {
                selected_row = targets.len();
            }
            targets.push(Some(place));
            place += 1;
        }
    }
    // Rows of one line each scroll to keep the selection centred, and only the rows in view are
    // laid out (a redraw follows every key); wrapped rows (linear) scroll as the list needs.
    let height = pane(app, "", theme.border).inner(area).height as usize;
    let offset = if linear { 0 } else { scroll_offset(selected_row, height, rows) };
    let in_view = |row: usize| linear || (offset..offset + height).contains(&row);
    let mut items = Vec::with_capacity(rows);
    for section in &review.data.sections {
        let heading = match () {
            _ if !in_view(items.len()) => String::new(),
            _ if linear => sanitize(&section.title).into_owned(),
            _ => crate::text::ellipsize(&sanitize(&section.title), usize::from(area.width.saturating_sub(3)))
                .into_owned(),
        };
        items.push(ListItem::new(Line::from(Span::styled(heading, theme.heading))));
        for standard in &section.standards {
            items.push(match () {
                _ if !in_view(items.len()) => ListItem::new(Line::default()),
                _ if linear => ListItem::new(standard_words(theme, standard, area.width.saturating_sub(2))),
                // Inside the borders, after the selection mark.
                _ => ListItem::new(standard_line(theme, standard, usize::from(area.width.saturating_sub(3)))),
            });
        }
    }
    let judged = review.data.standards().filter(|s| s.judged_by_me && s.gap().is_none()).count();
    let mine = review.data.standards().filter(|s| s.judged_by_me).count();
    let title = if mine > 0 { format!(" Standards {judged}/{mine} ") } else { " Standards ".to_string() };
    let border = if review.focus == Focus::Standards { theme.focus } else { theme.border };
    let block = pane(app, title, border);
    let inner = block.inner(area);
    let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
    let mut state = ListState::default().with_offset(offset).with_selected(Some(selected_row));
    let list =
        List::new(items).highlight_style(theme.selected).highlight_symbol(if linear { "> " } else { "▸" }).block(block);
    frame.render_stateful_widget(list, area, &mut state);
    if linear {
        crate::tui::views::linear::cursor_on_item(frame, inner, &heights, state.offset(), selected_row);
    }
    hits.add_list(inner, &heights, state.offset(), |i| targets.get(i).copied().flatten().map(Target::Standard));
}

/// A standard's row: its mark, flag, code and title, the title cut with an ellipsis to `room`.
fn standard_line<'a>(theme: &Theme, standard: &'a StandardView, room: usize) -> Line<'a> {
    let outcome = standard.mine.as_ref().and_then(|j| j.outcome);
    let (mark, style) =
        if !standard.judged_by_me { ("–", theme.muted) } else { (outcome_mark(outcome), theme.outcome(outcome)) };
    let flag = match standard.gap() {
        Some(Gap::RationaleRequired(_)) => Span::styled("!", theme.alert),
        _ if crate::tui::screens::review::differs(standard) => Span::styled("≠", theme.alert),
        _ => Span::raw(" "),
    };
    let code = sanitize(&standard.code).into_owned();
    let title_room = room.saturating_sub(crate::text::width(&code) + 3);
    let title = crate::text::ellipsize(&sanitize(&standard.title), title_room).into_owned();
    Line::from(vec![
        Span::styled(mark, style),
        flag,
        Span::styled(code, if standard.judged_by_me { theme.title } else { theme.muted }),
        Span::raw(" "),
        Span::styled(title, if standard.judged_by_me { theme.text } else { theme.muted }),
    ])
}

/// A standard in words, for the linear layout: code, title, and its state.
fn standard_words(theme: &Theme, standard: &StandardView, width: u16) -> Text<'static> {
    let outcome = standard.mine.as_ref().and_then(|j| j.outcome);
    let mut state = if standard.judged_by_me { outcome_word(outcome).to_string() } else { "not yours".to_string() };
    if let Some(Gap::RationaleRequired(_)) = standard.gap() {
        state.push_str(", rationale required");
    }
    if crate::tui::screens::review::differs(standard) {
        state.push_str(", differs from another member");
    }
    let style = if standard.judged_by_me { theme.outcome(outcome) } else { theme.muted };
    let text = format!("{} {}: {state}", sanitize(&standard.code), sanitize(&standard.title));
    Text::from(crate::tui::views::linear::wrap_words(&text, width).into_iter().map(Line::from).collect::<Vec<_>>())
        .style(style)
}

fn render_detail(app: &App, review: &ReviewState, standard: &StandardView, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let data = &review.data;
    let section = &data.sections[review.order[review.selected].0];
    let framework = data.frameworks.iter().find(|f| f.id == standard.framework);
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut head = vec![
        Span::styled(sanitize(&standard.code).into_owned(), theme.heading),
        Span::styled(format!(" · {}", sanitize(&section.title)), theme.muted),
    ];
    if framework.is_some_and(|f| !f.official) {
        head.push(Span::styled(" · illustrative, not official", theme.muted));
    }
    lines.push(Line::from(head));
    lines.push(Line::from(Span::styled(sanitize(&standard.title).into_owned(), theme.title)));
    push_block(&mut lines, theme, "Statement", &standard.statement, theme.text);
    if !standard.guidance.trim().is_empty() {
        push_block(&mut lines, theme, "Guidance for reviewers", &standard.guidance, theme.muted);
    }
    match &standard.narrative {
        Some(narrative) => push_block(&mut lines, theme, "Provider's narrative", narrative, theme.text),
        None => {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled("Provider's narrative", theme.heading)));
            lines.push(Line::from(Span::styled("No mapping provided for this standard.", theme.alert)));
        }
    }
    lines.push(Line::default());
    let keys = &app.keymap;
    let evidence_hint = if standard.evidence.is_empty() {
        String::new()
    } else {
        format!(
            "  ({} opens; {} selects)",
            keys.key_for(Context::Review, Command::Open),
            keys.key_for(Context::Review, Command::FocusNext)
        )
    };
    lines.push(Line::from(vec![Span::styled("Evidence", theme.heading), Span::styled(evidence_hint, theme.muted)]));
    if standard.evidence.is_empty() {
        lines.push(Line::from(Span::styled("None cited.", theme.muted)));
    }
    for (i, e) in standard.evidence.iter().enumerate() {
        let title = data
            .documents
            .iter()
            .find(|d| d.id == e.document)
            .map_or("(not in the documents list)", |d| d.title.as_str());
        let chosen = review.focus == Focus::Evidence && i == review.evidence_selected;
        let style = if chosen { theme.selected } else { theme.text };
        let locator = if e.locator.is_empty() { String::new() } else { format!(" — {}", sanitize(&e.locator)) };
        lines.push(Line::from(vec![
            Span::styled(if chosen { marker(app) } else { "  " }, theme.focus),
            Span::styled(format!("{} {}{}", sanitize(&e.document), sanitize(title), locator), style),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Other members' judgements", theme.heading)));
    if !data.others_visible {
        lines.push(Line::from(Span::styled(
            "Hidden until you submit yours: each member judges independently.",
            theme.muted,
        )));
    } else if standard.others.is_empty() {
        lines.push(Line::from(Span::styled("None submitted for this standard.", theme.muted)));
    }
    if data.others_visible {
        for other in &standard.others {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} {}", outcome_mark(other.outcome), outcome_word(other.outcome)),
                    theme.outcome(other.outcome),
                ),
                Span::raw("  "),
                Span::styled(sanitize(&other.name).into_owned(), theme.title),
            ]));
            for text_line in sanitize(&other.rationale).lines() {
                lines.push(Line::from(format!("  {text_line}")));
            }
        }
    }
    if is_linear(app) {
        // My judgement is not beside the details in this layout: it is said here.
        let outcome = review.current_outcome();
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("My judgement", theme.heading)));
        lines.push(Line::from(vec![
            Span::raw("Outcome: "),
            Span::styled(outcome_word(outcome).to_string(), theme.outcome(outcome)),
        ]));
        let rationale = review.rationale();
        if rationale.trim().is_empty() {
            lines.push(Line::from(Span::styled("No rationale.", theme.muted)));
        }
        for text_line in sanitize(&rationale).lines() {
            lines.push(Line::from(text_line.to_string()));
        }
    }
    // The award under review, on every standard (programmes of one name differ by it).
    let award = sanitize(&data.submission.header.award);
    let title = if is_linear(app) {
        lines.insert(0, Line::from(Span::styled(format!("Award: {award}"), theme.muted)));
        "Details".to_string()
    } else if award.is_empty() {
        String::new()
    } else {
        format!(" {award} ")
    };
    let border = if review.focus == Focus::Evidence { theme.focus } else { theme.border };
    let mut block = pane(app, title, border);
    // A pane with more below says so, and how to see it.
    let inner = block.inner(area);
    let rows: usize = lines
        .iter()
        .map(|line| usize::from(crate::tui::views::linear::wrapped_rows(&line.to_string(), inner.width).max(1)))
        .sum();
    if rows > usize::from(review.detail_scroll) + usize::from(inner.height) {
        let down = app.keymap.key_for(Context::Review, Command::ScrollDetailDown);
        block = block.title_bottom(Line::from(Span::styled(format!(" ↓ more: {down} "), theme.muted)).right_aligned());
    }
    let paragraph =
        Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }).scroll((review.detail_scroll, 0)).block(block);
    frame.render_widget(paragraph, area);
}

fn push_block<'a>(lines: &mut Vec<Line<'a>>, theme: &Theme, heading: &'a str, body: &str, style: Style) {
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(heading, theme.heading)));
    for text_line in sanitize(body).lines() {
        lines.push(Line::from(Span::styled(text_line.to_string(), style)));
    }
}

fn render_judgement(app: &App, review: &ReviewState, standard: &StandardView, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let data = &review.data;
    let editing = review.focus == Focus::Editor;
    let border = if editing { theme.focus } else { theme.border };
    let outcome = review.current_outcome();
    let state = if !data.role.votes() {
        format!(" You are the {} here ", data.role.label())
    } else if !standard.judged_by_me {
        " Not one of your standards ".to_string()
    } else if !data.submission.stage.allows_judging() && !data.submitted {
        format!(" Review closed: {} ", data.submission.stage.label())
    } else if data.submitted {
        " My judgement · submitted, read-only ".to_string()
    } else {
        let saved = match &review.editor.autosave.status {
            SaveStatus::Saved if standard.mine.is_some() => "saved",
            SaveStatus::Saved => "not started",
            SaveStatus::Unsaved => "saving…",
            SaveStatus::Failed(_) if review.retries.contains_key(&standard.code) => "NOT SAVED YET · retrying",
            SaveStatus::Failed(_) => "NOT SAVED",
        };
        match (editing, app.editor_keys) {
            (true, EditorKeys::Vim) => format!(" My judgement · draft · {saved} · {} ", review.editor.vim.mode.label()),
            _ => format!(" My judgement · draft · {saved} "),
        }
    };
    let block = pane(app, state, border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !data.role.votes() {
        let text = if data.role == crate::domain::MemberRole::Chair {
            "You chair this panel: the reviewers' submitted judgements are shown above, standard by standard."
        } else {
            "You do not vote on this panel."
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).style(theme.muted), inner);
        return;
    }
    if !standard.judged_by_me {
        frame.render_widget(
            Paragraph::new("Another member judges this standard; you are limited to some standards on this panel.")
                .wrap(Wrap { trim: true })
                .style(theme.muted),
            inner,
        );
        return;
    }
    let mut outcome_line = vec![
        Span::styled("Outcome: ", theme.muted),
        Span::styled(
            format!("{} {}", outcome_mark(outcome), outcome_word(outcome)),
            theme.outcome(outcome).patch(theme.title),
        ),
    ];
    // What matters first: the outcome, then that a rationale is required (on a second row
    // rather than cut); the keys (also in the hint bar) only where they fit whole.
    if let Some(Gap::RationaleRequired(_)) = standard.gap() {
        outcome_line.push(Span::styled("   ! rationale required", theme.alert));
    }
    let used: usize = outcome_line.iter().map(|s| crate::text::width(&s.content)).sum();
    let rows = if used > usize::from(inner.width) { 2 } else { 1 };
    let [outcome_area, rationale_area] = Layout::vertical([Constraint::Length(rows), Constraint::Min(1)]).areas(inner);
    if data.editable() {
        let key = |outcome| app.keymap.key_for(Context::Review, Command::SetOutcome(outcome));
        let keys = format!(
            "   {} met · {} partially met · {} not met",
            key(Outcome::Met),
            key(Outcome::PartiallyMet),
            key(Outcome::NotMet)
        );
        if rows == 1 && used + crate::text::width(&keys) <= usize::from(outcome_area.width) {
            outcome_line.push(Span::styled(keys, theme.muted));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(outcome_line)).wrap(Wrap { trim: true }), outcome_area);
    if editing {
        // The editor's own defaults are coloured (a grey placeholder, a blue selection): style it by
        // meaning, so NO_COLOR and the themes hold in the editor too.
        let mut editor = review.editor.text.clone();
        editor.set_style(theme.text);
        editor.set_placeholder_style(theme.muted);
        editor.set_selection_style(theme.selected);
        editor.set_cursor_style(theme.selected);
        frame.render_widget(&editor, rationale_area);
    } else {
        let text = review.rationale();
        let paragraph = if text.trim().is_empty() {
            let hint = if data.editable() {
                format!(
                    "No rationale yet: press {} to write one ({} opens $EDITOR).",
                    app.keymap.key_for(Context::Review, Command::EditRationale),
                    app.keymap.key_for(Context::Review, Command::EditExternal)
                )
            } else {
                "No rationale.".to_string()
            };
            Paragraph::new(hint).style(theme.muted)
        } else {
            Paragraph::new(sanitize(&text).into_owned())
        };
        frame.render_widget(paragraph.wrap(Wrap { trim: false }), rationale_area);
    }
}

/// The linear layout's sentence: which pane has the keys and what is selected.
pub fn announcement(app: &App) -> String {
    let keys = &app.keymap;
    let Some(review) = &app.review else { return "Review.".into() };
    let id = sanitize(&review.data.submission.id).into_owned();
    let Some(standard) = review.current() else {
        return format!("Review {id}: no standards under review.");
    };
    let code = sanitize(&standard.code).into_owned();
    match review.focus {
        Focus::Standards => {
            let state = if !standard.judged_by_me {
                "not yours".to_string()
            } else {
                let outcome = standard.mine.as_ref().and_then(|j| j.outcome);
                let mut word = outcome_word(outcome).to_string();
                if let Some(crate::domain::Gap::RationaleRequired(_)) = standard.gap() {
                    word.push_str(", rationale required");
                }
                word
            };
            format!(
                "Review {id}, standards list. Selected {} of {}: {code} {}, {state}. {} shows the details.",
                review.selected + 1,
                review.order.len(),
                sanitize(&standard.title),
                keys.key_for(Context::Review, Command::FocusNext)
            )
        }
        Focus::Evidence => format!(
            "Review {id}, details of {code}, {} evidence items. {} returns to the list.",
            standard.evidence.len(),
            keys.key_for(Context::Review, Command::FocusNext)
        ),
        Focus::Editor => {
            let mode = match app.editor_keys {
                EditorKeys::Vim => format!(", {} mode", review.editor.vim.mode.label().to_lowercase()),
                EditorKeys::Emacs => String::new(),
            };
            format!(
                "Editing the rationale of {code}{mode}. {} when done; it is saved as you type.",
                keys.key_for(Context::Editor, Command::LeaveEditor)
            )
        }
    }
}
