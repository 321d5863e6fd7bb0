//! Keys as data: every binding has a context and a description, and the `?` help and the hint
//! bar are generated from this table, so they cannot drift from what the keys do.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
}

impl Context {
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
    KeepMine,
    TakeTheirs,
    EditMerge,
    ApplyMerge,
}

/// A key with its modifiers, normalised so `S` and `Shift-s` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, modifiers: KeyModifiers::NONE }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL }
    }

    pub fn from_event(event: KeyEvent) -> Key {
        let mut modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            // The character already carries the shift.
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if modifiers.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            other => write!(f, "{other:?}"),
        }
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
                b(Global, &[c('q'), Key::ctrl('c')], Quit, "quit (everything is already saved)", true),
                b(Queue, &[p(K::Enter), c('l')], Open, "open the submission", true),
                b(Review, &[c('1')], SetOutcome(Outcome::Met), "judge: met", true),
                b(Review, &[c('2')], SetOutcome(Outcome::PartiallyMet), "judge: partially met", true),
                b(Review, &[c('3')], SetOutcome(Outcome::NotMet), "judge: not met", true),
                b(Review, &[c('0')], ClearOutcome, "clear the outcome", false),
                b(Review, &[c('e')], EditRationale, "write the rationale here", true),
                b(Review, &[c('E')], EditExternal, "write the rationale in $EDITOR", false),
                b(Review, &[c(']')], NextGap, "next gap (no outcome, or rationale missing)", true),
                b(Review, &[c('[')], PreviousGap, "previous gap", false),
                b(Review, &[p(K::Tab)], FocusNext, "switch between standards and evidence", false),
                b(Review, &[p(K::Enter)], Open, "open the selected evidence", false),
                b(Review, &[Key::ctrl('n'), c('J')], ScrollDetailDown, "scroll the detail down", false),
                b(Review, &[Key::ctrl('p'), c('K')], ScrollDetailUp, "scroll the detail up", false),
                b(Review, &[c('S')], Submit, "submit my judgements (asks first)", true),
                b(Review, &[p(K::Esc), c('h')], Back, "back to the queue", true),
                b(Editor, &[p(K::Esc)], LeaveEditor, "stop editing (saved as you type)", true),
                b(Document, &[c('/')], Search, "search in the document", true),
                b(Document, &[c('n')], NextMatch, "next match", true),
                b(Document, &[c('N')], PreviousMatch, "previous match", false),
                b(Document, &[p(K::Esc), c('h'), c('q')], Back, "back to the review", true),
                b(Sync, &[c('m')], KeepMine, "conflict: keep my text", true),
                b(Sync, &[c('t')], TakeTheirs, "conflict: take the hub's text", true),
                b(Sync, &[c('e')], EditMerge, "conflict: edit a merge of both", true),
                b(Sync, &[p(K::Esc), c('h')], Back, "back", true),
                b(Merge, &[p(K::Esc)], ApplyMerge, "send the merged text", true),
                b(Merge, &[Key::ctrl('x')], Cancel, "cancel the merge", true),
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
        find(context).or_else(|| match context {
            Context::Editor | Context::Finder | Context::Confirm | Context::Merge => None,
            _ => find(Context::Global),
        })
    }

    /// The bindings shown for `context`, its own first.
    pub fn help(&self, context: Context) -> Vec<&Binding> {
        let own = self.bindings.iter().filter(|b| b.context == context);
        let global = self.bindings.iter().filter(|b| b.context == Context::Global);
        match context {
            Context::Editor | Context::Finder | Context::Confirm | Context::Merge => own.collect(),
            _ => own.chain(global).collect(),
        }
    }

    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        self.help(context)
            .into_iter()
            .filter(|b| b.hint)
            .map(|b| (b.keys.first().map(|k| k.to_string()).unwrap_or_default(), short(b.description)))
            .collect()
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Keys bound twice in one context (or in a context and shadowing nothing useful).
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
    fn text_contexts_do_not_fall_back_to_global_keys() {
        let keymap = Keymap::default();
        assert_eq!(keymap.lookup(Context::Editor, Key::char('q')), None);
        assert_eq!(keymap.lookup(Context::Finder, Key::char('j')), None);
    }

    #[test]
    fn irreversible_actions_are_never_one_unmodified_lower_case_key() {
        let keymap = Keymap::default();
        for b in keymap.bindings().iter().filter(|b| b.command == Command::Submit) {
            for key in &b.keys {
                let unmodified_lower =
                    key.modifiers.is_empty() && matches!(key.code, KeyCode::Char(c) if !c.is_uppercase());
                assert!(!unmodified_lower, "{key} submits with one key");
            }
        }
    }

    #[test]
    fn shifted_letters_and_upper_case_letters_are_the_same_key() {
        let shifted = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(shifted), Key::char('S'));
        let ctrl = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(ctrl), Key::ctrl('c'));
    }
}
