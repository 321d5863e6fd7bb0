//! Where accredit keeps its files.

use std::path::{Path, PathBuf};

/// The folder holding one profile's cache, config and log.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The platform's data folder (for example `~/.local/share/accredit` on Linux).
    pub fn platform_default() -> Option<Self> {
        directories::ProjectDirs::from("uk.nhs", "Centre for Advancing Practice", "accredit")
            .map(|dirs| Self::new(dirs.data_dir()))
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

    /// Where a rationale being edited in `$EDITOR` lives, so an editor crash loses nothing.
    pub fn editing_dir(&self) -> PathBuf {
        self.root.join("editing")
    }
}
