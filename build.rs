//! Embeds every file under `fixtures/` so `accredit demo` needs nothing beside the binary, and
//! records what `--version` and `accredit doctor` say about the build: the git commit when
//! built from a clone (nothing from a tarball), and the build date (`SOURCE_DATE_EPOCH` when
//! set, for reproducible builds).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The package's folder, read when the script runs: `env!` would bake in the folder the
/// script was first compiled in, and cargo reuses a compiled build script when the same
/// source is built from another folder (a moved clone, an unpacked tarball).
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

fn main() {
    println!("cargo:rerun-if-changed=fixtures");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let root = manifest_dir().join("fixtures");
    let (mut files, mut binaries) = (Vec::new(), Vec::new());
    collect(&root, &mut files, &mut binaries);
    files.sort();
    binaries.sort();
    let relative =
        |file: &PathBuf| file.strip_prefix(&root).expect("under fixtures").to_string_lossy().replace('\\', "/");
    let mut out = String::from(
        "/// Every text fixture file: (path relative to fixtures/, contents).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        writeln!(out, "    ({:?}, include_str!({:?})),", relative(file), file.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    out.push_str(
        "/// Every PDF, DOCX and XLSX fixture, byte for byte (the demo hub's originals).\npub static BINARIES: &[(&str, &[u8])] = &[\n",
    );
    for file in &binaries {
        writeln!(out, "    ({:?}, include_bytes!({:?})),", relative(file), file.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("fixtures.rs");
    std::fs::write(dest, out).expect("write fixtures.rs");

    let date = build_date();
    println!("cargo:rustc-env=ACCREDIT_BUILD_DATE={date}");
    let info = match git_commit() {
        Some(commit) => format!("commit {commit}, built {date}"),
        None => format!("built {date}"),
    };
    println!("cargo:rustc-env=ACCREDIT_BUILD_INFO={info}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>, binaries: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files, binaries);
        } else if is_binary(&path) {
            // A PDF, DOCX or XLSX is embedded as it is, and its extracted pages with it
            // (fixtures/extracted/), so the demo needs no extractor.
            println!("cargo:rerun-if-changed={}", path.display());
            binaries.push(path);
        } else {
            files.push(path);
        }
    }
}

fn is_binary(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("pdf" | "docx" | "xlsx"))
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).current_dir(manifest_dir()).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !text.is_empty()).then_some(text)
}

/// The short commit hash, when this source tree is itself a git checkout (not a tarball that
/// happens to sit inside another repository). Reruns when HEAD moves.
fn git_commit() -> Option<String> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let here = std::fs::canonicalize(manifest_dir()).ok()?;
    if std::fs::canonicalize(&top).ok()? != here {
        return None;
    }
    for path in [git(&["rev-parse", "--git-path", "HEAD"]), git(&["rev-parse", "--git-path", "packed-refs"])] {
        watch(path);
    }
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(git(&["rev-parse", "--git-path", &reference]));
    }
    git(&["rev-parse", "--short=10", "HEAD"])
}

/// Reruns the build script when `path` changes; only existing files, as a missing one would
/// rerun it on every build.
fn watch(path: Option<String>) {
    let Some(path) = path else { return };
    let path = manifest_dir().join(path);
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// Today (UTC) as YYYY-MM-DD, or the day of `SOURCE_DATE_EPOCH`.
fn build_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    });
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
