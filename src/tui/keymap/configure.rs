//! Applying `[keys.CONTEXT]` sections of `config.toml` over the built-in keymap, and the
//! checks that keep a configured keymap usable: no key bound twice on one screen, no
//! irreversible action on a single unmodified key, no way out of a screen removed, no
//! character key stolen from a text field.

use std::collections::HashMap;

use super::{Binding, Command, Context, KEY_SYNTAX, Key, Keymap};
use crate::config::{ConfigProblem, KeyOverride, allowed};

/// Actions that must keep a key, or a screen could not be left.
const ESSENTIAL: &[(Context, Command, &str)] = &[
    (Context::Global, Command::Quit, "there would be no way to quit"),
    (Context::Editor, Command::LeaveEditor, "there would be no way out of the rationale editor"),
    (Context::Finder, Command::Cancel, "there would be no way to close Find"),
    (Context::Confirm, Command::Cancel, "there would be no way to close the confirmation"),
    (Context::Document, Command::Back, "there would be no way back from a document"),
    (Context::Review, Command::Back, "there would be no way back to the queue"),
    (Context::Panel, Command::Back, "there would be no way back from the panel to the queue"),
    (Context::Report, Command::Back, "there would be no way back from the report preview"),
    (Context::Prompt, Command::Cancel, "there would be no way to cancel a line being typed"),
    (Context::Decide, Command::Cancel, "there would be no way to close the decision chooser"),
];

impl Keymap {
    /// The built-in keymap with `overrides` applied, or every problem with them.
    pub fn configured(overrides: &[KeyOverride]) -> Result<Keymap, Vec<ConfigProblem>> {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        for o in overrides {
            let section = format!("keys.{}", o.context.value);
            let Some(context) = Context::from_name(&o.context.value) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                problems.push(ConfigProblem::new(
                    o.context.line,
                    section,
                    "no such screen",
                    allowed(&o.context.value, &names),
                ));
                continue;
            };
            let key_name = format!("{section}.{}", o.action.value);
            let Some(binding) =
                keymap.bindings.iter_mut().find(|b| b.context == context && b.command.name() == o.action.value)
            else {
                let names: Vec<&str> = Keymap::default()
                    .bindings
                    .iter()
                    .filter(|b| b.context == context)
                    .map(|b| b.command.name())
                    .collect();
                problems.push(ConfigProblem::new(
                    o.action.line,
                    key_name,
                    format!("no such action in [{section}]"),
                    allowed(&o.action.value, &names),
                ));
                continue;
            };
            let mut keys = Vec::new();
            for written in &o.keys {
                match Key::parse(&written.value) {
                    Ok(key) if keys.contains(&key) => problems.push(ConfigProblem::new(
                        written.line,
                        key_name.clone(),
                        format!("\"{}\" is listed twice", written.value),
                        "list each key once",
                    )),
                    Ok(key) => keys.push(key),
                    Err(why) => problems.push(ConfigProblem::new(
                        written.line,
                        key_name.clone(),
                        format!("\"{}\" is not a key: {why}", written.value),
                        KEY_SYNTAX,
                    )),
                }
            }
            binding.keys = keys;
            binding.line = Some(o.action.line);
        }
        problems.extend(keymap.problems());
        if problems.is_empty() { Ok(keymap) } else { Err(problems) }
    }

    /// What is wrong with a keymap whose keys came (partly) from a config file. Problems are
    /// reported at the config line of a binding the user changed.
    fn problems(&self) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        let key_name = |b: &Binding| format!("keys.{}.{}", b.context.name(), b.command.name());
        let line = |b: &Binding| b.line.unwrap_or(0);
        // The same key twice on one screen.
        let mut seen: HashMap<(Context, Key), &Binding> = HashMap::new();
        for b in &self.bindings {
            for key in &b.keys {
                match seen.get(&(b.context, *key)) {
                    Some(first) => {
                        // Report at the binding the user wrote (the later one if both are).
                        let (here, other) = if b.line.is_some() { (b, *first) } else { (*first, b) };
                        let origin = match other.line {
                            Some(l) => format!("line {l}"),
                            None => "built in".to_string(),
                        };
                        problems.push(ConfigProblem::new(
                            line(here),
                            key_name(here),
                            format!(
                                "\"{}\" is also the key of {} ({origin}) in [keys.{}]",
                                key.spec(),
                                other.command.name(),
                                b.context.name()
                            ),
                            format!(
                                "one key runs one action per screen: give {} other keys too, or pick another key",
                                other.command.name()
                            ),
                        ));
                    }
                    None => {
                        seen.insert((b.context, *key), b);
                    }
                }
            }
        }
        for b in self.bindings.iter().filter(|b| b.line.is_some()) {
            if b.command.is_irreversible() {
                for key in b.keys.iter().filter(|k| k.is_unmodified()) {
                    problems.push(ConfigProblem::new(
                        line(b),
                        key_name(b),
                        format!(
                            "\"{}\" is a single unmodified key, and {} cannot be undone",
                            key.spec(),
                            b.command.name()
                        ),
                        "use an upper-case letter or a modifier, such as \"S\" or \"Ctrl-s\"",
                    ));
                }
            }
            if b.context.takes_text() {
                for key in b.keys.iter().filter(|k| k.types_text()) {
                    problems.push(ConfigProblem::new(
                        line(b),
                        key_name(b),
                        format!("\"{}\" types a character, so it cannot be a key in {}", key.spec(), b.context.title()),
                        "use a modifier, such as \"Ctrl-q\", or a named key such as \"Esc\"",
                    ));
                }
            }
            if b.keys.is_empty()
                && let Some((_, _, why)) = ESSENTIAL.iter().find(|(c, cmd, _)| *c == b.context && *cmd == b.command)
            {
                problems.push(ConfigProblem::new(
                    line(b),
                    key_name(b),
                    format!("{} cannot be left without a key: {why}", b.command.name()),
                    format!("give it at least one key, such as {}", default_keys(b.context, b.command)),
                ));
            }
        }
        problems
    }

    /// The `[keys.*]` sections of the default config, with every action, its keys and what it does.
    pub fn default_toml() -> String {
        let keymap = Keymap::default();
        let mut out = String::new();
        for context in Context::ALL {
            out.push_str(&format!("\n[keys.{}]\n", context.name()));
            let rows: Vec<(String, &str)> = keymap
                .bindings
                .iter()
                .filter(|b| b.context == context)
                .map(|b| (format!("{} = {}", b.command.name(), key_list(&b.keys)), b.description))
                .collect();
            let width = rows.iter().map(|(line, _)| line.chars().count()).max().unwrap_or(0);
            for (line, description) in rows {
                out.push_str(&format!("{line:<width$}  # {description}\n"));
            }
        }
        out
    }
}

fn key_list(keys: &[Key]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("{:?}", k.spec())).collect();
    format!("[{}]", quoted.join(", "))
}

fn default_keys(context: Context, command: Command) -> String {
    let keymap = Keymap::default();
    let keys = keymap.bindings.iter().find(|b| b.context == context && b.command == command).map(|b| b.keys.clone());
    format!("{} = {}", command.name(), key_list(&keys.unwrap_or_default()))
}

#[cfg(test)]
mod tests;
