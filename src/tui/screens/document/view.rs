//! The evidence viewer: a status line (the page you are on, as printed and as the file's page,
//! matches "3 of 9", wrapping), then the text, wrapped or kept whole and scrolled sideways.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::DocumentState;
use crate::text::{from_column, sanitize, width, wrap_columns};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::views::linear::{is_linear, pane};

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let Some(doc) = &app.document else { return };
    let theme = &app.theme;
    let linear = is_linear(app);
    let mut title = format!(" {} · {} ", sanitize(&doc.info.id), sanitize(&doc.info.title));
    if !doc.locator.is_empty() {
        let how = if doc.cited { "cited at" } else { "found on" };
        title.push_str(&format!("· {how} {} ", sanitize(&doc.locator)));
    }
    let block = pane(app, title, theme.focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [status, text] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(Line::styled(status_line(doc), theme.muted)), status);

    // Line numbers are a column trick a screen reader reads out on every line: the linear
    // layout says the line in words instead.
    let gutter = if linear { 0 } else { doc.lines.len().to_string().len() + 1 };
    let room = usize::from(text.width).saturating_sub(gutter).max(1);
    let height = usize::from(text.height);
    let mut rows: Vec<Line<'_>> = Vec::with_capacity(height);
    for (i, line) in doc.lines.iter().enumerate().skip(doc.scroll) {
        if rows.len() >= height {
            break;
        }
        let style = if doc.mark == Some(i) {
            theme.highlight
        } else if doc.matches.binary_search(&i).is_ok() {
            theme.title
        } else {
            theme.text
        };
        let pieces = if doc.wrap { wrap_columns(line, room) } else { vec![from_column(line, doc.column)] };
        for (n, piece) in pieces.into_iter().enumerate() {
            let number = match (linear, n) {
                (true, 0) if doc.mark == Some(i) => "> ".to_string(),
                (true, _) => String::new(),
                (false, 0) => format!("{:>w$} ", i + 1, w = gutter - 1),
                (false, _) => " ".repeat(gutter),
            };
            let mut spans = vec![Span::styled(number, theme.muted)];
            spans.extend(highlighted(piece, doc.search.as_deref(), style, theme));
            rows.push(Line::from(spans));
        }
    }
    rows.truncate(height);
    frame.render_widget(Paragraph::new(rows), text);
}

/// The page, its place among the pages, the line, the matches and how lines are shown.
fn status_line(doc: &DocumentState) -> String {
    let mut parts = Vec::new();
    if let Some((i, page)) = doc.page_at_scroll() {
        parts.push(format!("{} · page {} of {}", page.label(), i + 1, doc.pages.len()));
    }
    parts.push(if doc.lines.is_empty() {
        "empty".to_string()
    } else {
        format!("line {} of {}", doc.scroll + 1, doc.lines.len())
    });
    if let Some(count) = doc.match_count() {
        parts.push(count);
    }
    parts.push(if doc.wrap { "wrapped".to_string() } else { format!("whole lines from column {}", doc.column + 1) });
    format!(" {}", parts.join(" · "))
}

/// `text` with each case-insensitive occurrence of `query` picked out.
fn highlighted<'a>(text: &'a str, query: Option<&str>, style: Style, theme: &Theme) -> Vec<Span<'a>> {
    let lower = text.to_lowercase();
    let Some(needle) = query.map(str::to_lowercase).filter(|q| !q.is_empty()) else {
        return vec![Span::styled(text, style)];
    };
    // Lower-casing can change byte lengths (rare letters): then the whole line stands out.
    if lower.len() != text.len() {
        return vec![Span::styled(text, style)];
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, _) in lower.match_indices(&needle) {
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(start + needle.len()) {
            continue;
        }
        spans.push(Span::styled(&text[at..start], style));
        spans.push(Span::styled(&text[start..start + needle.len()], theme.focus.patch(theme.highlight)));
        at = start + needle.len();
    }
    spans.push(Span::styled(&text[at..], style));
    spans.retain(|s| width(&s.content) > 0);
    spans
}

/// The linear layout's sentence: the document, the page and line, the matches.
pub fn announcement(app: &App) -> String {
    let Some(doc) = &app.document else { return "Document.".into() };
    let page = doc
        .page_at_scroll()
        .map(|(i, page)| format!(", {}, page {} of {}", page.label(), i + 1, doc.pages.len()))
        .unwrap_or_default();
    let matches = doc.match_count().map(|c| format!(", {c}")).unwrap_or_default();
    format!(
        "Document {} of {}{page}, line {} of {}{matches}.",
        sanitize(&doc.info.id),
        sanitize(&doc.submission),
        (doc.scroll + 1).min(doc.lines.len().max(1)),
        doc.lines.len()
    )
}
