//! The hub's address and the user's token, kept in the data folder with mode 0600.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{HubClient, SyncError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub server: String,
    pub token: String,
    pub user: String,
    /// The private certificate authority the hub's certificate is checked against
    /// (`accredit login --ca-cert FILE`); without it, the public web's authorities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
}

impl Credentials {
    /// The client for this hub, trusting the stored CA if there is one.
    pub fn client(&self) -> Result<HubClient, SyncError> {
        match &self.ca_cert {
            Some(ca) => HubClient::with_ca(&self.server, &self.token, ca),
            None => Ok(HubClient::new(&self.server, &self.token)),
        }
    }

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
        let creds = Credentials {
            server: "http://127.0.0.1:1".into(),
            token: "ab".repeat(32),
            user: "u-1".into(),
            ca_cert: None,
        };
        creds.save(&path).unwrap();
        assert_eq!(Credentials::load(&path).unwrap(), Some(creds.clone()));
        // Files written before the CA could be stored are read as they are; a CA is kept.
        assert!(!std::fs::read_to_string(&path).unwrap().contains("ca_cert"));
        let with_ca = Credentials { ca_cert: Some("/etc/accredit/ca.pem".into()), ..creds };
        with_ca.save(&path).unwrap();
        assert_eq!(Credentials::load(&path).unwrap(), Some(with_ca));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
