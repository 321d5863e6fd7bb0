//! Opening the zip inside a DOCX or XLSX safely: no `..` or absolute entries, no symlinks, no
//! encrypted entries, and a cap on what it unzips to (measured while reading, not trusted from
//! the header).

use std::io::{Cursor, Read};

use super::{ExtractError, MAX_UNZIPPED_BYTES};

pub(super) struct SafeZip<'a> {
    file: &'a str,
    kind: &'static str,
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> SafeZip<'a> {
    pub(super) fn open(file: &'a str, kind: &'static str, bytes: &'a [u8]) -> Result<Self, ExtractError> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            // An OLE compound file: a legacy .doc/.xls, or an encrypted Office file.
            return Err(if contains(bytes, "EncryptedPackage") {
                ExtractError::Password { file: file.into() }
            } else {
                ExtractError::LegacyDoc { file: file.into() }
            });
        }
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::Corrupt {
            file: file.into(),
            kind,
            detail: e.to_string(),
        })?;
        let mut zip = SafeZip { file, kind, archive, budget: MAX_UNZIPPED_BYTES };
        zip.check_entries()?;
        Ok(zip)
    }

    fn check_entries(&mut self) -> Result<(), ExtractError> {
        let mut declared = 0u64;
        for i in 0..self.archive.len() {
            let entry = self.archive.by_index_raw(i).map_err(|e| ExtractError::Corrupt {
                file: self.file.into(),
                kind: self.kind,
                detail: e.to_string(),
            })?;
            let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
            let unsafe_zip = |problem| ExtractError::UnsafeZip { file: self.file.into(), entry: name.clone(), problem };
            if name.split(['/', '\\']).any(|part| part == "..") {
                return Err(unsafe_zip("leaves the archive with \"..\""));
            }
            if name.starts_with('/') || name.starts_with('\\') || entry.enclosed_name().is_none() {
                return Err(unsafe_zip("is not a relative path inside the archive"));
            }
            if entry.is_symlink() {
                return Err(unsafe_zip("is a symbolic link"));
            }
            if entry.encrypted() {
                return Err(ExtractError::Password { file: self.file.into() });
            }
            declared = declared.saturating_add(entry.size());
            if declared > MAX_UNZIPPED_BYTES {
                return Err(ExtractError::ZipBomb { file: self.file.into(), limit: MAX_UNZIPPED_BYTES });
            }
        }
        Ok(())
    }

    /// An entry's text, or `None` when the archive has no such entry.
    pub(super) fn text(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        let (file, kind) = (self.file, self.kind);
        let corrupt = |detail: String| ExtractError::Corrupt { file: file.into(), kind, detail };
        let entry = match self.archive.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(corrupt(e.to_string())),
        };
        let mut out = Vec::new();
        let read = entry.take(self.budget + 1).read_to_end(&mut out).map_err(|e| corrupt(format!("{name}: {e}")))?;
        if read as u64 > self.budget {
            return Err(ExtractError::ZipBomb { file: file.into(), limit: MAX_UNZIPPED_BYTES });
        }
        self.budget -= read as u64;
        String::from_utf8(out).map(Some).map_err(|_| corrupt(format!("{name} is not UTF-8")))
    }
}

fn contains(bytes: &[u8], needle: &str) -> bool {
    // OLE directory names are UTF-16LE.
    let wide: Vec<u8> = needle.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(wide.len()).any(|w| w == wide.as_slice())
}
