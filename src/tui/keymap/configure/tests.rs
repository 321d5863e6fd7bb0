use super::*;
use crate::config;
use crate::domain::Outcome;

fn configure(text: &str) -> Result<Keymap, Vec<ConfigProblem>> {
    let parsed = config::parse("config.toml", text).expect("the TOML is valid");
    Keymap::configured(&parsed.keys)
}

fn problems(text: &str) -> Vec<String> {
    configure(text).expect_err("the keys should be refused").iter().map(ToString::to_string).collect()
}

#[test]
fn no_overrides_is_the_built_in_keymap() {
    let keymap = configure("").unwrap();
    assert_eq!(keymap.bindings().len(), Keymap::default().bindings().len());
    assert!(keymap.bindings().iter().all(|b| b.line.is_none()));
}

#[test]
fn an_override_replaces_the_keys_of_one_action_on_one_screen() {
    let keymap = configure("[keys.review]\njudge_met = [\"1\", \"m\"]\n").unwrap();
    let met = Command::SetOutcome(Outcome::Met);
    assert_eq!(keymap.lookup(Context::Review, Key::char('m')), Some(met));
    assert_eq!(keymap.lookup(Context::Review, Key::char('1')), Some(met));
    assert_eq!(keymap.lookup(Context::Queue, Key::char('m')), None, "only the review screen changed");
    let binding = keymap.bindings().iter().find(|b| b.command == met).unwrap();
    assert_eq!(binding.line, Some(2));
}

#[test]
fn an_empty_list_removes_the_keys() {
    let keymap = configure("[keys.review]\nclear_outcome = []\n").unwrap();
    assert_eq!(keymap.lookup(Context::Review, Key::char('0')), None);
    assert!(keymap.help(Context::Review).iter().any(|b| b.command == Command::ClearOutcome && b.keys.is_empty()));
}

#[test]
fn a_freed_key_can_be_given_to_another_action() {
    let keymap = configure("[keys.review]\nedit_rationale = [\"r\"]\njudge_met = [\"1\", \"e\"]\n").unwrap();
    assert_eq!(keymap.lookup(Context::Review, Key::char('e')), Some(Command::SetOutcome(Outcome::Met)));
    assert_eq!(keymap.lookup(Context::Review, Key::char('r')), Some(Command::EditRationale));
}

#[test]
fn global_keys_can_move_and_screens_still_win() {
    let keymap = configure("[keys.global]\nquit = [\"Ctrl-q\"]\ndown = [\"j\", \"Down\", \"Ctrl-j\"]\n").unwrap();
    assert_eq!(keymap.lookup(Context::Queue, Key::char('q')), None);
    assert_eq!(keymap.lookup(Context::Queue, Key::ctrl('q')), Some(Command::Quit));
    assert_eq!(keymap.lookup(Context::Review, Key::ctrl('j')), Some(Command::Down));
    assert_eq!(keymap.lookup(Context::Document, Key::char('q')), Some(Command::Back));
}

#[test]
fn a_key_bound_twice_on_one_screen_is_refused_naming_both_actions() {
    assert_eq!(
        problems("[keys.review]\njudge_met = [\"e\"]\n"),
        vec![
            "line 2, keys.review.judge_met: \"e\" is also the key of edit_rationale (built in) in [keys.review] (one key runs one action per screen: give edit_rationale other keys too, or pick another key)"
        ]
    );
    // Two changed actions sharing a key: reported once, naming the other one's line.
    assert_eq!(
        problems("[keys.review]\njudge_met = [\"x\"]\njudge_not_met = [\"x\"]\n"),
        vec![
            "line 3, keys.review.judge_not_met: \"x\" is also the key of judge_met (line 2) in [keys.review] (one key runs one action per screen: give judge_met other keys too, or pick another key)"
        ]
    );
}

#[test]
fn every_conflict_is_listed() {
    let found = problems("[keys.queue]\nopen = [\"q\"]\n[keys.review]\njudge_met = [\"e\", \"S\"]\n");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("edit_rationale"), "{found:#?}");
    assert!(found[1].contains("submit"), "{found:#?}");
}

#[test]
fn a_key_listed_twice_for_one_action_is_refused() {
    assert_eq!(
        problems("[keys.review]\njudge_met = [\"m\", \"m\"]\n"),
        vec!["line 2, keys.review.judge_met: \"m\" is listed twice (list each key once)"]
    );
}

#[test]
fn unknown_screens_actions_and_keys_say_what_is_allowed() {
    let found = problems("[keys.reveiw]\njudge_met = [\"m\"]\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("line 1, keys.reveiw: no such screen (did you mean review? allowed: global, queue, review, editor, document, finder, confirm, sync, merge, panel, report, prompt, decide, palette)"), "{}", found[0]);
    let found = problems("[keys.review]\njudge_mett = [\"m\"]\n");
    assert!(found[0].starts_with("line 2, keys.review.judge_mett: no such action in [keys.review] (did you mean judge_met? allowed: judge_met, judge_partially_met,"), "{}", found[0]);
    let found = problems("[keys.queue]\nsubmit = [\"Ctrl-s\"]\n");
    assert!(found[0].contains("no such action in [keys.queue]"), "{}", found[0]);
    let found = problems("[keys.review]\njudge_met = [\"Ctlr-m\"]\n");
    assert!(
        found[0].starts_with(
            "line 2, keys.review.judge_met: \"Ctlr-m\" is not a key: \"Ctlr-m\" is not a key name (write a character"
        ),
        "{}",
        found[0]
    );
}

#[test]
fn submit_is_never_one_unmodified_key() {
    for key in ["s", "Space", "F5", "Insert"] {
        let found = problems(&format!("[keys.review]\nsubmit = [\"{key}\"]\n"));
        assert_eq!(found.len(), 1, "{key}: {found:?}");
        assert!(found[0].contains("is a single unmodified key, and submit cannot be undone"), "{}", found[0]);
    }
    for key in ["Ctrl-s", "Alt-s", "Shift-x", "X"] {
        assert!(configure(&format!("[keys.review]\nsubmit = [\"{key}\"]\n")).is_ok(), "{key}");
    }
}

#[test]
fn the_ways_out_cannot_be_removed() {
    let found = problems("[keys.global]\nquit = []\n[keys.editor]\nleave_editor = []\n");
    assert_eq!(found.len(), 2);
    assert!(found[0].starts_with("line 2, keys.global.quit: quit cannot be left without a key: there would be no way to quit (give it at least one key, such as quit = [\"q\", \"Ctrl-c\"])"), "{}", found[0]);
    assert!(found[1].contains("no way out of the rationale editor"), "{}", found[1]);
}

#[test]
fn text_fields_keep_their_characters() {
    let found = problems("[keys.editor]\nleave_editor = [\"q\"]\n");
    assert!(found[0].contains("\"q\" types a character, so it cannot be a key in Rationale editor"), "{}", found[0]);
    let found = problems("[keys.finder]\ncancel = [\"Esc\", \"x\"]\n");
    assert_eq!(found.len(), 1);
    let keymap = configure("[keys.editor]\nleave_editor = [\"Esc\", \"Ctrl-s\"]\n").unwrap();
    assert_eq!(keymap.lookup(Context::Editor, Key::ctrl('s')), Some(Command::LeaveEditor));
}

#[test]
fn the_default_config_lists_every_binding_and_reads_back_unchanged() {
    let text = Keymap::default_toml();
    let keymap = configure(&text).expect("the default keys are a valid config");
    let default = Keymap::default();
    for (a, b) in keymap.bindings().iter().zip(default.bindings()) {
        assert_eq!((a.context, a.command, &a.keys), (b.context, b.command, &b.keys));
    }
    assert!(text.contains("[keys.review]\njudge_met "), "{text}");
    assert!(text.contains("# judge: met\n"), "{text}");
    assert!(text.contains("down "), "{text}");
    assert!(text.contains("[\"j\", \"Down\"]"), "{text}");
    assert!(!text.contains("↓") && !text.contains("PgDn"), "keys are written as the config reads them");
}
