//! Printing the HTML report to PDF through headless Chromium, when it is installed.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "no Chromium found (tried chromium, chromium-browser, google-chrome): install it (Debian and Ubuntu: `sudo apt-get install chromium`), or render --format html and print that from a browser"
    )]
    NoChromium,
    #[error("cannot prepare the PDF in {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("Chromium could not print the report: {0}")]
    Failed(String),
}

/// The first Chromium on the PATH that answers `--version`.
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Prints `html` to the PDF file `out` (A4, the report's own running header and page numbers).
pub fn print(html: &str, out: &Path) -> Result<(), PdfError> {
    let browser = chromium().ok_or(PdfError::NoChromium)?;
    let dir = tempfile_dir()?;
    let page = dir.join("report.html");
    std::fs::write(&page, html).map_err(|e| PdfError::Io(page.clone(), e))?;
    let target = std::path::absolute(out).map_err(|e| PdfError::Io(out.to_path_buf(), e))?;
    let output = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .map_err(|e| PdfError::Failed(e.to_string()));
    let _ = std::fs::remove_dir_all(&dir);
    let output = output?;
    let written = std::fs::read(&target).map(|b| b.starts_with(b"%PDF-")).unwrap_or(false);
    if !output.status.success() || !written {
        return Err(PdfError::Failed(String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("").to_string()));
    }
    Ok(())
}

/// A private scratch folder for Chromium's profile and the page.
fn tempfile_dir() -> Result<PathBuf, PdfError> {
    let dir = std::env::temp_dir().join(format!("accredit-pdf-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).map_err(|e| PdfError::Io(dir.clone(), e))?;
    Ok(dir)
}
