//! The data folder is its owner's alone: the folder 0700 and every file in it 0600 (the cache and
//! its WAL, the log, the credentials, the files being edited), new ones and those left by older
//! versions alike.

use std::path::Path;

/// From here on, files and folders this process makes are its owner's only (umask 077), so
/// SQLite's database, WAL and journal files, the log and the editing files are born private.
pub fn restrict_new_files() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode mask; it cannot fail and touches no memory.
    unsafe {
        libc::umask(0o077);
    }
}

/// Makes `root` 0700 and every file and folder under it private (files 0600, folders 0700).
pub fn make_private(root: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700))?;
            for entry in std::fs::read_dir(&folder)? {
                let entry = entry?;
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    folders.push(entry.path());
                } else if kind.is_file() {
                    let mode = entry.metadata()?.permissions().mode();
                    if mode & 0o077 != 0 {
                        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600))?;
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = root;
    Ok(())
}

/// Opens a file for appending, created with mode 0600.
pub fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
