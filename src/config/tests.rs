use super::*;

fn problems(text: &str) -> Vec<ConfigProblem> {
    parse("config.toml", text).expect_err("the config should be refused").problems
}

#[test]
fn an_empty_file_is_every_default() {
    assert_eq!(parse("config.toml", "").unwrap(), Config::default());
    assert_eq!(parse("config.toml", "# only a comment\n\n").unwrap(), Config::default());
}

#[test]
fn every_top_level_choice_is_read() {
    let config =
        parse("config.toml", "theme = \"high-contrast\"\nlayout = \"linear\"\neditor = \"vim\"\nmouse = true\n")
            .unwrap();
    assert_eq!(config.theme, ThemeName::HighContrast);
    assert_eq!(config.layout, Layout::Linear);
    assert_eq!(config.editor, EditorKeys::Vim);
    assert!(config.mouse);
}

#[test]
fn colours_and_keys_keep_their_lines() {
    let text = "theme = \"light\"\n\n[colors]\nmet = \"green bold\"\n\n[keys.review]\njudge_met = [\"1\",\n  \"m\"]\nclear_outcome = []\n";
    let config = parse("config.toml", text).unwrap();
    assert_eq!(config.colors.len(), 1);
    assert_eq!(config.colors[0].0, Located { value: "met".into(), line: 4 });
    assert_eq!(config.colors[0].1, Located { value: "green bold".into(), line: 4 });
    let met = config.keys.iter().find(|k| k.action.value == "judge_met").unwrap();
    assert_eq!(met.context, Located { value: "review".into(), line: 6 });
    assert_eq!(met.action.line, 7);
    assert_eq!(met.keys, vec![Located { value: "1".into(), line: 7 }, Located { value: "m".into(), line: 8 }]);
    let cleared = config.keys.iter().find(|k| k.action.value == "clear_outcome").unwrap();
    assert!(cleared.keys.is_empty());
}

#[test]
fn an_unknown_key_names_its_line_and_what_is_allowed() {
    let found = problems("theme = \"dark\"\ntheem = \"light\"\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[0].key, "theem");
    assert_eq!(found[0].message, "unknown key");
    assert!(found[0].hint.contains("did you mean theme?"), "{}", found[0].hint);
    assert!(
        found[0].hint.contains("allowed: theme, layout, editor, mouse, max_conditions, viewer, colors, keys"),
        "{}",
        found[0].hint
    );
}

#[test]
fn a_bad_choice_lists_the_choices() {
    let found = problems("\n\ntheme = \"ligth\"\n");
    assert_eq!(found[0].line, 3);
    assert_eq!(found[0].key, "theme");
    assert_eq!(found[0].message, "\"ligth\" is not one of the choices");
    assert_eq!(found[0].hint, "did you mean \"light\"? allowed: \"dark\", \"light\", \"high-contrast\"");
    let found = problems("layout = \"columns\"\n");
    assert_eq!(found[0].hint, "allowed: \"panes\", \"linear\"");
    let found = problems("editor = \"nano\"\n");
    assert_eq!(found[0].hint, "allowed: \"emacs\", \"vim\"");
}

#[test]
fn a_wrong_type_says_what_was_found_and_what_is_wanted() {
    let found = problems("theme = 3\nmouse = \"yes\"\ncolors = 1\n[keys]\nreview = \"m\"\n");
    let messages: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "line 1, theme: the number 3 is not text (allowed: \"dark\", \"light\", \"high-contrast\")",
            "line 2, mouse: the text \"yes\" is not true or false (write mouse = true or mouse = false)",
            "line 3, colors: the number 1 is not a table (write a [colors] section of meaning = \"style\" lines)",
            "line 5, keys.review: the text \"m\" is not a table (write a [keys.review] section of action = [\"key\", ...] lines)",
        ]
    );
}

#[test]
fn keys_must_be_a_list_of_text() {
    let found = problems("[keys.review]\njudge_met = \"m\"\njudge_not_met = [3]\n");
    assert_eq!(found.len(), 2);
    assert_eq!((found[0].line, found[0].key.as_str()), (2, "keys.review.judge_met"));
    assert_eq!(found[0].message, "the text \"m\" is not a list");
    assert!(found[0].hint.contains("[] removes"));
    assert_eq!((found[1].line, found[1].key.as_str()), (3, "keys.review.judge_not_met"));
    assert_eq!(found[1].message, "the number 3 is not text");
}

#[test]
fn every_problem_is_reported_at_once_in_line_order() {
    let found = problems("mouse = 1\ntheme = \"x\"\nzoom = 2\n");
    assert_eq!(found.iter().map(|p| p.line).collect::<Vec<_>>(), vec![1, 2, 3]);
}

#[test]
fn toml_syntax_errors_name_the_line_and_key() {
    let found = problems("theme = \"dark\"\nlayout = \"linear\nmouse = true\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[0].key, "layout");
    assert!(found[0].message.starts_with("this is not valid TOML: "), "{}", found[0].message);
    let found = problems("[keys.review\n");
    assert_eq!(found[0].line, 1);
    let found = problems("theme = \"dark\"\ntheme = \"light\"\n");
    assert_eq!(found[0].line, 2, "{:?}", found[0]);
}

#[test]
fn the_error_names_the_file() {
    let error = parse("/home/sam/.config/accredit/config.toml", "theme = 3\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "/home/sam/.config/accredit/config.toml: line 1, theme: the number 3 is not text (allowed: \"dark\", \"light\", \"high-contrast\")"
    );
    let error = parse("c.toml", "a = 1\nb = 2\n").unwrap_err();
    assert!(error.to_string().starts_with("c.toml: 2 problems:\n  line 1, a: unknown key"), "{error}");
}

#[test]
fn suggestions_are_only_for_likely_typos() {
    assert_eq!(did_you_mean("judge_mett", &["judge_met", "judge_not_met"]), Some("judge_met"));
    assert_eq!(did_you_mean("qiut", &["quit", "help"]), Some("quit"));
    assert_eq!(did_you_mean("zzz", &["quit", "help"]), None);
    assert_eq!(did_you_mean("x", &["q"]), None);
}

#[test]
fn max_conditions_takes_a_whole_number_from_1_to_50() {
    assert_eq!(parse("config.toml", "max_conditions = 3\n").unwrap().max_conditions, 3);
    assert_eq!(parse("config.toml", "").unwrap().max_conditions, 5, "the default is 5");
    let found = problems("max_conditions = 0\n");
    assert_eq!(
        (found[0].line, found[0].key.as_str(), found[0].message.as_str()),
        (1, "max_conditions", "0 is out of range")
    );
    assert_eq!(found[0].hint, "write a whole number from 1 to 50");
    let found = problems("\nmax_conditions = \"five\"\n");
    assert_eq!((found[0].line, found[0].key.as_str()), (2, "max_conditions"));
    assert!(found[0].message.contains("not a whole number"), "{}", found[0].message);
}

#[test]
fn a_viewer_is_split_into_words_and_must_name_the_file() {
    let config = parse("config.toml", "viewer = \"zathura --page={page} {path}\"\n").unwrap();
    assert_eq!(config.viewer, Some(ViewerCommand::parse("zathura --page={page} {path}").unwrap()));
    let refused = problems("mouse = true\nviewer = \"evince\"\n");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].line, 2);
    assert!(refused[0].message.contains("{path}"), "{:?}", refused[0]);
    assert_eq!(problems("viewer = \"view 'open {path}\"\n")[0].line, 1);
    assert_eq!(problems("viewer = 3\n")[0].line, 1);
}
