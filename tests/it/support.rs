//! Shared set-up: demo caches in temporary data folders, and the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use accredit::store::Store;
use tempfile::TempDir;

/// A data folder holding a freshly installed demo cache (as `accredit demo` makes it).
pub fn demo_data_dir() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&dir.path().join("cache.sqlite")).expect("open cache");
    accredit::demo::install(&mut store).expect("install the demo");
    dir
}

/// A demo store in memory, for tests that need no files.
pub fn demo_store() -> Store {
    let mut store = Store::open_in_memory().expect("in-memory cache");
    accredit::demo::install(&mut store).expect("install the demo");
    store
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_accredit"))
}

/// Runs `accredit --data-dir DIR ARGS...` to completion.
pub fn accredit(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("ACCREDIT_DATA_DIR")
        .output()
        .expect("run accredit")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
