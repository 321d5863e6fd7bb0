//! The `viewer` setting: a command line split into words as a shell would, without one, so
//! `{path}` and `{page}` fill whole arguments and a file name can never become a command.

use std::path::Path;
use std::process::Command;

/// A viewer command from the config, split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewerCommand(Vec<String>);

impl ViewerCommand {
    /// Splits `text` into words as a shell would (spaces between words; '…' and "…" quote;
    /// \ escapes one character), without running one. It must name `{path}`.
    pub fn parse(text: &str) -> Result<ViewerCommand, String> {
        let words = split_words(text)?;
        if words.is_empty() {
            return Err("the command is empty".into());
        }
        if !words.iter().any(|w| w.contains("{path}")) {
            return Err("the command does not say where the file goes: put {path} in it".into());
        }
        Ok(ViewerCommand(words))
    }

    /// The program and its arguments for `path` at `page` (`{page}` is 1 without a page).
    pub fn command_for(&self, path: &Path, page: Option<u32>) -> Command {
        let path = path.to_string_lossy();
        let page = page.unwrap_or(1).to_string();
        let fill = |word: &String| word.replace("{path}", &path).replace("{page}", &page);
        let mut command = Command::new(fill(&self.0[0]));
        command.args(self.0[1..].iter().map(fill));
        command
    }
}

/// Words of a command line: spaces between words, '…' keeps everything, "…" keeps all but
/// \" and \\, and a \ outside quotes escapes the next character.
pub fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("a ' quote is not closed".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("a \" quote is not closed".into()),
                        },
                        Some(c) => w.push(c),
                        None => return Err("a \" quote is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err("the command ends with a lone \\".into()),
            },
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_as_a_shell_would_without_one() {
        assert_eq!(split_words("zathura --page={page} {path}").unwrap(), ["zathura", "--page={page}", "{path}"]);
        assert_eq!(
            split_words(r#"'/opt/My Viewer/bin/view' "a \"b\"" c\ d"#).unwrap(),
            ["/opt/My Viewer/bin/view", "a \"b\"", "c d"]
        );
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split_words("''").unwrap(), [""], "an empty quoted word is a word");
        assert!(split_words("view 'open").is_err());
        assert!(split_words("view \"open").is_err());
        assert!(split_words("view \\").is_err());
    }

    #[test]
    fn a_viewer_must_say_where_the_file_goes_and_fills_whole_words() {
        assert!(ViewerCommand::parse("").is_err());
        assert!(ViewerCommand::parse("evince").unwrap_err().contains("{path}"));
        let viewer = ViewerCommand::parse("evince --page-index={page} {path}").unwrap();
        let command = viewer.command_for(Path::new("/data/a b; rm -rf ~.pdf"), Some(14));
        assert_eq!(command.get_program(), "evince");
        let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args, ["--page-index=14", "/data/a b; rm -rf ~.pdf"], "the path stays one argument");
        let args: Vec<_> = viewer.command_for(Path::new("/x.pdf"), None).get_args().map(|a| a.to_owned()).collect();
        assert_eq!(args[0], "--page-index=1");
    }
}
