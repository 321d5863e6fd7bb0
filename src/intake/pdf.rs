//! PDF pages by poppler's `pdftotext -layout`, run as a child process with a time limit, and the
//! PDF's own page labels (`labels.rs`), which poppler's tools do not print.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::labels::{self, Labels};
use super::{ExtractError, Extracted, PDF_EXTRACTOR, Page, Warning};

/// The command that reads PDFs; `ACCREDIT_PDFTOTEXT` names another (tests use it to simulate a
/// crash or a hang).
pub fn program() -> String {
    std::env::var("ACCREDIT_PDFTOTEXT").unwrap_or_else(|_| "pdftotext".into())
}

pub(super) fn extract(file: &str, bytes: &[u8], limit: Duration) -> Result<Extracted, ExtractError> {
    extract_with(file, bytes, &program(), limit)
}

/// As `extract`, with another program and time limit (tests simulate a crash or a hang).
pub fn extract_with(file: &str, bytes: &[u8], program: &str, limit: Duration) -> Result<Extracted, ExtractError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(ExtractError::Corrupt {
            file: file.into(),
            kind: "PDF",
            detail: "it does not start with %PDF-".into(),
        });
    }
    let text = run(file, bytes, program, limit)?;
    let mut pages: Vec<Page> = text
        .split('\u{c}')
        .enumerate()
        .map(|(i, t)| Page { number: i as u32 + 1, title: None, text: t.to_string() })
        .collect();
    // pdftotext ends the last page with a form feed too.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.text.trim().is_empty()) {
        pages.pop();
    }
    let empty: Vec<u32> = pages.iter().filter(|p| p.text.trim().is_empty()).map(|p| p.number).collect();
    let mut warnings = if empty.is_empty() { vec![] } else { vec![Warning::NoTextLayer(empty)] };
    let page_labels = match labels::read(bytes, pages.len()) {
        Labels::Found(labels) => Some(labels),
        Labels::Absent => None,
        Labels::Unreadable(why) => {
            warnings.push(Warning::PageLabelsUnreadable(why));
            None
        }
    };
    Ok(Extracted { extractor: PDF_EXTRACTOR, pages, warnings, page_labels })
}

fn run(file: &str, bytes: &[u8], program: &str, limit: Duration) -> Result<String, ExtractError> {
    let mut child = Command::new(program)
        .args(["-layout", "-enc", "UTF-8", "-eol", "unix", "-q", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ExtractError::NoPdftotext { file: file.into() },
            _ => ExtractError::Crashed { file: file.into(), detail: format!("cannot start {program}: {e}") },
        })?;
    let crashed = |detail: String| ExtractError::Crashed { file: file.into(), detail };
    let mut stdin = child.stdin.take().ok_or_else(|| crashed("no stdin".into()))?;
    let mut stdout = child.stdout.take().ok_or_else(|| crashed("no stdout".into()))?;
    let mut stderr = child.stderr.take().ok_or_else(|| crashed("no stderr".into()))?;
    let input = bytes.to_vec();
    // A child that stops reading makes the write fail; that is reported by its exit status.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let (ended, output_ended) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        let _ = ended.send(());
        out
    });
    let err_reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stderr.read_to_end(&mut out);
        out
    });
    // pdftotext closes its output as it exits: wait for that (no polling, which cost up to a
    // polling interval per file), then for its exit status, all within the time limit.
    let started = Instant::now();
    let output_done = output_ended.recv_timeout(limit).is_ok();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if !output_done || started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExtractError::Timeout { file: file.into(), seconds: limit.as_secs() });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(crashed(e.to_string())),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).trim().to_string();
    if !status.success() {
        // pdftotext exits 1 with "Incorrect password" (quiet mode hides the message, so a
        // failure on a file that starts like a PDF is checked for an encryption dictionary).
        if err.contains("password") || has_encrypt(bytes) {
            return Err(ExtractError::Password { file: file.into() });
        }
        let why = if err.is_empty() { format!("exit status {status}") } else { err };
        return Err(crashed(why));
    }
    String::from_utf8(out).map_err(|_| crashed("its output is not UTF-8".into()))
}

fn has_encrypt(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}
