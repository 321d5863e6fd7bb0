//! Whether this profile can reach its hub: what `accredit doctor` reports about the hub.
//!
//! This workstation has no hub client yet, so there are never credentials and `status`
//! reports `NotConfigured`. The sync work fills `status` in (read the credentials file, call
//! `GET /healthz`, check the token) and returns the other variants; `doctor` already prints
//! each of them with what to do.

use crate::paths::DataDir;

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
pub fn status(_data_dir: &DataDir) -> HubLogin {
    HubLogin::NotConfigured
}
