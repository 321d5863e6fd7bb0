//! Tokens: 32 random bytes, shown once; only their SHA-256 is stored.

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::{Caller, Hub, HubError, Result};
use crate::wire::{User, UserRole};

/// A new token, as the 64 hex characters the user is given.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HubError::Invalid(format!("no randomness for a token: {e}")))?;
    Ok(hex(&bytes))
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Hub {
    /// The caller a bearer token belongs to; `None` for an unknown, malformed or revoked token.
    pub fn authenticate(&self, token: &str) -> Result<Option<Caller>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row: Option<(String, String, String)> = self
            .store
            .connection()
            .query_row(
                "SELECT u.id, p.name, u.role FROM hub_users u JOIN people p ON p.id = u.id
                 WHERE u.token_hash = ?1 AND u.revoked = 0",
                [hash_token(&token.to_ascii_lowercase())],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, name, role)) = row else { return Ok(None) };
        // Last seen to the minute: at most one small write per user and minute.
        let minute = jiff::Timestamp::now().round(jiff::Unit::Minute).map(|t| t.to_string()).unwrap_or_default();
        self.store
            .connection()
            .execute("UPDATE hub_users SET last_seen = ?1 WHERE id = ?2 AND last_seen IS NOT ?1", [&minute, &id])?;
        Ok(Some(Caller { user: User { id, name, role: UserRole::parse(&role).unwrap_or(UserRole::Reviewer) } }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_characters_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(hash_token(&a), a, "the hash is not the token");
    }
}
