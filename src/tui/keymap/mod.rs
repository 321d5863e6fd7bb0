//! Keys as data: every binding has a context, an action name and a description, and the `?`
//! help and the hint bar are generated from the live (configured) table, so they cannot drift
//! from what the keys do. `config.toml` changes the keys of an action per context
//! (`configure`).

mod configure;
mod key;

use ratatui::crossterm::event::KeyCode;

pub use key::{KEY_SYNTAX, Key};

use crate::domain::Outcome;

/// Where a binding applies. `Global` bindings apply wherever a more specific one does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Queue,
    Review,
    Editor,
    Document,
    Finder,
    Confirm,
    Sync,
    Merge,
    Panel,
    Report,
    Prompt,
    Decide,
    Palette,
}

impl Context {
    pub const ALL: [Context; 14] = [
        Context::Global,
        Context::Queue,
        Context::Review,
        Context::Editor,
        Context::Document,
        Context::Finder,
        Context::Confirm,
        Context::Sync,
        Context::Merge,
        Context::Panel,
        Context::Report,
        Context::Prompt,
        Context::Decide,
        Context::Palette,
    ];

    /// The section name in `config.toml` (`[keys.review]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Queue => "queue",
            Context::Review => "review",
            Context::Editor => "editor",
            Context::Document => "document",
            Context::Finder => "finder",
            Context::Confirm => "confirm",
            Context::Sync => "sync",
            Context::Merge => "merge",
            Context::Panel => "panel",
            Context::Report => "report",
            Context::Prompt => "prompt",
            Context::Decide => "decide",
            Context::Palette => "palette",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Contexts that take typed text: keys that type a character cannot be bound there, and
    /// global keys do not apply.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Editor | Context::Finder | Context::Merge | Context::Prompt | Context::Palette)
    }

    /// Whether the global bindings apply here when the context has none for a key.
    pub fn falls_back(self) -> bool {
        !matches!(
            self,
            Context::Editor
                | Context::Finder
                | Context::Confirm
                | Context::Merge
                | Context::Prompt
                | Context::Decide
                | Context::Palette
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Queue => "Queue",
            Context::Review => "Review",
            Context::Editor => "Rationale editor",
            Context::Document => "Document",
            Context::Finder => "Find",
            Context::Confirm => "Confirmation",
            Context::Sync => "Sync",
            Context::Merge => "Merging a conflict",
            Context::Panel => "Panel (chair)",
            Context::Report => "Report preview",
            Context::Prompt => "Typing a line",
            Context::Decide => "Choosing the decision",
            Context::Palette => "Command palette",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    Help,
    Find,
    SetOutcome(Outcome),
    ClearOutcome,
    EditRationale,
    EditExternal,
    NextGap,
    PreviousGap,
    /// After submitting: the next standard where my outcome differs from another member's.
    NextDifference,
    PreviousDifference,
    Submit,
    FocusNext,
    ScrollDetailDown,
    ScrollDetailUp,
    Search,
    NextMatch,
    PreviousMatch,
    Confirm,
    Cancel,
    LeaveEditor,
    SyncNow,
    OpenSync,
    /// The `:` command palette.
    OpenPalette,
    KeepMine,
    TakeTheirs,
    EditMerge,
    ApplyMerge,
    /// The panel's outcome for the selected standard.
    PanelOutcome(Outcome),
    EditResolutionNote,
    EditNoConditionNote,
    AdoptWording,
    NextReviewer,
    PreviousReviewer,
    SortSplitsFirst,
    FilterNeedsMe,
    OpenReview,
    AddRecommendation,
    AddCommendation,
    AddCondition,
    Decide,
    OpenReport,
    PushReport,
    /// Panel: every unanimous standard the reviewers' shared outcome settles, in one step.
    SettleUnanimous,
    /// Panel: takes back the last change to the consolidation.
    Undo,
    /// Panel: the records pane takes the keys.
    FocusRecords,
    RemoveRecord,
    /// A form: the previous field.
    FocusPrevious,
    /// Document: long lines wrap, or stay whole and scroll sideways.
    ToggleWrap,
    ScrollLeft,
    ScrollRight,
    GoToPage,
    /// Document: the original file (PDF, Word, Excel) in the system's viewer.
    OpenOriginal,
    /// Report: a panel member confirms the version the chair pushed is accurate.
    ConfirmReport,
}

impl Command {
    /// The action's name in `config.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Command::Up => "up",
            Command::Down => "down",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::Open => "open",
            Command::Back => "back",
            Command::NextDifference => "next_difference",
            Command::PreviousDifference => "previous_difference",
            Command::Quit => "quit",
            Command::Help => "help",
            Command::Find => "find",
            Command::SetOutcome(Outcome::Met) => "judge_met",
            Command::SetOutcome(Outcome::PartiallyMet) => "judge_partially_met",
            Command::SetOutcome(Outcome::NotMet) => "judge_not_met",
            Command::ClearOutcome => "clear_outcome",
            Command::EditRationale => "edit_rationale",
            Command::EditExternal => "edit_external",
            Command::NextGap => "next_gap",
            Command::PreviousGap => "previous_gap",
            Command::Submit => "submit",
            Command::FocusNext => "focus_next",
            Command::ScrollDetailDown => "scroll_detail_down",
            Command::ScrollDetailUp => "scroll_detail_up",
            Command::Search => "search",
            Command::NextMatch => "next_match",
            Command::PreviousMatch => "previous_match",
            Command::Confirm => "confirm",
            Command::Cancel => "cancel",
            Command::LeaveEditor => "leave_editor",
            Command::SyncNow => "sync_now",
            Command::OpenSync => "open_sync",
            Command::OpenPalette => "command_palette",
            Command::KeepMine => "keep_mine",
            Command::TakeTheirs => "take_theirs",
            Command::EditMerge => "edit_merge",
            Command::ApplyMerge => "apply_merge",
            Command::PanelOutcome(Outcome::Met) => "outcome_met",
            Command::PanelOutcome(Outcome::PartiallyMet) => "outcome_partially_met",
            Command::PanelOutcome(Outcome::NotMet) => "outcome_not_met",
            Command::EditResolutionNote => "edit_resolution_note",
            Command::EditNoConditionNote => "edit_no_condition_note",
            Command::AdoptWording => "adopt_wording",
            Command::NextReviewer => "next_reviewer",
            Command::PreviousReviewer => "previous_reviewer",
            Command::SortSplitsFirst => "sort_splits_first",
            Command::FilterNeedsMe => "filter_needs_me",
            Command::OpenReview => "open_review",
            Command::AddRecommendation => "add_recommendation",
            Command::AddCommendation => "add_commendation",
            Command::AddCondition => "add_condition",
            Command::Decide => "decide",
            Command::OpenReport => "open_report",
            Command::PushReport => "push_report",
            Command::SettleUnanimous => "settle_unanimous",
            Command::Undo => "undo",
            Command::FocusRecords => "focus_records",
            Command::RemoveRecord => "remove_record",
            Command::FocusPrevious => "focus_previous",
            Command::ToggleWrap => "toggle_wrap",
            Command::ScrollLeft => "scroll_left",
            Command::ScrollRight => "scroll_right",
            Command::GoToPage => "go_to_page",
            Command::OpenOriginal => "open_original",
            Command::ConfirmReport => "confirm_report",
        }
    }

    /// Actions that cannot be undone: never a single unmodified key.
    pub fn is_irreversible(self) -> bool {
        matches!(self, Command::Submit | Command::PushReport)
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub command: Command,
    pub description: &'static str,
    /// Shown in the bottom hint bar.
    pub hint: bool,
    /// The config line that set these keys; `None` for the built-in ones.
    pub line: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Command::*;
        use Context::*;
        use KeyCode as K;
        let b = |context, keys: &[Key], command, description, hint| Binding {
            context,
            keys: keys.to_vec(),
            command,
            description,
            hint,
            line: None,
        };
        let p = Key::plain;
        let c = Key::char;
        Keymap {
            bindings: vec![
                b(Global, &[c('j'), p(K::Down)], Down, "move down", false),
                b(Global, &[c('k'), p(K::Up)], Up, "move up", false),
                b(Global, &[p(K::PageDown), Key::ctrl('d')], PageDown, "page down", false),
                b(Global, &[p(K::PageUp), Key::ctrl('u')], PageUp, "page up", false),
                b(Global, &[c('g'), p(K::Home)], Top, "go to the top", false),
                b(Global, &[c('G'), p(K::End)], Bottom, "go to the bottom", false),
                b(Global, &[c('/')], Find, "find standards, submissions and evidence", true),
                b(Global, &[c('?')], Help, "show every key", true),
                b(Global, &[c('s')], SyncNow, "sync with the hub now", true),
                b(Global, &[c('y')], OpenSync, "sync status: outbox, conflicts, log", false),
                b(Global, &[c(':')], OpenPalette, "command palette: every action by name", false),
                b(Global, &[c('q'), Key::ctrl('c')], Quit, "quit (everything is already saved)", true),
                b(
                    Queue,
                    &[p(K::Enter), c('l')],
                    Open,
                    "open the submission (its Panel screen when you chair it)",
                    true,
                ),
                b(Review, &[c('1')], SetOutcome(Outcome::Met), "judge: met", true),
                b(Review, &[c('2')], SetOutcome(Outcome::PartiallyMet), "judge: partially met", true),
                b(Review, &[c('3')], SetOutcome(Outcome::NotMet), "judge: not met", true),
                b(Review, &[c('0')], ClearOutcome, "clear the outcome", false),
                b(Review, &[c('e')], EditRationale, "write the rationale here", true),
                b(Review, &[c('E')], EditExternal, "write the rationale in $EDITOR", false),
                b(Review, &[c(']')], NextGap, "next gap (no outcome, or rationale missing)", true),
                b(Review, &[c('[')], PreviousGap, "previous gap", false),
                b(Review, &[c('d')], NextDifference, "next standard where I differ from another member", true),
                b(Review, &[c('D')], PreviousDifference, "previous standard where I differ", false),
                b(Review, &[p(K::Tab)], FocusNext, "switch between standards and evidence", false),
                b(Review, &[p(K::Enter)], Open, "open the selected evidence", false),
                b(Review, &[Key::ctrl('n'), c('J')], ScrollDetailDown, "scroll the detail down", false),
                b(Review, &[Key::ctrl('p'), c('K')], ScrollDetailUp, "scroll the detail up", false),
                b(Review, &[c('S')], Submit, "submit my judgements (asks first)", true),
                b(Review, &[p(K::Esc), c('h')], Back, "back to the queue", true),
                b(Editor, &[p(K::Esc)], LeaveEditor, "stop editing (saved as you type)", true),
                b(Editor, &[p(K::F(1))], Help, "show every key, the editor's too", true),
                b(Document, &[c('/')], Search, "search in the document", true),
                b(Document, &[c('n')], NextMatch, "next match", true),
                b(Document, &[c('N')], PreviousMatch, "previous match", false),
                b(Document, &[c('p')], GoToPage, "page to go to (as cited)", true),
                b(Document, &[c('w')], ToggleWrap, "wrap long lines, or keep them whole (tables)", true),
                b(Document, &[p(K::Left)], ScrollLeft, "scroll left (lines kept whole)", false),
                b(Document, &[p(K::Right)], ScrollRight, "scroll right (lines kept whole)", false),
                b(Document, &[c('o')], OpenOriginal, "original file, opened at this page in its viewer", true),
                b(Document, &[p(K::Esc), c('h'), c('q')], Back, "back to the review", true),
                b(Sync, &[c('m')], KeepMine, "conflict: keep my text", true),
                b(Sync, &[c('t')], TakeTheirs, "conflict: take the hub's text", true),
                b(Sync, &[c('e')], EditMerge, "conflict: edit a merge of both", true),
                b(Sync, &[p(K::Esc), c('h')], Back, "back", true),
                b(Merge, &[p(K::Esc)], ApplyMerge, "send the merged text", true),
                b(Merge, &[Key::ctrl('x')], Cancel, "cancel the merge", true),
                b(Panel, &[p(K::Enter)], Open, "open the standard: every reviewer's rationale side by side", true),
                b(Panel, &[c('1')], PanelOutcome(Outcome::Met), "panel outcome: met", false),
                b(Panel, &[c('2')], PanelOutcome(Outcome::PartiallyMet), "panel outcome: partially met", false),
                b(Panel, &[c('3')], PanelOutcome(Outcome::NotMet), "panel outcome: not met", false),
                b(Panel, &[c('e')], EditRationale, "write the panel's rationale", true),
                b(
                    Panel,
                    &[c('a')],
                    AdoptWording,
                    "adopt the selected reviewer's wording to start the panel rationale",
                    true,
                ),
                b(Panel, &[p(K::Tab), p(K::Right)], NextReviewer, "select the next reviewer", false),
                b(Panel, &[p(K::BackTab), p(K::Left)], PreviousReviewer, "select the previous reviewer", false),
                b(
                    Panel,
                    &[c('n')],
                    EditResolutionNote,
                    "resolution note: why the panel differs from a reviewer",
                    false,
                ),
                b(
                    Panel,
                    &[c('b')],
                    EditNoConditionNote,
                    "no condition because: why a partially or not met standard has none",
                    false,
                ),
                b(
                    Panel,
                    &[c('A')],
                    SettleUnanimous,
                    "settle all unanimous: the reviewers' shared outcome where nothing else is needed (asks first)",
                    true,
                ),
                b(Panel, &[c('u'), Key::ctrl('u')], Undo, "undo the last change to the consolidation", false),
                b(Panel, &[c('0')], ClearOutcome, "clear the panel's outcome (the standard is open again)", false),
                b(
                    Panel,
                    &[c('R')],
                    FocusRecords,
                    "records: the conditions, recommendations and commendations, to edit (e) or remove (x)",
                    false,
                ),
                b(
                    Panel,
                    &[c('x')],
                    RemoveRecord,
                    "remove the selected record (withdrawn once a report was pushed)",
                    false,
                ),
                b(Panel, &[c('f')], FilterNeedsMe, "filter: only the standards that need me (toggle)", true),
                b(Panel, &[c('o')], SortSplitsFirst, "sort splits and what needs me to the top (toggle)", true),
                b(Panel, &[c(']')], NextGap, "next standard that needs me", false),
                b(Panel, &[c('[')], PreviousGap, "previous standard that needs me", false),
                b(Panel, &[c('C')], AddCondition, "add a condition for this standard", false),
                b(Panel, &[c('r')], AddRecommendation, "add a recommendation for this standard", false),
                b(Panel, &[c('c')], AddCommendation, "add a commendation for this standard", false),
                b(Panel, &[c('d')], Command::Decide, "decide: record the panel's decision", true),
                b(Panel, &[c('p')], OpenReport, "preview the report and what keeps it from being complete", true),
                b(Panel, &[c('v')], OpenReview, "view the narrative and evidence (the Review screen)", false),
                b(Panel, &[Key::ctrl('n'), c('J')], ScrollDetailDown, "scroll the rationales down", false),
                b(Panel, &[Key::ctrl('p'), c('K')], ScrollDetailUp, "scroll the rationales up", false),
                b(Panel, &[p(K::Esc), c('h')], Back, "back (to the grid, then to the queue)", true),
                b(
                    Queue,
                    &[c('r')],
                    OpenReport,
                    "read the panel report: the version the chair pushed, to confirm it (or, chairing, the preview)",
                    true,
                ),
                b(Report, &[c('P')], PushReport, "push the report to the hub (asks first)", true),
                b(Report, &[c('c')], ConfirmReport, "confirm the report is accurate (a comment if you like)", true),
                b(Report, &[p(K::Esc), c('h')], Back, "back (to the panel, or the queue)", true),
                b(Prompt, &[p(K::Enter)], Command::Confirm, "save", true),
                b(Prompt, &[p(K::Tab)], FocusNext, "next field of a form", true),
                b(Prompt, &[p(K::BackTab)], FocusPrevious, "previous field of a form", false),
                b(Prompt, &[p(K::Esc)], Cancel, "cancel", true),
                b(Context::Decide, &[p(K::Enter)], Open, "record the selected decision", true),
                b(Context::Decide, &[c('j'), p(K::Down)], Down, "next decision", false),
                b(Context::Decide, &[c('k'), p(K::Up)], Up, "previous decision", false),
                b(Context::Decide, &[p(K::Esc)], Cancel, "cancel", true),
                b(Palette, &[p(K::Enter)], Open, "run the selected action", true),
                b(Palette, &[p(K::Down), Key::ctrl('n')], Down, "next action", false),
                b(Palette, &[p(K::Up), Key::ctrl('p')], Up, "previous action", false),
                b(Palette, &[p(K::Esc)], Cancel, "close", true),
                b(Finder, &[p(K::Enter)], Open, "go to the selected item", true),
                b(Finder, &[p(K::Down), Key::ctrl('n')], Down, "next result", false),
                b(Finder, &[p(K::Up), Key::ctrl('p')], Up, "previous result", false),
                b(Finder, &[p(K::Esc)], Cancel, "close", true),
                b(Context::Confirm, &[c('y')], Command::Confirm, "yes, go ahead", true),
                b(Context::Confirm, &[p(K::Enter)], Open, "go to the selected gap", false),
                b(Context::Confirm, &[c('n'), p(K::Esc)], Cancel, "cancel", true),
                b(Context::Confirm, &[c('j'), p(K::Down)], Down, "next gap", false),
                b(Context::Confirm, &[c('k'), p(K::Up)], Up, "previous gap", false),
            ],
        }
    }
}

impl Keymap {
    /// The command `key` runs in `context`, falling back to the global bindings (except in
    /// contexts that take text, where unbound keys are typed).
    pub fn lookup(&self, context: Context, key: Key) -> Option<Command> {
        let find =
            |ctx: Context| self.bindings.iter().find(|b| b.context == ctx && b.keys.contains(&key)).map(|b| b.command);
        find(context).or_else(|| if context.falls_back() { find(Context::Global) } else { None })
    }

    /// The bindings shown for `context`, its own first.
    pub fn help(&self, context: Context) -> Vec<&Binding> {
        let own = self.bindings.iter().filter(|b| b.context == context);
        let global = self.bindings.iter().filter(|b| b.context == Context::Global);
        if context.falls_back() { own.chain(global).collect() } else { own.collect() }
    }

    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        self.hints_where(context, |_| true)
    }

    /// The hint bar of `context` for the commands `applies` keeps (those that do something
    /// now). A global key the context binds to something else is not shown as global: on the
    /// Document screen `q` goes back and `/` searches the document, so neither is hinted twice.
    pub fn hints_where(&self, context: Context, applies: impl Fn(Command) -> bool) -> Vec<(String, &'static str)> {
        let shadowed = |key: &Key| self.bindings.iter().any(|b| b.context == context && b.keys.contains(key));
        self.help(context)
            .into_iter()
            .filter(|b| b.hint && applies(b.command))
            .filter_map(|b| {
                let key = if b.context == context { b.keys.first() } else { b.keys.iter().find(|k| !shadowed(k)) };
                key.map(|k| (k.to_string(), short(b.description)))
            })
            .collect()
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The keys that run `command` in `context` (its own binding, else the global one).
    pub fn keys_for(&self, context: Context, command: Command) -> &[Key] {
        let find = |ctx: Context| self.bindings.iter().find(|b| b.context == ctx && b.command == command);
        find(context)
            .filter(|b| !b.keys.is_empty())
            .or_else(|| find(Context::Global).filter(|_| context.falls_back()))
            .map_or(&[], |b| b.keys.as_slice())
    }

    /// The first key of `command` in `context`, as help shows it ("(no key)" when unbound).
    pub fn key_for(&self, context: Context, command: Command) -> String {
        self.keys_for(context, command).first().map_or_else(|| "(no key)".to_string(), ToString::to_string)
    }

    /// Every key of `command` in `context`, as help shows them ("n / Esc").
    pub fn all_keys_for(&self, context: Context, command: Command) -> String {
        let keys: Vec<String> = self.keys_for(context, command).iter().map(ToString::to_string).collect();
        if keys.is_empty() { "(no key)".to_string() } else { keys.join(" / ") }
    }

    /// Keys bound twice in one context.
    pub fn conflicts(&self) -> Vec<(Context, Key)> {
        let mut seen = std::collections::HashSet::new();
        let mut conflicts = Vec::new();
        for b in &self.bindings {
            for key in &b.keys {
                if !seen.insert((b.context, *key)) {
                    conflicts.push((b.context, *key));
                }
            }
        }
        conflicts
    }
}

/// The first words of a description, for the hint bar.
fn short(description: &'static str) -> &'static str {
    description.split([' ', '(', ',']).next().filter(|w| !w.is_empty()).map_or(description, |first| match first {
        "judge:" => description.trim_start_matches("judge: "),
        "write" => "rationale",
        "show" => "help",
        "back" => "back",
        "stop" => "done",
        "conflict:" => description.trim_start_matches("conflict: "),
        "filter:" => "needs me",
        "decide:" => "decide",
        "preview" | "read" => "report",
        "next" if description.contains("differ") => "where I differ",
        _ => first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_keymap_has_no_conflicts() {
        assert_eq!(Keymap::default().conflicts(), vec![]);
    }

    #[test]
    fn context_bindings_win_over_global_ones() {
        let keymap = Keymap::default();
        assert_eq!(keymap.lookup(Context::Document, Key::char('/')), Some(Command::Search));
        assert_eq!(keymap.lookup(Context::Review, Key::char('/')), Some(Command::Find));
        assert_eq!(keymap.lookup(Context::Review, Key::char('2')), Some(Command::SetOutcome(Outcome::PartiallyMet)));
    }

    #[test]
    fn a_global_key_the_context_binds_otherwise_is_not_hinted_twice() {
        let keymap = Keymap::default();
        let hints = keymap.hints(Context::Document);
        let slashes = hints.iter().filter(|(key, _)| key == "/").count();
        assert_eq!(slashes, 1, "one `/`, the document's search: {hints:?}");
        assert!(!hints.iter().any(|(key, what)| key == "q" && *what == "quit"), "q goes back here: {hints:?}");
    }

    #[test]
    fn text_contexts_do_not_fall_back_to_global_keys() {
        let keymap = Keymap::default();
        assert_eq!(keymap.lookup(Context::Editor, Key::char('q')), None);
        assert_eq!(keymap.lookup(Context::Finder, Key::char('j')), None);
    }

    #[test]
    fn irreversible_actions_are_never_one_unmodified_lower_case_key() {
        let keymap = Keymap::default();
        for b in keymap.bindings().iter().filter(|b| b.command.is_irreversible()) {
            for key in &b.keys {
                let unmodified_lower =
                    key.modifiers.is_empty() && matches!(key.code, KeyCode::Char(c) if !c.is_uppercase());
                assert!(!unmodified_lower, "{key} submits with one key");
                assert!(!key.is_unmodified(), "{key} submits with one key");
            }
        }
    }

    #[test]
    fn every_action_has_one_name_per_context() {
        let keymap = Keymap::default();
        for context in Context::ALL {
            let mut names: Vec<&str> =
                keymap.bindings().iter().filter(|b| b.context == context).map(|b| b.command.name()).collect();
            let count = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), count, "an action is listed twice in {}", context.name());
        }
    }

    #[test]
    fn keys_for_falls_back_to_global_keys_where_global_keys_apply() {
        let keymap = Keymap::default();
        assert_eq!(keymap.key_for(Context::Review, Command::Submit), "S");
        assert_eq!(keymap.key_for(Context::Review, Command::Help), "?");
        assert_eq!(keymap.all_keys_for(Context::Confirm, Command::Cancel), "n / Esc");
        assert_eq!(keymap.key_for(Context::Finder, Command::Help), "(no key)");
    }
}
