//! Tokens: 32 random bytes, shown once; only their SHA-256 is stored.

use rusqlite::OptionalExtension;

use super::{Caller, Hub, HubError, Result};
use crate::wire::{User, UserRole};

/// A new token, as the 64 hex characters the user is given.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HubError::Invalid(format!("no randomness for a token: {e}")))?;
    Ok(crate::digest::hex(&bytes))
}

pub fn hash_token(token: &str) -> String {
    crate::digest::sha256_hex(token.as_bytes())
}

/// A caller found by their token, and whether their "last seen" is behind this minute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub caller: Caller,
    /// The minute to record as last seen, when it is not recorded yet (`Hub::seen`).
    pub seen_now: Option<String>,
}

/// Moves a user's "last seen" forward, never back.
const SEEN: &str = "UPDATE hub_users SET last_seen = ?1 WHERE id = ?2 AND (last_seen IS NULL OR last_seen < ?1)";

/// Now, to the minute: what "last seen" records.
fn this_minute() -> String {
    jiff::Timestamp::now().round(jiff::Unit::Minute).map(|t| t.to_string()).unwrap_or_default()
}

impl Hub {
    /// The caller a bearer token belongs to; `None` for an unknown, malformed or revoked token.
    /// Records when they were last seen.
    pub fn authenticate(&self, token: &str) -> Result<Option<Caller>> {
        let Some(found) = self.find_token(token)? else { return Ok(None) };
        if let Some(minute) = &found.seen_now {
            self.seen(&found.caller.user.id, minute)?;
        }
        Ok(Some(found.caller))
    }

    /// The caller a bearer token belongs to, read only (a reader connection can answer it).
    pub fn find_token(&self, token: &str) -> Result<Option<Found>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row: Option<(String, String, String, Option<String>)> = self
            .store
            .connection()
            .prepare_cached(
                "SELECT u.id, p.name, u.role, u.last_seen FROM hub_users u JOIN people p ON p.id = u.id
                 WHERE u.token_hash = ?1 AND u.revoked = 0",
            )?
            .query_row([hash_token(&token.to_ascii_lowercase())], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((id, name, role, last_seen)) = row else { return Ok(None) };
        // Last seen to the minute: at most one small write per user and minute.
        let minute = this_minute();
        // Never moved back (a clock set back, or a later minute already written).
        let seen_now = last_seen.as_deref().is_none_or(|seen| seen < minute.as_str()).then_some(minute);
        let user = User { id, name, role: UserRole::parse(&role).unwrap_or(UserRole::Reviewer) };
        Ok(Some(Found { caller: Caller { user }, seen_now }))
    }

    /// Records that `user` was seen at `minute` (a write: the writer's job).
    pub fn seen(&self, user: &str, minute: &str) -> Result<()> {
        self.store.connection().prepare_cached(SEEN)?.execute([minute, user])?;
        Ok(())
    }

    /// Records when each of several users was seen (user, minute), in one transaction: one
    /// commit for everyone who signed in at the turn of a minute, not one each.
    pub fn seen_all<'a>(&mut self, sightings: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<()> {
        let tx = self.store.connection_mut().transaction()?;
        {
            let mut stmt = tx.prepare_cached(SEEN)?;
            for (user, minute) in sightings {
                stmt.execute([minute, user])?;
            }
        }
        tx.commit()?;
        Ok(())
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

    #[test]
    fn a_token_hash_is_the_lower_hex_sha256() {
        // FIPS 180-2's example.
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
