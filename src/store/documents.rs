//! Documents downloaded ahead of the submissions that cite them.

use super::{Result, Store};

impl Store {
    /// Keeps a downloaded document's text (already checked against its SHA-256 by the sync
    /// client) so an interrupted first sync does not fetch it again.
    pub fn keep_document(&self, sha256: &str, text: &str) -> Result<()> {
        self.conn.execute("INSERT OR IGNORE INTO blobs (sha256, content) VALUES (?1, ?2)", (sha256, text))?;
        Ok(())
    }

    /// Keeps several downloaded documents in one transaction (one commit, so one fsync, for a
    /// whole batch).
    pub fn keep_documents(&self, documents: &[(String, String)]) -> Result<()> {
        if documents.is_empty() {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction()?;
        {
            let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, content) VALUES (?1, ?2)")?;
            for (sha256, text) in documents {
                stmt.execute((sha256, text))?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
