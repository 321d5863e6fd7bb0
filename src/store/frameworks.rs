//! Reading whole frameworks back out of the cache, to validate a submission package against
//! the frameworks it names.

use super::{Result, Store, StoreError};
use crate::domain::{Framework, Section, Standard};

impl Store {
    /// Every framework in the cache, with its sections and standards in order.
    pub fn frameworks(&self) -> Result<Vec<Framework>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, version, title, official, note, rationale_required FROM frameworks ORDER BY id, version",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut frameworks = Vec::with_capacity(rows.len());
        for (id, version, title, official, note, required) in rows {
            let rationale_required =
                serde_json::from_str(&required).map_err(|e| StoreError::Corrupt(format!("framework {id}: {e}")))?;
            let sections = self.sections(&id, &version)?;
            frameworks.push(Framework { id, version, title, official, note, rationale_required, sections });
        }
        Ok(frameworks)
    }

    fn sections(&self, id: &str, version: &str) -> Result<Vec<Section>> {
        let mut sections_stmt = self.conn.prepare(
            "SELECT code, title FROM sections WHERE framework_id = ?1 AND framework_version = ?2 ORDER BY ord",
        )?;
        let mut standards_stmt = self.conn.prepare(
            "SELECT code, title, statement, guidance FROM standards
             WHERE framework_id = ?1 AND framework_version = ?2 AND section_code = ?3 ORDER BY ord",
        )?;
        let heads = sections_stmt
            .query_map([id, version], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut sections = Vec::with_capacity(heads.len());
        for (code, title) in heads {
            let standards = standards_stmt
                .query_map([id, version, code.as_str()], |r| {
                    Ok(Standard { code: r.get(0)?, title: r.get(1)?, statement: r.get(2)?, guidance: r.get(3)? })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            sections.push(Section { code, title, standards });
        }
        Ok(sections)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn frameworks_read_back_as_imported() {
        let mut store = Store::open_in_memory().unwrap();
        let imported = crate::demo::frameworks().unwrap();
        for framework in &imported {
            store.import_framework(framework).unwrap();
        }
        let mut read = store.frameworks().unwrap();
        let mut expected = imported.clone();
        read.sort_by(|a, b| a.id.cmp(&b.id));
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(read, expected);
    }
}
