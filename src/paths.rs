//! Where accredit keeps its files.

use std::path::{Path, PathBuf};

/// The folder holding one profile's cache and log, and where its config is.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
    config: PathBuf,
}

impl DataDir {
    /// One folder for everything, config included (`--data-dir`, `ACCREDIT_DATA_DIR`).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self { config: root.join(crate::config::FILE_NAME), root }
    }

    /// The platform's folders: data in for example `~/.local/share/accredit` and the config in
    /// `~/.config/accredit/config.toml` on Linux.
    pub fn platform_default() -> Option<Self> {
        directories::ProjectDirs::from("uk.nhs", "Centre for Advancing Practice", "accredit").map(|dirs| Self {
            root: dirs.data_dir().to_path_buf(),
            config: dirs.config_dir().join(crate::config::FILE_NAME),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn cache(&self) -> PathBuf {
        self.root.join("cache.sqlite")
    }

    /// The hub's address and this user's token (mode 0600).
    pub fn credentials(&self) -> PathBuf {
        self.root.join("credentials.json")
    }

    /// The hub's database, when this folder also hosts a hub (`accredit serve`, the demo).
    pub fn hub_db(&self) -> PathBuf {
        self.root.join("hub.sqlite")
    }

    pub fn log(&self) -> PathBuf {
        self.root.join("accredit.log")
    }

    /// The settings file, `config.toml` (it need not exist).
    pub fn config(&self) -> &Path {
        &self.config
    }

    /// Where a rationale being edited in `$EDITOR` lives, so an editor crash loses nothing.
    pub fn editing_dir(&self) -> PathBuf {
        self.root.join("editing")
    }
}
