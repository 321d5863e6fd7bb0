use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    // color-eyre's hooks go in before the terminal is touched, so a panic in the TUI first
    // restores the terminal (ratatui's hook) and then prints the report.
    if let Err(e) = color_eyre::install() {
        eprintln!("warning: cannot install the error report hooks: {e}");
    }
    // Everything accredit creates (cache, WAL, log, credentials, editing files, the hub's
    // database) is its user's alone: 0600 files in 0700 folders.
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode mask; it cannot fail and touches no memory.
    unsafe {
        libc::umask(0o077);
    }
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(report) => {
            let chain: Vec<String> = report.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
