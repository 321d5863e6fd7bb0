use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::domain::JudgementState;
use crate::store::Conflict;
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::theme::{Theme, outcome_mark, outcome_word};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let theme = &app.theme;
    let Some(view) = &app.sync_view else {
        frame.render_widget(Paragraph::new("Loading…").block(Block::bordered().title(" Sync ")), area);
        return;
    };
    let conflict_rows = if view.conflicts.is_empty() { 1 } else { view.conflicts.len().min(6) as u16 };
    let [conflicts_area, detail_area, outbox_area, log_area] = Layout::vertical([
        Constraint::Length(conflict_rows + 2),
        Constraint::Min(if view.conflicts.is_empty() { 0 } else { 6 }),
        Constraint::Length((view.outbox.len().clamp(1, 6) + 2) as u16),
        Constraint::Length((view.log.len().clamp(1, 6) + 2) as u16),
    ])
    .areas(area);

    let title = format!(" Conflicts to settle: {} ", view.conflicts.len());
    if view.conflicts.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("None: every change the hub answered was applied.", theme.muted))
                .block(Block::bordered().title(title)),
            conflicts_area,
        );
    } else {
        let items: Vec<ListItem<'_>> = view
            .conflicts
            .iter()
            .map(|c| {
                let what = if c.kind == "rejected" { "refused by the hub" } else { "changed elsewhere first" };
                ListItem::new(Line::from(vec![
                    Span::styled("≠ ", theme.alert),
                    Span::styled(format!("{} {}", sanitize(&c.submission), sanitize(&c.standard)), theme.title),
                    Span::styled(format!("  {what}"), theme.muted),
                ]))
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(view.selected));
        frame.render_stateful_widget(
            List::new(items)
                .highlight_style(theme.selected)
                .highlight_symbol("▸")
                .block(Block::bordered().title(title).border_style(theme.alert)),
            conflicts_area,
            &mut state,
        );
        if let Some(conflict) = view.selected_conflict() {
            match &view.merge {
                Some(merge) => {
                    let block = Block::bordered()
                        .title(" Merge: edit into one text · Esc sends it · Ctrl-x cancels ")
                        .border_style(theme.focus);
                    let inner = block.inner(detail_area);
                    frame.render_widget(block, detail_area);
                    frame.render_widget(&merge.text, inner);
                }
                None => render_conflict(theme, conflict, frame, detail_area),
            }
        }
    }

    let items: Vec<ListItem<'_>> = if view.outbox.is_empty() {
        vec![ListItem::new(Span::styled("Nothing: the hub has every change made here.", theme.muted))]
    } else {
        view.outbox
            .iter()
            .map(|o| {
                let state = if o.state == JudgementState::Submitted { "submitted" } else { "draft" };
                let sending = if o.sent { "sent, awaiting the hub's answer" } else { "waiting" };
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{} {}  ", sanitize(&o.submission), sanitize(&o.standard)), theme.title),
                    Span::styled(
                        format!("{} {}", outcome_mark(o.outcome), outcome_word(o.outcome)),
                        theme.outcome(o.outcome),
                    ),
                    Span::styled(format!(" · {state} · {sending}"), theme.muted),
                ]))
            })
            .collect()
    };
    frame.render_widget(
        List::new(items).block(Block::bordered().title(format!(" Waiting to be sent: {} ", view.outbox.len()))),
        outbox_area,
    );

    let items: Vec<ListItem<'_>> = if view.log.is_empty() {
        vec![ListItem::new(Span::styled("No sync yet.", theme.muted))]
    } else {
        view.log
            .iter()
            .map(|(at, level, message)| {
                let style = if level == "error" { theme.alert } else { theme.text };
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{} ", at.get(..19).unwrap_or(at)), theme.muted),
                    Span::styled(sanitize(message).into_owned(), style),
                ]))
            })
            .collect()
    };
    frame.render_widget(List::new(items).block(Block::bordered().title(" Recent syncs ")), log_area);
}

fn render_conflict(theme: &Theme, conflict: &Conflict, frame: &mut Frame<'_>, area: Rect) {
    let mine = Text::from(
        std::iter::once(Line::from(Span::styled(
            format!("{} {}", outcome_mark(conflict.mine.outcome), outcome_word(conflict.mine.outcome)),
            theme.outcome(conflict.mine.outcome),
        )))
        .chain(sanitize(&conflict.mine.rationale).lines().map(|l| Line::from(l.to_string())))
        .collect::<Vec<_>>(),
    );
    let theirs = match &conflict.theirs {
        Some(t) => Text::from(
            std::iter::once(Line::from(Span::styled(
                format!("{} {} · rev {}", outcome_mark(t.outcome), outcome_word(t.outcome), t.rev),
                theme.outcome(t.outcome),
            )))
            .chain(sanitize(&t.rationale).lines().map(|l| Line::from(l.to_string())))
            .collect::<Vec<_>>(),
        ),
        None => Text::from(Span::styled("The hub holds nothing you may see for this standard.", theme.muted)),
    };
    let reason = conflict.reason.as_deref().map(|r| format!(" ({})", sanitize(r))).unwrap_or_default();
    let halves = if area.width >= 100 {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).split(area)
    } else {
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).split(area)
    };
    frame.render_widget(
        Paragraph::new(mine)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" Mine{reason} · m keeps it "))),
        halves[0],
    );
    frame.render_widget(
        Paragraph::new(theirs)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" The hub's · t takes it · e merges ")),
        halves[1],
    );
}
