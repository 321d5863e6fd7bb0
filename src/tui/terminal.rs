//! The real terminal: set-up, the event loop, `$EDITOR`, and restoring the terminal however
//! the loop ends (a panic is restored by the hook `ratatui::init` installs).

use std::io;

use crate::paths::DataDir;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{execute, terminal as ct};

use super::app::Action;
use super::runtime::Runtime;
use super::screens::sync::SyncStatus;
use super::settings::Settings;
use super::views;
use crate::store::{Store, StoreError};
use crate::sync::SyncWorker;

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("the terminal failed: {0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How often the TUI syncs by itself.
const SYNC_EVERY: Duration = Duration::from_secs(5 * 60);

/// Runs the TUI on `store` until the user quits. `data_dir` holds rationales being edited in
/// `$EDITOR` and originals opened in a viewer; `settings` come from `config.toml`; `sync`, when the cache is connected to a hub,
/// syncs in the background.
pub fn run(
    store: Store,
    today: Date,
    data_dir: &DataDir,
    settings: Settings,
    sync: Option<SyncWorker>,
) -> Result<(), TuiError> {
    let mouse = settings.mouse;
    let mut runtime = Runtime::new(store, today, settings)?;
    runtime.originals_dir = Some(data_dir.originals_dir());
    if let Some(worker) = sync {
        runtime.connect(worker);
    }
    let mut terminal = ratatui::init();
    // A panic restores the terminal through ratatui's hook; bracketed paste and mouse reporting
    // are ours to end.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = leave_modes(mouse);
        hook(info);
    }));
    enter_modes(mouse)?;
    let result = event_loop(&mut terminal, &mut runtime, &data_dir.editing_dir());
    let _ = leave_modes(mouse);
    ratatui::restore();
    result
}

/// Bracketed paste (a paste of any length arrives as one event, not as typed keys) and, when
/// configured, mouse reporting.
fn enter_modes(mouse: bool) -> io::Result<()> {
    execute!(io::stdout(), event::EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), event::EnableMouseCapture)?;
    }
    Ok(())
}

fn leave_modes(mouse: bool) -> io::Result<()> {
    if mouse {
        execute!(io::stdout(), event::DisableMouseCapture)?;
    }
    execute!(io::stdout(), event::DisableBracketedPaste)
}

fn event_loop(terminal: &mut DefaultTerminal, runtime: &mut Runtime, editing_dir: &Path) -> Result<(), TuiError> {
    // The first frame is drawn before the first sync starts, so start-up never waits on the
    // network.
    let mut next_sync = Instant::now();
    loop {
        terminal.draw(|frame| views::draw(&mut runtime.app, frame))?;
        if Instant::now() >= next_sync {
            runtime.dispatch(Action::SyncDue);
            next_sync = Instant::now() + SYNC_EVERY;
        }

        if runtime.app.quit {
            return Ok(());
        }
        if let Some(text) = runtime.external_edit.take() {
            let action = match edit_externally(terminal, editing_dir, &text, runtime.app.mouse) {
                Ok(edited) => Action::ExternalEdited(edited),
                Err(e) => Action::Failed(format!("The external editor failed: {e}. Your rationale is unchanged.")),
            };
            runtime.dispatch(action);
            continue;
        }
        // Tick often while typed text waits to be saved or a sync runs, rarely otherwise.
        let busy = runtime.app.wants_tick() || runtime.app.sync_status == SyncStatus::Running;
        let timeout = if busy { Duration::from_millis(100) } else { Duration::from_secs(1) };
        if event::poll(timeout)? {
            // Drain everything pending, then draw once.
            loop {
                match event::read()? {
                    Event::Key(key) => runtime.dispatch(Action::Key(key)),
                    Event::Paste(text) => runtime.dispatch(Action::Paste(text)),
                    Event::Mouse(mouse) => runtime.dispatch(Action::Mouse(mouse)),
                    _ => {}
                }
                if runtime.app.quit || runtime.external_edit.is_some() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        runtime.dispatch(Action::Tick(Instant::now()));
        runtime.poll_sync();
        runtime.notice_outside_writes();
    }
}

/// Suspends the TUI, edits `text` in `$VISUAL` / `$EDITOR` (default `vi`), and resumes.
fn edit_externally(terminal: &mut DefaultTerminal, dir: &Path, text: &str, mouse: bool) -> io::Result<String> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("rationale.txt");
    std::fs::write(&path, with_final_line_break(text))?;
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    leave_modes(mouse)?;
    ratatui::restore();
    let status = editor_command(&editor, &path).status();
    ct::enable_raw_mode()?;
    execute!(io::stdout(), ct::EnterAlternateScreen)?;
    enter_modes(mouse)?;
    terminal.clear()?;
    let status = status.map_err(|e| io::Error::new(e.kind(), format!("cannot start {editor}: {e}")))?;
    if !status.success() {
        return Err(io::Error::other(format!("{editor} exited with {status}")));
    }
    let edited = std::fs::read_to_string(&path)?;
    // Editors end the file with a line break the user did not mean as part of the text.
    Ok(edited.strip_suffix('\n').unwrap_or(&edited).to_string())
}

/// A text file ends with a line break (vi and others warn, or add one, otherwise).
fn with_final_line_break(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') { text.to_string() } else { format!("{text}\n") }
}

/// `$EDITOR` is a shell command, as git and most tools read it: quotes, paths with spaces and
/// `sh -c '…' --` work. The file is passed as the command's last argument (`"$@"`), never
/// spliced into the command text.
pub fn editor_command(editor: &str, file: &Path) -> std::process::Command {
    if cfg!(unix) {
        let mut command = std::process::Command::new("sh");
        command.arg("-c").arg(format!("{editor} \"$@\"")).arg(editor).arg(file);
        command
    } else {
        let mut words = editor.split_whitespace();
        let mut command = std::process::Command::new(words.next().unwrap_or("notepad"));
        command.args(words).arg(file);
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(editor: &str, file: &Path) -> std::process::ExitStatus {
        editor_command(editor, file).status().expect("run the editor command")
    }

    #[test]
    fn editor_is_read_as_a_shell_command_with_quotes_and_spaces() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let bin = dir.path().join("my editors");
        std::fs::create_dir_all(&bin).expect("folder with a space");
        let script = bin.join("append.sh");
        std::fs::write(&script, "#!/bin/sh\nprintf '%s' \"$1\" >> \"$2\"\n").expect("script");
        let file = dir.path().join("a rationale.txt");
        std::fs::write(&file, "x").expect("file");

        let quoted = format!("'{}' ' and more'", script.display());
        assert!(run(&format!("sh {quoted}"), &file).success());
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "x and more");

        let inline = r#"sh -c 'printf "%s" "$(cat "$1") edited" > "$1"' --"#;
        assert!(run(inline, &file).success(), "sh -c '…' -- gets the file as $1");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "x and more edited");

        assert!(!run("false", &file).success(), "a failing editor is reported as failing");
    }

    #[test]
    fn the_file_handed_over_ends_with_a_line_break() {
        assert_eq!(with_final_line_break("one\ntwo"), "one\ntwo\n");
        assert_eq!(with_final_line_break("done\n"), "done\n");
        assert_eq!(with_final_line_break(""), "");
    }
}
