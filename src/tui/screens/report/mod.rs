//! The Report screen's state: the panel report as Markdown, and what keeps it from being
//! complete.

mod keys;
pub(crate) mod view;

pub use keys::Report;

use ratatui_textarea::TextArea;

use crate::store::ConfirmStatus;

/// The Report screen: the Markdown rendering of the panel report, and what keeps it from
/// being complete.
#[derive(Debug, Clone)]
pub struct ReportPreview {
    pub submission: String,
    pub problems: Vec<String>,
    pub lines: Vec<String>,
    /// The first row shown.
    pub scroll: usize,
    /// The last first row that still fills the window, as the view last drew it (rows depend
    /// on the window's width).
    pub max_scroll: std::cell::Cell<usize>,
    /// What changed since the version last pushed to the hub, if one was.
    pub since_pushed: Option<SincePushed>,
    /// A member reading the pushed version to confirm it (not the chair's preview).
    pub confirming: Option<MemberConfirm>,
}

/// A panel member reading the version the chair pushed, to confirm it is accurate.
#[derive(Debug, Clone)]
pub struct MemberConfirm {
    pub version: i64,
    /// When the chair pushed it (YYYY-MM-DD).
    pub pushed_on: String,
    pub status: ConfirmStatus,
    /// "Name (YYYY-MM-DD)" of each member who confirmed.
    pub confirmed: Vec<String>,
    pub awaiting: Vec<String>,
    /// The comment of a confirmation the hub refused, offered again.
    pub kept_comment: String,
    /// The comment being typed while the confirmation is asked for.
    pub comment: Option<TextArea<'static>>,
}

/// The report's changes since a pushed version: only the added and removed lines.
#[derive(Debug, Clone, PartialEq)]
pub struct SincePushed {
    pub version: i64,
    pub changes: Vec<(crate::report::diff::Change, String)>,
}

impl ReportPreview {
    pub fn new(submission: String, problems: Vec<String>, markdown: &str) -> ReportPreview {
        let lines: Vec<String> = crate::text::sanitize(markdown).lines().map(str::to_string).collect();
        let rows = problems.len() + 2 + lines.len();
        ReportPreview {
            submission,
            problems,
            lines,
            scroll: 0,
            max_scroll: std::cell::Cell::new(rows),
            since_pushed: None,
            confirming: None,
        }
    }

    /// The version the chair pushed, as a member reads it to confirm it.
    pub fn pushed(submission: String, markdown: &str, confirm: MemberConfirm) -> ReportPreview {
        ReportPreview { confirming: Some(confirm), ..ReportPreview::new(submission, Vec::new(), markdown) }
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let max = self.max_scroll.get() as isize;
        self.scroll = (self.scroll as isize + delta).clamp(0, max.max(0)) as usize;
    }

    pub fn to_bottom(&mut self) {
        self.scroll = self.max_scroll.get();
    }
}
