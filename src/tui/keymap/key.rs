//! One key with its modifiers: normalised from terminal events, shown in help, and written
//! and read in `config.toml` (`"j"`, `"S"`, `"Ctrl-d"`, `"Down"`, `"Shift-Tab"`).

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, normalised so `S` and `Shift-s` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// Named keys as written in the config (matched without regard to case), and their codes.
const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("Space", KeyCode::Char(' ')),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
];

/// Other spellings accepted when reading.
const ALIASES: &[(&str, KeyCode)] = &[
    ("Escape", KeyCode::Esc),
    ("Return", KeyCode::Enter),
    ("Del", KeyCode::Delete),
    ("PgUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("↑", KeyCode::Up),
    ("↓", KeyCode::Down),
    ("←", KeyCode::Left),
    ("→", KeyCode::Right),
    ("BackTab", KeyCode::BackTab),
];

/// How to write a key, for error messages.
pub const KEY_SYNTAX: &str = "write a character (\"m\", \"S\", \"]\"), a named key (Enter, Esc, Tab, Space, Backspace, Delete, Up, Down, Left, Right, Home, End, PageUp, PageDown, F1 to F12), optionally after Ctrl-, Alt- or Shift-";

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

    /// A single key pressed with no modifier, where an upper-case letter counts as shifted.
    pub fn is_unmodified(&self) -> bool {
        self.modifiers.is_empty() && !matches!(self.code, KeyCode::Char(c) if c.is_uppercase())
    }

    /// A key that types a character into a text field.
    pub fn types_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && (self.modifiers - KeyModifiers::SHIFT).is_empty()
    }

    /// The key as written in `config.toml`; `Key::parse` reads it back.
    pub fn spec(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            code => out.push_str(NAMED.iter().find(|(_, k)| *k == code).map_or("?", |(name, _)| name)),
        }
        out
    }

    /// Reads a key as written in `config.toml`; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (modifier, len) = if lower.starts_with("ctrl-") || lower.starts_with("ctrl+") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") || lower.starts_with("alt+") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") || lower.starts_with("shift+") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            // "Ctrl--" is Ctrl and the minus key.
            if rest.len() == len {
                break;
            }
            modifiers |= modifier;
            rest = &rest[len..];
        }
        if rest.is_empty() {
            return Err("no key is named".into());
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match NAMED.iter().chain(ALIASES).find(|(name, _)| name.eq_ignore_ascii_case(rest)) {
                Some((_, code)) => *code,
                None => match rest.strip_prefix(['F', 'f']).and_then(|n| n.parse::<u8>().ok()) {
                    Some(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("\"{rest}\" is not a key name")),
                },
            },
        };
        let mut key = Key { code, modifiers };
        if key.modifiers.contains(KeyModifiers::SHIFT) {
            match key.code {
                KeyCode::Char(c) if c.is_ascii_alphabetic() => {
                    key.code = KeyCode::Char(c.to_ascii_uppercase());
                    key.modifiers.remove(KeyModifiers::SHIFT);
                }
                KeyCode::Char(c) => {
                    return Err(format!(
                        "Shift-{c} depends on the keyboard layout: write the character Shift gives (such as \"!\" for Shift-1)"
                    ));
                }
                KeyCode::Tab | KeyCode::BackTab => {
                    key.code = KeyCode::BackTab;
                    key.modifiers.remove(KeyModifiers::SHIFT);
                }
                _ => {}
            }
        }
        if key.modifiers.contains(KeyModifiers::CONTROL)
            && let KeyCode::Char(c) = key.code
        {
            key.code = KeyCode::Char(c.to_ascii_lowercase());
        }
        Ok(key)
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
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
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
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_letters_and_upper_case_letters_are_the_same_key() {
        let shifted = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(shifted), Key::char('S'));
        let ctrl = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(ctrl), Key::ctrl('c'));
    }

    #[test]
    fn keys_are_read_as_written_in_the_config() {
        assert_eq!(Key::parse("m"), Ok(Key::char('m')));
        assert_eq!(Key::parse("S"), Ok(Key::char('S')));
        assert_eq!(Key::parse("Shift-s"), Ok(Key::char('S')));
        assert_eq!(Key::parse("Ctrl-d"), Ok(Key::ctrl('d')));
        assert_eq!(Key::parse("ctrl+D"), Ok(Key::ctrl('d')));
        assert_eq!(Key::parse("Ctrl--"), Ok(Key::ctrl('-')));
        assert_eq!(Key::parse("-"), Ok(Key::char('-')));
        assert_eq!(Key::parse("down"), Ok(Key::plain(KeyCode::Down)));
        assert_eq!(Key::parse("PgDn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("Space"), Ok(Key::char(' ')));
        assert_eq!(Key::parse("Shift-Tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("F5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(Key::parse("Alt-Enter"), Ok(Key { code: KeyCode::Enter, modifiers: KeyModifiers::ALT }));
        assert!(Key::parse("F13").is_err());
        assert!(Key::parse("Ctrl-").is_err());
        assert_eq!(Key::parse("Enterr"), Err("\"Enterr\" is not a key name".to_string()));
        assert!(Key::parse("Shift-1").unwrap_err().contains("\"!\""));
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn every_spec_reads_back_as_the_same_key() {
        let keys = [
            Key::char('j'),
            Key::char('S'),
            Key::char(' '),
            Key::char('?'),
            Key::ctrl('u'),
            Key::plain(KeyCode::Down),
            Key::plain(KeyCode::PageDown),
            Key::plain(KeyCode::BackTab),
            Key::plain(KeyCode::Esc),
            Key::plain(KeyCode::F(2)),
            Key { code: KeyCode::Up, modifiers: KeyModifiers::SHIFT | KeyModifiers::ALT },
        ];
        for key in keys {
            assert_eq!(Key::parse(&key.spec()), Ok(key), "{}", key.spec());
        }
    }

    #[test]
    fn upper_case_letters_count_as_modified() {
        assert!(Key::char('s').is_unmodified());
        assert!(Key::plain(KeyCode::Enter).is_unmodified());
        assert!(Key::char(' ').is_unmodified());
        assert!(!Key::char('S').is_unmodified());
        assert!(!Key::ctrl('s').is_unmodified());
    }
}
