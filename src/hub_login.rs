//! Whether this profile can reach its hub: what `accredit doctor` reports about the hub.
//!
//! It reads the credentials `accredit login` stored and asks the hub who the token belongs to,
//! which checks both that the hub answers and that it accepts the token.

use crate::paths::DataDir;
use crate::sync::{Credentials, SyncError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubLogin {
    /// No server and token are stored for this profile.
    NotConfigured,
    /// Credentials exist but the hub did not answer.
    Unreachable { server: String, error: String },
    /// The hub answered but refused the stored token.
    TokenRejected { server: String },
    /// The hub accepted the token.
    LoggedIn { server: String, user: String },
}

/// The hub login of the profile in `data_dir`.
pub fn status(data_dir: &DataDir) -> HubLogin {
    let credentials = match Credentials::load(&data_dir.credentials()) {
        Ok(Some(credentials)) => credentials,
        Ok(None) => return HubLogin::NotConfigured,
        Err(e) => {
            return HubLogin::Unreachable {
                server: data_dir.credentials().display().to_string(),
                error: e.to_string(),
            };
        }
    };
    let server = credentials.server.clone();
    let client = match credentials.client() {
        Ok(client) => client,
        Err(e) => return HubLogin::Unreachable { server, error: e.to_string() },
    };
    match client.me() {
        Ok(user) => HubLogin::LoggedIn { server, user: user.id },
        Err(SyncError::Unauthorized) => HubLogin::TokenRejected { server },
        Err(e) => HubLogin::Unreachable { server, error: e.to_string() },
    }
}
