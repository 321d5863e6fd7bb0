//! The hub's address and the user's token, kept in the data folder with mode 0600.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SyncError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub server: String,
    pub token: String,
    pub user: String,
}

impl Credentials {
    pub fn load(path: &Path) -> Result<Option<Credentials>, SyncError> {
        let bad = |detail: String| SyncError::Credentials { path: path.display().to_string(), detail };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(bad(e.to_string())),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| bad(format!("{e}; log in again to rewrite it")))
    }

    /// Writes the file readable by its owner only, replacing any earlier one atomically.
    pub fn save(&self, path: &Path) -> Result<(), SyncError> {
        let bad =
            |e: std::io::Error| SyncError::Credentials { path: path.display().to_string(), detail: e.to_string() };
        let temporary = path.with_extension("json.new");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temporary).map_err(bad)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The mode above applies only to a new file; make sure of it either way.
            file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(bad)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| bad(std::io::Error::other(e)))?;
        file.write_all(text.as_bytes()).map_err(bad)?;
        file.sync_all().map_err(bad)?;
        std::fs::rename(&temporary, path).map_err(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_credentials_are_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.json");
        assert_eq!(Credentials::load(&path).unwrap(), None);
        let creds = Credentials { server: "http://127.0.0.1:1".into(), token: "ab".repeat(32), user: "u-1".into() };
        creds.save(&path).unwrap();
        assert_eq!(Credentials::load(&path).unwrap(), Some(creds));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
