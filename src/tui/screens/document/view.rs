use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::text::sanitize;
use crate::tui::app::App;

pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let Some(doc) = &app.document else { return };
    let theme = &app.theme;
    let linear = crate::tui::views::linear::is_linear(app);
    // Line numbers are a column trick a screen reader reads out on every line: the linear
    // layout says the line in words instead.
    let height = area.height.saturating_sub(if linear { 1 } else { 2 }) as usize;
    let gutter = if linear { 0 } else { doc.lines.len().to_string().len() };
    let lines: Vec<Line<'_>> = doc
        .lines
        .iter()
        .enumerate()
        .skip(doc.scroll)
        .take(height)
        .map(|(i, text)| {
            let number = if linear {
                Span::raw(if doc.mark == Some(i) { "> " } else { "" })
            } else {
                Span::styled(format!("{:>gutter$} ", i + 1), theme.muted)
            };
            let style = if doc.mark == Some(i) {
                theme.highlight
            } else if doc.matches.binary_search(&i).is_ok() {
                theme.title
            } else {
                theme.text
            };
            Line::from(vec![number, Span::styled(text.as_str(), style)])
        })
        .collect();
    let position =
        if doc.lines.is_empty() { "empty".to_string() } else { format!("line {}/{}", doc.scroll + 1, doc.lines.len()) };
    let mut title = format!(" {} · {} · {position} ", sanitize(&doc.info.id), sanitize(&doc.info.title));
    if !doc.locator.is_empty() {
        title.push_str(&format!("· cited at {} ", sanitize(&doc.locator)));
    }
    if let Some(query) = &doc.search {
        title.push_str(&format!("· \"{}\": {} matches ", sanitize(query), doc.matches.len()));
    }
    frame.render_widget(Paragraph::new(lines).block(crate::tui::views::linear::pane(app, title, theme.focus)), area);
}
