//! Opening an evidence document's original (PDF, Word, Excel) outside the terminal: in the
//! configured viewer command (`viewer = "zathura --page={page} {path}"`, split into words by
//! `config::ViewerCommand`), else in the system's default program (`opener`: xdg-open, open,
//! start). Never through a shell. Without a display, it says where the file is instead.

use std::path::Path;
use std::process::Stdio;

pub use crate::config::ViewerCommand;

/// Whether a graphical program could show a window here.
fn has_display() -> bool {
    !cfg!(target_os = "linux")
        || std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
}

/// Opens `path` (absolute) at `page`; the sentence for the bottom line, or why not.
pub fn open(viewer: Option<&ViewerCommand>, path: &Path, page: Option<u32>) -> Result<String, String> {
    let shown = path.display();
    if let Some(viewer) = viewer {
        let mut command = viewer.command_for(path, page);
        let program = command.get_program().to_string_lossy().into_owned();
        // Detached from the terminal the TUI is drawing on.
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        return match command.spawn() {
            Ok(_) => Ok(format!("Opened {shown} in {program}.")),
            Err(e) => Err(format!("The viewer {program} could not be started ({e}); the original is at {shown}")),
        };
    }
    if !has_display() {
        return Ok(format!(
            "No display to open it on: the original is at {shown} (set viewer in config.toml to choose a program)."
        ));
    }
    match opener::open(path) {
        Ok(()) => Ok(format!("Opened {shown} in the system's viewer.")),
        Err(e) => Err(format!("The system's viewer could not open it ({e}); the original is at {shown}")),
    }
}

/// The file name an original is kept under: its hash, and the extension its type has.
pub fn file_name(sha256: &str, media_type: &str) -> String {
    let extension = match media_type {
        "application/pdf" => "pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "text/markdown" => "md",
        _ => "txt",
    };
    // The hash is hex from our own store; keep only hex digits all the same.
    let stem: String = sha256.chars().filter(char::is_ascii_hexdigit).take(64).collect();
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn originals_are_kept_under_their_hash_with_their_extension() {
        assert_eq!(file_name("ab12", "application/pdf"), "ab12.pdf");
        assert_eq!(file_name("../../etc", "text/plain"), "ec.txt", "only hex digits reach the file name");
    }
}
