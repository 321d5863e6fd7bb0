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

    /// Creates the folder readable by its owner only (0700) and makes every file already in it
    /// 0600: it holds the cache, the log, the credentials and rationales being edited.
    pub fn create_private(&self) -> std::io::Result<()> {
        create_private_dir(&self.root)?;
        #[cfg(unix)]
        for entry in std::fs::read_dir(&self.root)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                create_private_dir(&entry.path())?;
            } else if kind.is_file() {
                make_private(&entry.path())?;
            }
        }
        Ok(())
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

    /// Where the originals of evidence documents are written to be opened in a viewer.
    pub fn originals_dir(&self) -> PathBuf {
        self.root.join("originals")
    }
}

/// Creates `dir` (and its parents) if needed, and makes it 0700.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Makes `file` readable and writable by its owner only (0600), if it exists.
pub fn make_private(file: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}
